"""Exact purge (articles/caching.py): every article event refreshes every page showing the
story at once, and scheduled stories appear on time with the page cache on."""

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from articles import services
from articles.caching import forget_next_visibility_change, next_visibility_change
from articles.models import Article, Correction, HomeSlot
from authors.forms import LinkFormSet, ProfileForm
from authors.models import Author
from authors.services import save_own_profile
from tests.articles.test_admin import action_data, change_url, form_data
from tests.authors.test_admin import author_form
from tests.authors.test_admin import change_url as author_change_url
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ImageFactory,
    SectionFactory,
    TagFactory,
)
from tests.test_cache import RecordingPurge

NOW = datetime(2026, 3, 16, 9, 0, tzinfo=ZoneInfo("Europe/Kyiv"))
CHANGELIST = "/admin/articles/article/"


@pytest.fixture(
    params=[(False, False), (True, False), (True, True)],
    ids=["pages", "pages+fragments", "pages+fragments+stored"],
)
def page_cache(request, settings, time_machine):
    """The page cache on, alone, with the fragment cache, and with both the fragment cache
    and stored stories as production runs them."""
    time_machine.move_to(NOW, tick=False)
    settings.NEWSROOM_PAGE_CACHE = True
    settings.NEWSROOM_FRAGMENT_CACHE, settings.NEWSROOM_STORED_STORIES = request.param
    settings.NEWSROOM_PURGE_BACKENDS = [
        "newsroom.cache.PageCachePurge",
        "tests.test_cache.RecordingPurge",
    ]
    RecordingPurge.purged = []
    return RecordingPurge.purged


@pytest.fixture
def newsroom(db):
    """A live story by two writers in City, tagged Budget, with a neighbour in Sport."""
    city, sport = SectionFactory(slug="city"), SectionFactory(slug="sport")
    ana, ben = AuthorFactory(slug="ana"), AuthorFactory(slug="ben")
    budget = TagFactory(slug="budget")
    story = ArticleFactory(
        title="Council agrees budget",
        slug="council-agrees-budget",
        section=city,
        tags=[budget],
        authors=[ana, ben],
        status=Article.Status.PUBLISHED,
        published_at=NOW - timedelta(hours=2),
    )
    neighbour = ArticleFactory(
        title="Derby ends level",
        section=sport,
        status=Article.Status.PUBLISHED,
        published_at=NOW - timedelta(hours=3),
    )
    return {
        "story": story,
        "neighbour": neighbour,
        "city": city,
        "sport": sport,
        "ana": ana,
        "ben": ben,
        "budget": budget,
    }


# The pages that show the story, and how the story appears on each.
LISTS = [
    "/",
    "/news/",
    "/section/city/",
    "/tag/budget/",
    "/authors/ana/",
    "/authors/ben/",
    "/feed/",
    "/feed/atom/",
    "/section/city/feed/",
    "/tag/budget/feed/",
    "/authors/ana/feed/atom/",
    "/authors/ben/feed/",
    "/sitemap-news.xml",
]
STORY_PAGE = "/news/council-agrees-budget/"
NEIGHBOUR_LISTS = ["/section/sport/", "/team/", "/robots.txt"]


def warm(client, addresses):
    for address in addresses:
        client.get(address)
        assert client.get(address)["X-Cache"] == "hit", address


@pytest.mark.django_db
def test_publishing_shows_the_story_at_once_on_every_page_that_lists_it(
    client, page_cache, newsroom, editor, django_capture_on_commit_callbacks
):
    draft = ArticleFactory(
        title="Mayor resigns",
        slug="mayor-resigns",
        section=newsroom["city"],
        tags=[newsroom["budget"]],
        authors=[newsroom["ana"], newsroom["ben"]],
        status=Article.Status.DRAFT,
        ready=True,
    )
    warm(client, [*LISTS, STORY_PAGE, *NEIGHBOUR_LISTS])

    with django_capture_on_commit_callbacks(execute=True):
        services.publish_article(article=draft, by=editor)

    for address in [*LISTS, STORY_PAGE]:
        assertContains(client.get(address), "Mayor resigns", msg_prefix=address)
    assertContains(client.get("/sitemap-articles-2026-03.xml"), "mayor-resigns")
    assert client.get("/news/mayor-resigns/").status_code == 200
    # Pages that cannot show it keep their cached copy.
    assert [client.get(a)["X-Cache"] for a in NEIGHBOUR_LISTS] == ["hit"] * 3


@pytest.mark.django_db
def test_publishing_purges_exactly_the_keys_of_the_story(
    client, page_cache, newsroom, editor, django_capture_on_commit_callbacks
):
    draft = ArticleFactory(
        section=newsroom["city"], tags=[newsroom["budget"]], authors=[newsroom["ana"]], ready=True
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.publish_article(article=draft, by=editor)

    assert page_cache == [
        sorted(
            [
                "home",
                "newsfeed",
                "sitemaps",
                f"article:{draft.pk}",
                f"section:{newsroom['city'].pk}",
                f"tag:{newsroom['budget'].pk}",
                f"author:{newsroom['ana'].pk}",
            ]
        )
    ]


@pytest.mark.django_db
def test_unpublishing_takes_the_story_off_every_page_at_once(
    client, page_cache, newsroom, editor, django_capture_on_commit_callbacks
):
    warm(client, [*LISTS, STORY_PAGE])

    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish_article(article=newsroom["story"], by=editor)

    for address in LISTS:
        assertNotContains(client.get(address), "Council agrees budget", msg_prefix=address)
    assert client.get(STORY_PAGE).status_code == 404


@pytest.mark.django_db
def test_marking_an_update_shows_updated_at_once(
    client, page_cache, newsroom, editor, django_capture_on_commit_callbacks
):
    warm(client, [STORY_PAGE, "/news/", "/section/city/"])

    with django_capture_on_commit_callbacks(execute=True):
        services.mark_updated(article=newsroom["story"], by=editor)

    assertContains(client.get(STORY_PAGE), "Updated:")
    assertContains(client.get("/news/"), "(Updated:")
    assertContains(client.get("/section/city/"), '<span class="updated">Updated</span>')


@pytest.mark.django_db
def test_every_article_page_refreshes_its_more_news_list_on_a_publish(
    client, page_cache, newsroom, editor, django_capture_on_commit_callbacks
):
    neighbour = newsroom["neighbour"].get_absolute_url()
    warm(client, [neighbour])
    draft = ArticleFactory(
        title="Mayor resigns", section=newsroom["sport"], ready=True, authors=[AuthorFactory()]
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.publish_article(article=draft, by=editor)

    assertContains(client.get(neighbour), "Mayor resigns")


# The admin -----------------------------------------------------------------------------------


def admin_save(editor_client, article, **changes):
    data = form_data(editor_client.get(change_url(article)))
    if article.is_published:
        data["update_kind"] = "minor"  # a live story's save says what kind it is
    data.update(changes)
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return data


@pytest.mark.django_db
def test_an_edit_in_the_admin_refreshes_every_page_showing_the_story(
    editor, page_cache, newsroom, django_capture_on_commit_callbacks
):
    reader, staff = Client(), Client()
    staff.force_login(editor)
    warm(reader, [*LISTS, STORY_PAGE])

    with django_capture_on_commit_callbacks(execute=True):
        admin_save(staff, newsroom["story"], title="Council rejects budget")

    for address in [*LISTS, STORY_PAGE]:
        response = reader.get(address)
        assertContains(response, "Council rejects budget", msg_prefix=address)
        assertNotContains(response, "Council agrees budget", msg_prefix=address)


@pytest.mark.django_db
def test_a_writer_taken_off_the_byline_loses_the_story_from_their_page_at_once(
    editor, page_cache, newsroom, django_capture_on_commit_callbacks
):
    reader, staff = Client(), Client()
    staff.force_login(editor)
    warm(reader, ["/authors/ana/", "/authors/ben/", "/authors/ben/feed/"])
    data = form_data(staff.get(change_url(newsroom["story"])))
    ben = str(newsroom["ben"].pk)
    ben_row = next(key for key, value in data.items() if key.endswith("-author") and value == ben)

    with django_capture_on_commit_callbacks(execute=True):
        admin_save(staff, newsroom["story"], **{ben_row.replace("-author", "-DELETE"): "on"})

    assert list(newsroom["story"].authors.all()) == [newsroom["ana"]]
    assertNotContains(reader.get("/authors/ben/"), "Council agrees budget")
    assertNotContains(reader.get("/authors/ben/feed/"), "Council agrees budget")
    assertContains(reader.get("/authors/ana/"), "Council agrees budget")


def older_story_in(section, newsroom, editor):
    """ "Rates frozen", 40 days old, in `section`, behind six new stories in Sport that fill
    "More news" (which "Related" never repeats); a reader who has seen the story page, and
    the editor's client."""
    ArticleFactory.create_batch(
        6,
        section=newsroom["sport"],
        status=Article.Status.PUBLISHED,
        published_at=NOW - timedelta(minutes=5),
    )
    older = ArticleFactory(
        title="Rates frozen",
        section=section,
        status=Article.Status.PUBLISHED,
        published_at=NOW - timedelta(days=40),
    )
    reader, staff = Client(), Client()
    staff.force_login(editor)
    warm(reader, [STORY_PAGE])
    return older, reader, staff


@pytest.mark.django_db
def test_a_story_given_a_tag_joins_related_on_the_stories_sharing_it_at_once(
    editor, page_cache, newsroom, django_capture_on_commit_callbacks
):
    older, reader, staff = older_story_in(newsroom["sport"], newsroom, editor)
    assertNotContains(reader.get(STORY_PAGE), "Rates frozen")

    with django_capture_on_commit_callbacks(execute=True):
        admin_save(staff, older, tags=[str(newsroom["budget"].pk)])

    assert [item["pk"] for item in reader.get(STORY_PAGE).context["related"]] == [older.pk]


@pytest.mark.django_db
def test_a_retitled_story_is_retitled_in_related_on_the_other_stories_at_once(
    editor, page_cache, newsroom, django_capture_on_commit_callbacks
):
    older, reader, staff = older_story_in(newsroom["city"], newsroom, editor)
    assertContains(reader.get(STORY_PAGE), "Rates frozen")

    with django_capture_on_commit_callbacks(execute=True):
        admin_save(staff, older, title="Rates cut")

    response = reader.get(STORY_PAGE)
    assertContains(response, f'<a href="{older.get_absolute_url()}">Rates cut</a>')
    assertNotContains(response, "Rates frozen")


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["delete page", "delete action"])
def test_deleting_a_tag_takes_its_page_and_its_name_off_the_stories_at_once(
    admin_client, page_cache, newsroom, how, django_capture_on_commit_callbacks
):
    budget = newsroom["budget"]
    reader = Client()
    warm(reader, ["/tag/budget/", "/tag/budget/feed/", STORY_PAGE])

    with django_capture_on_commit_callbacks(execute=True):
        if how == "delete page":
            response = admin_client.post(
                f"/admin/articles/tag/{budget.pk}/delete/", {"post": "yes"}
            )
        else:
            data = {"action": "delete_selected", "_selected_action": [budget.pk], "post": "yes"}
            response = admin_client.post("/admin/articles/tag/", data)
    assert response.status_code == 302

    assert reader.get("/tag/budget/").status_code == 404
    assert reader.get("/tag/budget/feed/").status_code == 404
    assertNotContains(reader.get(STORY_PAGE), 'href="/tag/budget/"')


@pytest.mark.django_db
def test_moving_a_story_to_another_section_refreshes_both_sections(
    editor, page_cache, newsroom, django_capture_on_commit_callbacks
):
    reader, staff = Client(), Client()
    staff.force_login(editor)
    warm(reader, ["/section/city/", "/section/sport/", "/tag/budget/"])

    with django_capture_on_commit_callbacks(execute=True):
        admin_save(staff, newsroom["story"], section=str(newsroom["sport"].pk), tags=[])

    assertNotContains(reader.get("/section/city/"), "Council agrees budget")
    assertContains(reader.get("/section/sport/"), "Council agrees budget")
    assertNotContains(reader.get("/tag/budget/"), "Council agrees budget")


@pytest.mark.django_db
def test_deleting_a_story_in_the_admin_takes_it_off_every_page(
    editor, page_cache, newsroom, django_capture_on_commit_callbacks
):
    reader, staff = Client(), Client()
    staff.force_login(editor)
    warm(reader, [*LISTS, STORY_PAGE])
    url = f"/admin/articles/article/{newsroom['story'].pk}/delete/"

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(url, {"post": "yes"})

    assert response.status_code == 302
    # Moved to the Trash: kept for restoring, gone from every public page.
    assert Article.objects.get(pk=newsroom["story"].pk).trashed_at is not None
    for address in LISTS:
        assertNotContains(reader.get(address), "Council agrees budget", msg_prefix=address)
    assert reader.get(STORY_PAGE).status_code == 404


@pytest.mark.django_db
def test_the_publish_and_unpublish_actions_refresh_the_pages(
    editor, page_cache, newsroom, django_capture_on_commit_callbacks
):
    reader, staff = Client(), Client()
    staff.force_login(editor)
    draft = ArticleFactory(
        title="Mayor resigns", section=newsroom["city"], ready=True, authors=[AuthorFactory()]
    )
    warm(reader, ["/", "/section/city/"])

    with django_capture_on_commit_callbacks(execute=True):
        staff.post(CHANGELIST, action_data("publish_selected", draft))
    assertContains(reader.get("/section/city/"), "Mayor resigns")

    with django_capture_on_commit_callbacks(execute=True):
        staff.post(CHANGELIST, action_data("unpublish_selected", draft))
    assertNotContains(reader.get("/"), "Mayor resigns")


@pytest.mark.django_db
def test_renaming_a_section_refreshes_the_navigation_on_every_page(
    admin_client, page_cache, newsroom, django_capture_on_commit_callbacks
):
    reader = Client()
    warm(reader, ["/team/", STORY_PAGE])
    url = f"/admin/articles/section/{newsroom['sport'].pk}/change/"

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, {"name": "Football", "slug": "sport", "position": "1"})

    assertContains(reader.get("/team/"), "Football")
    assertContains(reader.get(STORY_PAGE), "Football")


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["delete page", "delete action"])
def test_deleting_an_author_takes_them_off_the_team_page_and_the_search_filter_at_once(
    admin_client, page_cache, newsroom, how, django_capture_on_commit_callbacks
):
    leaving = AuthorFactory(name="Zoe Zed", slug="zoe-zed", desk="Politics")
    reader = Client()
    warm(reader, ["/team/"])
    assertContains(reader.get("/search/"), '<option value="zoe-zed">Zoe Zed</option>')

    with django_capture_on_commit_callbacks(execute=True):
        if how == "delete page":
            url = f"/admin/authors/author/{leaving.pk}/delete/"
            response = admin_client.post(url, {"post": "yes"})
        else:
            data = {"action": "delete_selected", "_selected_action": [leaving.pk], "post": "yes"}
            response = admin_client.post("/admin/authors/author/", data)
    assert response.status_code == 302

    assertNotContains(reader.get("/team/"), "Zoe Zed")
    assertNotContains(reader.get("/search/"), "Zoe Zed")


@pytest.mark.django_db
def test_a_new_section_and_a_renamed_author_reach_the_search_filters_at_once(
    admin_client, page_cache, newsroom, django_capture_on_commit_callbacks
):
    reader = Client()
    reader.get("/search/")
    ana = newsroom["ana"]

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/admin/articles/section/add/", {"name": "Weather", "slug": "weather", "position": 9}
        )
        admin_client.post(author_change_url(ana), author_form(ana, name="Ana Lima"))

    page = reader.get("/search/")
    assertContains(page, '<option value="weather">Weather</option>')
    assertContains(page, '<option value="ana">Ana Lima</option>')


# Schedules -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_scheduled_story_appears_on_time_on_cached_pages(
    client, page_cache, newsroom, time_machine
):
    at = NOW + timedelta(minutes=30)
    ArticleFactory(
        title="Polls close",
        section=newsroom["city"],
        tags=[newsroom["budget"]],
        authors=[newsroom["ana"]],
        status=Article.Status.PUBLISHED,
        published_at=at,
    )
    time_machine.move_to(at - timedelta(seconds=1), tick=False)
    pages = ["/", "/news/", "/section/city/", "/tag/budget/", "/authors/ana/", "/feed/", STORY_PAGE]
    for address in pages:
        response = client.get(address)
        assertNotContains(response, "Polls close")
        assert response["X-Cache"] == "miss"
        assert "s-maxage=1" in response["Cache-Control"], address
    assert client.get("/")["X-Cache"] == "hit"

    time_machine.move_to(at + timedelta(seconds=1), tick=False)

    for address in pages:
        assertContains(client.get(address), "Polls close", msg_prefix=address)


@pytest.mark.django_db
def test_scheduling_a_story_shortens_what_is_already_cached(
    client, page_cache, newsroom, editor, django_capture_on_commit_callbacks, time_machine
):
    warm(client, ["/"])  # cached for the full TTL: nothing was scheduled
    draft = ArticleFactory(
        title="Polls close", section=newsroom["city"], ready=True, authors=[AuthorFactory()]
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_article(article=draft, by=editor, at=NOW + timedelta(seconds=20))

    response = client.get("/")
    assert "s-maxage=20" in response["Cache-Control"]
    time_machine.move_to(NOW + timedelta(seconds=20), tick=False)
    assertContains(client.get("/"), "Polls close")


@pytest.mark.django_db
def test_the_next_visibility_change_is_the_soonest_publish_time_or_embargo_end(
    page_cache, newsroom
):
    assert next_visibility_change() is None
    ArticleFactory(status=Article.Status.PUBLISHED, published_at=NOW + timedelta(hours=2))
    ArticleFactory(
        status=Article.Status.PUBLISHED,
        published_at=NOW - timedelta(hours=1),
        embargo_until=NOW + timedelta(hours=1),
    )
    # A draft's times change nothing readers see.
    ArticleFactory(status=Article.Status.DRAFT, published_at=NOW + timedelta(minutes=1))
    forget_next_visibility_change()

    assert next_visibility_change() == (NOW + timedelta(hours=1)).timestamp()


@pytest.mark.django_db
def test_the_next_visibility_change_costs_four_queries_a_minute(
    page_cache, newsroom, django_assert_num_queries, time_machine
):
    ArticleFactory(status=Article.Status.PUBLISHED, published_at=NOW + timedelta(hours=2))

    # The soonest publish time and embargo end at once; the home-page slots' and the
    # breaking-news banners' next start or end; the next photo licence to end.
    with django_assert_num_queries(4):
        next_visibility_change()
        next_visibility_change()
    time_machine.move_to(NOW + timedelta(seconds=61), tick=False)
    with django_assert_num_queries(4):
        next_visibility_change()


@pytest.mark.django_db
def test_a_portrait_whose_licence_runs_out_leaves_the_cached_pages_the_next_day(
    page_cache, newsroom, time_machine
):
    portrait = ImageFactory(usage_expires=NOW.date())  # its last day is today
    Author.objects.filter(pk=newsroom["ana"].pk).update(photo=portrait)
    stem = Path(portrait.file.name).stem
    pages = ["/authors/ana/", "/team/", STORY_PAGE]
    warm(Client(), pages)
    midnight = datetime.combine(NOW.date() + timedelta(days=1), datetime.min.time(), NOW.tzinfo)

    time_machine.move_to(midnight - timedelta(seconds=1), tick=False)
    for address in pages:
        assertContains(Client().get(address), stem, msg_prefix=address)
    time_machine.move_to(midnight + timedelta(seconds=1), tick=False)

    for address in pages:
        assertNotContains(Client().get(address), stem, msg_prefix=address)


# Author profiles -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_reporters_own_profile_edit_refreshes_their_page_the_team_and_their_stories(
    page_cache, newsroom, reporter, django_capture_on_commit_callbacks
):
    author = newsroom["ana"]
    author.user = reporter
    author.save()
    reader = Client()
    warm(reader, ["/authors/ana/", "/team/", STORY_PAGE])
    form = ProfileForm(
        {"bio": "Covers the town hall since 2019.", "opened_version": str(author.version)},
        instance=author,
    )
    no_links = {"links-TOTAL_FORMS": "0", "links-INITIAL_FORMS": "0"}
    links = LinkFormSet(no_links, instance=author, prefix="links")
    assert form.is_valid(), form.errors
    assert links.is_valid()

    with django_capture_on_commit_callbacks(execute=True):
        save_own_profile(form=form, links=links, by=reporter)

    for address in ["/authors/ana/", STORY_PAGE]:
        assertContains(reader.get(address), "Covers the town hall since 2019.", msg_prefix=address)
    assert reader.get("/team/")["X-Cache"] == "miss"


@pytest.mark.django_db
def test_a_link_added_to_a_profile_reaches_the_author_page_and_its_profile_data_at_once(
    page_cache, newsroom, reporter, django_capture_on_commit_callbacks
):
    author = newsroom["ana"]
    author.user = reporter
    author.save()
    reader = Client()
    warm(reader, ["/authors/ana/"])
    form = ProfileForm({"opened_version": str(author.version)}, instance=author)
    added = {
        "links-TOTAL_FORMS": "1",
        "links-INITIAL_FORMS": "0",
        "links-0-kind": "mastodon",
        "links-0-url": "https://social.example/@ana",
    }
    links = LinkFormSet(added, instance=author, prefix="links")
    assert form.is_valid(), form.errors
    assert links.is_valid(), links.errors

    with django_capture_on_commit_callbacks(execute=True):
        save_own_profile(form=form, links=links, by=reporter)

    page = reader.get("/authors/ana/")
    assertContains(page, '<a href="https://social.example/@ana" rel="me noopener noreferrer">')
    assertContains(page, "Mastodon</a>")
    assertContains(page, '"sameAs": ["https://social.example/@ana"]')


@pytest.mark.django_db
def test_a_photo_edited_in_the_library_is_printed_anew_on_the_stories_it_leads_at_once(
    page_cache, newsroom, django_capture_on_commit_callbacks
):
    photo = ImageFactory(credit="Jane Doe / Agency")
    Article.objects.filter(pk=newsroom["story"].pk).update(lead_image=photo)
    reader = Client()
    warm(reader, [STORY_PAGE, "/section/city/"])
    assertContains(reader.get(STORY_PAGE), "Jane Doe / Agency")

    with django_capture_on_commit_callbacks(execute=True):
        photo.credit = "Ola Berg / Meridian"
        photo.save()

    assertContains(reader.get(STORY_PAGE), "Ola Berg / Meridian")
    assertNotContains(reader.get(STORY_PAGE), "Jane Doe / Agency")
    assert reader.get("/section/city/")["X-Cache"] == "miss"
    assert reader.get("/section/sport/")["X-Cache"] == "miss"  # never warmed
    assert reader.get("/section/sport/")["X-Cache"] == "hit"


@pytest.mark.django_db
def test_a_portrait_whose_licence_ends_leaves_the_author_page_and_the_team_page_at_once(
    page_cache, newsroom, django_capture_on_commit_callbacks
):
    portrait = ImageFactory()
    Author.objects.filter(pk=newsroom["ana"].pk).update(photo=portrait)
    reader = Client()
    pages = ["/authors/ana/", "/team/", STORY_PAGE]
    warm(reader, pages)
    stem = Path(portrait.file.name).stem
    for address in pages:
        assertContains(reader.get(address), stem, msg_prefix=address)

    with django_capture_on_commit_callbacks(execute=True):
        portrait.usage_expires = NOW.date() - timedelta(days=1)
        portrait.save()

    for address in pages:
        response = reader.get(address)
        assert response["X-Cache"] == "miss", address
        assertNotContains(response, stem, msg_prefix=address)


@pytest.mark.django_db
def test_saving_a_draft_purges_nothing(
    editor_client, page_cache, newsroom, django_capture_on_commit_callbacks
):
    draft = ArticleFactory(title="Work in progress", section=newsroom["city"])

    with django_capture_on_commit_callbacks(execute=True):
        admin_save(editor_client, draft, title="Still in progress")

    assert page_cache == []


@pytest.mark.django_db
def test_unpublishing_with_the_form_button_takes_it_off_the_pages(
    editor, page_cache, newsroom, django_capture_on_commit_callbacks
):
    reader, staff = Client(), Client()
    staff.force_login(editor)
    warm(reader, ["/section/city/", "/authors/ana/"])

    with django_capture_on_commit_callbacks(execute=True):
        admin_save(staff, newsroom["story"], _transition="unpublish")

    assertNotContains(reader.get("/section/city/"), "Council agrees budget")
    assertNotContains(reader.get("/authors/ana/"), "Council agrees budget")


# Breaking news, home-page slots, the Trash and corrections ---------------------------------


@pytest.mark.django_db
def test_flagging_breaking_news_puts_the_banner_on_every_cached_page_at_once(
    client, page_cache, newsroom, editor, django_capture_on_commit_callbacks
):
    warm(client, ["/", "/section/sport/", STORY_PAGE])

    with django_capture_on_commit_callbacks(execute=True):
        services.flag_breaking(article=newsroom["story"], by=editor)

    for address in ["/", "/section/sport/", STORY_PAGE]:
        assertContains(client.get(address), 'class="breaking-banner"', msg_prefix=address)


@pytest.mark.django_db
def test_a_breaking_banner_leaves_cached_pages_at_its_end(
    client, page_cache, newsroom, editor, django_capture_on_commit_callbacks, time_machine
):
    with django_capture_on_commit_callbacks(execute=True):
        services.flag_breaking(article=newsroom["story"], by=editor, minutes=1)

    response = client.get("/section/sport/")
    assert "s-maxage=60" in response["Cache-Control"]
    time_machine.move_to(NOW + timedelta(seconds=60), tick=False)
    assertNotContains(client.get("/section/sport/"), 'class="breaking-banner"')


@pytest.mark.django_db
def test_unpublishing_the_breaking_story_takes_the_banner_off_every_cached_page(
    client, page_cache, newsroom, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.flag_breaking(article=newsroom["story"], by=editor)
    # The Sport page does not list the story: only the banner links it.
    warm(client, ["/section/sport/", "/team/"])
    assertContains(client.get("/section/sport/"), 'class="breaking-banner"')

    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish_article(article=newsroom["story"], by=editor)

    for address in ["/section/sport/", "/team/", "/"]:
        assertNotContains(client.get(address), 'class="breaking-banner"', msg_prefix=address)


@pytest.mark.django_db
def test_a_page_with_the_banner_carries_the_banner_storys_key(
    client, page_cache, newsroom, editor, django_capture_on_commit_callbacks
):
    key = f"article:{newsroom['story'].pk}"
    assert key not in client.get("/section/sport/")["Surrogate-Key"].split()

    with django_capture_on_commit_callbacks(execute=True):
        services.flag_breaking(article=newsroom["story"], by=editor)

    assert key in client.get("/section/sport/")["Surrogate-Key"].split()


@pytest.mark.django_db
def test_saving_the_site_settings_refreshes_the_publisher_of_every_cached_story(
    editor_client, page_cache, newsroom, django_capture_on_commit_callbacks
):
    reader = Client()
    warm(reader, [STORY_PAGE])

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            "/admin/articles/sitesettings/add/",
            {"publishing_principles_url": "https://meridian.example/principles/"},
        )

    assert response.status_code == 302
    assertContains(reader.get(STORY_PAGE), "https://meridian.example/principles/")


@pytest.mark.django_db
def test_a_home_page_slot_appears_on_the_cached_home_page_at_its_start(
    client, page_cache, newsroom, time_machine
):
    HomeSlot.objects.create(
        position=HomeSlot.Position.LEAD,
        article=newsroom["neighbour"],
        starts_at=NOW + timedelta(seconds=30),
    )

    response = client.get("/")
    assert "s-maxage=30" in response["Cache-Control"]
    assert response.context["lead"] != newsroom["neighbour"]
    time_machine.move_to(NOW + timedelta(seconds=30), tick=False)
    assert client.get("/").context["lead"] == newsroom["neighbour"]


@pytest.mark.django_db
def test_choosing_a_home_page_slot_in_the_admin_refreshes_the_home_page(
    editor_client, page_cache, newsroom, django_capture_on_commit_callbacks
):
    reader = Client()
    warm(reader, ["/"])

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            "/admin/articles/homeslot/add/",
            {"position": HomeSlot.Position.LEAD, "article": newsroom["neighbour"].pk},
        )

    assert reader.get("/").context["lead"] == newsroom["neighbour"]


@pytest.mark.django_db
def test_trashing_a_story_takes_it_off_every_cached_page_at_once(
    client, page_cache, newsroom, editor, django_capture_on_commit_callbacks
):
    warm(client, [*LISTS, STORY_PAGE])

    with django_capture_on_commit_callbacks(execute=True):
        services.trash_article(article=newsroom["story"], by=editor)

    for address in LISTS:
        assertNotContains(client.get(address), "Council agrees budget", msg_prefix=address)
    assert client.get(STORY_PAGE).status_code == 404


@pytest.mark.django_db
def test_a_correction_shows_on_the_cached_story_and_corrections_page_at_once(
    client, page_cache, newsroom, editor, django_capture_on_commit_callbacks
):
    warm(client, [STORY_PAGE, "/corrections/"])
    correction = Correction(article=newsroom["story"], text="The vote was on Tuesday.")

    with django_capture_on_commit_callbacks(execute=True):
        services.save_correction(correction=correction, by=editor)

    for address in [STORY_PAGE, "/corrections/"]:
        assertContains(client.get(address), "The vote was on Tuesday.", msg_prefix=address)
