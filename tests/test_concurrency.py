"""Author profiles are never overwritten unseen (newsroom/concurrency.py): in the admin,
where two profile managers edit one profile, and on the reporters' own /staff/profile/."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from pytest_django.asserts import assertContains, assertRedirects

from authors.models import Author, AuthorLink
from tests.authors.test_admin import author_form, change_url
from tests.factories import ArticleFactory, AuthorFactory, UserFactory, create_newsroom_groups

PROFILE_URL = "/staff/profile/"


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def managers(db):
    olena = UserFactory(
        username="olena", first_name="Olena", last_name="Bondar", groups=["Profile managers"]
    )
    ivan = UserFactory(
        username="ivan", first_name="Ivan", last_name="Franko", groups=["Profile managers"]
    )
    return signed_in(olena), signed_in(ivan)


@pytest.mark.django_db
def test_a_second_profile_manager_cannot_overwrite_the_first_unseen(managers):
    olenas, ivans = managers
    author = AuthorFactory(name="Zoe Zed", role="Reporter", bio="Opened bio.")
    # Both open the form at the same version; Ivan's page carries a signed copy of what
    # he saw, which the refusal compares with.
    shown = ivans.get(change_url(author)).context["adminform"].form
    opened = {**author_form(author), "opened_values": shown["opened_values"].value()}
    assert olenas.post(change_url(author), {**opened, "role": "Chief Reporter"}).status_code == 302

    response = ivans.post(
        change_url(author),
        {
            **opened,
            "bio": "Ivan's new bio.",
            "role": "Intern",
            "links-TOTAL_FORMS": "1",
            "links-0-kind": "website",
            "links-0-url": "https://zoe.example/",
        },
    )

    assert response.status_code == 409
    assertContains(response, "Not saved: Olena Bondar saved this author at", status_code=409)
    assertContains(
        response,
        "<tr><th scope='row'>Role</th><td>Reporter</td><td>Chief Reporter</td><td>Intern</td></tr>",
        html=True,
        status_code=409,
    )
    author.refresh_from_db()
    assert (author.role, author.bio) == ("Chief Reporter", "Opened bio.")
    assert not AuthorLink.objects.exists()  # the inline was not saved either
    form = response.context["adminform"].form
    assert form["bio"].value() == "Ivan's new bio."
    # Saving the shown form again is deliberate, and goes through.
    again = {**opened, "bio": "Ivan's new bio.", "role": "Chief Reporter"}
    again["opened_version"] = form["opened_version"].value()
    assert ivans.post(change_url(author), again).status_code == 302
    author.refresh_from_db()
    assert (author.role, author.bio) == ("Chief Reporter", "Ivan's new bio.")


@pytest.mark.django_db
def test_marking_a_profile_former_refuses_a_form_opened_before(managers):
    olenas, ivans = managers
    author = AuthorFactory()
    opened = author_form(author, bio="Edited meanwhile.")
    olenas.post(
        "/admin/authors/author/",
        {"action": "mark_former", "_selected_action": [str(author.pk)], "index": "0"},
    )

    response = ivans.post(change_url(author), opened)

    assert response.status_code == 409
    author.refresh_from_db()
    assert not author.is_active


@pytest.mark.django_db
def test_a_reporters_profile_save_after_a_profile_managers_is_refused(
    reporter_client, reporter_author, managers
):
    olenas, _ivans = managers
    page = reporter_client.get(PROFILE_URL)
    opened_version = page.context["form"]["opened_version"].value()
    opened_values = page.context["form"]["opened_values"].value()
    olenas.post(change_url(reporter_author), author_form(reporter_author, bio="Manager's bio."))
    mine = {
        "bio": "My own words.",
        "opened_version": opened_version,
        "opened_values": opened_values,
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
    }

    response = reporter_client.post(PROFILE_URL, mine)

    assert response.status_code == 409
    assertContains(response, "Not saved: Olena Bondar saved this author at", status_code=409)
    assertContains(response, "<td>Manager&#x27;s bio.</td><td>My own words.</td>", status_code=409)
    assertContains(response, "My own words.</textarea>", status_code=409)
    reporter_author.refresh_from_db()
    assert reporter_author.bio == "Manager's bio."
    again = {**mine, "opened_version": response.context["form"]["opened_version"].value()}
    assertRedirects(reporter_client.post(PROFILE_URL, again), PROFILE_URL)
    reporter_author.refresh_from_db()
    assert reporter_author.bio == "My own words."


@pytest.mark.django_db
def test_a_profile_form_opened_twice_refuses_the_older_tab(reporter_client, reporter_author):
    first = reporter_client.get(PROFILE_URL).context["form"]["opened_version"].value()
    base = {"links-TOTAL_FORMS": "0", "links-INITIAL_FORMS": "0", "opened_version": first}
    assertRedirects(reporter_client.post(PROFILE_URL, {**base, "bio": "Tab two."}), PROFILE_URL)

    response = reporter_client.post(PROFILE_URL, {**base, "bio": "Tab one."})

    assert response.status_code == 409
    assertContains(response, "You (in another window) saved this author", status_code=409)
    reporter_author.refresh_from_db()
    assert reporter_author.bio == "Tab two."


@pytest.mark.django_db
def test_a_derived_field_save_is_not_an_edit_but_a_partial_edit_is():
    article = ArticleFactory()
    version = article.version

    article.save(update_fields=["word_count"])  # a derived field only, no `modified`
    article.refresh_from_db()
    assert article.version == version

    article.status = article.Status.DRAFT
    article.save(update_fields=["status", "modified"])
    article.refresh_from_db()
    assert article.version == version + 1
    assert article.modified_by is None


@pytest.mark.django_db
def test_a_merge_counts_as_a_save_of_the_stories_it_touches(profile_manager):
    from authors.services import merge_authors

    keep, remove = AuthorFactory(), AuthorFactory()
    story = ArticleFactory(authors=[remove])
    version = story.version

    merge_authors(keep=keep, remove=remove, by=profile_manager)

    story.refresh_from_db()
    assert story.version == version + 1
    assert Author.objects.get(pk=keep.pk).version == keep.version + 1


@pytest.mark.django_db
def test_a_save_from_a_stale_copy_still_moves_the_version_forward():
    # e.g. old values put back from a revision: the version must never repeat.
    stale = ArticleFactory()
    fresh = type(stale).objects.get(pk=stale.pk)
    fresh.save()
    fresh.save()
    saved = fresh.version

    stale.save()

    assert stale.version == saved + 1
    assert type(stale).objects.get(pk=stale.pk).version == stale.version


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_cannot_both_pass(settings):
    """The version check locks the row until the save commits (PostgreSQL; SQLite allows
    one writer at a time anyway). Whatever the interleaving, one save wins and the other
    is refused."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    from tests.articles.test_admin import change_url as article_url
    from tests.articles.test_admin import form_data

    create_newsroom_groups()
    article = ArticleFactory(authors=[AuthorFactory()])
    clients = [signed_in(UserFactory(groups=["Editors"])) for _ in range(2)]
    posts = [form_data(client.get(article_url(article))) for client in clients]
    start, results = threading.Barrier(2), []

    def save(client, data, title):
        start.wait()
        results.append(client.post(article_url(article), {**data, "title": title}).status_code)
        connections.close_all()

    threads = [
        threading.Thread(target=save, args=(client, data, f"Title {index}"))
        for index, (client, data) in enumerate(zip(clients, posts, strict=True))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [302, 409]
