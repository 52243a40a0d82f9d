import pytest
from pytest_django.asserts import assertContains

from audit.models import AuditEntry
from audit.services import record
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_record_keeps_who_did_what_to_which_object(editor):
    article = ArticleFactory(title="Council votes")

    entry = record(action="published", obj=article, by=editor, message="Went live", at="now")

    assert entry.actor == editor
    assert entry.actor_name == "editor"
    assert entry.object_repr == "Council votes"
    assert entry.data == {"at": "now"}
    assert list(AuditEntry.objects.for_object(article)) == [entry]


def test_entries_still_read_after_the_actor_is_deleted():
    user = UserFactory(username="gone")
    article = ArticleFactory()
    entry = record(action="trashed", obj=article, by=user)

    user.delete()
    entry.refresh_from_db()

    assert entry.actor is None
    assert entry.actor_name == "gone"


def test_editors_read_the_log_but_nobody_changes_it(editor_client, admin_client):
    entry = record(action="published", obj=ArticleFactory(title="Budget"), by=None)

    assertContains(editor_client.get("/admin/audit/auditentry/"), "Budget")
    assert editor_client.get(f"/admin/audit/auditentry/{entry.pk}/change/").status_code == 200
    for client in (editor_client, admin_client):
        assert client.get("/admin/audit/auditentry/add/").status_code == 403
        assert client.get(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403
        response = client.post(
            f"/admin/audit/auditentry/{entry.pk}/change/", {"message": "rewritten"}
        )
        assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.message == ""


def test_reporters_cannot_read_the_log(reporter_client):
    assert reporter_client.get("/admin/audit/auditentry/").status_code == 403


def test_log_changelist_queries_do_not_grow(editor_client, django_assert_max_num_queries):
    for number in range(30):
        record(action="published", obj=ArticleFactory(), by=None, message=str(number))
    # session, user, user and group permissions, content types for the filter, count,
    # entries (content types joined), date range and days for the drill-down, actions
    with django_assert_max_num_queries(10):
        editor_client.get("/admin/audit/auditentry/")
