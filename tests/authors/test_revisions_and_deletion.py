"""Author profiles keep revisions; authors credited on stories are retired, never deleted."""

import pytest
from pytest_django.asserts import assertContains, assertRedirects
from reversion.models import Version

from audit.models import AuditEntry
from authors.forms import LinkFormSet, ProfileForm
from authors.models import Author
from authors.services import save_own_profile
from tests.authors.test_admin import CHANGELIST, action_data, author_form, change_url
from tests.factories import ArticleFactory, AuthorFactory, AuthorLinkFactory

REFUSAL = "credited on stories, and stories keep their authors"
HINT = "“Mark as former contributors” action"


def delete_url(author):
    return f"/admin/authors/author/{author.pk}/delete/"


# Revisions ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_saving_a_profile_in_the_admin_records_a_revision_with_its_links(
    profile_manager_client, profile_manager
):
    author = AuthorFactory(bio="Old bio.")
    AuthorLinkFactory(author=author, url="https://zoe.example/")

    profile_manager_client.post(change_url(author), author_form(author, bio="New bio."))

    (version,) = Version.objects.get_for_object(author)
    assert version.revision.user == profile_manager
    assert version.field_dict["bio"] == "New bio."
    links = [v.field_dict["url"] for v in version.revision.version_set.all() if v.pk != version.pk]
    assert links == ["https://zoe.example/"]


@pytest.mark.django_db
def test_a_reporters_self_service_save_records_a_revision_by_them(reporter, reporter_author):
    form = ProfileForm(
        {
            "bio": "Written by me.",
            "pronouns": "",
            "long_bio": "",
            "opened_version": str(reporter_author.version),
        },
        instance=reporter_author,
    )
    links = LinkFormSet(
        {"links-TOTAL_FORMS": "0", "links-INITIAL_FORMS": "0"},
        instance=reporter_author,
        prefix="links",
    )
    assert form.is_valid(), form.errors
    assert links.is_valid()

    save_own_profile(form=form, links=links, by=reporter)

    (version,) = Version.objects.get_for_object(reporter_author)
    assert (version.field_dict["bio"], version.revision.user) == ("Written by me.", reporter)
    assert version.revision.get_comment() == "Edited on the self-service profile page"


@pytest.mark.django_db
def test_a_profile_manager_restores_an_earlier_profile_and_it_is_logged(
    profile_manager_client, profile_manager
):
    author = AuthorFactory(bio="First bio.")
    profile_manager_client.post(change_url(author), author_form(author, bio="First bio."))
    first = Version.objects.get_for_object(author).get()
    profile_manager_client.post(change_url(author), author_form(author, bio="Second bio."))
    revision_url = f"/admin/authors/author/{author.pk}/history/{first.pk}/"

    history = profile_manager_client.get(f"/admin/authors/author/{author.pk}/history/")
    form = profile_manager_client.get(revision_url)
    data = author_form(author, bio="First bio.")
    # The revert form is opened at the version the revert itself saves.
    data["opened_version"] = form.context["adminform"].form["opened_version"].value()
    response = profile_manager_client.post(revision_url, data)

    assertContains(history, revision_url)
    assertContains(form, "First bio.")
    assert response.status_code == 302
    author.refresh_from_db()
    assert author.bio == "First bio."
    assert Version.objects.get_for_object(author).count() == 3
    entry = AuditEntry.objects.for_object(author).get()
    assert (entry.action, entry.actor) == ("restored revision", profile_manager)


# Deletion and deactivation --------------------------------------------------------------


@pytest.mark.django_db
def test_deleting_an_author_with_bylines_is_refused_with_a_hint(profile_manager_client):
    author = AuthorFactory(name="Zoe Zed")
    ArticleFactory(authors=[author])

    response = profile_manager_client.get(delete_url(author), follow=True)
    posted = profile_manager_client.post(delete_url(author), {"post": "yes"}, follow=True)

    assertRedirects(response, change_url(author))
    for page in [response, posted]:
        assertContains(page, f"Not deleted: Zoe Zed is {REFUSAL}")
        assertContains(page, HINT)
    assert Author.objects.filter(pk=author.pk).exists()


@pytest.mark.django_db
def test_the_bulk_delete_refuses_when_any_selected_author_has_bylines(profile_manager_client):
    credited, uncredited = AuthorFactory(name="Zoe Zed"), AuthorFactory(name="Adam Ant")
    ArticleFactory(authors=[credited])

    response = profile_manager_client.post(
        CHANGELIST,
        {**action_data("delete_selected", credited, uncredited), "post": "yes"},
        follow=True,
    )

    assertContains(response, f"Not deleted: Zoe Zed is {REFUSAL}")
    assert Author.objects.count() == 2


@pytest.mark.django_db
def test_authors_without_bylines_can_still_be_deleted(profile_manager_client):
    first, second = AuthorFactory(), AuthorFactory()
    single = AuthorFactory()

    profile_manager_client.post(
        CHANGELIST, {**action_data("delete_selected", first, second), "post": "yes"}
    )
    profile_manager_client.post(delete_url(single), {"post": "yes"})

    assert not Author.objects.exists()


@pytest.mark.django_db
def test_a_deactivated_author_leaves_the_team_page_but_keeps_their_page_and_stories(
    profile_manager_client, client
):
    author = AuthorFactory(name="Zoe Zed", slug="zoe")
    article = ArticleFactory(published=True, authors=[author], title="Her story")

    profile_manager_client.post(CHANGELIST, action_data("mark_former", author))

    author.refresh_from_db()
    assert not author.is_active
    assert "Zoe Zed" not in client.get("/team/").content.decode()
    assertContains(client.get("/authors/zoe/"), "Her story")
    assertContains(client.get(article.get_absolute_url()), "Zoe Zed")
    (version,) = Version.objects.get_for_object(author)
    assert version.field_dict["is_active"] is False


@pytest.mark.django_db
def test_a_deleted_profile_is_recovered_from_its_last_revision_and_it_is_logged(
    profile_manager_client, profile_manager
):
    author = AuthorFactory(name="Guest Writer", bio="Kept bio.")
    profile_manager_client.post(change_url(author), author_form(author))
    data = author_form(author)
    profile_manager_client.post(delete_url(author), {"post": "yes"})
    assert not Author.objects.exists()
    (deleted,) = Version.objects.get_deleted(Author)
    recover_url = f"/admin/authors/author/recover/{deleted.pk}/"

    listing = profile_manager_client.get("/admin/authors/author/recover/")
    form = profile_manager_client.get(recover_url)
    # The recovery form is opened at the version the recovery itself saves.
    data["opened_version"] = form.context["adminform"].form["opened_version"].value()
    response = profile_manager_client.post(recover_url, data)

    assertContains(listing, recover_url)
    assert response.status_code == 302
    recovered = Author.objects.get()
    assert (recovered.pk, recovered.bio) == (author.pk, "Kept bio.")
    entry = AuditEntry.objects.for_object(recovered).get()
    assert (entry.action, entry.actor) == ("recovered", profile_manager)
