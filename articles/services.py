"""Writes with side effects on articles. Reads live in ArticleQuerySet."""

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from .caching import purge_article
from .models import FULL_TEXT_SEARCH, Article, Byline, SlugRedirect, Tag


def can_publish(user):
    return user.has_perm("articles.publish_article")


@transaction.atomic
def record_slug_change(*, article, old_slug):
    """Keep `old_slug` pointing at the article. The article's current slug is never a
    redirect, so a story given back an earlier address simply serves it again."""
    if old_slug and old_slug != article.slug:
        SlugRedirect.objects.update_or_create(old_slug=old_slug, defaults={"article": article})
    SlugRedirect.objects.filter(old_slug=article.slug).delete()


@transaction.atomic
def publish_article(*, article, by, at=None):
    """Publish now, or at `at` (a future time schedules the story)."""
    if not can_publish(by):
        raise PermissionDenied("You may not publish articles.")
    article.status = Article.Status.PUBLISHED
    article.published_at = at or article.published_at or timezone.now()
    article.full_clean()
    article.save()
    purge_article(article)
    return article


@transaction.atomic
def unpublish_article(*, article, by):
    if not can_publish(by):
        raise PermissionDenied("You may not unpublish articles.")
    article.status = Article.Status.DRAFT
    article.save(update_fields=["status", "modified"])
    purge_article(article)
    return article


@transaction.atomic
def mark_updated(*, article, by):
    """Stamp a material change: readers see 'Updated' with this time."""
    if not can_publish(by):
        raise PermissionDenied("You may not mark articles as updated.")
    article.updated_at = timezone.now()
    article.save(update_fields=["updated_at", "modified"])
    purge_article(article)
    return article


def refresh_author_search_names(sender, instance, raw=False, **kwargs):
    """post_save receiver for authors: their name is in the search document of every story
    they are on (and a merge has just moved bylines to them)."""
    if not raw:
        refresh_search_names(articles=Article.objects.filter(bylines__author=instance))


def refresh_search_names(*, articles):
    """Copy the tag names and writers' names of `articles` (a QuerySet) into their search
    document, in one UPDATE. Call after saving bylines or tags, or renaming a tag or an
    author: the headline, standfirst and body need no call (a generated column).

    Does nothing where full-text search is unavailable (SQLite).
    """
    if not FULL_TEXT_SEARCH:
        return
    writers = (
        Byline.objects.filter(article=OuterRef("pk"))
        .values("article")
        .annotate(names=StringAgg("author__name", " "))
        .values("names")
    )
    tags = (
        Tag.objects.filter(articles=OuterRef("pk"))
        .values("articles")
        .annotate(names=StringAgg("name", " "))
        .values("names")
    )
    Article.objects.filter(pk__in=articles.values("pk")).update(
        search_names=SearchVector(Subquery(tags), weight="B", config="english")
        + SearchVector(Subquery(writers), weight="D", config="english")
    )
