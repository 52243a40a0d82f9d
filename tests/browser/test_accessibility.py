"""axe-core finds no critical or serious WCAG 2 A/AA problem on any public page type, on a
phone and a desktop, in light and dark colour schemes."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import BreakingNews, PreviewLink
from tests.browser.conftest import WIDTHS
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    AuthorLinkFactory,
    CorrectionFactory,
    TagFactory,
    UserFactory,
)
from tests.gates import AXE_JS, require

BLOCKING = {"critical", "serious"}
PASSWORD = "correct horse battery staple"


@pytest.fixture
def site(transactional_db):
    writer = AuthorFactory(name="Oksana Petrenko", role="Politics Reporter")
    AuthorLinkFactory(author=writer)
    tag = TagFactory(name="Budget")
    article = ArticleFactory(
        published=True,
        authors=[writer, AuthorFactory()],
        tags=[tag],
        video_url="https://vimeo.com/76979871",
        body="<h2>Context</h2><p>Text.</p><blockquote><p>A quote.</p></blockquote>",
    )
    ArticleFactory.create_batch(22, published=True, kind="news", section=article.section)
    writer.user = UserFactory(username="axe-reporter")
    writer.save()
    # The breaking-news banner on every page and its mark in the News Feed.
    BreakingNews.objects.create(article=article)
    draft = ArticleFactory(status="draft", section=article.section, authors=[writer])
    gone = PreviewLink.objects.create(article=draft, expires_at=timezone.now())
    CorrectionFactory(article=article, text="An earlier version gave the wrong date.")
    return {
        "home": "/",
        "news-feed": "/news/",
        "article": article.get_absolute_url(),
        "section": article.section.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "author": writer.get_absolute_url(),
        "team": "/team/",
        "corrections": "/corrections/",
        "not-found": "/news/no-such-story/",
        "preview-link": PreviewLink.objects.create(article=draft).get_absolute_url(),
        "preview-link-expired": gone.get_absolute_url(),
    }


def blocking_violations(page):
    page.evaluate(AXE_JS.read_text())  # evaluate, not a script tag: the page's CSP forbids that
    result = page.evaluate(
        "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})"
    )
    assert result["passes"], "axe ran no rule on this page"
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in result["violations"]
        if violation["impact"] in BLOCKING
    ]


def sign_in(page, base_url, username):
    page.goto(f"{base_url}/admin/login/?next=/staff/profile/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Your author profile")).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_public_pages_have_no_serious_accessibility_problems(
    live_server, page, site, width, scheme
):
    require(AXE_JS.exists(), "axe-core (npm)")
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    page.emulate_media(color_scheme=scheme)
    problems = {}
    for name, path in site.items():
        page.goto(live_server.url + path)
        problems[name] = blocking_violations(page)
    sign_in(page, live_server.url, "axe-reporter")
    problems["profile"] = blocking_violations(page)
    assert {name: found for name, found in problems.items() if found} == {}
