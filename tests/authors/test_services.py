import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from articles.models import Article, Byline
from authors.forms import LinkFormSet, ProfileForm
from authors.models import Author, AuthorChange, AuthorLink, AuthorMerge, AuthorSlugRedirect
from authors.services import merge_authors, record_slug_change, revert_change, save_own_profile
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    AuthorLinkFactory,
    BylineFactory,
    UserFactory,
)


def bylines_of(article):
    return list(
        Byline.objects.filter(article=article).values_list("author__slug", "role", "position")
    )


# Merging duplicate authors ---------------------------------------------------------------


@pytest.fixture
def duplicates(db):
    keep = AuthorFactory(name="Olena Kovalenko", slug="olena-kovalenko", bio="")
    remove = AuthorFactory(
        name="O. Kovalenko", slug="o-kovalenko", bio="Kyiv correspondent.", desk="World"
    )
    return keep, remove


@pytest.mark.django_db
def test_a_merge_moves_every_byline_of_the_removed_author(duplicates, profile_manager):
    keep, remove = duplicates
    own = ArticleFactory.create_batch(2, published=True, authors=[keep])
    theirs = ArticleFactory.create_batch(3, published=True, authors=[remove, AuthorFactory()])
    draft = ArticleFactory(authors=[remove])
    photographed = BylineFactory(author=remove, role=Byline.Role.PHOTOGRAPHER).article
    assert remove.bylines.count() == 5

    merge_authors(keep=keep, remove=remove, by=profile_manager)

    assert not Author.objects.filter(pk=remove.pk).exists()
    assert set(Article.objects.filter(bylines__author=keep)) == {
        *own,
        *theirs,
        draft,
        photographed,
    }
    assert Byline.objects.filter(author=keep).count() == 7
    assert photographed.bylines.get().role == Byline.Role.PHOTOGRAPHER
    for article in Article.objects.with_bylines().filter(pk__in=[story.pk for story in theirs]):
        assert article.writers[0] == keep  # in the removed author's place


@pytest.mark.django_db
def test_a_story_crediting_both_duplicates_keeps_one_byline(duplicates, profile_manager):
    keep, remove = duplicates
    first = AuthorFactory(slug="first")
    article = ArticleFactory(published=True)
    BylineFactory(article=article, author=remove, role=Byline.Role.WRITER, position=0)
    BylineFactory(article=article, author=first, role=Byline.Role.WRITER, position=1)
    BylineFactory(article=article, author=keep, role=Byline.Role.PHOTOGRAPHER, position=2)

    record = merge_authors(keep=keep, remove=remove, by=profile_manager)

    # The kept author takes the earlier place, and stays a writer since one of them was.
    assert bylines_of(article) == [
        ("olena-kovalenko", "writer", 0),
        ("first", "writer", 1),
    ]
    assert (record.moved_bylines, record.shared_articles) == (0, 1)


@pytest.mark.django_db
def test_a_shared_story_keeps_the_kept_authors_role_when_the_removed_was_not_a_writer(
    duplicates, profile_manager
):
    keep, remove = duplicates
    article = ArticleFactory(published=True)
    BylineFactory(article=article, author=keep, role=Byline.Role.EDITOR, position=0)
    BylineFactory(article=article, author=remove, role=Byline.Role.VIDEO, position=1)

    merge_authors(keep=keep, remove=remove, by=profile_manager)

    assert bylines_of(article) == [("olena-kovalenko", "editor", 0)]


@pytest.mark.django_db
def test_a_merge_leaves_the_old_address_as_a_redirect_and_is_recorded(duplicates, profile_manager):
    keep, remove = duplicates
    ArticleFactory.create_batch(2, published=True, authors=[remove])
    AuthorSlugRedirect.objects.create(old_slug="olena-k", author=remove)
    before = timezone.now()

    record = merge_authors(keep=keep, remove=remove, by=profile_manager)

    assert dict(AuthorSlugRedirect.objects.values_list("old_slug", "author")) == {
        "o-kovalenko": keep.pk,
        "olena-k": keep.pk,
    }
    assert AuthorMerge.objects.get() == record
    assert record.kept == keep
    assert (record.removed_name, record.removed_slug) == ("O. Kovalenko", "o-kovalenko")
    assert (record.moved_bylines, record.shared_articles) == (2, 0)
    assert record.merged_by == profile_manager
    assert record.created >= before


@pytest.mark.django_db
def test_a_merge_fills_only_what_the_kept_author_lacks(duplicates, profile_manager):
    keep, remove = duplicates
    keep.role = "Correspondent"
    keep.save()
    AuthorLinkFactory(author=keep, url="https://olena.example/")
    AuthorLinkFactory(author=remove, url="https://olena.example/")
    AuthorLinkFactory(author=remove, url="https://bsky.app/profile/olena")
    login = UserFactory()
    remove.user = login
    remove.save()

    merge_authors(keep=keep, remove=remove, by=profile_manager)

    keep.refresh_from_db()
    assert keep.role == "Correspondent"
    assert (keep.bio, keep.desk) == ("Kyiv correspondent.", "World")
    assert keep.user == login
    assert sorted(keep.links.values_list("url", flat=True)) == [
        "https://bsky.app/profile/olena",
        "https://olena.example/",
    ]


@pytest.mark.django_db
def test_a_merge_keeps_the_kept_authors_login(duplicates, profile_manager):
    keep, remove = duplicates
    keep.user, remove.user = UserFactory(username="olena"), UserFactory(username="okovalenko")
    keep.save()
    remove.save()

    merge_authors(keep=keep, remove=remove, by=profile_manager)

    keep.refresh_from_db()
    assert keep.user.username == "olena"


@pytest.mark.django_db
def test_a_merge_moves_the_change_log_and_earlier_merges(duplicates, profile_manager):
    keep, remove = duplicates
    change = AuthorChange.objects.create(author=remove, changes={"bio": ["", "x"]})
    earlier = AuthorMerge.objects.create(kept=remove, removed_name="Olena K", removed_slug="ok")

    merge_authors(keep=keep, remove=remove, by=profile_manager)

    change.refresh_from_db()
    earlier.refresh_from_db()
    assert change.author == keep
    assert earlier.kept == keep


@pytest.mark.django_db
def test_a_merge_marks_the_changed_stories_as_modified(duplicates, profile_manager):
    keep, remove = duplicates
    moved = ArticleFactory(published=True, authors=[remove])
    untouched = ArticleFactory(published=True, authors=[keep])
    Article.objects.update(modified=timezone.now() - timezone.timedelta(days=1))

    merge_authors(keep=keep, remove=remove, by=profile_manager)

    yesterday = timezone.now() - timezone.timedelta(hours=1)
    assert Article.objects.get(pk=moved.pk).modified > yesterday
    assert Article.objects.get(pk=untouched.pk).modified < yesterday


@pytest.mark.django_db
def test_an_author_cannot_be_merged_into_themselves(duplicates, profile_manager):
    keep, _ = duplicates

    with pytest.raises(ValueError, match="themselves"):
        merge_authors(keep=keep, remove=keep, by=profile_manager)

    assert Author.objects.filter(pk=keep.pk).exists()


# Changed addresses -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_changed_slug_leaves_a_redirect_and_the_current_slug_is_never_one():
    author = AuthorFactory(slug="olena")
    author.slug = "olena-kovalenko"
    author.save()
    record_slug_change(author=author, old_slug="olena")

    author.slug = "olena"
    author.save()
    record_slug_change(author=author, old_slug="olena-kovalenko")

    assert list(AuthorSlugRedirect.objects.values_list("old_slug", flat=True)) == [
        "olena-kovalenko"
    ]


# Self-service changes and reverts ---------------------------------------------------------


def profile_forms(author, **data):
    saved = Author.objects.get(pk=author.pk)
    form_data = {
        "bio": author.bio,
        "long_bio": author.long_bio,
        "pronouns": author.pronouns,
        # The version the form was opened at: the one saved now.
        "opened_version": str(saved.version),
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        **data,
    }
    form = ProfileForm(form_data, instance=saved)
    links = LinkFormSet(form_data, instance=author, prefix="links")
    assert form.is_valid() and links.is_valid(), (form.errors, links.errors)
    return form, links


@pytest.mark.django_db
def test_saving_ones_profile_records_who_changed_what_from_what(reporter, reporter_author):
    reporter_author.bio = "Old bio."
    reporter_author.save()
    AuthorLinkFactory(author=reporter_author, kind="x", url="https://x.example/rita")
    form, links = profile_forms(
        reporter_author,
        bio="New bio.",
        pronouns="she/her",
        **{
            "links-TOTAL_FORMS": "1",
            "links-INITIAL_FORMS": "1",
            "links-0-id": str(reporter_author.links.get().pk),
            "links-0-kind": "x",
            "links-0-url": "https://x.example/rita",
            "links-0-DELETE": "on",
        },
    )

    change = save_own_profile(form=form, links=links, by=reporter)

    assert change.author == reporter_author
    assert change.changed_by == reporter
    assert change.source == AuthorChange.Source.SELF_SERVICE
    assert change.changes == {
        "bio": ["Old bio.", "New bio."],
        "pronouns": ["", "she/her"],
        "links": [[["x", "https://x.example/rita"]], []],
    }


@pytest.mark.django_db
def test_saving_an_unchanged_profile_records_nothing(reporter, reporter_author):
    form, links = profile_forms(reporter_author)

    assert save_own_profile(form=form, links=links, by=reporter) is None
    assert not AuthorChange.objects.exists()


@pytest.mark.django_db
def test_nobody_saves_someone_elses_profile_through_the_service(reporter, reporter_author):
    other = AuthorFactory(bio="Theirs.")
    form, links = profile_forms(other, bio="Hijacked.")

    with pytest.raises(PermissionDenied):
        save_own_profile(form=form, links=links, by=reporter)

    other.refresh_from_db()
    assert other.bio == "Theirs."


@pytest.fixture
def bad_edit(reporter, reporter_author):
    """A self-service save that replaced the bio, the long bio and the links."""
    reporter_author.bio = "Covers the courts."
    reporter_author.long_bio = "<p>Ten years on the courts beat.</p>"
    reporter_author.save()
    AuthorLinkFactory(author=reporter_author, kind="website", url="https://rita.example/")
    AuthorLinkFactory(author=reporter_author, kind="x", url="https://x.example/rita")
    form, links = profile_forms(
        reporter_author,
        bio="Buy cheap watches.",
        long_bio="<p>Visit <a href='https://spam.example/'>my shop</a></p>",
        **{
            "links-TOTAL_FORMS": "1",
            "links-0-kind": "website",
            "links-0-url": "https://spam.example/",
        },
    )
    return save_own_profile(form=form, links=links, by=reporter)


@pytest.mark.django_db
def test_reverting_a_change_restores_the_old_text_and_links(
    bad_edit, reporter_author, profile_manager
):
    assert reporter_author.links.count() == 3

    revert = revert_change(change=bad_edit, by=profile_manager)

    reporter_author.refresh_from_db()
    assert reporter_author.bio == "Covers the courts."
    assert reporter_author.long_bio == "<p>Ten years on the courts beat.</p>"
    assert list(reporter_author.links.values_list("kind", "url")) == [
        ("website", "https://rita.example/"),
        ("x", "https://x.example/rita"),
    ]
    bad_edit.refresh_from_db()
    assert bad_edit.reverted_by == profile_manager
    assert bad_edit.is_reverted
    assert revert.source == AuthorChange.Source.REVERT
    assert revert.reverts == bad_edit
    assert revert.changed_by == profile_manager
    assert revert.changes["bio"] == ["Buy cheap watches.", "Covers the courts."]


@pytest.mark.django_db
def test_a_change_is_reverted_only_once(bad_edit, profile_manager):
    revert_change(change=bad_edit, by=profile_manager)

    with pytest.raises(ValueError, match="already reverted"):
        revert_change(change=bad_edit, by=profile_manager)

    assert AuthorChange.objects.filter(source=AuthorChange.Source.REVERT).count() == 1


@pytest.mark.django_db
def test_a_revert_leaves_fields_the_change_did_not_touch(
    bad_edit, reporter_author, profile_manager
):
    reporter_author.refresh_from_db()
    reporter_author.pronouns = "she/her"
    reporter_author.save()

    revert_change(change=bad_edit, by=profile_manager)

    reporter_author.refresh_from_db()
    assert reporter_author.pronouns == "she/her"


@pytest.mark.django_db
def test_a_revert_does_not_restore_a_replaced_photo(reporter, reporter_author, profile_manager):
    change = AuthorChange.objects.create(
        author=reporter_author,
        changed_by=reporter,
        changes={"photo": ["authors/2025/01/old.png", ""], "bio": ["Old.", reporter_author.bio]},
    )

    revert_change(change=change, by=profile_manager)

    reporter_author.refresh_from_db()
    assert reporter_author.bio == "Old."
    assert not reporter_author.photo
    assert AuthorLink.objects.count() == 0
