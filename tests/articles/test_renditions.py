"""The 1200×630 link-preview crop derived from each story's lead photo."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import ArticleFactory, image_file

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def opened(field_file):
    field_file.open("rb")
    try:
        image = Image.open(io.BytesIO(field_file.read()))
        image.load()
        return image
    finally:
        field_file.close()


def photo_with_location_turned_on_its_side():
    """A 400×300 JPEG whose EXIF says "rotate 90°" and carries a GPS position."""
    image = Image.new("RGB", (400, 300), "darkgreen")
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif.get_ifd(GPS_IFD)[2] = (50.0, 27.0, 0.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile("field.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.mark.django_db
@pytest.mark.parametrize("size", [(1600, 900), (300, 400), (120, 63)])
def test_every_lead_photo_gets_a_1200_by_630_card(size):
    article = ArticleFactory(lead_image=image_file("lead.jpg", size=size), lead_image_alt="A")

    card = opened(article.social_image)

    assert card.size == (1200, 630)
    assert card.format == "JPEG"
    assert article.social_image.name.startswith("social/")


@pytest.mark.django_db
def test_the_card_is_upright_and_carries_no_location():
    article = ArticleFactory(
        lead_image=photo_with_location_turned_on_its_side(), lead_image_alt="A"
    )

    card = opened(article.social_image)

    assert card.size == (1200, 630)
    exif = card.getexif()
    assert ORIENTATION not in exif
    assert not exif.get_ifd(GPS_IFD)


@pytest.mark.django_db
def test_a_new_lead_photo_makes_a_new_card_and_no_photo_none():
    article = ArticleFactory(lead_image=image_file("one.jpg", size=(800, 600)), lead_image_alt="A")
    first = article.social_image.name

    article.lead_image = image_file("two.jpg", size=(800, 600))
    article.save()
    assert article.social_image.name != first

    article.lead_image = None
    article.save()
    article.refresh_from_db()
    assert not article.social_image
    assert article.social_image_source == ""


@pytest.mark.django_db
def test_saving_without_touching_the_photo_keeps_the_card(django_assert_num_queries):
    article = ArticleFactory(lead_image=image_file("one.jpg", size=(800, 600)), lead_image_alt="A")
    card = article.social_image.name
    article.title = "A corrected headline"

    with django_assert_num_queries(1):  # the UPDATE of the story, nothing more
        article.save()

    assert article.social_image.name == card
