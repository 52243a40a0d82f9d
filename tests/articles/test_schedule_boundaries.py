"""A scheduled or embargoed story appears on every public surface by itself, at the second
its time passes, and nowhere one second before: `published()` is evaluated per request."""

from datetime import datetime, timedelta
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory

NOW = datetime(2025, 6, 18, 12, 0, tzinfo=ZoneInfo("Europe/Kyiv"))
GOES_LIVE = NOW + timedelta(hours=1)
SECOND = timedelta(seconds=1)
HEADLINE = "Quillfeather reservoir opens"
SLUG = "quillfeather-reservoir-opens"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_locations(client, url):
    root = ElementTree.fromstring(client.get(url).content)  # noqa: S314 - our own output
    locations = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    if root.tag != f"{SITEMAP}sitemapindex":
        return locations
    return [found for location in locations for found in sitemap_locations(client, location)]


def shows_story(client, url):
    response = client.get(url)
    if response.status_code == 404:
        return False
    assert response.status_code == 200, url
    return HEADLINE in response.content.decode() or SLUG in response.content.decode()


# Each surface: how a reader (or a crawler) would find the story there.
SURFACES = {
    "article page": lambda client: client.get(f"/news/{SLUG}/").status_code == 200,
    "home": lambda client: shows_story(client, "/"),
    "news feed": lambda client: shows_story(client, "/news/"),
    "section page": lambda client: shows_story(client, "/section/water/"),
    "tag page": lambda client: shows_story(client, "/tag/reservoirs/"),
    "author page": lambda client: shows_story(client, "/authors/oksana-petrenko/"),
    "rss feed": lambda client: shows_story(client, "/feed/"),
    "atom feed": lambda client: shows_story(client, "/feed/atom/"),
    "section feed": lambda client: shows_story(client, "/section/water/feed/"),
    "section atom feed": lambda client: shows_story(client, "/section/water/feed/atom/"),
    "tag feed": lambda client: shows_story(client, "/tag/reservoirs/feed/"),
    "tag atom feed": lambda client: shows_story(client, "/tag/reservoirs/feed/atom/"),
    "author feed": lambda client: shows_story(client, "/authors/oksana-petrenko/feed/"),
    "author atom feed": lambda client: shows_story(client, "/authors/oksana-petrenko/feed/atom/"),
    "sitemaps": lambda client: any(
        location.endswith(f"/news/{SLUG}/")
        for location in sitemap_locations(client, "/sitemap.xml")
    ),
    "news sitemap": lambda client: shows_story(client, "/sitemap-news.xml"),
    "search": lambda client: shows_story(client, "/search/?q=Quillfeather"),
    "related stories": lambda client: shows_story(client, "/news/reservoir-levels-rise/"),
}

# The story's times for each rule; the boundary is GOES_LIVE in both.
TIMES = {
    "publish time": {"published_at": GOES_LIVE, "embargo_until": None},
    "embargo": {"published_at": NOW - timedelta(hours=3), "embargo_until": GOES_LIVE},
}


@pytest.fixture
def story(time_machine):
    time_machine.move_to(NOW, tick=False)
    section = SectionFactory(name="Water", slug="water")
    tag = TagFactory(name="Reservoirs", slug="reservoirs")
    writer = AuthorFactory(name="Oksana Petrenko", slug="oksana-petrenko")
    # A live story sharing section, tag and writer: its page lists related stories, and
    # the section, tag and author pages exist before the scheduled story appears.
    ArticleFactory(
        published=True,
        title="Reservoir levels rise",
        slug="reservoir-levels-rise",
        section=section,
        tags=[tag],
        authors=[writer],
    )

    def make(rule):
        return ArticleFactory(
            status=Article.Status.PUBLISHED,
            title=HEADLINE,
            slug=SLUG,
            summary="The valley's new reservoir holds its first water.",
            section=section,
            tags=[tag],
            authors=[writer],
            **TIMES[rule],
        )

    return make


@pytest.mark.django_db
@pytest.mark.parametrize("rule", TIMES)
@pytest.mark.parametrize("surface", SURFACES)
def test_the_story_is_nowhere_one_second_before_its_time(story, time_machine, rule, surface):
    story(rule)
    time_machine.move_to(GOES_LIVE - SECOND, tick=False)

    assert SURFACES[surface](Client()) is False


@pytest.mark.django_db
@pytest.mark.parametrize("rule", TIMES)
@pytest.mark.parametrize("surface", SURFACES)
def test_the_story_is_there_one_second_after_its_time(story, time_machine, rule, surface):
    story(rule)
    time_machine.move_to(GOES_LIVE + SECOND, tick=False)

    assert SURFACES[surface](Client()) is True
