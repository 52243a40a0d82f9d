import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ImageFactory,
    SectionFactory,
    TagFactory,
)

NOW = datetime(2025, 6, 18, 12, 0, tzinfo=ZoneInfo("Europe/Kyiv"))
CARD_LINK = re.compile(r'<h\d class="card-title"><a href="/news/([^/"]+)/">')
FEED_LINK = re.compile(r'<li class="feed-item">.*?<a href="/news/([^/"]+)/">', re.S)
BLOCK = re.compile(
    r'<section class="section-block" aria-labelledby="block-([^"]+)">(.*?)</section>', re.S
)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def story(minutes_ago, **kwargs):
    kwargs.setdefault("kind", Article.Kind.STORY)
    return ArticleFactory(
        status=Article.Status.PUBLISHED, published_at=NOW - timedelta(minutes=minutes_ago), **kwargs
    )


def home(client):
    response = client.get("/")
    assert response.status_code == 200
    return response


def region(response, start, end):
    page = response.content.decode()
    if start not in page:
        return ""
    begin = page.index(start)
    return page[begin : page.index(end, begin)]


def lead_and_top(response):
    """Slugs of the lead story, then the top stories, in page order."""
    return CARD_LINK.findall(region(response, '<section class="home-lead"', "</section>\n"))


def blocks(response):
    """[(section slug, [article slugs])] in page order."""
    return [
        (slug, CARD_LINK.findall(block)) for slug, block in BLOCK.findall(response.content.decode())
    ]


def feed_column(response):
    return FEED_LINK.findall(region(response, '<aside class="home-feed"', "</aside>"))


@pytest.mark.django_db
def test_an_empty_site_renders_the_home_page(client):
    response = home(client)

    assertContains(response, "No stories yet.")
    assertNotContains(response, "home-lead")
    assertNotContains(response, "section-block")
    assertNotContains(response, "Show More")


@pytest.mark.django_db
def test_the_newest_illustrated_story_leads_and_the_next_four_are_top_stories(client):
    illustrated = [story(minutes, with_image=True) for minutes in range(10, 80, 10)]

    response = home(client)

    assert lead_and_top(response) == [article.slug for article in illustrated[:5]]
    assertContains(response, 'class="card card-lead"', count=1)
    assertContains(response, 'class="card card-top"', count=4)
    lead_image = illustrated[0].lead_image.rendition("w320")["url"]
    assertContains(response, f'<img src="{lead_image}"', count=1)
    # The lead story's photo loads at once; the top stories' photos lazily.
    assertContains(response, 'loading="eager" fetchpriority="high"', count=1)
    assertContains(response, 'loading="lazy"', count=4)


@pytest.mark.django_db
def test_news_items_and_stories_without_a_photo_never_lead(client):
    story(1, kind=Article.Kind.NEWS, with_image=True, slug="news-with-photo")
    story(2, slug="story-without-photo")
    opinion = story(3, kind=Article.Kind.OPINION, with_image=True)
    analysis = story(4, kind=Article.Kind.ANALYSIS, with_image=True)

    response = home(client)

    assert lead_and_top(response) == [opinion.slug, analysis.slug]


@pytest.mark.django_db
def test_a_story_whose_photo_may_no_longer_be_shown_does_not_lead(client):
    expired = ImageFactory(usage_expires=NOW.date() - timedelta(days=1))
    story(1, lead_image=expired, slug="expired-photo")
    pictured = story(2, with_image=True)

    response = home(client)

    assert lead_and_top(response) == [pictured.slug]
    assertNotContains(response, expired.rendition("w320")["url"])


@pytest.mark.django_db
def test_scheduled_and_draft_stories_never_reach_the_home_page(client):
    live = story(5, with_image=True, title="Live story")
    ArticleFactory(scheduled=True, with_image=True, title="Scheduled story")
    ArticleFactory(status=Article.Status.DRAFT, with_image=True, title="Draft story")
    ArticleFactory(
        status=Article.Status.DRAFT,
        published_at=NOW - timedelta(minutes=1),
        with_image=True,
        title="Pulled story",
    )
    ArticleFactory(
        status=Article.Status.PUBLISHED,
        published_at=NOW + timedelta(seconds=1),
        kind=Article.Kind.NEWS,
        title="Embargoed news item",
    )

    response = home(client)

    assertContains(response, live.title)
    for hidden in ["Scheduled story", "Draft story", "Pulled story", "Embargoed news item"]:
        assertNotContains(response, hidden)


@pytest.mark.django_db
def test_section_blocks_follow_the_section_order(client):
    culture = SectionFactory(name="Culture", slug="culture", position=3)
    politics = SectionFactory(name="Politics", slug="politics", position=1)
    sport = SectionFactory(name="Sport", slug="sport", position=2)
    SectionFactory(name="Empty", slug="empty", position=0)
    for section in [culture, politics, sport]:
        story(10, section=section)

    response = home(client)

    assert [slug for slug, _ in blocks(response)] == ["politics", "sport", "culture"]
    assertContains(
        response,
        '<h2 id="block-politics" class="block-heading"><a href="/section/politics/">'
        "Politics</a></h2>",
        html=True,
    )


@pytest.mark.django_db
def test_a_section_block_shows_its_four_newest_stories_but_no_news_items(client):
    sport = SectionFactory(slug="sport")
    stories = [story(minutes, section=sport) for minutes in range(1, 7)]
    story(0, section=sport, kind=Article.Kind.NEWS, slug="sport-news-item")

    response = home(client)

    assert blocks(response) == [("sport", [article.slug for article in stories[:4]])]


@pytest.mark.django_db
def test_no_story_appears_both_in_the_top_stories_and_in_a_section_block(client):
    politics = SectionFactory(slug="politics", position=1)
    sport = SectionFactory(slug="sport", position=2)
    for minutes in range(1, 13):
        story(
            minutes,
            section=politics if minutes % 2 else sport,
            with_image=minutes % 3 != 0,
        )

    response = home(client)

    top = lead_and_top(response)
    in_blocks = [slug for _, slugs in blocks(response) for slug in slugs]
    assert len(top) == 5
    assert in_blocks
    assert not set(top) & set(in_blocks)
    assert len(in_blocks) == len(set(in_blocks))


@pytest.mark.django_db
def test_a_section_whose_stories_all_lead_gets_no_block(client):
    politics = SectionFactory(slug="politics")
    story(1, section=politics, with_image=True)
    story(2, section=politics, with_image=True)

    response = home(client)

    assert len(lead_and_top(response)) == 2
    assert blocks(response) == []


@pytest.mark.django_db
def test_the_news_feed_column_lists_every_kind_newest_first(client):
    news = story(1, kind=Article.Kind.NEWS)
    feature = story(2, with_image=True)
    ArticleFactory(scheduled=True, kind=Article.Kind.NEWS)

    response = home(client)

    assert feed_column(response) == [news.slug, feature.slug]
    assertContains(response, '<h2 id="feed-heading" class="block-heading">', count=1)
    assertNotContains(response, "Show More")


@pytest.mark.django_db
def test_the_news_feed_column_offers_show_more_when_there_is_more(client):
    items = [story(minutes, kind=Article.Kind.NEWS) for minutes in range(1, 14)]

    response = home(client)

    assert feed_column(response) == [article.slug for article in items[:12]]
    page = response.content.decode()
    (href,) = re.findall(r'<a class="show-more" href="(/news/\?before=[^"]+)"', page)
    follow = client.get(href)
    assert FEED_LINK.findall(follow.content.decode()) == [items[12].slug]


@pytest.mark.django_db
def test_the_home_page_links_the_section_navigation(client):
    SectionFactory(name="Politics", slug="politics")

    response = home(client)

    assertContains(response, '<a href="/section/politics/">Politics</a>', html=True)


def populate(count):
    """`count` live stories of every kind across three sections, several authors and tags."""
    sections = [SectionFactory(position=position) for position in range(3)]
    authors = AuthorFactory.create_batch(4)
    tags = TagFactory.create_batch(4)
    photos = ImageFactory.create_batch(3)
    kinds = list(Article.Kind)
    for index in range(count):
        story(
            index + 1,
            section=sections[index % 3],
            kind=kinds[index % len(kinds)],
            lead_image=photos[index % 3],
            authors=authors[index % 2 : index % 2 + 3],
            tags=tags[index % 3 :],
        )


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 25])
def test_home_page_query_count_does_not_grow(client, django_assert_num_queries, count):
    populate(count)

    # 1. lead and top stories with their sections and lead photos (printed from the
    #    renditions on the photo's row: no query per photo)
    # 2. their bylines with authors
    # 3. the section blocks' stories (newest per section, in one windowed query)
    # 4. the sections, for the blocks
    # 5. the News Feed column's first batch
    # 6. the section navigation (context processor)
    with django_assert_num_queries(6):
        home(client)


@pytest.mark.django_db
def test_the_home_page_shows_blocks_for_the_first_eight_sections_only(client):
    sections = [SectionFactory(position=position) for position in range(10)]
    for section in sections:
        ArticleFactory(published=True, kind="story", section=section)

    blocks = client.get("/").context["section_blocks"]

    assert [section for section, _ in blocks] == sections[:8]
