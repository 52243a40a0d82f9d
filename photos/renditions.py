"""The fixed list of sizes the site shows photos at, and the files made for each.

Nobody can ask the server for any other size: pages print only the files listed in an
image's `renditions` record, made once when the photo is stored (or by the command
`regenerate_renditions` after this list changes). Each size is a WebP file with a JPEG
fallback, never larger than the original, saved through the image field's storage so
that object storage works as well as the local disk.

This module does not import the models: the data migrations call it too.
"""

from io import BytesIO
from pathlib import PurePosixPath
from typing import NamedTuple

from django.core.files.base import ContentFile
from PIL import Image, ImageOps


class Size(NamedTuple):
    name: str
    width: int
    height: int | None  # None: the photo's own proportions, nothing cut off


# Story photos at the photo's proportions, for srcset.
WIDTHS = (320, 640, 960, 1280, 1920)
# Author portraits, square (author cards 96, author page 160, 2× screens 320).
SQUARES = (96, 160, 320)
SOCIAL_CARD = Size("social", 1200, 630)
SIZES = [
    *(Size(f"w{width}", width, None) for width in WIDTHS),
    *(Size(f"square{side}", side, side) for side in SQUARES),
    SOCIAL_CARD,
]
WIDE_NAMES = [size.name for size in SIZES if size.height is None]
SQUARE_NAMES = [size.name for size in SIZES if size.height and size.width == size.height]
# WebP effort 2 of 6: files a few per cent larger, made three times faster.
FORMATS = {"webp": ("WEBP", {"quality": 80, "method": 2}), "jpeg": ("JPEG", {"quality": 82})}
# Resample in two steps (a fast reduction, then Lanczos) for big reductions.
REDUCING_GAP = 3.0
FOLDER = "renditions"
ORIENTATION = 0x0112


def cache_key(name, focal_x, focal_y):
    """What the renditions depend on: when it changes, they are made again."""
    spec = ",".join(f"{size.name}:{size.width}x{size.height}" for size in SIZES)
    return f"{name}|{focal_x:.4f},{focal_y:.4f}|{spec}"


def upright_size(storage, name):
    """The stored photo's (width, height) as readers see it, EXIF rotation applied."""
    with storage.open(name, "rb") as file, Image.open(file) as image:
        width, height = image.size
        orientation = image.getexif().get(ORIENTATION, 1)
    return (height, width) if orientation in {5, 6, 7, 8} else (width, height)


def upright_rgb(storage, name):
    with storage.open(name, "rb") as file, Image.open(file) as source:
        source.seek(0)  # the first frame of an animation
        image = ImageOps.exif_transpose(source)
        if image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info:
            # Transparent areas become white in both formats.
            image = image.convert("RGBA")
            background = Image.new("RGBA", image.size, "white")
            return Image.alpha_composite(background, image).convert("RGB")
        return image.convert("RGB")


def crop_box(width, height, ratio, focal_x, focal_y):
    """The largest box of proportions `ratio` (width / height) inside the photo, centred
    on the focal point as far as the edges allow."""
    box_w, box_h = (
        (width, round(width / ratio))
        if width / height < ratio
        else (
            round(height * ratio),
            height,
        )
    )
    box_w, box_h = min(box_w, width), min(box_h, height)
    left = min(max(round(focal_x * width - box_w / 2), 0), width - box_w)
    top = min(max(round(focal_y * height - box_h / 2), 0), height - box_h)
    return (left, top, left + box_w, top + box_h)


def target_sizes(width, height):
    """(size, output width, output height) for every size this photo gets.

    Nothing is made larger than the original: widths beyond it are left out, crops are no
    larger than the part of the original they cut out, and a size that would come out the
    same as a smaller one of the same shape is not made twice (a small photo may get only
    "w320" and "square96"). The smallest of each shape is always made.
    """
    planned, made = [], set()
    for size in SIZES:
        if size.height is None:
            out_w = min(size.width, width)
            out_h = max(1, round(height * out_w / width))
        else:
            box = crop_box(width, height, size.width / size.height, 0.5, 0.5)
            scale = min(1, (box[2] - box[0]) / size.width)
            out_w = max(1, round(size.width * scale))
            out_h = max(1, round(size.height * scale))
        shape = size.width / size.height if size.height else None
        if (shape, out_w) not in made:
            made.add((shape, out_w))
            planned.append((size, out_w, out_h))
    return planned


def render(image, size, out_w, out_h, focal_x, focal_y):
    box = None
    if size.height is not None:
        box = crop_box(image.width, image.height, size.width / size.height, focal_x, focal_y)
    return image.resize(
        (out_w, out_h), Image.Resampling.LANCZOS, box=box, reducing_gap=REDUCING_GAP
    )


def encode(image, pillow_format, options):
    output = BytesIO()
    # No exif= or xmp= is passed and the image is new: nothing of the original's metadata.
    image.save(output, pillow_format, **options)
    return output.getvalue()


def build_renditions(storage, name, focal_x=0.5, focal_y=0.5):
    """Make every size of the stored photo `name` and return the record to keep:

        {"key": cache_key(...), "sizes": {"w640": {"width": 640, "height": 427,
         "webp": {"name": "renditions/…/w640.webp", "bytes": 41234}, "jpeg": {…}}, …}}

    If anything fails, the files made so far are deleted before the error goes on.
    """
    image = upright_rgb(storage, name)
    folder = PurePosixPath(FOLDER) / PurePosixPath(name).with_suffix("")
    record = {"key": cache_key(name, focal_x, focal_y), "sizes": {}}
    # Largest first: each size is made from the previous one of the same proportions,
    # which is much faster than resampling the original every time and looks the same.
    planned = sorted(target_sizes(image.width, image.height), key=lambda plan: -plan[1])
    previous = {}
    try:
        for size, out_w, out_h in planned:
            shape = size.width / size.height if size.height else None
            if shape in previous:
                picture = previous[shape].resize(
                    (out_w, out_h), Image.Resampling.LANCZOS, reducing_gap=REDUCING_GAP
                )
            else:
                picture = render(image, size, out_w, out_h, focal_x, focal_y)
            previous[shape] = picture
            entry = {"width": out_w, "height": out_h}
            record["sizes"][size.name] = entry
            for kind, (pillow_format, options) in FORMATS.items():
                data = encode(picture, pillow_format, options)
                path = str(folder / f"{size.name}.{kind}")
                entry[kind] = {"name": storage.save(path, ContentFile(data)), "bytes": len(data)}
    except Exception:
        delete_renditions(storage, record)
        raise
    return record


def rendition_names(record):
    for entry in (record or {}).get("sizes", {}).values():
        for kind in FORMATS:
            if kind in entry:
                yield entry[kind]["name"]


def delete_renditions(storage, record):
    for name in rendition_names(record):
        storage.delete(name)
