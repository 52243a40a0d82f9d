"""Breaking news: an editor flags a story, the site-wide banner links it until the flag
expires by itself (or is ended early), and the News Feed marks it."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, BreakingNews
from articles.services import end_breaking, flag_breaking
from audit.models import AuditEntry
from tests.factories import ArticleFactory

NOW = datetime(2025, 6, 18, 12, 0, tzinfo=ZoneInfo("Europe/Kyiv"))
BANNER = re.compile(
    r'<aside class="breaking-banner" aria-label="Breaking news">\s*'
    r'<p><strong class="breaking-label">Breaking</strong> <a href="([^"]+)">([^<]+)</a></p>'
)
MARK = '<strong class="breaking-mark">Breaking</strong>'


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def live_story(db):
    return ArticleFactory(
        published=True, kind=Article.Kind.NEWS, title="Bridge closed after crash", slug="bridge"
    )


def banner(response):
    return BANNER.findall(response.content.decode())


@pytest.mark.django_db
def test_no_banner_without_breaking_news(client, live_story):
    assertNotContains(client.get("/"), "breaking-banner")


@pytest.mark.django_db
def test_a_flagged_story_is_in_the_banner_on_every_public_page(client, editor, live_story):
    flag_breaking(article=live_story, by=editor)

    for url in ["/", "/news/", live_story.section.get_absolute_url(), "/no-such-page/"]:
        response = client.get(url)
        assert banner(response) == [("/news/bridge/", "Bridge closed after crash")], url


@pytest.mark.django_db
def test_the_banner_expires_by_itself_after_sixty_minutes(client, editor, live_story):
    flag = flag_breaking(article=live_story, by=editor)

    assert flag.expires_at == NOW + timedelta(minutes=60)
    with time_machine.travel(NOW + timedelta(minutes=59, seconds=59), tick=False):
        assert banner(client.get("/"))
    with time_machine.travel(NOW + timedelta(minutes=60), tick=False):
        assert banner(client.get("/")) == []


@pytest.mark.django_db
def test_the_default_length_is_a_setting(editor, live_story, settings):
    settings.NEWSROOM_BREAKING_MINUTES = 15

    flag = flag_breaking(article=live_story, by=editor)

    assert flag.expires_at == NOW + timedelta(minutes=15)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "state",
    [{"status": Article.Status.DRAFT}, {"scheduled": True}],
    ids=["draft", "scheduled"],
)
def test_the_banner_never_shows_a_story_readers_cannot_see(client, editor, state):
    article = ArticleFactory(title="Not yet for readers", **state)
    flag_breaking(article=article, by=editor)

    response = client.get("/")

    assert banner(response) == []
    assertNotContains(response, "Not yet for readers")


@pytest.mark.django_db
def test_a_scheduled_story_enters_the_banner_when_it_goes_live(client, editor):
    article = ArticleFactory(
        status=Article.Status.PUBLISHED, published_at=NOW + timedelta(minutes=10), slug="later"
    )
    flag_breaking(article=article, by=editor)

    with time_machine.travel(NOW + timedelta(minutes=10), tick=False):
        assert banner(client.get("/"))[0][0] == "/news/later/"


@pytest.mark.django_db
def test_the_newest_flag_wins(client, editor, live_story, time_machine):
    flag_breaking(article=live_story, by=editor)
    newer = ArticleFactory(published=True, title="Second alarm")
    time_machine.move_to(NOW + timedelta(minutes=5), tick=False)
    flag_breaking(article=newer, by=editor)

    assert [title for _, title in banner(client.get("/"))] == ["Second alarm"]


@pytest.mark.django_db
def test_the_news_feed_marks_the_breaking_story(client, editor, live_story):
    other = ArticleFactory(published=True, kind=Article.Kind.NEWS)
    flag_breaking(article=live_story, by=editor)

    page = client.get("/news/").content.decode()

    assert page.count(MARK) == 1
    item = page[page.index(MARK) : page.index("</li>", page.index(MARK))]
    assert 'href="/news/bridge/"' in item
    assert other.get_absolute_url() not in item


@pytest.mark.django_db
def test_the_banner_costs_one_query(client, editor, live_story, django_assert_num_queries):
    flag_breaking(article=live_story, by=editor)

    # 1. the batch  2. the section navigation  3. the breaking-news flag with its story,
    # read once for both the banner and the feed's mark
    with django_assert_num_queries(3):
        response = client.get("/news/")
    assertContains(response, MARK, count=1)
    assert banner(response)


@pytest.mark.django_db
def test_ending_early_takes_it_out_of_the_banner_and_is_audited(client, editor, live_story):
    flag = flag_breaking(article=live_story, by=editor)

    end_breaking(flag=flag, by=editor)

    assert banner(client.get("/")) == []
    flag.refresh_from_db()
    assert (flag.expires_at, flag.ended_by) == (NOW, editor)
    entries = AuditEntry.objects.for_object(live_story)
    assert [(e.action, e.actor) for e in entries] == [
        ("ended breaking", editor),
        ("flagged breaking", editor),
    ]


@pytest.mark.django_db
def test_reporters_cannot_flag_breaking_news(reporter, live_story):
    with pytest.raises(PermissionDenied):
        flag_breaking(article=live_story, by=reporter)
    assert not BreakingNews.objects.exists()


# Admin ----------------------------------------------------------------------------------


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.mark.django_db
def test_an_editor_flags_from_the_change_page(editor_client, editor, live_story):
    url = reverse("admin:articles_article_flag_breaking", args=[live_story.pk])

    page = editor_client.get(change_url(live_story))
    response = editor_client.post(url, follow=True)

    assertContains(page, "Flag as breaking news (60 minutes)")
    assertContains(response, "is breaking news until 13:00.")
    flag = BreakingNews.objects.get()
    assert (flag.article, flag.created_by) == (live_story, editor)
    assert AuditEntry.objects.for_object(live_story).get().action == "flagged breaking"


@pytest.mark.django_db
def test_flagging_a_draft_warns_that_the_banner_waits(editor_client):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    url = reverse("admin:articles_article_flag_breaking", args=[draft.pk])

    response = editor_client.post(url, follow=True)

    assertContains(response, "The banner shows it only once the story is live.")


@pytest.mark.django_db
def test_an_editor_flags_with_the_list_action(editor_client, live_story):
    data = {"action": "flag_breaking_selected", "_selected_action": [str(live_story.pk)]}

    editor_client.post("/admin/articles/article/", data)

    assert BreakingNews.objects.get().article == live_story


@pytest.mark.django_db
def test_the_list_action_flags_only_one_story_at_a_time(editor_client, live_story):
    other = ArticleFactory(published=True)
    data = {
        "action": "flag_breaking_selected",
        "_selected_action": [str(live_story.pk), str(other.pk)],
    }

    response = editor_client.post("/admin/articles/article/", data, follow=True)

    assertContains(response, "Select exactly one story to flag.")
    assert not BreakingNews.objects.exists()


@pytest.mark.django_db
def test_an_editor_flags_for_a_chosen_time_with_the_add_form(editor_client, live_story):
    response = editor_client.post(
        "/admin/articles/breakingnews/add/", {"article": str(live_story.pk), "minutes": "20"}
    )

    assert response.status_code == 302
    flag = BreakingNews.objects.get()
    assert flag.expires_at == NOW + timedelta(minutes=20)
    assert AuditEntry.objects.for_object(live_story).get().action == "flagged breaking"


@pytest.mark.django_db
@pytest.mark.parametrize("minutes", ["0", "-5", "100000", "soon"])
def test_the_add_form_refuses_a_nonsense_length(editor_client, live_story, minutes):
    response = editor_client.post(
        "/admin/articles/breakingnews/add/", {"article": str(live_story.pk), "minutes": minutes}
    )

    assert response.status_code == 200
    assertContains(response, "errornote")
    assert not BreakingNews.objects.exists()


@pytest.mark.django_db
def test_an_editor_ends_breaking_news_early_with_the_action(editor_client, editor, live_story):
    flag = flag_breaking(article=live_story, by=editor)
    data = {"action": "end_selected", "_selected_action": [str(flag.pk)]}

    editor_client.post("/admin/articles/breakingnews/", data)

    assert banner(editor_client.get("/")) == []


@pytest.mark.django_db
def test_reporters_are_offered_no_way_to_flag(reporter_client):
    draft = ArticleFactory(status=Article.Status.DRAFT)

    page = reporter_client.get(change_url(draft))
    changelist = reporter_client.get("/admin/articles/article/")
    response = reporter_client.post(
        reverse("admin:articles_article_flag_breaking", args=[draft.pk])
    )

    assertNotContains(page, "Flag as breaking news")
    assertNotContains(changelist, "flag_breaking_selected")
    assert response.status_code == 403
    assert reporter_client.get("/admin/articles/breakingnews/").status_code == 403
    assert not BreakingNews.objects.exists()


@pytest.mark.django_db
def test_the_breaking_news_list_query_count_does_not_grow(
    editor_client, editor, django_assert_num_queries
):
    def count():
        editor_client.get("/admin/articles/breakingnews/")  # warm the content-type cache
        # session, user, the user's own and group permissions, the count, the full
        # count, the flags with their stories and the people who set and ended them
        with django_assert_num_queries(7):
            editor_client.get("/admin/articles/breakingnews/")

    flag_breaking(article=ArticleFactory(published=True), by=editor)
    count()
    for _ in range(15):
        end_breaking(
            flag=flag_breaking(article=ArticleFactory(published=True), by=editor), by=editor
        )
    count()
