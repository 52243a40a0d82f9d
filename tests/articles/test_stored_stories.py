"""Stored stories (articles/stories.py): a published story's own part of its page is
rendered once, stored in the database, and served from there until something it shows
changes; readers never get a stale or another host's copy, and editors' previews never
touch the store. The events that refresh each kind of page run with stored stories on in
tests/articles/test_caching.py and tests/test_fragments.py too."""

from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from articles import services, stories
from articles.models import Article, StoredStory, StoredStoryKey
from articles.stories import ORIGIN, store, story_parts
from newsroom.cache import purge_keys
from tests.authors.test_admin import author_form
from tests.authors.test_admin import change_url as author_change_url
from tests.factories import ArticleFactory, AuthorFactory, ImageFactory, SectionFactory, TagFactory

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=ZoneInfo("Europe/Kyiv"))
PAGE = "/news/council-agrees-budget/"


@pytest.fixture
def stored(settings, time_machine):
    """Stored stories on with the fragment cache, the page cache off, as the benchmark and
    a production server with the page cache off run them."""
    time_machine.move_to(NOW, tick=False)
    settings.NEWSROOM_PAGE_CACHE = False
    settings.NEWSROOM_FRAGMENT_CACHE = True
    settings.NEWSROOM_STORED_STORIES = True


@pytest.fixture
def story(db):
    ana = AuthorFactory(name="Ana Ruiz", slug="ana", role="Politics Reporter", bio="Town hall.")
    return ArticleFactory(
        title="Council agrees budget",
        slug="council-agrees-budget",
        summary="The vote was close.",
        body="<p>The council met on Tuesday.</p>",
        section=SectionFactory(name="City", slug="city"),
        tags=[TagFactory(name="Budget", slug="budget")],
        authors=[ana],
        lead_image=ImageFactory(credit="Jane Doe / Agency"),
        published=True,
        published_at=NOW - timedelta(hours=1),
    )


def purge(capture, keys):
    with capture(execute=True):
        purge_keys(keys)


# What is stored and served ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_first_read_stores_the_story_and_the_next_reads_serve_the_same_page(
    client, stored, story, settings
):
    first = client.get(PAGE)
    assert StoredStory.objects.filter(article=story).exists()
    again = client.get(PAGE)
    settings.NEWSROOM_STORED_STORIES = False
    fresh = client.get(PAGE)

    assert first.content == again.content == fresh.content
    assertContains(again, '<h1 class="story-title">Council agrees budget</h1>', html=False)
    assertContains(
        again, '<meta property="article:author" content="http://testserver/authors/ana/">'
    )
    assertContains(again, "Politics Reporter")
    assertContains(again, "Jane Doe / Agency")


@pytest.mark.django_db
def test_a_stored_story_costs_its_page_one_query(client, stored, story, django_assert_num_queries):
    client.get(PAGE)
    client.get(PAGE)  # the page's shared lists ("More news", "Related") are kept too

    with django_assert_num_queries(1):
        response = client.get(PAGE)

    assert response.status_code == 200


@pytest.mark.django_db
def test_a_stored_story_keeps_what_it_shows_by_key(stored, story, client):
    client.get(PAGE)

    keys = set(StoredStoryKey.objects.filter(article=story).values_list("key", flat=True))

    writer = story.bylines.get().author_id
    tag = story.tags.get().pk
    assert keys == {
        f"article:{story.pk}",
        f"section:{story.section_id}",
        f"tag:{tag}",
        f"author:{writer}",
    }


@pytest.mark.django_db
def test_every_address_on_a_stored_story_is_on_the_readers_own_host(stored, story, settings):
    settings.ALLOWED_HOSTS = ["news.example", "mirror.example"]
    Client(HTTP_HOST="news.example").get(PAGE)

    response = Client(HTTP_HOST="mirror.example").get(PAGE)

    assertContains(response, f"http://mirror.example{PAGE}")
    assertContains(response, "http://mirror.example/authors/ana/")
    assertNotContains(response, "news.example")
    assertNotContains(response, ORIGIN)


@pytest.mark.django_db
def test_a_story_readers_may_not_see_is_never_served_from_its_stored_copy(client, stored, story):
    client.get(PAGE)

    # Even a change that skips the services (and so purges nothing) hides it at once.
    Article.objects.filter(pk=story.pk).update(status=Article.Status.DRAFT)

    assert client.get(PAGE).status_code == 404


@pytest.mark.django_db
def test_a_scheduled_story_is_not_stored_before_it_appears(client, stored, story, time_machine):
    Article.objects.filter(pk=story.pk).update(published_at=NOW + timedelta(hours=1))

    assert client.get(PAGE).status_code == 404
    time_machine.move_to(NOW + timedelta(hours=2), tick=False)
    assert client.get(PAGE).status_code == 200

    assert StoredStory.objects.filter(article=story).exists()


@pytest.mark.django_db
def test_previews_neither_read_nor_write_the_store(stored, story, editor_client):
    draft = ArticleFactory(title="Mayor resigns", slug="mayor-resigns", status="draft")

    assert editor_client.get("/news/mayor-resigns/").status_code == 200
    StoredStory.objects.create(
        article=story,
        version=stories.render_version(),
        parts=story_parts(Article.objects.for_detail().get(pk=story.pk))
        | {"body": "<article>Stale copy</article>"},
        rendered_at=NOW,
        expires_at=NOW + timedelta(days=1),
    )
    staff_view = editor_client.get(PAGE)

    assert not StoredStory.objects.filter(article=draft).exists()
    assertNotContains(staff_view, "Stale copy")
    assertContains(Client().get(PAGE), "Stale copy")  # what the stand-in row holds


# When a stored copy goes --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["article", "section", "tag", "author"])
def test_a_purge_of_any_key_it_shows_forgets_the_stored_story(
    client, stored, story, kind, django_capture_on_commit_callbacks
):
    other = ArticleFactory(published=True, published_at=NOW - timedelta(hours=2))
    client.get(PAGE)
    client.get(other.get_absolute_url())
    key = StoredStoryKey.objects.get(article=story, key__startswith=f"{kind}:").key

    purge(django_capture_on_commit_callbacks, [key])

    assert not StoredStory.objects.filter(article=story).exists()
    assert not StoredStoryKey.objects.filter(article=story).exists()
    assert StoredStory.objects.filter(article=other).exists()


@pytest.mark.django_db
def test_purges_of_lists_and_of_the_site_chrome_keep_the_stored_stories(
    client, stored, story, django_capture_on_commit_callbacks
):
    client.get(PAGE)

    purge(django_capture_on_commit_callbacks, ["site", "home", "newsfeed", "sitemaps", "team"])

    assert StoredStory.objects.filter(article=story).exists()


@pytest.mark.django_db
def test_the_stories_key_forgets_every_stored_story(
    client, stored, story, django_capture_on_commit_callbacks
):
    other = ArticleFactory(published=True, published_at=NOW - timedelta(hours=2))
    client.get(PAGE)
    client.get(other.get_absolute_url())

    purge(django_capture_on_commit_callbacks, ["stories"])

    assert not StoredStory.objects.exists()
    assert not StoredStoryKey.objects.exists()


@pytest.mark.django_db
def test_a_story_rendered_while_a_purge_reached_it_is_taken_back(
    stored, story, django_capture_on_commit_callbacks
):
    """A reader's render began before an editor's change committed and is stored after the
    purge ran: the store sees the purge's time and takes its copy back."""
    article = Article.objects.for_detail().get(pk=story.pk)
    parts = story_parts(article)
    started = NOW.timestamp() - 1
    purge(django_capture_on_commit_callbacks, [f"article:{story.pk}"])

    store([(article, parts)], started=started)

    assert not StoredStory.objects.filter(article=story).exists()
    # Rendered after the purge, it stays.
    store([(article, parts)], started=NOW.timestamp() + 1)
    assert StoredStory.objects.filter(article=story).exists()


@pytest.mark.django_db
def test_new_code_renders_a_stored_story_again(client, stored, story, monkeypatch):
    client.get(PAGE)
    StoredStory.objects.filter(article=story).update(
        parts=StoredStory.objects.get(article=story).parts | {"body": "<article>Old</article>"}
    )
    assertContains(client.get(PAGE), "<article>Old</article>")

    monkeypatch.setattr(stories, "render_version", lambda: "a-newer-deploy")

    assertNotContains(client.get(PAGE), "<article>Old</article>")
    assert StoredStory.objects.get(article=story).version == "a-newer-deploy"


@pytest.mark.django_db
def test_a_photo_whose_licence_ends_leaves_the_stored_story_the_next_day(
    stored, story, time_machine
):
    Article.objects.filter(pk=story.pk).update(
        lead_image=ImageFactory(usage_expires=NOW.date())  # its last day is today
    )
    stem = Path(Article.objects.get(pk=story.pk).lead_image.file.name).stem
    assertContains(Client().get(PAGE), stem)
    midnight = datetime.combine(NOW.date() + timedelta(days=1), datetime.min.time(), NOW.tzinfo)

    time_machine.move_to(midnight - timedelta(seconds=1), tick=False)
    assertContains(Client().get(PAGE), stem)
    time_machine.move_to(midnight + timedelta(seconds=1), tick=False)

    assertNotContains(Client().get(PAGE), stem)


@pytest.mark.django_db
def test_a_stored_story_goes_after_the_safety_limit_at_the_latest(client, stored, story, settings):
    settings.NEWSROOM_STORED_STORY_TTL = 3600
    client.get(PAGE)

    assert StoredStory.objects.get(article=story).expires_at == NOW + timedelta(hours=1)


# Events that change a stored story ------------------------------------------------------------


@pytest.mark.django_db
def test_a_published_edit_reaches_the_stored_story_at_once(
    client, stored, story, editor, django_capture_on_commit_callbacks
):
    client.get(PAGE)

    with django_capture_on_commit_callbacks(execute=True):
        services.mark_updated(article=story, by=editor)

    assertContains(client.get(PAGE), "Updated:")


@pytest.mark.django_db
def test_renaming_the_writer_in_the_admin_reaches_their_stored_stories(
    client, stored, story, admin_client, django_capture_on_commit_callbacks
):
    writer = story.bylines.get().author
    client.get(PAGE)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            author_change_url(writer), author_form(writer, name="Ana Ruiz-Lopez")
        )

    assert response.status_code == 302
    assertContains(client.get(PAGE), "Ana Ruiz-Lopez")


@pytest.mark.django_db
def test_renaming_the_section_in_the_admin_reaches_its_stored_stories(
    client, stored, story, admin_client, django_capture_on_commit_callbacks
):
    client.get(PAGE)
    section = story.section

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/articles/section/{section.pk}/change/",
            {"name": "City Hall", "slug": "city", "position": section.position},
        )

    assert response.status_code == 302
    assertContains(client.get(PAGE), "City Hall")


@pytest.mark.django_db
def test_merging_writers_reaches_the_stored_stories_of_both(
    client, stored, story, editor, django_capture_on_commit_callbacks
):
    from authors.services import merge_authors

    duplicate = story.bylines.get().author
    keep = AuthorFactory(name="Ana Ruiz Lopez", slug="ana-ruiz-lopez")
    client.get(PAGE)

    with django_capture_on_commit_callbacks(execute=True):
        merge_authors(keep=keep, remove=duplicate, by=editor)

    assertContains(client.get(PAGE), "Ana Ruiz Lopez")


# Rendering ahead ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_render_stories_stores_every_published_story_and_shows_progress(stored, story):
    ArticleFactory(published=True, published_at=NOW - timedelta(hours=2))
    draft = ArticleFactory(status="draft")
    out = StringIO()

    call_command("render_stories", stdout=out)

    assert StoredStory.objects.count() == 2
    assert not StoredStory.objects.filter(article=draft).exists()
    assert "2/2 stories (100%)" in out.getvalue()
    assert "Stored 2 stories." in out.getvalue()


@pytest.mark.django_db
def test_render_stories_skips_current_copies_unless_asked_for_all(stored, story):
    call_command("render_stories", stdout=StringIO())
    out = StringIO()

    call_command("render_stories", stdout=out)
    assert "Stored 0 stories." in out.getvalue()

    call_command("render_stories", "--all", stdout=out)
    assert "Stored 1 stories." in out.getvalue()


@pytest.mark.django_db
def test_render_stories_shares_the_stories_among_processes(stored, story):
    others = [
        ArticleFactory(published=True, published_at=NOW - timedelta(hours=hours))
        for hours in (2, 3)
    ]
    pks = [story.pk, *(other.pk for other in others)]

    call_command("render_stories", "--shard=2/2", stdout=StringIO())
    odd = sorted(pk for pk in pks if pk % 2 == 1)
    assert sorted(StoredStory.objects.values_list("article_id", flat=True)) == odd
    call_command("render_stories", "--shard=1/2", stdout=StringIO())
    assert StoredStory.objects.count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize("shard", ["3/2", "0/2", "half"])
def test_render_stories_refuses_a_shard_it_cannot_read(stored, shard):
    with pytest.raises(CommandError, match="--shard"):
        call_command("render_stories", f"--shard={shard}", stdout=StringIO())


@pytest.mark.django_db
def test_render_stories_says_so_when_stored_stories_are_off(settings, story):
    settings.NEWSROOM_STORED_STORIES = False
    out = StringIO()

    call_command("render_stories", stdout=out)

    assert "Stored stories are off" in out.getvalue()
    assert not StoredStory.objects.exists()


@pytest.mark.parametrize(
    "value",
    [
        datetime(2026, 6, 1, 6, 0, tzinfo=ZoneInfo("UTC")),
        datetime(2026, 6, 1, 9, 0, tzinfo=ZoneInfo("Europe/Kyiv")),
        datetime(2026, 6, 1, 6, 0),  # SQLite: UTC without an offset
        "2026-06-01 06:00:00",
    ],
)
def test_times_read_by_the_stored_story_lookup_are_aware_and_in_utc(value):
    assert stories.db_datetime(value) == datetime(2026, 6, 1, 6, 0, tzinfo=ZoneInfo("UTC"))
    assert stories.db_datetime(None) is None


def render_version():
    return stories.render_version.__wrapped__()  # not the process's kept digest


def test_the_render_version_follows_the_settings_a_story_prints_only(settings):
    first = render_version()

    settings.NEWSROOM_PAGE_CACHE = not settings.NEWSROOM_PAGE_CACHE
    assert render_version() == first
    settings.NEWSROOM_SITE_NAME = "The Other Paper"
    assert render_version() != first


def test_the_render_version_follows_the_code_templates_and_static_files(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    template = tmp_path / "templates" / "story.html"
    template.parent.mkdir()
    template.write_text("<h1>{{ title }}</h1>")
    (tmp_path / "articles" / "__pycache__").mkdir(parents=True)
    first = render_version()

    (tmp_path / "articles" / "__pycache__" / "views.pyc").write_bytes(b"compiled")
    assert render_version() == first
    template.write_text("<h1 class='story-title'>{{ title }}</h1>")
    second = render_version()
    assert second != first
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "logo.png").write_bytes(b"new logo")
    assert render_version() != second
