import math
import re
from datetime import timedelta
from typing import NamedTuple
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, Value, When, Window
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django_prose_editor.fields import ProseEditorField, create_sanitizer

from newsroom.uploads import IMAGE_VALIDATORS, UploadTo

from .renditions import social_card

# What the body editor offers, and therefore the only HTML a body may contain: the same
# mapping configures the editor's buttons and the nh3 allow-list applied on save.
BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
}
sanitize_body = create_sanitizer(BODY_EXTENSIONS)

# Matched with fullmatch: `$` would also accept an id followed by a newline.
YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
VIMEO_ID = re.compile(r"[0-9]{1,12}")
# The editor writes paragraphs with no space between them; their ends still separate words.
BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote)>|<br>|<hr>")


def video_embed_url(url):
    """The privacy-friendly player address for a YouTube or Vimeo link, or None."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    path = parts.path.strip("/")
    video_id = None
    if host in {"youtube.com", "youtube-nocookie.com"}:
        if path == "watch":
            video_id = parse_qs(parts.query).get("v", [""])[0]
        elif path.startswith(("embed/", "shorts/", "live/")):
            video_id = path.split("/", 1)[1]
        if video_id and YOUTUBE_ID.fullmatch(video_id):
            return f"https://www.youtube-nocookie.com/embed/{video_id}"
    elif host == "youtu.be":
        if YOUTUBE_ID.fullmatch(path):
            return f"https://www.youtube-nocookie.com/embed/{path}"
    elif host in {"vimeo.com", "player.vimeo.com"}:
        video_id = path.removeprefix("video/")
        if VIMEO_ID.fullmatch(video_id):
            return f"https://player.vimeo.com/video/{video_id}"
    return None


def validate_video_url(url):
    if video_embed_url(url) is None:
        raise ValidationError(
            "Paste a YouTube or Vimeo video address, e.g. https://www.youtube.com/watch?v=…",
            code="unsupported_video",
        )


class Section(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(
        blank=True, help_text="One or two sentences for the section page."
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order in the site navigation and on the home page; lowest first."
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug})


class Tag(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"slug": self.slug})


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What readers may see: published, with a publish time that has already passed.

        A story scheduled for later is published with a future time and appears by itself
        when that time comes; no job or command is involved.
        """
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def newest_first(self):
        return self.order_by("-published_at", "-id")

    def before(self, published_at, pk):
        """Keyset page: everything strictly older than the item (published_at, pk)."""
        # The redundant upper bound lets the database walk the feed index from the cursor
        # instead of reading and discarding everything newer.
        return self.filter(
            Q(published_at__lt=published_at) | Q(published_at=published_at, pk__lt=pk),
            published_at__lte=published_at,
        )

    def for_listing(self):
        return self.select_related("section")

    def for_detail(self):
        # The writers' links feed sameAs in the page's structured data.
        bylines = Byline.objects.select_related("author").prefetch_related("author__links")
        return self.select_related("section").prefetch_related(
            "tags", Prefetch("bylines", queryset=bylines)
        )

    def with_bylines(self):
        return self.select_related("section").prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("author"))
        )

    def for_feed(self):
        return self.with_bylines().prefetch_related("tags")

    def latest_per_section(self, count, pool=1000):
        """Up to `count` of the newest articles of each section, in one query.

        Ranked within the `pool` newest articles only, read from the feed index, so the
        cost does not grow with the archive; a section with nothing among them is left out.
        """
        newest = self.newest_first().values("pk")[:pool]
        rank = Window(
            RowNumber(),
            partition_by=F("section_id"),
            order_by=[F("published_at").desc(), F("id").desc()],
        )
        return (
            self.filter(pk__in=newest).annotate(section_rank=rank).filter(section_rank__lte=count)
        )

    def by_author(self, author):
        return self.filter(bylines__author=author)

    def related_to(self, article, *, exclude=(), pool=1000):
        """Stories sharing tags or the section with `article`, best first, in one query.

        Each shared tag scores 3, the same section 2, and a story from the last week 2
        (last month 1), so a fresh story in the section can beat an old one sharing a
        tag; ties go to the newest. `article` must have its tags prefetched. Only the
        `pool` newest stories are scored, read from the feed index, so the cost does not
        grow with the archive.
        """
        newest = self.newest_first().values("pk")[:pool]
        tag_ids = [tag.pk for tag in article.tags.all()]
        now = timezone.now()
        shared_tags = (
            Count("tags", filter=Q(tags__in=tag_ids), distinct=True) if tag_ids else Value(0)
        )
        same_section = Case(
            When(section_id=article.section_id, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        recency = Case(
            When(published_at__gte=now - timedelta(days=7), then=Value(2)),
            When(published_at__gte=now - timedelta(days=30), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        return (
            self.filter(pk__in=newest)
            .filter(Q(section_id=article.section_id) | Q(tags__in=tag_ids))
            .exclude(pk__in=[article.pk, *exclude])
            .annotate(shared_tags=shared_tags, same_section=same_section, recency=recency)
            .annotate(relatedness=3 * F("shared_tags") + 2 * F("same_section") + F("recency"))
            .order_by("-relatedness", "-published_at", "-id")
        )


# PostgreSQL full-text search (articles/search.py). The columns exist only on PostgreSQL:
# migration 0003 adds them there and nowhere else, and the model declares them to match,
# so SQLite keeps a plain table and `makemigrations --check` is clean on both.
FULL_TEXT_SEARCH = connection.vendor == "postgresql"
# The story's own words, weighted: headline A, standfirst B, body C. A generated column,
# so the database keeps it current on every write, whoever makes it.
STORY_WORDS = (
    SearchVector("title", weight="A", config="english")
    + SearchVector("summary", weight="B", config="english")
    + SearchVector("body", weight="C", config="english")
)
# What is searched: the story's words plus its tag and author names. Names live in other
# tables, which a generated column cannot read, so `search_names` is a plain column that
# services.refresh_search_names() fills after the admin saves bylines and tags. The GIN
# index is on this very expression, so searches use it.
SEARCH_DOCUMENT = CombinedExpression(
    F("search_vector"), "||", F("search_names"), output_field=SearchVectorField()
)
SEARCH_FIELDS = ["search_vector", "search_names"] if FULL_TEXT_SEARCH else []


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    def get_queryset(self):
        queryset = super().get_queryset()
        # The search columns are large and only searches read them, through expressions.
        return queryset.defer(*SEARCH_FIELDS) if SEARCH_FIELDS else queryset


class Article(models.Model):
    class Kind(models.TextChoices):
        NEWS = "news", "News"
        STORY = "story", "Story"
        ANALYSIS = "analysis", "Analysis"
        OPINION = "opinion", "Opinion"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField("headline", max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The story's address after /news/. Changing it leaves a redirect behind.",
    )
    kind = models.CharField(
        max_length=20,
        choices=Kind,
        default=Kind.NEWS,
        help_text="News for short feed items; the other kinds are labelled for readers.",
    )
    summary = models.TextField(
        "standfirst",
        max_length=400,
        blank=True,
        help_text="One or two plain sentences under the headline.",
    )
    body = ProseEditorField(extensions=BODY_EXTENSIONS, sanitize=True, blank=True)
    word_count = models.PositiveIntegerField(default=0, editable=False)
    lead_image = models.ImageField(
        upload_to=UploadTo("articles"),
        validators=IMAGE_VALIDATORS,
        blank=True,
        width_field="lead_image_width",
        height_field="lead_image_height",
    )
    lead_image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    lead_image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    lead_image_alt = models.CharField(
        "alt text",
        max_length=250,
        blank=True,
        help_text="What the photo shows, for readers who cannot see it.",
    )
    lead_image_caption = models.CharField("caption", max_length=300, blank=True)
    lead_image_credit = models.CharField(
        "photo credit", max_length=150, blank=True, help_text="e.g. Jane Doe / Agency"
    )
    social_image = models.ImageField(
        upload_to=UploadTo("social"),
        blank=True,
        editable=False,
        help_text="The 1200×630 crop of the lead photo that link previews show.",
    )
    social_image_source = models.CharField(max_length=200, blank=True, editable=False)
    video_url = models.URLField(
        "video",
        blank=True,
        validators=[validate_video_url],
        help_text="A YouTube or Vimeo address. Readers load the player with a click.",
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    authors = models.ManyToManyField(
        "authors.Author", through="Byline", related_name="articles", blank=True
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "publish time",
        null=True,
        blank=True,
        help_text="Goes live when the status is Published and this time has passed. "
        "Leave empty to publish now; set a future time to schedule.",
    )
    embargo_until = models.DateTimeField(
        "embargoed until",
        null=True,
        blank=True,
        help_text="Optional. Before this time the story appears nowhere, not even to a "
        "preview link, whatever its status or publish time.",
    )
    updated_at = models.DateTimeField(
        "public update time",
        null=True,
        blank=True,
        help_text="Shown to readers as 'Updated'. Set only when the story changed materially.",
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    if FULL_TEXT_SEARCH:
        search_vector = models.GeneratedField(
            expression=STORY_WORDS, output_field=SearchVectorField(), db_persist=True
        )
        search_names = SearchVectorField(
            default="", editable=False, help_text="Tag names (weight B) and writers (D)."
        )

    objects = ArticleManager()

    class Meta:
        ordering = ["-published_at", "-id"]
        permissions = [("publish_article", "Can publish, schedule and unpublish articles")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at", "-id"], name="article_feed_idx"),
            # The section page in its full order, so it reads 20 rows however big the section.
            models.Index(
                fields=["section", "status", "-published_at", "-id"],
                name="article_section_feed_idx",
            ),
            # The admin's default order, whatever the status.
            models.Index(fields=["-published_at", "-id"], name="article_admin_order_idx"),
            # The page cache's "next moment a story appears" (articles.caching): few rows.
            models.Index(
                fields=["embargo_until"],
                name="article_embargo_idx",
                condition=Q(embargo_until__isnull=False),
            ),
        ]
        if FULL_TEXT_SEARCH:
            indexes += [GinIndex(SEARCH_DOCUMENT, name="article_search_gin")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def reading_minutes(self):
        return max(1, math.ceil(self.word_count / settings.NEWSROOM_WORDS_PER_MINUTE))

    @property
    def video_embed_url(self):
        return video_embed_url(self.video_url) if self.video_url else None

    @property
    def video_provider(self):
        embed = self.video_embed_url or ""
        return "Vimeo" if "vimeo" in embed else "YouTube"

    @property
    def writers(self):
        """The authors with the writer role, in byline order: the byline, the author cards,
        feeds and structured data all read this. Uses the prefetched bylines when present."""
        writer = Byline.Role.WRITER
        return [byline.author for byline in self.bylines.all() if byline.role == writer]

    @property
    def credits(self):
        """Everyone else on the story, one line per role in Byline.Role order, e.g.
        Credit("Photos by", [author, …]). Uses the prefetched bylines when present."""
        by_role = {}
        for byline in self.bylines.all():
            if byline.role != Byline.Role.WRITER:
                by_role.setdefault(byline.role, []).append(byline.author)
        return [
            Credit(Byline.CREDIT_LINES[role], by_role[role])
            for role in Byline.Role
            if role in by_role
        ]

    def clean(self):
        # "Leave empty to publish now": filled here too, because forms check the
        # published-has-a-date constraint before save() would fill it.
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if self.lead_image and not self.lead_image_alt:
            raise ValidationError({"lead_image_alt": "Describe the photo for screen readers."})

    def save(self, *args, **kwargs):
        self.body = sanitize_body(self.body or "")
        self.word_count = len(strip_tags(BLOCK_END.sub(r"\g<0> ", self.body)).split())
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)
        # After saving: only then does a newly uploaded lead photo have its stored name.
        if self.social_image_source != (self.lead_image.name or ""):
            self.refresh_social_image()

    def refresh_social_image(self):
        """Derive the link-preview crop from the current lead photo (or drop it)."""
        self.social_image = None
        if self.lead_image:
            self.social_image.save("social.jpg", social_card(self.lead_image), save=False)
        self.social_image_source = self.lead_image.name or ""
        super().save(update_fields=["social_image", "social_image_source"])


class Credit(NamedTuple):
    phrase: str
    authors: list


class Byline(models.Model):
    class Role(models.TextChoices):
        WRITER = "writer", "Writer"
        ADDITIONAL_REPORTING = "additional-reporting", "Additional reporting"
        PHOTOGRAPHER = "photographer", "Photographer"
        VIDEO = "video", "Video"
        ILLUSTRATOR = "illustrator", "Illustrator"
        TRANSLATOR = "translator", "Translator"
        EDITOR = "editor", "Editor"

    # How readers see each role other than writer, under the byline: "Photos by Ana Kovac."
    CREDIT_LINES = {
        Role.ADDITIONAL_REPORTING: "Additional reporting by",
        Role.PHOTOGRAPHER: "Photos by",
        Role.VIDEO: "Video by",
        Role.ILLUSTRATOR: "Illustrations by",
        Role.TRANSLATOR: "Translated by",
        Role.EDITOR: "Edited by",
    }

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey("authors.Author", on_delete=models.PROTECT, related_name="bylines")
    role = models.CharField(
        max_length=30,
        choices=Role,
        default=Role.WRITER,
        help_text="Writers form the byline; the others are credited under it.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_unique_author"),
        ]

    def __str__(self):
        return f"{self.author} on {self.article}"


class SlugRedirect(models.Model):
    """An address an article used to have; requests for it are sent on permanently."""

    old_slug = models.SlugField(max_length=200, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_slugs")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"{self.old_slug} → {self.article.slug}"


class SiteSettingsQuerySet(models.QuerySet):
    def current(self):
        """The one row of site settings, or unsaved defaults before an editor saves any."""
        return self.filter(pk=SiteSettings.SINGLETON_ID).first() or SiteSettings()


class SiteSettings(models.Model):
    """Facts about the publisher that search engines and aggregators read from every story.

    One row only: saving always writes row 1.
    """

    SINGLETON_ID = 1

    logo = models.ImageField(
        upload_to=UploadTo("site"),
        validators=IMAGE_VALIDATORS,
        blank=True,
        help_text="The publisher logo for search engines: PNG or JPEG, at most 600×60 pixels "
        "works everywhere. Without one, the site's default logo is used.",
    )
    publishing_principles_url = models.URLField(
        "publishing principles",
        blank=True,
        help_text="Address of the page describing the newsroom's editorial standards.",
    )
    corrections_policy_url = models.URLField(
        "corrections policy", blank=True, help_text="How readers report errors and how we fix them."
    )
    ethics_policy_url = models.URLField("ethics policy", blank=True)
    masthead_url = models.URLField(
        "masthead", blank=True, help_text="The page listing the editors and who is responsible."
    )
    ownership_funding_url = models.URLField(
        "ownership and funding", blank=True, help_text="Who owns and funds the publication."
    )
    modified = models.DateTimeField(auto_now=True)

    objects = SiteSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = "site settings"
        verbose_name_plural = "site settings"
        constraints = [models.CheckConstraint(condition=Q(id=1), name="sitesettings_single_row")]

    def __str__(self):
        return "Site settings"

    def save(self, *args, **kwargs):
        self.pk = self.SINGLETON_ID
        super().save(*args, **kwargs)
