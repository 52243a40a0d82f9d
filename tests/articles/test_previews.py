"""Staff previews of stories in any state, and shareable preview links for people without
an account: who may make and revoke them, what the page shows, when it refuses."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from articles.models import Article, PreviewLink
from articles.services import create_preview_link, revoke_preview_link
from audit.models import AuditEntry
from tests.factories import ArticleFactory, AuthorFactory, UserFactory

NOW = datetime(2025, 6, 18, 12, 0, tzinfo=ZoneInfo("Europe/Kyiv"))
BANNER = '<p class="preview-banner" role="status">'


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def draft(db):
    return ArticleFactory(status=Article.Status.DRAFT, title="Harbour deal agreed")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def assert_private(response):
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    assert response["Referrer-Policy"] == "no-referrer"


# Staff preview --------------------------------------------------------------------------


@pytest.mark.django_db
def test_readers_get_404_for_a_draft(client, draft):
    response = client.get(draft.get_absolute_url())

    assert response.status_code == 404
    assertNotContains(response, draft.title, status_code=404)


@pytest.mark.django_db
def test_staff_preview_of_a_draft_is_private_and_says_so(editor_client, draft):
    response = editor_client.get(draft.get_absolute_url())

    assertContains(response, BANNER)
    assertContains(response, "Readers cannot see this story: it is a draft.")
    assertContains(response, '<meta name="robots" content="noindex, nofollow">')
    assert_private(response)


@pytest.mark.django_db
def test_staff_preview_names_the_embargo_of_a_story_that_would_otherwise_be_live(editor_client):
    article = ArticleFactory(published=True, embargo_until=NOW + timedelta(hours=3))

    response = editor_client.get(article.get_absolute_url())

    assertContains(response, "it is embargoed until 18 June 2025, 15:00.")
    assert_private(response)


@pytest.mark.django_db
def test_the_change_page_offers_a_preview_of_a_story_readers_cannot_see(editor_client, draft):
    response = editor_client.get(change_url(draft))

    assertContains(
        response, f'<a href="{draft.get_absolute_url()}" class="previewlink">Preview</a>'
    )


@pytest.mark.django_db
def test_the_change_page_of_a_live_story_offers_view_on_site_not_preview(editor_client):
    article = ArticleFactory(published=True)

    response = editor_client.get(change_url(article))

    assertNotContains(response, ">Preview</a>")
    assertContains(response, "View on site")


# Making and revoking links --------------------------------------------------------------


@pytest.mark.django_db
def test_an_editor_shares_a_preview_link_from_the_change_page(editor_client, editor, draft):
    response = editor_client.post(
        reverse("admin:articles_article_share_preview", args=[draft.pk]), follow=True
    )

    link = PreviewLink.objects.get()
    assert link.article == draft
    assert link.created_by == editor
    assert link.expires_at == NOW + timedelta(hours=48)
    assertContains(response, f"http://testserver{link.get_absolute_url()}")
    assertContains(response, "until 20 June 2025, 12:00")
    entry = AuditEntry.objects.for_object(draft).get()
    assert (entry.action, entry.actor) == ("shared preview", editor)
    assert entry.data["link"] == link.pk


@pytest.mark.django_db
def test_the_link_lifetime_is_a_setting(editor, draft, settings):
    settings.NEWSROOM_PREVIEW_LINK_HOURS = 6

    link = create_preview_link(article=draft, by=editor)

    assert link.expires_at == NOW + timedelta(hours=6)


@pytest.mark.django_db
def test_sharing_answers_only_a_post(editor_client, draft):
    url = reverse("admin:articles_article_share_preview", args=[draft.pk])

    assert editor_client.get(url).status_code == 405
    assert not PreviewLink.objects.exists()


@pytest.mark.django_db
def test_the_change_page_lists_the_story_links_with_a_revoke_link(editor_client, editor, draft):
    link = create_preview_link(article=draft, by=editor)

    response = editor_client.get(change_url(draft))

    assertContains(response, '<button type="submit">Share preview link</button>', html=True)
    assertContains(response, link.get_absolute_url())
    revoke = reverse("admin:articles_previewlink_revoke", args=[link.pk])
    assertContains(response, f'<a href="{revoke}">Revoke…</a>')


@pytest.mark.django_db
def test_an_editor_revokes_a_link_after_confirming(editor_client, editor, draft):
    link = create_preview_link(article=draft, by=editor)
    url = reverse("admin:articles_previewlink_revoke", args=[link.pk])

    confirm = editor_client.get(url)
    assert PreviewLink.objects.active().exists()
    response = editor_client.post(url)

    assertContains(confirm, "Revoke the link")
    assertRedirects(response, change_url(draft), fetch_redirect_response=False)
    link.refresh_from_db()
    assert (link.revoked_at, link.revoked_by) == (NOW, editor)
    assert not PreviewLink.objects.active().exists()
    actions = list(AuditEntry.objects.for_object(draft).values_list("action", flat=True))
    assert actions == ["revoked preview", "shared preview"]


@pytest.mark.django_db
def test_editors_revoke_links_with_the_list_action(editor_client, editor, draft):
    links = [create_preview_link(article=draft, by=editor) for _ in range(2)]
    data = {"action": "revoke_selected", "_selected_action": [str(links[0].pk)]}

    editor_client.post(reverse("admin:articles_previewlink_changelist"), data)

    assert list(PreviewLink.objects.active()) == [links[1]]


@pytest.mark.django_db
def test_a_reporter_shares_a_preview_of_a_story_they_write(reporter_client, reporter_author):
    own = ArticleFactory(status=Article.Status.DRAFT, authors=[reporter_author])

    response = reporter_client.post(reverse("admin:articles_article_share_preview", args=[own.pk]))

    assert response.status_code == 302
    assert PreviewLink.objects.filter(article=own).exists()


@pytest.mark.django_db
def test_a_reporter_cannot_share_someone_elses_story(reporter_client, reporter_author):
    other = ArticleFactory(status=Article.Status.DRAFT, authors=[AuthorFactory()])

    page = reporter_client.get(change_url(other))
    response = reporter_client.post(
        reverse("admin:articles_article_share_preview", args=[other.pk])
    )

    assertNotContains(page, '<button type="submit">Share preview link</button>', html=True)
    assert response.status_code == 403
    assert not PreviewLink.objects.exists()


@pytest.mark.django_db
def test_a_reporter_cannot_revoke_an_editors_link(reporter_client, editor, draft):
    link = create_preview_link(article=draft, by=editor)

    response = reporter_client.post(reverse("admin:articles_previewlink_revoke", args=[link.pk]))

    assert response.status_code == 403
    assert PreviewLink.objects.active().exists()


@pytest.mark.django_db
def test_staff_without_article_access_cannot_share(profile_manager_client, draft):
    response = profile_manager_client.post(
        reverse("admin:articles_article_share_preview", args=[draft.pk])
    )

    assert response.status_code == 403
    assert not PreviewLink.objects.exists()


@pytest.mark.django_db
def test_the_preview_link_list_query_count_does_not_grow(
    editor_client, editor, django_assert_num_queries
):
    for _ in range(3):
        create_preview_link(article=ArticleFactory(), by=editor)
    editor_client.get(reverse("admin:articles_previewlink_changelist"))  # warm content types

    def count():
        with django_assert_num_queries(7) as captured:
            editor_client.get(reverse("admin:articles_previewlink_changelist"))
        return len(captured)

    # session, user, the user's own and group permissions, the count, the full count
    # (show_full_result_count), the page of links with their stories and creators
    assert count() == 7
    for _ in range(20):
        create_preview_link(article=ArticleFactory(), by=editor)
    assert count() == 7


# Opening a link -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_link_shows_the_draft_in_the_public_template_privately(client, editor, draft):
    link = create_preview_link(article=draft, by=editor)

    response = client.get(link.get_absolute_url())

    assert response.status_code == 200
    assertContains(response, '<h1 class="story-title">Harbour deal agreed</h1>', html=True)
    assertContains(response, BANNER)
    assertContains(response, "it is a draft. This private preview link works until 20 June 2025")
    assertContains(response, '<meta name="robots" content="noindex, nofollow">')
    assert_private(response)


@pytest.mark.django_db
def test_a_link_shows_a_scheduled_story_with_its_time(client, editor):
    article = ArticleFactory(scheduled=True)
    link = create_preview_link(article=article, by=editor)

    response = client.get(link.get_absolute_url())

    assertContains(response, "it is scheduled for 18 June 2025, 13:00.")


@pytest.mark.django_db
def test_a_link_to_a_story_that_went_live_leads_to_the_public_page(client, editor, draft):
    link = create_preview_link(article=draft, by=editor)
    draft.status, draft.published_at = Article.Status.PUBLISHED, NOW - timedelta(minutes=1)
    draft.save()

    response = client.get(link.get_absolute_url())

    assertRedirects(response, draft.get_absolute_url(), fetch_redirect_response=False)
    assert_private(response)


@pytest.mark.django_db
def test_a_link_is_read_only(client, editor, draft):
    link = create_preview_link(article=draft, by=editor)

    assert client.post(link.get_absolute_url()).status_code == 405


@pytest.mark.django_db
def test_an_expired_link_is_gone(client, editor, draft, time_machine):
    link = create_preview_link(article=draft, by=editor)
    time_machine.move_to(NOW + timedelta(hours=48), tick=False)

    response = client.get(link.get_absolute_url())

    assert response.status_code == 410
    assertContains(response, "This preview link has expired", status_code=410)
    assertContains(response, "It worked until 20 June 2025, 12:00.", status_code=410)
    assertNotContains(response, draft.title, status_code=410)
    assert_private(response)


@pytest.mark.django_db
def test_a_link_works_until_the_moment_it_expires(client, editor, draft, time_machine):
    link = create_preview_link(article=draft, by=editor)
    time_machine.move_to(NOW + timedelta(hours=48) - timedelta(seconds=1), tick=False)

    assert client.get(link.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_a_revoked_link_is_gone(client, editor, draft):
    link = create_preview_link(article=draft, by=editor)
    revoke_preview_link(link=link, by=editor)

    response = client.get(link.get_absolute_url())

    assert response.status_code == 410
    assertContains(response, "This preview link has been withdrawn", status_code=410)
    assertNotContains(response, draft.title, status_code=410)
    assert_private(response)


@pytest.mark.django_db
def test_a_link_to_a_deleted_story_is_gone(client, editor, draft):
    link = create_preview_link(article=draft, by=editor)
    url = link.get_absolute_url()
    draft.delete()

    assert client.get(url).status_code == 410


@pytest.mark.django_db
@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: signing.dumps(int(signing.loads(token, salt=PreviewLink.SALT)) + 1),
        lambda token: signing.dumps(1, salt="another.salt"),
        lambda token: "not-a-token",
        lambda token: "x" * 500,
    ],
    ids=["altered-signature", "unsalted-next-id", "other-salt", "garbage", "long"],
)
def test_a_tampered_link_is_not_found(client, editor, draft, tamper):
    link = create_preview_link(article=draft, by=editor)
    create_preview_link(article=ArticleFactory(status=Article.Status.DRAFT), by=editor)

    response = client.get(reverse("articles:preview_link", args=[tamper(link.token)]))

    assert response.status_code == 404
    assertContains(response, "This preview link is not valid", status_code=404)
    assertNotContains(response, draft.title, status_code=404)
    assert_private(response)


@pytest.mark.django_db
def test_an_embargoed_story_stays_hidden_until_its_embargo_ends(client, editor, time_machine):
    article = ArticleFactory(
        status=Article.Status.DRAFT, embargo_until=NOW + timedelta(hours=2), title="Secret"
    )
    link = create_preview_link(article=article, by=editor)

    before = client.get(link.get_absolute_url())
    time_machine.move_to(NOW + timedelta(hours=2), tick=False)
    after = client.get(link.get_absolute_url())

    assert before.status_code == 403
    assertContains(before, "This story is under embargo", status_code=403)
    assertContains(before, "before 18 June 2025, 14:00", status_code=403)
    assertNotContains(before, "Secret", status_code=403)
    assert_private(before)
    assert after.status_code == 200
    assertContains(after, "Secret")


@pytest.mark.django_db
def test_a_preview_link_page_query_count_does_not_grow(client, editor, django_assert_num_queries):
    writer = AuthorFactory()
    ArticleFactory.create_batch(5, published=True, authors=[writer])
    draft = ArticleFactory(status=Article.Status.DRAFT, authors=[writer, AuthorFactory()])
    link = create_preview_link(article=draft, by=editor)

    # 1. the link  2. the story with its section and lead photo  3. tags  4. bylines with
    # authors  5. the authors' links  6. body photos  7. corrections  8. More news
    # 9-10. Related (the newest stories and their tags)  11. More from the writer  12. site
    # settings  13. navigation  14. the breaking-news banner
    with django_assert_num_queries(14):
        assert client.get(link.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_robots_are_told_to_stay_out_of_preview_links(client):
    assertContains(client.get("/robots.txt"), "Disallow: /preview/")


@pytest.mark.django_db
def test_links_are_signed_so_ids_cannot_be_guessed(editor, draft):
    link = create_preview_link(article=draft, by=editor)

    assert str(link.pk) != link.token
    assert list(PreviewLink.objects.for_token(link.token)) == [link]
    with pytest.raises(signing.BadSignature):
        PreviewLink.objects.for_token(str(link.pk))


@pytest.mark.django_db
def test_inactive_staff_cannot_share(draft):
    user = UserFactory(groups=["Editors"], is_active=False)

    with pytest.raises(PermissionDenied):
        create_preview_link(article=draft, by=user)
    assert not PreviewLink.objects.exists()


@pytest.mark.django_db
def test_a_live_story_offers_no_preview_link_to_share(editor_client):
    article = ArticleFactory(published=True)

    response = editor_client.get(change_url(article))

    assertNotContains(response, '<button type="submit">Share preview link</button>', html=True)
