"""Every staff form meets oversize and malformed fields with a clear message and a 4xx, and
keeps what the user typed. (The profile form has its own tests in tests/authors.)"""

import pytest
from pytest_django.asserts import assertContains

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, ImageFactory, SectionFactory

HUGE = "x" * 10_000


def article_form(for_section, by_author, **fields):
    data = {
        "title": "Council agrees the budget",
        "slug": "council-agrees-the-budget",
        "kind": "story",
        "section": for_section.pk,
        "summary": "The vote came after midnight.",
        "body": "<p>The vote came after midnight.</p>",
        "status": "draft",
        "bylines-TOTAL_FORMS": "1",
        "bylines-INITIAL_FORMS": "0",
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
        "bylines-0-author": by_author.pk,
        "bylines-0-position": "0",
        "bylines-0-role": "writer",
        # The corrections inline, empty: without it every post would fail for that alone.
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
        "body_images-TOTAL_FORMS": "0",
        "body_images-INITIAL_FORMS": "0",
    }
    return {**data, **fields}


@pytest.fixture
def parts(db):
    return SectionFactory(), AuthorFactory()


BAD_ARTICLE_FIELDS = {
    "title": {"title": HUGE},
    "slug": {"slug": "not a slug/../"},
    "slug-too-long": {"slug": "a" * 500},
    "summary": {"summary": HUGE},
    "kind": {"kind": "press-release"},
    "section": {"section": "999999"},
    "section-not-a-number": {"section": "politics"},
    "author": {"bylines-0-author": "999999"},
    "position": {"bylines-0-position": "-5"},
    "video": {"video_url": "javascript:alert(1)"},
    "video-host": {"video_url": "https://videos.example.com/watch?v=dQw4w9WgXcQ"},
    "byline-count": {"bylines-TOTAL_FORMS": "100000"},
    # Photos come only from the library, by id.
    "lead-photo": {"lead_image": "999999"},
    "lead-photo-address": {"lead_image": "https://evil.example/x.jpg"},
    "body-photo": {"body_images-TOTAL_FORMS": "1", "body_images-0-image": "999999"},
    "nul": {"title": "Budget\x00vote"},
}


def test_the_article_form_as_given_saves(admin_client, parts):
    """The control for the cases below: only their bad field makes them fail."""
    response = admin_client.post("/admin/articles/article/add/", article_form(*parts))

    assert response.status_code == 302
    assert Article.objects.exists()


# Status and publish time change only through the workflow buttons: the form never reads
# them, so malformed values are ignored rather than refused.
IGNORED_ARTICLE_FIELDS = {
    "status": {"status": "live"},
    "publish-time": {"published_at_0": "31/31/2026", "published_at_1": "25:99"},
}


@pytest.mark.parametrize("case", IGNORED_ARTICLE_FIELDS)
def test_article_form_ignores_crafted_workflow_fields(admin_client, parts, case):
    data = article_form(*parts, **IGNORED_ARTICLE_FIELDS[case])
    response = admin_client.post("/admin/articles/article/add/", data)

    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.published_at is None


@pytest.mark.parametrize("case", BAD_ARTICLE_FIELDS)
def test_article_form_refuses_bad_fields_and_keeps_the_text(admin_client, parts, case):
    data = article_form(*parts, **BAD_ARTICLE_FIELDS[case])
    response = admin_client.post("/admin/articles/article/add/", data)
    assert response.status_code in {200, 400}, response.status_code
    assert not Article.objects.exists()
    if response.status_code == 200:
        assertContains(response, "Please correct the error")
        assertContains(response, "The vote came after midnight.")


def test_the_untouched_article_form_saves(admin_client, parts):
    """The baseline the cases above change one field of."""
    response = admin_client.post("/admin/articles/article/add/", article_form(*parts))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Article.objects.exists()


def test_a_body_photo_placed_before_the_story_is_refused(admin_client, parts):
    data = article_form(
        *parts,
        **{
            "body_images-TOTAL_FORMS": "1",
            "body_images-0-image": str(ImageFactory().pk),
            "body_images-0-after_paragraph": "-3",
        },
    )
    response = admin_client.post("/admin/articles/article/add/", data)
    assertContains(response, "Ensure this value is greater than or equal to 0.")
    assert not Article.objects.exists()


def test_a_request_body_beyond_the_upload_limit_is_refused_with_400(admin_client, parts, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 50_000
    data = article_form(*parts, body="<p>" + "word " * 20_000 + "</p>")
    response = admin_client.post("/admin/articles/article/add/", data)
    assert response.status_code == 400
    assert not Article.objects.exists()


def test_a_failed_save_of_an_existing_story_changes_nothing(admin_client, parts):
    section, author = parts
    article = ArticleFactory(section=section, authors=[author], title="Original headline")
    data = article_form(
        section,
        author,
        slug=article.slug,
        title=HUGE,
        opened_version=str(article.version),  # as opened: only the headline is wrong
        **{
            "bylines-INITIAL_FORMS": "0",
        },
    )
    response = admin_client.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.title == "Original headline"


@pytest.mark.parametrize(
    "fields",
    [
        {"username": HUGE, "password": "x"},
        {"username": "editor", "password": HUGE},
        {"username": "editor\x00", "password": "x"},
        {"username": "", "password": ""},
        {"username": "editor", "password": "x", "otp_token": HUGE, "otp_device": "nonsense"},
    ],
)
def test_admin_sign_in_refuses_malformed_fields_calmly(client, editor, fields):
    response = client.post("/admin/login/", fields)
    assert response.status_code in {200, 400}
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("token", [HUGE, "abcdef", "", "12345\x00"])
def test_two_factor_set_up_refuses_malformed_codes(client, editor, token):
    client.force_login(editor)
    response = client.post("/staff/two-factor/", {"token": token})
    assert response.status_code == 400
    assert response.context["form"].errors
