"""Corrections and clarifications: written by editors on the article form, shown at the end
of the story, on /corrections/, in their own feeds and in the story's JSON-LD."""

from datetime import datetime, timedelta
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, Correction
from audit.models import AuditEntry
from tests.articles.test_admin import change_url, form_data
from tests.articles.test_seo import head
from tests.factories import ArticleFactory, CorrectionFactory

NOW = datetime(2026, 3, 18, 12, 0, tzinfo=ZoneInfo("Europe/Kyiv"))
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def correction(article, hours_ago, text, kind=Correction.Kind.CORRECTION):
    return CorrectionFactory(
        article=article, kind=kind, text=text, created=NOW - timedelta(hours=hours_ago)
    )


# Writing them in the admin ----------------------------------------------------------------


def with_correction(data, **fields):
    data.update({"corrections-TOTAL_FORMS": "1", "corrections-INITIAL_FORMS": "0"})
    data.update({f"corrections-0-{name}": value for name, value in fields.items()})
    return data


@pytest.mark.django_db
def test_an_editor_adds_a_correction_on_the_article_form(editor_client, editor):
    article = ArticleFactory(published=True)
    data = form_data(editor_client.get(change_url(article)))
    data["update_kind"] = "minor"  # a live story: the save says what kind it is

    response = editor_client.post(
        change_url(article),
        with_correction(data, kind="correction", text="The vote was on Tuesday, not Monday."),
    )

    assert response.status_code == 302
    correction = article.corrections.get()
    assert (correction.text, correction.created_by, correction.created) == (
        "The vote was on Tuesday, not Monday.",
        editor,
        NOW,
    )
    entry = AuditEntry.objects.for_object(article).get()
    assert (entry.action, entry.actor, entry.message) == (
        "correction added",
        editor,
        "The vote was on Tuesday, not Monday.",
    )


@pytest.mark.django_db
def test_editing_and_removing_a_correction_are_logged(editor_client, editor):
    article = ArticleFactory(published=True)
    existing = CorrectionFactory(article=article, text="Wrong date.")
    data = form_data(editor_client.get(change_url(article)))
    data["update_kind"] = "minor"  # a live story: the save says what kind it is
    data["corrections-0-text"] = "Wrong date for the vote."

    editor_client.post(change_url(article), data)
    # Reopened: the form carries the version it was opened at.
    data = form_data(editor_client.get(change_url(article)))
    data["update_kind"] = "minor"
    data["corrections-0-DELETE"] = "on"
    editor_client.post(change_url(article), data)

    assert not Correction.objects.filter(pk=existing.pk).exists()
    logged = AuditEntry.objects.for_object(article).values_list("action", "message")
    assert list(logged) == [
        ("correction removed", "Wrong date for the vote."),
        ("correction edited", "Wrong date for the vote."),
    ]


@pytest.mark.django_db
def test_a_reporter_sees_corrections_but_cannot_add_one(reporter_client):
    article = ArticleFactory()
    CorrectionFactory(article=article, text="An existing correction.")
    page = reporter_client.get(change_url(article))
    data = form_data(page)
    data.update(
        {
            "corrections-TOTAL_FORMS": "2",
            "corrections-1-kind": "correction",
            "corrections-1-text": "A crafted correction.",
        }
    )

    reporter_client.post(change_url(article), data)

    assertContains(page, "An existing correction.")
    assert list(article.corrections.values_list("text", flat=True)) == ["An existing correction."]


# What readers see -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_story_ends_with_its_corrections_newest_first(client):
    article = ArticleFactory(published=True)
    correction(article, 5, "The older correction.")
    correction(article, 1, "The newer clarification.", kind=Correction.Kind.CLARIFICATION)

    response = client.get(article.get_absolute_url())

    content = response.content.decode()
    assert content.index("The newer clarification.") < content.index("The older correction.")
    assertContains(response, "Corrections and clarifications</h2>")
    assertContains(response, '<span class="kind">Clarification</span>', html=True)
    assertContains(response, 'datetime="2026-03-18T11:00:00+0200"')


@pytest.mark.django_db
def test_a_story_without_corrections_has_no_corrections_block(client):
    article = ArticleFactory(published=True)

    assertNotContains(client.get(article.get_absolute_url()), "Corrections and clarifications")


@pytest.mark.django_db
def test_correction_text_is_printed_as_plain_text(client):
    article = ArticleFactory(published=True)
    correction(article, 1, "We wrote <script>alert(1)</script> by mistake.")

    for url in [article.get_absolute_url(), "/corrections/"]:
        response = client.get(url)
        assertContains(response, "We wrote &lt;script&gt;alert(1)&lt;/script&gt; by mistake.")
        assertNotContains(response, "<script>alert(1)")


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 6])
def test_the_story_page_query_count_does_not_grow_with_corrections(
    client, django_assert_num_queries, count
):
    article = ArticleFactory(published=True)
    for number in range(count):
        correction(article, number, f"Correction {number}.")

    # article, tags, bylines, body photos, corrections, More news, Related (the newest
    # stories and their tags), site settings, navigation, the breaking-news banner (no
    # writers: no authors' links and no "More from" to fetch)
    with django_assert_num_queries(11):
        response = client.get(article.get_absolute_url())
    assertContains(response, 'class="correction"', count=count)


@pytest.mark.django_db
def test_the_corrections_page_lists_corrections_to_live_stories_newest_first(client):
    live = ArticleFactory(published=True, title="Live story")
    draft = ArticleFactory(title="Draft story")
    scheduled = ArticleFactory(scheduled=True, title="Scheduled story")
    correction(live, 3, "Older live correction.")
    correction(live, 1, "Newer live correction.")
    correction(draft, 1, "Draft correction.")
    correction(scheduled, 1, "Scheduled correction.")

    response = client.get("/corrections/")

    assert [item.text for item in response.context["page"]] == [
        "Newer live correction.",
        "Older live correction.",
    ]
    assertContains(response, f'href="{live.get_absolute_url()}#correction-')
    assertNotContains(response, "Draft")
    assertNotContains(response, "Scheduled")


@pytest.mark.django_db
def test_the_corrections_page_is_paginated(client, settings):
    settings.NEWSROOM_PAGE_SIZE = 3
    article = ArticleFactory(published=True)
    for number in range(4):
        correction(article, number, f"Correction {number}.")

    first, second = client.get("/corrections/"), client.get("/corrections/?page=2")

    assert len(first.context["page"]) == 3
    assertContains(first, 'rel="next"')
    assert [item.text for item in second.context["page"]] == ["Correction 3."]
    assert client.get("/corrections/?page=9").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 25])
def test_the_corrections_page_query_count_does_not_grow(client, django_assert_num_queries, count):
    for number in range(count):
        correction(ArticleFactory(published=True), number, f"Correction {number}.")

    # 1. the page of corrections with their stories and sections (no count: one row more
    # tells whether an older page exists) 2. the section navigation and 3. the
    # breaking-news banner (context processors)
    with django_assert_num_queries(3):
        response = client.get("/corrections/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_footer_links_to_the_corrections_page(client):
    assertContains(client.get("/"), '<a href="/corrections/">Corrections</a>', html=True)


# Feeds, structured data, sitemap ----------------------------------------------------------


@pytest.mark.django_db
def test_the_corrections_page_names_its_feeds(client):
    response = client.get("/corrections/")

    assertContains(response, 'href="/corrections/feed/"')
    assertContains(response, 'href="/corrections/feed/atom/"')


@pytest.mark.django_db
def test_the_story_json_ld_lists_its_corrections(client):
    article = ArticleFactory(published=True)
    correction(article, 2, "The vote was on Tuesday.")
    correction(article, 1, "Councillors, not MPs.", kind=Correction.Kind.CLARIFICATION)

    (story, _breadcrumbs) = head(client, article.get_absolute_url()).jsonld

    assert story["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "Clarification: Councillors, not MPs.",
            "datePublished": "2026-03-18T09:00:00+00:00",
        },
        {
            "@type": "CorrectionComment",
            "text": "The vote was on Tuesday.",
            "datePublished": "2026-03-18T08:00:00+00:00",
        },
    ]


@pytest.mark.django_db
def test_a_story_without_corrections_has_none_in_its_json_ld(client):
    article = ArticleFactory(published=True)

    (story, _breadcrumbs) = head(client, article.get_absolute_url()).jsonld

    assert "correction" not in story


@pytest.mark.django_db
def test_the_corrections_page_is_in_the_pages_sitemap(client):
    article = ArticleFactory(published=True)
    correction(article, 30, "A correction.")
    correction(ArticleFactory(), 1, "On a draft: not public.")

    root = ElementTree.fromstring(client.get("/sitemap-pages.xml").content)  # noqa: S314

    lastmods = {url.findtext(f"{SM}loc"): url.findtext(f"{SM}lastmod") for url in root}
    assert lastmods["http://testserver/corrections/"] == "2026-03-17"
    assert Article.objects.published().count() == 1
