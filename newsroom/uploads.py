"""Rules shared by every image upload: generated names and a size limit."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.deconstruct import deconstructible

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
