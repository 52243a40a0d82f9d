"""Image files the site derives from editors' uploads."""

from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

SOCIAL_CARD_SIZE = (1200, 630)


def social_card(image_file):
    """A 1200×630 JPEG of `image_file`, centre-cropped, for link previews.

    The photo's EXIF orientation is applied and its metadata (location, camera) left out.
    """
    image_file.open("rb")
    try:
        with Image.open(image_file) as source:
            upright = ImageOps.exif_transpose(source).convert("RGB")
    finally:
        image_file.close()
    card = ImageOps.fit(upright, SOCIAL_CARD_SIZE, Image.Resampling.LANCZOS)
    output = BytesIO()
    card.save(output, "JPEG", quality=82, optimize=True, progressive=True)
    return ContentFile(output.getvalue(), name="social.jpg")
