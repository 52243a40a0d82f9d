"""Who may do what to an article, for every role: each admin URL of articles and each
workflow transition, tried by anonymous visitors, the story's reporter, another reporter,
an editor and a profile manager."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from tests.articles.test_admin import form_data
from tests.factories import ArticleFactory, AuthorFactory, UserFactory

NOW = datetime(2025, 6, 18, 12, 0, tzinfo=ZoneInfo("Europe/Kyiv"))
ROLES = ["anonymous", "reporter", "other_reporter", "editor", "profile_manager"]
LOGIN = 302  # anonymous visitors are sent to the admin login

# URL name (with the story's id where it takes one): expected status per role.
PAGES = {
    "admin:articles_article_changelist": [LOGIN, 200, 200, 200, 403],
    "admin:articles_article_add": [LOGIN, 200, 200, 200, 403],
    "admin:articles_article_change": [LOGIN, 200, 200, 200, 403],
    "admin:articles_article_delete": [LOGIN, 403, 403, 200, 403],
    "admin:articles_article_history": [LOGIN, 200, 200, 200, 403],
    "admin:articles_mystory_changelist": [LOGIN, 200, 200, 200, 403],
    "admin:articles_reviewqueueitem_changelist": [LOGIN, 403, 403, 200, 403],
    "admin:articles_scheduledstory_changelist": [LOGIN, 403, 403, 200, 403],
}
TAKES_ID = {"change", "delete", "history"}

# Transition: (the story's state before, its state after, which roles may).
TRANSITIONS = {
    "submit": ({"status": "draft"}, Article.State.IN_REVIEW, {"reporter", "editor"}),
    "return": ({"status": "in_review"}, Article.State.DRAFT, {"editor"}),
    "publish": ({"status": "in_review"}, Article.State.PUBLISHED, {"editor"}),
    "schedule": ({"status": "in_review"}, Article.State.SCHEDULED, {"editor"}),
    "unschedule": ({"scheduled": True}, Article.State.DRAFT, {"editor"}),
    "unpublish": ({"published": True}, Article.State.UNPUBLISHED, {"editor"}),
}
ACTIONS = {
    "publish_selected": ({"status": "in_review"}, Article.State.PUBLISHED, {"editor"}),
    "unpublish_selected": ({"published": True}, Article.State.UNPUBLISHED, {"editor"}),
}


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def people(reporter, editor, profile_manager):
    return {
        "anonymous": None,
        "reporter": reporter,
        "other_reporter": UserFactory(username="other-reporter", groups=["Reporters"]),
        "editor": editor,
        "profile_manager": profile_manager,
    }


def browser(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def story(people, **state):
    """The reporter's story, ready to publish."""
    return ArticleFactory(
        ready=True, created_by=people["reporter"], authors=[AuthorFactory()], **state
    )


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_who_may_open_each_admin_page_of_articles(people, role, url_name):
    article = story(people)
    args = [article.pk] if url_name.rsplit("_", 1)[1] in TAKES_ID else []

    response = browser(people[role]).get(reverse(url_name, args=args))

    assert response.status_code == PAGES[url_name][ROLES.index(role)]
    if response.status_code == LOGIN:
        assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "editable"), [("reporter", True), ("other_reporter", False), ("editor", True)]
)
def test_who_gets_an_editable_form_for_the_reporters_draft(people, role, editable):
    article = story(people)

    response = browser(people[role]).get(
        reverse("admin:articles_article_change", args=[article.pk])
    )

    assert ('name="title"' in response.content.decode()) is editable


@pytest.mark.django_db
@pytest.mark.parametrize("transition", TRANSITIONS)
@pytest.mark.parametrize("role", ROLES)
def test_who_may_apply_each_transition(people, role, transition):
    before, after, allowed = TRANSITIONS[transition]
    article = story(people, **before)
    url = reverse("admin:articles_article_change", args=[article.pk])
    superuser = UserFactory(username="root", is_superuser=True)
    data = form_data(browser(superuser).get(url))
    data.update(_transition=transition, schedule_for_0="2025-06-19", schedule_for_1="08:00")
    state_before = article.state

    response = browser(people[role]).post(url, data)

    article.refresh_from_db()
    if role in allowed:
        assert response.status_code == 302
        assert response["Location"] == url
        assert article.state == after
    else:
        assert response.status_code == (LOGIN if role == "anonymous" else 403)
        assert article.state == state_before


@pytest.mark.django_db
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_who_may_use_each_changelist_action(people, role, action):
    before, after, allowed = ACTIONS[action]
    article = story(people, **before)
    state_before = article.state

    browser(people[role]).post(
        reverse("admin:articles_article_changelist"),
        {"action": action, "_selected_action": [str(article.pk)], "index": "0"},
    )

    article.refresh_from_db()
    assert article.state == (after if role in allowed else state_before)
