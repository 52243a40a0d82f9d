"""Safe uploads: every bad file is refused with its own message and leaves nothing in
storage; good files are stored under generated names without their metadata."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from PIL import Image as Pillow
from pytest_django.asserts import assertContains

from newsroom.uploads import inspect_image
from photos.models import Image
from photos.services import add_image
from tests.photos import corpus

ADD_URL = "/admin/photos/image/add/"
GENERATED = re.compile(r"photos/\d{4}/\d{2}/[0-9a-f]{32}\.(jpg|png|webp|gif)")


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def form_data(upload, **fields):
    return {
        "file": upload,
        "alt_text": "Flood water in the square",
        "caption": "The square on Tuesday.",
        "credit": "Ana Kovac / Photo Desk",
        "focal_x": "0.5",
        "focal_y": "0.5",
        "source": "",
        "licence": "",
        "usage_expires": "",
        "keywords": "flood",
        **fields,
    }


def opened(storage, name):
    with storage.open(name, "rb") as file:
        image = Pillow.open(io.BytesIO(file.read()))
        image.load()
        return image


BAD_UPLOADS = {
    "over the size limit": (
        lambda: corpus.jpeg(size=(200, 200)),
        "the largest accepted upload is 100\xa0bytes",
        "file_too_large",
    ),
    "a decompression bomb": (
        corpus.bomb_png,
        "This image is far too many pixels; the largest accepted is 50 megapixels.",
        "too_many_pixels",
    ),
    "an animation with too many frames": (
        lambda: corpus.animated_gif(101),
        "This animation has 101 frames; at most 100 are accepted.",
        "too_many_frames",
    ),
    "a truncated file": (
        corpus.truncated_jpeg,
        "This file is not a photo the site can read: it is damaged, cut short",
        "invalid_image",
    ),
    "a corrupt file": (
        corpus.corrupt_jpeg,
        "This file is not a photo the site can read",
        "invalid_image",
    ),
    "a document renamed .jpg": (
        corpus.document_renamed_jpg,
        "This file is not a photo the site can read",
        "invalid_image",
    ),
    "an SVG": (corpus.svg, "SVG drawings are not accepted because they can carry scripts.", "svg"),
    "an SVG renamed .jpg": (
        lambda: corpus.svg("logo.jpg"),
        "SVG drawings are not accepted because they can carry scripts.",
        "svg",
    ),
    "an unsupported format": (
        corpus.tiff_renamed_jpg,
        "TIFF images are not accepted. Upload a JPEG, PNG, WebP or GIF.",
        "unsupported_format",
    ),
}


def limits(settings, case):
    if case == "over the size limit":
        settings.NEWSROOM_MAX_UPLOAD_BYTES = 100


@pytest.mark.parametrize("case", BAD_UPLOADS)
def test_each_bad_file_is_refused_with_its_own_reason(settings, case):
    make, message, code = BAD_UPLOADS[case]
    limits(settings, case)

    with pytest.raises(ValidationError) as refused:
        inspect_image(make())

    assert refused.value.code == code
    assert message in refused.value.messages[0]


@pytest.mark.django_db
@pytest.mark.parametrize("case", BAD_UPLOADS)
def test_the_admin_shows_the_reason_and_stores_nothing(editor_client, settings, case):
    make, message, _ = BAD_UPLOADS[case]
    limits(settings, case)

    response = editor_client.post(ADD_URL, form_data(make()))

    assertContains(response, "Please correct the error below.")
    assertContains(response, message.replace("'", "&#x27;"))
    assert not Image.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.django_db
@pytest.mark.parametrize("case", BAD_UPLOADS)
def test_the_service_refuses_bad_files_too_and_stores_nothing(settings, case):
    """Importers and the reporters' profile page store photos through add_image()."""
    make, message, _ = BAD_UPLOADS[case]
    limits(settings, case)

    with pytest.raises(ValidationError) as refused:
        add_image(file=make(), alt_text="A", credit="B")

    assert [message in reason for reason in refused.value.message_dict["file"]] == [True]
    assert not Image.objects.exists()
    assert stored_files(settings) == []


def test_the_pixel_limit_is_a_setting_and_names_the_size(settings):
    settings.NEWSROOM_MAX_IMAGE_PIXELS = 1000

    with pytest.raises(ValidationError) as refused:
        inspect_image(corpus.png(size=(50, 40)))

    assert refused.value.messages == [
        "This image is 50 × 40 pixels; the largest accepted is 0.001 megapixels."
    ]


def test_an_animation_within_the_frame_limit_is_accepted():
    assert inspect_image(corpus.animated_gif(12)) == "GIF"


@pytest.mark.django_db
def test_an_editor_uploads_a_photo_to_the_library(editor_client, editor, settings):
    response = editor_client.post(ADD_URL, form_data(corpus.jpeg(name="../../My Holiday.JPG")))

    assert response.status_code == 302
    image = Image.objects.get()
    assert GENERATED.fullmatch(image.file.name)
    assert "Holiday" not in image.file.name
    assert (image.width, image.height) == (64, 48)
    assert image.uploaded_by == editor
    assert image.uploaded_at is not None
    # The original and every rendition, nothing else.
    assert len(stored_files(settings)) == 1 + 2 * len(image.sizes)


@pytest.mark.django_db
def test_two_uploads_never_overwrite_each_other(settings):
    first = add_image(file=corpus.jpeg(name="same.jpg"), alt_text="A", credit="B")
    second = add_image(file=corpus.jpeg(name="same.jpg", color="red"), alt_text="A", credit="B")

    assert first.file.name != second.file.name
    assert first.sizes["w320"]["jpeg"]["name"] != second.sizes["w320"]["jpeg"]["name"]
    assert opened(first.file.storage, first.file.name).getpixel((1, 1))[2] > 100  # navy


@pytest.mark.django_db
def test_a_png_named_jpg_is_stored_as_the_png_it_is():
    image = add_image(file=corpus.png(name="really-a-png.jpg"), alt_text="A", credit="B")

    assert image.file.name.endswith(".png")


@pytest.mark.django_db
def test_alt_text_and_credit_are_required():
    image = Image(file=corpus.jpeg(), alt_text="", credit="")

    with pytest.raises(ValidationError) as refused:
        image.full_clean()

    assert set(refused.value.message_dict) == {"alt_text", "credit"}


@pytest.mark.django_db
def test_exif_orientation_is_applied_and_location_and_camera_data_are_removed():
    image = add_image(
        file=corpus.photo_with_location_turned_on_its_side(), alt_text="A", credit="B"
    )
    storage = image.file.storage

    original = opened(storage, image.file.name)
    # Turned upright: 300 wide and 400 high, the red corner now at the top right.
    assert original.size == (300, 400) == (image.width, image.height)
    assert original.getpixel((295, 5))[0] > 200
    files = [
        image.file.name,
        *(entry[kind]["name"] for entry in image.sizes.values() for kind in ("webp", "jpeg")),
    ]
    for name in files:
        picture = opened(storage, name)
        exif = picture.getexif()
        assert not exif.get_ifd(corpus.GPS_IFD), name
        assert not exif.get_ifd(corpus.EXIF_IFD), name
        assert corpus.MAKE not in exif and corpus.ORIENTATION not in exif, name
        assert "xmp" not in picture.info, name
        with storage.open(name, "rb") as file:
            assert b"Examplecam" not in file.read(), name
