from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from pytest_django.asserts import (
    assertContains,
    assertNotContains,
    assertRedirects,
    assertTemplateUsed,
)

from articles.models import Byline
from authors.admin import AuthorAdmin
from authors.models import Author, AuthorChange, AuthorLink, AuthorMerge, AuthorSlugRedirect
from authors.services import merge_authors
from tests.factories import ArticleFactory, AuthorFactory, AuthorLinkFactory, UserFactory

CHANGELIST = "/admin/authors/author/"


def change_url(author):
    return f"/admin/authors/author/{author.pk}/change/"


def author_form(author, new_links=(), **changes):
    """The admin change form for `author` as a browser posts it, keeping its links and
    appending `new_links` as (kind, url) rows of the inline."""
    links = list(author.links.all())
    data = {
        # The version the browser opened: the one saved now.
        "opened_version": str(Author.objects.get(pk=author.pk).version),
        "name": author.name,
        "slug": author.slug,
        "role": author.role,
        "bio": author.bio,
        "email": author.email,
        "user": author.user_id or "",
        "is_active": "on",
        "links-TOTAL_FORMS": str(len(links) + len(new_links)),
        "links-INITIAL_FORMS": str(len(links)),
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for index, link in enumerate(links):
        data.update(
            {
                f"links-{index}-id": str(link.pk),
                f"links-{index}-author": str(author.pk),
                f"links-{index}-kind": link.kind,
                f"links-{index}-url": link.url,
                f"links-{index}-position": str(link.position),
            }
        )
    for index, (kind, url) in enumerate(new_links, start=len(links)):
        data.update(
            {
                f"links-{index}-kind": kind,
                f"links-{index}-url": url,
                f"links-{index}-position": str(index),
            }
        )
    data.update(changes)
    return data


def action_data(action, *authors):
    return {
        "action": action,
        "_selected_action": [str(author.pk) for author in authors],
        "index": "0",
        "select_across": "0",
    }


@pytest.fixture
def frozen_now(time_machine):
    now = timezone.now().replace(microsecond=0)
    time_machine.move_to(now, tick=False)
    return now


def authors_with_articles(count):
    """`count` authors, each with a photo, a login, two links and a mix of articles."""
    for _ in range(count):
        author = AuthorFactory(with_photo=True, user=UserFactory())
        AuthorLinkFactory.create_batch(2, author=author)
        ArticleFactory.create_batch(2, published=True, authors=[author])
        ArticleFactory(authors=[author])
        ArticleFactory(scheduled=True, authors=[author])


# Changelist -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_changelist_shows_thumbnail_name_role_and_active(admin_client):
    author = AuthorFactory(with_photo=True, name="Olena Kovalenko", role="Kyiv Correspondent")
    AuthorFactory(name="Taras Melnyk", is_active=False)

    response = admin_client.get(CHANGELIST)

    square = author.photo.rendition("square96")["url"]
    assertContains(response, f'<img src="{square}" alt="" width="40" height="40"')
    assertContains(response, "Olena Kovalenko")
    assertContains(response, '<td class="field-role">Kyiv Correspondent</td>', html=True)
    assertContains(response, 'class="field-is_active"><img src="/static/admin/img/icon-yes.svg"')
    assertContains(response, 'class="field-is_active"><img src="/static/admin/img/icon-no.svg"')


@pytest.mark.django_db
def test_changelist_counts_only_published_articles(admin_client):
    olena = AuthorFactory(name="Olena Kovalenko")
    taras = AuthorFactory(name="Taras Melnyk")
    AuthorFactory(name="Guest Writer")
    ArticleFactory.create_batch(2, published=True, authors=[olena])
    ArticleFactory(published=True, authors=[olena, taras])
    ArticleFactory(authors=[olena])
    ArticleFactory(scheduled=True, authors=[olena, taras])

    response = admin_client.get(CHANGELIST)

    counts = {author.name: author.published_count for author in response.context["cl"].result_list}
    assert counts == {"Olena Kovalenko": 3, "Taras Melnyk": 1, "Guest Writer": 0}
    assertContains(response, '<td class="field-published_count">3</td>', html=True)
    assertContains(response, '<td class="field-published_count">0</td>', html=True)


@pytest.mark.django_db
def test_changelist_sorts_by_published_count(admin_client):
    prolific = AuthorFactory(name="Prolific")
    AuthorFactory(name="Quiet")
    ArticleFactory.create_batch(3, published=True, authors=[prolific])
    # The changelist numbers its columns after the action checkbox, which comes first.
    column = AuthorAdmin.list_display.index("published_count") + 1

    response = admin_client.get(CHANGELIST, {"o": f"-{column}"})

    assert [author.name for author in response.context["cl"].result_list] == ["Prolific", "Quiet"]


@pytest.mark.django_db
@pytest.mark.parametrize("authors", [3, 20])
def test_changelist_query_count_does_not_grow_with_authors(
    admin_client, django_assert_num_queries, authors
):
    authors_with_articles(authors)

    # session, admin user, filtered count, total count (the "show all" link), the page
    # of authors with their logins joined and their published counts and last publish
    # times as subqueries, the desks (desk filter)
    with django_assert_num_queries(6):
        response = admin_client.get(CHANGELIST)

    assert len(response.context["cl"].result_list) == authors


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "found", "not_found"),
    [
        ("Kovalenko", "Olena Kovalenko", "Taras Melnyk"),
        ("courts", "Taras Melnyk", "Olena Kovalenko"),
    ],
)
def test_changelist_searches_name_and_role(admin_client, query, found, not_found):
    AuthorFactory(name="Olena Kovalenko", role="Kyiv Correspondent")
    AuthorFactory(name="Taras Melnyk", role="Courts Reporter")

    response = admin_client.get(CHANGELIST, {"q": query})

    assert [author.name for author in response.context["cl"].result_list] == [found]
    assertNotContains(response, not_found)


# Add and change forms -----------------------------------------------------------------


@pytest.mark.django_db
def test_add_form_loads(admin_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = admin_client.get("/admin/authors/author/add/")

    assert response.status_code == 200
    assertContains(response, 'name="links-TOTAL_FORMS"')


@pytest.mark.django_db
def test_change_form_loads_with_the_links_inline(admin_client, django_assert_max_num_queries):
    author = AuthorFactory(with_photo=True, user=UserFactory())
    AuthorLinkFactory.create_batch(5, author=author)
    ArticleFactory.create_batch(3, published=True, authors=[author])

    # Constant in links and stories: the savepoint the revision-keeping change view opens
    # and releases, and the chosen library portrait for the photo picker, come on top.
    with django_assert_max_num_queries(10):
        response = admin_client.get(change_url(author))

    assert response.status_code == 200
    assertContains(response, 'name="links-INITIAL_FORMS" value="5"')
    assertContains(response, 'class="viewsitelink"')


# Who may do what ------------------------------------------------------------------------


@pytest.mark.django_db
def test_profile_manager_can_edit_an_author_and_add_a_link(profile_manager_client):
    author = AuthorFactory(name="Olena Kovalenko", role="Reporter")
    AuthorLinkFactory(author=author, url="https://olena.example/")
    data = author_form(
        author, new_links=[("bluesky", "https://bsky.app/profile/olena")], role="Kyiv Bureau Chief"
    )

    response = profile_manager_client.post(change_url(author), data)

    assertRedirects(response, CHANGELIST)
    author.refresh_from_db()
    assert author.role == "Kyiv Bureau Chief"
    assert list(author.links.values_list("url", flat=True)) == [
        "https://olena.example/",
        "https://bsky.app/profile/olena",
    ]


@pytest.mark.django_db
def test_profile_manager_can_link_an_author_to_a_login(profile_manager_client, reporter):
    author = AuthorFactory()

    response = profile_manager_client.post(
        change_url(author), author_form(author, user=reporter.pk)
    )

    assertRedirects(response, CHANGELIST)
    author.refresh_from_db()
    assert author.user == reporter


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["/admin/articles/article/", "/admin/articles/article/add/"])
def test_profile_manager_is_refused_the_article_admin(profile_manager_client, address):
    assert profile_manager_client.get(address).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["reporter", "profile_manager"])
def test_profile_manager_cannot_change_anyones_permissions(profile_manager_client, request, target):
    user = request.getfixturevalue(target)
    groups_before = set(user.groups.values_list("name", flat=True))
    data = {
        "username": user.username,
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "groups": [],
        "user_permissions": list(Permission.objects.values_list("pk", flat=True)),
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2025-01-01",
        "date_joined_1": "00:00:00",
    }

    response = profile_manager_client.post(f"/admin/auth/user/{user.pk}/change/", data)

    assert response.status_code == 403
    user.refresh_from_db()
    assert not user.is_superuser
    assert not user.user_permissions.exists()
    assert set(user.groups.values_list("name", flat=True)) == groups_before


@pytest.mark.django_db
def test_profile_manager_sees_a_login_read_only(profile_manager_client, reporter):
    response = profile_manager_client.get(f"/admin/auth/user/{reporter.pk}/change/")

    assert response.status_code == 200
    for field in ["user_permissions", "groups", "is_superuser", "is_staff", "username"]:
        assertNotContains(response, f'name="{field}"')
    assertNotContains(response, 'name="_save"')


@pytest.mark.django_db
def test_profile_manager_cannot_set_a_password(profile_manager_client, reporter):
    response = profile_manager_client.get(f"/admin/auth/user/{reporter.pk}/password/")

    assert response.status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("whose", ["own", "colleague"])
def test_reporter_cannot_change_an_author_in_the_admin(reporter_client, reporter_author, whose):
    author = reporter_author if whose == "own" else AuthorFactory(name="Olena Kovalenko")
    before = Author.objects.values().get(pk=author.pk)
    data = author_form(
        author, new_links=[("x", "https://x.example/planted")], name="Renamed", is_active=""
    )

    response = reporter_client.post(change_url(author), data)

    assert response.status_code == 403
    assert Author.objects.values().get(pk=author.pk) == before
    assert not AuthorLink.objects.exists()


@pytest.mark.django_db
def test_reporter_cannot_add_an_author_in_the_admin(reporter_client):
    assert reporter_client.get("/admin/authors/author/add/").status_code == 403


# New columns, filters and search ------------------------------------------------------------


@pytest.mark.django_db
def test_changelist_shows_desk_linked_login_and_last_published(admin_client, frozen_now):
    author = AuthorFactory(name="Olena Kovalenko", desk="World", user=UserFactory(username="olena"))
    ArticleFactory(published=True, authors=[author], published_at=frozen_now - timedelta(days=3))
    ArticleFactory(published=True, authors=[author], published_at=frozen_now - timedelta(days=1))
    ArticleFactory(scheduled=True, authors=[author])
    AuthorFactory(name="Quiet Guest")

    response = admin_client.get(CHANGELIST)

    rows = {row.name: row for row in response.context["cl"].result_list}
    assert rows["Olena Kovalenko"].last_published == frozen_now - timedelta(days=1)
    assert rows["Quiet Guest"].last_published is None
    assertContains(response, '<td class="field-desk">World</td>', html=True)
    assertContains(response, '<td class="field-user nowrap">olena</td>', html=True)
    assertContains(response, '<td class="field-last_published">—</td>', html=True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("filters", "names"),
    [
        ({"desk": "World"}, ["Olena Kovalenko"]),
        ({"is_active__exact": "0"}, ["Taras Melnyk"]),
        ({"desk": "-"}, ["Guest Writer"]),
        ({"login": "no"}, ["Guest Writer", "Taras Melnyk"]),
        ({"login": "yes"}, ["Olena Kovalenko"]),
        ({"q": "sport"}, ["Taras Melnyk"]),
        ({"q": "columnist"}, ["Guest Writer"]),
    ],
)
def test_changelist_filters_by_desk_activity_and_login_and_searches_role_and_desk(
    admin_client, filters, names
):
    AuthorFactory(name="Olena Kovalenko", desk="World", user=UserFactory())
    AuthorFactory(name="Taras Melnyk", desk="Sport", is_active=False)
    AuthorFactory(name="Guest Writer", role="Columnist")

    response = admin_client.get(CHANGELIST, filters)

    assert [author.name for author in response.context["cl"].result_list] == names


@pytest.mark.django_db
def test_profile_manager_edits_the_new_profile_fields(profile_manager_client):
    author = AuthorFactory()
    data = author_form(
        author,
        desk="Business",
        pronouns="they/them",
        public_contact="tips@newsroom.example",
        long_bio='<p>Long <a href="javascript:alert(1)">bio</a>.</p>',
    )

    response = profile_manager_client.post(change_url(author), data)

    assertRedirects(response, CHANGELIST)
    author.refresh_from_db()
    assert (author.desk, author.pronouns) == ("Business", "they/them")
    assert author.public_contact == "tips@newsroom.example"
    assert author.long_bio == "<p>Long <a>bio</a>.</p>"


@pytest.mark.django_db
def test_profile_manager_deactivates_and_unlinks_an_author(profile_manager_client, reporter):
    author = AuthorFactory(user=reporter)

    response = profile_manager_client.post(
        change_url(author), {**author_form(author), "is_active": "", "user": ""}
    )

    assertRedirects(response, CHANGELIST)
    author.refresh_from_db()
    assert (author.is_active, author.user) == (False, None)


@pytest.mark.django_db
def test_mark_former_action_deactivates_the_selected_authors(profile_manager_client):
    leaving, staying = AuthorFactory(), AuthorFactory()

    profile_manager_client.post(CHANGELIST, action_data("mark_former", leaving))

    leaving.refresh_from_db()
    staying.refresh_from_db()
    assert (leaving.is_active, staying.is_active) == (False, True)


@pytest.mark.django_db
def test_changing_a_slug_in_the_admin_leaves_a_redirect(profile_manager_client, client):
    author = AuthorFactory(slug="o-kovalenko")

    profile_manager_client.post(change_url(author), author_form(author, slug="olena-kovalenko"))

    assert AuthorSlugRedirect.objects.get().old_slug == "o-kovalenko"
    response = client.get("/authors/o-kovalenko/")
    assert (response.status_code, response["Location"]) == (301, "/authors/olena-kovalenko/")


# Merging duplicates ------------------------------------------------------------------------


@pytest.fixture
def duplicates(db):
    keep = AuthorFactory(name="Olena Kovalenko", slug="olena-kovalenko")
    remove = AuthorFactory(name="O. Kovalenko", slug="o-kovalenko")
    shared = ArticleFactory(published=True, authors=[remove, keep])
    theirs = ArticleFactory.create_batch(2, published=True, authors=[remove])
    return keep, remove, shared, theirs


@pytest.mark.django_db
def test_merge_action_first_asks_which_author_to_keep(profile_manager_client, duplicates):
    keep, remove, *_ = duplicates

    response = profile_manager_client.post(CHANGELIST, action_data("merge_selected", keep, remove))

    assert response.status_code == 200
    assertTemplateUsed(response, "admin/authors/author/merge.html")
    assertContains(response, 'type="radio" name="keep"', count=2)
    assertContains(
        response, "O. Kovalenko (/authors/o-kovalenko/, Politics Reporter, no login, 3 published)"
    )
    assertContains(response, '<input type="hidden" name="confirm" value="yes">', html=True)
    assert Author.objects.count() == 2


@pytest.mark.django_db
def test_merge_action_merges_redirects_and_records(profile_manager_client, client, duplicates):
    keep, remove, shared, theirs = duplicates
    data = {**action_data("merge_selected", keep, remove), "confirm": "yes", "keep": keep.pk}
    del data["index"]

    response = profile_manager_client.post(CHANGELIST, data, follow=True)

    assertContains(response, "Merged O. Kovalenko into Olena Kovalenko.")
    assert list(Author.objects.values_list("slug", flat=True)) == ["olena-kovalenko"]
    assert Byline.objects.filter(author=keep).count() == 3
    assert shared.bylines.count() == 1
    merge = AuthorMerge.objects.get()
    assert (merge.kept, merge.removed_slug, merge.merged_by.username) == (
        keep,
        "o-kovalenko",
        "profiles",
    )
    redirect = client.get("/authors/o-kovalenko/")
    assert (redirect.status_code, redirect["Location"]) == (301, "/authors/olena-kovalenko/")
    page = client.get(keep.get_absolute_url())
    assert len(page.context["page"]) == 3


@pytest.mark.django_db
def test_merging_three_duplicates_keeps_the_chosen_one(profile_manager_client, duplicates):
    keep, remove, *_ = duplicates
    third = AuthorFactory(name="Olena K.", slug="olena-k")
    ArticleFactory(published=True, authors=[third])
    data = {
        **action_data("merge_selected", keep, remove, third),
        "confirm": "yes",
        "keep": keep.pk,
    }
    del data["index"]

    profile_manager_client.post(CHANGELIST, data)

    assert list(Author.objects.all()) == [keep]
    assert keep.bylines.count() == 4
    assert AuthorMerge.objects.count() == 2


@pytest.mark.django_db
def test_merge_action_needs_two_authors(profile_manager_client, duplicates):
    keep, *_ = duplicates

    response = profile_manager_client.post(
        CHANGELIST, action_data("merge_selected", keep), follow=True
    )

    assertContains(response, "Select two or more authors to merge.")
    assert Author.objects.count() == 2


@pytest.mark.django_db
def test_merge_action_refuses_a_kept_author_outside_the_selection(
    profile_manager_client, duplicates
):
    keep, remove, *_ = duplicates
    outsider = AuthorFactory()
    data = {**action_data("merge_selected", keep, remove), "confirm": "yes", "keep": outsider.pk}
    del data["index"]

    response = profile_manager_client.post(CHANGELIST, data)

    assert response.status_code == 200
    assertContains(response, "Choose one of the selected profiles to keep.")
    assert Author.objects.count() == 3
    assert not AuthorMerge.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["editor_client", "reporter_client"])
def test_only_profile_managers_may_merge(request, who, duplicates):
    keep, remove, *_ = duplicates
    staff = request.getfixturevalue(who)
    data = {**action_data("merge_selected", keep, remove), "confirm": "yes", "keep": keep.pk}
    del data["index"]

    response = staff.post(CHANGELIST, data)

    assert response.status_code in {200, 302, 403}
    assert Author.objects.count() == 2
    assert not AuthorMerge.objects.exists()


@pytest.mark.django_db
def test_the_merge_log_is_read_only(profile_manager_client, duplicates):
    keep, remove, *_ = duplicates
    merge = merge_authors(keep=keep, remove=remove, by=None)

    listing = profile_manager_client.get("/admin/authors/authormerge/")
    detail = profile_manager_client.get(f"/admin/authors/authormerge/{merge.pk}/change/")

    assertContains(listing, "O. Kovalenko")
    assert detail.status_code == 200
    assertNotContains(detail, 'name="_save"')
    assert profile_manager_client.get("/admin/authors/authormerge/add/").status_code == 403
    delete = profile_manager_client.post(
        f"/admin/authors/authormerge/{merge.pk}/delete/", {"post": "yes"}
    )
    assert delete.status_code == 403
    assert AuthorMerge.objects.exists()


# The self-service change log -------------------------------------------------------------------


@pytest.fixture
def change(reporter, reporter_author):
    reporter_author.bio = "Spam, spam, spam."
    reporter_author.save()
    return AuthorChange.objects.create(
        author=reporter_author,
        changed_by=reporter,
        changes={
            "bio": ["Covers the courts.", "Spam, spam, spam."],
            "links": [[["website", "https://rita.example/"]], []],
        },
    )


@pytest.mark.django_db
def test_profile_managers_read_the_change_log_with_old_and_new_values(
    profile_manager_client, change
):
    listing = profile_manager_client.get("/admin/authors/authorchange/")
    detail = profile_manager_client.get(f"/admin/authors/authorchange/{change.pk}/change/")

    assertContains(listing, '<td class="field-changed_fields">bio, links</td>', html=True)
    assertContains(
        detail,
        "<tr><td>bio</td><td>Covers the courts.</td><td>Spam, spam, spam.</td></tr>",
        html=True,
    )
    assertContains(
        detail,
        "<tr><td>links</td><td>website: https://rita.example/</td><td>—</td></tr>",
        html=True,
    )
    assertNotContains(detail, 'name="_save"')
    assert profile_manager_client.get("/admin/authors/authorchange/add/").status_code == 403


@pytest.mark.django_db
def test_a_profile_manager_reverts_a_change_from_the_log(
    profile_manager_client, profile_manager, change, reporter_author
):
    response = profile_manager_client.post(
        "/admin/authors/authorchange/", action_data("revert_selected", change), follow=True
    )

    assertContains(response, "1 change(s) reverted.")
    reporter_author.refresh_from_db()
    assert reporter_author.bio == "Covers the courts."
    assert list(reporter_author.links.values_list("url", flat=True)) == ["https://rita.example/"]
    change.refresh_from_db()
    assert change.reverted_by == profile_manager
    assert AuthorChange.objects.filter(reverts=change).exists()


@pytest.mark.django_db
def test_reverting_twice_warns_and_changes_nothing(profile_manager_client, change, reporter_author):
    profile_manager_client.post(
        "/admin/authors/authorchange/", action_data("revert_selected", change)
    )
    reporter_author.refresh_from_db()
    reporter_author.bio = "Edited again since."
    reporter_author.save()

    response = profile_manager_client.post(
        "/admin/authors/authorchange/", action_data("revert_selected", change), follow=True
    )

    assertContains(response, f"Change #{change.pk} was already reverted.")
    reporter_author.refresh_from_db()
    assert reporter_author.bio == "Edited again since."


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["editor_client", "reporter_client"])
def test_editors_and_reporters_cannot_read_or_revert_the_change_log(request, who, change):
    staff = request.getfixturevalue(who)

    assert staff.get("/admin/authors/authorchange/").status_code == 403
    response = staff.post("/admin/authors/authorchange/", action_data("revert_selected", change))

    assert response.status_code == 403
    change.refresh_from_db()
    assert not change.is_reverted


@pytest.mark.django_db
def test_profile_manager_manages_author_address_redirects(profile_manager_client):
    author = AuthorFactory()

    response = profile_manager_client.post(
        "/admin/authors/authorslugredirect/add/", {"old_slug": "old-name", "author": author.pk}
    )

    assert response.status_code == 302
    assert AuthorSlugRedirect.objects.get().author == author


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address",
    [
        "/admin/authors/authorchange/",
        "/admin/authors/authormerge/",
        "/admin/authors/authorslugredirect/",
        "/admin/authors/authorslugredirect/add/",
    ],
)
def test_the_new_admin_pages_load(admin_client, django_assert_max_num_queries, address):
    AuthorChange.objects.create(author=AuthorFactory(), changes={"bio": ["a", "b"]})

    with django_assert_max_num_queries(8):
        assert admin_client.get(address).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("changes", [3, 30])
def test_change_log_query_count_does_not_grow(admin_client, django_assert_num_queries, changes):
    for _ in range(changes):
        AuthorChange.objects.create(
            author=AuthorFactory(), changed_by=UserFactory(), changes={"bio": ["a", "b"]}
        )

    # session, user, filtered count, total count, the date hierarchy's years, site settings
    # (the sidebar), the page of changes with authors and users joined
    with django_assert_num_queries(7):
        admin_client.get("/admin/authors/authorchange/")
