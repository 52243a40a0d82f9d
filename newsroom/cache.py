"""The page cache for anonymous readers, and purging it by surrogate key.

Views opt a page in by naming what it shows:

    response = render(request, "articles/section_detail.html", context)
    return tag_response(response, ["section:3", "article:41", "article:42"])

Only tagged pages are ever cached (newsroom.middleware.PageCacheMiddleware decides when),
and a write that changes what a page shows purges the page's keys:

    purge_keys(["section:3"])         # after the current transaction commits

Every tagged page also carries the key "site", so `purge_keys(["site"])` empties the whole
page cache. articles.caching knows which keys an article event purges (`purge_article`).

How purging works with any cache backend (Redis, local memory): each surrogate key has a
token in the cache: when it was last purged, and a random part so that no two purges ever
give the same token. A stored page records the tokens of its keys; a purge replaces them,
so every page carrying a purged key misses from then on and is rendered afresh. Nothing
has to find or delete the pages themselves. Every purge also replaces one site-wide token,
the purge mark: a page whose copy was checked under the current mark needs no other
lookup, so a hit costs one small read however many keys the page carries. With Redis
even that read goes: each process follows purges on a Redis channel (PurgeListener) and
keeps its own mark, so a hit served from the process's copy touches no server at all.

Purges go to every backend in settings.NEWSROOM_PURGE_BACKENDS, after the transaction
commits. The default is the local page cache; a CDN that purges by key (Fastly's
Surrogate-Key, Cloudflare's Cache-Tag) gets a backend of its own: a class with a
`purge(keys)` method, e.g. one that POSTs the keys to the CDN's purge-by-key API.
"""

import hashlib
import logging
import math
import os
import secrets
import threading
import time
from collections import OrderedDict

import redis
from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends import redis as redis_backend
from django.db import transaction
from django.dispatch import Signal
from django.http import HttpResponse
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# Every page the cache stores carries this key: purging it empties the page cache.
SITE_KEY = "site"
PAGE_PREFIX = "page:"
FRAGMENT_PREFIX = "fragment:"
PURGED_PREFIX = "purged:"
# Replaced by every purge, after the keys' tokens: see `is_current`.
PURGE_MARK = "purge-mark"
# Tokens outlive every page that records them (NEWSROOM_PAGE_CACHE_TTL); an expired or
# evicted token only makes its pages miss, never serves a stale one.
TOKEN_TIMEOUT = 24 * 60 * 60
# Sent with keys=[...] after every purge, once the backends have purged: for stores other
# than the page cache that keep parts of pages by key (articles.stories).
keys_purged = Signal()


def tag_response(response, keys):
    """Mark `response` as a public page showing `keys` (e.g. "article:42", "home")."""
    response.surrogate_keys = {*getattr(response, "surrogate_keys", ()), *keys, SITE_KEY}
    return response


def tag_request(request, keys):
    """Add `keys` to whatever page answers `request`, for parts printed by the templates
    rather than chosen by the view (the breaking-news banner's story). The page cache
    middleware adds them to a tagged response."""
    request.surrogate_keys = {*getattr(request, "surrogate_keys", ()), *keys}


def purge_keys(keys):
    """Purge every cached page carrying any of `keys`, once the current transaction
    commits (at once outside a transaction), in every configured purge backend."""
    keys = sorted(set(keys))
    if keys:
        transaction.on_commit(lambda: send_purge(keys))


def send_purge(keys):
    """Each backend in turn. The change is already committed, so a backend that fails
    (a CDN that does not answer) is logged and the others still purge."""
    for path in settings.NEWSROOM_PURGE_BACKENDS:
        try:
            import_string(path)().purge(keys)
        except Exception:
            logger.exception("Purge of %s through %s failed", " ".join(keys), path)
    for receiver, error in keys_purged.send_robust(sender=None, keys=keys):
        if isinstance(error, Exception):
            logger.error("Purge of %s by %r failed", " ".join(keys), receiver, exc_info=error)


class PurgeBackend:
    """Does nothing: the shape of a purge backend. Subclass it for a CDN."""

    def purge(self, keys):
        pass


class PageCachePurge(PurgeBackend):
    """Purges this site's own page cache (the default cache)."""

    def purge(self, keys):
        token = new_token(time.time())
        cache.set_many({PURGED_PREFIX + key: token for key in keys}, timeout=TOKEN_TIMEOUT)
        # Last: a reader who sees the new mark also sees the new tokens.
        cache.set(PURGE_MARK, token, timeout=None)
        announce = getattr(cache, "announce_purge", None)
        if announce is not None:
            announce()


def purged_after(keys, moment):
    """Whether any of `keys` was purged after `moment` (a time.time()), as far as the
    shared cache remembers: PageCachePurge records when each key was last purged."""
    tokens = cache.get_many([PURGED_PREFIX + key for key in keys])
    return any(at > moment for at, _ in tokens.values())


def new_token(moment):
    return (moment, secrets.token_hex(8))


def current_mark():
    """The purge mark: this process's own when a PurgeListener follows purges, else the
    shared one (None if it was evicted)."""
    listener = getattr(cache, "purge_listener", None)
    mark = listener().mark() if listener is not None else None
    return cache.get(PURGE_MARK) if mark is None else mark


# The store -----------------------------------------------------------------------------------


def page_key(request, query):
    """The cache key of one page: scheme, host, path, the (sorted, allowed) query and
    whether htmx asked for a fragment, since the News Feed answers htmx with a batch."""
    fragment = request.META.get("HTTP_HX_REQUEST") == "true"
    address = f"{request.scheme}://{request.get_host()}{request.path}?{query}|hx={fragment}"
    return PAGE_PREFIX + hashlib.sha256(address.encode()).hexdigest()


def fetch(key):
    """The stored page under `key`, or None when absent, expired or purged since.

    The page usually comes from this process's copy (RECENT); whether it was purged since
    is answered by the purge mark (`is_current`), which keeps purges exact across
    processes and servers.
    """
    entry = RECENT.get(key)
    if entry is None or not is_current(entry):
        # Not here, or purged: another process may have stored the page afresh.
        RECENT.drop(key)
        entry = cache.get(key)
        if entry is None or not is_current(entry):
            return None
        RECENT.put(key, entry)
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    return response, entry["expires"]


def is_current(entry):
    """Not expired, and none of its keys purged since it was stored. When no purge at all
    happened since the entry was last checked (the purge mark is unchanged), that is one
    read; otherwise each key's token is compared, and the entry remembers the mark it
    passed under. The mark is read before the tokens, and purges write it after them, so a
    purge running meanwhile is either seen in the tokens or leaves a new mark."""
    if entry["expires"] <= time.time():
        return False
    mark = current_mark()
    if mark is not None and entry.get("mark") == mark:
        return True
    tokens = entry["tokens"]
    if cache.get_many(list(tokens)) != tokens:
        return False
    if mark is None:
        # Evicted (or never set): a new mark, which the next hit checks this entry under.
        cache.add(PURGE_MARK, new_token(time.time()), timeout=None)
    entry["mark"] = mark
    return True


class RecentPages:
    """This process's copies of the pages it served most recently, least recent dropped
    first. A copy is used only after its tokens are checked against the shared cache."""

    def __init__(self, size):
        self.size = size
        self.entries = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def drop(self, key):
        with self.lock:
            self.entries.pop(key, None)


# About 30 KB a page: a few hundred pages cost each worker some 10 MB.
RECENT = RecentPages(size=400)
# Fragments, most of them a story's card of 1-2 KB: a few thousand cost some 5 MB.
RECENT_FRAGMENTS = RecentPages(size=3000)


def store(key, response, *, expires, started):
    """Keep `response` until `expires` (a time.time()), unless one of its keys was purged
    after `started`: then it may have been rendered from data the purge replaced."""
    entry = {
        "status": response.status_code,
        "headers": list(response.items()),
        "content": response.content,
    }
    keys = response.surrogate_keys
    keep(key, entry, keys=keys, expires=expires, started=started, recent=RECENT)


def keep(key, entry, *, keys, expires, started, recent):
    """Store `entry` (a dict) under `key` with the purge tokens of its surrogate `keys`,
    unless one of them was purged after `started`; this process's copy goes to `recent`."""
    names = [PURGED_PREFIX + name for name in sorted(keys)]
    cache.add(PURGE_MARK, new_token(started), timeout=None)  # a site never purged yet
    mark = current_mark()
    tokens = cache.get_many(names)
    if len(tokens) < len(names):
        for name in names:
            if name not in tokens:
                # Never purged (or evicted): a new token, which no older entry can match,
                # dated before any render so that none refuses it (a page whose render
                # began before one of its fragments was first stored, say).
                cache.add(name, new_token(0), timeout=TOKEN_TIMEOUT)
        tokens = cache.get_many(names)
    if len(tokens) < len(names) or any(moment > started for moment, _ in tokens.values()):
        return
    entry |= {"tokens": tokens, "mark": mark, "expires": expires}
    cache.set(key, entry, timeout=math.ceil(expires - time.time()))
    recent.put(key, entry)


# Fragments shared by every page -----------------------------------------------------------


def fragment(name, compute, *, keys, expires):
    """What `compute()` returns, kept for every reader and every process until one of its
    surrogate keys is purged or the moment `expires()` returns (a time.time()) passes:
    the parts that every page prints alike (the site header, the breaking-news banner, the
    newest stories), so that a page rendered afresh, with the page cache off or on a miss,
    does not read and render them again. `keys(value)` names what the value shows, as
    tag_response does for pages.

    The value must not depend on the request, and must be plain data (rendered HTML,
    strings, numbers, lists and dicts of them), never model instances: a kept value
    outlives a deploy that changes the models. With settings.NEWSROOM_FRAGMENT_CACHE off,
    `compute()` every time.
    """
    if not settings.NEWSROOM_FRAGMENT_CACHE:
        return compute()
    found = kept_fragments([name])
    if name in found:
        return found[name]
    started = time.time()
    value = compute()
    keep_fragments({name: value}, {name: keys(value)}, expires=expires, started=started)
    return value


def fragments(items, render, *, keys, expires):
    """fragment() for many parts at once, e.g. the cards of a list of stories: `items` maps
    each part's name to what it is rendered from, `render(list of items)` renders several
    (a list of values in the same order) and `keys(item)` names what one shows. Returns
    {name: value}. Parts that this process holds no current copy of are read from the
    shared cache in one call; only the parts found nowhere are rendered, in one call."""
    if not settings.NEWSROOM_FRAGMENT_CACHE:
        return dict(zip(items, render(list(items.values())), strict=True))
    found = kept_fragments(list(items))
    missing = [name for name in items if name not in found]
    if missing:
        started = time.time()
        rendered = dict(zip(missing, render([items[name] for name in missing]), strict=True))
        shown = {name: keys(items[name]) for name in missing}
        keep_fragments(rendered, shown, expires=expires, started=started)
        found |= rendered
    return {name: found[name] for name in items}


def kept_fragments(names):
    """{name: value} of the fragments among `names` that are kept and current: this
    process's copies, then the shared cache in one call for the rest."""
    found, missing = {}, []
    for name in names:
        key = FRAGMENT_PREFIX + name
        entry = RECENT_FRAGMENTS.get(key)
        if entry is not None and is_current(entry):
            found[name] = entry["value"]
        else:
            RECENT_FRAGMENTS.drop(key)
            missing.append(key)
    for key, entry in cache.get_many(missing).items() if missing else ():
        if is_current(entry):
            RECENT_FRAGMENTS.put(key, entry)
            found[key.removeprefix(FRAGMENT_PREFIX)] = entry["value"]
    return found


def keep_fragments(values, keys, *, expires, started):
    """Keep each of `values` ({name: value}) with the surrogate keys `keys[name]` (and
    "site") until `expires()`, unless one was purged after `started`."""
    until = expires()
    if until <= time.time():
        return
    for name, value in values.items():
        shown = {*keys[name], SITE_KEY}
        entry = {"value": value}
        keep(
            FRAGMENT_PREFIX + name,
            entry,
            keys=shown,
            expires=until,
            started=started,
            recent=RECENT_FRAGMENTS,
        )


# The Redis backend -----------------------------------------------------------------------------


class RedisCacheClient(redis_backend.RedisCacheClient):
    """Django's Redis client, keeping one redis.Redis per connection pool (they are safe to
    share between threads) instead of building one, with its ~170 response callbacks, for
    every cache call: a fifth of the cost of a page cache hit."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        if index not in self._clients:
            self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return self._clients[index]


class RedisCache(redis_backend.RedisCache):
    """settings.CACHES backend for REDIS_URL: Django's, with the client above, and purges
    announced on a Redis channel that every process's PurgeListener follows."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
        self.purge_channel = self.make_key("purges")

    def purge_listener(self):
        return listener_for(self._servers[0], self.purge_channel)

    def announce_purge(self):
        """Tell every process that a purge happened (its tokens are already written)."""
        self.purge_listener().saw_purge()
        self._cache.get_client(write=True).publish(self.purge_channel, b"")

    def validate_key(self, key):
        # Redis takes any key. Django checks each against memcached's limits, which costs
        # more than the lookup for the twenty-odd surrogate keys of a page.
        pass


class PurgeListener:
    """This process's purge mark, changed whenever any process announces a purge on the
    Redis channel, so that a page cache hit needs no round trip to Redis.

    A thread subscribes to the channel; once the subscription is confirmed it starts a new
    mark (every copy is then checked afresh once) and starts another on every message. The
    purging process changes its own mark at once; others within milliseconds, the time a
    message takes to reach them. `mark()` is None until the subscription is live and after
    the connection is lost (checked by a ping every HEALTH_CHECK seconds when idle): callers
    then read the shared mark on every hit, as without a listener.
    """

    HEALTH_CHECK = 5
    RETRY_AFTER = 1

    def __init__(self, url, channel):
        self.url = url
        self.channel = channel
        self.lock = threading.Lock()
        self.current = None
        self.pid = None
        self.count = 0
        self.stopped = threading.Event()

    def mark(self):
        if self.pid != os.getpid():
            self.start()
        return self.current

    def saw_purge(self):
        with self.lock:
            if self.current is not None:
                self.current = self.new_mark()

    def new_mark(self):
        self.count += 1
        return f"listener:{os.getpid()}:{self.count}:{secrets.token_hex(4)}"

    def start(self):
        """In each process (a forked server worker inherits no thread), once."""
        with self.lock:
            if self.pid == os.getpid():
                return
            self.pid, self.current = os.getpid(), None
        threading.Thread(target=self.run, name="page-cache-purges", daemon=True).start()

    def run(self):
        warned = False
        while not self.stopped.is_set():
            try:
                self.follow()
            except Exception:
                if self.current is not None or not warned:  # once per outage
                    logger.warning("Lost the purge channel; reading the purge mark per hit")
                warned = True
            with self.lock:
                self.current = None
            self.stopped.wait(self.RETRY_AFTER)

    def stop(self):
        """End the thread (tests); mark() reads the shared mark from then on."""
        self.stopped.set()
        with self.lock:
            self.current = None

    def follow(self):
        client = redis.Redis.from_url(self.url, health_check_interval=self.HEALTH_CHECK)
        with client.pubsub() as pubsub:
            pubsub.subscribe(self.channel)
            while (message := pubsub.get_message(timeout=self.HEALTH_CHECK)) is None:
                if self.stopped.is_set():
                    return
            if message["type"] != "subscribe":
                raise redis.RedisError(f"Unexpected answer to SUBSCRIBE: {message!r}")
            self.changed()
            while not self.stopped.is_set():
                if pubsub.get_message(timeout=self.HEALTH_CHECK) is not None:
                    self.changed()
        with self.lock:
            self.current = None

    def changed(self):
        with self.lock:
            self.current = self.new_mark()


LISTENERS = {}
LISTENERS_LOCK = threading.Lock()


def listener_for(url, channel):
    listener = LISTENERS.get((url, channel))
    if listener is None:
        with LISTENERS_LOCK:
            listener = LISTENERS.setdefault((url, channel), PurgeListener(url, channel))
    return listener
