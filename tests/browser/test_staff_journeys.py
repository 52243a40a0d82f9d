"""What newsroom staff do, in a real browser: an editor publishes a story with a photo from
the library and two authors; a reporter writes a draft and submits it for review but is
offered no way to publish (and a crafted request is refused); a reporter edits their own
author profile."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ImageFactory,
    SectionFactory,
    UserFactory,
    image_file,
)

PASSWORD = "correct horse battery staple"


def png_file(tmp_path, name="photo.png"):
    path = tmp_path / name
    buffer = io.BytesIO()
    Image.new("RGB", (320, 180), "darkslateblue").save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def sign_in(page, base_url, username, next_path="/admin/"):
    page.goto(f"{base_url}/admin/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def pick_photo(page, field, words, caption):
    """Search the photo library from the picker and choose the result showing `caption`."""
    page.locator(f"#id_{field} + .select2").click()
    page.locator(".select2-dropdown .select2-search__field").fill(words)
    result = page.locator(".select2-results__option", has_text=caption)
    expect(result.locator("img")).to_have_count(1)  # the thumbnail beside the caption
    result.click()


def pick_author(page, row, name):
    page.locator(f"#id_bylines-{row}-author + .select2").click()
    page.locator(".select2-dropdown .select2-search__field").fill(name.split()[0])
    page.locator(".select2-results__option", has_text=name).click()


@pytest.fixture
def newsroom(transactional_db):
    SectionFactory(name="Politics", slug="politics")
    ArticleFactory.create_batch(3, published=True, kind="news")
    return {
        "first": AuthorFactory(name="Oksana Petrenko"),
        "second": AuthorFactory(name="Ana Kovac"),
        "editor": UserFactory(username="editor", groups=["Editors"]),
        "reporter": UserFactory(username="reporter", groups=["Reporters"]),
        "photo": ImageFactory(
            file=image_file("bridge.jpg", size=(1600, 900)),
            alt_text="Buses crossing the bridge",
            caption="Buses on the Tamsin Bridge at dawn",
            credit="Ana Kovac / Photo Desk",
            keywords="bridge, transport",
        ),
        "other_photo": ImageFactory(caption="Harvest in the south", keywords="farming"),
    }


def test_editor_publishes_a_story_with_a_library_photo_and_two_authors(
    live_server, page, newsroom, screenshot
):
    headline = "Tamsin Bridge reopens to traffic after two years"
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    sign_in(page, live_server.url, "editor", "/admin/articles/article/add/")
    page.get_by_label("Headline:").fill(headline)
    page.get_by_label("Headline:").dispatch_event("change")  # the admin's slug prefill listens here
    expect(page.get_by_label("Slug:")).to_have_value(
        "tamsin-bridge-reopens-to-traffic-after-two-years"
    )
    page.get_by_label("Kind:").select_option("story")
    page.get_by_label("Section:").select_option(label="Politics")
    page.get_by_label("Standfirst:").fill("Engineers signed off the repairs on Monday.")
    page.locator(".ProseMirror[contenteditable=true]").click()
    page.keyboard.type("The bridge carried its first buses at dawn.")
    pick_photo(page, "lead_image", "bridge", "Buses on the Tamsin Bridge at dawn")
    pick_author(page, 0, "Oksana Petrenko")
    page.get_by_role("button", name=re.compile("add another author", re.I)).click()
    pick_author(page, 1, "Ana Kovac")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    screenshot(page, "admin-article-draft")

    page.goto(live_server.url + "/news/tamsin-bridge-reopens-to-traffic-after-two-years/")
    expect(page.get_by_role("status")).to_contain_text("Preview")
    expect(page.locator(".byline")).to_have_text("By Oksana Petrenko and Ana Kovac")
    figure = page.locator(".lead-figure")
    expect(figure.locator("img")).to_have_attribute("alt", "Buses crossing the bridge")
    expect(figure.locator("source[type='image/webp']")).to_have_count(1)
    expect(figure.locator("figcaption")).to_have_text(
        "Buses on the Tamsin Bridge at dawn (Ana Kovac / Photo Desk)"
    )
    page.go_back()

    expect(page.get_by_role("heading", name="Ready to publish?")).to_be_visible()
    expect(page.get_by_text("Every check passes.")).to_be_visible()
    page.get_by_role("button", name="Publish now").click()
    expect(page.locator(".messagelist .success")).to_contain_text("Published")
    expect(page.get_by_role("link", name="View on site")).to_be_visible()

    page.goto(live_server.url + "/news/")
    expect(page.locator(".feed-item").first).to_contain_text(headline)
    page.goto(live_server.url + "/")
    expect(page.locator(".card-lead")).to_contain_text(headline)
    expect(page.locator(".card-lead img")).to_have_count(1)
    expect(page.locator(".card-lead img")).to_have_attribute("fetchpriority", "high")
    assert blocked == [], "the admin's Content-Security-Policy blocked something it needs"


def test_reporter_writes_a_draft_submits_it_for_review_and_cannot_publish(
    live_server, page, newsroom
):
    headline = "Harvest starts early in the south"
    sign_in(page, live_server.url, "reporter", "/admin/articles/article/add/")
    expect(page.get_by_label("Status:")).to_have_count(0)
    expect(page.get_by_label("Substantive update")).to_have_count(0)
    expect(page.get_by_label("Embargoed until")).to_have_count(0)
    page.get_by_label("Headline:").fill(headline)
    page.get_by_label("Section:").select_option(label="Politics")
    pick_author(page, 0, "Oksana Petrenko")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()

    # The checklist says what an editor will need; the only step offered is review.
    expect(page.get_by_role("listitem").filter(has_text="Add a lead image.")).to_be_visible()
    expect(page.get_by_role("button", name="Submit for review")).to_be_visible()
    for refused in ["Publish now", "Schedule", "Unpublish", "Return to draft"]:
        expect(page.get_by_role("button", name=refused)).to_have_count(0)

    # A publish button added to the page by hand is refused by the server.
    page.evaluate(
        """() => {
            const button = document.createElement("button");
            Object.assign(button, {type: "submit", name: "_transition", value: "publish"});
            button.id = "crafted-publish";
            button.textContent = "Crafted publish";
            document.getElementById("article_form").append(button);
        }"""
    )
    change_url = page.url
    with page.expect_navigation() as crafted:
        page.locator("#crafted-publish").click()
    assert crafted.value.status == 403
    page.goto(change_url)

    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".messagelist .success")).to_contain_text("In review")
    expect(page.get_by_role("button", name="Submit for review")).to_have_count(0)
    page.goto(live_server.url + "/admin/")
    page.get_by_role("link", name="My stories").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("My stories")
    expect(page.get_by_role("row").filter(has_text=headline)).to_contain_text(
        "In review: with the editors"
    )

    page.goto(live_server.url + "/admin/articles/article/")
    actions = page.locator("select[name=action] option").all_text_contents()
    assert not any("Publish" in action for action in actions)
    page.goto(live_server.url + "/news/")
    expect(page.get_by_text(headline)).to_have_count(0)


def test_reporter_edits_their_own_profile_and_sees_it_on_their_author_page(
    live_server, page, newsroom, tmp_path
):
    author = newsroom["first"]
    author.user = newsroom["reporter"]
    author.save()
    sign_in(page, live_server.url, "reporter", "/staff/profile/")
    bio = "Covers parliament, the city council and the regional budget."
    page.get_by_label("Bio").fill(bio)
    page.get_by_label("Photo").set_input_files(png_file(tmp_path, "me.png"))
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("status")).to_contain_text("Your profile is saved")

    page.get_by_role("link", name="See your author page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(author.name)
    expect(page.get_by_text(bio)).to_be_visible()
    # The portrait went into the photo library; the page shows its square rendition.
    expect(page.locator(".author-header img.author-photo")).to_have_attribute(
        "src", re.compile(r"^/media/renditions/photos/\d{4}/\d{2}/[0-9a-f]{32}/square\d+\.jpeg$")
    )
