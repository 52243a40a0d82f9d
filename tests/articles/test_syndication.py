"""RSS and Atom for the site, each section, tag and author: parsed with feedparser."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import feedparser
import pytest
from pytest_django.asserts import assertContains

from articles.models import Article, Correction
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CorrectionFactory,
    ImageFactory,
    SectionFactory,
    TagFactory,
    image_file,
)

NOW = datetime(2026, 3, 18, 12, 0, tzinfo=ZoneInfo("Europe/Kyiv"))
FEED_KINDS = ["site", "section", "tag", "author"]
FORMATS = ["rss", "atom"]


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def newsroom(db):
    """One section, tag and pair of writers; live, draft and scheduled stories in each."""
    section = SectionFactory(name="City Hall", slug="city")
    tag = TagFactory(name="Budget", slug="budget")
    writers = [AuthorFactory(name="Zoe Zed", slug="zoe"), AuthorFactory(name="Adam Ant")]
    common = {"section": section, "tags": [tag], "authors": writers}
    live = [
        ArticleFactory(
            title=f"Live story {n}",
            published=True,
            published_at=NOW - timedelta(hours=n),
            **common,
        )
        for n in (1, 2)
    ]
    ArticleFactory(title="Unfinished draft", **common)
    ArticleFactory(title="Embargoed result", scheduled=True, **common)
    return {"section": section, "tag": tag, "writers": writers, "live": live}


def feed_url(kind, format, newsroom):
    suffix = "atom/" if format == "atom" else ""
    return {
        "site": f"/feed/{suffix}",
        "section": f"/section/{newsroom['section'].slug}/feed/{suffix}",
        "tag": f"/tag/{newsroom['tag'].slug}/feed/{suffix}",
        "author": f"/authors/{newsroom['writers'][0].slug}/feed/{suffix}",
    }[kind]


def parse(response):
    assert response.status_code == 200, response.status_code
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


@pytest.mark.django_db
@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize("kind", FEED_KINDS)
def test_every_feed_parses_and_lists_published_stories_only_newest_first(
    client, newsroom, kind, format
):
    response = client.get(feed_url(kind, format, newsroom))
    feed = parse(response)

    expected_type = "application/atom+xml" if format == "atom" else "application/rss+xml"
    assert response["Content-Type"].startswith(expected_type)
    assert feed.version == ("atom10" if format == "atom" else "rss20")
    assert [entry.title for entry in feed.entries] == ["Live story 1", "Live story 2"]
    assert feed.feed.language == "en"
    assert b"Unfinished draft" not in response.content
    assert b"Embargoed result" not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize("kind", FEED_KINDS)
def test_every_feed_names_every_co_author_and_the_categories(client, newsroom, kind, format):
    feed = parse(client.get(feed_url(kind, format, newsroom)))

    for entry in feed.entries:
        assert [author["name"] for author in entry.authors] == ["Zoe Zed", "Adam Ant"]
        assert [category.term for category in entry.tags] == ["City Hall", "Budget"]


@pytest.mark.django_db
def test_atom_authors_link_to_their_author_pages(client, newsroom):
    feed = parse(client.get("/feed/atom/"))

    zoe = feed.entries[0].authors[0]
    assert zoe["href"] == "http://testserver/authors/zoe/"


@pytest.mark.django_db
@pytest.mark.parametrize("format", FORMATS)
def test_feed_dates_are_publish_time_and_updated_only_when_updated(client, format):
    ArticleFactory(
        title="Updated",
        published=True,
        published_at=NOW - timedelta(hours=5),
        updated_at=NOW - timedelta(hours=1),
    )
    ArticleFactory(title="Untouched", published=True, published_at=NOW - timedelta(hours=2))

    feed = parse(client.get("/feed/atom/" if format == "atom" else "/feed/"))
    entries = {entry.title: entry for entry in feed.entries}

    assert entries["Updated"].published == (
        "2026-03-18T05:00:00+00:00" if format == "atom" else "Wed, 18 Mar 2026 05:00:00 +0000"
    )
    if format == "atom":
        assert entries["Updated"].updated == "2026-03-18T09:00:00+00:00"
        # Atom requires <updated>: a story never updated gives its publish time.
        assert entries["Untouched"].updated == entries["Untouched"].published
    else:
        assert "updated" not in entries["Untouched"]


@pytest.mark.django_db
@pytest.mark.parametrize("format", FORMATS)
def test_the_lead_image_is_an_enclosure_with_length_and_type_and_its_credit(client, format):
    photo = ImageFactory(
        file=image_file("bridge.jpg", size=(2000, 1000)),
        alt_text="The bridge at dawn",
        credit="Ana Kovac / Photo Desk",
    )
    ArticleFactory(published=True, lead_image=photo)

    response = client.get("/feed/atom/" if format == "atom" else "/feed/")
    (entry,) = parse(response).entries

    (enclosure,) = entry.enclosures
    assert enclosure["type"] == "image/jpeg"
    # The 1280-pixel JPEG rendition, with its length as recorded: never the upload.
    largest = photo.rendition("w1280")
    assert int(enclosure["length"]) == largest["bytes"]
    assert enclosure["href"] == f"http://testserver{largest['url']}"
    assert entry.media_credit[0]["content"] == "Ana Kovac / Photo Desk"
    assert entry.media_content[0]["medium"] == "image"


@pytest.mark.django_db
@pytest.mark.parametrize("format", FORMATS)
def test_full_content_is_a_setting_off_by_default(client, settings, format):
    ArticleFactory(
        published=True,
        summary="Only the standfirst.",
        body="<p>The whole <strong>story</strong>.</p>",
    )
    url = "/feed/atom/" if format == "atom" else "/feed/"

    (summary_only,) = parse(client.get(url)).entries
    settings.NEWSROOM_FEED_FULL_CONTENT = True
    (full,) = parse(client.get(url)).entries

    assert summary_only.summary == "Only the standfirst."
    assert "content" not in summary_only
    assert full.summary == "Only the standfirst."
    assert full.content[0].value == "<p>The whole <strong>story</strong>.</p>"


@pytest.mark.django_db
def test_a_standfirst_with_markup_characters_reads_as_text(client):
    ArticleFactory(published=True, summary="Tom & Jerry <3 the council")

    (entry,) = parse(client.get("/feed/")).entries

    assert entry.summary == "Tom &amp; Jerry &lt;3 the council"  # feedparser keeps it HTML


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/section/nope/feed/", "/tag/nope/feed/atom/", "/authors/nope/feed/"]
)
def test_a_feed_for_something_that_does_not_exist_is_a_404(client, url):
    assert client.get(url).status_code == 404


# Conditional GET ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize("kind", FEED_KINDS)
def test_every_feed_answers_revalidation_with_304(client, newsroom, kind, format):
    url = feed_url(kind, format, newsroom)
    first = client.get(url)

    assert first["ETag"]
    assert first["Last-Modified"]
    by_etag = client.get(url, headers={"If-None-Match": first["ETag"]})
    by_date = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert by_etag.status_code == 304
    assert by_date.status_code == 304
    assert by_etag.content == b""


@pytest.mark.django_db
def test_last_modified_is_the_latest_change_in_the_feed(client, newsroom):
    response = client.get("/feed/")

    # The newest story went live an hour ago; the factory saved every row at NOW.
    assert response["Last-Modified"] == "Wed, 18 Mar 2026 10:00:00 GMT"


@pytest.mark.django_db
def test_a_new_story_or_one_going_live_invalidates_the_validators(client, newsroom, time_machine):
    first = client.get("/feed/")

    ArticleFactory(title="Breaking", published=True, published_at=NOW - timedelta(minutes=1))
    after_new = client.get("/feed/", headers={"If-None-Match": first["ETag"]})
    assert after_new.status_code == 200
    assert b"Breaking" in after_new.content

    # The scheduled story goes live an hour after NOW without any row changing.
    time_machine.move_to(NOW + timedelta(hours=2), tick=False)
    later = client.get(
        "/feed/",
        headers={
            "If-None-Match": after_new["ETag"],
            "If-Modified-Since": after_new["Last-Modified"],
        },
    )
    assert later.status_code == 200
    assert b"Embargoed result" in later.content


@pytest.mark.django_db
def test_unpublishing_or_deleting_a_story_invalidates_the_etag(client, newsroom, time_machine):
    first = client.get("/feed/")
    time_machine.move_to(NOW + timedelta(minutes=5), tick=False)
    story = newsroom["live"][1]
    story.status = Article.Status.DRAFT
    story.save()

    after_unpublish = client.get("/feed/", headers={"If-None-Match": first["ETag"]})
    assert after_unpublish.status_code == 200
    assert b"Live story 2" not in after_unpublish.content

    newsroom["live"][0].delete()
    after_delete = client.get("/feed/", headers={"If-None-Match": after_unpublish["ETag"]})
    assert after_delete.status_code == 200


@pytest.mark.django_db
def test_the_full_content_setting_changes_the_etag(client, settings, newsroom):
    summary_only = client.get("/feed/")
    settings.NEWSROOM_FEED_FULL_CONTENT = True

    assert client.get("/feed/", headers={"If-None-Match": summary_only["ETag"]}).status_code == 200


# Discovery ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_page_links_the_site_feeds(client, newsroom):
    response = client.get("/")

    assertContains(response, 'type="application/rss+xml" title="The Meridian Independent')
    assertContains(response, 'href="/feed/"')
    assertContains(response, 'href="/feed/atom/"')


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["section", "tag", "author"])
def test_section_tag_and_author_pages_link_their_own_feeds(client, newsroom, kind):
    page = {
        "section": newsroom["section"],
        "tag": newsroom["tag"],
        "author": newsroom["writers"][0],
    }[kind]

    response = client.get(page.get_absolute_url())

    assertContains(response, f'href="{feed_url(kind, "rss", newsroom)}"')
    assertContains(response, f'href="{feed_url(kind, "atom", newsroom)}"')
    assertContains(response, 'href="/feed/"')


# Query counts ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 35])
@pytest.mark.parametrize("kind", ["section", "tag", "author"])
def test_feed_query_count_does_not_grow(client, django_assert_num_queries, kind, count):
    section, tag = SectionFactory(slug="city"), TagFactory(slug="budget")
    writers = AuthorFactory.create_batch(3)
    for minutes in range(1, count + 1):
        ArticleFactory(
            published=True,
            published_at=NOW - timedelta(minutes=minutes),
            section=section,
            tags=[tag, TagFactory()],
            authors=writers,
        )
    url = {"section": "/section/city/feed/", "tag": "/tag/budget/feed/"}.get(
        kind, f"/authors/{writers[0].slug}/feed/atom/"
    )

    # 1. the validators (one aggregate)  2. the section, tag or author
    # 3. the thirty newest stories with sections  4. bylines with authors  5. tags
    with django_assert_num_queries(5):
        response = client.get(url)
    assert len(parse(response).entries) == min(count, 30)


# Corrections ----------------------------------------------------------------------------------


def correction_to(article, hours_ago, text, kind=Correction.Kind.CORRECTION):
    return CorrectionFactory(
        article=article, kind=kind, text=text, created=NOW - timedelta(hours=hours_ago)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/corrections/feed/", "/corrections/feed/atom/"])
def test_the_corrections_feeds_parse_and_list_live_corrections_newest_first(client, url):
    live = ArticleFactory(published=True, title="Budget agreed")
    correction_to(live, 2, "Older correction.")
    correction_to(live, 1, "Newer clarification.", kind=Correction.Kind.CLARIFICATION)
    correction_to(ArticleFactory(), 1, "Draft correction.")

    feed = parse(client.get(url))

    assert feed.version == ("atom10" if "atom" in url else "rss20")
    assert [entry.title for entry in feed.entries] == [
        "Clarification: Budget agreed",
        "Correction: Budget agreed",
    ]
    assert feed.entries[0].summary == "Newer clarification."
    assert feed.entries[0].link.startswith(f"http://testserver{live.get_absolute_url()}#")
    assert feed.entries[0].id != feed.entries[1].id
    assert feed.entries[0].published_parsed[:4] == (2026, 3, 18, 9)  # 11:00 in Kyiv is 09 UTC


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 20])
def test_the_corrections_feed_costs_one_query(client, django_assert_num_queries, count):
    for number in range(count):
        correction_to(ArticleFactory(published=True), number, f"Correction {number}.")

    # the corrections with their stories (and sections), newest first
    with django_assert_num_queries(1):
        feed = parse(client.get("/corrections/feed/"))
    assert len(feed.entries) == count
