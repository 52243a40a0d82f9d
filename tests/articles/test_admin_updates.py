"""Saving a live story: the editor chooses "Substantive update" or "Minor fix". Only a
substantive update moves the public update time, which every machine-readable and visible
"updated" mark reads: the News Feed, the article page, JSON-LD dateModified, the sitemap's
lastmod and the Atom feed's <updated>."""

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from tests.articles.test_admin import change_url, form_data
from tests.articles.test_seo import head
from tests.factories import ArticleFactory, AuthorFactory

KYIV = ZoneInfo("Europe/Kyiv")
PUBLISHED = datetime(2026, 3, 10, 9, 0, tzinfo=KYIV)
NOW = datetime(2026, 3, 18, 12, 0, tzinfo=KYIV)
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def live(db):
    return ArticleFactory(
        published=True,
        slug="budget",
        title="Council agrees budget",
        published_at=PUBLISHED,
        authors=[AuthorFactory()],
    )


def save(client, article, **changes):
    data = form_data(client.get(change_url(article)))
    data.update(changes)
    return client.post(change_url(article), data)


def public_update_marks(article):
    """Every place a reader or a machine learns when `article` last changed materially."""
    reader = Client()
    feed = reader.get("/news/").content.decode()
    page = reader.get(article.get_absolute_url()).content.decode()
    story = head(reader, article.get_absolute_url()).jsonld[0]
    sitemap = ET.fromstring(reader.get("/sitemap-articles-2026-03.xml").content)  # noqa: S314
    atom = ET.fromstring(reader.get("/feed/atom/").content)  # noqa: S314
    return {
        "feed": "(Updated:" in feed,
        "page": "Updated:" in page,
        "dateModified": story["dateModified"],
        "lastmod": sitemap.find(f"{SM}url").findtext(f"{SM}lastmod"),
        "atom": atom.find(f"{ATOM}entry").findtext(f"{ATOM}updated"),
    }


BEFORE = {
    "feed": False,
    "page": False,
    "dateModified": "2026-03-10T07:00:00+00:00",
    "lastmod": "2026-03-10",
    "atom": "2026-03-10T07:00:00+00:00",
}


@pytest.mark.django_db
def test_a_live_story_asks_which_kind_of_save_and_requires_an_answer(editor_client, live):
    response = editor_client.get(change_url(live))
    assertContains(response, 'type="radio" name="update_kind" value="substantive"')
    assertContains(response, 'type="radio" name="update_kind" value="minor"')

    refused = save(editor_client, live, title="Council agrees budget, again")

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["update_kind"] == ["This field is required."]
    live.refresh_from_db()
    assert live.title == "Council agrees budget"


@pytest.mark.django_db
@pytest.mark.parametrize("state", [{"status": Article.Status.DRAFT}, {"scheduled": True}])
def test_drafts_and_scheduled_stories_are_not_asked(editor_client, state):
    article = ArticleFactory(**state, authors=[AuthorFactory()])

    response = editor_client.get(change_url(article))

    assertNotContains(response, 'name="update_kind"')
    assert save(editor_client, article, title="Reworded").status_code == 302


@pytest.mark.django_db
def test_a_minor_fix_changes_no_public_update_mark(editor_client, live):
    assert public_update_marks(live) == BEFORE

    response = save(
        editor_client, live, title="Council agrees budget (typo fixed)", update_kind="minor"
    )

    assert response.status_code == 302
    live.refresh_from_db()
    assert live.title == "Council agrees budget (typo fixed)"
    assert live.updated_at is None
    assert public_update_marks(live) == BEFORE
    assertContains(Client().get("/news/"), "Council agrees budget (typo fixed)")


@pytest.mark.django_db
def test_a_substantive_update_moves_every_public_update_mark(editor_client, live):
    response = save(
        editor_client, live, title="Council agrees budget, then reverses", update_kind="substantive"
    )

    assert response.status_code == 302
    live.refresh_from_db()
    assert live.updated_at == NOW
    assert public_update_marks(live) == {
        "feed": True,
        "page": True,
        "dateModified": "2026-03-18T10:00:00+00:00",
        "lastmod": "2026-03-18",
        "atom": "2026-03-18T10:00:00+00:00",
    }
    assertContains(Client().get("/news/"), '(Updated: <time datetime="2026-03-18T12:00:00+0200">')


@pytest.mark.django_db
def test_a_minor_fix_after_an_update_keeps_the_update_time(editor_client, live, time_machine):
    save(editor_client, live, summary="New facts.", update_kind="substantive")
    time_machine.move_to(NOW + timedelta(hours=3), tick=False)

    save(editor_client, live, summary="New facts, spelled right.", update_kind="minor")

    live.refresh_from_db()
    assert live.summary == "New facts, spelled right."
    assert live.updated_at == NOW
    assert public_update_marks(live)["dateModified"] == "2026-03-18T10:00:00+00:00"
