"""Rules shared by every image upload: generated names, size and pixel limits, and
re-encoding without metadata."""

import uuid
import warnings
from io import BytesIO
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from PIL import Image, ImageOps

# Pillow reads more than these, but browsers display only these everywhere.
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".gif"}


@deconstructible
class UploadTo:
    """Store uploads under `<prefix>/<year>/<month>/<random>.<ext>`.

    The uploaded name is never used: it may carry a path, collide with another file or
    reveal a photographer's naming scheme.
    """

    def __init__(self, prefix):
        self.prefix = prefix

    def __call__(self, instance, filename):
        extension = PurePath(filename).suffix.lower()
        if extension not in IMAGE_EXTENSIONS:
            extension = ".img"
        if extension == ".jpeg":
            extension = ".jpg"
        return f"{self.prefix}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other):
        return isinstance(other, UploadTo) and other.prefix == self.prefix


def validate_upload_size(file):
    limit = settings.NEWSROOM_MAX_UPLOAD_BYTES
    if file.size > limit:
        raise ValidationError(
            "This file is %(size)s; the largest accepted upload is %(limit)s.",
            code="file_too_large",
            params={"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
        )


def validate_image_extension(file):
    extension = PurePath(file.name).suffix.lower()
    if extension not in IMAGE_EXTENSIONS:
        allowed = ", ".join(sorted(IMAGE_EXTENSIONS))
        raise ValidationError(
            "Upload a JPEG, PNG, WebP or GIF image (%(allowed)s).",
            code="invalid_extension",
            params={"allowed": allowed},
        )


IMAGE_VALIDATORS = [validate_upload_size, validate_image_extension]


# What a stored photo may be, by the format Pillow finds in the file (never by its name),
# and the extension its stored name gets.
SAFE_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}
SVG_SIGNS = (b"<svg", b"<?xml", b"<!doctype svg")


def refusal(message, code, **params):
    return ValidationError(message, code=code, params=params)


def inspect_image(file):
    """Check an uploaded photo before anything is stored, and return its Pillow format.

    Refused, each with its own message: files over NEWSROOM_MAX_UPLOAD_BYTES, SVG drawings
    (they can carry scripts), anything Pillow cannot read (a renamed document, a corrupt or
    truncated file), formats other than JPEG, PNG, WebP and GIF, images over
    NEWSROOM_MAX_IMAGE_PIXELS (decompression bombs) and animations over
    NEWSROOM_MAX_IMAGE_FRAMES. The pixel limit is checked from the header, before decoding.
    """
    file.seek(0)
    head = file.read(512).lstrip().lower()
    if PurePath(file.name or "").suffix.lower() == ".svg" or head.startswith(SVG_SIGNS):
        raise refusal(
            "SVG drawings are not accepted because they can carry scripts. "
            "Export the drawing as a PNG and upload that.",
            "svg",
        )
    validate_upload_size(file)
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                check_image(image)
                image_format = image.format
                image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise too_many_pixels() from error
    except Exception as error:  # Pillow raises many types for unreadable files
        raise refusal(
            "This file is not a photo the site can read: it is damaged, cut short or not an "
            "image at all. Export it again as JPEG or PNG.",
            "invalid_image",
        ) from error
    finally:
        file.seek(0)
    return image_format


def check_image(image):
    if image.format not in SAFE_FORMATS:
        raise refusal(
            "%(format)s images are not accepted. Upload a JPEG, PNG, WebP or GIF.",
            "unsupported_format",
            format=image.format,
        )
    if image.width * image.height > settings.NEWSROOM_MAX_IMAGE_PIXELS:
        raise too_many_pixels(image.width, image.height)
    frames = getattr(image, "n_frames", 1)
    if frames > settings.NEWSROOM_MAX_IMAGE_FRAMES:
        raise refusal(
            "This animation has %(frames)s frames; at most %(limit)s are accepted.",
            "too_many_frames",
            frames=frames,
            limit=settings.NEWSROOM_MAX_IMAGE_FRAMES,
        )


def too_many_pixels(width=None, height=None):
    limit = settings.NEWSROOM_MAX_IMAGE_PIXELS / 1_000_000
    size = f"{width:,} × {height:,} pixels" if width else "far too many pixels"
    return refusal(
        "This image is %(size)s; the largest accepted is %(limit)s megapixels.",
        "too_many_pixels",
        size=size,
        limit=f"{limit:g}",
    )


def without_metadata(file):
    """The upload re-encoded upright, without EXIF, GPS, XMP or maker notes, as a named
    ContentFile whose extension matches its real format. Call inspect_image() first.

    The colour profile stays: it carries no personal data and keeps colours right.
    GIFs are kept as uploaded (they carry no EXIF) so that animations survive.
    """
    file.seek(0)
    data = file.read()
    with Image.open(BytesIO(data)) as image:
        image_format = image.format
        if image_format == "GIF":
            return ContentFile(data, name=f"photo{SAFE_FORMATS[image_format]}")
        icc_profile = image.info.get("icc_profile")
        clean = ImageOps.exif_transpose(image).copy()
    # Pillow writes EXIF and XMP found in `info` back out; keep only palette transparency.
    clean.info = {key: value for key, value in clean.info.items() if key == "transparency"}
    output = BytesIO()
    options = {"JPEG": {"quality": 92}, "WEBP": {"quality": 90}, "PNG": {"optimize": True}}
    if icc_profile:
        options[image_format]["icc_profile"] = icc_profile
    if image_format == "JPEG" and clean.mode not in {"RGB", "L", "CMYK"}:
        clean = clean.convert("RGB")
    clean.save(output, image_format, **options[image_format])
    return ContentFile(output.getvalue(), name=f"photo{SAFE_FORMATS[image_format]}")
