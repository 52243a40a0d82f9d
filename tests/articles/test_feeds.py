from datetime import datetime, timedelta
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory

NOW = datetime(2025, 6, 18, 12, 0, tzinfo=ZoneInfo("Europe/Kyiv"))
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def rss_items(response):
    channel = ElementTree.fromstring(response.content).find("channel")  # noqa: S314 - our own output
    return channel.findall("item")


def sitemap_urls(response):
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own output
    if root.tag == f"{SITEMAP}sitemapindex":  # the index: gather the sitemaps it lists
        client = Client()
        urls = {}
        for location in root.iter(f"{SITEMAP}loc"):
            urls.update(sitemap_urls(client.get(location.text)))
        return urls
    return {
        url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
        for url in root.findall(f"{SITEMAP}url")
    }


# RSS ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_rss_feed_lists_published_stories_only_newest_first(client):
    older = ArticleFactory(published=True, published_at=NOW - timedelta(days=1))
    newer = ArticleFactory(published=True, published_at=NOW - timedelta(hours=1))
    ArticleFactory(status=Article.Status.DRAFT, title="Unfinished draft")
    ArticleFactory(status=Article.Status.DRAFT, published_at=NOW - timedelta(hours=2))
    ArticleFactory(scheduled=True, title="Embargoed result")

    response = client.get("/feed/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    links = [item.findtext("link") for item in rss_items(response)]
    assert links == [
        f"http://testserver{newer.get_absolute_url()}",
        f"http://testserver{older.get_absolute_url()}",
    ]
    assert b"Unfinished draft" not in response.content
    assert b"Embargoed result" not in response.content


@pytest.mark.django_db
def test_each_rss_item_carries_headline_standfirst_date_section_and_writers(client):
    article = ArticleFactory(
        published=True,
        published_at=datetime(2025, 6, 18, 9, 30, tzinfo=NOW.tzinfo),
        title="Council agrees budget",
        summary="The vote was closer than expected.",
        section=SectionFactory(name="City Hall"),
        authors=[AuthorFactory(name="Zoe Zed"), AuthorFactory(name="Adam Ant")],
    )

    (item,) = rss_items(client.get("/feed/"))

    assert item.findtext("title") == "Council agrees budget"
    assert item.findtext("description") == "The vote was closer than expected."
    assert item.findtext("guid") == f"http://testserver{article.get_absolute_url()}"
    assert item.findtext("pubDate") == "Wed, 18 Jun 2025 06:30:00 +0000"
    assert item.findtext("category") == "City Hall"
    assert [creator.text for creator in item.findall(DC_CREATOR)] == ["Zoe Zed", "Adam Ant"]


@pytest.mark.django_db
def test_an_rss_item_without_bylines_names_no_author(client):
    ArticleFactory(published=True)

    (item,) = rss_items(client.get("/feed/"))

    assert item.find(DC_CREATOR) is None
    assert item.find("author") is None


@pytest.mark.django_db
def test_the_rss_feed_stops_at_thirty_stories(client):
    for minutes in range(1, 33):
        ArticleFactory(published=True, published_at=NOW - timedelta(minutes=minutes))

    assert len(rss_items(client.get("/feed/"))) == 30


@pytest.mark.django_db
def test_the_rss_feed_never_carries_the_body(client):
    ArticleFactory(published=True, body="<p>Only for readers of the site.</p>")

    assert b"Only for readers of the site." not in client.get("/feed/").content


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 25])
def test_rss_feed_query_count_does_not_grow(client, django_assert_num_queries, count):
    authors = AuthorFactory.create_batch(3)
    for minutes in range(1, count + 1):
        ArticleFactory(
            published=True,
            published_at=NOW - timedelta(minutes=minutes),
            authors=authors,
            tags=[TagFactory()],
        )

    # 1. the validators for Last-Modified and the ETag (one aggregate)
    # 2. the thirty newest articles with their sections
    # 3. their bylines with authors
    # 4. their tags (categories)
    with django_assert_num_queries(4):
        response = client.get("/feed/")
    assert len(rss_items(response)) == count


# Sitemap --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sitemap_lists_published_stories_only(client):
    live = ArticleFactory(published=True, slug="live-story")
    ArticleFactory(status=Article.Status.DRAFT, slug="draft-story")
    ArticleFactory(status=Article.Status.DRAFT, slug="pulled-story", published_at=NOW)
    ArticleFactory(scheduled=True, slug="scheduled-story")

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    news_feed_page = "http://testserver/news/"
    story_urls = {url for url in sitemap_urls(response) if "/news/" in url} - {news_feed_page}
    assert story_urls == {f"http://testserver{live.get_absolute_url()}"}


@pytest.mark.django_db
def test_a_sitemap_entry_is_last_modified_when_the_story_was_updated_or_published(client):
    ArticleFactory(
        published=True,
        slug="updated-story",
        published_at=datetime(2025, 6, 1, 12, 0, tzinfo=NOW.tzinfo),
        updated_at=datetime(2025, 6, 10, 12, 0, tzinfo=NOW.tzinfo),
    )
    ArticleFactory(
        published=True,
        slug="untouched-story",
        published_at=datetime(2025, 6, 3, 12, 0, tzinfo=NOW.tzinfo),
    )

    urls = sitemap_urls(client.get("/sitemap.xml"))

    assert urls["http://testserver/news/updated-story/"] == "2025-06-10"
    assert urls["http://testserver/news/untouched-story/"] == "2025-06-03"


@pytest.mark.django_db
def test_the_sitemap_lists_sections_and_tags(client):
    SectionFactory(slug="sport")
    TagFactory(slug="elections")

    urls = sitemap_urls(client.get("/sitemap.xml"))

    assert "http://testserver/section/sport/" in urls
    assert "http://testserver/tag/elections/" in urls
