import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import (
    assertContains,
    assertNotContains,
    assertRedirects,
    assertTemplateUsed,
)

from authors.models import Author, AuthorChange, AuthorLink, AuthorSlugRedirect
from tests.authors.test_models import DANGEROUS, XSS_CORPUS
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    AuthorLinkFactory,
    BylineFactory,
    ImageFactory,
    UserFactory,
    image_file,
)

PROFILE_URL = "/staff/profile/"
GENERATED_PHOTO = re.compile(r"photos/\d{4}/\d{2}/[0-9a-f]{32}\.png")


def profile_post(bio, existing=(), new=(), **extra):
    """The profile form as a browser posts it: `existing` link rows carry their id and
    come first, as the formset's initial forms; `new` rows follow as extra forms."""
    rows = [*existing, *new]
    opened = Author.objects.filter(user__username="reporter").values_list("version", flat=True)
    data = {
        "bio": bio,
        # A browser posts back the version of the profile it opened: the one saved now.
        "opened_version": str(opened.first()),
        "links-TOTAL_FORMS": str(len(rows)),
        "links-INITIAL_FORMS": str(len(existing)),
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "12",
    }
    for index, row in enumerate(rows):
        data.update({f"links-{index}-{key}": value for key, value in row.items()})
    data.update(extra)
    return data


def snapshot():
    """Every author and link row, to prove a refused or crafted request changed nothing."""
    return (
        list(Author.objects.order_by("pk").values()),
        list(AuthorLink.objects.order_by("pk").values()),
    )


def stored_files(settings):
    return [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]


# The public author page --------------------------------------------------------------


@pytest.mark.django_db
def test_author_page_shows_photo_name_role_and_bio(client):
    author = AuthorFactory(
        with_photo=True,
        name="Olena Kovalenko",
        role="Kyiv Correspondent",
        bio="Covers the city council and its budget.",
    )

    response = client.get(author.get_absolute_url())

    assertTemplateUsed(response, "authors/author_detail.html")
    assertContains(response, '<h1 class="page-title">Olena Kovalenko</h1>', html=True)
    assertContains(response, '<p class="author-role">Kyiv Correspondent</p>', html=True)
    assertContains(
        response, '<p class="author-bio">Covers the city council and its budget.</p>', html=True
    )
    square = author.photo.rendition("square96")["url"]
    assertContains(response, f'src="{square}"')
    assertContains(response, 'alt="Olena Kovalenko"')
    assertNotContains(response, author.photo.file.url)


@pytest.mark.django_db
def test_author_page_lists_their_links_with_rel_me(client):
    author = AuthorFactory(name="Olena Kovalenko")
    AuthorLinkFactory(author=author, kind=AuthorLink.Kind.WEBSITE, url="https://olena.example/")
    AuthorLinkFactory(
        author=author, kind=AuthorLink.Kind.MASTODON, url="https://mastodon.example/@olena"
    )

    response = client.get(author.get_absolute_url())

    assertContains(response, '<ul class="author-links" aria-label="Olena Kovalenko elsewhere">')
    assertContains(
        response,
        '<a href="https://olena.example/" rel="me noopener noreferrer">Website</a>',
        html=True,
    )
    assertContains(
        response,
        '<a href="https://mastodon.example/@olena" rel="me noopener noreferrer">Mastodon</a>',
        html=True,
    )


@pytest.mark.django_db
def test_author_page_lists_only_their_published_articles(client):
    author = AuthorFactory()
    colleague = AuthorFactory()
    ArticleFactory(published=True, authors=[author], title="Council agrees the budget")
    ArticleFactory(published=True, authors=[colleague, author], title="Joint investigation")
    ArticleFactory(authors=[author], title="Unfinished draft")
    ArticleFactory(scheduled=True, authors=[author], title="Embargoed until tomorrow")
    ArticleFactory(published=True, authors=[colleague], title="Somebody else's scoop")

    response = client.get(author.get_absolute_url())

    assertContains(response, "Council agrees the budget")
    assertContains(response, "Joint investigation")
    assertNotContains(response, "Unfinished draft")
    assertNotContains(response, "Embargoed until tomorrow")
    assertNotContains(response, "Somebody else")
    assert len(response.context["page"]) == 2


@pytest.mark.django_db
def test_author_page_two_continues_where_page_one_stopped(client, settings):
    settings.NEWSROOM_PAGE_SIZE = 2
    author = AuthorFactory()
    now = timezone.now()
    for hours_ago in range(1, 6):
        ArticleFactory(
            authors=[author],
            status="published",
            published_at=now - timedelta(hours=hours_ago),
            title=f"Story from {hours_ago} hours ago",
        )

    response = client.get(author.get_absolute_url(), {"page": 2})

    assert [article.title for article in response.context["page"]] == [
        "Story from 3 hours ago",
        "Story from 4 hours ago",
    ]
    assertContains(response, "<span>Page 2</span>", html=True)
    assertContains(response, 'href="?page=1" rel="prev"')
    assertContains(response, 'href="?page=3" rel="next"')


@pytest.mark.django_db
@pytest.mark.parametrize("number", ["999", "abc", "0", "-1", "1.5"])
def test_author_page_that_does_not_exist_is_a_404(client, settings, number):
    settings.NEWSROOM_PAGE_SIZE = 2
    author = AuthorFactory()
    ArticleFactory.create_batch(3, published=True, authors=[author])

    response = client.get(author.get_absolute_url(), {"page": number})

    assert response.status_code == 404
    assertTemplateUsed(response, "404.html")


@pytest.mark.django_db
def test_former_contributor_page_stays_online_and_says_they_left(client, settings):
    author = AuthorFactory(name="Taras Melnyk", is_active=False)
    ArticleFactory(published=True, authors=[author], title="An archived report")

    response = client.get(author.get_absolute_url())

    assert response.status_code == 200
    assertContains(response, f"Taras Melnyk no longer writes for {settings.NEWSROOM_SITE_NAME}.")
    assertContains(response, "An archived report")


@pytest.mark.django_db
def test_current_author_page_does_not_say_they_left(client):
    author = AuthorFactory(name="Taras Melnyk")

    assertNotContains(client.get(author.get_absolute_url()), "no longer writes")


@pytest.mark.django_db
def test_unknown_author_is_a_404(client):
    AuthorFactory(slug="olena-kovalenko")

    response = client.get("/authors/nobody-by-that-name/")

    assert response.status_code == 404
    assertTemplateUsed(response, "404.html")


@pytest.mark.django_db
def test_author_page_accepts_only_safe_methods(client):
    author = AuthorFactory()

    assert client.post(author.get_absolute_url()).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize(("articles", "links"), [(3, 1), (25, 6)])
def test_author_page_query_count_does_not_grow_with_articles_or_links(
    client, django_assert_num_queries, articles, links
):
    author = AuthorFactory(with_photo=True)
    AuthorLinkFactory.create_batch(links, author=author)
    photo = ImageFactory()
    ArticleFactory.create_batch(
        articles, published=True, authors=[author, AuthorFactory()], lead_image=photo
    )

    # author by slug with their photo, author's links (prefetch), navigation sections
    # (context processor), the page of articles with their sections and lead photos (no
    # count), and those articles' bylines with authors (the cards print co-authors), the
    # breaking-news banner (context processor). Photos print from their recorded
    # renditions: no query each.
    with django_assert_num_queries(6):
        response = client.get(author.get_absolute_url())

    assert response.status_code == 200


# The self-service profile -------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_sign_in_for_the_profile(client):
    response = client.get(PROFILE_URL)

    assertRedirects(response, f"/admin/login/?next={PROFILE_URL}")


@pytest.mark.django_db
def test_login_without_an_author_profile_gets_a_404_explaining_how_to_get_one(
    reporter_client,
):
    response = reporter_client.get(PROFILE_URL)

    assert response.status_code == 404
    assertTemplateUsed(response, "authors/no_profile.html")
    assertContains(response, "Your login has no author profile", status_code=404)
    assertContains(response, "Ask one of them to link your account", status_code=404)


@pytest.mark.django_db
def test_reporter_sees_their_profile_form_and_a_preview_card(reporter_client, reporter_author):
    reporter_author.role = "Courts Reporter"
    reporter_author.bio = "Covers the courts."
    reporter_author.save()
    AuthorLinkFactory(author=reporter_author, url="https://rita.example/")

    response = reporter_client.get(PROFILE_URL)

    assert response.status_code == 200
    assertTemplateUsed(response, "authors/profile_form.html")
    assertContains(response, '<label for="id_bio" class="form-label">Bio</label>', html=True)
    assertContains(response, '<label for="id_photo" class="form-label">Photo</label>', html=True)
    assertContains(response, 'class="textarea form-control"')
    assertContains(response, 'name="photo" class="form-control"')
    assert re.search(
        r'<input type="url" name="links-0-url" value="https://rita\.example/"[^>]*'
        r'class="urlinput form-control"',
        response.content.decode(),
    )
    assertContains(response, 'name="links-TOTAL_FORMS" value="3"')
    preview = response.content.decode().split('class="profile-preview"')[1].split("</section>")[0]
    assert "Rita Reporter" in preview
    assert "Courts Reporter" in preview
    assert "Covers the courts." in preview


@pytest.mark.django_db
def test_profile_form_offers_no_field_reserved_for_profile_managers(
    reporter_client, reporter_author
):
    response = reporter_client.get(PROFILE_URL)

    for field in ["name", "role", "slug", "user", "is_active", "email"]:
        assertNotContains(response, f'name="{field}"')


@pytest.mark.django_db
def test_reporter_updates_their_bio_photo_and_links(reporter_client, reporter_author, settings):
    kept = AuthorLinkFactory(author=reporter_author, url="https://old.example/")
    dropped = AuthorLinkFactory(author=reporter_author, url="https://dropped.example/")
    data = profile_post(
        "I cover the courts and the police.",
        existing=[
            {"id": kept.pk, "kind": "website", "url": "https://rita.example/"},
            {"id": dropped.pk, "kind": "x", "url": dropped.url, "DELETE": "on"},
        ],
        new=[{"kind": "bluesky", "url": "https://bsky.app/profile/rita.example"}],
        photo=image_file("my holiday snap.png", size=(8, 8)),
    )

    response = reporter_client.post(PROFILE_URL, data, follow=True)

    assertRedirects(response, PROFILE_URL)
    assertContains(response, "Your profile is saved.")
    reporter_author.refresh_from_db()
    assert reporter_author.bio == "I cover the courts and the police."
    # The photo went into the library, described and credited by the reporter's name.
    photo = reporter_author.photo
    assert GENERATED_PHOTO.fullmatch(photo.file.name)
    assert (settings.MEDIA_ROOT / photo.file.name).is_file()
    assert (photo.width, photo.height) == (8, 8)
    assert (photo.alt_text, photo.credit) == ("Rita Reporter", "Rita Reporter")
    assert photo.uploaded_by.username == "reporter"
    assert photo.sizes["square96"]["width"] == 8
    assert list(reporter_author.links.values_list("kind", "url")) == [
        ("website", "https://rita.example/"),
        ("bluesky", "https://bsky.app/profile/rita.example"),
    ]
    assert reporter_author.links.filter(pk=kept.pk, url="https://rita.example/").exists()
    assert not AuthorLink.objects.filter(url=dropped.url).exists()
    assertContains(response, "I cover the courts and the police.")


@pytest.mark.django_db
def test_crafted_profile_fields_outside_bio_photo_and_links_are_ignored(
    reporter_client, reporter_author
):
    other = AuthorFactory(name="Olena Kovalenko", slug="olena-kovalenko", role="Editor")
    someone = UserFactory()
    before = Author.objects.values().get(pk=reporter_author.pk)
    other_before = Author.objects.values().get(pk=other.pk)
    data = profile_post(
        "Only this should change.",
        name="Chief Editor",
        role="Editor-in-Chief",
        slug="olena-kovalenko",
        user=someone.pk,
        is_active="",
        email="attacker@example.com",
        photo_width="9999",
        created="2000-01-01T00:00:00Z",
        id=other.pk,
        pk=other.pk,
        version="999",
        modified_by=someone.pk,
    )

    response = reporter_client.post(PROFILE_URL, data)

    assertRedirects(response, PROFILE_URL)
    after = Author.objects.values().get(pk=reporter_author.pk)
    assert after["bio"] == "Only this should change."
    # The save is counted and stamped with its author, whatever the request says.
    assert after["version"] == before["version"] + 1
    assert after["modified_by_id"] == reporter_author.user_id
    unchanged = {
        key for key in before if key not in {"bio", "modified", "version", "modified_by_id"}
    }
    assert {key: after[key] for key in unchanged} == {key: before[key] for key in unchanged}
    assert Author.objects.values().get(pk=other.pk) == other_before
    assert not Author.objects.filter(user=someone).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("delete", [False, True], ids=["edit", "delete"])
def test_another_authors_link_cannot_be_edited_or_deleted_through_the_profile(
    reporter_client, reporter_author, delete
):
    theirs = AuthorLinkFactory(author=AuthorFactory(), url="https://theirs.example/")
    row = {"id": theirs.pk, "kind": "x", "url": "https://hijacked.example/"}
    if delete:
        row["DELETE"] = "on"
    before = snapshot()

    reporter_client.post(PROFILE_URL, profile_post(reporter_author.bio, existing=[row]))

    assert snapshot()[1] == before[1]
    assert AuthorLink.objects.get(pk=theirs.pk).url == "https://theirs.example/"


@pytest.mark.django_db
def test_another_authors_link_id_on_a_new_row_only_adds_a_link_to_their_own_profile(
    reporter_client, reporter_author
):
    theirs = AuthorLinkFactory(author=AuthorFactory(), url="https://theirs.example/")
    data = profile_post(
        reporter_author.bio,
        new=[{"id": theirs.pk, "kind": "x", "url": "https://rita.example/"}],
    )

    reporter_client.post(PROFILE_URL, data)

    assert AuthorLink.objects.get(pk=theirs.pk).url == "https://theirs.example/"
    assert list(reporter_author.links.values_list("url", flat=True)) == ["https://rita.example/"]


@pytest.mark.django_db
def test_a_new_link_cannot_be_attached_to_another_author(reporter_client, reporter_author):
    other = AuthorFactory()
    data = profile_post(
        reporter_author.bio,
        new=[{"author": other.pk, "kind": "x", "url": "https://planted.example/"}],
    )

    response = reporter_client.post(PROFILE_URL, data)

    assert response.status_code == 400
    assert not other.links.exists()
    assert not AuthorLink.objects.filter(url="https://planted.example/").exists()


def too_long_bio():
    return {"bio": "b" * 501}, "Ensure this value has at most 500 characters (it has 501)."


def a_nul_in_the_bio():
    # PostgreSQL cannot store NUL in text, so the form must refuse it before the database.
    return {"bio": "My bio\x00 with a NUL."}, "Null characters are not allowed."


def not_an_image():
    photo = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 definitely not a JPEG", "image/jpeg")
    return {"photo": photo}, "This file is not a photo the site can read"


def an_svg():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    return {"photo": SimpleUploadedFile("logo.svg", svg, "image/svg+xml")}, (
        "SVG drawings are not accepted because they can carry scripts."
    )


def a_script_url():
    row = {"kind": "website", "url": "javascript:alert(document.cookie)"}
    return {"links-TOTAL_FORMS": "1", "links-0-kind": row["kind"], "links-0-url": row["url"]}, (
        "Enter a valid URL."
    )


def an_oversized_photo():
    # The limit is set to 64 bytes by the test; the 8×8 PNG is larger than that.
    return {"photo": image_file("big.png", size=(8, 8))}, (
        "the largest accepted upload is 64\xa0bytes"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "invalid",
    [too_long_bio, a_nul_in_the_bio, not_an_image, an_svg, a_script_url, an_oversized_photo],
    ids=lambda make: make.__name__,
)
def test_invalid_profile_input_is_refused_with_a_message_and_nothing_is_saved(
    reporter_client, reporter_author, settings, invalid
):
    settings.NEWSROOM_MAX_UPLOAD_BYTES = 64
    reporter_author.bio = "The bio on file."
    reporter_author.save()
    fields, message = invalid()
    data = {**profile_post("My carefully typed new bio."), **fields}
    before = snapshot()

    response = reporter_client.post(PROFILE_URL, data)

    assert response.status_code == 400
    assertContains(response, message, status_code=400)
    assertContains(response, 'class="invalid-feedback"', status_code=400)
    assertContains(response, data["bio"], status_code=400)
    # The preview still shows what readers see: the saved bio.
    assertContains(response, '<p class="author-bio">The bio on file.</p>', status_code=400)
    assert snapshot() == before
    assert stored_files(settings) == []


@pytest.mark.django_db
@pytest.mark.parametrize("existing", [False, True], ids=["two new rows", "new row and saved"])
def test_the_same_link_twice_is_refused_with_a_message(reporter_client, reporter_author, existing):
    saved = AuthorLinkFactory(author=reporter_author, url="https://rita.example/")
    rows = [{"kind": "x", "url": "https://rita.example/"}]
    if existing:
        data = profile_post(
            "New bio.", existing=[{"id": saved.pk, "kind": "website", "url": saved.url}], new=rows
        )
    else:
        data = profile_post(
            "New bio.", new=[*rows, {"kind": "bluesky", "url": "https://rita.example/"}]
        )
    before = snapshot()

    response = reporter_client.post(PROFILE_URL, data)

    assertContains(response, "Please correct the duplicate data for url.", status_code=400)
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("management", "message"),
    [
        (
            {"links-TOTAL_FORMS": None, "links-INITIAL_FORMS": None},
            "ManagementForm data is missing",
        ),
        ({"links-TOTAL_FORMS": "abc"}, "ManagementForm data is missing"),
        ({"links-TOTAL_FORMS": "100000"}, "Please submit at most 12 forms."),
    ],
    ids=["missing", "not a number", "huge"],
)
def test_a_tampered_links_management_form_is_refused(
    reporter_client, reporter_author, management, message
):
    data = profile_post("New bio.")
    for key, value in management.items():
        if value is None:
            del data[key]
        else:
            data[key] = value
    before = snapshot()

    response = reporter_client.post(PROFILE_URL, data)

    assertContains(response, message, status_code=400)
    assert snapshot() == before


@pytest.mark.django_db
def test_more_than_twelve_links_are_refused(reporter_client, reporter_author):
    rows = [{"kind": "website", "url": f"https://site{n}.example/"} for n in range(13)]

    response = reporter_client.post(PROFILE_URL, profile_post("New bio.", new=rows))

    assertContains(response, "Please submit at most 12 forms.", status_code=400)
    assert not reporter_author.links.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address",
    [
        "/staff/profile/?author={other.pk}",
        "/staff/profile/?slug={other.slug}",
        "/staff/profile/?user={other.user_id}",
        "/staff/profile/{other.pk}/",
        "/staff/profile/{other.slug}/",
        "/authors/{other.slug}/edit/",
        "/authors/{other.slug}/profile/",
    ],
)
def test_reporter_cannot_reach_another_authors_profile_form(
    reporter_client, reporter_author, address
):
    other = AuthorFactory(
        name="Olena Kovalenko", bio="Olena's own words.", user=UserFactory(username="olena")
    )

    response = reporter_client.get(address.format(other=other))

    assert response.status_code in {200, 404}
    assertNotContains(response, "Olena Kovalenko", status_code=response.status_code)
    assertNotContains(response, "Olena&#x27;s own words.", status_code=response.status_code)


@pytest.mark.django_db
def test_profile_post_naming_another_author_in_the_address_edits_only_their_own(
    reporter_client, reporter_author
):
    other = AuthorFactory(bio="Olena's own words.", user=UserFactory(username="olena"))

    response = reporter_client.post(
        f"{PROFILE_URL}?author={other.pk}&user={other.user_id}", profile_post("Rita's new bio.")
    )

    assertRedirects(response, PROFILE_URL)
    reporter_author.refresh_from_db()
    other.refresh_from_db()
    assert reporter_author.bio == "Rita's new bio."
    assert other.bio == "Olena's own words."


# Profile fields on the author page ------------------------------------------------------


@pytest.mark.django_db
def test_author_page_shows_pronouns_desk_contact_and_the_long_bio(client):
    author = AuthorFactory(
        name="Olena Kovalenko",
        pronouns="she/her",
        desk="World",
        public_contact="tips@newsroom.example",
        long_bio="<p>Twelve years in <strong>Kyiv</strong>.</p><ul><li><p>Ukrainian</p></li></ul>",
    )

    response = client.get(author.get_absolute_url())

    assertContains(response, '<p class="pronouns">Pronouns: she/her</p>', html=True)
    assertContains(response, '<p class="author-desk">Desk: World</p>', html=True)
    assertContains(
        response,
        '<p class="author-contact">Contact: <a href="mailto:tips@newsroom.example" '
        'rel="noopener noreferrer">tips@newsroom.example</a></p>',
        html=True,
    )
    assertContains(
        response,
        '<div class="author-long-bio"><p>Twelve years in <strong>Kyiv</strong>.</p>'
        "<ul><li><p>Ukrainian</p></li></ul></div>",
        html=True,
    )
    assertContains(
        response, '<h2 id="about-heading" class="block-heading">About Olena Kovalenko</h2>'
    )


@pytest.mark.django_db
def test_author_page_without_the_optional_fields_prints_none_of_them(client):
    author = AuthorFactory(user=UserFactory())

    response = client.get(author.get_absolute_url())

    for absent in ["Pronouns:", "Desk:", "Contact:", "author-about", "author-guest"]:
        assertNotContains(response, absent)


@pytest.mark.django_db
def test_author_page_marks_a_guest_as_a_contributor(client):
    guest = AuthorFactory(name="Guest Writer")

    assertContains(
        client.get(guest.get_absolute_url()), '<p class="author-guest">Contributor</p>', html=True
    )


@pytest.mark.django_db
@pytest.mark.parametrize("html", XSS_CORPUS)
def test_no_script_survives_into_the_author_page_long_bio(client, html):
    author = AuthorFactory(long_bio=f"<p>Safe words.</p>{html}")

    response = client.get(author.get_absolute_url())

    page = response.content.decode()
    about = page.split('<div class="author-long-bio">', 1)[1].split("</div>", 1)[0]
    assert "Safe words." in about
    assert not DANGEROUS.search(about), about


@pytest.mark.django_db
def test_every_link_kind_is_listed_by_its_name(client):
    author = AuthorFactory(name="Olena Kovalenko")
    for position, kind in enumerate(AuthorLink.Kind):
        AuthorLinkFactory(author=author, kind=kind, position=position)

    response = client.get(author.get_absolute_url())

    html = response.content.decode()
    listed = html.split('aria-label="Olena Kovalenko elsewhere">', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r">([^<]+)</a></li>", listed) == [kind.label for kind in AuthorLink.Kind]


@pytest.mark.django_db
def test_an_old_author_address_redirects_permanently(client):
    author = AuthorFactory(slug="olena-kovalenko")
    AuthorSlugRedirect.objects.create(old_slug="o-kovalenko", author=author)

    response = client.get("/authors/o-kovalenko/?page=2")

    assert response.status_code == 301
    assert response["Location"] == "/authors/olena-kovalenko/"


@pytest.mark.django_db
def test_a_live_author_wins_over_a_redirect_with_the_same_slug(client):
    AuthorSlugRedirect.objects.create(old_slug="olena", author=AuthorFactory())
    olena = AuthorFactory(name="Olena Other", slug="olena")

    assertContains(client.get("/authors/olena/"), olena.name)


@pytest.mark.django_db
@pytest.mark.parametrize("articles", [3, 25])
def test_author_page_with_every_profile_field_keeps_its_query_count(
    client, django_assert_num_queries, articles
):
    author = AuthorFactory(
        with_photo=True,
        pronouns="they/them",
        desk="Politics",
        public_contact="https://tips.example/",
        long_bio="<p>About.</p>",
        user=UserFactory(),
    )
    AuthorLinkFactory.create_batch(3, author=author)
    for _ in range(articles):
        article = ArticleFactory(published=True, authors=[author, AuthorFactory()])
        BylineFactory(article=article, role="photographer")

    # author by slug, author's links, navigation sections, the page of articles with
    # sections (no count), their bylines with authors (every role, for the cards), the
    # breaking-news banner
    with django_assert_num_queries(6):
        assert client.get(author.get_absolute_url()).status_code == 200


# "Our team" -------------------------------------------------------------------------------


def team_sections(response):
    """[(desk heading, [names])] as the page prints them."""
    html = response.content.decode()
    sections = []
    for block in html.split('<section class="team-desk"')[1:]:
        heading = re.search(r'class="block-heading">([^<]+)</h2>', block)[1]
        names = re.findall(r'<p class="author-card-name"><a href="[^"]+">([^<]+)</a>', block)
        sections.append((heading, names))
    return sections


@pytest.mark.django_db
def test_team_page_groups_active_contributors_by_desk(client):
    for name, desk in [
        ("Zed Zorn", "Politics"),
        ("Amy Ash", ""),
        ("Bob Birch", "Business"),
        ("Ann Alder", "Politics"),
        ("Cal Cole", "Business"),
    ]:
        AuthorFactory(name=name, desk=desk)
    AuthorFactory(name="Former Fay", desk="Politics", is_active=False)

    response = client.get(reverse("authors:team"))

    assertTemplateUsed(response, "authors/team.html")
    assertContains(response, '<h1 class="page-title">Our team</h1>', html=True)
    assert team_sections(response) == [
        ("Business", ["Bob Birch", "Cal Cole"]),
        ("Politics", ["Ann Alder", "Zed Zorn"]),
        ("Contributors", ["Amy Ash"]),
    ]
    assertNotContains(response, "Former Fay")


@pytest.mark.django_db
def test_team_page_shows_photos_roles_pronouns_and_marks_guests(client):
    staff = AuthorFactory(
        with_photo=True, name="Olena Kovalenko", role="Kyiv Correspondent", user=UserFactory()
    )
    AuthorFactory(name="Guest Writer", role="Columnist", pronouns="he/him")

    response = client.get("/team/")

    assertContains(response, f'src="{staff.photo.rendition("square96")["url"]}"')
    assertContains(response, '<p class="author-role">Kyiv Correspondent</p>', html=True)
    assertContains(response, '<span class="pronouns">(he/him)</span>', html=True)
    assertContains(response, '<p class="author-guest">Contributor</p>', count=1, html=True)
    assertContains(response, f'<a href="{staff.get_absolute_url()}">Olena Kovalenko</a>')


@pytest.mark.django_db
def test_team_page_without_anyone_says_so(client):
    assertContains(client.get("/team/"), "Our team page is being written.")


@pytest.mark.django_db
@pytest.mark.parametrize("authors", [3, 30])
def test_team_page_query_count_does_not_grow_with_authors(
    client, django_assert_num_queries, authors
):
    for index in range(authors):
        author = AuthorFactory(with_photo=True, desk=f"Desk {index % 4}", user=UserFactory())
        AuthorLinkFactory(author=author)
        ArticleFactory(published=True, authors=[author])

    # the active authors in desk order; the navigation sections and the breaking-news
    # banner (context processors)
    with django_assert_num_queries(3):
        response = client.get("/team/")

    assertContains(response, 'class="team-member"', count=authors)


@pytest.mark.django_db
def test_the_footer_links_to_the_team_page(client):
    assertContains(client.get("/"), '<a href="/team/">Our team</a>', html=True)


@pytest.mark.django_db
def test_team_page_accepts_only_safe_methods(client):
    assert client.post("/team/").status_code == 405


# Self-service: long bio, pronouns, photo crops, change log --------------------------------


@pytest.mark.django_db
def test_profile_form_offers_the_long_bio_editor_and_pronouns(reporter_client, reporter_author):
    response = reporter_client.get(PROFILE_URL)

    assertContains(response, 'name="long_bio"')
    assertContains(response, "data-django-prose-editor-configurable=")
    assertContains(response, '<script type="importmap"')
    assertContains(response, 'name="pronouns"')
    for field in ["desk", "public_contact"]:
        assertNotContains(response, f'name="{field}"')


@pytest.mark.django_db
def test_profile_page_allows_the_editors_import_map_by_hash_and_nothing_inline(
    reporter_client, reporter_author
):
    response = reporter_client.get(PROFILE_URL)

    parts = response["Content-Security-Policy"].split(";")
    policy = {name: values for name, *values in (part.split() for part in parts if part.strip())}
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", response.content.decode())
    hashes = [source for source in policy["script-src"] if source.startswith("'sha256-")]
    assert inline and len(hashes) == len(inline)
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"]


@pytest.mark.django_db
def test_reporter_saves_a_long_bio_and_pronouns_and_the_change_is_recorded(
    reporter, reporter_client, reporter_author
):
    data = profile_post(
        reporter_author.bio,
        long_bio="<p>Courts <em>and</em> crime.</p><script>alert(1)</script><img onerror=x>",
        pronouns="she/her",
    )

    response = reporter_client.post(PROFILE_URL, data)

    assertRedirects(response, PROFILE_URL)
    reporter_author.refresh_from_db()
    assert reporter_author.long_bio == "<p>Courts <em>and</em> crime.</p>"
    assert reporter_author.pronouns == "she/her"
    change = AuthorChange.objects.get()
    assert change.author == reporter_author
    assert change.changed_by == reporter
    assert change.changes == {
        "long_bio": ["", "<p>Courts <em>and</em> crime.</p>"],
        "pronouns": ["", "she/her"],
    }


@pytest.mark.django_db
def test_a_new_photo_is_recorded_by_its_stored_names(reporter_client, reporter_author):
    reporter_client.post(
        PROFILE_URL, profile_post(reporter_author.bio, photo=image_file("me.png", size=(8, 8)))
    )

    reporter_author.refresh_from_db()
    assert AuthorChange.objects.get().changes == {"photo": ["", reporter_author.photo.file.name]}


@pytest.mark.django_db
def test_a_refused_profile_post_records_no_change(reporter_client, reporter_author):
    reporter_client.post(PROFILE_URL, profile_post("b" * 501))

    assert not AuthorChange.objects.exists()


@pytest.mark.django_db
def test_profile_preview_shows_the_photo_at_each_size_it_is_cropped_to(
    reporter_client, reporter_author
):
    reporter_author.photo = ImageFactory(file=image_file("portrait.png", size=(400, 300)))
    reporter_author.save()

    response = reporter_client.get(PROFILE_URL)

    preview = response.content.decode().split('class="profile-preview"')[1].split("</section>")[0]
    # Square crops of the 300-pixel-high photo: 96, 160 and (never upscaled) 300 pixels.
    crops = [reporter_author.photo.rendition(f"square{side}") for side in (96, 160, 320)]
    assert [crop["width"] for crop in crops] == [96, 160, 300]
    srcset = ", ".join(f"{crop['url']} {crop['width']}w" for crop in crops)
    for size in [160, 96, 40]:
        assert (
            f'<img class="author-photo author-photo-{size}" src="{crops[2]["url"]}" '
            f'srcset="{srcset}" sizes="{size}px" width="{size}" height="{size}" alt=""'
        ) in preview


@pytest.mark.django_db
def test_profile_preview_has_no_crops_without_a_photo(reporter_client, reporter_author):
    assertNotContains(reporter_client.get(PROFILE_URL), "photo-crops")


@pytest.mark.django_db
def test_crafted_profile_post_cannot_set_the_fields_profile_managers_own(
    reporter_client, reporter_author
):
    other = AuthorFactory(user=UserFactory())
    data = profile_post(
        "Only this.",
        desk="Front page",
        public_contact="https://evil.example/",
        author=other.pk,
        changed_by=other.user_id,
    )

    reporter_client.post(PROFILE_URL, data)

    reporter_author.refresh_from_db()
    assert (reporter_author.desk, reporter_author.public_contact) == ("", "")
    assert reporter_author.bio == "Only this."
    change = AuthorChange.objects.get()
    assert (change.author, change.changed_by) == (reporter_author, reporter_author.user)
