"""Never losing an editor's work on the article form: a save made after someone else's is
refused (409) with their changes listed; who else is editing, and take-over; autosave."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, Autosave, EditSession
from audit.models import AuditEntry
from tests.articles.test_admin import ADD, change_url, form_data, new_article_data
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, UserFactory

NOW = datetime(2025, 6, 18, 10, 2, tzinfo=ZoneInfo("Europe/Kyiv"))
AUTOSAVE = "/admin/articles/article/editing/autosave/"
DISCARD = "/admin/articles/article/editing/autosave/discard/"


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def oksana(db):
    return UserFactory(
        username="oksana", first_name="Oksana", last_name="Petrenko", groups=["Editors"]
    )


@pytest.fixture
def taras(db):
    return UserFactory(username="taras", first_name="Taras", last_name="Melnyk", groups=["Editors"])


@pytest.fixture
def article(db):
    return ArticleFactory(
        ready=True,  # passes the preflight checks, so the publish action can run on it
        status=Article.Status.DRAFT,
        title="Council meets",
        summary="The standfirst as opened.",
        body="<p>First draft.</p>",
        authors=[AuthorFactory(name="Zoe Zed")],
    )


def heartbeat_url(article):
    return reverse("admin:articles_article_heartbeat", args=[article.pk])


def take_over_url(article):
    return reverse("admin:articles_article_take_over", args=[article.pk])


def resubmit(refused, data):
    """What the browser posts when the editor saves the refused form again: their own
    values, with the version token the refusal gave them."""
    form = refused.context["adminform"].form
    return {**data, **{name: form[name].value() for name in ("opened_version", "opened_values")}}


def post_json(client, url, payload, **extra):
    body = payload if isinstance(payload, bytes | str) else json.dumps(payload)
    return client.post(url, body, content_type="application/json", **extra)


# Two editors save the same story ---------------------------------------------------------


@pytest.mark.django_db
def test_a_save_after_someone_elses_is_refused_and_lists_their_changes(oksana, taras, article):
    url = change_url(article)
    tarases, oksanas = signed_in(taras), signed_in(oksana)
    mine = form_data(tarases.get(url))
    theirs = form_data(oksanas.get(url))
    theirs["title"] = "Council meets, then walks out"
    assert oksanas.post(url, theirs).status_code == 302
    new_writer = AuthorFactory(name="Adam Ant")
    mine.update(
        title="Council meets at last",
        summary="My carefully rewritten standfirst.",
        **{"bylines-TOTAL_FORMS": "2", "bylines-1-author": str(new_writer.pk)},
        **{"bylines-1-role": "writer", "bylines-1-position": "1"},
    )

    response = tarases.post(url, mine)

    assert response.status_code == 409
    article.refresh_from_db()
    # Nothing of the refused save was written, the byline inline included.
    assert article.title == "Council meets, then walks out"
    assert article.summary == "The standfirst as opened."
    assert article.writers == [article.writers[0]] and article.writers[0].name == "Zoe Zed"
    assertContains(
        response,
        "Not saved: Oksana Petrenko saved this article at 18 Jun 2025, 10:02",
        status_code=409,
    )
    assertContains(
        response,
        "<tr><th scope='row'>Headline</th><td>Council meets</td>"
        "<td>Council meets, then walks out</td><td>Council meets at last</td></tr>",
        html=True,
        status_code=409,
    )
    # Only what they changed is listed; the standfirst is mine alone.
    assertNotContains(response, "<th scope='row'>Standfirst</th>", html=True, status_code=409)
    form = response.context["adminform"].form
    assert form["summary"].value() == "My carefully rewritten standfirst."
    assert form["title"].value() == "Council meets at last"
    assert form["opened_version"].value() == str(article.version)


@pytest.mark.django_db
def test_after_a_refusal_saving_the_merged_form_again_is_deliberate_and_succeeds(
    oksana, taras, article
):
    url = change_url(article)
    tarases, oksanas = signed_in(taras), signed_in(oksana)
    mine = form_data(tarases.get(url))
    theirs = form_data(oksanas.get(url))
    theirs["title"] = "Their headline"
    oksanas.post(url, theirs)
    mine["summary"] = "My standfirst."
    refused = tarases.post(url, mine)
    assert refused.status_code == 409

    merged = resubmit(refused, {**mine, "title": "Their headline"})
    response = tarases.post(url, merged)

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.summary) == ("Their headline", "My standfirst.")
    assert article.modified_by == taras


@pytest.mark.django_db
def test_each_save_counts_a_version_and_names_who_made_it(oksana, article):
    client = signed_in(oksana)
    before = Article.objects.get(pk=article.pk).version

    client.post(change_url(article), form_data(client.get(change_url(article))))

    article.refresh_from_db()
    assert article.version == before + 1
    assert article.modified_by == oksana


@pytest.mark.django_db
def test_a_change_made_outside_the_form_also_refuses_a_stale_save(editor, article):
    client = signed_in(editor)
    data = form_data(client.get(change_url(article)))
    client.post(
        "/admin/articles/article/",
        {"action": "publish_selected", "_selected_action": [str(article.pk)], "index": "0"},
    )
    data["title"] = "Typed meanwhile"

    response = client.post(change_url(article), data)

    assert response.status_code == 409
    assertContains(
        response, "Someone, outside the editing form, saved this article", status_code=409
    )
    # Status changes only through the workflow, which the form shows read-only: the
    # refused page says what happened there as the story's last change.
    assertContains(response, "Published by editor", status_code=409)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.title == "Council meets"


@pytest.mark.django_db
@pytest.mark.parametrize("token", [None, "", "banana", "-1", "99999"])
def test_a_form_without_the_version_it_opened_is_refused_not_guessed(editor, article, token):
    client = signed_in(editor)
    data = form_data(client.get(change_url(article)))
    data["title"] = "Crafted"
    if token is None:
        del data["opened_version"]
    else:
        data["opened_version"] = token

    response = client.post(change_url(article), data)

    assert response.status_code == 409
    article.refresh_from_db()
    assert article.title == "Council meets"


@pytest.mark.django_db
def test_a_tampered_copy_of_the_opened_values_only_loses_the_opened_column(editor, article):
    client = signed_in(editor)
    data = form_data(client.get(change_url(article)))
    Article.objects.filter(pk=article.pk).update(version=article.version + 5)
    data.update(title="Mine", opened_values="forged")

    response = client.post(change_url(article), data)

    assert response.status_code == 409
    assertNotContains(response, "When you opened it", status_code=409)
    assertContains(
        response,
        "<tr><th scope='row'>Headline</th><td>Council meets</td><td>Mine</td></tr>",
        html=True,
        status_code=409,
    )


# Who else is editing ----------------------------------------------------------------------


@pytest.mark.django_db
def test_opening_the_form_shows_who_else_has_it_open_without_javascript(oksana, taras, article):
    signed_in(oksana).get(change_url(article))

    response = signed_in(taras).get(change_url(article))

    assertContains(response, "Oksana Petrenko is editing since")
    assertContains(response, "10:02</time>")
    assertContains(response, f'action="{take_over_url(article)}"')
    assertContains(response, "js/editing.js")
    # Not themselves.
    assertNotContains(signed_in(oksana).get(change_url(article)), "Oksana Petrenko is editing")


@pytest.mark.django_db
def test_presence_ends_a_few_minutes_after_the_heartbeat_stops(
    oksana, taras, article, time_machine, settings
):
    settings.NEWSROOM_EDITING_PRESENCE_SECONDS = 120
    signed_in(oksana).get(change_url(article))
    tarases = signed_in(taras)
    time_machine.move_to(NOW + timedelta(seconds=119), tick=False)
    assertContains(tarases.get(change_url(article)), "Oksana Petrenko is editing")

    time_machine.move_to(NOW + timedelta(seconds=121), tick=False)

    assertNotContains(tarases.get(change_url(article)), "Oksana Petrenko is editing")


@pytest.mark.django_db
def test_the_heartbeat_keeps_an_editor_present_and_says_who_else_is(
    oksana, taras, article, time_machine, settings
):
    settings.NEWSROOM_EDITING_PRESENCE_SECONDS = 120
    oksanas, tarases = signed_in(oksana), signed_in(taras)
    oksanas.get(change_url(article))
    tarases.get(change_url(article))
    for seconds in (60, 120, 180):
        time_machine.move_to(NOW + timedelta(seconds=seconds), tick=False)
        assert oksanas.post(heartbeat_url(article)).status_code == 200

    answer = tarases.post(heartbeat_url(article)).json()

    assert answer == {
        "editing": [
            {
                "name": "Oksana Petrenko",
                "since": "10:02",
                "message": "Oksana Petrenko is editing since 10:02",
            }
        ],
        "taken_over": None,
    }


@pytest.mark.django_db
def test_saving_ends_the_editors_session(oksana, taras, article):
    oksanas = signed_in(oksana)
    oksanas.post(change_url(article), form_data(oksanas.get(change_url(article))))

    assertNotContains(signed_in(taras).get(change_url(article)), "Oksana Petrenko is editing")


@pytest.mark.django_db
def test_take_over_is_recorded_and_told_to_the_other_editor(oksana, taras, article):
    tarases, oksanas = signed_in(taras), signed_in(oksana)
    tarases.get(change_url(article))
    oksanas.get(change_url(article))

    response = oksanas.post(take_over_url(article), follow=True)

    assert response.redirect_chain == [(change_url(article), 302)]
    assertContains(response, "You took over this story from Taras Melnyk.")
    entry = AuditEntry.objects.for_object(article).get()
    assert (entry.action, entry.actor, entry.data) == (
        "took over",
        oksana,
        {"from_users": ["taras"]},
    )
    answer = tarases.post(heartbeat_url(article)).json()
    assert answer["taken_over"] == {
        "by": "Oksana Petrenko",
        "at": "10:02",
        "message": "Oksana Petrenko took over this story at 10:02. Your changes here are not "
        "saved: copy what you need, or reload the page to see theirs.",
    }
    assert answer["editing"][0]["name"] == "Oksana Petrenko"
    # Oksana no longer sees Taras as editing.
    assert oksanas.post(heartbeat_url(article)).json()["editing"] == []


@pytest.mark.django_db
def test_a_save_from_a_taken_over_form_is_refused_once_then_allowed(oksana, taras, article):
    tarases, oksanas = signed_in(taras), signed_in(oksana)
    mine = form_data(tarases.get(change_url(article)))
    oksanas.get(change_url(article))
    oksanas.post(take_over_url(article))
    mine["title"] = "Taras's headline"

    refused = tarases.post(change_url(article), mine)

    assert refused.status_code == 409
    assertContains(
        refused, "Not saved: Oksana Petrenko took over this story at 10:02.", status_code=409
    )
    assert Article.objects.get(pk=article.pk).title == "Council meets"
    assert refused.context["adminform"].form["title"].value() == "Taras's headline"
    # Shown the take-over, Taras may still save deliberately (Oksana has saved nothing).
    assert tarases.post(change_url(article), resubmit(refused, mine)).status_code == 302
    assert Article.objects.get(pk=article.pk).title == "Taras's headline"


@pytest.mark.django_db
def test_taking_over_a_story_nobody_else_has_open_records_nothing(oksana, article):
    response = signed_in(oksana).post(take_over_url(article), follow=True)

    assertContains(response, "Nobody else is editing this story now.")
    assert not AuditEntry.objects.exists()


# Who may call the editing views ---------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["heartbeat", "take_over"])
def test_the_editing_views_refuse_anonymous_visitors_and_non_staff(client, article, name):
    url = reverse(f"admin:articles_article_{name}", args=[article.pk])
    outsider = signed_in(UserFactory(is_staff=False))

    for visitor in (client, outsider):
        response = visitor.post(url)
        assert response.status_code == 403
        assert response.json()["error"]
    assert not EditSession.objects.exists()


@pytest.mark.django_db
def test_the_editing_views_refuse_staff_who_may_not_edit_articles(profile_manager, article):
    client = signed_in(profile_manager)

    assert client.post(heartbeat_url(article)).status_code == 403
    assert post_json(client, AUTOSAVE, {"article": None, "fields": {"title": "x"}}).status_code == (
        403
    )
    assert not Autosave.objects.exists()


@pytest.mark.django_db
def test_a_reporter_cannot_heartbeat_or_take_over_a_live_story(reporter, oksana):
    live = ArticleFactory(published=True)
    signed_in(oksana).get(change_url(live))
    client = signed_in(reporter)

    assert client.post(heartbeat_url(live)).status_code == 403
    assert client.post(take_over_url(live)).status_code == 403
    assert not EditSession.objects.filter(taken_over_at__isnull=False).exists()


@pytest.mark.django_db
def test_the_editing_views_want_post_and_a_csrf_token(editor, article):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)

    assert client.get(heartbeat_url(article)).status_code == 405
    assert client.post(heartbeat_url(article)).status_code == 403
    assert client.post(take_over_url(article)).status_code == 403
    assert not EditSession.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("object_id", ["999999", "not-a-number"])
def test_the_heartbeat_of_a_missing_article_is_a_404(editor_client, object_id):
    response = editor_client.post(f"/admin/articles/article/{object_id}/editing/heartbeat/")

    assert response.status_code == 404
    assert response.json() == {"error": "No such article."}


# Autosave ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_autosave_keeps_the_editors_own_copy_and_leaves_the_article_alone(oksana, article):
    before = Article.objects.values().get(pk=article.pk)
    fields = {"title": "Half-typed headline", "body": "<p>Half a paragraph</p>"}

    response = post_json(signed_in(oksana), AUTOSAVE, {"article": article.pk, "fields": fields})

    assert response.status_code == 200
    assert response.json()["message"] == "Unsaved changes kept as your copy at 10:02."
    copy = Autosave.objects.get()
    assert (copy.article, copy.user, copy.data) == (article, oksana, fields)
    assert Article.objects.values().get(pk=article.pk) == before
    assert not Article.objects.published().exists()


@pytest.mark.django_db
def test_a_later_autosave_replaces_the_editors_copy_only(oksana, taras, article):
    post_json(signed_in(taras), AUTOSAVE, {"article": article.pk, "fields": {"title": "Taras"}})
    oksanas = signed_in(oksana)
    post_json(oksanas, AUTOSAVE, {"article": article.pk, "fields": {"title": "First"}})

    post_json(oksanas, AUTOSAVE, {"article": article.pk, "fields": {"title": "Second"}})

    copies = dict(Autosave.objects.values_list("user__username", "data"))
    assert copies == {"taras": {"title": "Taras"}, "oksana": {"title": "Second"}}


@pytest.mark.django_db
def test_reopening_the_form_offers_the_copy_and_restore_fills_the_form(oksana, article):
    client = signed_in(oksana)
    fields = {"title": "Typed before the crash", "summary": "Never saved."}
    post_json(client, AUTOSAVE, {"article": article.pk, "fields": fields})

    offer = client.get(change_url(article))
    restored = client.get(change_url(article) + "?restore=autosave")

    assertContains(offer, "You have unsaved changes from")
    assertContains(offer, "18 Jun, 10:02</time>")
    assertContains(offer, 'href="?restore=autosave"')
    assert offer.context["adminform"].form["title"].value() == "Council meets"
    form = restored.context["adminform"].form
    assert form["title"].value() == "Typed before the crash"
    assert form["summary"].value() == "Never saved."
    assert form["body"].value() == "<p>First draft.</p>"  # not in the copy: as saved
    assertContains(restored, "Restored your unsaved changes from 10:02.")
    assertNotContains(restored, "You have unsaved changes from")
    # Restoring only fills the form; the article changes when the editor saves.
    assert Article.objects.get(pk=article.pk).title == "Council meets"


@pytest.mark.django_db
def test_someone_elses_copy_is_never_offered_or_restored(oksana, taras, article):
    post_json(signed_in(taras), AUTOSAVE, {"article": article.pk, "fields": {"title": "Taras's"}})
    client = signed_in(oksana)

    offer = client.get(change_url(article))
    restored = client.get(change_url(article) + "?restore=autosave")

    assertNotContains(offer, "You have unsaved changes")
    assertNotContains(restored, "Taras&#x27;s")
    assert restored.context["adminform"].form["title"].value() == "Council meets"
    client.post(DISCARD, {"article": article.pk})
    assert Autosave.objects.filter(user=taras).exists()


@pytest.mark.django_db
def test_a_restored_copy_is_form_data_never_markup(oksana, article):
    client = signed_in(oksana)
    hostile = '"><script>alert(1)</script>'
    post_json(client, AUTOSAVE, {"article": article.pk, "fields": {"title": hostile}})

    response = client.get(change_url(article) + "?restore=autosave")

    assertNotContains(response, "<script>alert(1)</script>")
    assertContains(response, 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"')


@pytest.mark.django_db
def test_discard_deletes_the_copy(oksana, article):
    client = signed_in(oksana)
    post_json(client, AUTOSAVE, {"article": article.pk, "fields": {"title": "Forget me"}})

    response = client.post(DISCARD, {"article": article.pk}, follow=True)

    assert response.redirect_chain == [(change_url(article), 302)]
    assertContains(response, "Your unsaved changes were discarded.")
    assert not Autosave.objects.exists()


@pytest.mark.django_db
def test_a_successful_save_deletes_the_copy(oksana, taras, article):
    post_json(signed_in(taras), AUTOSAVE, {"article": article.pk, "fields": {"title": "Taras"}})
    client = signed_in(oksana)
    post_json(client, AUTOSAVE, {"article": article.pk, "fields": {"title": "Restored"}})
    data = form_data(client.get(change_url(article) + "?restore=autosave"))

    assert client.post(change_url(article), data).status_code == 302

    assert Article.objects.get(pk=article.pk).title == "Restored"
    assert list(Autosave.objects.values_list("user__username", flat=True)) == ["taras"]


@pytest.mark.django_db
def test_a_new_story_is_autosaved_restored_and_cleared_on_save(oksana):
    client = signed_in(oksana)
    post_json(client, AUTOSAVE, {"article": None, "fields": {"title": "A new story"}})
    assert Autosave.objects.get().article is None

    offer = client.get(ADD)
    restored = client.get(ADD + "?restore=autosave")

    assertContains(offer, "You have unsaved changes from")
    assert restored.context["adminform"].form["title"].value() == "A new story"
    data = new_article_data(client, SectionFactory(), AuthorFactory(), title="A new story")
    assert client.post(ADD, data).status_code == 302
    assert not Autosave.objects.exists()


@pytest.mark.django_db
def test_a_new_story_copy_is_discarded_from_the_add_form(oksana):
    client = signed_in(oksana)
    post_json(client, AUTOSAVE, {"article": None, "fields": {"title": "Forget me"}})

    response = client.post(DISCARD, {"article": ""})

    assert response["Location"] == ADD
    assert not Autosave.objects.exists()


BAD_AUTOSAVES = {
    "not JSON": (b"title=hello", 400, "Send a JSON object."),
    "not UTF-8": (b'{"fields": {"title": "\xff"}}', 400, "Send a JSON object."),
    "a list": ([1, 2], 400, "Send {"),
    "extra keys": ({"fields": {"title": "x"}, "publish": True}, 400, "Send {"),
    "no fields": ({"article": None}, 400, "fields must be"),
    "empty fields": ({"article": None, "fields": {}}, 400, "fields must be"),
    "unknown field": ({"fields": {"status": "published"}}, 400, "not kept: status"),
    "a number": ({"fields": {"title": 5}}, 400, "title must be text"),
    "a nested object": ({"fields": {"body": {"a": 1}}}, 400, "body must be text"),
    "a NUL": ({"fields": {"title": "a\x00b"}}, 400, "cannot be stored"),
    "a lone surrogate": ('{"fields": {"title": "\\ud800"}}', 400, "cannot be stored"),
    "a text article id": ({"article": "1", "fields": {"title": "x"}}, 400, "article must be"),
    "a boolean article id": ({"article": True, "fields": {"title": "x"}}, 400, "article must"),
    "a negative article id": ({"article": -3, "fields": {"title": "x"}}, 400, "article must"),
    "a missing article": ({"article": 999999, "fields": {"title": "x"}}, 404, "No such article"),
    "deep nesting": ("[" * 100_000 + "]" * 100_000, 400, "Send a JSON object."),
}


@pytest.mark.django_db
@pytest.mark.parametrize("payload,status,message", BAD_AUTOSAVES.values(), ids=BAD_AUTOSAVES)
def test_a_bad_autosave_is_refused_with_a_message(editor_client, payload, status, message):
    response = post_json(editor_client, AUTOSAVE, payload)

    assert response.status_code == status
    assert message in response.json()["error"]
    assert not Autosave.objects.exists()


@pytest.mark.django_db
def test_an_oversized_autosave_is_refused(editor_client, settings):
    settings.NEWSROOM_AUTOSAVE_MAX_BYTES = 1000
    fields = {"body": "<p>" + "x" * 1000 + "</p>"}

    response = post_json(editor_client, AUTOSAVE, {"article": None, "fields": fields})

    assert response.status_code == 413
    assert response.json() == {"error": "Too long to keep a copy: at most 0 KB."}
    assert not Autosave.objects.exists()


@pytest.mark.django_db
def test_text_over_a_fields_limit_is_still_kept(editor_client):
    # The copy exists so nothing typed is lost; the real save then says what is too long.
    response = post_json(editor_client, AUTOSAVE, {"fields": {"title": "h" * 500}})

    assert response.status_code == 200
    assert Autosave.objects.get().data == {"title": "h" * 500}


@pytest.mark.django_db
def test_a_reporter_cannot_autosave_over_a_live_story(reporter):
    live = ArticleFactory(published=True)

    response = post_json(
        signed_in(reporter), AUTOSAVE, {"article": live.pk, "fields": {"title": "x"}}
    )

    assert response.status_code == 403
    assert not Autosave.objects.exists()


@pytest.mark.django_db
def test_autosave_refuses_anonymous_visitors(client, article):
    response = post_json(client, AUTOSAVE, {"article": article.pk, "fields": {"title": "x"}})

    assert response.status_code == 403
    assert not Autosave.objects.exists()


# Query counts ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_heartbeat_costs_a_fixed_handful_of_queries(taras, article, django_assert_num_queries):
    tarases = signed_in(taras)
    tarases.get(change_url(article))
    for user in UserFactory.create_batch(3, groups=["Editors"]):
        signed_in(user).get(change_url(article))

    # 1. the session; 2. the user; 3.–4. the user's and their groups' permissions
    # 5. the article; 6. the UPDATE keeping this editor's session alive
    # 7. everyone else editing, with their names
    with django_assert_num_queries(7):
        response = tarases.post(heartbeat_url(article))
    assert len(response.json()["editing"]) == 3


@pytest.mark.django_db
def test_autosave_costs_a_fixed_handful_of_queries(oksana, article, django_assert_max_num_queries):
    client = signed_in(oksana)
    post_json(client, AUTOSAVE, {"article": article.pk, "fields": {"title": "first"}})

    # 1. the session; 2. the user; 3.–4. permissions; 5. the article
    # 6.–9. update_or_create of the copy: a savepoint, SELECT … FOR UPDATE, the UPDATE,
    # the release
    with django_assert_max_num_queries(9):
        response = post_json(client, AUTOSAVE, {"article": article.pk, "fields": {"title": "b"}})
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_change_form_with_others_editing_and_a_copy_stays_within_its_queries(
    oksana, taras, article, django_assert_num_queries
):
    for user in UserFactory.create_batch(3, groups=["Editors"]):
        signed_in(user).get(change_url(article))
    client = signed_in(oksana)
    post_json(client, AUTOSAVE, {"article": article.pk, "fields": {"title": "copy"}})
    client.get(change_url(article))

    # 1. the session; 2. the user; 3./19. the savepoint the revision-keeping change view
    # opens and releases; 4. the article; 5. its bylines; 6.–7. permissions; 8. the tags
    # for the form; 9.–11. the section, lead photo and tags for the signed copy of the
    # values opened; 12. the byline inline's rows; 13. the body-photo inline's rows;
    # 14. the correction inline's rows; 15. the UPDATE of this editor's session;
    # 16. everyone else editing, with their names; 17. the editor's own copy;
    # 18. (after the savepoint) the sections to choose from; 20. the chosen lead photo for
    # the picker; 21. the inline's author; 22. the story's preview links. The number of
    # others editing adds nothing.
    with django_assert_num_queries(22):
        response = client.get(change_url(article))
    assertContains(response, "is editing since", count=3)
    assert len(response.context["others_editing"]) == 3


@pytest.mark.django_db
def test_reading_a_story_one_may_not_edit_is_not_editing_it(reporter, oksana):
    live = ArticleFactory(published=True)
    signed_in(oksana).get(change_url(live))

    response = signed_in(reporter).get(change_url(live))

    assert response.status_code == 200
    assertNotContains(response, "js/editing.js")
    assertNotContains(response, "is editing since")
    assert list(EditSession.objects.values_list("user__username", flat=True)) == ["oksana"]
