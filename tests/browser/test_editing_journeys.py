"""Two editors with one story open in real browsers: each page's heartbeat shows the
other editor, a take-over reaches the other page, and unsaved text is autosaved; all under
the admin's Content-Security-Policy (static/js/editing.js is an external file)."""

import pytest
from playwright.sync_api import expect

from articles.models import Article, Autosave
from tests.browser.test_staff_journeys import sign_in
from tests.factories import ArticleFactory, AuthorFactory, UserFactory


@pytest.fixture
def story(transactional_db, settings):
    # Beats every second instead of every 20, so the test need not wait.
    settings.NEWSROOM_EDITING_HEARTBEAT_SECONDS = 1
    settings.NEWSROOM_AUTOSAVE_SECONDS = 1
    UserFactory(username="taras", first_name="Taras", last_name="Melnyk", groups=["Editors"])
    UserFactory(username="oksana", first_name="Oksana", last_name="Petrenko", groups=["Editors"])
    return ArticleFactory(
        status=Article.Status.DRAFT, title="Council meets", authors=[AuthorFactory()]
    )


def watch_csp(page, blocked):
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )


def test_the_heartbeat_shows_the_other_editor_and_a_take_over(
    live_server, page, browser, story, screenshot
):
    url = f"/admin/articles/article/{story.pk}/change/"
    blocked = []
    watch_csp(page, blocked)
    sign_in(page, live_server.url, "taras", url)
    presence = page.locator("[data-presence]")
    expect(page.locator("#id_title")).to_have_value("Council meets")
    expect(presence).to_be_hidden()

    other = browser.new_context()
    oksanas = other.new_page()
    watch_csp(oksanas, blocked)
    sign_in(oksanas, live_server.url, "oksana", url)
    # Oksana's page says so when it loads; Taras's page learns it from its heartbeat.
    expect(oksanas.locator("[data-presence]")).to_contain_text("Taras Melnyk is editing since")
    expect(presence).to_be_visible()
    expect(presence).to_contain_text("Oksana Petrenko is editing since")
    screenshot(page, "admin-article-someone-else-editing")

    oksanas.get_by_role("button", name="Take over").click()
    expect(oksanas.locator(".messagelist .success")).to_contain_text("You took over this story")
    expect(page.get_by_role("alert")).to_contain_text("Oksana Petrenko took over this story at")

    other.close()
    assert blocked == []


def test_unsaved_text_is_autosaved_as_the_editors_own_copy(live_server, page, story):
    url = f"/admin/articles/article/{story.pk}/change/"
    sign_in(page, live_server.url, "taras", url)

    page.locator("#id_title").fill("Council meets, finally")

    expect(page.locator("[data-autosave-status]")).to_contain_text(
        "Unsaved changes kept as your copy at"
    )
    copy = Autosave.objects.get()
    assert copy.user.username == "taras"
    assert copy.data["title"] == "Council meets, finally"
    assert Article.objects.get(pk=story.pk).title == "Council meets"
    # After a crash: reopening offers the copy, and Restore fills the form.
    page.goto(live_server.url + url)
    page.get_by_role("link", name="Restore").click()
    expect(page.locator("#id_title")).to_have_value("Council meets, finally")
