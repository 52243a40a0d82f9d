"""Deleting a story moves it to the Trash: off every public page at once, restorable for
NEWSROOM_TRASH_DAYS, then deleted for good by `manage.py empty_trash`."""

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains
from reversion.models import Version

from articles.models import Article, Byline, Correction
from articles.services import publish_article, trash_article
from audit.models import AuditEntry
from tests.factories import ArticleFactory, AuthorFactory, CorrectionFactory, TagFactory

NOW = datetime(2026, 3, 18, 12, 0, tzinfo=ZoneInfo("Europe/Kyiv"))
CHANGELIST = "/admin/articles/article/"
TRASH = "/admin/articles/trashedarticle/"


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def delete_url(article):
    return reverse("admin:articles_article_delete", args=[article.pk])


def actions(action, *articles):
    return {"action": action, "_selected_action": [article.pk for article in articles]}


# Moving to the Trash ----------------------------------------------------------------------


@pytest.mark.django_db
def test_deleting_a_story_in_the_admin_moves_it_to_the_trash(editor_client, editor):
    article = ArticleFactory(published=True, authors=[AuthorFactory()])

    confirm = editor_client.get(delete_url(article))
    response = editor_client.post(delete_url(article), {"post": "yes"}, follow=True)

    assertContains(confirm, "Move “")
    assertContains(confirm, "for 30 days")
    assertContains(response, "moved to the Trash and taken off the site")
    article.refresh_from_db()  # still there, with its bylines
    assert (article.trashed_at, article.trashed_by) == (NOW, editor)
    assert article.bylines.count() == 1
    entry = AuditEntry.objects.for_object(article).get()
    assert (entry.action, entry.actor) == ("trashed", editor)
    (logged,) = LogEntry.objects.all()  # the admin's own log does not say "deleted"
    assert (logged.is_change(), logged.get_change_message()) == (True, "Moved to the Trash.")


@pytest.mark.django_db
def test_the_bulk_action_moves_stories_to_the_trash_instead_of_deleting(editor_client):
    articles = ArticleFactory.create_batch(2, published=True)
    kept = ArticleFactory(published=True)

    page = editor_client.get(CHANGELIST)
    response = editor_client.post(CHANGELIST, actions("trash_selected", *articles), follow=True)

    choices = [name for name, _label in page.context["action_form"].fields["action"].choices]
    assert "trash_selected" in choices
    assert "delete_selected" not in choices
    assertContains(response, "2 article(s) were moved to the Trash")
    assert set(Article.objects.in_trash()) == set(articles)
    assert list(Article.objects.published()) == [kept]
    assert AuditEntry.objects.filter(action="trashed").count() == 2


@pytest.mark.django_db
def test_only_those_who_may_delete_articles_trash_them(reporter_client):
    article = ArticleFactory()

    assert reporter_client.get(delete_url(article)).status_code == 403
    reporter_client.post(CHANGELIST, actions("trash_selected", article))

    article.refresh_from_db()
    assert article.trashed_at is None
    assert reporter_client.get(TRASH).status_code == 403


@pytest.mark.django_db
def test_a_trashed_story_is_gone_from_every_public_page_at_once(client, editor):
    tag = TagFactory(slug="budget")
    writer = AuthorFactory(slug="zoe")
    article = ArticleFactory(
        published=True, title="Trashed story", slug="trashed", tags=[tag], authors=[writer]
    )
    CorrectionFactory(article=article, text="A correction to a trashed story.")
    ArticleFactory(published=True, section=article.section, title="Kept story")
    assertContains(client.get("/news/"), "Trashed story")
    assertContains(client.get("/corrections/"), "A correction to a trashed story.")

    trash_article(article=article, by=editor)

    assert client.get("/news/trashed/").status_code == 404
    pages = ["/", "/news/", "/feed/", "/feed/atom/", article.section.get_absolute_url()]
    pages += ["/tag/budget/", "/authors/zoe/", "/sitemap-news.xml", "/corrections/"]
    pages += [f"/sitemap-articles-{NOW:%Y-%m}.xml", "/corrections/feed/", "/search/?q=Trashed"]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assertNotContains(response, "Trashed story")
        assertNotContains(response, "/news/trashed/")
        assertNotContains(response, "A correction to a trashed story.")


@pytest.mark.django_db
def test_a_feed_reader_revalidating_after_a_trash_gets_the_new_feed(client, editor, time_machine):
    article = ArticleFactory(published=True, title="Trashed story")
    ArticleFactory(published=True, title="Kept story")
    etag = client.get("/feed/")["ETag"]
    assert client.get("/feed/", headers={"if-none-match": etag}).status_code == 304
    time_machine.move_to(NOW + timedelta(minutes=1), tick=False)

    trash_article(article=article, by=editor)

    response = client.get("/feed/", headers={"if-none-match": etag})
    assert response.status_code == 200
    assertNotContains(response, "Trashed story")


@pytest.mark.django_db
def test_trashed_stories_leave_the_article_list_for_the_trash(editor_client, editor):
    trashed = ArticleFactory(title="Trashed story")
    ArticleFactory(title="Kept story")
    trash_article(article=trashed, by=editor)

    articles = editor_client.get(CHANGELIST)
    trash = editor_client.get(TRASH)

    assertNotContains(articles, "Trashed story")
    assertContains(articles, "Kept story")
    assertContains(articles, f'href="{TRASH}"')
    assertContains(trash, "Trashed story")
    assertNotContains(trash, "Kept story")
    assertContains(trash, "17 Apr 2026")  # deleted for good 30 days after trashing
    # Its change page is not reachable from the article list while it is in the Trash.
    change = editor_client.get(reverse("admin:articles_article_change", args=[trashed.pk]))
    assert change.status_code == 302


# Restoring from the Trash -----------------------------------------------------------------


@pytest.mark.django_db
def test_restoring_brings_a_published_story_back_unpublished(editor_client, editor):
    writer = AuthorFactory()
    article = ArticleFactory(ready=True, published=True, title="Back again", authors=[writer])
    published_at = article.published_at
    trash_article(article=article, by=editor)

    response = editor_client.post(TRASH, actions("restore_selected", article), follow=True)

    assertContains(response, "1 article(s) restored")
    article.refresh_from_db()
    assert article.trashed_at is None
    assert article.title == "Back again"
    assert [byline.author for byline in article.bylines.all()] == [writer]
    # Not back on the site by itself: an editor publishes it again, at its original time.
    assert article.status == Article.Status.UNPUBLISHED
    assert not Article.objects.published().exists()
    publish_article(article=article, by=editor)
    assert article.published_at == published_at
    actions_logged = list(AuditEntry.objects.for_object(article).values_list("action", flat=True))
    assert actions_logged == ["published", "restored from trash", "trashed"]
    assert Version.objects.get_for_object(article).first().revision.user == editor


@pytest.mark.django_db
def test_a_reporter_cannot_restore_from_the_trash(reporter_client, editor):
    article = ArticleFactory()
    trash_article(article=article, by=editor)

    reporter_client.post(TRASH, actions("restore_selected", article))

    article.refresh_from_db()
    assert article.trashed_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 30])
def test_the_trash_query_count_does_not_grow(
    editor_client, editor, django_assert_num_queries, count
):
    for article in ArticleFactory.create_batch(count):
        trash_article(article=article, by=editor)

    # 1-2. the session and the user; 3-4. the user's group permissions (may they trash)
    # 5. the count; 6. the page of stories with their sections and who trashed them
    with django_assert_num_queries(6):
        response = editor_client.get(TRASH)
    assert len(response.context["cl"].result_list) == count


# Emptying the Trash -----------------------------------------------------------------------


def empty_trash(*args):
    out = StringIO()
    call_command("empty_trash", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_empty_trash_deletes_for_good_what_has_been_there_longer_than_30_days(editor, time_machine):
    old = ArticleFactory(title="Old story", authors=[AuthorFactory()])
    CorrectionFactory(article=old)
    recent = ArticleFactory(title="Recent story")
    live = ArticleFactory(published=True)
    time_machine.move_to(NOW - timedelta(days=30, minutes=1), tick=False)
    trash_article(article=old, by=editor)
    time_machine.move_to(NOW - timedelta(days=29), tick=False)
    trash_article(article=recent, by=editor)
    time_machine.move_to(NOW, tick=False)
    old_pk = old.pk

    output = empty_trash()

    assert f"Deleted #{old_pk} “Old story” (in the Trash since 2026-02-16)" in output
    assert "Deleted 1 article(s) in the Trash for more than 30 days; 1 remain" in output
    assert set(Article.objects.values_list("pk", flat=True)) == {recent.pk, live.pk}
    assert not Byline.objects.filter(article_id=old_pk).exists()
    assert not Correction.objects.filter(article_id=old_pk).exists()
    assert not Version.objects.get_for_object_reference(Article, old_pk).exists()
    entry = AuditEntry.objects.get(action="deleted for good")
    assert (entry.object_id, entry.object_repr, entry.actor) == (str(old_pk), "Old story", None)


@pytest.mark.django_db
def test_empty_trash_dry_run_only_lists(editor, time_machine):
    time_machine.move_to(NOW - timedelta(days=31), tick=False)
    article = ArticleFactory(title="Old story")
    trash_article(article=article, by=editor)
    time_machine.move_to(NOW, tick=False)

    output = empty_trash("--dry-run")

    assert "Would delete 1 article(s)" in output
    assert Article.objects.filter(pk=article.pk).exists()


@pytest.mark.django_db
def test_empty_trash_follows_the_setting(editor, settings, time_machine):
    settings.NEWSROOM_TRASH_DAYS = 7
    time_machine.move_to(NOW - timedelta(days=8), tick=False)
    article = ArticleFactory()
    trash_article(article=article, by=editor)
    time_machine.move_to(NOW, tick=False)

    assert "Deleted 1 article(s) in the Trash for more than 7 days" in empty_trash()
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_emptying_the_trash_keeps_other_stories_versions_from_a_shared_revision(
    editor_client, editor, time_machine
):
    gone = ArticleFactory(ready=True, authors=[AuthorFactory()])
    kept = ArticleFactory(ready=True, authors=[AuthorFactory()])
    editor_client.post(CHANGELIST, actions("publish_selected", gone, kept))
    shared = {Version.objects.get_for_object(article).get().revision_id for article in [gone, kept]}
    assert len(shared) == 1  # the bulk action saved both stories in one revision
    time_machine.move_to(NOW - timedelta(days=31), tick=False)
    trash_article(article=gone, by=editor)
    time_machine.move_to(NOW, tick=False)
    gone_pk = gone.pk

    empty_trash()

    assert not Version.objects.get_for_object_reference(Article, gone_pk).exists()
    (version,) = Version.objects.get_for_object(kept)
    contents = {(v.content_type.model, v.object_id) for v in version.revision.version_set.all()}
    assert contents == {("article", str(kept.pk)), ("byline", str(kept.bylines.get().pk))}
