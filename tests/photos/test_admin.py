"""The photo desk's admin: the library list, its filters and search, where a photo is
used, and the picker editors use in the article and author forms."""

from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, BodyImage
from tests.articles.test_admin import ADD, new_article_data
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    ImageFactory,
    SectionFactory,
    UserFactory,
)

CHANGELIST = "/admin/photos/image/"
PICKER = "/admin/photos/image/picker/"


def today():
    return timezone.localdate()


def listed(response):
    return list(response.context["cl"].result_list)


@pytest.mark.django_db
def test_the_library_lists_photos_with_thumbnails_credit_and_usage(editor_client):
    fresh = ImageFactory(caption="Flood in the square", credit="Ana Kovac / Photo Desk")
    old = ImageFactory(usage_expires=today() - timedelta(days=2), credit="Agency")

    response = editor_client.get(CHANGELIST)

    square = fresh.rendition("square96")["url"]
    assertContains(response, f'<img src="{square}" alt="" width="48" height="48">', html=True)
    assertContains(response, "Ana Kovac / Photo Desk")
    assertContains(response, f"Expired on {old.usage_expires}: not shown on the site")
    assertContains(response, "No expiry")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("term", "found"),
    [("flood", "caption"), ("kovac", "credit"), ("parliament", "keywords")],
)
def test_the_photo_desk_searches_caption_credit_and_keywords(editor_client, term, found):
    photos = {
        "caption": ImageFactory(caption="Flood water in the square"),
        "credit": ImageFactory(credit="Ana Kovac / Photo Desk"),
        "keywords": ImageFactory(keywords="parliament, vote"),
    }

    response = editor_client.get(CHANGELIST, {"q": term})

    assert listed(response) == [photos[found]]


@pytest.mark.django_db
def test_the_usage_filter_finds_expired_and_soon_expiring_photos(editor_client):
    expired = ImageFactory(usage_expires=today() - timedelta(days=1))
    today_last = ImageFactory(usage_expires=today())
    next_week = ImageFactory(usage_expires=today() + timedelta(days=7))
    ImageFactory(usage_expires=today() + timedelta(days=8))
    unlimited = ImageFactory()

    def filtered(value):
        return set(listed(editor_client.get(CHANGELIST, {"usage": value})))

    assert filtered("expired") == {expired}
    assert filtered("expiring") == {today_last, next_week}
    assert filtered("unlimited") == {unlimited}


@pytest.mark.django_db
def test_the_uploader_filter_lists_who_uploaded(editor_client):
    ana = UserFactory(username="ana")
    hers = ImageFactory(uploaded_by=ana)
    ImageFactory()

    response = editor_client.get(CHANGELIST, {"uploaded_by__id__exact": ana.pk})

    assert listed(response) == [hers]
    assertContains(response, "By uploaded by")


@pytest.mark.django_db
def test_the_change_page_shows_where_the_photo_is_used(editor_client):
    photo = ImageFactory()
    lead = ArticleFactory(title="Flood defences hold", lead_image=photo)
    inside = ArticleFactory(title="Rain returns")
    BodyImage.objects.create(article=inside, image=photo)
    author = AuthorFactory(name="Ana Kovac", photo=photo)

    response = editor_client.get(f"{CHANGELIST}{photo.pk}/change/")

    assertContains(
        response, f'<a href="/admin/articles/article/{lead.pk}/change/">Flood defences hold</a>'
    )
    assertContains(response, f'<a href="/admin/articles/article/{inside.pk}/change/">Rain')
    assertContains(response, f'<a href="/admin/authors/author/{author.pk}/change/">Ana Kovac</a>')
    assertContains(response, "(lead photo)")
    assertContains(response, "(in the body)")
    assertContains(response, "(author photo)")
    # The stored file is not swapped from under the stories using it.
    assertNotContains(response, 'name="file"')


@pytest.mark.django_db
def test_the_focal_point_is_edited_on_the_change_page(editor_client):
    photo = ImageFactory()
    page = editor_client.get(f"{CHANGELIST}{photo.pk}/change/")
    assertContains(page, 'name="focal_x"')
    # Clicking the preview sets the two fields (an enhancement; they work without it).
    assertContains(page, 'class="focal-preview"')
    assertContains(page, "/static/js/focal-point.js")
    data = {
        "alt_text": photo.alt_text,
        "caption": photo.caption,
        "credit": photo.credit,
        "focal_x": "0.2",
        "focal_y": "0.7",
        "source": "",
        "licence": "",
        "usage_expires": "",
        "keywords": "",
    }

    response = editor_client.post(f"{CHANGELIST}{photo.pk}/change/", data)

    assert response.status_code == 302
    photo.refresh_from_db()
    assert (photo.focal_x, photo.focal_y) == (0.2, 0.7)
    assert "0.2000,0.7000" in photo.renditions["key"]


@pytest.mark.django_db
def test_a_focal_point_outside_the_photo_is_refused(editor_client):
    photo = ImageFactory()
    data = {"alt_text": "A", "credit": "B", "focal_x": "1.5", "focal_y": "-0.1"}

    response = editor_client.post(f"{CHANGELIST}{photo.pk}/change/", data)

    assertContains(response, "Ensure this value is less than or equal to 1.0.")
    assertContains(response, "Ensure this value is greater than or equal to 0.0.")


# The picker ---------------------------------------------------------------------------


def pick(client, term, field="lead_image", model="article", app="articles"):
    query = {"term": term, "app_label": app, "model_name": model, "field_name": field}
    return client.get(PICKER, query)


@pytest.mark.django_db
def test_the_picker_answers_with_thumbnails_and_credits(reporter_client):
    photo = ImageFactory(caption="Flood water in the square", credit="Ana Kovac")
    ImageFactory(caption="Something else")

    response = pick(reporter_client, "flood")

    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "id": str(photo.pk),
            "text": "Flood water in the square (Ana Kovac)",
            "thumbnail": photo.rendition("square96")["url"],
        }
    ]


@pytest.mark.django_db
def test_the_picker_marks_expired_photos(editor_client):
    ImageFactory(caption="Old flood", usage_expires=today() - timedelta(days=1))

    (result,) = pick(editor_client, "flood").json()["results"]

    assert result["text"].endswith("— usage expired")


@pytest.mark.django_db
def test_the_picker_serves_the_author_photo_field_too(profile_manager_client):
    photo = ImageFactory(keywords="portrait")

    response = pick(
        profile_manager_client, "portrait", field="photo", model="author", app="authors"
    )

    assert [result["id"] for result in response.json()["results"]] == [str(photo.pk)]


@pytest.mark.django_db
def test_the_picker_is_for_signed_in_staff_only(client):
    ImageFactory(caption="Flood")

    response = pick(client, "flood")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_the_article_form_picks_photos_from_the_library(editor_client):
    response = editor_client.get(ADD)

    assertContains(response, 'data-photo-picker="true"', count=2)  # lead photo, body template
    assertContains(response, f'data-ajax--url="{PICKER}"')
    assertContains(response, "/static/js/photo-picker.js")
    # It changes how autocomplete.js starts its widgets, so it must come after it.
    html = response.content.decode()
    assert html.index("/static/admin/js/autocomplete.js") < html.index("/static/js/photo-picker.js")
    assertContains(response, "/static/css/photo-picker.css")
    # No free image addresses: the body editor offers no image button and the form no URL.
    assertNotContains(response, 'name="lead_image_url"')


@pytest.mark.django_db
def test_an_editor_gives_a_story_a_lead_photo_its_own_caption_and_a_body_photo(editor_client):
    lead, inside = ImageFactory(), ImageFactory()
    data = new_article_data(
        editor_client,
        SectionFactory(),
        AuthorFactory(),
        lead_image=str(lead.pk),
        lead_image_caption="Our own caption",
        **{
            "body_images-TOTAL_FORMS": "1",
            "body_images-0-image": str(inside.pk),
            "body_images-0-after_paragraph": "1",
            "body_images-0-caption": "",
        },
    )

    response = editor_client.post(ADD, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get()
    assert article.lead_image == lead
    assert article.lead_caption == "Our own caption"
    assert [use.image for use in article.body_images.all()] == [inside]


@pytest.mark.django_db
def test_a_photo_used_by_a_story_cannot_be_deleted(editor_client):
    photo = ImageFactory()
    ArticleFactory(lead_image=photo, title="Flood defences hold")

    response = editor_client.post(f"{CHANGELIST}{photo.pk}/delete/", {"post": "yes"})

    assertContains(response, "Flood defences hold")
    assert photo.__class__.objects.filter(pk=photo.pk).exists()
