"""Writes with side effects on author profiles. Reads live in AuthorQuerySet.

Bylines belong to the articles app; they are reached through the reverse relations
(`author.bylines`, `author.articles`) so that this app never imports articles.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from newsroom.cache import purge_keys
from newsroom.concurrency import saving_as
from newsroom.revisions import records_revision
from photos.services import add_image

from .models import Author, AuthorChange, AuthorLink, AuthorMerge, AuthorSlugRedirect

# What a merge copies from the removed author when the kept one has it empty.
MERGE_FILLS_BLANK = ["role", "desk", "pronouns", "bio", "long_bio", "email", "public_contact"]
# What a self-service change records: these text fields, the photo's file name and the links.
# A revert restores the text fields and the links, not a replaced photo.
TEXT_FIELDS = ["bio", "long_bio", "pronouns"]


@transaction.atomic
def record_slug_change(*, author, old_slug):
    """Keep `old_slug` pointing at `author`. An author's current slug is never a redirect,
    so an author given back an earlier address simply serves it again."""
    if old_slug and old_slug != author.slug:
        AuthorSlugRedirect.objects.update_or_create(old_slug=old_slug, defaults={"author": author})
    AuthorSlugRedirect.objects.filter(old_slug=author.slug).delete()


@records_revision("Merged a duplicate profile into this one")
@transaction.atomic
def merge_authors(*, keep, remove, by):
    """Make `remove` a duplicate of `keep` no more, and return the AuthorMerge record.

    Every byline of `remove` moves to `keep`; on a story that credited both, `keep` stays
    once, at the earlier position, and as a writer if either was one. Links `keep` lacks,
    the login (if `keep` has none) and any profile field `keep` has empty come over.
    `remove` is deleted; its address, and any address that led to it, redirect to `keep`.
    Stories whose bylines changed get a new `modified` time, so caches and feeds see it.
    """
    if keep.pk == remove.pk:
        raise ValueError("An author cannot be merged into themselves.")
    keep = Author.objects.select_for_update().get(pk=keep.pk)
    remove = Author.objects.select_for_update().get(pk=remove.pk)

    changed_articles = list(remove.bylines.values_list("article_id", flat=True))
    kept_bylines = {byline.article_id: byline for byline in keep.bylines.all()}
    shared = 0
    for byline in remove.bylines.filter(article_id__in=list(kept_bylines)):
        kept = kept_bylines[byline.article_id]
        if byline.role == byline.Role.WRITER:
            kept.role = byline.Role.WRITER
        kept.position = min(kept.position, byline.position)
        kept.save(update_fields=["role", "position"])
        byline.delete()
        shared += 1
    moved = remove.bylines.update(author=keep)
    keep.articles.model.objects.filter(pk__in=changed_articles).update(
        modified=timezone.now(), version=F("version") + 1, modified_by=None
    )

    remove.links.exclude(url__in=keep.links.values("url")).update(author=keep)
    AuthorSlugRedirect.objects.filter(author=remove).update(author=keep)
    AuthorChange.objects.filter(author=remove).update(author=keep)
    AuthorMerge.objects.filter(kept=remove).update(kept=keep)
    for field in MERGE_FILLS_BLANK:
        if not getattr(keep, field) and getattr(remove, field):
            setattr(keep, field, getattr(remove, field))
    if keep.photo_id is None and remove.photo_id is not None:
        keep.photo_id = remove.photo_id
    login = remove.user if keep.user_id is None else None

    record = AuthorMerge.objects.create(
        kept=keep,
        removed_name=remove.name,
        removed_slug=remove.slug,
        moved_bylines=moved,
        shared_articles=shared,
        merged_by=by,
    )
    removed_slug, removed_pk = remove.slug, remove.pk
    remove.delete()  # its remaining links (duplicates of keep's) go with it
    if login is not None:
        keep.user = login
    keep.save()
    AuthorSlugRedirect.objects.update_or_create(old_slug=removed_slug, defaults={"author": keep})
    # Bylines on every kind of page now name the kept author; the two keys reach the
    # stories' stored parts (articles/stories.py), which "site" does not.
    purge_keys(["site", f"author:{keep.pk}", f"author:{removed_pk}"])
    return record


def purge_profile_pages(author):
    """A profile's bio, photo and links show on the author page, the team page and the
    author cards of their stories (article pages carry the author's key)."""
    purge_keys([f"author:{author.pk}", "team"])


def profile_values(author):
    """The self-service fields of `author` as stored, in the form AuthorChange keeps them."""
    values = {field: getattr(author, field) for field in TEXT_FIELDS}
    values["photo"] = author.photo.file.name if author.photo_id else ""
    values["links"] = [
        [kind, url]
        for kind, url in AuthorLink.objects.filter(author=author).values_list("kind", "url")
    ]
    return values


def record_change(*, author, before, by, source=AuthorChange.Source.SELF_SERVICE, reverts=None):
    """Store what differs between `before` (profile_values) and `author` now; None if
    nothing does."""
    after = profile_values(author)
    changes = {
        field: [before[field], after[field]] for field in before if before[field] != after[field]
    }
    if not changes:
        return None
    return AuthorChange.objects.create(
        author=author, changed_by=by, source=source, changes=changes, reverts=reverts
    )


@records_revision("Edited on the self-service profile page")
@transaction.atomic
def save_own_profile(*, form, links, by):
    """Save the self-service form and its links formset (both valid) for `by`'s own author
    profile, and record the change. The form must edit the profile linked to `by`."""
    author = form.instance
    if author.pk is None or author.user_id != by.pk:
        raise PermissionDenied("You may only edit your own author profile.")
    before = profile_values(Author.objects.get(pk=author.pk))
    saving_as(author, by)
    upload = form.cleaned_data.get("photo")
    if upload:
        # A portrait the reporter supplied: credited to them, described by their name.
        author.photo = add_image(
            file=upload,
            alt_text=author.name,
            credit=author.name,
            source="Supplied by the author",
            keywords="portrait",
            uploaded_by=by,
        )
    form.save()
    links.save()
    purge_profile_pages(author)
    return record_change(author=author, before=before, by=by)


@records_revision("Reverted a self-service change")
@transaction.atomic
def revert_change(*, change, by):
    """Restore the old values of a self-service change's text fields and links, record the
    revert as a change of its own and return it. A change is reverted at most once."""
    change = AuthorChange.objects.select_for_update().get(pk=change.pk)
    if change.is_reverted:
        raise ValueError("This change was already reverted.")
    author = Author.objects.select_for_update().get(pk=change.author_id)
    before = profile_values(author)
    for field, (old, _new) in change.changes.items():
        if field == "links":
            author.links.all().delete()
            AuthorLink.objects.bulk_create(
                AuthorLink(author=author, kind=kind, url=url, position=position)
                for position, (kind, url) in enumerate(old)
            )
        elif field in TEXT_FIELDS:
            setattr(author, field, old)
    author.save()
    purge_profile_pages(author)
    revert = record_change(
        author=author, before=before, by=by, source=AuthorChange.Source.REVERT, reverts=change
    )
    change.reverted_at = timezone.now()
    change.reverted_by = by
    change.save(update_fields=["reverted_at", "reverted_by"])
    return revert
