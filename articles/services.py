"""Writes with side effects on articles. Reads live in ArticleQuerySet."""

from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.formats import date_format

from audit.services import record

from . import preflight
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


def can_review(user):
    return user.has_perm("articles.review_article")


def is_own(user, article):
    """The user created the story or writes it (see ArticleQuerySet.owned_by)."""
    if article.pk is None or article.created_by_id == user.pk:
        return True
    cache = article.__dict__.setdefault("_owned_by", {})
    if user.pk not in cache:
        cache[user.pk] = Article.objects.owned_by(user).filter(pk=article.pk).exists()
    return cache[user.pk]


def can_edit(user, article):
    """Who may change a story's content, by its status: reporters their own drafts
    (including ones returned to them), reviewers anything not released, and only those
    who may publish a story that is scheduled, live or unpublished."""
    if not user.has_perm("articles.change_article"):
        return False
    Status = Article.Status
    if article.status == Status.DRAFT:
        return can_review(user) or is_own(user, article)
    if article.status == Status.IN_REVIEW:
        return can_review(user)
    return can_publish(user)


@transaction.atomic
def record_slug_change(*, article, old_slug):
    """Keep `old_slug` pointing at the article. The article's current slug is never a
    redirect, so a story given back an earlier address simply serves it again."""
    if old_slug and old_slug != article.slug:
        SlugRedirect.objects.update_or_create(old_slug=old_slug, defaults={"article": article})
    SlugRedirect.objects.filter(old_slug=article.slug).delete()


# The editorial workflow ---------------------------------------------------------------
#
# Each transition checks the acting user's permission (PermissionDenied) and the story's
# state and readiness (ValidationError, with every problem as a message), then writes only
# the workflow fields and an audit entry, in one transaction. Content edits made at the
# same time in another window are therefore never overwritten by a transition.

Transition = Article.Transition
WORKFLOW_FIELDS = [
    "status",
    "published_at",
    "embargo_until",
    "submitted_by",
    "submitted_at",
    "published_by",
    "last_transition",
    "last_transition_at",
    "last_transition_by",
    "review_note",
    "modified",
]


def available_transitions(*, article, user):
    """The transitions `user` may apply to `article` now, as names of TRANSITIONS: the
    admin offers exactly these buttons."""
    return [
        name
        for name, (allowed, states) in TRANSITIONS.items()
        if article.state in states and allowed(user, article)
    ]


def _check(name, article, user):
    allowed, states = TRANSITIONS[name]
    if not allowed(user, article):
        raise PermissionDenied(f"You may not use “{LABELS[name]}” on this story.")
    # Lock the row and compare: two people pressing buttons on the same story at once must
    # not both succeed from the state each of them saw.
    stored = Article.objects.select_for_update().filter(pk=article.pk).values("status").first()
    if stored and stored["status"] != article.status:
        raise ValidationError(
            "Someone else has just changed this story's status: reload it and try again."
        )
    if article.state not in states:
        raise ValidationError(
            f"A story that is {article.state.label.lower()} cannot be {DONE[name].lower()}."
        )


def _stamp(article, transition, by, **audit_data):
    now = timezone.now()
    article.last_transition = transition
    article.last_transition_at = now
    article.last_transition_by = by
    article.save(update_fields=WORKFLOW_FIELDS)
    record(action=transition.value, obj=article, by=by, **audit_data)
    return article


def _refuse_unready(article, *, at):
    problems = preflight.problems(article)
    if article.embargo_until and at < article.embargo_until:
        when = date_format(timezone.localtime(article.embargo_until), "j F Y, H:i")
        problems.append(
            f"The story is embargoed until {when}: schedule it for then or later, "
            "or clear the embargo."
        )
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def submit_for_review(*, article, by):
    """The writer hands the draft to the editors; it leaves their hands until returned."""
    _check("submit", article, by)
    article.status = Article.Status.IN_REVIEW
    article.submitted_by = by
    article.submitted_at = timezone.now()
    return _stamp(article, Transition.SUBMITTED, by)


@transaction.atomic
def return_to_draft(*, article, by, note=""):
    """An editor sends the story back to its writer, optionally saying what it needs."""
    _check("return", article, by)
    article.status = Article.Status.DRAFT
    article.review_note = note.strip()
    return _stamp(article, Transition.RETURNED, by, note=article.review_note)


@transaction.atomic
def publish_article(*, article, by):
    """Live now. A story that was unpublished comes back at its original publish time."""
    _check("publish", article, by)
    was_unpublished = article.status == Article.Status.UNPUBLISHED and article.published_at
    at = article.published_at if was_unpublished else timezone.now()
    _refuse_unready(article, at=timezone.now())
    article.status = Article.Status.PUBLISHED
    article.published_at = at
    article.published_by = by
    return _stamp(article, Transition.PUBLISHED, by, published_at=at.isoformat())


@transaction.atomic
def schedule_article(*, article, by, at):
    """Live by itself at `at`, a future time no earlier than any embargo."""
    _check("schedule", article, by)
    if at is None or at <= timezone.now():
        raise ValidationError("Give a publish time in the future to schedule the story.")
    _refuse_unready(article, at=at)
    article.status = Article.Status.PUBLISHED
    article.published_at = at
    article.published_by = by
    return _stamp(article, Transition.SCHEDULED, by, published_at=at.isoformat())


@transaction.atomic
def unschedule_article(*, article, by):
    """Back to draft before a scheduled story appears; the publish time is forgotten."""
    _check("unschedule", article, by)
    article.status = Article.Status.DRAFT
    article.published_at = None
    return _stamp(article, Transition.UNSCHEDULED, by)


@transaction.atomic
def unpublish_article(*, article, by):
    """Take a live story down. It keeps its publish time for a later republish."""
    _check("unpublish", article, by)
    article.status = Article.Status.UNPUBLISHED
    return _stamp(article, Transition.UNPUBLISHED, by)


@transaction.atomic
def set_embargo(*, article, by, until):
    """Set, move or clear (`until=None`) the embargo. Only those who may publish; a story
    already scheduled or live must be unscheduled or unpublished before an embargo later
    than its publish time, so the embargo never silently hides a story."""
    if not can_publish(by):
        raise PermissionDenied("You may not change embargoes.")
    problem = embargo_problem(article, until)
    if problem:
        raise ValidationError(problem)
    article.embargo_until = until
    article.save(update_fields=["embargo_until", "modified"])
    action = "embargo set" if until else "embargo cleared"
    record(action=action, obj=article, by=by, until=until.isoformat() if until else None)
    return article


def embargo_problem(article, until):
    """Why `until` cannot be the story's embargo, or None."""
    released = article.status == Article.Status.PUBLISHED
    if until and released and article.published_at < until:
        return (
            "The story is scheduled or live before that embargo: unschedule or unpublish it "
            "first, or choose an embargo no later than its publish time."
        )
    return None


def _editable(user, article):
    return can_edit(user, article)


def _reviewer(user, article):
    return can_review(user)


def _publisher(user, article):
    return can_publish(user)


State = Article.State
# name: (who may, from which states)
TRANSITIONS = {
    "submit": (_editable, {State.DRAFT}),
    "return": (_reviewer, {State.IN_REVIEW, State.UNPUBLISHED}),
    "publish": (_publisher, {State.DRAFT, State.IN_REVIEW, State.SCHEDULED, State.UNPUBLISHED}),
    "schedule": (_publisher, {State.DRAFT, State.IN_REVIEW, State.SCHEDULED, State.UNPUBLISHED}),
    "unschedule": (_publisher, {State.SCHEDULED}),
    "unpublish": (_publisher, {State.PUBLISHED}),
}
# The admin's button labels, and what a refusal calls each.
LABELS = {
    "submit": "Submit for review",
    "return": "Return to draft",
    "publish": "Publish now",
    "schedule": "Schedule",
    "unschedule": "Unschedule",
    "unpublish": "Unpublish",
}
DONE = {
    "submit": "submitted for review",
    "return": "returned to draft",
    "publish": "published",
    "schedule": "scheduled",
    "unschedule": "unscheduled",
    "unpublish": "unpublished",
}


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
