import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django_prose_editor.fields import ProseEditorField, create_sanitizer

from newsroom.concurrency import count_save, forget_version

# What the long-bio editor offers, and therefore the only HTML a long bio may contain: the
# same mapping configures the editor's buttons and the nh3 allow-list applied on save.
LONG_BIO_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "BulletList": True,
    "ListItem": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
}
sanitize_long_bio = create_sanitizer(LONG_BIO_EXTENSIONS)
# Links readers follow from an author page: web addresses only (no ftp:, no javascript:).
validate_web_url = URLValidator(schemes=["http", "https"])


def validate_public_contact(value):
    """An e-mail address, or a web address such as a contact form or a Signal link."""
    if "@" in value and not value.lower().startswith(("http://", "https://")):
        EmailValidator(message="Enter a valid e-mail address or a web address.")(value)
    else:
        try:
            validate_web_url(value)
        except ValidationError as error:
            raise ValidationError(
                "Enter an e-mail address or a web address starting with https://.",
                code="invalid_contact",
            ) from error


class AuthorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_card(self):
        """Everything an author card prints, with the links in one extra query."""
        return self.select_related("photo").prefetch_related("links")

    def for_team(self):
        """Ordered for the "Our team" page: by desk, authors without a desk last, then by
        name, so a template can group them with `regroup` in the one query."""
        return (
            self.select_related("photo")
            .annotate(no_desk=Q(desk=""))
            .order_by("no_desk", "desk", "name")
        )


class Author(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=120, unique=True, help_text="The author page address after /authors/."
    )
    role = models.CharField(
        max_length=120, blank=True, help_text="Job title shown on the card, e.g. Politics Reporter."
    )
    desk = models.CharField(
        "desk or beat",
        max_length=80,
        blank=True,
        help_text="e.g. Politics, Business or Photo Desk. The “Our team” page groups people "
        "by it; leave empty for occasional contributors.",
    )
    pronouns = models.CharField(
        max_length=40, blank=True, help_text="Optional, shown as written, e.g. she/her."
    )
    bio = models.TextField(
        max_length=500,
        blank=True,
        help_text="Two or three plain sentences for the author card under each story.",
    )
    long_bio = ProseEditorField(
        "about",
        extensions=LONG_BIO_EXTENSIONS,
        sanitize=True,
        blank=True,
        help_text="A longer introduction for the author page: background, beat, languages.",
    )
    photo = models.ForeignKey(
        "photos.Image",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="author_photos",
        help_text="A head-and-shoulders portrait from the photo library; it is shown as a "
        "square cropped around the photo's focal point.",
    )
    email = models.EmailField(
        blank=True, help_text="For the newsroom only; never shown on the site."
    )
    public_contact = models.CharField(
        max_length=254,
        blank=True,
        validators=[validate_public_contact],
        help_text="Optional, shown on the author page: an e-mail address or a web address "
        "(e.g. a tips form). Unlike the newsroom e-mail, readers see this.",
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
    version = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Counts saves: a profile form opened at an older version cannot overwrite.",
    )
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="Who made the latest save through an editing form; empty after any other.",
    )

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("authors:detail", kwargs={"slug": self.slug})

    @property
    def is_guest(self):
        """A guest contributor: no login to the newsroom, so readers see "Contributor"."""
        return self.user_id is None

    @property
    def shown_photo(self):
        """The photo if readers may see it (select it with the author: for_card)."""
        photo = self.photo
        return photo if photo is not None and photo.is_shown else None

    @property
    def social_photo(self):
        """The largest square crop of the photo for link previews, or None."""
        photo = self.shown_photo
        return photo.rendition("square320") if photo else None

    @property
    def public_contact_url(self):
        if not self.public_contact:
            return ""
        if self.public_contact.lower().startswith(("http://", "https://")):
            return self.public_contact
        return f"mailto:{self.public_contact}"

    def save(self, *args, **kwargs):
        # The form field sanitises too, but importers, factories and shells do not use it.
        self.long_bio = sanitize_long_bio(self.long_bio or "")
        kwargs["update_fields"] = count_save(self, kwargs.get("update_fields"))
        super().save(*args, **kwargs)
        forget_version(self)


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
        TIKTOK = "tiktok", "TikTok"
        GITHUB = "github", "GitHub"
        SUBSTACK = "substack", "Substack"
        NEWSLETTER = "newsletter", "Newsletter"
        PODCAST = "podcast", "Podcast"
        OTHER = "other", "Elsewhere"

    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.WEBSITE)
    url = models.URLField(
        "address",
        max_length=300,
        validators=[validate_web_url],
        help_text="Full address, https://…",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["author", "url"], name="authorlink_unique_url"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.url}"


# Every save of a profile records a revision with its links (the admin's History).
reversion.register(AuthorLink)
# The save counter and its stamp belong to the live row, never to a version.
reversion.register(Author, follow=["links"], exclude=["version", "modified_by"])


class AuthorSlugRedirect(models.Model):
    """An address an author page used to have (a merged duplicate, a renamed author);
    requests for it are sent on permanently."""

    old_slug = models.SlugField(max_length=120, unique=True)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="old_slugs")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = "author page redirect"

    def __str__(self):
        return f"{self.old_slug} → {self.author.slug}"


class AuthorMerge(models.Model):
    """The record of two duplicate profiles made one (authors.services.merge_authors).

    The removed author no longer exists, so its name and address are kept as text.
    """

    kept = models.ForeignKey(
        Author, on_delete=models.SET_NULL, null=True, related_name="merges", editable=False
    )
    removed_name = models.CharField(max_length=120, editable=False)
    removed_slug = models.SlugField(max_length=120, editable=False)
    moved_bylines = models.PositiveIntegerField(
        default=0, editable=False, help_text="Bylines moved to the kept author."
    )
    shared_articles = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Stories that credited both authors; they now credit the kept one once.",
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    created = models.DateTimeField("merged at", auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = "author merge"

    def __str__(self):
        return f"{self.removed_name} merged into {self.kept or 'a deleted author'}"


class AuthorChange(models.Model):
    """One save of the self-service profile page: who changed which fields, from what to
    what. Profile managers review these and may revert one (services.revert_change)."""

    class Source(models.TextChoices):
        SELF_SERVICE = "self-service", "Self-service page"
        REVERT = "revert", "Revert by a profile manager"

    author = models.ForeignKey(
        Author, on_delete=models.CASCADE, related_name="changes", editable=False
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    created = models.DateTimeField("changed at", auto_now_add=True)
    source = models.CharField(
        max_length=20, choices=Source, default=Source.SELF_SERVICE, editable=False
    )
    changes = models.JSONField(
        default=dict, editable=False, help_text='{"field": [old value, new value], …}'
    )
    reverts = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    reverted_at = models.DateTimeField(null=True, editable=False)
    reverted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = "profile change"

    def __str__(self):
        return f"{self.author}: {', '.join(self.changes)}"

    @property
    def is_reverted(self):
        return self.reverted_at is not None
