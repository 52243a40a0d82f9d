"""The workflow in the admin: the buttons each role is offered on the article form, what the
server does with each (and with crafted requests), the preflight box, and the queues."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from audit.models import AuditEntry
from tests.articles.test_admin import form_data, new_article_data
from tests.factories import ArticleFactory, AuthorFactory, UserFactory

NOW = datetime(2025, 6, 18, 12, 0, tzinfo=ZoneInfo("Europe/Kyiv"))
MY_STORIES = "/admin/articles/mystory/"
REVIEW_QUEUE = "/admin/articles/reviewqueueitem/"
SCHEDULED = "/admin/articles/scheduledstory/"
BUTTON = '<button type="submit" name="_transition" value="{}" class="button">{}</button>'
LABELS = {
    "submit": "Submit for review",
    "return": "Return to draft",
    "publish": "Publish now",
    "schedule": "Schedule",
    "unschedule": "Unschedule",
    "unpublish": "Unpublish",
}


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def ready(**fields):
    return ArticleFactory(ready=True, authors=[AuthorFactory()], **fields)


def offered(response):
    return [
        name
        for name, label in LABELS.items()
        if BUTTON.format(name, label) in str(response.content.decode())
    ]


def editor_form(article, editor):
    """The change form as an editor's browser would post it back, unchanged."""
    browser = Client()
    browser.force_login(editor)
    return form_data(browser.get(change_url(article)))


@pytest.fixture
def other_reporter(db):
    return UserFactory(username="other-reporter", groups=["Reporters"])


# The buttons ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "state", "buttons"),
    [
        ("reporter", {"status": "draft"}, ["submit"]),
        ("reporter", {"status": "in_review"}, []),
        ("other_reporter", {"status": "draft"}, []),
        ("editor", {"status": "draft"}, ["submit", "publish", "schedule"]),
        ("editor", {"status": "in_review"}, ["return", "publish", "schedule"]),
        ("editor", {"scheduled": True}, ["publish", "schedule", "unschedule"]),
        ("editor", {"published": True}, ["unpublish"]),
        (
            "editor",
            {"status": "unpublished", "published_at": NOW},
            ["return", "publish", "schedule"],
        ),
    ],
)
def test_the_form_offers_only_the_buttons_the_user_may_use(
    client, request, reporter, who, state, buttons
):
    client.force_login(request.getfixturevalue(who))
    article = ready(created_by=reporter, **state)

    response = client.get(change_url(article))

    assert response.status_code == 200
    assert offered(response) == buttons


@pytest.mark.django_db
def test_the_add_form_offers_reporters_submit_and_editors_publishing(client, reporter, editor):
    client.force_login(reporter)
    assert offered(client.get("/admin/articles/article/add/")) == ["submit"]
    client.force_login(editor)
    assert offered(client.get("/admin/articles/article/add/")) == ["submit", "publish", "schedule"]


@pytest.mark.django_db
def test_the_workflow_buttons_come_after_save_so_enter_saves(reporter_client, reporter):
    article = ready(created_by=reporter)
    html = reporter_client.get(change_url(article)).content.decode()

    assert html.index('name="_save"') < html.index('name="_transition"')


@pytest.mark.django_db
def test_status_is_read_only_for_editors_too(editor_client, editor):
    article = ready()
    data = editor_form(article, editor)
    assert "status" not in data and "published_at_0" not in data
    data.update(status="published", published_at_0="2025-06-18", published_at_1="09:00")

    response = editor_client.post(change_url(article), data)

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.status, article.published_at) == (Article.Status.DRAFT, None)


# Pressing them --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_reporter_saves_and_submits_in_one_press(reporter_client, reporter, editor):
    article = ready(created_by=reporter)
    data = form_data(reporter_client.get(change_url(article)))
    data.update(title="Sharper headline", _transition="submit")

    response = reporter_client.post(change_url(article), data, follow=True)

    article.refresh_from_db()
    assert (article.title, article.status) == ("Sharper headline", Article.Status.IN_REVIEW)
    assertContains(response, "“Sharper headline”: In review.")
    # Now the editors' to change: the reporter sees it read-only.
    assertNotContains(response, 'name="title"')
    assert AuditEntry.objects.for_object(article).get().action == "submitted"


@pytest.mark.django_db
def test_a_reporter_submits_a_new_story_from_the_add_form(reporter_client, reporter):
    data = new_article_data(reporter_client, ready().section, AuthorFactory())
    data["_transition"] = "submit"

    response = reporter_client.post("/admin/articles/article/add/", data)

    article = Article.objects.get(slug="council-agrees-budget")
    assert response["Location"] == change_url(article)
    assert (article.status, article.created_by) == (Article.Status.IN_REVIEW, reporter)


@pytest.mark.django_db
def test_publishing_an_unready_story_lists_every_problem_and_keeps_the_edits(editor_client, editor):
    article = ArticleFactory(authors=[AuthorFactory()], summary="")
    data = editor_form(article, editor)
    data.update(title="New headline", _transition="publish")

    response = editor_client.post(change_url(article), data, follow=True)

    article.refresh_from_db()
    assert article.title == "New headline"
    assert article.status == Article.Status.DRAFT
    assertContains(response, "Your changes are saved, but the story was not published:")
    assertContains(response, "Add a standfirst.")
    assertContains(response, "Add a lead image.")


@pytest.mark.django_db
def test_an_editor_returns_a_story_with_a_note_the_reporter_then_reads(
    editor_client, editor, reporter
):
    article = ready(created_by=reporter, status=Article.Status.IN_REVIEW)
    data = editor_form(article, editor)
    data.update(return_note="Two sources, please.", _transition="return")

    editor_client.post(change_url(article), data)

    article.refresh_from_db()
    assert (article.status, article.review_note) == (Article.Status.DRAFT, "Two sources, please.")
    reporter_browser = Client()
    reporter_browser.force_login(reporter)
    assertContains(reporter_browser.get(change_url(article)), "Two sources, please.")
    assertContains(reporter_browser.get(MY_STORIES), "Returned to you: Two sources, please.")


@pytest.mark.django_db
def test_an_editor_schedules_with_the_form_and_the_story_appears_in_the_scheduled_queue(
    editor_client, editor
):
    article = ready(status=Article.Status.IN_REVIEW)
    data = editor_form(article, editor)
    data.update(schedule_for_0="2025-06-18", schedule_for_1="15:30", _transition="schedule")

    editor_client.post(change_url(article), data)

    article.refresh_from_db()
    assert article.state == Article.State.SCHEDULED
    assert article.published_at == NOW.replace(hour=15, minute=30)
    assertContains(editor_client.get(SCHEDULED), article.title)


@pytest.mark.django_db
def test_scheduling_without_a_time_is_refused_with_a_message(editor_client, editor):
    article = ready()
    data = editor_form(article, editor)
    data["_transition"] = "schedule"

    response = editor_client.post(change_url(article), data, follow=True)

    assertContains(response, "Give a publish time in the future to schedule the story.")
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


@pytest.mark.django_db
def test_an_editor_sets_an_embargo_and_publish_now_is_then_refused(editor_client, editor):
    article = ready()
    data = editor_form(article, editor)
    data.update(embargo_0="2025-06-18", embargo_1="18:00:00", _transition="publish")

    response = editor_client.post(change_url(article), data, follow=True)

    article.refresh_from_db()
    assert article.embargo_until == NOW.replace(hour=18)
    assert article.status == Article.Status.DRAFT
    assertContains(response, "The story is embargoed until 18 June 2025, 18:00")
    assert list(AuditEntry.objects.for_object(article).values_list("action", flat=True)) == [
        "embargo set"
    ]


@pytest.mark.django_db
def test_an_unchanged_embargo_is_not_set_again(editor_client, editor):
    article = ready(embargo_until=NOW.replace(hour=18, microsecond=123))

    editor_client.post(change_url(article), editor_form(article, editor))

    assert not AuditEntry.objects.for_object(article).exists()


@pytest.mark.django_db
def test_an_embargo_after_a_scheduled_time_is_a_form_error(editor_client, editor):
    article = ready(scheduled=True)
    data = editor_form(article, editor)
    data.update(embargo_0="2025-06-20", embargo_1="09:00:00")

    response = editor_client.post(change_url(article), data)

    assert response.status_code == 200
    assertContains(response, "unschedule or unpublish it first")
    article.refresh_from_db()
    assert article.embargo_until is None


@pytest.mark.django_db
def test_an_editor_unpublishes_with_the_button(editor_client, editor):
    article = ready(published=True)
    data = editor_form(article, editor)
    data["_transition"] = "unpublish"

    editor_client.post(change_url(article), data)

    article.refresh_from_db()
    assert article.status == Article.Status.UNPUBLISHED


# Crafted requests -----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("transition", ["publish", "schedule", "return", "unpublish"])
def test_a_reporters_crafted_transition_is_refused_and_saves_nothing(
    reporter_client, reporter, editor, transition
):
    article = ready(created_by=reporter, title="Original headline")
    data = form_data(reporter_client.get(change_url(article)))
    data.update(
        title="Changed",
        _transition=transition,
        schedule_for_0="2025-06-19",
        schedule_for_1="09:00",
    )

    response = reporter_client.post(change_url(article), data)

    assert response.status_code == 403
    article.refresh_from_db()
    assert (article.title, article.status) == ("Original headline", Article.Status.DRAFT)
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_a_reporter_cannot_edit_or_submit_another_reporters_draft(
    reporter_client, other_reporter, editor
):
    article = ready(created_by=other_reporter)
    data = editor_form(article, editor)
    data.update(title="Hijacked", _transition="submit")

    page = reporter_client.get(change_url(article))
    response = reporter_client.post(change_url(article), data)

    assertNotContains(page, 'name="title"')
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title != "Hijacked"
    assert article.status == Article.Status.DRAFT


@pytest.mark.django_db
def test_an_unknown_transition_is_a_bad_request(editor_client, editor):
    article = ready()
    data = editor_form(article, editor)
    data.update(title="Changed", _transition="teleport")

    response = editor_client.post(change_url(article), data)

    assert response.status_code == 400
    article.refresh_from_db()
    assert article.title != "Changed"


@pytest.mark.django_db
def test_a_transition_in_the_wrong_state_is_refused_with_a_message(editor_client, editor):
    article = ready(published=True)
    data = editor_form(article, editor)
    data["_transition"] = "unschedule"

    response = editor_client.post(change_url(article), data, follow=True)

    assertContains(response, "A story that is published cannot be unscheduled.")
    article.refresh_from_db()
    assert article.is_published


# The preflight box ----------------------------------------------------------------------


@pytest.mark.django_db
def test_reporters_see_what_is_missing_while_writing(reporter_client, reporter):
    article = ArticleFactory(created_by=reporter, summary="")

    response = reporter_client.get(change_url(article))

    assertContains(response, '<h2 id="preflight-heading">Ready to publish?</h2>', html=True)
    assertContains(response, "<li>Add a standfirst.</li>", html=True)
    assertContains(response, "<li>Add at least one writer to the byline.</li>", html=True)
    assertContains(response, "<li>Add a lead image.</li>", html=True)
    assertNotContains(response, "<li>Add a headline.</li>", html=True)


@pytest.mark.django_db
def test_a_ready_story_says_every_check_passes(reporter_client, reporter):
    response = reporter_client.get(change_url(ready(created_by=reporter)))

    assertContains(response, "Every check passes.")


@pytest.mark.django_db
def test_a_live_story_shows_no_checklist(editor_client):
    assertNotContains(editor_client.get(change_url(ready(published=True))), "preflight-heading")


# The queues -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_index_links_each_role_to_its_queues(client, reporter, editor, profile_manager):
    client.force_login(reporter)
    index = client.get("/admin/")
    assertContains(index, f'<a href="{MY_STORIES}">My stories</a>', html=True)
    assertNotContains(index, REVIEW_QUEUE)
    assertNotContains(index, SCHEDULED)

    client.force_login(editor)
    index = client.get("/admin/")
    for url, name in [
        (MY_STORIES, "My stories"),
        (REVIEW_QUEUE, "Review queue"),
        (SCHEDULED, "Scheduled stories"),
    ]:
        assertContains(index, f'<a href="{url}">{name}</a>', html=True)

    client.force_login(profile_manager)
    assertNotContains(client.get("/admin/"), MY_STORIES)


@pytest.mark.django_db
def test_my_stories_lists_the_reporters_unreleased_stories_with_their_status(
    reporter_client, reporter, reporter_author, other_reporter
):
    ArticleFactory(created_by=reporter, title="Own draft")
    ArticleFactory(authors=[reporter_author], status="in_review", title="Written in review")
    ArticleFactory(
        created_by=reporter, last_transition="returned", review_note="Shorter", title="Sent back"
    )
    ArticleFactory(created_by=reporter, published=True, title="Already live")
    ArticleFactory(created_by=other_reporter, title="Someone else's")

    response = reporter_client.get(MY_STORIES)

    assertContains(response, "<h1>My stories: your drafts and stories in review</h1>", html=True)
    assertContains(response, '<th scope="col" class="sortable column-headline">', count=1)
    assertContains(response, "Own draft")
    assertContains(response, "In review: with the editors")
    assertContains(response, "Returned to you: Shorter")
    assertNotContains(response, "Already live")
    assertNotContains(response, "Someone else")


@pytest.mark.django_db
def test_the_review_queue_lists_submitted_stories_oldest_first(editor_client):
    newer = ArticleFactory(status="in_review", submitted_at=NOW - timedelta(hours=1))
    older = ArticleFactory(status="in_review", submitted_at=NOW - timedelta(hours=5))
    ArticleFactory(title="A plain draft")

    response = editor_client.get(REVIEW_QUEUE)

    assertContains(
        response,
        "<h1>Review queue: stories submitted by their writers, oldest first</h1>",
        html=True,
    )
    assert list(response.context["cl"].result_list) == [older, newer]
    assertContains(response, f'<a href="{change_url(older)}">{older.title}</a>', html=True)


@pytest.mark.django_db
def test_the_scheduled_queue_lists_what_goes_live_soonest_first(editor_client):
    later = ArticleFactory(status="published", published_at=NOW + timedelta(hours=5))
    sooner = ArticleFactory(status="published", published_at=NOW + timedelta(hours=1))
    embargoed = ArticleFactory(
        status="published",
        published_at=NOW - timedelta(hours=1),
        embargo_until=NOW + timedelta(hours=3),
    )
    ArticleFactory(published=True, title="Already live")

    response = editor_client.get(SCHEDULED)

    assertContains(response, "<h1>Scheduled: what goes live when, soonest first</h1>", html=True)
    assert list(response.context["cl"].result_list) == [sooner, embargoed, later]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 20])
def test_my_stories_query_count_does_not_grow(client, reporter, django_assert_num_queries, count):
    ArticleFactory.create_batch(count, created_by=reporter)
    client.force_login(reporter)

    # 1. the session; 2. the user; 3. their own permissions; 4. their groups' permissions
    # 5. the count; 6. the page of stories with their sections
    with django_assert_num_queries(6):
        response = client.get(MY_STORIES)
    assert len(response.context["cl"].result_list) == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 20])
def test_the_review_queue_query_count_does_not_grow(
    editor_client, django_assert_num_queries, count
):
    for _ in range(count):
        ArticleFactory(
            status="in_review", authors=AuthorFactory.create_batch(2), submitted_by=UserFactory()
        )

    # 1. the session; 2. the user; 3. their own permissions; 4. their groups' permissions
    # 5. the count; 6. the page with sections and submitters; 7. its bylines with authors
    with django_assert_num_queries(7):
        response = editor_client.get(REVIEW_QUEUE)
    assert len(response.context["cl"].result_list) == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 20])
def test_the_scheduled_queue_query_count_does_not_grow(
    editor_client, django_assert_num_queries, count
):
    for hours in range(count):
        ArticleFactory(
            status="published",
            published_at=NOW + timedelta(hours=hours + 1),
            published_by=UserFactory(),
        )

    # 1. the session; 2. the user; 3. their own permissions; 4. their groups' permissions
    # 5. the count; 6. the page with sections and publishers
    with django_assert_num_queries(6):
        response = editor_client.get(SCHEDULED)
    assert len(response.context["cl"].result_list) == count
