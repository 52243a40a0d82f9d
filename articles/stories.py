"""Story pages: the parts every reader gets alike, rendered once and stored.

A story page is the story itself (headline, standfirst, bylines, photos, body, tags, author
cards), its head tags and structured data, and around them lists that change all day ("More
news", "Related", "More from"). The first part depends only on the story and what it shows,
so `story_parts(article)` renders it without the reader's request, and the store keeps it
in the database (StoredStory), for every story, until something it shows changes:

- a purge of one of its surrogate keys (newsroom/cache.py): the story, its section, tags
  and everyone on it, as the page cache purges them; or "stories", every stored story
  (the publisher details in the structured data). StoredStoryKey remembers each stored
  story's keys, so a purge finds them even after the tag, author or byline is gone;
- a photo on it reaching the end of its licence (expires_at);
- new code or templates (render_version(): the story is rendered again on its next read);
- NEWSROOM_STORED_STORY_TTL, a safety limit.

A story nobody has read since it changed is rendered on its first read and stored then;
`manage.py render_stories` renders every published story ahead (after a deploy or an
import). Addresses are rendered against ORIGIN and completed with the reader's own origin
on the way out, so one stored copy serves every host the site answers on.

With settings.NEWSROOM_STORED_STORIES off every read renders the parts afresh.
"""

import hashlib
import json
import time
from datetime import UTC, timedelta
from functools import cache
from pathlib import Path

import django
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.template.loader import get_template
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from newsroom.cache import keys_purged, purged_after

from .caching import detail_keys, licence_end, shared_fragment
from .models import Article, SiteSettings, StoredStory, StoredStoryKey
from .structured_data import breadcrumbs, news_article

# Stand-in for the reader's scheme and host in stored addresses (.invalid never resolves).
ORIGIN = "http://stored-story.invalid"
# Purging it forgets every stored story.
ALL_STORIES_KEY = "stories"
# The code, templates and static files (whose hashed names it prints) a stored story's
# look depends on, and the settings it prints or counts with. Settings that only change
# how the server runs stay out, so that `render_stories` run with another environment
# (no cache settings in a shell, say) stores copies the server can use.
SOURCES = ["articles", "authors", "photos", "newsroom", "templates", "static"]
PRINTED_SETTINGS = [
    "LANGUAGE_CODE",
    "MEDIA_URL",
    "STATIC_URL",
    "TIME_ZONE",
    "NEWSROOM_LANGUAGE",
    "NEWSROOM_SITE_NAME",
    "NEWSROOM_SITE_TAGLINE",
    "NEWSROOM_WORDS_PER_MINUTE",
]


@cache
def render_version():
    """A digest of the project's Python code, templates and static files and the settings
    that change how a story prints: a deploy that changes any of them renders stored
    stories again."""
    digest = hashlib.sha256(django.get_version().encode())
    for name in PRINTED_SETTINGS:
        digest.update(f"{name}={getattr(settings, name)!r}".encode())
    base = Path(settings.BASE_DIR)
    for folder in SOURCES:
        for path in sorted((base / folder).rglob("*")):
            skipped = {"migrations", "__pycache__"}.intersection(path.relative_to(base).parts)
            if path.is_file() and not skipped:
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def site_settings():
    """SiteSettings.objects.current(), kept until an editor saves them (which purges
    "site" and "stories"): the publisher facts in every story's structured data."""

    def read():
        current = SiteSettings.objects.current()
        return {
            field.attname: field.get_prep_value(getattr(current, field.attname))
            for field in SiteSettings._meta.concrete_fields
        }

    return SiteSettings(**shared_fragment("site-settings", read))


# Rendering ------------------------------------------------------------------------------------


def story_request(article):
    """A reader's request for `article` as nobody in particular, at ORIGIN."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = article.get_absolute_url()
    request.user = AnonymousUser()
    # What build_absolute_uri() puts in front of every path (a cached property).
    request._current_scheme_host = ORIGIN
    return request


def story_parts(article):
    """The parts of `article`'s page that every reader gets alike, as plain data: {"pk", "title",
    "head" (meta tags and structured data), "body" (the <article> element), "section",
    "tags" (pks), "first_writer" ({"pk", "name", "url"} or None), "keys" (what the parts
    show)}. `article` comes from Article.objects.for_detail(). No query beyond those."""
    request = story_request(article)
    context = {
        "article": article,
        "structured_data": [
            news_article(article, site=site_settings(), request=request),
            breadcrumbs(article, request),
        ],
    }
    writers = article.writers
    first = writers and {
        "pk": writers[0].pk,
        "name": writers[0].name,
        "url": writers[0].get_absolute_url(),
    }
    return {
        "pk": article.pk,
        "title": article.title,
        "head": get_template("articles/includes/story_head.html").render(context, request),
        "body": get_template("articles/includes/story.html").render(context, request),
        "section": article.section_id,
        "tags": [tag.pk for tag in article.tags.all()],
        "first_writer": first or None,
        "keys": sorted(shown_keys(article)),
    }


def shown_keys(article):
    """The surrogate keys of what a story's own parts show (its page lists more)."""
    return detail_keys(article) - {"newsfeed"}


def for_reader(parts, request):
    """`parts` with the reader's own scheme and host in every address."""
    origin = request.build_absolute_uri("/").removesuffix("/")
    return parts | {name: parts[name].replace(ORIGIN, origin) for name in ("head", "body")}


def expiry(article, now):
    """When stored parts of `article` rendered `now` must go: the start of the day after the
    last licensed day of a photo they show, or NEWSROOM_STORED_STORY_TTL from now."""
    photos = [article.lead_image, *(use.image for use in article.body_images.all())]
    photos += [writer.photo for writer in article.writers]
    today = timezone.localdate(now)
    days = [photo.usage_expires for photo in photos if photo and photo.usage_expires]
    ends = [licence_end(day) for day in days if day >= today]
    return min([now + timedelta(seconds=settings.NEWSROOM_STORED_STORY_TTL), *ends])


# The store ------------------------------------------------------------------------------------


# What the lookup reads: the copy, and the story's state for Article.is_published.
STATE = ["status", "published_at", "embargo_until", "trashed_at"]
STORED_FIELDS = ["version", "expires_at", "parts", *(f"article__{name}" for name in STATE)]


def stored_parts(slug):
    """The stored parts of the published story at `slug`, or None when there is no such
    story, it is not stored, or its copy is out of date. One query; whether readers may see
    the story is checked on the row it reads (Article.is_published)."""
    with connection.cursor() as cursor:
        cursor.execute(stored_sql(), [slug])
        row = cursor.fetchone()
    if row is None:
        return None
    version, expires_at, parts, status, *times = row
    story = Article(status=status, **dict(zip(STATE[1:], map(db_datetime, times), strict=True)))
    if version != render_version() or db_datetime(expires_at) <= timezone.now():
        return None
    return json.loads(parts) if story.is_published else None


@cache
def stored_sql():
    """The SQL of the lookup by slug, as the ORM writes it, compiled once per process: for a
    query that finds one row by two indexes, building the query and its result cost more
    than running it (1.2 ms against 0.5 ms on PostgreSQL at 100,000 stories)."""
    placeholder = "stored-story-slug"
    rows = StoredStory.objects.filter(article__slug=placeholder).values_list(*STORED_FIELDS)
    sql, params = rows[:1].query.sql_with_params()
    if params != (placeholder,):
        raise ImproperlyConfigured(f"Unexpected parameters for the stored-story query: {params}")
    return sql


def db_datetime(value):
    """A datetime column as a database cursor returns it: aware from PostgreSQL, naive (or
    text) in UTC from SQLite, where Django writes UTC without an offset."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is None or timezone.is_aware(value):
        return value
    return value.replace(tzinfo=UTC)


def store(articles_parts, *, started):
    """Keep each (article, parts) of `articles_parts`, rendered from data read after
    `started` (a time.time()). The copies and their keys are written in one transaction, so
    no copy is ever stored without the keys that purge it. Then the stories that a purge
    reached while they were rendered are taken back: the copies are committed first and
    the purge times read after, and a purge forgets stories after it records its time, so
    one of the two always sees the other."""
    now = timezone.now()
    version = render_version()
    rows = [
        StoredStory(
            article_id=article.pk,
            version=version,
            parts=parts,
            rendered_at=now,
            expires_at=expiry(article, now),
        )
        for article, parts in articles_parts
    ]
    if not rows:
        return
    pks = [row.article_id for row in rows]
    with transaction.atomic():
        StoredStory.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["article"],
            update_fields=["version", "parts", "rendered_at", "expires_at"],
        )
        StoredStoryKey.objects.filter(article_id__in=pks).delete()
        StoredStoryKey.objects.bulk_create(
            StoredStoryKey(article_id=article.pk, key=key)
            for article, parts in articles_parts
            for key in parts["keys"]
        )
    stale = [
        article.pk for article, parts in articles_parts if purged_after(parts["keys"], started)
    ]
    if stale:
        forget(stale)


def forget(articles):
    """Forget the stored stories of `articles` (pks, or a query of them that deleting the
    stories leaves unchanged), then their keys. Only keys of stories no longer stored go:
    a story stored again in between keeps the keys it has just written, so that the next
    purge still finds it."""
    StoredStory.objects.filter(article_id__in=articles).delete()
    keys = StoredStoryKey.objects.filter(article_id__in=articles)
    keys.exclude(article_id__in=StoredStory.objects.values("pk")).delete()


@receiver(keys_purged, dispatch_uid="articles.stored_stories")
def forget_purged_stories(sender, keys, **kwargs):
    """Forget the stored stories that show any of the purged `keys`: two statements for a
    section of 11,000 stories (0.35 s at 100,000 stored), 1 s for `stories`, all of them."""
    if ALL_STORIES_KEY in keys:
        StoredStory.objects.all().delete()
        StoredStoryKey.objects.exclude(article_id__in=StoredStory.objects.values("pk")).delete()
        return
    forget(StoredStoryKey.objects.filter(key__in=keys).values("article_id"))


def render_stories(articles, *, chunk=200, shard=(0, 1), progress=None):
    """Render and store the parts of `articles` (published stories), `chunk` at a time;
    `progress(done, total)` after each chunk. `shard` (k, n) takes the stories whose pk
    leaves k when divided by n, for n processes sharing the work. Returns how many were
    stored."""
    done = 0
    number, count = shard
    pks = articles.order_by("pk").values_list("pk", flat=True)
    pks = [pk for pk in pks if pk % count == number]
    for start in range(0, len(pks), chunk):
        started = time.time()
        batch = Article.objects.for_detail().filter(pk__in=pks[start : start + chunk])
        store([(article, story_parts(article)) for article in batch], started=started)
        done += len(batch)
        if progress is not None:
            progress(done, len(pks))
    return done
