"""Every public page type is valid HTML5 according to the Nu HTML Checker (vnu, offline)."""

import io
import json
import subprocess
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import BodyImage, BreakingNews, PreviewLink
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    AuthorLinkFactory,
    BylineFactory,
    CorrectionFactory,
    ImageFactory,
    TagFactory,
    UserFactory,
)
from tests.gates import JAVA, VNU_JAR, require


def jpeg(name="lead.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (160, 90), "steelblue").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def pages(client, db):
    """The HTML of every public page type, keyed by a readable name."""
    writer, second = AuthorFactory(), AuthorFactory(is_active=False)
    AuthorLinkFactory(author=writer)
    tag = TagFactory()
    photo = ImageFactory(
        file=jpeg(),
        alt_text="A bridge at dawn",
        caption="The bridge reopened on Monday.",
        credit="Ana Kovac / Photo Desk",
    )
    writer.photo = ImageFactory(file=jpeg("portrait.jpg"), alt_text=writer.name)
    article = ArticleFactory(
        published=True,
        authors=[writer, second],
        tags=[tag],
        lead_image=photo,
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        body="<p>Text</p><blockquote><p>A quote.</p></blockquote><ul><li>One</li></ul>",
    )
    # Photos in the body: after the first block, and one past the end.
    BodyImage.objects.create(article=article, image=photo, after_paragraph=1)
    BodyImage.objects.create(article=article, image=ImageFactory(), after_paragraph=9)
    ArticleFactory.create_batch(25, published=True, kind="news", section=article.section)
    # Illustrated stories for the home page's lead and top stories and the section page.
    ArticleFactory.create_batch(3, published=True, section=article.section, lead_image=photo)
    draft = ArticleFactory(section=article.section)
    reporter = UserFactory(username="vnu-reporter")
    writer.user = reporter
    writer.pronouns, writer.desk, writer.public_contact = "she/her", "World", "tips@example.org"
    writer.long_bio = "<p>Long <strong>bio</strong>.</p><ul><li><p>Item</p></li></ul>"
    writer.save()
    BylineFactory(article=article, role="photographer")
    # The breaking-news banner on every page, and its mark in the News Feed.
    BreakingNews.objects.create(article=article)
    hour = timedelta(hours=1)
    live_link = PreviewLink.objects.create(article=draft)
    expired_link = PreviewLink.objects.create(article=draft, expires_at=timezone.now() - hour)
    embargoed = ArticleFactory(section=article.section, embargo_until=timezone.now() + hour)
    embargoed_link = PreviewLink.objects.create(article=embargoed)
    CorrectionFactory(article=article, text="The bridge reopened on Monday, not Sunday.")
    CorrectionFactory(article=article, kind="clarification", text="Line one.\nLine two.")

    urls = {
        "home": "/",
        "news-feed": "/news/",
        "article": article.get_absolute_url(),
        "section": article.section.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "author": writer.get_absolute_url(),
        "former-author": second.get_absolute_url(),
        "team": "/team/",
        "not-found": "/news/no-such-story/",
        "bad-request": "/news/?before=nonsense",
        "search": "/search/?q=text+OR+quote",
        "search-tips": "/search/",
        "preview-link": live_link.get_absolute_url(),
        "preview-link-expired": expired_link.get_absolute_url(),
        "preview-link-embargoed": embargoed_link.get_absolute_url(),
        "preview-link-invalid": "/preview/not-a-token/",
        "corrections": "/corrections/",
    }
    html = {name: client.get(url).content for name, url in urls.items()}
    next_batch = client.get("/news/").context["batch"].next_cursor
    html["news-feed-older"] = client.get(f"/news/?before={next_batch}").content
    client.force_login(reporter)
    html["profile"] = client.get("/staff/profile/").content
    # A save refused because the profile changed since the form was opened (version 0).
    stale = {"bio": "Mine.", "opened_version": "0", "links-TOTAL_FORMS": "0"}
    refused = client.post("/staff/profile/", {**stale, "links-INITIAL_FORMS": "0"})
    assert refused.status_code == 409
    html["profile-conflict"] = refused.content
    client.force_login(UserFactory(username="vnu-editor", is_superuser=True))
    html["preview"] = client.get(draft.get_absolute_url()).content
    return html


def test_every_public_page_type_is_valid_html(pages, tmp_path):
    require(JAVA and VNU_JAR.exists(), "The Nu HTML Checker (java + npm vnu-jar)")
    files = []
    for name, content in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(content)
        files.append(str(path))
    result = subprocess.run(
        [JAVA, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{message['url'].rsplit('/', 1)[-1]}:{message.get('lastLine')}: {message['message']}"
        for message in messages
        if message["type"] == "error"
    ]
    assert not errors, "\n".join(errors)
    assert len(files) == 21
