import pytest
from django.contrib.auth.models import Permission
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from authors.admin import AuthorAdmin
from authors.models import Author, AuthorLink
from tests.factories import ArticleFactory, AuthorFactory, AuthorLinkFactory, UserFactory

CHANGELIST = "/admin/authors/author/"


def change_url(author):
    return f"/admin/authors/author/{author.pk}/change/"


def author_form(author, new_links=(), **changes):
    """The admin change form for `author` as a browser posts it, keeping its links and
    appending `new_links` as (kind, url) rows of the inline."""
    links = list(author.links.all())
    data = {
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

    assertContains(response, f'<img src="{author.photo.url}" alt="" width="40" height="40"')
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

    # session, admin user, filtered count, total count (the "show all" link), the page of
    # authors with their logins joined and published counts as a subquery
    with django_assert_num_queries(5):
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

    with django_assert_max_num_queries(8):
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
