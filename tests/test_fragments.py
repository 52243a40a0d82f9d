"""The fragment cache (newsroom.cache.fragment): the parts every page prints alike (header,
footer, breaking-news banner, a story's "More news", the publisher facts) are read and
rendered once for all pages, and are never stale: each event that changes one refreshes it
at once, with the page cache off, and a scheduled story or a banner's end arrives on time."""

import pickle
from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from articles import services
from articles.models import Article, HomeSlot
from newsroom.cache import FRAGMENT_PREFIX, PageCachePurge, fragment, purge_keys
from tests.authors.test_admin import author_form
from tests.authors.test_admin import change_url as author_change_url
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

NOW = datetime(2026, 5, 4, 10, 0, tzinfo=ZoneInfo("Europe/Kyiv"))
BANNER = 'class="breaking-banner"'


@pytest.fixture(params=[False, True], ids=["fragments", "fragments+stored"])
def fragments(request, settings, time_machine):
    """The fragment cache on, the page cache off: every page is rendered afresh, from the
    stories' stored parts too as production runs them (articles/stories.py)."""
    time_machine.move_to(NOW, tick=False)
    settings.NEWSROOM_PAGE_CACHE = False
    settings.NEWSROOM_FRAGMENT_CACHE = True
    settings.NEWSROOM_STORED_STORIES = request.param


@pytest.fixture
def stories(db):
    city = SectionFactory(name="City", slug="city")
    ana = AuthorFactory(slug="ana")
    older = ArticleFactory(
        title="Tram line opens",
        slug="tram-line-opens",
        section=city,
        authors=[ana],
        published=True,
        published_at=NOW - timedelta(hours=3),
    )
    newer = ArticleFactory(
        title="Council agrees budget",
        slug="council-agrees-budget",
        section=city,
        authors=[ana],
        published=True,
        published_at=NOW - timedelta(hours=1),
    )
    return {"older": older, "newer": newer, "city": city}


def kept_fragments():
    return {
        key.split(":", 2)[-1]: pickle.loads(value)  # noqa: S301 - this test's own cache
        for key, value in cache._cache.items()
        if key.split(":", 2)[-1].startswith(FRAGMENT_PREFIX)
    }


def more_news(response):
    return [item["pk"] for item in response.context["more_news"]]


# What is kept ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_page_keeps_its_shared_parts_as_plain_html_never_model_instances(
    client, fragments, stories, editor
):
    services.flag_breaking(article=stories["newer"], by=editor)

    client.get(stories["older"].get_absolute_url())

    kept = kept_fragments()
    names = {key.removeprefix(FRAGMENT_PREFIX) for key in kept}
    assert names == {
        "include:includes/header.html",
        "include:includes/footer.html",
        "breaking",
        "newest-stories",
        "site-settings",
        f"more-from:{stories['newer'].bylines.get().author_id}",
        "related-pool:1000:indexed",
    }
    # A kept value outlives a deploy that changes the models: no pickled model in it.
    for entry in kept.values():
        assert b"articles.models" not in pickle.dumps(entry["value"])
        assert b"authors.models" not in pickle.dumps(entry["value"])


def archive(stories):
    """Fifteen more stories by the same writer in the same section, older than the two, so a
    story page fills "More news", "Related" and "More from"."""
    ana = stories["newer"].bylines.get().author
    for n in range(15):
        ArticleFactory(
            section=stories["city"],
            authors=[ana],
            published=True,
            published_at=NOW - timedelta(days=n + 1),
        )


@pytest.mark.django_db
def test_a_story_page_reads_only_the_story_and_its_related_scores_once_the_rest_is_kept(
    fragments, stories, django_assert_num_queries, settings
):
    archive(stories)
    reader = Client()
    page = stories["older"].get_absolute_url()
    first = reader.get(page)

    # 1. the story with its section and photos  2. its tags  3. its bylines with their
    # writers  4. the writers' links  5. its photos in the body  6. its corrections; or
    # with stored stories, its stored parts alone (articles/stories.py).
    # Kept: the navigation, the banner, the site settings, "More news", the newest stories
    # "Related" scores, its items and the writer's newest stories for "More from".
    with django_assert_num_queries(1 if settings.NEWSROOM_STORED_STORIES else 6):
        response = reader.get(page)

    assert response.content == first.content
    assert len(response.context["related"]) == 4
    assert len(response.context["more_from_author"]) == 4


@pytest.mark.django_db
@pytest.mark.parametrize("listing", ["related", "more_from_author"])
def test_a_story_unpublished_leaves_related_and_more_from_at_once(
    client, fragments, stories, editor, listing, django_capture_on_commit_callbacks
):
    archive(stories)
    page = stories["older"].get_absolute_url()
    listed = client.get(page).context[listing][0]["pk"]
    gone = Article.objects.get(pk=listed)

    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish_article(article=gone, by=editor)

    response = client.get(page)
    assert listed not in [item["pk"] for item in response.context[listing]]
    assert len(response.context[listing]) == 4
    assertNotContains(response, f'href="{gone.get_absolute_url()}"')


@pytest.mark.django_db
def test_with_the_fragment_cache_off_every_page_reads_everything(
    settings, stories, django_assert_num_queries
):
    settings.NEWSROOM_FRAGMENT_CACHE = False
    archive(stories)
    reader = Client()
    page = stories["older"].get_absolute_url()
    reader.get(page)

    # The six above, the newest stories "Related" scores and prints and their tags, "More
    # from", the navigation, the banner, the settings and "More news".
    with django_assert_num_queries(13):
        reader.get(page)
    assert kept_fragments() == {}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("address", "queries"),
    [
        # 1. the News Feed column's first batch (leaving out the stories above it). The
        # lead, the top stories and the section blocks are kept.
        ("/", 1),
        # 1. the section. Which stories its first page shows is kept, and so are their
        # cards, bylines included.
        ("/section/city/", 1),
        # 1. the writer; their links and the first page of their stories are kept.
        ("/authors/ana/", 1),
        # 1. the batch; its items are kept.
        ("/news/", 1),
    ],
)
def test_a_list_page_reads_only_its_list_once_its_parts_are_kept(
    fragments, stories, django_assert_num_queries, address, queries
):
    reader = Client()
    first = reader.get(address)

    with django_assert_num_queries(queries):
        again = reader.get(address)

    assert again.content == first.content
    assertContains(again, 'href="/news/council-agrees-budget/"')


@pytest.mark.django_db
def test_a_published_story_reaches_the_front_of_the_home_page_at_once(
    client, fragments, stories, editor, django_capture_on_commit_callbacks
):
    client.get("/")
    draft = ArticleFactory(
        title="Mayor resigns",
        kind=Article.Kind.STORY,
        section=stories["city"],
        ready=True,
        authors=[AuthorFactory()],
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.publish_article(article=draft, by=editor)

    front = client.get("/").content.decode().split('<aside class="home-feed"')[0]
    assert "Mayor resigns" in front


@pytest.mark.django_db
def test_an_editors_slot_leads_the_home_page_at_its_start(client, fragments, stories, time_machine):
    start = NOW + timedelta(minutes=5)
    HomeSlot.objects.create(
        position=HomeSlot.Position.LEAD, article=stories["older"], starts_at=start
    )
    assert lead(client.get("/")) != "/news/tram-line-opens/"

    time_machine.move_to(start, tick=False)

    assert lead(client.get("/")) == "/news/tram-line-opens/"


def lead(response):
    """The address of the lead story, or None when nothing leads."""
    page = response.content.decode()
    if '<section class="home-lead"' not in page:
        return None
    section = page[page.index('<section class="home-lead"') :]
    return section.split('class="card-title"><a href="', 1)[1].split('"', 1)[0]


@pytest.mark.django_db
def test_more_news_leaves_out_the_story_on_the_page(client, fragments, stories):
    client.get(stories["newer"].get_absolute_url())

    response = client.get(stories["older"].get_absolute_url())

    assert more_news(response) == [stories["newer"].pk]
    assertContains(response, 'href="/news/council-agrees-budget/"')


# Never stale --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_published_story_joins_more_news_on_every_story_page_at_once(
    client, fragments, stories, editor, django_capture_on_commit_callbacks
):
    page = stories["older"].get_absolute_url()
    client.get(page)
    draft = ArticleFactory(title="Mayor resigns", ready=True, authors=[AuthorFactory()])

    with django_capture_on_commit_callbacks(execute=True):
        services.publish_article(article=draft, by=editor)

    assertContains(client.get(page), "Mayor resigns")


@pytest.mark.django_db
def test_an_unpublished_story_leaves_more_news_at_once(
    client, fragments, stories, editor, django_capture_on_commit_callbacks
):
    page = stories["older"].get_absolute_url()
    assertContains(client.get(page), "Council agrees budget")

    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish_article(article=stories["newer"], by=editor)

    assertNotContains(client.get(page), "Council agrees budget")


@pytest.mark.django_db
def test_a_scheduled_story_joins_more_news_at_its_time(
    client, fragments, stories, editor, time_machine, django_capture_on_commit_callbacks
):
    at = NOW + timedelta(minutes=20)
    draft = ArticleFactory(title="Polls close", ready=True, authors=[AuthorFactory()])
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_article(article=draft, by=editor, at=at)
    page = stories["older"].get_absolute_url()
    assertNotContains(client.get(page), "Polls close")

    time_machine.move_to(at, tick=False)

    assertContains(client.get(page), "Polls close")


@pytest.mark.django_db
def test_a_new_section_joins_the_navigation_at_once(
    admin_client, fragments, stories, django_capture_on_commit_callbacks
):
    reader = Client()
    assertNotContains(reader.get("/team/"), "Weather")

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/admin/articles/section/add/", {"name": "Weather", "slug": "weather", "position": 9}
        )

    assertContains(reader.get("/team/"), 'href="/section/weather/">Weather</a>')


@pytest.mark.django_db
def test_the_banner_appears_ends_early_and_ends_by_itself_on_time(
    client, fragments, stories, editor, time_machine, django_capture_on_commit_callbacks
):
    assertNotContains(client.get("/team/"), BANNER)
    with django_capture_on_commit_callbacks(execute=True):
        flag = services.flag_breaking(article=stories["newer"], by=editor, minutes=10)
    assertContains(client.get("/team/"), BANNER)
    assertContains(client.get("/news/"), '<strong class="breaking-mark">Breaking</strong>')

    with django_capture_on_commit_callbacks(execute=True):
        services.end_breaking(flag=flag, by=editor)
    assertNotContains(client.get("/team/"), BANNER)

    with django_capture_on_commit_callbacks(execute=True):
        services.flag_breaking(article=stories["older"], by=editor, minutes=10)
    assertContains(client.get("/team/"), BANNER)
    time_machine.move_to(NOW + timedelta(minutes=10), tick=False)
    assertNotContains(client.get("/team/"), BANNER)


@pytest.mark.django_db
def test_unpublishing_the_breaking_story_takes_the_banner_down_at_once(
    client, fragments, stories, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.flag_breaking(article=stories["newer"], by=editor)
    assertContains(client.get("/team/"), BANNER)

    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish_article(article=stories["newer"], by=editor)

    assertNotContains(client.get("/team/"), BANNER)


@pytest.mark.django_db
def test_saved_site_settings_reach_the_next_story_page(
    editor_client, fragments, stories, django_capture_on_commit_callbacks
):
    reader = Client()
    page = stories["older"].get_absolute_url()
    assertNotContains(reader.get(page), "https://meridian.example/principles/")

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            "/admin/articles/sitesettings/add/",
            {"publishing_principles_url": "https://meridian.example/principles/"},
        )

    assertContains(reader.get(page), "https://meridian.example/principles/")


# Story cards on section, tag and author pages --------------------------------------------


@pytest.mark.django_db
def test_a_page_renders_only_the_cards_it_does_not_hold(
    fragments, stories, editor, django_assert_num_queries, django_capture_on_commit_callbacks
):
    reader = Client()
    reader.get("/section/city/")
    draft = ArticleFactory(
        title="Mayor resigns",
        section=stories["city"],
        authors=[AuthorFactory(name="Rui Costa")],
        ready=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_article(article=draft, by=editor)

    # 1. the section  2. its first page, purged by the publish  3-6. the next scheduled
    # change, which a publish makes the site read again  7. the one new card's story
    # 8. its bylines.
    with django_assert_num_queries(8):
        response = reader.get("/section/city/")

    assertContains(response, "Mayor resigns")
    assertContains(response, "Rui Costa")
    assertContains(response, "Council agrees budget")


@pytest.mark.django_db
def test_an_edited_story_shows_its_new_card_at_once_on_every_list(
    editor_client, fragments, stories, editor, django_capture_on_commit_callbacks
):
    reader = Client()
    for address in ["/section/city/", "/authors/ana/"]:
        assertNotContains(reader.get(address), "Updated</span>", msg_prefix=address)

    with django_capture_on_commit_callbacks(execute=True):
        services.mark_updated(article=stories["newer"], by=editor)

    for address in ["/section/city/", "/authors/ana/"]:
        assertContains(reader.get(address), '<span class="updated">Updated</span>')


@pytest.mark.django_db
def test_a_renamed_writer_is_named_at_once_on_every_kept_card(
    admin_client, fragments, stories, django_capture_on_commit_callbacks
):
    ana = stories["newer"].bylines.get().author
    reader = Client()
    reader.get("/section/city/")

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(author_change_url(ana), author_form(ana, name="Ana Lima"))
    assert response.status_code == 302

    assertContains(reader.get("/section/city/"), "Ana Lima", count=2)


@pytest.mark.django_db
def test_the_same_story_gets_the_heading_level_of_each_list(client, fragments, stories):
    section = client.get("/section/city/").content.decode()
    author = client.get("/authors/ana/").content.decode()

    assert '<h2 class="card-title"><a href="/news/council-agrees-budget/">' in section
    assert '<h3 class="card-title"><a href="/news/council-agrees-budget/">' in author


@pytest.mark.django_db
def test_the_news_feed_refreshes_an_updated_item_at_once(
    fragments, stories, editor, django_capture_on_commit_callbacks
):
    reader = Client()
    assertNotContains(reader.get("/news/"), "(Updated: <time")

    with django_capture_on_commit_callbacks(execute=True):
        services.mark_updated(article=stories["newer"], by=editor)

    assertContains(reader.get("/news/"), "(Updated: <time", count=1)


@pytest.mark.django_db
def test_the_news_feed_marks_the_breaking_story_only_while_it_is_flagged(
    client, fragments, stories, editor, django_capture_on_commit_callbacks
):
    mark = '<strong class="breaking-mark">Breaking</strong>'
    assertNotContains(client.get("/news/"), mark)
    with django_capture_on_commit_callbacks(execute=True):
        flag = services.flag_breaking(article=stories["older"], by=editor)
    page = client.get("/news/").content.decode()
    assert page.count(mark) == 1
    assert 'href="/news/tram-line-opens/"' in page[page.index(mark) :].split("</li>")[0]

    with django_capture_on_commit_callbacks(execute=True):
        services.end_breaking(flag=flag, by=editor)

    assertNotContains(client.get("/news/"), mark)


# The mechanism ----------------------------------------------------------------------------------


def later():
    return NOW.timestamp() + 60


def kept(compute, *keys):
    """The test fragment: what `compute()` returns, kept under `keys` for a minute."""
    return fragment("test", compute, keys=lambda value: keys, expires=later)


def purge(keys):
    """A purge as a committed write sends it."""
    PageCachePurge().purge(keys)


@pytest.mark.django_db
def test_a_fragment_is_computed_once_until_one_of_its_keys_is_purged(fragments):
    calls = []

    def compute():
        calls.append(1)
        return f"value {len(calls)}"

    read = partial(kept, compute, "section:1")

    assert [read(), read()] == ["value 1", "value 1"]
    purge(["tag:1"])
    assert read() == "value 1"
    purge(["section:1"])
    assert [read(), read()] == ["value 2", "value 2"]
    purge(["site"])
    assert read() == "value 3"


@pytest.mark.django_db
def test_a_fragment_computed_while_its_key_is_purged_is_not_kept(fragments, time_machine):
    values = iter(["read before the purge", "read after it"])

    def compute():
        time_machine.move_to(NOW + timedelta(seconds=1), tick=False)
        purge(["section:1"])  # a write commits while the value is being read
        return next(values)

    read = partial(kept, compute, "section:1")

    assert read() == "read before the purge"
    assert read() == "read after it"


@pytest.mark.django_db
def test_a_fragment_expires_at_its_time(fragments, time_machine):
    values = iter(["first", "second"])

    read = partial(kept, lambda: next(values))

    assert read() == "first"
    time_machine.move_to(NOW + timedelta(seconds=59), tick=False)
    assert read() == "first"
    time_machine.move_to(NOW + timedelta(seconds=60), tick=False)
    assert read() == "second"


@pytest.mark.django_db
def test_a_purge_waits_for_the_transaction_to_commit(fragments, django_capture_on_commit_callbacks):
    values = iter(["first", "second"])

    read = partial(kept, lambda: next(values), "tag:7")

    assert read() == "first"
    with django_capture_on_commit_callbacks(execute=True):
        purge_keys(["tag:7"])
        assert read() == "first"
    assert read() == "second"


@pytest.mark.django_db
def test_a_storys_own_page_always_reads_the_story_itself(fragments, stories):
    """Fragments hold only what every page prints alike: a change to a story shows on its
    own page even when nothing purged the fragments."""
    client = Client()
    client.get(stories["older"].get_absolute_url())
    Article.objects.filter(pk=stories["newer"].pk).update(title="Council budget agreed")

    response = client.get(stories["newer"].get_absolute_url())

    assertContains(response, '<h1 class="story-title">Council budget agreed</h1>')


@pytest.mark.django_db
def test_only_the_first_page_of_a_list_is_kept_and_it_still_pages_on(
    fragments, stories, settings, django_assert_num_queries
):
    settings.NEWSROOM_PAGE_SIZE = 2
    ana = stories["newer"].bylines.get().author
    oldest = ArticleFactory(
        title="Bridge closes",
        authors=[ana],
        published=True,
        published_at=NOW - timedelta(days=2),
    )
    reader = Client()
    first = reader.get("/authors/ana/")

    # 1. the writer: their links and which stories the first page shows are kept.
    with django_assert_num_queries(1):
        again = reader.get("/authors/ana/")
    # ... and 2. the stories of page two, read afresh  3. the bylines of its new card.
    with django_assert_num_queries(3):
        second = reader.get("/authors/ana/?page=2")

    assert again.content == first.content
    assertContains(again, 'rel="next"')
    assertContains(again, "Council agrees budget")
    assertContains(again, "Tram line opens")
    assertNotContains(again, "Bridge closes")
    assertContains(second, f'href="/news/{oldest.slug}/"')
    assertNotContains(second, 'rel="next"')


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["/section/city/", "/authors/ana/"])
def test_a_published_story_heads_a_kept_first_page_at_once(
    client, fragments, stories, editor, address, django_capture_on_commit_callbacks
):
    ana = stories["newer"].bylines.get().author
    draft = ArticleFactory(
        title="Mayor resigns", section=stories["city"], authors=[ana], ready=True
    )
    assertNotContains(client.get(address), "Mayor resigns")

    with django_capture_on_commit_callbacks(execute=True):
        services.publish_article(article=draft, by=editor)

    page = client.get(address).content.decode()
    assert page.index("Mayor resigns") < page.index("Council agrees budget")
