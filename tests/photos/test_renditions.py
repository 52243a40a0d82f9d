"""Renditions: a fixed list of sizes in WebP and JPEG, cropped around the focal point,
never larger than the original, made once and recorded on the photo."""

import io
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from PIL import Image as Pillow

from photos.models import Image
from photos.renditions import SIZES
from photos.services import add_image
from tests.factories import ImageFactory
from tests.photos import corpus

ALLOWED = {size.name for size in SIZES}


def opened(image, name, kind="jpeg"):
    with image.file.storage.open(image.sizes[name][kind]["name"], "rb") as file:
        picture = Pillow.open(io.BytesIO(file.read()))
        picture.load()
        return picture


def stored(settings, folder="renditions"):
    return sorted(path for path in (settings.MEDIA_ROOT / folder).rglob("*") if path.is_file())


def is_red(pixel):
    red, green, blue = pixel[:3]
    return red > 200 and green < 60 and blue < 60


@pytest.mark.django_db
def test_a_large_photo_gets_every_size_on_the_list_in_webp_and_jpeg():
    image = ImageFactory(file=corpus.jpeg(size=(2400, 1600)))

    assert set(image.sizes) == ALLOWED
    for size in SIZES:
        entry = image.sizes[size.name]
        expected_height = size.height or round(1600 * size.width / 2400)
        assert (entry["width"], entry["height"]) == (size.width, expected_height)
        assert opened(image, size.name, "webp").format == "WEBP"
        assert opened(image, size.name, "jpeg").format == "JPEG"
        assert opened(image, size.name).size == (entry["width"], entry["height"])


@pytest.mark.django_db
def test_nothing_is_made_larger_than_the_original():
    image = ImageFactory(file=corpus.jpeg(size=(700, 350)))

    # 320 and 640 as listed, then the original's own 700 pixels in the next slot; the
    # larger slots would only repeat it, so they are not made.
    widths = {name: entry["width"] for name, entry in image.sizes.items() if name[0] == "w"}
    assert widths == {"w320": 320, "w640": 640, "w960": 700}
    squares = {name: entry["width"] for name, entry in image.sizes.items() if "square" in name}
    assert squares == {"square96": 96, "square160": 160, "square320": 320}
    assert (image.sizes["social"]["width"], image.sizes["social"]["height"]) == (667, 350)


@pytest.mark.django_db
def test_a_tiny_photo_gets_one_of_each_shape_at_its_own_size():
    image = ImageFactory(file=corpus.png(size=(40, 30)))

    assert {name: (e["width"], e["height"]) for name, e in image.sizes.items()} == {
        "w320": (40, 30),
        "square96": (30, 30),
        "social": (40, 21),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("focal_x", "red_expected"), [(0.1, True), (0.9, False)])
def test_crops_keep_the_focal_point_in_view(focal_x, red_expected):
    image = add_image(file=corpus.red_at_the_left(), alt_text="A", credit="B", focal_x=focal_x)

    square = opened(image, "square96")
    centre = square.getpixel((48, 48))

    assert is_red(centre) is red_expected
    # The story sizes are never cropped: the red quarter is always at the left.
    assert is_red(opened(image, "w320").getpixel((10, 40)))


@pytest.mark.django_db
def test_moving_the_focal_point_remakes_the_crops_and_removes_the_old_files(
    settings, django_capture_on_commit_callbacks
):
    image = add_image(file=corpus.red_at_the_left(), alt_text="A", credit="B", focal_x=0.9)
    old_files = stored(settings)
    assert not is_red(opened(image, "square96").getpixel((48, 48)))

    image.focal_x = 0.1
    with django_capture_on_commit_callbacks(execute=True):
        image.save()

    assert is_red(opened(image, "square96").getpixel((48, 48)))
    assert len(stored(settings)) == len(old_files)
    assert not set(old_files) & set(stored(settings))


@pytest.mark.django_db
def test_saving_without_changes_makes_nothing_again(django_assert_num_queries):
    image = ImageFactory()
    record = image.renditions
    image.caption = "A corrected caption"

    # 1. the UPDATE of the photo  2-3. the stories and writers it shows on, whose pages
    # are purged (articles.services.purge_pages_showing_photo); no rendition made again.
    with django_assert_num_queries(3):
        image.save()

    assert image.renditions == record


@pytest.mark.django_db
def test_only_listed_sizes_exist_in_storage(settings):
    image = ImageFactory(file=corpus.jpeg(size=(2000, 1000)))

    names = {path.name for path in stored(settings)}

    assert names == {f"{size.name}.{kind}" for size in SIZES for kind in ("webp", "jpeg")}
    assert all(entry["jpeg"]["bytes"] > 0 for entry in image.sizes.values())


def rendition_names(image):
    return [entry[kind]["name"] for entry in image.sizes.values() for kind in ("webp", "jpeg")]


def url_routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from url_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def test_no_address_lets_anyone_ask_for_a_size():
    routes = list(url_routes(get_resolver().url_patterns))

    assert routes  # the walk found the site's addresses
    sized = [route for route in routes if re.search(r"width|height|size|<int:w|<int:h", route)]
    assert sized == []


@pytest.mark.django_db
def test_regenerate_renditions_reports_progress_and_remakes_the_files(
    settings, django_capture_on_commit_callbacks
):
    ImageFactory.create_batch(4)
    before = stored(settings)
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("regenerate_renditions", "--all", stdout=out)

    output = out.getvalue()
    for number, percent in [(1, 25), (2, 50), (3, 75), (4, 100)]:
        assert f"{number}/4 ({percent}%)" in output
    assert "Renditions made for 4 of 4 photos." in output
    # New files recorded, the old ones gone.
    after = stored(settings)
    assert len(after) == len(before)
    assert not set(before) & set(after)
    recorded = {name for image in Image.objects.all() for name in rendition_names(image)}
    assert recorded == {str(path.relative_to(settings.MEDIA_ROOT)) for path in after}


@pytest.mark.django_db
def test_regenerate_renditions_skips_up_to_date_photos_unless_asked():
    ImageFactory.create_batch(2)
    out = StringIO()

    call_command("regenerate_renditions", stdout=out)

    assert "2/2 (100%)" in out.getvalue()
    assert "Renditions made for 0 of 2 photos." in out.getvalue()


@pytest.mark.django_db
def test_regenerate_renditions_reports_a_missing_file_and_carries_on(settings):
    broken, fine = ImageFactory.create_batch(2)
    (settings.MEDIA_ROOT / broken.file.name).unlink()
    Image.objects.update(renditions={})
    out, err = StringIO(), StringIO()

    call_command("regenerate_renditions", stdout=out, stderr=err)

    assert f"photo {broken.pk}" in err.getvalue()
    assert "Renditions made for 1 of 2 photos; 1 could not be read." in out.getvalue()
    assert Image.objects.get(pk=fine.pk).sizes
