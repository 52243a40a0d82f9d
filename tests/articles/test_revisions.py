"""Revisions of stories (django-reversion): recorded on every save, listed in the admin's
History, compared two at a time and restored without publishing anything by itself."""

import pytest
import reversion
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains
from reversion.models import Version

from articles.models import Article, Byline
from articles.revisions import body_diff, body_text
from articles.services import publish_article, restore_version, unpublish_article
from audit.models import AuditEntry
from tests.articles.test_admin import change_url, form_data
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory


def saved(article, by=None, writers=None, **changes):
    """Save `article` with `changes` (and these writers, if given) as one revision."""
    with reversion.create_revision():
        reversion.set_user(by)
        for name, value in changes.items():
            setattr(article, name, value)
        article.save()
        if writers is not None:
            article.bylines.all().delete()
            for position, author in enumerate(writers):
                Byline.objects.create(article=article, author=author, position=position)
    return Version.objects.get_for_object(article).first()


def history_url(article):
    return reverse("admin:articles_article_history", args=[article.pk])


def revision_url(article, version):
    return reverse("admin:articles_article_revision", args=[article.pk, version.pk])


def compare_url(article, older, newer):
    url = reverse("admin:articles_article_compare", args=[article.pk])
    return f"{url}?older={older.pk}&newer={newer.pk}"


# Recording ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_saving_a_story_in_the_admin_records_a_revision_with_its_bylines(editor_client, editor):
    writer = AuthorFactory(name="Zoe Zed")
    article = ArticleFactory(authors=[writer], title="First headline")
    data = form_data(editor_client.get(change_url(article)))
    data["title"] = "Second headline"

    response = editor_client.post(change_url(article), data)

    assert response.status_code == 302
    (version,) = Version.objects.get_for_object(article)
    assert version.revision.user == editor
    assert version.field_dict["title"] == "Second headline"
    revision = version.revision.version_set.all()
    bylines = [v.field_dict for v in revision if v.content_type.model == "byline"]
    assert [(byline["author_id"], byline["article_id"]) for byline in bylines] == [
        (writer.pk, article.pk)
    ]


@pytest.mark.django_db
def test_publishing_and_unpublishing_record_revisions_by_the_editor(editor):
    article = ArticleFactory(ready=True, authors=[AuthorFactory()])

    publish_article(article=article, by=editor)
    unpublish_article(article=article, by=editor)

    newest, older = Version.objects.get_for_object(article)
    assert (older.field_dict["status"], older.revision.get_comment()) == ("published", "Published")
    assert (newest.field_dict["status"], newest.revision.get_comment()) == (
        "unpublished",
        "Unpublished",
    )
    assert newest.revision.user == older.revision.user == editor


@pytest.mark.django_db
def test_a_bulk_publish_records_a_revision_for_each_story(editor_client, editor):
    articles = ArticleFactory.create_batch(2, ready=True, authors=[AuthorFactory()])

    editor_client.post(
        "/admin/articles/article/",
        {"action": "publish_selected", "_selected_action": [a.pk for a in articles]},
    )

    for article in articles:
        (version,) = Version.objects.get_for_object(article)
        assert version.field_dict["status"] == "published"
        assert version.revision.user == editor


# History and compare ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_history_lists_each_version_with_who_saved_it(editor_client, editor):
    article = ArticleFactory(ready=True, authors=[AuthorFactory()])
    saved(article, by=editor, title="One")
    publish_article(article=article, by=editor)

    response = editor_client.get(history_url(article))

    assert [version.field_dict["title"] for version in response.context["versions"]] == [
        "One",
        "One",
    ]
    assertContains(response, "Published")
    assertContains(response, 'name="older"', count=2)
    assertContains(response, "Compare the chosen versions")


@pytest.mark.django_db
def test_compare_shows_each_changed_field_and_the_body_as_text(editor_client, editor):
    zoe, adam = AuthorFactory(name="Zoe Zed"), AuthorFactory(name="Adam Ant")
    article = ArticleFactory(title="Budget delayed", summary="Councillors argued.")
    older = saved(
        article,
        by=editor,
        writers=[zoe],
        body="<p>The council met on Monday.</p><p>It adjourned.</p><p>Nobody spoke.</p>",
    )
    newer = saved(
        article,
        by=editor,
        writers=[zoe, adam],
        title="Budget agreed",
        body="<p>The council met on <strong>Tuesday</strong>.</p><p>It adjourned.</p>"
        "<p>Nobody spoke.</p>",
    )

    response = editor_client.get(compare_url(article, older, newer))

    rows = {row.label: row for row in response.context["rows"]}
    assert (rows["Headline"].older, rows["Headline"].newer) == ("Budget delayed", "Budget agreed")
    assert rows["Authors"].newer == "Zoe Zed (writer); Adam Ant (writer)"
    assert not rows["Standfirst"].changed
    assert not rows["Status"].changed
    assert [(line.kind, line.text) for line in response.context["body"]] == [
        ("removed", "The council met on Monday."),
        ("added", "The council met on Tuesday."),
        ("same", "It adjourned."),
    ]
    assertContains(response, "<del>Budget delayed</del>", html=True)


@pytest.mark.django_db
def test_compare_escapes_what_editors_wrote(editor_client, editor):
    article = ArticleFactory()
    older = saved(article, by=editor, title="Plain")
    newer = saved(
        article,
        by=editor,
        title="<img src=x onerror=alert(1)>",
        body="<p>Tom &amp; Jerry &lt;script&gt;alert(2)&lt;/script&gt;</p>",
    )

    response = editor_client.get(compare_url(article, older, newer))

    assertContains(response, "&lt;img src=x onerror=alert(1)&gt;")
    assertContains(response, "Tom &amp; Jerry &lt;script&gt;alert(2)&lt;/script&gt;")
    assertNotContains(response, "<img src=x")
    assertNotContains(response, "<script>alert(2)")


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "?older=1", "?older=abc&newer=def", "?older=999&newer=998"])
def test_comparing_without_two_versions_of_the_story_is_a_clear_400(editor_client, editor, query):
    article = ArticleFactory()
    saved(article, by=editor)
    other = ArticleFactory()
    foreign = saved(other, by=editor)
    url = reverse("admin:articles_article_compare", args=[article.pk])

    for address in [url + query, f"{url}?older={foreign.pk}&newer={foreign.pk}"]:
        response = editor_client.get(address)
        assert response.status_code == 400
        assertContains(response, "Choose two different versions to compare.", status_code=400)


def test_the_body_text_drops_tags_and_keeps_paragraphs_apart():
    body = "<h2>Context</h2><p>One &amp; <em>two</em>.</p><ul><li>Three</li></ul>"

    assert body_text(body) == ["Context", "One & two.", "Three"]
    assert body_diff(body, body) == []


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 12])
def test_the_history_page_query_count_does_not_grow(
    editor_client, editor, django_assert_num_queries, count
):
    article = ArticleFactory()
    for number in range(count):
        saved(article, by=editor, title=f"Headline {number}")
    editor_client.get(history_url(article))  # warm the content-type cache

    # 1-2. the session and the user; 3. the versions with their revisions and users
    # 4-5. the article with its bylines (Django's history view); 6-7. the user's permissions
    # 8. the count of Django's admin log entries (there are none)
    with django_assert_num_queries(8):
        response = editor_client.get(history_url(article))
    assert len(response.context["versions"]) == count


@pytest.mark.django_db
@pytest.mark.parametrize("writers", [1, 6])
def test_the_compare_page_query_count_does_not_grow(
    editor_client, editor, django_assert_num_queries, writers
):
    article = ArticleFactory()
    authors = AuthorFactory.create_batch(writers)
    older = saved(article, by=editor, writers=authors[:1])
    newer = saved(article, by=editor, writers=authors, title="New")
    editor_client.get(compare_url(article, older, newer))  # warm the content-type cache

    # 1-2. the session and the user; 3-4. the user's group permissions
    # 5-6. the article and its bylines; 7. the two versions
    # 8-9. the versions in each revision (their bylines); 10. the sections; 11. the authors
    with django_assert_num_queries(11):
        response = editor_client.get(compare_url(article, older, newer))
    assert response.status_code == 200


# Restoring ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_restoring_brings_back_the_content_as_a_new_revision_and_keeps_the_status(
    editor_client, editor
):
    zoe, adam = AuthorFactory(name="Zoe Zed"), AuthorFactory(name="Adam Ant")
    first_tag, second_tag = TagFactory(), TagFactory()
    article = ArticleFactory(
        ready=True, authors=[AuthorFactory()], title="Old headline", tags=[first_tag]
    )
    old = saved(article, by=editor, writers=[zoe], body="<p>Old words.</p>")
    publish_article(article=article, by=editor)
    article.tags.set([second_tag])
    saved(article, by=editor, writers=[adam], title="New headline", body="<p>New words.</p>")
    published_at = article.published_at

    response = editor_client.post(revision_url(article, old))

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.body) == ("Old headline", "<p>Old words.</p>")
    assert [byline.author for byline in article.bylines.all()] == [zoe]
    assert list(article.tags.all()) == [first_tag]
    # Restoring changes what the story says, not whether or when readers see it.
    assert (article.status, article.published_at) == (Article.Status.PUBLISHED, published_at)
    newest = Version.objects.get_for_object(article).first()
    assert newest.pk > old.pk
    assert newest.revision.user == editor
    assert newest.field_dict["title"] == "Old headline"
    assert newest.revision.get_comment().startswith("Restored the version saved")
    entry = AuditEntry.objects.for_object(article).get(action="restored revision")
    assert (entry.action, entry.actor, entry.data["revision"]) == (
        "restored revision",
        editor,
        old.revision_id,
    )


@pytest.mark.django_db
def test_restoring_a_published_version_of_a_draft_does_not_publish_it(editor):
    article = ArticleFactory(ready=True, authors=[AuthorFactory()])
    publish_article(article=article, by=editor)
    published = Version.objects.get_for_object(article).first()
    unpublish_article(article=article, by=editor)

    restore_version(version=published, by=editor)

    article.refresh_from_db()
    assert article.status == Article.Status.UNPUBLISHED
    assert not Article.objects.published().filter(pk=article.pk).exists()


@pytest.mark.django_db
def test_the_restore_page_shows_the_version_against_the_story_now(editor_client, editor):
    article = ArticleFactory()
    old = saved(article, by=editor, title="Old headline")
    saved(article, by=editor, title="New headline")

    response = editor_client.get(revision_url(article, old))

    rows = {row.label: row for row in response.context["rows"]}
    assert (rows["Headline"].older, rows["Headline"].newer) == ("Old headline", "New headline")
    assertContains(response, 'value="Restore this version"')
    article.refresh_from_db()
    assert article.title == "New headline"  # looking changes nothing


@pytest.mark.django_db
def test_a_reporter_may_read_the_history_of_a_live_story_but_not_restore_it(
    reporter_client, editor
):
    article = ArticleFactory(ready=True, authors=[AuthorFactory()], title="Old headline")
    old = saved(article, by=editor)
    publish_article(article=article, by=editor)
    saved(article, by=editor, title="New headline")

    assert reporter_client.get(history_url(article)).status_code == 200
    page = reporter_client.get(revision_url(article, old))
    assertNotContains(page, "Restore this version")
    response = reporter_client.post(revision_url(article, old))

    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title == "New headline"


@pytest.mark.django_db
def test_a_restore_leaves_out_what_no_longer_exists_and_says_so(editor):
    zoe, gone = AuthorFactory(name="Zoe Zed"), AuthorFactory(name="Gone Author")
    article = ArticleFactory(slug="old-address")
    old = saved(article, by=editor, writers=[zoe, gone])
    saved(article, by=editor, writers=[zoe], slug="new-address")
    gone.delete()
    ArticleFactory(slug="old-address")  # another story has taken the address since

    notes = restore_version(version=old, by=editor)

    article.refresh_from_db()
    assert [byline.author for byline in article.bylines.all()] == [zoe]
    assert article.slug == "new-address"
    assert notes == [
        "The address “old-address” now belongs to another story; the story keeps “new-address”.",
        "A byline names an author who no longer exists; it is left out.",
    ]


@pytest.mark.django_db
def test_a_restore_moving_the_story_back_to_its_old_section_and_address_leaves_a_redirect(
    editor,
):
    city, world = SectionFactory(), SectionFactory()
    article = ArticleFactory(section=city, slug="first-address")
    old = saved(article, by=editor)
    saved(article, by=editor, section=world, slug="second-address")

    restore_version(version=old, by=editor)

    article.refresh_from_db()
    assert (article.section, article.slug) == (city, "first-address")
    assert article.old_slugs.get().old_slug == "second-address"


@pytest.mark.django_db
def test_deleted_articles_are_not_recovered_from_revisions(admin_client):
    assert admin_client.get("/admin/articles/article/recover/").status_code == 404


@pytest.mark.django_db
def test_a_version_that_breaks_todays_rules_is_not_restored_and_the_editor_is_told(
    editor_client, editor
):
    article = ArticleFactory(title="Current headline")
    # Saved before the video rule existed (save() alone does not validate).
    old = saved(article, by=editor, title="Old headline", video_url="https://example.com/clip")
    saved(article, by=editor, title="Current headline", video_url="")

    response = editor_client.post(revision_url(article, old), follow=True)

    assertContains(response, "Not restored: Paste a YouTube or Vimeo video address")
    article.refresh_from_db()
    assert (article.title, article.video_url) == ("Current headline", "")
    assert not AuditEntry.objects.exists()
