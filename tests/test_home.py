import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, HomeSlot
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
    # The lead takes the illustrated story and the block the four newest analyses, so the
    # column shows the news item and the fifth analysis, and nothing shown above.
    section = SectionFactory(slug="politics")
    news = story(1, kind=Article.Kind.NEWS, section=section)
    story(2, with_image=True, section=section)
    analyses = [story(minutes, kind="analysis", section=section) for minutes in range(3, 8)]
    ArticleFactory(scheduled=True, kind=Article.Kind.NEWS)

    response = home(client)

    assert feed_column(response) == [news.slug, analyses[4].slug]
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

    # 1. the editors' live home-page slots with their stories and sections
    # 2. the newest illustrated stories for the places without a slot
    # 3. the lead and top stories' bylines with authors
    # 4. the sections, for the blocks
    # 5. the section blocks' stories (newest per section, in one windowed query)
    # 6. the News Feed column's first batch
    # 7. the section navigation (context processor)
    # 8. the breaking-news banner (context processor)
    with django_assert_num_queries(8):
        home(client)


@pytest.mark.django_db
def test_the_home_page_shows_blocks_for_the_first_eight_sections_only(client):
    sections = [SectionFactory(position=position) for position in range(10)]
    for section in sections:
        ArticleFactory(published=True, kind="story", section=section)

    blocks = client.get("/").context["section_blocks"]

    assert [section for section, _ in blocks] == sections[:8]


# Editors' choices: home-page slots -------------------------------------------------------


def slot(position, article, **window):
    return HomeSlot.objects.create(position=position, article=article, **window)


def everything_on_the_page(response):
    """Every story slug the home page links from a card or the News Feed column."""
    in_blocks = [slug for _, slugs in blocks(response) for slug in slugs]
    return lead_and_top(response) + in_blocks + feed_column(response)


@pytest.mark.django_db
def test_the_editors_lead_and_top_stories_come_first_in_their_order(client):
    newest = [story(minutes, with_image=True) for minutes in range(1, 6)]
    picked = [story(60 + minutes, kind=Article.Kind.NEWS) for minutes in range(3)]
    slot(HomeSlot.Position.LEAD, picked[2])
    slot(HomeSlot.Position.TOP_1, picked[0])
    slot(HomeSlot.Position.TOP_3, picked[1])

    response = home(client)

    # Places without a slot (top stories 2 and 4) take the newest illustrated stories.
    assert lead_and_top(response) == [
        picked[2].slug,
        picked[0].slug,
        newest[0].slug,
        picked[1].slug,
        newest[1].slug,
    ]


@pytest.mark.django_db
def test_a_slot_counts_only_inside_its_time_window(client, time_machine):
    fallback = story(1, with_image=True)
    later = story(30, with_image=True)
    slot(HomeSlot.Position.LEAD, later, starts_at=NOW + timedelta(hours=1))
    slot(HomeSlot.Position.LEAD, story(40), ends_at=NOW)

    before = lead_and_top(home(client))
    time_machine.move_to(NOW + timedelta(hours=1), tick=False)
    after = lead_and_top(home(client))

    assert before == [fallback.slug, later.slug]
    assert after == [later.slug, fallback.slug]


@pytest.mark.django_db
def test_a_slot_ends_by_itself(client, time_machine):
    fallback = story(1, with_image=True)
    picked = story(50)
    slot(HomeSlot.Position.LEAD, picked, ends_at=NOW + timedelta(minutes=30))

    before = lead_and_top(home(client))
    time_machine.move_to(NOW + timedelta(minutes=30), tick=False)
    after = lead_and_top(home(client))

    assert before == [picked.slug, fallback.slug]
    assert after == [fallback.slug]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "state",
    [{"status": Article.Status.DRAFT}, {"scheduled": True}],
    ids=["draft", "scheduled"],
)
def test_a_slot_whose_story_readers_cannot_see_falls_back(client, state):
    fallback = story(1, with_image=True)
    hidden = ArticleFactory(with_image=True, title="Not for readers", **state)
    slot(HomeSlot.Position.LEAD, hidden)

    response = home(client)

    assert lead_and_top(response) == [fallback.slug]
    assertNotContains(response, "Not for readers")


@pytest.mark.django_db
def test_the_newest_slot_wins_a_place_chosen_twice(client):
    older, newer = story(10), story(20)
    slot(HomeSlot.Position.LEAD, older, starts_at=NOW - timedelta(hours=2))
    slot(HomeSlot.Position.LEAD, newer, starts_at=NOW - timedelta(hours=1))

    assert lead_and_top(home(client)) == [newer.slug]


@pytest.mark.django_db
def test_a_story_in_two_slots_appears_once(client):
    picked = story(10)
    fallback = story(1, with_image=True)
    slot(HomeSlot.Position.LEAD, picked)
    slot(HomeSlot.Position.TOP_1, picked)

    assert lead_and_top(home(client)) == [picked.slug, fallback.slug]


@pytest.mark.django_db
def test_a_chosen_story_appears_nowhere_else_on_the_home_page(client):
    section = SectionFactory(slug="politics")
    picked = story(1, kind=Article.Kind.NEWS, section=section)
    analysis = story(2, section=section)
    slot(HomeSlot.Position.TOP_2, analysis)
    slot(HomeSlot.Position.LEAD, picked)

    response = home(client)

    assert everything_on_the_page(response) == [picked.slug, analysis.slug]


@pytest.mark.django_db
def test_no_story_appears_twice_anywhere_on_the_home_page(client):
    populate(40)
    stories = list(Article.objects.published().newest_first())
    slot(HomeSlot.Position.LEAD, stories[30])
    slot(HomeSlot.Position.TOP_4, stories[2])

    response = home(client)

    shown = everything_on_the_page(response)
    assert len(shown) == len(set(shown))
    assert lead_and_top(response)[0] == stories[30].slug
    assert len(feed_column(response)) == 12


@pytest.mark.django_db
def test_show_more_on_the_home_page_leaves_out_the_stories_shown_above(client):
    section = SectionFactory(slug="politics")
    items = [story(minutes, kind=Article.Kind.NEWS, section=section) for minutes in range(1, 15)]
    picked = story(20, kind=Article.Kind.NEWS, section=section)
    slot(HomeSlot.Position.LEAD, picked)

    page = home(client)
    (more,) = re.findall(r'data-hx-get="(/\?before=[^"]+)"', page.content.decode())
    batch = client.get(more, headers={"HX-Request": "true"})

    assert feed_column(page) == [item.slug for item in items[:12]]
    assert FEED_LINK.findall(batch.content.decode()) == [items[12].slug, items[13].slug]
    assert "<html" not in batch.content.decode()
    assert "HX-Request" in batch["Vary"]


@pytest.mark.django_db
def test_a_malformed_show_more_on_the_home_page_is_a_bad_request(client):
    response = client.get("/", {"before": "nonsense"}, headers={"HX-Request": "true"})

    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 25])
def test_home_page_query_count_with_slots_does_not_grow(client, django_assert_num_queries, count):
    populate(count)
    for position, article in zip(HomeSlot.Position, Article.objects.all()[:3], strict=False):
        slot(position, article)

    # the same eight queries as without slots (test_home_page_query_count_does_not_grow)
    with django_assert_num_queries(8):
        home(client)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 25])
def test_home_show_more_query_count_does_not_grow(client, django_assert_num_queries, count):
    populate(count + 20)
    cursor = client.get("/").context["batch"].next_cursor

    # 1-3. the lead and top stories (slots, fallback, bylines)  4-5. the sections and
    # their blocks, to leave them out  6. the batch  7. the breaking-news flag (the mark)
    with django_assert_num_queries(7):
        client.get("/", {"before": str(cursor)}, headers={"HX-Request": "true"})


@pytest.mark.django_db
def test_editors_choose_slots_in_the_admin(editor_client):
    article = story(5)

    response = editor_client.post(
        "/admin/articles/homeslot/add/",
        {"position": "1", "article": str(article.pk), "starts_at_0": "", "starts_at_1": ""},
    )

    assert response.status_code == 302
    assert lead_and_top(home(editor_client)) == [article.slug]


@pytest.mark.django_db
def test_a_slot_must_end_after_it_starts(editor_client):
    article = story(5)

    response = editor_client.post(
        "/admin/articles/homeslot/add/",
        {
            "position": "1",
            "article": str(article.pk),
            "starts_at_0": "2025-06-18",
            "starts_at_1": "12:00:00",
            "ends_at_0": "2025-06-18",
            "ends_at_1": "11:00:00",
        },
    )

    assertContains(response, "The end must come after the start.")
    assert not HomeSlot.objects.exists()


@pytest.mark.django_db
def test_reporters_cannot_change_the_home_page(reporter_client):
    assert reporter_client.get("/admin/articles/homeslot/").status_code == 403


@pytest.mark.django_db
def test_the_slot_list_query_count_does_not_grow(editor_client, django_assert_num_queries):
    for position in HomeSlot.Position:
        slot(position, story(position))
    editor_client.get("/admin/articles/homeslot/")  # warm the content-type cache

    # session, user, the user's own and group permissions, the count, the full count,
    # the slots with their stories
    with django_assert_num_queries(7):
        response = editor_client.get("/admin/articles/homeslot/")
    assertContains(response, '<td class="field-state">Yes</td>', count=5)
