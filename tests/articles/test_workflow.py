"""The editorial workflow's transitions (articles/services.py) and preflight checks."""

import importlib
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError

from articles import preflight, services
from articles.models import Article, Byline
from audit.models import AuditEntry
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    ImageFactory,
    UserFactory,
)

NOW = datetime(2025, 6, 18, 12, 0, tzinfo=ZoneInfo("Europe/Kyiv"))
LATER = NOW + timedelta(hours=3)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def other_reporter(db):
    return UserFactory(username="other-reporter", groups=["Reporters"])


def ready(**fields):
    """A story that passes every preflight check."""
    return ArticleFactory(ready=True, authors=[AuthorFactory()], **fields)


def audit_actions(article):
    return list(AuditEntry.objects.for_object(article).values_list("action", flat=True))


# Submitting -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_reporter_submits_their_own_draft_for_review(reporter):
    article = ArticleFactory(created_by=reporter)

    services.submit_for_review(article=article, by=reporter)

    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW
    assert (article.submitted_by, article.submitted_at) == (reporter, NOW)
    assert article.last_transition == Article.Transition.SUBMITTED
    assert (article.last_transition_by, article.last_transition_at) == (reporter, NOW)
    entry = AuditEntry.objects.for_object(article).get()
    assert (entry.action, entry.actor) == ("submitted", reporter)


@pytest.mark.django_db
def test_a_reporter_on_the_byline_as_a_writer_owns_the_story(reporter, reporter_author):
    article = ArticleFactory(authors=[reporter_author])

    services.submit_for_review(article=article, by=reporter)

    assert article.status == Article.Status.IN_REVIEW


@pytest.mark.django_db
def test_a_reporter_credited_only_as_photographer_does_not_own_the_story(reporter, reporter_author):
    article = ArticleFactory()
    BylineFactory(article=article, author=reporter_author, role=Byline.Role.PHOTOGRAPHER)

    assert not services.can_edit(reporter, article)
    with pytest.raises(PermissionDenied):
        services.submit_for_review(article=article, by=reporter)


@pytest.mark.django_db
def test_a_reporter_cannot_submit_another_reporters_draft(reporter, other_reporter):
    article = ArticleFactory(created_by=other_reporter)

    with pytest.raises(PermissionDenied):
        services.submit_for_review(article=article, by=reporter)

    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert audit_actions(article) == []


@pytest.mark.django_db
def test_a_story_already_in_review_cannot_be_submitted_again(editor):
    article = ArticleFactory(status=Article.Status.IN_REVIEW)

    with pytest.raises(ValidationError, match="in review cannot be submitted"):
        services.submit_for_review(article=article, by=editor)


@pytest.mark.django_db
def test_a_transition_from_a_state_someone_else_has_just_changed_is_refused(editor):
    article = ready(status=Article.Status.IN_REVIEW)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)

    with pytest.raises(ValidationError, match="Someone else has just changed"):
        services.publish_article(article=article, by=editor)

    assert not Article.objects.published().exists()


# Returning ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_editor_returns_a_story_to_its_writer_with_a_note(editor, reporter):
    article = ArticleFactory(created_by=reporter, status=Article.Status.IN_REVIEW)

    services.return_to_draft(article=article, by=editor, note="  Check the figures.  ")

    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.was_returned
    assert article.review_note == "Check the figures."
    entry = AuditEntry.objects.for_object(article).get()
    assert (entry.action, entry.data) == ("returned", {"note": "Check the figures."})
    # Returned, it is the reporter's to edit again.
    assert services.can_edit(reporter, article)


@pytest.mark.django_db
def test_a_reporter_cannot_return_a_story(reporter):
    article = ArticleFactory(created_by=reporter, status=Article.Status.IN_REVIEW)

    with pytest.raises(PermissionDenied):
        services.return_to_draft(article=article, by=reporter)


# Publishing -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_editor_publishes_a_ready_story_now(editor):
    article = ready(status=Article.Status.IN_REVIEW)

    services.publish_article(article=article, by=editor)

    article.refresh_from_db()
    assert article.is_published
    assert (article.published_at, article.published_by) == (NOW, editor)
    assert article.last_transition == Article.Transition.PUBLISHED
    assert audit_actions(article) == ["published"]


@pytest.mark.django_db
@pytest.mark.parametrize("user", ["reporter", "profile_manager"])
def test_only_those_who_may_publish_can_publish(request, user):
    acting = request.getfixturevalue(user)
    article = ready(created_by=acting)

    with pytest.raises(PermissionDenied):
        services.publish_article(article=article, by=acting)

    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


@pytest.mark.django_db
def test_publishing_an_unready_story_is_refused_listing_every_problem(editor):
    article = ArticleFactory(title=" ", summary="")

    with pytest.raises(ValidationError) as refusal:
        services.publish_article(article=article, by=editor)

    assert refusal.value.messages == [
        "Add a headline.",
        "Add a standfirst.",
        "Add at least one writer to the byline.",
        "Add a lead image.",
    ]
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert audit_actions(article) == []


@pytest.mark.django_db
def test_a_lead_image_needs_alt_text_and_a_credit(editor):
    # The library asks for both on upload; photos brought in from before it may lack them.
    article = ready(lead_image=ImageFactory(alt_text="", credit=""))

    assert preflight.problems(article) == [
        "Describe the lead image in its alt text (in the photo library).",
        "Credit the lead image (in the photo library).",
    ]


@pytest.mark.django_db
def test_a_lead_image_whose_usage_has_expired_is_refused(editor, frozen):
    article = ready(lead_image=ImageFactory(usage_expires=date(2025, 6, 17)))

    assert preflight.problems(article) == [
        "The lead image's usage has expired: choose another photo."
    ]


@pytest.mark.django_db
def test_a_newsroom_may_relax_a_preflight_check(editor, settings):
    settings.NEWSROOM_PREFLIGHT_REQUIRE = ["headline", "standfirst", "section", "writer"]
    article = ArticleFactory(authors=[AuthorFactory()])

    services.publish_article(article=article, by=editor)

    assert article.is_published


@pytest.mark.django_db
def test_publishing_during_an_embargo_is_refused(editor):
    article = ready(embargo_until=LATER)

    with pytest.raises(ValidationError, match="embargoed until 18 June 2025, 15:00"):
        services.publish_article(article=article, by=editor)

    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


@pytest.mark.django_db
def test_republishing_an_unpublished_story_keeps_its_original_time(editor):
    article = ready(status=Article.Status.UNPUBLISHED, published_at=NOW - timedelta(days=2))

    services.publish_article(article=article, by=editor)

    article.refresh_from_db()
    assert article.is_published
    assert article.published_at == NOW - timedelta(days=2)


@pytest.mark.django_db
def test_a_transition_and_its_audit_entry_are_one_transaction(editor, monkeypatch):
    article = ready()

    def broken_log(**kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(services, "record", broken_log)
    with pytest.raises(RuntimeError):
        services.publish_article(article=article, by=editor)

    assert not Article.objects.published().exists()


# Scheduling -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_editor_schedules_a_story_and_it_goes_live_by_itself(editor, time_machine):
    article = ready()

    services.schedule_article(article=article, by=editor, at=LATER)

    article.refresh_from_db()
    assert article.state == Article.State.SCHEDULED
    assert (article.published_at, article.published_by) == (LATER, editor)
    assert audit_actions(article) == ["scheduled"]
    assert not Article.objects.published().exists()
    time_machine.move_to(LATER, tick=False)
    assert list(Article.objects.published()) == [article]


@pytest.mark.django_db
@pytest.mark.parametrize("at", [NOW, NOW - timedelta(minutes=1), None])
def test_scheduling_needs_a_future_time(editor, at):
    article = ready()

    with pytest.raises(ValidationError, match="in the future"):
        services.schedule_article(article=article, by=editor, at=at)


@pytest.mark.django_db
def test_scheduling_before_the_embargo_is_refused(editor):
    article = ready(embargo_until=LATER)

    with pytest.raises(ValidationError, match="embargoed until"):
        services.schedule_article(article=article, by=editor, at=LATER - timedelta(seconds=1))

    services.schedule_article(article=article, by=editor, at=LATER)
    assert article.state == Article.State.SCHEDULED


@pytest.mark.django_db
def test_scheduling_an_unready_story_is_refused(editor):
    article = ArticleFactory()

    with pytest.raises(ValidationError, match="Add a lead image"):
        services.schedule_article(article=article, by=editor, at=LATER)


@pytest.mark.django_db
def test_a_reporter_cannot_schedule(reporter):
    article = ready(created_by=reporter)

    with pytest.raises(PermissionDenied):
        services.schedule_article(article=article, by=reporter, at=LATER)


@pytest.mark.django_db
def test_unscheduling_returns_the_story_to_draft_and_forgets_the_time(editor):
    article = ready(scheduled=True)

    services.unschedule_article(article=article, by=editor)

    article.refresh_from_db()
    assert (article.status, article.published_at) == (Article.Status.DRAFT, None)
    assert audit_actions(article) == ["unscheduled"]


@pytest.mark.django_db
def test_a_live_story_cannot_be_unscheduled(editor):
    with pytest.raises(ValidationError):
        services.unschedule_article(article=ready(published=True), by=editor)


# Unpublishing ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_editor_unpublishes_a_live_story(editor):
    article = ready(published=True)

    services.unpublish_article(article=article, by=editor)

    article.refresh_from_db()
    assert article.status == Article.Status.UNPUBLISHED
    assert not Article.objects.published().exists()
    assert audit_actions(article) == ["unpublished"]


@pytest.mark.django_db
def test_a_reporter_cannot_unpublish(reporter):
    article = ready(published=True)

    with pytest.raises(PermissionDenied):
        services.unpublish_article(article=article, by=reporter)

    assert article.is_published


# Embargo --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_editor_sets_and_clears_an_embargo(editor):
    article = ready()

    services.set_embargo(article=article, by=editor, until=LATER)
    article.refresh_from_db()
    assert article.embargo_until == LATER
    services.set_embargo(article=article, by=editor, until=None)

    article.refresh_from_db()
    assert article.embargo_until is None
    assert audit_actions(article) == ["embargo cleared", "embargo set"]


@pytest.mark.django_db
def test_a_reporter_cannot_set_or_clear_an_embargo(reporter):
    article = ready(created_by=reporter, embargo_until=LATER)

    with pytest.raises(PermissionDenied):
        services.set_embargo(article=article, by=reporter, until=None)

    article.refresh_from_db()
    assert article.embargo_until == LATER


@pytest.mark.django_db
@pytest.mark.parametrize("state", [{"published": True}, {"scheduled": True}])
def test_an_embargo_later_than_a_released_storys_time_is_refused(editor, state):
    article = ready(**state)

    with pytest.raises(ValidationError, match="unschedule or unpublish it first"):
        services.set_embargo(article=article, by=editor, until=LATER)


# What each role is offered --------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("user", "state", "offered"),
    [
        ("reporter", {"status": "draft"}, ["submit"]),
        ("reporter", {"status": "in_review"}, []),
        ("reporter", {"status": "unpublished"}, []),
        ("reporter", {"published": True}, []),
        ("editor", {"status": "draft"}, ["submit", "publish", "schedule"]),
        ("editor", {"status": "in_review"}, ["return", "publish", "schedule"]),
        ("editor", {"scheduled": True}, ["publish", "schedule", "unschedule"]),
        ("editor", {"published": True}, ["unpublish"]),
        ("editor", {"status": "unpublished"}, ["return", "publish", "schedule"]),
        ("profile_manager", {"status": "draft"}, []),
    ],
)
def test_available_transitions_follow_role_and_state(request, user, state, offered):
    acting = request.getfixturevalue(user)
    times = {"published_at": NOW - timedelta(days=1)} if "status" in state else {}
    article = ArticleFactory(created_by=acting, **times, **state)

    assert services.available_transitions(article=article, user=acting) == offered


@pytest.mark.django_db
def test_a_reporter_is_offered_nothing_on_another_reporters_draft(reporter, other_reporter):
    article = ArticleFactory(created_by=other_reporter)

    assert services.available_transitions(article=article, user=reporter) == []
    assert not services.can_edit(reporter, article)


# The data migration ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_migration_keeps_every_status_and_records_published_stories_as_published():
    migration = importlib.import_module("articles.migrations.0010_workflow_reviewers_and_history")
    live = ArticleFactory(published=True)
    scheduled = ArticleFactory(scheduled=True)
    draft = ArticleFactory()

    migration.record_published(apps, None)

    for article in (live, scheduled, draft):
        before = article.status
        article.refresh_from_db()
        assert article.status == before
    assert (live.last_transition, live.last_transition_at) == ("published", live.published_at)
    assert scheduled.state == Article.State.SCHEDULED
    assert draft.last_transition == ""
