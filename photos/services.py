"""Writes to the photo library. Reads live in ImageQuerySet."""

from django.db import transaction

from .models import Image


@transaction.atomic
def add_image(*, file, alt_text, credit, uploaded_by=None, **fields):
    """Store an uploaded photo in the library, without its metadata and with every
    rendition made, and return it. A bad file raises ValidationError; nothing is stored."""
    image = Image(file=file, alt_text=alt_text, credit=credit, uploaded_by=uploaded_by, **fields)
    image.full_clean()
    image.save()
    return image
