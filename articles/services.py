"""Writes with side effects on articles. Reads live in ArticleQuerySet."""

from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from audit.services import record

from .models import (
    FULL_TEXT_SEARCH,
    Article,
    BreakingNews,
    Byline,
    PreviewLink,
    SlugRedirect,
    Tag,
)


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
    return article


@transaction.atomic
def unpublish_article(*, article, by):
    if not can_publish(by):
        raise PermissionDenied("You may not unpublish articles.")
    article.status = Article.Status.DRAFT
    article.save(update_fields=["status", "modified"])
    return article


@transaction.atomic
def mark_updated(*, article, by):
    """Stamp a material change: readers see 'Updated' with this time."""
    if not can_publish(by):
        raise PermissionDenied("You may not mark articles as updated.")
    article.updated_at = timezone.now()
    article.save(update_fields=["updated_at", "modified"])
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


# Preview links ---------------------------------------------------------------------------


def can_share_preview(user, article):
    """Editors share any story; a reporter (add permission only) shares stories they write."""
    if not user.has_perm("articles.add_previewlink"):
        return False
    if user.has_perm("articles.change_previewlink"):
        return True
    return article.bylines.filter(author__user=user).exists()


def can_revoke_preview(user, link):
    return user.has_perm("articles.change_previewlink") or (
        user.has_perm("articles.add_previewlink") and link.created_by_id == user.pk
    )


@transaction.atomic
def create_preview_link(*, article, by, hours=None):
    if not can_share_preview(by, article):
        raise PermissionDenied("You may not share a preview of this story.")
    hours = hours or settings.NEWSROOM_PREVIEW_LINK_HOURS
    link = PreviewLink.objects.create(
        article=article, created_by=by, expires_at=timezone.now() + timedelta(hours=hours)
    )
    record(
        action="shared preview",
        obj=article,
        by=by,
        message=f"Preview link {link.pk}, valid until {link.expires_at:%Y-%m-%d %H:%M %Z}",
        link=link.pk,
        expires_at=link.expires_at.isoformat(),
    )
    return link


@transaction.atomic
def revoke_preview_link(*, link, by):
    """Stop `link` working now. Revoking a revoked link changes nothing."""
    if not can_revoke_preview(by, link):
        raise PermissionDenied("You may not revoke this preview link.")
    if link.revoked_at is not None:
        return link
    link.revoked_at = timezone.now()
    link.revoked_by = by
    link.save(update_fields=["revoked_at", "revoked_by"])
    record(
        action="revoked preview",
        obj=link.article,
        by=by,
        message=f"Preview link {link.pk} revoked",
        link=link.pk,
    )
    return link


# Breaking news ---------------------------------------------------------------------------


def can_flag_breaking(user):
    return user.has_perm("articles.add_breakingnews")


@transaction.atomic
def flag_breaking(*, article, by, minutes=None):
    """Put `article` in the site-wide breaking-news banner for `minutes` from now. The
    banner shows it only while readers may see the story."""
    if not can_flag_breaking(by):
        raise PermissionDenied("You may not flag breaking news.")
    minutes = minutes or settings.NEWSROOM_BREAKING_MINUTES
    now = timezone.now()
    flag = BreakingNews.objects.create(
        article=article, starts_at=now, expires_at=now + timedelta(minutes=minutes), created_by=by
    )
    record(
        action="flagged breaking",
        obj=article,
        by=by,
        message=f"Breaking news for {minutes} minutes",
        expires_at=flag.expires_at.isoformat(),
    )
    return flag


@transaction.atomic
def end_breaking(*, flag, by):
    """Take `flag` out of the banner now. Ending an ended flag changes nothing."""
    if not by.has_perm("articles.change_breakingnews"):
        raise PermissionDenied("You may not end breaking news.")
    now = timezone.now()
    if flag.expires_at <= now:
        return flag
    flag.expires_at = max(now, flag.starts_at)
    flag.ended_by = by
    flag.save(update_fields=["expires_at", "ended_by"])
    record(action="ended breaking", obj=flag.article, by=by, message="Breaking news ended early")
    return flag
