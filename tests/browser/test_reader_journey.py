"""What a reader meets, in a real browser: home → News Feed → Show More → article → author."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, BreakingNews, HomeSlot
from tests.browser.conftest import WIDTHS
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory

FEED_BATCH = 20


@pytest.fixture
def newsroom(transactional_db):
    writer = AuthorFactory(
        name="Oksana Petrenko", role="Politics Reporter", bio="Covers parliament and the city."
    )
    section = SectionFactory(name="Politics", slug="politics")
    lead = ArticleFactory(
        published=True,
        kind="story",
        title="Council agrees the city budget after a long night",
        authors=[writer],
        section=section,
    )
    start = timezone.now() - timedelta(hours=2)
    for minute in range(45):
        ArticleFactory(
            published_at=start - timedelta(minutes=minute),
            status="published",
            kind="news",
            title=f"Brief number {minute}",
            section=section,
        )
    return lead, writer


@pytest.mark.parametrize("width", WIDTHS)
def test_reader_goes_from_home_to_an_author_page(live_server, page, newsroom, screenshot, width):
    lead, writer = newsroom
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name=lead.title)).to_be_visible()
    screenshot(page, f"home-{width}")

    page.get_by_role("navigation", name="Sections").get_by_role("link", name="News Feed").click()
    expect(page).to_have_url(live_server.url + "/news/")
    items = page.locator(".feed-item")
    expect(items).to_have_count(FEED_BATCH)
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_role("link", name="Show More").click()
    expect(items).to_have_count(2 * FEED_BATCH)
    assert page.url == live_server.url + "/news/"
    assert page.evaluate("window.stillTheSamePage") is True
    expect(page.locator("h1")).to_have_count(1)
    screenshot(page, f"news-feed-{width}")

    page.get_by_role("link", name=lead.title).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(lead.title)
    expect(page.get_by_text("1 min read")).to_be_visible()
    screenshot(page, f"article-{width}")

    page.get_by_role("link", name=f"Read more about {writer.name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(writer.name)
    expect(page.get_by_text(writer.role).first).to_be_visible()
    screenshot(page, f"author-{width}")


def test_show_more_is_a_plain_link_without_javascript(live_server, browser, newsroom):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/news/")
    page.get_by_role("link", name="Show More").click()
    assert "/news/?before=" in page.url
    expect(page.locator(".feed-item")).to_have_count(FEED_BATCH)
    expect(page.get_by_role("link", name="Back to the latest")).to_be_visible()
    expect(page.get_by_text("Brief number 19", exact=True)).to_have_count(1)
    context.close()


def test_keyboard_reader_loads_more_news_and_sees_where_focus_is(live_server, page, newsroom):
    page.goto(live_server.url + "/news/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    show_more = page.get_by_role("link", name="Show More")
    for _ in range(80):
        page.keyboard.press("Tab")
        if show_more.evaluate("link => link === document.activeElement"):
            break
    expect(show_more).to_be_focused()
    outline = show_more.evaluate("link => getComputedStyle(link).outlineStyle")
    assert outline != "none"

    page.keyboard.press("Enter")
    expect(page.locator(".feed-item")).to_have_count(2 * FEED_BATCH)
    expect(page.get_by_role("link", name="Brief number 19", exact=True)).to_be_focused()


def test_home_show_more_never_repeats_a_story_shown_above(live_server, page, newsroom):
    lead, _ = newsroom
    pinned = Article.objects.get(title="Brief number 20")
    HomeSlot.objects.create(position=HomeSlot.Position.LEAD, article=pinned)
    BreakingNews.objects.create(article=lead)
    page.goto(live_server.url + "/")
    column = page.locator(".home-feed")
    expect(column.locator(".feed-item")).to_have_count(12)

    column.get_by_role("link", name="Show More").click()

    expect(column.locator(".feed-item")).to_have_count(12 + FEED_BATCH)
    assert page.url == live_server.url + "/"
    expect(page.get_by_role("link", name="Brief number 20", exact=True)).to_have_count(1)
    expect(page.locator("h1")).to_have_count(1)
    banner = page.get_by_role("complementary", name="Breaking news")
    banner.get_by_role("link", name=lead.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(lead.title)
