"""Which cached pages show an article, and when a story may appear by itself.

Surrogate keys of the public pages (newsroom/cache.py explains the mechanism):

    article:<pk>   the article's own page, and every page listing it
    section:<pk>   the section page and its feeds
    tag:<pk>       the tag page and its feeds
    author:<pk>    the author page and its feeds
    home           the home page
    newsfeed       the News Feed (every batch), the site feeds, and every article page
                   (its "More news" list is the head of the News Feed)
    sitemaps       the sitemap index and every sitemap
    feeds          every RSS and Atom feed (not purged by article events; for operators)
    stories        every story's stored parts (articles/stories.py; the publisher details)
    site           every cached page (newsroom/cache.py). Stored story parts do not carry
                   it: a change that reaches them purges the specific keys too, so that the
                   breaking-news banner, say, does not make 100,000 stories render again

Writers of article services call `purge_article(article)` inside their transaction after the
change. A change that can take the article off a section, tag or author (a save of the
form, a deletion) reads `article_keys(article)` before it and passes them as `also=`, so the
pages it used to be on are purged too.
"""

import time
from datetime import datetime, timedelta
from datetime import time as dt_time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Min, Q
from django.template.loader import render_to_string
from django.utils import timezone

from newsroom.cache import fragment, fragments, purge_keys, tag_response
from photos.models import Image

from .models import Article, BreakingNews, Byline, HomeSlot

# Pages that list the newest stories: any article event may change them.
LIST_KEYS = {"home", "newsfeed", "sitemaps"}
NEXT_CHANGE = "pagecache:next-visibility-change"
# How long the next scheduled time is trusted before it is read again. purge_article
# forgets it at once, so this only bounds writes that bypass the services.
NEXT_CHANGE_LIFETIME = 60


def story_keys(articles):
    return {f"article:{article.pk}" for article in articles}


def tag_feed_batch(response, batch, cursor, keys):
    """Tag a page of News Feed items with `keys` and the keys of its stories. A page after
    a made-up cursor is left untagged, so it is never cached: made-up cursors cannot fill
    the cache."""
    if settings.NEWSROOM_PAGE_CACHE and cursor and not cursor.names_a_story():
        return response
    return tag_response(response, {*keys, *story_keys(batch.items)})


def detail_keys(article):
    """The keys of an article page: the story, its section, tags and everyone on it.
    `article` comes from for_detail(), so this reads only prefetched rows."""
    return {
        f"article:{article.pk}",
        f"section:{article.section_id}",
        *(f"tag:{tag.pk}" for tag in article.tags.all()),
        *(f"author:{byline.author_id}" for byline in article.bylines.all()),
        "newsfeed",
    }


def article_keys(article):
    """The keys of every page that shows `article` as the database has it now (two
    queries: its tags and its byline)."""
    tags = article.tags.values_list("pk", flat=True)
    authors = Byline.objects.filter(article=article).values_list("author_id", flat=True)
    return {
        *LIST_KEYS,
        f"article:{article.pk}",
        f"section:{article.section_id}",
        *(f"tag:{pk}" for pk in tags),
        *(f"author:{pk}" for pk in authors),
    }


def purge_article(article, *, also=()):
    """Purge every page that shows `article` (and the keys in `also`) once the transaction
    commits, and re-read the next scheduled time: the change may have scheduled a story."""
    purge_pages(article_keys(article) | set(also))


def purge_pages(keys):
    """Purge `keys` once the transaction commits, and re-read the next moment a page changes
    by itself: the change may have added or moved one (a schedule, a slot, a banner's end)."""
    purge_keys(keys)
    transaction.on_commit(forget_next_visibility_change)


def upcoming_stories(moment):
    """Published stories with a publish time or an embargo end after `moment`: the stories
    that will appear without anyone saving them. A status that goes live by the clock (a
    "scheduled" status, say) belongs in this filter too."""
    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    return published.filter(Q(published_at__gt=moment) | Q(embargo_until__gt=moment))


def upcoming_page_changes(moment):
    """The next start or end of an editor's home-page slot and of a breaking-news banner
    (on every page), and the next end of a photo's licence (pages stop showing it from the
    next day): times at which cached pages change without any write. Three queries."""
    slots = HomeSlot.objects.aggregate(
        slot_starts=Min("starts_at", filter=Q(starts_at__gt=moment)),
        slot_ends=Min("ends_at", filter=Q(ends_at__gt=moment)),
    )
    banners = BreakingNews.objects.aggregate(
        banner_starts=Min("starts_at", filter=Q(starts_at__gt=moment)),
        banner_ends=Min("expires_at", filter=Q(expires_at__gt=moment)),
    )
    return slots | banners | {"licence_ends": next_licence_end(moment)}


def next_licence_end(moment):
    """The moment the next photo licence ends, or None: the start of the local day after
    its last day (photos.models.Image.is_expired), read from the expiry date index."""
    today = timezone.localdate(moment)
    last_day = Image.objects.filter(usage_expires__gte=today).aggregate(day=Min("usage_expires"))
    if last_day["day"] is None:
        return None
    return licence_end(last_day["day"])


def licence_end(last_day):
    """When a photo whose licence runs until `last_day` leaves the pages: the start of the
    local day after it (photos.models.Image.is_expired)."""
    return timezone.make_aware(datetime.combine(last_day + timedelta(days=1), dt_time.min))


def forget_next_visibility_change():
    cache.delete(NEXT_CHANGE)


def next_visibility_change():
    """The soonest future moment (a time.time()) at which a page may change without any
    write: a published story's publish time or embargo end still ahead, or one of
    `upcoming_page_changes`. None if there is none. Cached pages must expire by then
    (newsroom.middleware.PageCacheMiddleware).

    Four small queries on indexes, cached for a minute at most.
    """
    now = time.time()
    known = cache.get(NEXT_CHANGE)
    if known is not None and (known["at"] is None or known["at"] > now):
        return known["at"]
    moment = timezone.now()
    found = upcoming_stories(moment).aggregate(
        publish=Min("published_at", filter=Q(published_at__gt=moment)),
        embargo=Min("embargo_until", filter=Q(embargo_until__gt=moment)),
    )
    found |= upcoming_page_changes(moment)
    times = [value.timestamp() for value in found.values() if value is not None]
    at = min(times, default=None)
    lifetime = NEXT_CHANGE_LIFETIME if at is None else min(NEXT_CHANGE_LIFETIME, at - now)
    cache.set(NEXT_CHANGE, {"at": at}, timeout=max(1, int(lifetime)))
    return at


def page_expiry(now):
    """When a page or fragment rendered `now` must leave every cache: after the page TTL,
    or at the next moment a scheduled story appears, whichever is sooner."""
    expires = now + settings.NEWSROOM_PAGE_CACHE_TTL
    upcoming = next_visibility_change()
    return expires if upcoming is None else min(expires, upcoming)


def fragment_expiry():
    """When a fragment rendered now must go: when a page rendered now would."""
    return page_expiry(time.time())


def shared_fragment(name, compute, *, keys=lambda value: ()):
    """newsroom.cache.fragment, kept no longer than a page rendered now would be."""
    return fragment(name, compute, keys=keys, expires=fragment_expiry)


def story_fragments(articles, name, render):
    """One part per story (its card, say), kept until the story is purged: [html, ...] in
    the order of `articles`. `render(stories)` renders the parts of the stories not kept
    (a list in the same order); `name` tells the kinds of part apart, e.g. "row:2"."""
    items = {f"{name}:{article.pk}": article for article in articles}
    found = fragments(
        items, render, keys=lambda article: story_keys([article]), expires=fragment_expiry
    )
    return list(found.values())


# Fragments every page prints -------------------------------------------------------------


def breaking_news():
    """The breaking-news banner as every page prints it, shared: {"html": the rendered
    banner (empty when no flag is live), "article": its story's pk or None}."""

    def render():
        flag = live_breaking_flag()
        html = render_to_string("includes/breaking.html", {"breaking": flag})
        return {"html": html, "article": flag.article_id if flag else None}

    return shared_fragment("breaking", render, keys=banner_keys)


def banner_keys(banner):
    return [f"article:{banner['article']}"] if banner["article"] else []


def live_breaking_flag():
    """The newest live breaking-news flag with its story's headline and address, or None."""
    fields = ["expires_at", "article__title", "article__slug"]
    return BreakingNews.objects.live().select_related("article").only(*fields).first()
