import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import BadRequest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from articles.newsfeed import LATEST_MICROSECONDS, Cursor, feed_batch
from tests.factories import ArticleFactory

KYIV = ZoneInfo("Europe/Kyiv")
NOW = datetime(2025, 6, 18, 12, 0, tzinfo=KYIV)  # a Wednesday, far from a DST change
FEED_URL = "/news/"
SHOW_MORE = re.compile(r'<a class="show-more" href="/news/\?before=([^"]+)"')
ITEM_LINK = re.compile(r'<li class="feed-item">.*?<a href="/news/([^/"]+)/">', re.S)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def live(minutes_ago, **kwargs):
    return ArticleFactory(
        status=Article.Status.PUBLISHED, published_at=NOW - timedelta(minutes=minutes_ago), **kwargs
    )


def items_of(batch):
    return [item for day in batch.days for item in day.items]


def walk(size):
    """Every batch from the first, following next_cursor to the end."""
    batches = [feed_batch(size=size)]
    while batches[-1].next_cursor:
        batches.append(feed_batch(batches[-1].next_cursor, size=size))
    return batches


def newest_first():
    return list(Article.objects.published().order_by("-published_at", "-id"))


def htmx_get(client, url, **params):
    return client.get(url, params, headers={"HX-Request": "true"})


# Batches --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_first_batch_holds_the_newest_items_newest_first():
    articles = [live(minutes_ago=minutes) for minutes in [30, 10, 50, 20, 40, 60]]
    by_time = sorted(articles, key=lambda article: article.published_at, reverse=True)

    batch = feed_batch(size=4)

    assert items_of(batch) == by_time[:4]
    assert batch.next_cursor == Cursor.after(by_time[3])


@pytest.mark.django_db
def test_the_next_batch_starts_right_after_the_cursor():
    articles = [live(minutes_ago=minutes) for minutes in range(1, 8)]

    first = feed_batch(size=3)
    second = feed_batch(first.next_cursor, size=3)

    assert items_of(first) == articles[:3]
    assert items_of(second) == articles[3:6]


@pytest.mark.django_db
def test_the_last_batch_has_no_cursor():
    articles = [live(minutes_ago=minutes) for minutes in range(1, 5)]

    first = feed_batch(size=2)
    last = feed_batch(first.next_cursor, size=2)

    assert items_of(last) == articles[2:]
    assert last.next_cursor is None


@pytest.mark.django_db
def test_a_feed_that_fits_in_one_batch_has_no_cursor():
    live(minutes_ago=1)
    live(minutes_ago=2)

    assert feed_batch(size=2).next_cursor is None


@pytest.mark.django_db
def test_an_empty_feed_is_an_empty_batch():
    batch = feed_batch()

    assert batch.days == []
    assert batch.next_cursor is None


@pytest.mark.django_db
def test_scheduled_and_draft_items_never_appear_in_any_batch():
    published = [live(minutes_ago=minutes) for minutes in range(1, 6)]
    ArticleFactory(scheduled=True)
    ArticleFactory(status=Article.Status.PUBLISHED, published_at=NOW + timedelta(seconds=1))
    ArticleFactory(status=Article.Status.DRAFT)
    ArticleFactory(status=Article.Status.DRAFT, published_at=NOW - timedelta(minutes=3))

    seen = [item for batch in walk(size=2) for item in items_of(batch)]

    assert seen == published


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 7, 20])
def test_walking_every_batch_visits_each_item_once_even_when_times_are_shared(size):
    # 15 items in five groups of three sharing a publish time to the microsecond, so
    # most batch boundaries fall inside a group and only the id tells the items apart.
    for group in range(5):
        shared = NOW - timedelta(minutes=group, microseconds=7)
        ArticleFactory.create_batch(3, status=Article.Status.PUBLISHED, published_at=shared)

    seen = [item.pk for batch in walk(size) for item in items_of(batch)]

    assert len(seen) == len(set(seen)) == 15
    assert seen == [article.pk for article in newest_first()]


@pytest.mark.django_db
def test_items_published_while_a_reader_pages_do_not_shift_or_repeat_later_batches(
    time_machine,
):
    originals = [live(minutes_ago=minutes) for minutes in range(1, 11)]
    seen = []
    cursor = None
    while True:
        batch = feed_batch(cursor, size=3)
        seen.extend(items_of(batch))
        # Meanwhile the desk publishes two more stories.
        time_machine.shift(timedelta(minutes=1))
        ArticleFactory(published=True, published_at=None)
        ArticleFactory(status=Article.Status.PUBLISHED, published_at=None)
        cursor = batch.next_cursor
        if cursor is None:
            break

    assert seen == originals


@pytest.mark.django_db
def test_a_scheduled_story_that_goes_live_mid_walk_appears_in_no_later_batch(time_machine):
    originals = [live(minutes_ago=minutes) for minutes in range(1, 7)]
    ArticleFactory(status=Article.Status.PUBLISHED, published_at=NOW + timedelta(minutes=5))

    first = feed_batch(size=3)
    time_machine.shift(timedelta(minutes=10))
    second = feed_batch(first.next_cursor, size=3)

    assert items_of(first) + items_of(second) == originals
    assert second.next_cursor is None


# Cursors --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_cursor_round_trips_through_its_text():
    article = ArticleFactory(
        published=True, published_at=datetime(2024, 2, 29, 23, 59, 59, 999_999, tzinfo=KYIV)
    )
    cursor = Cursor.after(article)

    parsed = Cursor.parse(str(cursor))

    assert parsed == cursor
    assert str(parsed) == str(cursor)
    assert parsed.pk == article.pk


@pytest.mark.parametrize(
    "text", ["0-1", "1718703600000000-42", "99999999999999999-999999999999999999"]
)
def test_cursor_text_round_trips_exactly(text):
    assert str(Cursor.parse(text)) == text


MALFORMED_CURSORS = [
    "",
    "abc",
    "-1-2",
    "1-",
    "-1",
    "1",
    "1-2-3",
    "1.5-2",
    "+1-2",
    "1e5-2",
    "0x10-2",
    " 1-2",
    "1-2 ",
    "1-2\n",
    "1-2\x00",
    "\x00",
    "%00",
    "1%2D2",
    "１２３-４",  # fullwidth digits
    "١٢٣-٤",  # Arabic-Indic digits
    "😀-1",
    "Ünïcödé",
    f"{LATEST_MICROSECONDS + 1}-1",
    "999999999999999999-1",
    "1-9999999999999999999",
    "9" * 40 + "-1",
    "9" * 10_240,
    "1-" + "9" * 10_240,
    "a" * 10_240,
]


@pytest.mark.parametrize("text", MALFORMED_CURSORS)
def test_malformed_cursors_are_a_bad_request(text):
    with pytest.raises(BadRequest):
        Cursor.parse(text)


@pytest.mark.django_db
@pytest.mark.parametrize("text", MALFORMED_CURSORS)
def test_the_news_feed_answers_a_malformed_cursor_with_400(client, text):
    live(minutes_ago=1)

    response = client.get(FEED_URL, {"before": text})

    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("text", MALFORMED_CURSORS)
def test_an_htmx_request_with_a_malformed_cursor_is_a_400_too(client, text):
    response = htmx_get(client, FEED_URL, before=text)

    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["0-0", "0-1", "99999999999999999-1", "1-999999999999999999"])
def test_extreme_but_well_formed_cursors_are_served(client, text):
    live(minutes_ago=1)

    response = client.get(FEED_URL, {"before": text})

    assert response.status_code == 200


@pytest.mark.django_db
def test_a_cursor_older_than_everything_is_an_empty_page_not_an_error(client):
    live(minutes_ago=1)

    response = client.get(FEED_URL, {"before": "0-1"})

    assertContains(response, "No stories yet.")
    assertNotContains(response, "Show More")


# The view -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_without_javascript_the_feed_is_a_full_page_with_a_show_more_link(client, settings):
    settings.NEWSROOM_FEED_BATCH = 3
    articles = [live(minutes_ago=minutes) for minutes in range(1, 6)]

    response = client.get(FEED_URL)

    assert reverse("articles:index") == FEED_URL
    assertContains(response, "<html", count=1)
    assertContains(response, '<h1 class="page-title">News Feed</h1>', html=True)
    cursor = Cursor.after(articles[2])
    assertContains(
        response,
        f'<a class="show-more" href="/news/?before={cursor}"',
        count=1,
    )
    assert ITEM_LINK.findall(response.content.decode()) == [a.slug for a in articles[:3]]


@pytest.mark.django_db
def test_following_show_more_without_javascript_loads_the_next_batch_as_a_full_page(
    client, settings
):
    settings.NEWSROOM_FEED_BATCH = 3
    articles = [live(minutes_ago=minutes) for minutes in range(1, 6)]
    first = client.get(FEED_URL).content.decode()

    (cursor,) = SHOW_MORE.findall(first)
    response = client.get(FEED_URL, {"before": cursor})

    assertContains(response, "<html", count=1)
    assertContains(response, "Back to the latest")
    assertContains(response, '<meta name="robots" content="noindex, follow">')
    assert ITEM_LINK.findall(response.content.decode()) == [a.slug for a in articles[3:]]
    assertNotContains(response, "Show More")


@pytest.mark.django_db
def test_an_htmx_request_gets_only_the_next_batch_with_its_own_show_more(client, settings):
    settings.NEWSROOM_FEED_BATCH = 2
    articles = [live(minutes_ago=minutes) for minutes in range(1, 6)]

    response = htmx_get(client, FEED_URL, before=str(Cursor.after(articles[1])))

    assert response.status_code == 200
    assertNotContains(response, "<html")
    assertNotContains(response, "<body")
    assertNotContains(response, "site-header")
    assert ITEM_LINK.findall(response.content.decode()) == [a.slug for a in articles[2:4]]
    assertContains(response, "data-new-batch", count=1)
    cursor = Cursor.after(articles[3])
    assertContains(response, f'href="/news/?before={cursor}"', count=1)
    assertContains(response, f'data-hx-get="/news/?before={cursor}"', count=1)


@pytest.mark.django_db
def test_the_last_htmx_batch_has_no_show_more(client, settings):
    settings.NEWSROOM_FEED_BATCH = 2
    articles = [live(minutes_ago=minutes) for minutes in range(1, 5)]

    response = htmx_get(client, FEED_URL, before=str(Cursor.after(articles[1])))

    assert ITEM_LINK.findall(response.content.decode()) == [a.slug for a in articles[2:]]
    assertNotContains(response, "Show More")
    assertNotContains(response, "before=")


@pytest.mark.django_db
def test_the_full_and_the_partial_feed_tell_caches_apart(client):
    live(minutes_ago=1)

    full = client.get(FEED_URL)
    partial = htmx_get(client, FEED_URL)

    assert "HX-Request" in full["Vary"]
    assert "HX-Request" in partial["Vary"]


@pytest.mark.django_db
@pytest.mark.parametrize("size", [2, 3, 4])
def test_clicking_show_more_until_the_end_visits_every_story_once(client, settings, size):
    settings.NEWSROOM_FEED_BATCH = size
    for group in range(4):
        shared = NOW - timedelta(hours=group * 10)
        ArticleFactory.create_batch(3, status=Article.Status.PUBLISHED, published_at=shared)
    ArticleFactory(scheduled=True)
    ArticleFactory(status=Article.Status.DRAFT)

    page = client.get(FEED_URL).content.decode()
    seen = ITEM_LINK.findall(page)
    while cursors := SHOW_MORE.findall(page):
        (cursor,) = cursors
        page = htmx_get(client, FEED_URL, before=cursor).content.decode()
        seen.extend(ITEM_LINK.findall(page))

    assert seen == [article.slug for article in newest_first()]


@pytest.mark.django_db
def test_scheduled_and_draft_stories_never_appear_in_the_feed_page(client):
    published = live(minutes_ago=1, title="Budget agreed")
    ArticleFactory(scheduled=True, title="Embargoed result")
    ArticleFactory(status=Article.Status.DRAFT, title="Unfinished draft")

    response = client.get(FEED_URL)

    assertContains(response, published.title)
    assertNotContains(response, "Embargoed result")
    assertNotContains(response, "Unfinished draft")


@pytest.mark.django_db
def test_the_feed_only_answers_safe_methods(client):
    assert client.post(FEED_URL).status_code == 405
    assert client.head(FEED_URL).status_code == 200


# Days -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_items_are_grouped_under_today_yesterday_and_older_dates(client):
    ArticleFactory(published=True, published_at=NOW - timedelta(hours=2), title="Morning")
    ArticleFactory(published=True, published_at=NOW - timedelta(days=1), title="Tuesday noon")
    ArticleFactory(
        published=True,
        published_at=datetime(2025, 6, 15, 9, 0, tzinfo=KYIV),
        title="Sunday morning",
    )

    response = client.get(FEED_URL)

    page = response.content.decode()
    headings = re.findall(r'<p class="feed-day"><time datetime="([^"]+)">([^<]+)</time>', page)
    assert headings == [
        ("2025-06-18", "Today"),
        ("2025-06-17", "Yesterday"),
        ("2025-06-15", "Sunday, 15 June"),
    ]
    assert page.index("Today") < page.index("Morning") < page.index("Yesterday")
    assert page.index("Tuesday noon") < page.index("Sunday, 15 June") < page.index("Sunday morning")


@pytest.mark.django_db
def test_days_follow_the_newsroom_time_zone_not_utc(client):
    # 00:30 in Kyiv on the 18th is still the 17th in UTC.
    ArticleFactory(published=True, published_at=datetime(2025, 6, 18, 0, 30, tzinfo=KYIV))

    response = client.get(FEED_URL)

    assertContains(response, '<time datetime="2025-06-18">Today</time>', html=True)
    assertNotContains(response, "Yesterday")


@pytest.mark.django_db
def test_a_day_continued_from_the_previous_batch_does_not_repeat_its_heading(client, settings):
    settings.NEWSROOM_FEED_BATCH = 2
    today = [live(minutes_ago=minutes) for minutes in range(1, 4)]
    ArticleFactory(published=True, published_at=NOW - timedelta(days=1))

    first = client.get(FEED_URL)
    second = htmx_get(client, FEED_URL, before=str(Cursor.after(today[1])))

    assertContains(first, ">Today</time>", count=1)
    assertNotContains(second, ">Today</time>")
    assertContains(second, ">Yesterday</time>", count=1)
    assert ITEM_LINK.findall(second.content.decode())[0] == today[2].slug


@pytest.mark.django_db
def test_a_full_page_of_older_stories_still_names_the_day_it_starts_in(client, settings):
    # Without JavaScript the previous batch is not on the page, so its heading is needed.
    settings.NEWSROOM_FEED_BATCH = 2
    today = [live(minutes_ago=minutes) for minutes in range(1, 4)]

    response = client.get(FEED_URL, {"before": str(Cursor.after(today[1]))})

    assertContains(response, ">Today</time>", count=1)


@pytest.mark.django_db
def test_feed_batches_mark_a_continued_day():
    today = [live(minutes_ago=minutes) for minutes in range(1, 4)]
    ArticleFactory(published=True, published_at=NOW - timedelta(days=2))

    first = feed_batch(size=2)
    second = feed_batch(first.next_cursor, size=2)

    assert [(day.label, day.continued) for day in first.days] == [("Today", False)]
    assert [(day.label, day.continued) for day in second.days] == [
        ("Today", True),
        ("Monday, 16 June", False),
    ]
    assert second.days[0].items == [today[2]]


# Query counts ---------------------------------------------------------------------------


def publish_many(count):
    for minutes in range(1, count + 1):
        live(minutes_ago=minutes * 7)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 45])
def test_the_first_feed_batch_query_count_does_not_grow(client, django_assert_num_queries, count):
    publish_many(count)

    # 1. the batch: published articles with their sections, one more than a batch
    # 2. the section navigation (context processor)
    # 3. the breaking-news flag (context processor: banner and the "Breaking" mark)
    with django_assert_num_queries(3):
        response = client.get(FEED_URL)
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 45])
def test_a_cursor_feed_batch_query_count_does_not_grow(client, django_assert_num_queries, count):
    publish_many(count)
    cursor = Cursor.after(newest_first()[1])

    # 1. the batch after the cursor, with sections
    # 2. the breaking-news flag (the batch marks a breaking story)
    with django_assert_num_queries(2):
        response = htmx_get(client, FEED_URL, before=str(cursor))
    assert response.status_code == 200
    # the full page adds 3. the section navigation
    with django_assert_num_queries(3):
        client.get(FEED_URL, {"before": str(cursor)})
