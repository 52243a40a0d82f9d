"""Writes with side effects on articles. Reads live in ArticleQuerySet."""

from datetime import timedelta

import reversion
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.utils import timezone
from django.utils.formats import date_format
from reversion.models import Revision, Version

from audit import services as audit
from audit.services import record
from authors.models import Author
from newsroom.revisions import records_revision
from photos.models import Image

from . import preflight
from .caching import purge_article as purge_cached_pages
from .caching import purge_pages
from .models import (
    FULL_TEXT_SEARCH,
    Article,
    Autosave,
    BreakingNews,
    Byline,
    EditSession,
    PreviewLink,
    Section,
    SlugRedirect,
    Tag,
    presence_cutoff,
)
from .revisions import version_values


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
# Cached pages show published stories (and expire at a scheduled one's time): these
# transitions change what they show; submitting or returning a draft changes nothing there.
RELEASED = {Article.Status.PUBLISHED}
TAKEN_OFF = {Transition.UNPUBLISHED, Transition.UNSCHEDULED}
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
    if article.status in RELEASED or transition in TAKEN_OFF:
        purge_cached_pages(article)
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


@records_revision("Submitted for review")
@transaction.atomic
def submit_for_review(*, article, by):
    """The writer hands the draft to the editors; it leaves their hands until returned."""
    _check("submit", article, by)
    article.status = Article.Status.IN_REVIEW
    article.submitted_by = by
    article.submitted_at = timezone.now()
    return _stamp(article, Transition.SUBMITTED, by)


@records_revision("Returned to draft")
@transaction.atomic
def return_to_draft(*, article, by, note=""):
    """An editor sends the story back to its writer, optionally saying what it needs."""
    _check("return", article, by)
    article.status = Article.Status.DRAFT
    article.review_note = note.strip()
    return _stamp(article, Transition.RETURNED, by, note=article.review_note)


@records_revision("Published")
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


@records_revision("Scheduled")
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


@records_revision("Unscheduled")
@transaction.atomic
def unschedule_article(*, article, by):
    """Back to draft before a scheduled story appears; the publish time is forgotten."""
    _check("unschedule", article, by)
    article.status = Article.Status.DRAFT
    article.published_at = None
    return _stamp(article, Transition.UNSCHEDULED, by)


@records_revision("Unpublished")
@transaction.atomic
def unpublish_article(*, article, by):
    """Take a live story down. It keeps its publish time for a later republish."""
    _check("unpublish", article, by)
    article.status = Article.Status.UNPUBLISHED
    return _stamp(article, Transition.UNPUBLISHED, by)


@records_revision("Embargo changed")
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
    purge_cached_pages(article)
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


@records_revision("Marked as a substantive update")
@transaction.atomic
def mark_updated(*, article, by):
    """Stamp a material change: readers see 'Updated' with this time."""
    if not can_publish(by):
        raise PermissionDenied("You may not mark articles as updated.")
    article.updated_at = timezone.now()
    article.save(update_fields=["updated_at", "modified"])
    purge_cached_pages(article)
    return article


def refresh_author_search_names(sender, instance, raw=False, **kwargs):
    """post_save receiver for authors: their name is in the search document of every story
    they are on (and a merge has just moved bylines to them)."""
    if not raw:
        refresh_search_names(articles=Article.objects.filter(bylines__author=instance))


def purge_pages_showing_photo(sender, instance, created=False, raw=False, **kwargs):
    """post_save receiver for library photos: the pages that print a photo (its alt text,
    caption, credit, crops) carry the keys of the stories it leads or sits in and of the
    writers it portrays (on their stories' author cards and the team page too). A photo
    just uploaded is on no page yet."""
    if raw or created:
        return
    stories = Article.objects.filter(
        Q(lead_image=instance) | Q(body_images__image=instance)
    ).values_list("pk", flat=True)
    writers = Author.objects.filter(photo=instance).values_list("pk", flat=True)
    keys = {f"article:{pk}" for pk in stories} | {f"author:{pk}" for pk in writers}
    if writers:
        keys.add("team")
    if keys:
        purge_pages(keys)


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
    # The banner is on every page, and its end is a time cached pages wait for.
    purge_pages(["site"])
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
    purge_pages(["site"])
    return flag


# Revisions, the Trash and corrections ------------------------------------------------------

# What restoring a version brings back: the story's content. Its status, publish time,
# public update time and embargo stay as they are now, so a restore never publishes,
# unpublishes or reschedules anything by itself.
RESTORED_FIELDS = [
    "title",
    "slug",
    "kind",
    "summary",
    "body",
    "lead_image_caption",
    "video_url",
]


@transaction.atomic
def restore_version(*, version, by):
    """Make the article say what `version` (one of its reversion Versions) said, as a new
    revision, and return the notes for the editor about anything that could not come back
    (a deleted author or section, a slug another story now has, a missing photo file).

    Only the content comes back (RESTORED_FIELDS, section, lead photo, tags and bylines):
    the status and publish time stay as they are. Corrections are never touched.
    """
    article = Article.objects.select_for_update().get(pk=version.object_id)
    old_slug = article.slug
    fields, values = version.field_dict, version_values(version)
    saved = f"{timezone.localtime(version.revision.date_created):%Y-%m-%d %H:%M}"
    notes = []
    with reversion.create_revision():
        reversion.set_user(by)
        reversion.set_comment(f"Restored the version saved {saved}")
        for name in RESTORED_FIELDS:
            if name in fields:
                setattr(article, name, fields[name])
        if Article.objects.exclude(pk=article.pk).filter(slug=article.slug).exists():
            notes.append(
                f"The address “{article.slug}” now belongs to another story; "
                f"the story keeps “{old_slug}”."
            )
            article.slug = old_slug
        if Section.objects.filter(pk=fields.get("section_id")).exists():
            article.section_id = fields["section_id"]
        else:
            notes.append("That version's section no longer exists; the section is unchanged.")
        restore_lead_image(article, values, fields, notes)
        article.full_clean()
        article.save()
        article.tags.set(Tag.objects.filter(pk__in=fields.get("tags", [])))
        restore_bylines(article, values["bylines"], notes)
        record_slug_change(article=article, old_slug=old_slug)
        audit.record(
            action="restored revision",
            obj=article,
            by=by,
            message=f"Restored the version saved {saved}.",
            revision=version.revision_id,
        )
    refresh_search_names(articles=Article.objects.filter(pk=article.pk))
    purge_cached_pages(article)
    return notes


def restore_lead_image(article, values, fields, notes):
    image_id = values["lead_image_id"]
    if image_id == article.lead_image_id:
        return
    if image_id is not None and not Image.objects.filter(pk=image_id).exists():
        notes.append(
            "That version's lead photo is no longer in the library; the photo is unchanged."
        )
        return
    article.lead_image_id = image_id


def restore_bylines(article, bylines, notes):
    """Replace the article's bylines with `bylines` ((position, id, author id, role), …),
    saving each so the new revision records them."""
    existing = set(
        Author.objects.filter(pk__in=[b[2] for b in bylines]).values_list("pk", flat=True)
    )
    article.bylines.all().delete()
    for position, _pk, author_id, role in bylines:
        if author_id not in existing:
            notes.append("A byline names an author who no longer exists; it is left out.")
            continue
        Byline.objects.create(article=article, author_id=author_id, role=role, position=position)


def can_trash(user):
    return user.has_perm("articles.delete_article")


@transaction.atomic
def trash_article(*, article, by):
    """Move the story to the Trash: off every public page at once (published() excludes
    it), restorable for NEWSROOM_TRASH_DAYS, then deleted for good by `empty_trash`."""
    if not can_trash(by):
        raise PermissionDenied("You may not delete articles.")
    if article.trashed_at is not None:
        return article
    article.trashed_at, article.trashed_by = timezone.now(), by
    # An UPDATE, not save(): the Trash is no change to the story's content, so it records no
    # revision. `modified` moves so feeds and caches see the story go.
    Article.objects.filter(pk=article.pk).update(
        trashed_at=article.trashed_at, trashed_by=by, modified=article.trashed_at
    )
    audit.record(action="trashed", obj=article, by=by, message="Moved to the Trash.")
    purge_cached_pages(article)
    return article


@records_revision("Restored from the Trash")
@transaction.atomic
def restore_from_trash(*, article, by):
    """Bring a story back from the Trash as it was, except that a published or scheduled
    story comes back Unpublished: it returns to readers only when someone who may publish
    publishes it again (at its original publish time)."""
    if not can_trash(by):
        raise PermissionDenied("You may not restore articles from the Trash.")
    # The concrete model even when given a TrashedArticle: revisions are kept for Article.
    article = Article.objects.select_for_update().get(pk=article.pk)
    was_published = article.status == Article.Status.PUBLISHED
    article.trashed_at = None
    article.trashed_by = None
    if was_published:
        article.status = Article.Status.UNPUBLISHED
    article.save()
    purge_cached_pages(article)
    audit.record(
        action="restored from trash",
        obj=article,
        by=by,
        message="Restored from the Trash, unpublished."
        if was_published
        else "Restored from the Trash.",
    )
    return article


@transaction.atomic
def purge_article(*, article):
    """Delete a trashed story for good, with its bylines, corrections, old addresses and
    its revisions (nothing of it is left to recover)."""
    audit.record(
        action="deleted for good",
        obj=article,
        message=f"Deleted for good after {settings.NEWSROOM_TRASH_DAYS} days in the Trash.",
        trashed_at=article.trashed_at.isoformat(),
    )
    forget_versions(article)
    article.delete()


def forget_versions(article):
    """Delete the article's versions and its bylines' versions; a revision that held other
    stories too (a bulk action's) keeps theirs, one that held only this story goes."""
    article_type = ContentType.objects.get_for_model(Article)
    byline_type = ContentType.objects.get_for_model(Byline)
    held = Version.objects.get_for_object(article).values("revision_id")
    for revision in Revision.objects.filter(pk__in=held).prefetch_related("version_set"):
        mine, others = [], []
        for version in revision.version_set.all():
            if version.content_type_id == article_type.pk:
                (mine if version.object_id == str(article.pk) else others).append(version.pk)
            elif version.content_type_id == byline_type.pk:
                ours = version.field_dict["article_id"] == article.pk
                (mine if ours else others).append(version.pk)
        if others:
            Version.objects.filter(pk__in=mine).delete()
        else:
            revision.delete()


def due_for_purge(*, now=None):
    """Stories in the Trash for longer than NEWSROOM_TRASH_DAYS, oldest first."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.NEWSROOM_TRASH_DAYS)
    return Article.objects.trashed_before(cutoff).order_by("trashed_at", "pk")


def purge_trash(*, now=None):
    """Delete for good every story in the Trash longer than NEWSROOM_TRASH_DAYS and return
    what was deleted, as (id, headline, trashed_at)."""
    purged = []
    for article in due_for_purge(now=now):
        purged.append((article.pk, article.title, article.trashed_at))
        purge_article(article=article)
    return purged


@transaction.atomic
def save_correction(*, correction, by):
    """Save a correction (new or edited) and log it: readers see it from now on."""
    if not by.has_perm(
        "articles.add_correction" if correction.pk is None else "articles.change_correction"
    ):
        raise PermissionDenied("You may not write corrections.")
    added = correction.pk is None
    if added:
        correction.created_by = by
    correction.full_clean()
    correction.save()
    purge_corrected_pages(correction)
    audit.record(
        action="correction added" if added else "correction edited",
        obj=correction.article,
        by=by,
        message=correction.text,
        correction=correction.pk,
        kind=correction.kind,
    )
    return correction


@transaction.atomic
def delete_correction(*, correction, by):
    if not by.has_perm("articles.delete_correction"):
        raise PermissionDenied("You may not remove corrections.")
    audit.record(
        action="correction removed",
        obj=correction.article,
        by=by,
        message=correction.text,
        correction=correction.pk,
        kind=correction.kind,
    )
    purge_corrected_pages(correction)
    correction.delete()


def purge_corrected_pages(correction):
    """The story's pages, and the Corrections page and its feeds."""
    purge_cached_pages(correction.article, also={"corrections"})


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
