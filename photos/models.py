from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from newsroom.uploads import UploadTo, inspect_image, without_metadata

from . import renditions

FOCAL_RANGE = [MinValueValidator(0.0), MaxValueValidator(1.0)]


class ImageQuerySet(models.QuerySet):
    def usable(self):
        """Photos the site may still show: no usage expiry, or one not yet passed."""
        return self.filter(Q(usage_expires__isnull=True) | Q(usage_expires__gte=today()))

    def expired(self):
        return self.filter(usage_expires__lt=today())

    def expiring_within(self, days):
        """Still usable today, but not after `days` more days."""
        return self.filter(
            usage_expires__gte=today(), usage_expires__lte=today() + timedelta(days=days)
        )


def today():
    return timezone.localdate()


class Image(models.Model):
    """A photo in the library. Stories (lead and body photos) and author profiles point at
    it; pages show only its renditions, never the uploaded file."""

    file = models.ImageField(
        "photo",
        upload_to=UploadTo("photos"),
        help_text="JPEG, PNG, WebP or GIF. Location and camera data are removed on upload.",
    )
    alt_text = models.CharField(
        max_length=250, help_text="What the photo shows, for readers who cannot see it."
    )
    caption = models.CharField(
        "default caption",
        max_length=300,
        blank=True,
        help_text="Used wherever a story does not write its own.",
    )
    credit = models.CharField(
        max_length=150,
        help_text="Printed with the photo wherever it appears, e.g. Jane Doe / Agency.",
    )
    source = models.CharField(
        "source or agency", max_length=150, blank=True, help_text="e.g. Reuters, staff, handout."
    )
    licence = models.TextField(
        "licence note", blank=True, help_text="Terms of use, for the photo desk only."
    )
    usage_expires = models.DateField(
        "usable until",
        null=True,
        blank=True,
        help_text="Last day the licence lets us show the photo. After it, the site stops "
        "showing it everywhere. Leave empty for no limit.",
    )
    focal_x = models.FloatField(
        "focal point across",
        default=0.5,
        validators=FOCAL_RANGE,
        help_text="0 is the left edge, 1 the right; crops keep this point in view.",
    )
    focal_y = models.FloatField(
        "focal point down",
        default=0.5,
        validators=FOCAL_RANGE,
        help_text="0 is the top edge, 1 the bottom.",
    )
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    keywords = models.CharField(
        max_length=300, blank=True, help_text="Words to find the photo by, e.g. parliament, flood."
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    renditions = models.JSONField(
        default=dict,
        editable=False,
        help_text="The files made from the photo: see photos.renditions.build_renditions.",
    )

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = "photo"
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="image_focal_point_inside",
            ),
        ]
        indexes = [models.Index(fields=["usage_expires"], name="image_usage_expires_idx")]

    def __str__(self):
        words = self.caption or self.alt_text
        return f"{Truncator(words).chars(60)} ({self.credit})" if self.credit else words

    def get_absolute_url(self):
        return reverse("admin:photos_image_change", args=[self.pk])

    @property
    def is_expired(self):
        return self.usage_expires is not None and self.usage_expires < today()

    @property
    def sizes(self):
        """{size name: {"width", "height", "webp", "jpeg"}} of the files made so far."""
        return (self.renditions or {}).get("sizes", {})

    @property
    def is_shown(self):
        """Readers may see it: its usage has not expired and its renditions exist."""
        return not self.is_expired and bool(self.sizes)

    def rendition(self, name, kind="jpeg"):
        """One rendition as {"url", "width", "height", "bytes"}, or None if not made."""
        entry = self.sizes.get(name)
        if entry is None:
            return None
        file = entry[kind]
        url = self.file.storage.url(file["name"])
        return {"url": url, "width": entry["width"], "height": entry["height"], **file}

    def largest(self, up_to=1280, kind="jpeg"):
        """The widest story-size rendition no wider than `up_to` pixels."""
        fitting = [
            name
            for name in renditions.WIDE_NAMES
            if name in self.sizes and self.sizes[name]["width"] <= up_to
        ]
        return self.rendition(fitting[-1], kind) if fitting else None

    def clean(self):
        # Every check of a new file (size, format, pixels, frames…) in one place.
        if self.file and not self.file._committed:
            try:
                inspect_image(self.file)
            except ValidationError as error:
                raise ValidationError({"file": error.messages}) from error

    def save(self, *args, **kwargs):
        """Store a new upload without its metadata, then make its renditions. If either
        step fails, the files already written are deleted again."""
        new_file = bool(self.file) and not self.file._committed
        if new_file:
            inspect_image(self.file)
            clean = without_metadata(self.file)
            self.file.save(clean.name, clean, save=False)
        made = False
        try:
            made = self.refresh_renditions(save=False)
            super().save(*args, **kwargs)
        except Exception:
            if made:
                renditions.delete_renditions(self.file.storage, self.renditions)
            if new_file:
                self.file.delete(save=False)
            raise

    def delete(self, *args, **kwargs):
        """Delete the row, then (once the deletion is committed) the original and its
        renditions. Stories and authors using the photo prevent its deletion."""
        storage, name, record = self.file.storage, self.file.name, self.renditions
        result = super().delete(*args, **kwargs)

        def remove_files():
            renditions.delete_renditions(storage, record)
            if name:
                storage.delete(name)

        transaction.on_commit(remove_files)
        return result

    def refresh_renditions(self, *, force=False, save=True):
        """Make the renditions again if the file, the focal point or the list of sizes
        changed since they were made (or always, with `force`)."""
        key = renditions.cache_key(self.file.name, self.focal_x, self.focal_y)
        if not force and self.renditions.get("key") == key:
            return False
        storage = self.file.storage
        old = self.renditions
        self.renditions = renditions.build_renditions(
            storage, self.file.name, self.focal_x, self.focal_y
        )
        self.width, self.height = renditions.upright_size(storage, self.file.name)
        if save:
            super().save(update_fields=["renditions", "width", "height"])
        # Old files go only once the new record is safely stored.
        transaction.on_commit(lambda: renditions.delete_renditions(storage, old))
        return True
