"""Writes with side effects on articles. Reads live in ArticleQuerySet."""

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from audit import services as audit

from .models import (
    FULL_TEXT_SEARCH,
    Article,
    Autosave,
    Byline,
    EditSession,
    SlugRedirect,
    Tag,
    presence_cutoff,
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


# Who is editing, take-over and autosave ---------------------------------------------------


def open_editing(*, article, user):
    """`user` has (re)opened the article's change form: they are editing it from now on
    (from earlier if their session never lapsed), and any take-over of their earlier
    session has been shown to them. One UPDATE when they had the story open before."""
    now = timezone.now()
    restarted = Q(last_seen__lt=presence_cutoff()) | Q(taken_over_at__isnull=False)
    reopened = EditSession.objects.filter(article=article, user=user).update(
        started=Case(When(restarted, then=Value(now)), default=F("started")),
        last_seen=now,
        taken_over_by=None,
        taken_over_at=None,
    )
    if not reopened:
        EditSession.objects.get_or_create(
            article=article, user=user, defaults={"started": now, "last_seen": now}
        )


def keep_editing(*, article, user):
    """The heartbeat of `user`'s open change form: one UPDATE while they hold the story.
    Returns their session if someone took it over (it stays taken over, for the page to
    say so), else None; a session that lapsed starts again."""
    kept = EditSession.objects.filter(
        article=article, user=user, taken_over_at__isnull=True, last_seen__gte=presence_cutoff()
    ).update(last_seen=timezone.now())
    if kept:
        return None
    taken_over = (
        EditSession.objects.filter(article=article, user=user, taken_over_at__isnull=False)
        .select_related("taken_over_by")
        .first()
    )
    if taken_over is None:
        open_editing(article=article, user=user)
    return taken_over


@transaction.atomic
def take_over_editing(*, article, by):
    """`by` takes the article over from everyone else who has it open; returns their
    sessions. Recorded in the audit log."""
    sessions = list(EditSession.objects.editing(article).exclude(user=by))
    if not sessions:
        return []
    now = timezone.now()
    EditSession.objects.filter(pk__in=[session.pk for session in sessions]).update(
        taken_over_by=by, taken_over_at=now
    )
    open_editing(article=article, user=by)
    names = [display_name(session.user) for session in sessions]
    audit.record(
        action="took over",
        obj=article,
        by=by,
        message=f"Took over editing from {', '.join(names)}.",
        from_users=[session.user.get_username() for session in sessions],
    )
    return sessions


def display_name(user):
    return user.get_full_name() or user.get_username()


def store_autosave(*, article, user, data):
    """Keep `data` ({field: text}, already validated) as `user`'s own unsaved copy of
    `article` (None: their new story). Touches no other row."""
    autosave, _created = Autosave.objects.update_or_create(
        user=user, article=article, defaults={"data": data, "saved_at": timezone.now()}
    )
    return autosave


def discard_autosave(*, article, user):
    """Delete `user`'s own unsaved copy of `article` (None: their new story), if any."""
    Autosave.objects.of(user, article).delete()


def stop_editing(*, article, user):
    """`user` saved and left the article's change form."""
    EditSession.objects.filter(article=article, user=user).delete()
