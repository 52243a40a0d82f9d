"""Writes with side effects on articles. Reads live in ArticleQuerySet."""

from datetime import timedelta

import reversion
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from reversion.models import Revision, Version

from audit import services as audit
from authors.models import Author
from newsroom.revisions import records_revision

from .models import FULL_TEXT_SEARCH, Article, Byline, Section, SlugRedirect, Tag
from .revisions import version_values


def can_publish(user):
    return user.has_perm("articles.publish_article")


@transaction.atomic
def record_slug_change(*, article, old_slug):
    """Keep `old_slug` pointing at the article. The article's current slug is never a
    redirect, so a story given back an earlier address simply serves it again."""
    if old_slug and old_slug != article.slug:
        SlugRedirect.objects.update_or_create(old_slug=old_slug, defaults={"article": article})
    SlugRedirect.objects.filter(old_slug=article.slug).delete()


@records_revision("Published")
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


@records_revision("Returned to draft")
@transaction.atomic
def unpublish_article(*, article, by):
    if not can_publish(by):
        raise PermissionDenied("You may not unpublish articles.")
    article.status = Article.Status.DRAFT
    article.save(update_fields=["status", "modified"])
    return article


@records_revision("Marked as a substantive update")
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
    "lead_image_alt",
    "lead_image_caption",
    "lead_image_credit",
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
    return notes


def restore_lead_image(article, values, fields, notes):
    name = values["lead_image"]
    if name == (article.lead_image.name or ""):
        return
    if name and not article.lead_image.storage.exists(name):
        notes.append("That version's lead photo file is gone; the photo is unchanged.")
        return
    article.lead_image = name or None
    article.lead_image_width = fields.get("lead_image_width")
    article.lead_image_height = fields.get("lead_image_height")


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
    return article


@records_revision("Restored from the Trash")
@transaction.atomic
def restore_from_trash(*, article, by):
    """Bring a story back from the Trash as it was, except that a published story comes
    back as a draft: it returns to readers only when someone who may publish publishes it
    again (its original publish time is kept for that)."""
    if not can_trash(by):
        raise PermissionDenied("You may not restore articles from the Trash.")
    # The concrete model even when given a TrashedArticle: revisions are kept for Article.
    article = Article.objects.select_for_update().get(pk=article.pk)
    was_published = article.status == Article.Status.PUBLISHED
    article.trashed_at = None
    article.trashed_by = None
    article.status = Article.Status.DRAFT
    article.save()
    audit.record(
        action="restored from trash",
        obj=article,
        by=by,
        message="Restored from the Trash as a draft."
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
    correction.delete()
