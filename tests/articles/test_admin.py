from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, BreakingNews, Byline, HomeSlot, PreviewLink, SlugRedirect
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ImageFactory,
    SectionFactory,
    TagFactory,
)

NOW = datetime(2025, 6, 18, 12, 0, tzinfo=ZoneInfo("Europe/Kyiv"))
CHANGELIST = "/admin/articles/article/"
ADD = "/admin/articles/article/add/"


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def form_value(value):
    if value is None:
        return ""
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    return str(value)


def form_data(response):
    """What the browser would post back for the admin form in `response`, unchanged."""
    data = {}

    def add(form):
        for bound in form:
            field, value = bound.field, bound.value()
            if isinstance(field.widget, forms.MultiWidget):
                for index, part in enumerate(field.widget.decompress(value)):
                    data[f"{bound.html_name}_{index}"] = form_value(part)
            elif isinstance(field, forms.FileField):
                continue
            elif isinstance(field, forms.BooleanField):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
                data[bound.html_name] = [form_value(item) for item in value or []]
            else:
                data[bound.html_name] = form_value(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def new_article_data(client, section, author, **fields):
    """A filled-in add form, as the user in `client` sees it, with one byline."""
    data = form_data(client.get(ADD))
    data.update(
        {
            "title": "Council agrees budget",
            "slug": "council-agrees-budget",
            "kind": Article.Kind.STORY,
            "section": str(section.pk),
            "summary": "The vote was closer than expected.",
            "body": "<p>The council met on Tuesday.</p>",
            "bylines-0-author": str(author.pk),
            "bylines-0-position": "0",
        }
    )
    data.update(fields)
    return data


def action_data(action, *articles):
    return {
        "action": action,
        "_selected_action": [str(article.pk) for article in articles],
        "index": "0",
        "select_across": "0",
    }


# Groups ---------------------------------------------------------------------------------


EXPECTED_GROUPS = {
    "Editors": {
        *(
            f"articles.{verb}_{model}"
            for verb in ["add", "change", "delete", "view"]
            for model in ["article", "byline", "section", "tag", "slugredirect", "correction"]
        ),
        "articles.publish_article",
        # Edit any writer's story and return it to draft: migration 0010.
        "articles.review_article",
        # The audit log, read-only (audit migration 0002).
        "audit.view_auditentry",
        # Site settings (publisher logo and policy pages for structured data): migration 0004.
        "articles.add_sitesettings",
        "articles.change_sitesettings",
        "articles.view_sitesettings",
        "authors.view_author",
        # Preview links, home-page slots and breaking news: migration 0010.
        "articles.add_previewlink",
        "articles.change_previewlink",
        "articles.view_previewlink",
        *(f"articles.{verb}_homeslot" for verb in ["add", "change", "delete", "view"]),
        "articles.add_breakingnews",
        "articles.change_breakingnews",
        "articles.view_breakingnews",
        # The photo library and photos in story bodies (migration 0012).
        *(f"photos.{verb}_image" for verb in ["add", "change", "delete", "view"]),
        *(f"articles.{verb}_bodyimage" for verb in ["add", "change", "delete", "view"]),
    },
    "Reporters": {
        "articles.add_article",
        "articles.change_article",
        "articles.view_article",
        "articles.add_byline",
        "articles.change_byline",
        "articles.delete_byline",
        "articles.view_byline",
        "articles.view_section",
        "articles.add_tag",
        "articles.view_tag",
        "authors.view_author",
        # Preview links of their own stories: migration 0010.
        "articles.add_previewlink",
        "articles.view_previewlink",
        # Corrections are shown on the article form, written by editors (migration 0010).
        "articles.view_correction",
        # Reporters upload and pick library photos, and place them in bodies (migration 0012).
        "photos.add_image",
        "photos.view_image",
        *(f"articles.{verb}_bodyimage" for verb in ["add", "change", "delete", "view"]),
    },
    "Profile managers": {
        *(
            f"authors.{verb}_{model}"
            for verb in ["add", "change", "delete", "view"]
            for model in ["author", "authorlink", "authorslugredirect"]
        ),
        # The self-service change log and the merge log: read-only (authors migration 0003).
        "authors.view_authorchange",
        "authors.view_authormerge",
        "audit.view_auditentry",
        "auth.view_user",
        # Portraits come from the photo library (articles migration 0012).
        "photos.add_image",
        "photos.change_image",
        "photos.view_image",
    },
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", EXPECTED_GROUPS)
def test_the_newsroom_groups_exist_after_migrating_with_their_permissions(name):
    group = Group.objects.get(name=name)

    permissions = {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }
    assert permissions == EXPECTED_GROUPS[name]


@pytest.mark.django_db
def test_only_editors_may_publish(editor, reporter, profile_manager):
    assert editor.has_perm("articles.publish_article")
    assert not reporter.has_perm("articles.publish_article")
    assert not profile_manager.has_perm("articles.publish_article")


# Smoke tests ----------------------------------------------------------------------------


@pytest.fixture
def one_of_each():
    article = ArticleFactory(
        published=True, authors=AuthorFactory.create_batch(2), tags=TagFactory.create_batch(2)
    )
    return {
        "article": article,
        "section": article.section,
        "tag": article.tags.first(),
        "slugredirect": SlugRedirect.objects.create(old_slug="earlier", article=article),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["article", "section", "tag", "slugredirect"])
# Not named `page`: pytest-playwright owns that fixture name.
@pytest.mark.parametrize("admin_view", ["changelist", "add", "change"])
def test_admin_pages_load_for_a_superuser(
    admin_client, django_assert_max_num_queries, one_of_each, model, admin_view
):
    args = [one_of_each[model].pk] if admin_view == "change" else []
    url = reverse(f"admin:articles_{model}_{admin_view}", args=args)

    # The heaviest is the article change form: the story, its inlines (bylines,
    # body photos, corrections), the lead photo for its picker, the editing session and
    # autosave lookups, preview links and the revision view's savepoint; none of them
    # grows with the rows on the page.
    with django_assert_max_num_queries(24):
        response = admin_client.get(url)

    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model_name", "field_name"), [("article", "tags"), ("slugredirect", "article")]
)
def test_the_admin_autocompletes_answer(admin_client, one_of_each, model_name, field_name):
    # They rely on the Tag and Article admins' search_fields.
    params = {"app_label": "articles", "model_name": model_name, "field_name": field_name}

    response = admin_client.get("/admin/autocomplete/", {**params, "term": ""})

    assert response.status_code == 200
    assert response.json()["results"]


def articles_with_bylines(count):
    authors = AuthorFactory.create_batch(4)
    sections = SectionFactory.create_batch(3)
    for index in range(count):
        ArticleFactory(
            published=index % 2 == 0,
            section=sections[index % 3],
            authors=authors[index % 2 : index % 2 + 3],
        )


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 30])
def test_the_article_changelist_query_count_does_not_grow(
    admin_client, django_assert_num_queries, count
):
    articles_with_bylines(count)

    # 1. the session; 2. the user
    # 3. the sections, for the section filter
    # 4. the count (no second, unfiltered count: show_full_result_count is off)
    # 5. the page of articles with their sections
    # 6. their bylines with authors (the "authors" column)
    # 7. the date hierarchy's first and last dates; 8. its days
    with django_assert_num_queries(8):
        response = admin_client.get(CHANGELIST)
    assertContains(response, 'class="field-author_names"', count=count)


KYIV = ZoneInfo("Europe/Kyiv")


def stories_dated(*moments):
    return [ArticleFactory(published=True, published_at=moment) for moment in moments]


@pytest.mark.django_db
def test_the_changelist_offers_each_year_with_stories_and_no_other(
    admin_client, django_assert_num_queries
):
    # 22:30 UTC on 31 December 2020 is already 2021 in Kyiv, the newsroom's time zone.
    stories_dated(
        datetime(2018, 6, 1, 9, tzinfo=KYIV),
        datetime(2020, 12, 31, 22, 30, tzinfo=ZoneInfo("UTC")),
        datetime(2023, 1, 1, 0, 5, tzinfo=KYIV),
    )

    # As with one day's stories, the first and last dates, then the years: one query.
    with django_assert_num_queries(8):
        response = admin_client.get(CHANGELIST)

    assert response.status_code == 200
    links = response.content.decode()
    for year in ["2018", "2021", "2023"]:
        assert f'href="?published_at__year={year}"' in links
    for year in ["2019", "2020", "2022"]:
        assert f'href="?published_at__year={year}"' not in links


@pytest.mark.django_db
def test_the_years_read_by_index_are_the_years_django_truncates_to():
    stories_dated(
        datetime(2015, 3, 1, tzinfo=KYIV),
        datetime(2016, 12, 31, 23, 59, tzinfo=KYIV),
        datetime(2017, 1, 1, 0, 0, tzinfo=KYIV),
        datetime(2019, 12, 31, 22, 30, tzinfo=ZoneInfo("UTC")),
    )
    stories = Article.objects.not_trashed()

    years = stories.years("published_at")

    assert years == list(stories.datetimes("published_at", "year"))
    assert [year.year for year in years] == [2015, 2016, 2017, 2020]
    assert Article.objects.none().years("published_at") == []
    # Bounds read just before every story went: no years, no error.
    gone = {"first": years[0], "last": years[-1]}
    assert Article.objects.filter(pk=-1).years("published_at", gone) == []


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_article_change_page_costs_one_query_per_byline_and_no_more(admin_client):
    one = ArticleFactory(authors=[AuthorFactory()], tags=TagFactory.create_batch(1))
    five = ArticleFactory(authors=AuthorFactory.create_batch(5), tags=TagFactory.create_batch(5))
    # Warm the content-type cache; and the first opening of a story creates the editor's
    # editing session (articles.editing), reopening only refreshes it.
    queries_for(admin_client, change_url(one))
    queries_for(admin_client, change_url(five))

    # Django's autocomplete widget looks up its selected author once per inline row;
    # printing the rows ("<author> on <article>") must not add more.
    assert (
        queries_for(admin_client, change_url(five))
        == queries_for(admin_client, change_url(one)) + 4
    )


@pytest.mark.django_db
def test_the_article_changelist_names_the_authors_in_byline_order(admin_client):
    ArticleFactory(authors=[AuthorFactory(name="Zoe Zed"), AuthorFactory(name="Adam Ant")])

    response = admin_client.get(CHANGELIST)

    assertContains(response, '<td class="field-author_names">Zoe Zed, Adam Ant</td>', html=True)


# Creating articles ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_superuser_creates_and_publishes_an_article_with_a_byline(admin_client):
    section = SectionFactory()
    author = AuthorFactory(name="Zoe Zed")
    data = new_article_data(
        admin_client,
        section,
        author,
        _transition="publish",
        lead_image=str(ImageFactory().pk),  # a library photo with alt text and a credit
    )

    response = admin_client.post(ADD, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(slug="council-agrees-budget")
    assert article.is_published
    assert article.published_at == NOW
    assert article.writers == [author]
    assertContains(admin_client.get("/"), "Council agrees budget")
    assertContains(admin_client.get("/news/"), "Council agrees budget")
    assertContains(admin_client.get(article.get_absolute_url()), "Zoe Zed")


@pytest.mark.django_db
def test_the_byline_inline_keeps_the_order_the_editor_gives(admin_client):
    zoe, adam = AuthorFactory(name="Zoe Zed"), AuthorFactory(name="Adam Ant")
    data = new_article_data(admin_client, SectionFactory(), zoe)
    data.update(
        {
            "bylines-TOTAL_FORMS": "2",
            "bylines-0-position": "2",
            "bylines-1-author": str(adam.pk),
            "bylines-1-role": "writer",
            "bylines-1-position": "1",
        }
    )

    admin_client.post(ADD, data)

    assert Article.objects.get().writers == [adam, zoe]


@pytest.mark.django_db
def test_the_publish_time_is_not_an_input_publish_now_sets_it(editor_client):
    data = new_article_data(editor_client, SectionFactory(), AuthorFactory())
    assert "published_at_0" not in data
    data.update(
        _transition="publish",
        published_at_0="2020-01-01",
        published_at_1="09:00:00",
        lead_image=str(ImageFactory().pk),  # a library photo with alt text and a credit
    )

    response = editor_client.post(ADD, data)

    assert response.status_code == 302
    article = Article.objects.get()
    assert article.published_at == NOW
    assert article.is_published


@pytest.mark.django_db
def test_the_admin_form_sanitises_the_body(admin_client):
    data = new_article_data(
        admin_client,
        SectionFactory(),
        AuthorFactory(),
        body='<p onclick="alert(1)">Hi<script>alert(2)</script></p>',
    )

    admin_client.post(ADD, data)

    assert Article.objects.get().body == "<p>Hi</p>"


@pytest.mark.django_db
def test_the_admin_form_rejects_an_unsupported_video(admin_client):
    data = new_article_data(
        admin_client, SectionFactory(), AuthorFactory(), video_url="https://evil.example/v/1"
    )

    response = admin_client.post(ADD, data)

    assert response.status_code == 200
    assertContains(response, "Paste a YouTube or Vimeo video address")
    assert not Article.objects.exists()


# Editors --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_editor_publishes_with_the_action(editor_client):
    drafts = ArticleFactory.create_batch(2, ready=True, authors=[AuthorFactory()])
    untouched = ArticleFactory(ready=True, authors=[AuthorFactory()])

    response = editor_client.post(CHANGELIST, action_data("publish_selected", *drafts))

    assert response.status_code == 302
    for article in drafts:
        article.refresh_from_db()
        assert article.is_published
        assert article.published_at == NOW
    untouched.refresh_from_db()
    assert untouched.status == Article.Status.DRAFT
    assertContains(editor_client.get(CHANGELIST), "2 article(s) published.")


@pytest.mark.django_db
def test_the_publish_action_leaves_a_scheduled_story_scheduled(editor_client):
    scheduled = ArticleFactory(scheduled=True)
    publish_time = scheduled.published_at

    editor_client.post(CHANGELIST, action_data("publish_selected", scheduled))

    scheduled.refresh_from_db()
    assert scheduled.published_at == publish_time
    assert not scheduled.is_published


@pytest.mark.django_db
def test_an_editor_unpublishes_with_the_action(editor_client):
    article = ArticleFactory(published=True)

    editor_client.post(CHANGELIST, action_data("unpublish_selected", article))

    article.refresh_from_db()
    assert article.status == Article.Status.UNPUBLISHED
    assert not Article.objects.published().exists()


@pytest.mark.django_db
def test_an_editor_publishes_a_draft_with_the_form(editor_client):
    article = ArticleFactory(ready=True, authors=[AuthorFactory()])
    data = form_data(editor_client.get(change_url(article)))
    data["_transition"] = "publish"

    response = editor_client.post(change_url(article), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.is_published
    assert article.published_at == NOW
    assert article.updated_at is None


@pytest.mark.django_db
def test_an_editor_schedules_a_draft_with_the_form(editor_client):
    article = ArticleFactory(ready=True, authors=[AuthorFactory()])
    data = form_data(editor_client.get(change_url(article)))
    data.update(_transition="schedule", schedule_for_0="2025-06-19", schedule_for_1="07:00")

    editor_client.post(change_url(article), data)

    article.refresh_from_db()
    assert article.published_at == datetime(2025, 6, 19, 7, 0, tzinfo=NOW.tzinfo)
    assert not article.is_published
    assert not Article.objects.published().exists()


@pytest.mark.django_db
def test_a_substantive_update_stamps_the_public_update_time(editor_client, time_machine):
    article = ArticleFactory(published=True, authors=[AuthorFactory()])
    time_machine.move_to(NOW + timedelta(hours=2), tick=False)
    data = form_data(editor_client.get(change_url(article)))
    assert data["update_kind"] == ""  # the editor must choose
    data.update(title="Council agrees budget, then reverses", update_kind="substantive")

    response = editor_client.post(change_url(article), data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.updated_at == NOW + timedelta(hours=2)
    assertContains(editor_client.get(article.get_absolute_url()), "Updated:")


@pytest.mark.django_db
def test_a_typo_fix_leaves_the_public_update_time_alone(editor_client):
    article = ArticleFactory(published=True, authors=[AuthorFactory()])
    data = form_data(editor_client.get(change_url(article)))
    data.update(title="Fixed a typo", update_kind="minor")

    response = editor_client.post(change_url(article), data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Fixed a typo"
    assert article.updated_at is None


@pytest.mark.django_db
def test_changing_a_slug_in_the_admin_leaves_a_redirect(editor_client):
    article = ArticleFactory(published=True, slug="old-address", authors=[AuthorFactory()])
    data = form_data(editor_client.get(change_url(article)))
    data.update(slug="new-address", update_kind="minor")

    response = editor_client.post(change_url(article), data)

    assert response.status_code == 302
    redirect = SlugRedirect.objects.get()
    assert (redirect.old_slug, redirect.article) == ("old-address", article)
    old = Client().get("/news/old-address/")
    assert (old.status_code, old["Location"]) == (301, "/news/new-address/")


@pytest.mark.django_db
def test_saving_without_changing_the_slug_leaves_no_redirect(editor_client):
    article = ArticleFactory(published=True, authors=[AuthorFactory()])
    data = form_data(editor_client.get(change_url(article)))
    data["update_kind"] = "minor"

    response = editor_client.post(change_url(article), data)

    assert response.status_code == 302
    assert not SlugRedirect.objects.exists()


@pytest.mark.django_db
def test_view_on_site_is_offered_for_live_stories_only(editor_client):
    live = ArticleFactory(published=True, slug="live-story")
    draft = ArticleFactory(status=Article.Status.DRAFT, slug="draft-story")
    scheduled = ArticleFactory(scheduled=True, slug="scheduled-story")

    assertContains(
        editor_client.get(change_url(live)),
        '<a href="/news/live-story/" class="viewsitelink">',
    )
    for article in [draft, scheduled]:
        response = editor_client.get(change_url(article))
        assert response.status_code == 200
        assertNotContains(response, "viewsitelink")
        assertNotContains(response, "View on site")


# Reporters ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_reporter_opens_the_add_form_without_publishing_controls(reporter_client):
    response = reporter_client.get(ADD)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "status" not in form.fields
    assert "published_at" not in form.fields
    assertNotContains(response, 'name="status"')
    assertNotContains(response, 'name="update_kind"')
    assertNotContains(response, 'name="published_at_0"')


@pytest.mark.django_db
def test_a_reporter_creates_a_draft(reporter_client):
    author = AuthorFactory()
    data = new_article_data(reporter_client, SectionFactory(), author)

    response = reporter_client.post(ADD, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.published_at is None
    assert article.writers == [author]


@pytest.mark.django_db
def test_a_reporters_crafted_post_cannot_publish(reporter_client):
    data = new_article_data(
        reporter_client,
        SectionFactory(),
        AuthorFactory(),
        status=Article.Status.PUBLISHED,
        published_at_0="2025-06-18",
        published_at_1="09:00:00",
        published_at="2025-06-18 09:00:00",
        updated_at="2025-06-18 09:00:00",
    )

    response = reporter_client.post(ADD, data)

    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.published_at is None
    assert article.updated_at is None
    assert not Article.objects.published().exists()
    assertNotContains(Client().get("/"), "Council agrees budget")


@pytest.mark.django_db
def test_a_reporters_crafted_post_cannot_publish_an_existing_draft(reporter_client, reporter):
    article = ArticleFactory(ready=True, created_by=reporter, authors=[AuthorFactory()])
    data = form_data(reporter_client.get(change_url(article)))
    data.update(
        status=Article.Status.PUBLISHED,
        published_at_0="2025-06-18",
        published_at_1="09:00",
        embargo_0="2025-06-20",
        embargo_1="09:00",
        embargo_until_0="2025-06-20",
        embargo_until_1="09:00",
        title="Edited headline",
    )

    response = reporter_client.post(change_url(article), data)

    # The edit is saved; the publishing fields are not inputs for a reporter.
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Edited headline"
    assert article.status == Article.Status.DRAFT
    assert article.published_at is None
    assert article.embargo_until is None


@pytest.mark.django_db
def test_a_reporter_edits_their_own_draft(reporter_client, reporter):
    article = ArticleFactory(
        status=Article.Status.DRAFT, created_by=reporter, authors=[AuthorFactory()]
    )
    data = form_data(reporter_client.get(change_url(article)))
    data["title"] = "Better headline"

    response = reporter_client.post(change_url(article), data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Better headline"


@pytest.mark.django_db
def test_a_reporter_is_not_offered_the_publish_actions(reporter_client):
    ArticleFactory(status=Article.Status.DRAFT)

    response = reporter_client.get(CHANGELIST)

    assert response.status_code == 200
    assertNotContains(response, 'value="publish_selected"')
    assertNotContains(response, 'value="unpublish_selected"')
    assertNotContains(response, 'value="delete_selected"')


@pytest.mark.django_db
def test_an_editor_is_offered_the_publish_actions(editor_client):
    ArticleFactory(status=Article.Status.DRAFT)

    response = editor_client.get(CHANGELIST)

    assertContains(response, 'value="publish_selected"')
    assertContains(response, 'value="unpublish_selected"')


@pytest.mark.django_db
def test_a_reporters_crafted_publish_action_does_nothing(reporter_client):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    live = ArticleFactory(published=True)

    publish = reporter_client.post(CHANGELIST, action_data("publish_selected", draft))
    unpublish = reporter_client.post(CHANGELIST, action_data("unpublish_selected", live))

    # A reporter has no actions at all, so the admin treats the POST as showing the list.
    assert publish.status_code == unpublish.status_code == 200
    draft.refresh_from_db()
    live.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert draft.published_at is None
    assert live.is_published


@pytest.mark.django_db
@pytest.mark.parametrize("state", [{"published": True}, {"scheduled": True}])
def test_a_reporter_sees_a_published_story_read_only(reporter_client, state):
    article = ArticleFactory(**state)

    response = reporter_client.get(change_url(article))

    assert response.status_code == 200
    assertNotContains(response, 'name="_save"')
    assertNotContains(response, 'name="title"')
    assertContains(response, article.title)


@pytest.mark.django_db
def test_a_reporter_cannot_change_a_published_story(reporter_client, editor):
    article = ArticleFactory(published=True, title="Original headline", authors=[AuthorFactory()])
    # What an editor's browser would post: the reporter's own page has no form to fill.
    editors_browser = Client()
    editors_browser.force_login(editor)
    data = form_data(editors_browser.get(change_url(article)))
    data["title"] = "Vandalised headline"

    response = reporter_client.post(change_url(article), data)

    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title == "Original headline"


@pytest.mark.django_db
def test_a_reporters_crafted_substantive_update_does_not_set_the_update_time(
    reporter_client, reporter
):
    # A draft has no public update: the form has no update choice, so a crafted one is
    # ignored and the draft is saved as a draft.
    article = ArticleFactory(
        status=Article.Status.DRAFT, created_by=reporter, authors=[AuthorFactory()]
    )
    data = form_data(reporter_client.get(change_url(article)))
    assert "update_kind" not in data
    data.update(title="Changed", update_kind="substantive")

    response = reporter_client.post(change_url(article), data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Changed"
    assert article.updated_at is None


@pytest.mark.django_db
def test_a_reporters_crafted_substantive_update_on_a_new_story_sets_no_update_time(
    reporter_client,
):
    data = new_article_data(
        reporter_client, SectionFactory(), AuthorFactory(), update_kind="substantive"
    )

    response = reporter_client.post(ADD, data)

    assert response.status_code == 302
    article = Article.objects.get()
    assert article.updated_at is None
    assert article.status == Article.Status.DRAFT


@pytest.mark.django_db
def test_a_reporter_cannot_delete_articles(reporter_client):
    article = ArticleFactory(status=Article.Status.DRAFT)

    response = reporter_client.post(
        reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


# Other staff ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_profile_managers_cannot_open_the_articles(client, profile_manager):
    article = ArticleFactory()
    client.force_login(profile_manager)

    assert client.get(CHANGELIST).status_code == 403
    assert client.get(ADD).status_code == 403
    assert client.get(change_url(article)).status_code == 403


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_admin_login(client):
    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_the_admin_byline_inline_saves_authors_as_bylines(admin_client):
    authors = AuthorFactory.create_batch(2)
    data = new_article_data(admin_client, SectionFactory(), authors[0])
    data.update(
        {
            "bylines-TOTAL_FORMS": "2",
            "bylines-1-author": str(authors[1].pk),
            "bylines-1-role": "writer",
            "bylines-1-position": "1",
        }
    )

    admin_client.post(ADD, data)

    assert list(Byline.objects.values_list("author", "position")) == [
        (authors[0].pk, 0),
        (authors[1].pk, 1),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "admin_view"),
    [
        ("previewlink", "change"),
        ("homeslot", "add"),
        ("homeslot", "change"),
        ("breakingnews", "add"),
        ("breakingnews", "change"),
    ],
)
def test_the_curation_admin_pages_load_for_an_editor(
    editor_client, django_assert_max_num_queries, model, admin_view
):
    article = ArticleFactory(published=True)
    objects = {
        "previewlink": PreviewLink.objects.create(article=article),
        "homeslot": HomeSlot.objects.create(position=HomeSlot.Position.LEAD, article=article),
        "breakingnews": BreakingNews.objects.create(article=article),
    }
    args = [objects[model].pk] if admin_view == "change" else []

    with django_assert_max_num_queries(15):
        response = editor_client.get(reverse(f"admin:articles_{model}_{admin_view}", args=args))

    assert response.status_code == 200


@pytest.mark.django_db
def test_preview_links_are_made_from_the_story_and_never_deleted(editor_client):
    link = PreviewLink.objects.create(article=ArticleFactory())

    assert editor_client.get(reverse("admin:articles_previewlink_add")).status_code == 403
    delete = reverse("admin:articles_previewlink_delete", args=[link.pk])
    assert editor_client.post(delete, {"post": "yes"}).status_code == 403
    assert PreviewLink.objects.filter(pk=link.pk).exists()
