"""The page cache (newsroom/cache.py, newsroom.middleware.PageCacheMiddleware): what it
stores, what it never stores, its headers and revalidation, and purging by key."""

import secrets
import time
from datetime import timedelta

import pytest
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client
from django.urls import include, path
from django.utils.cache import patch_vary_headers
from pytest_django.asserts import assertContains

from articles.models import Article
from articles.newsfeed import Cursor
from newsroom.cache import (
    PAGE_PREFIX,
    PURGE_MARK,
    RECENT,
    PageCachePurge,
    PurgeBackend,
    PurgeListener,
    purge_keys,
    store,
    tag_response,
)
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory
from tests.gates import require


class RecordingPurge(PurgeBackend):
    """A stand-in CDN: remembers every purge it is asked for."""

    purged = []

    def purge(self, keys):
        self.purged.append(keys)


class BrokenPurge(PurgeBackend):
    """A CDN that does not answer."""

    def purge(self, keys):
        raise ConnectionError("CDN unreachable")


@pytest.fixture
def page_cache(settings):
    settings.NEWSROOM_PAGE_CACHE = True
    settings.NEWSROOM_PURGE_BACKENDS = [
        "newsroom.cache.PageCachePurge",
        "tests.test_cache.RecordingPurge",
    ]
    RecordingPurge.purged = []
    return RecordingPurge.purged


@pytest.fixture
def story(db):
    section = SectionFactory(slug="city")
    return ArticleFactory(
        published=True,
        title="Council agrees budget",
        section=section,
        tags=[TagFactory(slug="budget")],
        authors=[AuthorFactory(slug="ana")],
    )


def page_count():
    return sum(1 for key in cache._cache if key.split(":", 2)[-1].startswith(PAGE_PREFIX))


PUBLIC_PAGES = [
    "/",
    "/news/",
    "/news/{story.slug}/",
    "/section/city/",
    "/tag/budget/",
    "/authors/ana/",
    "/team/",
    "/feed/",
    "/feed/atom/",
    "/section/city/feed/",
    "/tag/budget/feed/atom/",
    "/authors/ana/feed/",
    "/sitemap.xml",
    "/sitemap-pages.xml",
    "/sitemap-sections.xml",
    "/sitemap-news.xml",
    "/robots.txt",
]


# What is stored ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("address", PUBLIC_PAGES)
def test_every_public_page_is_served_from_the_cache_the_second_time(
    client, page_cache, story, address, django_assert_num_queries
):
    url = address.format(story=story)
    first = client.get(url)
    assert first.status_code == 200
    assert first["X-Cache"] == "miss"

    with django_assert_num_queries(0):
        second = client.get(url)

    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


@pytest.mark.django_db
def test_a_cacheable_page_says_so_to_browsers_and_shared_caches(client, page_cache, story):
    response = client.get("/section/city/")

    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert directives == {"public", "max-age=30", "s-maxage=300"}
    assert response["ETag"]
    keys = response["Surrogate-Key"].split(" ")
    assert set(keys) == {"site", f"section:{story.section_id}", f"article:{story.pk}"}
    assert response["Cache-Tag"].split(",") == keys


@pytest.mark.django_db
def test_list_pages_name_every_story_they_show(client, page_cache, story):
    other = ArticleFactory(published=True, section=story.section)

    keys = client.get("/").headers["Surrogate-Key"].split()

    assert {"home", f"article:{story.pk}", f"article:{other.pk}"} <= set(keys)


@pytest.mark.django_db
def test_an_article_page_names_its_section_tags_writers_and_the_stories_it_lists(
    client, page_cache, story
):
    other = ArticleFactory(published=True)
    tag = story.tags.get()
    writer = story.authors.get()

    keys = set(client.get(story.get_absolute_url()).headers["Surrogate-Key"].split())

    assert keys == {
        "site",
        "newsfeed",
        f"article:{story.pk}",
        f"section:{story.section_id}",
        f"tag:{tag.pk}",
        f"author:{writer.pk}",
        f"article:{other.pk}",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["/section/city/", "/feed/"])
def test_revalidation_with_the_etag_answers_304_from_the_cache(client, page_cache, story, address):
    etag = client.get(address)["ETag"]

    response = client.get(address, headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response["X-Cache"] == "hit"
    assert client.get(address, headers={"If-None-Match": '"stale"'}).status_code == 200


@pytest.mark.django_db
def test_the_first_revalidation_already_answers_304(client, page_cache, story):
    etag = Client().get("/team/")["ETag"]
    cache.clear()

    assert client.get("/team/", headers={"If-None-Match": etag}).status_code == 304


@pytest.mark.django_db
def test_a_head_request_is_answered_from_the_cache(client, page_cache, story):
    client.get("/section/city/")

    response = client.head("/section/city/")

    assert response.status_code == 200
    assert response["X-Cache"] == "hit"


@pytest.mark.django_db
def test_the_page_cache_is_off_unless_turned_on(client, story, settings):
    assert settings.NEWSROOM_PAGE_CACHE is False
    client.get("/")

    response = client.get("/")

    assert "X-Cache" not in response
    assert "Surrogate-Key" not in response
    assert page_count() == 0


# Purging -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_purging_a_key_refreshes_exactly_the_pages_that_carry_it(
    client, page_cache, story, django_capture_on_commit_callbacks
):
    other_section = SectionFactory(slug="sport")
    client.get("/section/city/")
    client.get("/section/sport/")

    with django_capture_on_commit_callbacks(execute=True):
        purge_keys([f"section:{story.section_id}"])

    assert client.get("/section/city/")["X-Cache"] == "miss"
    assert client.get("/section/sport/")["X-Cache"] == "hit"
    assert page_cache == [[f"section:{story.section_id}"]]
    assert other_section.pk != story.section_id


@pytest.mark.django_db
def test_a_failing_purge_backend_is_logged_and_the_others_still_purge(
    client, page_cache, story, settings, caplog, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_PURGE_BACKENDS = [
        "tests.test_cache.BrokenPurge",
        "newsroom.cache.PageCachePurge",
        "tests.test_cache.RecordingPurge",
    ]
    client.get("/section/city/")

    with django_capture_on_commit_callbacks(execute=True):
        purge_keys(["site"])

    assert client.get("/section/city/")["X-Cache"] == "miss"
    assert page_cache == [["site"]]
    assert "Purge of site through tests.test_cache.BrokenPurge failed" in caplog.text


@pytest.mark.django_db
def test_a_purge_waits_for_the_transaction_to_commit(
    client, page_cache, story, django_capture_on_commit_callbacks
):
    client.get("/section/city/")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        purge_keys(["site"])
        assert client.get("/section/city/")["X-Cache"] == "hit"
        assert page_cache == []

    assert len(callbacks) == 1


@pytest.mark.django_db
def test_purging_the_site_key_empties_the_page_cache(
    client, page_cache, story, django_capture_on_commit_callbacks
):
    for address in ["/", "/team/", "/robots.txt"]:
        client.get(address)

    with django_capture_on_commit_callbacks(execute=True):
        purge_keys(["site"])

    assert [client.get(a)["X-Cache"] for a in ["/", "/team/", "/robots.txt"]] == ["miss"] * 3


def test_a_page_rendered_before_a_purge_of_its_keys_is_not_stored(settings):
    """A request that read the database before a purge, and finishes after it, would store
    the old story under the new purge: it must not be stored at all."""
    started = time.time()
    cache.set("purged:article:1", (started + 0.5, "a"), timeout=None)
    response = tag_response(HttpResponse("old headline"), ["article:1"])

    store("page:test", response, expires=started + 60, started=started)

    assert cache.get("page:test") is None


def test_a_page_is_stored_when_its_keys_were_purged_before_it_began(settings):
    started = time.time()
    cache.set("purged:article:1", (started - 5, "a"), timeout=None)
    response = tag_response(HttpResponse("new headline"), ["article:1"])

    store("page:test", response, expires=started + 60, started=started)

    assert cache.get("page:test")["content"] == b"new headline"


@pytest.mark.django_db
def test_a_purge_made_by_another_server_refreshes_this_ones_copy(client, page_cache, story):
    """Each process keeps copies of recent pages, but checks their keys in the shared cache
    on every hit: a purge sent from another server (only the shared tokens change) counts."""
    client.get("/section/city/")
    assert RECENT.get(next(iter(RECENT.entries))) is not None

    PageCachePurge().purge([f"article:{story.pk}"])  # what any other process would do

    assert client.get("/section/city/")["X-Cache"] == "miss"


@pytest.mark.django_db
def test_a_page_another_server_stored_is_served_from_the_shared_cache(client, page_cache, story):
    client.get("/section/city/")
    RECENT.entries.clear()  # as in a process that never rendered it

    assert client.get("/section/city/")["X-Cache"] == "hit"


# Never another reader's page -----------------------------------------------------------------


@pytest.mark.django_db
def test_signed_in_staff_are_never_served_nor_stored(editor_client, page_cache, story):
    response = editor_client.get("/section/city/")

    assert "X-Cache" not in response
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert "Surrogate-Key" not in response
    assert page_count() == 0


@pytest.mark.django_db
def test_staff_see_their_preview_even_when_readers_have_the_page_cached(
    client, editor, page_cache, story
):
    assert Client().get(story.get_absolute_url())["X-Cache"] == "miss"
    Article.objects.filter(pk=story.pk).update(status=Article.Status.DRAFT)  # no purge
    client.force_login(editor)

    response = client.get(story.get_absolute_url())

    assertContains(response, "preview-banner")
    assert "X-Cache" not in response
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_staff_preview_of_a_draft_is_never_cached_for_readers(editor_client, page_cache, story):
    draft = ArticleFactory(status=Article.Status.DRAFT, title="Secret plans")

    preview = editor_client.get(draft.get_absolute_url())

    assertContains(preview, "Secret plans")
    assert {"private", "no-store"} <= {p.strip() for p in preview["Cache-Control"].split(",")}
    assert page_count() == 0
    assert Client().get(draft.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_an_anonymous_readers_page_is_never_served_to_a_signed_in_editor(
    client, editor, page_cache, story
):
    client.get("/")
    client.force_login(editor)

    assert "X-Cache" not in client.get("/")


@pytest.mark.django_db
def test_a_reader_with_a_pending_message_gets_their_own_page(client, page_cache, story):
    client.get("/")
    client.cookies["messages"] = "something"

    response = client.get("/")

    assert "X-Cache" not in response
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_htmx_batch_and_the_full_news_feed_are_kept_apart(client, page_cache, story):
    full = client.get("/news/")
    fragment = client.get("/news/", headers={"HX-Request": "true"})

    assert b"<html" in full.content
    assert b"<html" not in fragment.content
    assert fragment["X-Cache"] == "miss"
    again_full = client.get("/news/")
    again_fragment = client.get("/news/", headers={"HX-Request": "true"})
    assert (again_full["X-Cache"], again_fragment["X-Cache"]) == ("hit", "hit")
    assert again_full.content == full.content
    assert again_fragment.content == fragment.content
    assert "HX-Request" in again_fragment["Vary"]


@pytest.mark.django_db
def test_each_page_and_batch_is_cached_apart(client, page_cache, settings):
    settings.NEWSROOM_PAGE_SIZE = 2
    settings.NEWSROOM_FEED_BATCH = 2
    section = SectionFactory(slug="city")
    stories = [
        ArticleFactory(published=True, section=section, title=f"Story number {n}") for n in range(5)
    ]
    cursor = Cursor.after(Article.objects.published().newest_first()[1])

    first, second = client.get("/section/city/"), client.get("/section/city/?page=2")
    batch = client.get(f"/news/?before={cursor}")

    assert first.content != second.content
    assert batch.content not in {first.content, second.content}
    assert client.get("/section/city/?page=2")["X-Cache"] == "hit"
    assert client.get(f"/news/?before={cursor}")["X-Cache"] == "hit"
    assertContains(client.get("/section/city/?page=2"), stories[2].title)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["?utm_source=newsletter", "?page=1&page=2", "?page=1&x=<script>", "?before=1-1"]
)
def test_unknown_parameters_and_made_up_cursors_are_never_stored(client, page_cache, story, query):
    address = "/news/" if "before" in query else "/section/city/"

    responses = [client.get(address + query) for _ in range(2)]

    assert [response.get("X-Cache") for response in responses] == [None, None]
    assert page_count() == 0


@pytest.mark.django_db
def test_a_hundred_junk_query_strings_store_nothing(client, page_cache, story):
    for number in range(100):
        client.get(f"/section/city/?fbclid={number}")

    assert page_count() == 0


# Responses that must never be shared (views written for these tests) -------------------------


def sets_a_cookie(request):
    response = tag_response(HttpResponse("hello"), ["test"])
    response.set_cookie("seen", "1")
    return response


def uses_a_csrf_token(request):
    return tag_response(HttpResponse(f"<input value='{get_token(request)}'>"), ["test"])


def varies_on_cookie(request):
    response = tag_response(HttpResponse("hello"), ["test"])
    patch_vary_headers(response, ["Cookie"])
    return response


def adds_a_message(request):
    messages.info(request, "Thanks")
    return tag_response(HttpResponse("hello"), ["test"])


def not_tagged(request):
    return HttpResponse("a page that never asked to be cached")


urlpatterns = [
    path("cookie/", sets_a_cookie),
    path("csrf/", uses_a_csrf_token),
    path("vary/", varies_on_cookie),
    path("message/", adds_a_message),
    path("untagged/", not_tagged),
    path("", include("newsroom.urls")),
]


@pytest.mark.django_db
@pytest.mark.urls("tests.test_cache")
@pytest.mark.parametrize("address", ["/cookie/", "/csrf/", "/vary/", "/message/"])
def test_a_response_that_sets_a_cookie_or_depends_on_one_is_private(client, page_cache, address):
    response = client.get(address)

    assert "private" in response["Cache-Control"]
    assert "Surrogate-Key" not in response
    assert page_count() == 0


@pytest.mark.django_db
@pytest.mark.urls("tests.test_cache")
def test_a_page_its_view_did_not_tag_is_left_alone(client, page_cache):
    response = client.get("/untagged/")

    assert "Cache-Control" not in response
    assert page_count() == 0


@pytest.mark.django_db
def test_error_pages_and_redirects_are_not_stored(client, page_cache, story):
    assert client.get("/news/no-such-story/").status_code == 404
    assert client.get("/section/city/?page=9").status_code == 404
    assert client.get("/favicon.ico").status_code == 301

    assert page_count() == 0


@pytest.mark.django_db
def test_search_is_not_cached(client, page_cache, story):
    client.get("/search/?q=budget")

    assert "X-Cache" not in client.get("/search/?q=budget")


@pytest.mark.django_db
def test_the_admin_is_never_cached(admin_client, page_cache):
    response = admin_client.get("/admin/")

    assert "X-Cache" not in response
    assert "public" not in response.get("Cache-Control", "")


# Expiry --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_page_expires_after_the_page_ttl(client, page_cache, story, settings, time_machine):
    settings.NEWSROOM_PAGE_CACHE_TTL = 60
    time_machine.move_to(story.published_at + timedelta(hours=2), tick=False)
    client.get("/team/")

    time_machine.shift(59)
    assert client.get("/team/")["X-Cache"] == "hit"
    time_machine.shift(1)
    assert client.get("/team/")["X-Cache"] == "miss"


@pytest.mark.django_db
def test_a_hit_tells_shared_caches_only_the_time_it_has_left(
    client, page_cache, story, settings, time_machine
):
    settings.NEWSROOM_PAGE_CACHE_TTL = 60
    time_machine.move_to(story.published_at + timedelta(hours=2), tick=False)
    client.get("/team/")
    time_machine.shift(45)

    response = client.get("/team/")

    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=15", "s-maxage=15"} == directives


# The Redis backend (settings with REDIS_URL) -------------------------------------------------

REDIS_TEST_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_cache(settings):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        require(False, "Redis on 127.0.0.1:6379")
    prefix = f"newsroom-test-{secrets.token_hex(4)}"
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": REDIS_TEST_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield cache
    client = redis.Redis.from_url(REDIS_TEST_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_the_redis_backend_reuses_one_client_and_takes_any_key(redis_cache):
    redis_cache.set_many({"purged:article:1": (1.5, "a"), "a key with spaces": 2})

    assert redis_cache.get_many(["purged:article:1", "a key with spaces", "absent"]) == {
        "purged:article:1": (1.5, "a"),
        "a key with spaces": 2,
    }
    client = redis_cache._cache
    assert client.get_client() is client.get_client()
    assert client.get_client(write=True) is client.get_client(write=True)


@pytest.mark.django_db
def test_the_page_cache_purges_exactly_with_redis(
    client, page_cache, redis_cache, story, django_capture_on_commit_callbacks
):
    client.get("/section/city/")
    assert client.get("/section/city/")["X-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        purge_keys([f"article:{story.pk}"])

    assert client.get("/section/city/")["X-Cache"] == "miss"


@pytest.mark.django_db
def test_a_hit_with_no_purge_since_reads_only_the_purge_mark(client, page_cache, story):
    """However many keys a page carries, a hit after no purge reads one value, not each
    key's token; any purge sends it back to comparing every token."""
    client.get("/section/city/")
    reads = []
    original = cache.get_many

    def counting_get_many(keys, *args, **kwargs):
        reads.append(list(keys))
        return original(keys, *args, **kwargs)

    cache.get_many = counting_get_many
    try:
        client.get("/section/city/")  # checks every token once, then remembers the mark
        reads.clear()
        assert client.get("/section/city/")["X-Cache"] == "hit"
        assert reads == []

        PageCachePurge().purge(["tag:unrelated"])
        assert client.get("/section/city/")["X-Cache"] == "hit"
        assert any(f"purged:article:{story.pk}" in keys for keys in reads)
    finally:
        del cache.get_many


@pytest.mark.django_db
def test_a_page_is_fresh_after_a_purge_even_when_the_purge_mark_was_evicted(
    client, page_cache, story
):
    client.get("/section/city/")
    client.get("/section/city/")
    cache.delete(PURGE_MARK)

    cache.set(f"purged:article:{story.pk}", (time.time(), "elsewhere"), timeout=None)

    assert client.get("/section/city/")["X-Cache"] == "miss"


def wait_for(condition, seconds=3.0):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


@pytest.mark.django_db
def test_with_redis_a_hit_touches_no_server_while_the_purge_listener_follows(
    client, page_cache, redis_cache, story
):
    listener = redis_cache.purge_listener()
    client.get("/section/city/")
    assert wait_for(lambda: listener.mark() is not None), "the listener never subscribed"
    client.get("/section/city/")  # checked once under the listener's mark

    calls = []
    client_class = type(redis_cache._cache.get_client())
    original = client_class.execute_command

    def counting(self, *args, **kwargs):
        calls.append(args[0])
        return original(self, *args, **kwargs)

    client_class.execute_command = counting
    try:
        assert client.get("/section/city/")["X-Cache"] == "hit"
    finally:
        client_class.execute_command = original
    assert calls == []


@pytest.mark.django_db
def test_with_redis_a_purge_from_another_process_reaches_this_ones_copies(
    client, page_cache, redis_cache, story
):
    """Another process (here: a plain Redis client) writes the token and the mark and
    announces the purge on the channel; this process's listener picks it up."""
    import redis

    listener = redis_cache.purge_listener()
    client.get("/section/city/")
    assert wait_for(lambda: listener.mark() is not None)
    assert client.get("/section/city/")["X-Cache"] == "hit"
    before = listener.mark()

    redis_cache.set(f"purged:article:{story.pk}", (time.time(), "x"), timeout=None)
    redis.Redis.from_url(REDIS_TEST_URL).publish(redis_cache.purge_channel, b"")

    assert wait_for(lambda: listener.mark() != before), "the purge never arrived"
    assert client.get("/section/city/")["X-Cache"] == "miss"


@pytest.mark.django_db
def test_with_redis_this_processs_own_purge_counts_at_once(
    client, page_cache, redis_cache, story, django_capture_on_commit_callbacks
):
    listener = redis_cache.purge_listener()
    client.get("/section/city/")
    assert wait_for(lambda: listener.mark() is not None)
    assert client.get("/section/city/")["X-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        purge_keys([f"article:{story.pk}"])

    # No waiting for the channel: the purging process changed its own mark.
    assert client.get("/section/city/")["X-Cache"] == "miss"


def test_a_listener_without_redis_leaves_hits_reading_the_shared_mark():
    listener = PurgeListener("redis://127.0.0.1:1/0", "test-purges")
    listener.RETRY_AFTER = 0.05

    try:
        assert listener.mark() is None
        time.sleep(0.2)  # several failed connections later
        assert listener.mark() is None
        assert listener.pid is not None  # started once, not per call
    finally:
        listener.stop()
