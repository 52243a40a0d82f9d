"""Author profiles in a real browser: a reporter writes a formatted long bio with the rich-text
editor on the self-service page (under the public Content-Security-Policy), a profile
manager reverts it, and readers find the team page from the footer."""

import pytest
from playwright.sync_api import expect

from authors.models import AuthorChange
from tests.factories import AuthorFactory, UserFactory

PASSWORD = "correct horse battery staple"


def sign_in(page, base_url, username, next_path):
    page.goto(f"{base_url}/admin/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def csp_errors(page):
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return blocked


@pytest.fixture
def reporter_author(transactional_db):
    return AuthorFactory(
        name="Oksana Petrenko",
        desk="Politics",
        bio="Covers parliament.",
        user=UserFactory(username="reporter", groups=["Reporters"]),
    )


def test_reporter_writes_a_formatted_long_bio_with_the_editor(
    live_server, page, reporter_author, screenshot
):
    blocked = csp_errors(page)
    sign_in(page, live_server.url, "reporter", "/staff/profile/")
    editor = page.locator(".ProseMirror[contenteditable=true]")
    expect(editor).to_be_visible()
    editor.click()
    page.keyboard.type("Twelve years on the ")
    bold = page.get_by_role("button", name="bold", exact=True)
    bold.click()
    page.keyboard.type("politics")
    bold.click()
    page.keyboard.type(" beat.")
    expect(page.get_by_role("textbox", name="About")).to_contain_text("Twelve years")
    page.get_by_label("Pronouns").fill("she/her")
    screenshot(page, "profile-long-bio-editor")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("status")).to_contain_text("Your profile is saved")

    page.get_by_role("link", name="See your author page").click()
    expect(page.locator(".author-long-bio strong")).to_have_text("politics")
    expect(page.locator(".pronouns")).to_have_text("Pronouns: she/her")
    change = AuthorChange.objects.get()
    assert set(change.changes) == {"long_bio", "pronouns"}
    assert blocked == [], blocked


def test_readers_find_the_team_page_from_the_footer(live_server, page, reporter_author):
    page.goto(live_server.url + "/")
    page.get_by_role("contentinfo").get_by_role("link", name="Our team").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Our team")
    expect(page.get_by_role("heading", level=2, name="Politics")).to_be_visible()
    page.get_by_role("link", name="Oksana Petrenko").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Oksana Petrenko")
