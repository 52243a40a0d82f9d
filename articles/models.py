import heapq
import math
import re
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import NamedTuple
from urllib.parse import parse_qs, urlsplit

import reversion
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import (
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Window,
)
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django_prose_editor.fields import ProseEditorField, create_sanitizer

from newsroom.concurrency import count_save, forget_version
from newsroom.uploads import IMAGE_VALIDATORS, UploadTo
from photos.models import Image

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
# A start or end tag of the sanitised body (quoted attribute values may hold ">").
TAG = re.compile(r"""<(/?)([a-zA-Z][a-zA-Z0-9]*)(?:[^>"']|"[^"]*"|'[^']*')*>""")
VOID_TAGS = {"br", "hr", "img", "wbr"}


def top_level_blocks(html):
    """Split sanitised body HTML into its top-level elements (paragraphs, headings,
    lists, quotes), so photos can be placed between them."""
    blocks, depth, start = [], 0, 0
    for tag in TAG.finditer(html):
        closing, name = tag.group(1), tag.group(2).lower()
        if name in VOID_TAGS:
            ended = depth == 0
        else:
            depth += -1 if closing else 1
            ended = closing and depth == 0
        if ended:
            blocks.append(html[start : tag.end()])
            start = tag.end()
    if html[start:].strip():
        blocks.append(html[start:])
    return blocks


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


def live_condition(now):
    """The publish rule as a condition: status Published, the publish time has passed and
    so has any embargo. `published()` and `scheduled()` are its two sides."""
    return Q(status=Article.Status.PUBLISHED, published_at__lte=now) & (
        Q(embargo_until__isnull=True) | Q(embargo_until__lte=now)
    )


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What readers may see: published, with a publish time and any embargo passed.

        A story scheduled for later is published with a future time and appears by itself
        when that time comes; no job or command is involved. Evaluated per request. A
        story in the Trash is gone from every public page at once, whatever its status.
        """
        return self.filter(live_condition(timezone.now()), trashed_at__isnull=True)

    def scheduled(self):
        """Released by an editor but not yet visible: the publish time or embargo is ahead."""
        return self.filter(status=Article.Status.PUBLISHED, trashed_at__isnull=True).exclude(
            live_condition(timezone.now())
        )

    def in_state(self, state):
        """Articles in one of Article.State, which adds the clock to the stored status."""
        if state == Article.State.SCHEDULED:
            return self.scheduled()
        if state == Article.State.PUBLISHED:
            return self.published()
        if state == Article.State.TRASHED:
            return self.in_trash()
        return self.filter(status=state, trashed_at__isnull=True)

    def owned_by(self, user):
        """A reporter's own stories: ones they created, or write (a writer byline through
        their linked author profile)."""
        writes = Byline.objects.filter(
            article=OuterRef("pk"), role=Byline.Role.WRITER, author__user=user
        )
        return self.filter(Q(created_by=user) | Exists(writes))

    def not_trashed(self):
        return self.filter(trashed_at__isnull=True)

    def years(self, field_name, bounds=None):
        """The years (1 January, in the current time zone) with a row dated in them: what
        datetimes(field_name, "year") answers, from one probe of an index per year in a
        single query instead of truncating and sorting the date of every row.
        `bounds` is {"first": ..., "last": ...} of the field when already read."""
        if bounds is None:
            bounds = self.aggregate(first=Min(field_name), last=Max(field_name))
        if bounds["first"] is None:
            return []
        zone = timezone.get_current_timezone()
        first, last = (timezone.localtime(bounds[end], zone).year for end in ("first", "last"))
        starts = {year: datetime(year, 1, 1, tzinfo=zone) for year in range(first, last + 2)}
        probes = {
            f"year_{year}": Exists(
                self.filter(**{f"{field_name}__gte": start, f"{field_name}__lt": starts[year + 1]})
            )
            for year, start in starts.items()
            if year <= last
        }
        rows = list(self.order_by().values("pk").annotate(**probes).values(*probes)[:1])
        found = rows[0] if rows else {}  # none if every row went since the bounds were read
        return [start for year, start in starts.items() if found.get(f"year_{year}")]

    def in_trash(self):
        return self.filter(trashed_at__isnull=False)

    def trashed_before(self, moment):
        return self.filter(trashed_at__lt=moment)

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
        """Cards and rows: never the body, which only the story page prints (reading a
        whole story's HTML per card cost the home page 11 of its 64 ms at 100,000
        articles)."""
        return self.select_related("section", "lead_image").defer("body")

    def for_news_feed(self):
        """News Feed items: the few fields an item prints (articles/includes/feed_item.html),
        without the section, photo and text the other lists read."""
        return self.only("id", "title", "slug", "kind", "published_at", "updated_at")

    def for_detail(self):
        # The writers' links feed sameAs in the page's structured data; their photos and
        # the body's photos are printed from their renditions, read with the rows.
        bylines = Byline.objects.select_related("author__photo").prefetch_related("author__links")
        return self.select_related("section", "lead_image").prefetch_related(
            "tags",
            Prefetch("bylines", queryset=bylines),
            Prefetch("body_images", queryset=BodyImage.objects.select_related("image")),
            "corrections",
        )

    def with_bylines(self):
        return self.select_related("section", "lead_image").prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("author"))
        )

    def for_search_results(self):
        """A search result: what it prints (headline, section, type, times, byline), not
        the story's text, which the database reads for the snippet itself."""
        fields = ["title", "slug", "kind", "section", "published_at", "updated_at"]
        return (
            self.select_related("section")
            .only(*fields, "section__name", "section__slug")
            .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("author")))
        )

    def with_lead_photo(self):
        """Stories whose lead photo readers may see (its usage has not expired)."""
        return self.filter(lead_image__in=Image.objects.usable())

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

    def related_to(self, article, *, exclude=(), count=4, pool=1000):
        """The `count` stories most related to `article`, best first, as a list (see
        `rank_related`). `article` must have its tags prefetched."""
        tags = [tag.pk for tag in article.tags.all()]
        story = (article.pk, article.section_id, tags)
        rows = rank_related(story, self.related_pool(pool), exclude=exclude, count=count)
        ids = [row[0] for row in rows]
        found = self.in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]

    def related_pool(self, pool=1000):
        """The `pool` newest stories as "Related" scores and prints them, newest first:
        plain data, so a story page can keep it. Each is [id, section id, publish time as a
        timestamp, [tag ids], headline, slug, kind] (see `pool_story`). Two queries of
        narrow rows: the newest from the feed index, then their links to tags."""
        fields = ["id", "section_id", "published_at", "title", "slug", "kind"]
        newest = list(self.newest_first().values_list(*fields)[:pool])
        links = Article.tags.through.objects.filter(article_id__in=[row[0] for row in newest])
        tags = defaultdict(list)
        for article_id, tag_id in links.values_list("article_id", "tag_id"):
            tags[article_id].append(tag_id)
        return [
            [pk, section, moment.timestamp(), tags[pk], *printed]
            for pk, section, moment, *printed in newest
        ]


def pool_story(row):
    """An unsaved Article from a row of ArticleQuerySet.related_pool, with what a "Related"
    item prints (articles/includes/related_item.html)."""
    pk, section, published, _, title, slug, kind = row
    moment = datetime.fromtimestamp(published, tz=UTC)
    return Article(
        pk=pk, section_id=section, published_at=moment, title=title, slug=slug, kind=kind
    )


def pool_index(pool):
    """Where each section's and tag's stories sit in `pool` (ArticleQuerySet.related_pool):
    {"section:<pk>" or "tag:<pk>": [positions]}, so that ranking reads only the candidates."""
    index = defaultdict(list)
    for position, (_, section, _, tag_ids, *_) in enumerate(pool):
        index[f"section:{section}"].append(position)
        for tag in tag_ids:
            index[f"tag:{tag}"].append(position)
    return dict(index)


def rank_related(story, pool, *, index=None, exclude=(), count=4):
    """The rows of the `count` stories of `pool` (ArticleQuerySet.related_pool) most related
    to `story`, (pk, section pk, [tag pks]), best first. `index` is pool_index(pool), for
    callers that keep it with the pool.

    Each shared tag scores 3, the same section 2, and a story from the last week 2 (last
    month 1), so a fresh story in the section can beat an old one sharing a tag; ties go
    to the newest. Only stories in the section or sharing a tag count. Scoring the pool
    here, from data a page keeps, costs a story page no query; in SQL it was 3 ms.
    """
    story_pk, story_section, story_tags = story
    index = pool_index(pool) if index is None else index
    tags = set(story_tags)
    positions = set(index.get(f"section:{story_section}", ()))
    for tag in tags:
        positions.update(index.get(f"tag:{tag}", ()))
    skip = {story_pk, *exclude}
    now = timezone.now().timestamp()
    week, month = now - 7 * 86400, now - 30 * 86400
    scored = []
    for position in positions:
        row = pool[position]
        pk, section, published, tag_ids, *_ = row
        if pk in skip:
            continue
        shared = len(tags.intersection(tag_ids))
        same_section = section == story_section
        fresh = 2 if published >= week else 1 if published >= month else 0
        scored.append((3 * shared + 2 * same_section + fresh, published, pk, row))
    return [row for *_, row in heapq.nlargest(count, scored)]


# PostgreSQL full-text search (articles/search.py). The columns exist only on PostgreSQL:
# migrations 0003 and 0020 add them there and nowhere else, and the model declares them to
# match, so SQLite keeps a plain table and `makemigrations --check` is clean on both.
FULL_TEXT_SEARCH = connection.vendor == "postgresql"
# The story's own words, weighted: headline A, standfirst B, body C.
STORY_WORDS = (
    SearchVector("title", weight="A", config="english")
    + SearchVector("summary", weight="B", config="english")
    + SearchVector("body", weight="C", config="english")
)
# What is searched: the story's words plus its tag and author names, in one generated
# column, so the database keeps it current on every write, whoever makes it. Names live in
# other tables, which a generated column cannot read, so `search_names` is a plain column
# that services.refresh_search_names() fills after the admin saves bylines and tags; the
# column follows. Stored whole, a search reads each story's document once: joining the
# two for each story scored cost a common word 10 of its 14 ms at 100,000 stories.
SEARCH_WORDS = CombinedExpression(
    STORY_WORDS, "||", F("search_names"), output_field=SearchVectorField()
)
SEARCH_DOCUMENT = F("search_document")
SEARCH_FIELDS = ["search_document", "search_names"] if FULL_TEXT_SEARCH else []


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
        """What is stored. Scheduled is not a status: it is Published with a publish time
        (or embargo) still ahead, so the clock alone makes the story live."""

        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    class State(models.TextChoices):
        """What staff see: the status, with Published split by the clock."""

        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"
        TRASHED = "trashed", "In the Trash"

    class Transition(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        RETURNED = "returned", "Returned to draft"
        PUBLISHED = "published", "Published"
        SCHEDULED = "scheduled", "Scheduled"
        UNSCHEDULED = "unscheduled", "Unscheduled"
        UNPUBLISHED = "unpublished", "Unpublished"

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
    lead_image = models.ForeignKey(
        "photos.Image",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead_articles",
        verbose_name="lead photo",
        help_text="Search the photo library by caption, credit or keyword.",
    )
    lead_image_caption = models.CharField(
        "caption",
        max_length=300,
        blank=True,
        help_text="This story's caption for the photo; leave empty to use the library's.",
    )
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
    status = models.CharField(
        max_length=20,
        choices=Status,
        default=Status.DRAFT,
        help_text="Changes only through the workflow buttons under the form.",
    )
    published_at = models.DateTimeField(
        "publish time",
        null=True,
        blank=True,
        help_text="Goes live when the status is Published and this time has passed. "
        "Set by Publish now or Schedule.",
    )
    embargo_until = models.DateTimeField(
        "embargoed until",
        null=True,
        blank=True,
        help_text="Optional. Before this time the story appears nowhere, not even to a "
        "preview link, whatever its status or publish time.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    submitted_at = models.DateTimeField(
        "submitted for review", null=True, blank=True, editable=False
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="Who last published or scheduled the story.",
    )
    last_transition = models.CharField(
        max_length=20, choices=Transition, blank=True, editable=False
    )
    last_transition_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_transition_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    review_note = models.TextField(
        "editor's note",
        blank=True,
        editable=False,
        help_text="What the editor asked for when returning the story to draft.",
    )
    updated_at = models.DateTimeField(
        "public update time",
        null=True,
        blank=True,
        help_text="Shown to readers as 'Updated'. Set only when the story changed materially.",
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    trashed_at = models.DateTimeField(
        "moved to the Trash",
        null=True,
        blank=True,
        editable=False,
        help_text="Set while the story is in the Trash: it is on no public page, and it is "
        "deleted for good NEWSROOM_TRASH_DAYS later unless an editor restores it.",
    )
    trashed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    version = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Counts saves: a change form opened at an older version cannot overwrite.",
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
    if FULL_TEXT_SEARCH:
        search_names = SearchVectorField(
            default="", editable=False, help_text="Tag names (weight B) and writers (D)."
        )
        search_document = models.GeneratedField(
            expression=SEARCH_WORDS, output_field=SearchVectorField(), db_persist=True
        )

    objects = ArticleManager()

    class Meta:
        ordering = ["-published_at", "-id"]
        permissions = [
            ("publish_article", "Can publish, schedule and unpublish articles"),
            ("review_article", "Can edit any writer's story and return it to draft"),
        ]
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
            # The admin changelist's count of stories outside the Trash, read from this
            # index alone instead of the whole table (10 ms instead of 140 at 100,000).
            # With what published() tests (PostgreSQL; SQLite indexes the key alone), a
            # writer's or a tag's newest stories are found from their links without
            # reading each story: a writer's 491 in 2 ms instead of 23.
            models.Index(
                fields=["id"],
                include=["status", "published_at", "embargo_until"],
                name="article_not_trashed_idx",
                condition=Q(trashed_at__isnull=True),
            ),
            # The page cache's "next moment a story appears" (articles.caching): few rows.
            models.Index(
                fields=["embargo_until"],
                name="article_embargo_idx",
                condition=Q(embargo_until__isnull=False),
            ),
        ]
        if FULL_TEXT_SEARCH:
            indexes += [GinIndex(fields=["search_document"], name="article_search_gin")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self):
        """Mirrors ArticleQuerySet.published() for this one row."""
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and not self.is_embargoed
            and self.trashed_at is None
        )

    @property
    def is_embargoed(self):
        """Under an embargo that has not passed: shown nowhere, not even to preview links."""
        return self.embargo_until is not None and self.embargo_until > timezone.now()

    @property
    def state(self):
        if self.trashed_at is not None:
            return self.State.TRASHED
        if self.status == self.Status.PUBLISHED:
            return self.State.PUBLISHED if self.is_published else self.State.SCHEDULED
        return self.State(self.status)

    @property
    def goes_live_at(self):
        """When a scheduled story appears: the later of its publish time and embargo."""
        times = [time for time in (self.published_at, self.embargo_until) if time is not None]
        return max(times, default=None)

    @property
    def was_returned(self):
        return self.status == self.Status.DRAFT and self.last_transition == self.Transition.RETURNED

    @property
    def reading_minutes(self):
        return max(1, math.ceil(self.word_count / settings.NEWSROOM_WORDS_PER_MINUTE))

    @property
    def shown_lead_image(self):
        """The lead photo if readers may see it; None without one or once its usage has
        expired. Select the lead_image with the story (for_listing, for_detail)."""
        image = self.lead_image
        return image if image is not None and image.is_shown else None

    @property
    def social_card(self):
        """The 1200×630 crop of the lead photo for link previews (smaller if the photo is),
        as {"url", "width", "height"}; None when no lead photo may be shown."""
        image = self.shown_lead_image
        return image.rendition("social") if image else None

    @property
    def lead_caption(self):
        return self.lead_image_caption or (self.lead_image.caption if self.lead_image else "")

    @property
    def body_parts(self):
        """The body as [(html, [body photos after it])]: photos placed after paragraph N
        follow the Nth top-level block (those placed beyond the end close the story).
        Uses the prefetched body_images; photos whose usage expired are left out."""
        blocks = top_level_blocks(self.body) or [""]
        placed = [[] for _ in blocks]
        for use in self.body_images.all():
            if use.image.is_shown:
                placed[min(max(use.after_paragraph, 1), len(blocks)) - 1].append(use)
        return list(zip(blocks, placed, strict=True))

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

    def save(self, *args, **kwargs):
        self.body = sanitize_body(self.body or "")
        self.word_count = len(strip_tags(BLOCK_END.sub(r"\g<0> ", self.body)).split())
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        kwargs["update_fields"] = count_save(self, kwargs.get("update_fields"))
        super().save(*args, **kwargs)
        forget_version(self)


class TrashedArticle(Article):
    """Articles in the Trash, as the admin's Trash lists them (a proxy: the same rows)."""

    class Meta:
        proxy = True
        verbose_name = "article in the Trash"
        verbose_name_plural = "Trash"


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


class CorrectionQuerySet(models.QuerySet):
    def public(self):
        """Corrections readers see: those on stories that are published() now."""
        return self.filter(article__in=Article.objects.published())

    def for_listing(self):
        return self.select_related("article", "article__section")


class Correction(models.Model):
    """A correction or clarification printed at the end of a story, on /corrections/ and in
    its feed, from the moment it is saved. Plain text; never edited silently (audited)."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(
        "correction or clarification",
        max_length=20,
        choices=Kind,
        default=Kind.CORRECTION,
        help_text="Correction: something was wrong. Clarification: it was right but unclear.",
    )
    text = models.TextField(
        max_length=1000,
        help_text="Plain text readers see, e.g. “An earlier version of this story gave the "
        "wrong date for the vote. It was on Tuesday.”",
    )
    created = models.DateTimeField("published at", default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["-created", "-id"], name="correction_newest_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} to “{self.article}”"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#correction-{self.pk}"


class BodyImage(models.Model):
    """A library photo placed inside a story's body, after one of its paragraphs."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="body_images")
    image = models.ForeignKey(
        "photos.Image",
        on_delete=models.PROTECT,
        related_name="body_placements",
        verbose_name="photo",
    )
    after_paragraph = models.PositiveSmallIntegerField(
        default=1,
        help_text="1 puts the photo after the first paragraph (headings, lists and quotes "
        "count as paragraphs); a number past the end puts it at the end.",
    )
    caption = models.CharField(
        max_length=300, blank=True, help_text="Leave empty to use the library's caption."
    )

    class Meta:
        ordering = ["after_paragraph", "id"]
        verbose_name = "body photo"

    def __str__(self):
        return f"{self.image} in {self.article}"

    @property
    def shown_caption(self):
        return self.caption or self.image.caption


class SlugRedirect(models.Model):
    """An address an article used to have; requests for it are sent on permanently."""

    old_slug = models.SlugField(max_length=200, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_slugs")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"{self.old_slug} → {self.article.slug}"


# Every save of a story records a revision with its bylines (see articles/revisions.py). The
# search columns are derived, the Trash is not content, and the save counter and its stamp
# belong to the live row (restoring old values must never restore an old counter).
reversion.register(Byline)
reversion.register(
    Article,
    follow=["bylines"],
    exclude=[*SEARCH_FIELDS, "trashed_at", "trashed_by", "version", "modified_by"],
)


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


# The editorial queues in the admin. Proxies so that each gets its own page, listed on the
# admin index; who may open each is decided in articles/admin.py, so they carry no
# permissions of their own.


class MyStory(Article):
    class Meta:
        proxy = True
        default_permissions = ()
        verbose_name = "my story"
        verbose_name_plural = "my stories"


class ReviewQueueItem(Article):
    class Meta:
        proxy = True
        default_permissions = ()
        verbose_name = "story awaiting review"
        verbose_name_plural = "review queue"


class ScheduledStory(Article):
    class Meta:
        proxy = True
        default_permissions = ()
        verbose_name = "scheduled story"
        verbose_name_plural = "scheduled stories"


def preview_link_expiry():
    return timezone.now() + timedelta(hours=settings.NEWSROOM_PREVIEW_LINK_HOURS)


class PreviewLinkQuerySet(models.QuerySet):
    def active(self):
        """Links that still open their story: not revoked and not yet expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())

    def for_token(self, token):
        """The links the signed `token` names (none or one); BadSignature if it was
        altered or never made by this site."""
        return self.filter(pk=signing.loads(token, salt=PreviewLink.SALT))


class PreviewLink(models.Model):
    """A private address that shows one story, in any state, to someone without a login.

    The address carries this row's id signed with the site's secret key, so it cannot be
    guessed or altered; the row decides whether it still works.
    """

    SALT = "articles.previewlink"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="preview_links")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(
        "expires", default=preview_link_expiry, help_text="After this the link stops working."
    )
    revoked_at = models.DateTimeField("revoked", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self):
        return f"Preview link for {self.article}"

    def get_absolute_url(self):
        return reverse("articles:preview_link", kwargs={"token": self.token})

    @property
    def token(self):
        return signing.dumps(self.pk, salt=self.SALT)

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()

    @property
    def is_active(self):
        return self.revoked_at is None and not self.is_expired

    @property
    def state(self):
        if self.revoked_at is not None:
            return "Revoked"
        return "Expired" if self.is_expired else "Active"


class HomeSlotQuerySet(models.QuerySet):
    def live(self):
        """Slots in their time window whose story readers may see, by position."""
        now = timezone.now()
        return (
            self.filter(Q(starts_at__isnull=True) | Q(starts_at__lte=now))
            .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
            .filter(article__in=Article.objects.published())
            .order_by("position", "-starts_at", "-id")
        )


class HomeSlot(models.Model):
    """An editor's choice for one place at the top of the home page."""

    class Position(models.IntegerChoices):
        LEAD = 1, "Lead story"
        TOP_1 = 2, "Top story 1"
        TOP_2 = 3, "Top story 2"
        TOP_3 = 4, "Top story 3"
        TOP_4 = 5, "Top story 4"

    position = models.PositiveSmallIntegerField(
        choices=Position,
        help_text="A place left without a live choice shows the newest illustrated story.",
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="home_slots")
    starts_at = models.DateTimeField(
        "from", null=True, blank=True, help_text="Optional. Empty: from now."
    )
    ends_at = models.DateTimeField(
        "until", null=True, blank=True, help_text="Optional. Empty: until removed."
    )

    objects = HomeSlotQuerySet.as_manager()

    class Meta:
        verbose_name = "home page slot"
        ordering = ["position", "-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True)
                | Q(ends_at__isnull=True)
                | Q(ends_at__gt=F("starts_at")),
                name="homeslot_ends_after_it_starts",
                violation_error_message="The end must come after the start.",
            ),
        ]

    def __str__(self):
        return f"{self.get_position_display()}: {self.article}"


def breaking_news_expiry():
    return timezone.now() + timedelta(minutes=settings.NEWSROOM_BREAKING_MINUTES)


class BreakingNewsQuerySet(models.QuerySet):
    def live(self):
        """Flags whose time has come and not yet gone, on stories readers may see, newest
        first. Decided at each request, so a flag ends by itself."""
        now = timezone.now()
        return self.filter(
            starts_at__lte=now,
            expires_at__gt=now,
            article__in=Article.objects.published(),
        ).order_by("-starts_at", "-id")


class BreakingNews(models.Model):
    """A story flagged as breaking: the site-wide banner links it until `expires_at`."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="breaking_news")
    starts_at = models.DateTimeField("from", default=timezone.now)
    expires_at = models.DateTimeField(
        "until",
        default=breaking_news_expiry,
        help_text="The banner disappears by itself at this time.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who ended it before its time, if anyone.",
    )

    objects = BreakingNewsQuerySet.as_manager()

    class Meta:
        verbose_name = "breaking news"
        verbose_name_plural = "breaking news"
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                # Equal when ended the moment it started: such a flag is never live.
                condition=Q(expires_at__gte=F("starts_at")),
                name="breakingnews_ends_after_start",
                violation_error_message="Breaking news cannot end before it starts.",
            ),
        ]

    def __str__(self):
        return f"Breaking: {self.article}"

    @property
    def is_live(self):
        now = timezone.now()
        return self.starts_at <= now < self.expires_at and self.article.is_published


def presence_cutoff():
    """An editing session last seen before this time has ended (its page was closed)."""
    return timezone.now() - timedelta(seconds=settings.NEWSROOM_EDITING_PRESENCE_SECONDS)


class EditSessionQuerySet(models.QuerySet):
    def active(self):
        """Sessions whose page sent a heartbeat (or opened) within the presence timeout."""
        return self.filter(last_seen__gte=presence_cutoff())

    def editing(self, article):
        """Who has `article` open and still holds it: active and not taken over."""
        return (
            self.active()
            .filter(article=article, taken_over_at__isnull=True)
            .select_related("user")
            .order_by("started", "id")
        )


class EditSession(models.Model):
    """A member of staff has an article's change form open.

    The page's heartbeat keeps `last_seen` fresh; a session not seen for
    NEWSROOM_EDITING_PRESENCE_SECONDS has ended. Kept in the database so every app server
    sees the same editors. "Take over" marks the other sessions taken over, which their
    next heartbeat and their next save report.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="edit_sessions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    started = models.DateTimeField()
    last_seen = models.DateTimeField()
    taken_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    taken_over_at = models.DateTimeField(null=True)

    objects = EditSessionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="editsession_one_per_user"),
        ]

    def __str__(self):
        return f"{self.user} editing {self.article_id}"


class AutosaveQuerySet(models.QuerySet):
    def of(self, user, article):
        """`user`'s own copy for `article`, or for their unsaved new story when None."""
        if article is None:
            return self.filter(user=user, article__isnull=True)
        return self.filter(user=user, article=article)


class Autosave(models.Model):
    """Text an editor has typed into an article form but not saved: their own copy, stored
    by the page every half minute so a crashed browser loses nothing.

    Never published and never shown to anyone but its owner; the article row is untouched
    until the owner restores the copy into the form and saves. A successful save deletes it.
    """

    # The plain and rich-text fields the page stores; choices and files are not copied.
    FIELDS = [
        "title",
        "slug",
        "summary",
        "body",
        "lead_image_caption",
        "video_url",
    ]

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="autosaves"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)
    saved_at = models.DateTimeField()

    objects = AutosaveQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="autosave_one_per_article"),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(article__isnull=True),
                name="autosave_one_new_story_per_user",
            ),
        ]

    def __str__(self):
        return f"{self.user}'s unsaved copy of {self.article or 'a new story'}"


class StoredStory(models.Model):
    """The parts of a published story's page that every reader gets alike (its head tags,
    structured data and the story itself), rendered once and kept until something they
    show changes: see articles/stories.py."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="stored"
    )
    # The code and templates it was rendered with (stories.render_version()).
    version = models.CharField(max_length=64)
    parts = models.JSONField()
    rendered_at = models.DateTimeField()
    # A photo's licence ending, or the safety limit NEWSROOM_STORED_STORY_TTL.
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "stored stories"

    def __str__(self):
        return f"Stored page parts of article {self.article_id}"


class StoredStoryKey(models.Model):
    """One surrogate key (newsroom/cache.py) a stored story shows, e.g. "author:7": a purge
    of the key forgets the stories that carry it, even after the author, tag or byline
    behind it is gone."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100, db_index=True)

    def __str__(self):
        return f"{self.key} on article {self.article_id}"
