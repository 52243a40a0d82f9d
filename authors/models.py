from django.conf import settings
from django.db import models
from django.urls import reverse

from newsroom.uploads import IMAGE_VALIDATORS, UploadTo


class AuthorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_card(self):
        """Everything an author card prints, with the links in one extra query."""
        return self.prefetch_related("links")


class Author(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=120, unique=True, help_text="The author page address after /authors/."
    )
    role = models.CharField(
        max_length=120, blank=True, help_text="Job title shown on the card, e.g. Politics Reporter."
    )
    bio = models.TextField(
        max_length=500,
        blank=True,
        help_text="Two or three plain sentences for the author card under each story.",
    )
    photo = models.ImageField(
        upload_to=UploadTo("authors"),
        validators=IMAGE_VALIDATORS,
        blank=True,
        width_field="photo_width",
        height_field="photo_height",
        help_text="A head-and-shoulders portrait; it is shown square.",
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    email = models.EmailField(
        blank=True, help_text="For the newsroom only; never shown on the site."
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author",
        help_text="The reporter's login, so they can edit their own profile. "
        "Guest contributors have none.",
    )
    is_active = models.BooleanField(
        "active",
        default=True,
        help_text="Untick for former contributors: their page and archive stay online.",
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("authors:detail", kwargs={"slug": self.slug})


class AuthorLink(models.Model):
    class Kind(models.TextChoices):
        WEBSITE = "website", "Website"
        X = "x", "X"
        BLUESKY = "bluesky", "Bluesky"
        MASTODON = "mastodon", "Mastodon"
        LINKEDIN = "linkedin", "LinkedIn"
        INSTAGRAM = "instagram", "Instagram"
        THREADS = "threads", "Threads"
        FACEBOOK = "facebook", "Facebook"
        YOUTUBE = "youtube", "YouTube"

    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.WEBSITE)
    url = models.URLField("address", max_length=300, help_text="Full address, https://…")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["author", "url"], name="authorlink_unique_url"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.url}"
