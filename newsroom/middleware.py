import base64
import hashlib
import math
import re
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.utils.cache import (
    cc_delim_re,
    get_conditional_response,
    patch_cache_control,
    set_response_etag,
)
from django.utils.http import parse_http_date_safe

from articles.caching import page_expiry

from .cache import fetch, page_key, store, tag_response

# An inline <script> without a src attribute, e.g. the import map the body editor needs.
INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL)


class AdminContentSecurityPolicy:
    """Let the admin run under the site's Content-Security-Policy.

    Admin pages carry a few inline scripts that third-party widgets write (the rich-text
    editor's import map). Rather than allowing any inline script, each one on the page is
    allowed by its SHA-256 hash, so an injected script still cannot run. The admin's own
    inline style attributes are allowed there, and only there.
    Must sit after csp.middleware.CSPMiddleware so that it sees the response first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/") and is_html(response):
            hashes = [script_hash(body) for body in INLINE_SCRIPT.findall(response.content)]
            response._csp_update = {"script-src": hashes, "style-src": ["'unsafe-inline'"]}
        return response


def is_html(response):
    return response.get("Content-Type", "").startswith("text/html") and not response.streaming


def script_hash(body):
    digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
    return f"'sha256-{digest}'"


class PageCacheMiddleware:
    """Serve anonymous readers' public pages from the page cache (newsroom/cache.py).

    Stored and served only when all of these hold, so no reader ever gets a page made for
    someone else:
    - settings.NEWSROOM_PAGE_CACHE is on;
    - a GET or HEAD without a session or messages cookie or an Authorization header (the
      signed-in, and readers with a pending message, always get their own page);
    - every query parameter is one a public page reads (CACHEABLE_PARAMS), once, so junk
      query strings cannot fill the cache;
    - the view tagged the response (newsroom.cache.tag_response): only public pages do;
    - the response is a 200 that sets no cookie, uses no CSRF token, is not private,
      no-store or no-cache, and varies on nothing but HX-Request (the key includes it).
    A tagged page that fails the cookie test or the last one is marked `private`, so no
    other cache (a CDN, a proxy) keeps it either.

    A stored page expires at the next scheduled publish time at the latest, so scheduled
    stories appear on time, and is dropped at once when one of its keys is purged.
    Sits right after SecurityMiddleware and WhiteNoise: a hit skips everything below.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.NEWSROOM_PAGE_CACHE:
            return self.get_response(request)
        reader = is_anonymous_reader(request)
        query = cacheable_query(request) if reader else None
        key = None if query is None else page_key(request, query)
        if key is not None and (hit := fetch(key)) is not None:
            response, expires = hit
            mark_public(response, expires, now=time.time())
            return conditional(request, response, cache="hit")
        started = time.time()
        response = self.get_response(request)
        if not hasattr(response, "surrogate_keys"):
            return response
        tag_response(response, getattr(request, "surrogate_keys", ()))
        if not (reader and shareable(request, response)):
            patch_cache_control(response, private=True)
            return response
        now = time.time()
        expires = page_expiry(now)
        mark_public(response, expires, now=now)
        if not response.has_header("ETag"):
            set_response_etag(response)
        if key is None or expires <= now:
            return conditional(request, response)
        store(key, response, expires=expires, started=started)
        return conditional(request, response, cache="miss")


# The query parameters public pages read: page (section, tag and author pages), before
# (the News Feed cursor). Any other parameter, e.g. a tracking tag, skips the page cache.
CACHEABLE_PARAMS = {"page", "before"}
# The headers a stored page may vary on: the cache key already holds HX-Request.
CACHEABLE_VARY = {"hx-request"}
UNSHAREABLE = {"private", "no-store", "no-cache"}


def is_anonymous_reader(request):
    cookies = request.COOKIES
    return (
        request.method in {"GET", "HEAD"}
        and settings.SESSION_COOKIE_NAME not in cookies
        and CookieStorage.cookie_name not in cookies
        and "HTTP_AUTHORIZATION" not in request.META
    )


def cacheable_query(request):
    """The query string in a fixed order, or None if the page cache must not store it."""
    params = request.GET
    if not set(params) <= CACHEABLE_PARAMS:
        return None
    if any(len(params.getlist(name)) > 1 for name in params):
        return None
    return urlencode(sorted(params.items()))


def shareable(request, response):
    directives = {
        part.split("=")[0].strip().lower()
        for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    vary = {part.strip().lower() for part in cc_delim_re.split(response.get("Vary", ""))}
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not directives & UNSHAREABLE
        and vary - {""} <= CACHEABLE_VARY
    )


def mark_public(response, expires, *, now):
    """Cache-Control for browsers (briefly: they cannot be purged) and shared caches (to
    the page's expiry, never past it), and the surrogate keys a CDN purges by."""
    remaining = max(0, math.floor(expires - now))
    browser = min(settings.NEWSROOM_BROWSER_MAX_AGE, remaining)
    patch_cache_control(response, public=True, max_age=browser, s_maxage=remaining)
    if hasattr(response, "surrogate_keys"):
        keys = sorted(response.surrogate_keys)
        response["Surrogate-Key"] = " ".join(keys)
        response["Cache-Tag"] = ",".join(keys)


def conditional(request, response, cache=None):
    """304 Not Modified when the reader's copy still matches. X-Cache says whether the
    page came from the page cache ("hit") or was just stored there ("miss")."""
    last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
    etag = response.get("ETag")
    response = get_conditional_response(
        request, etag=etag, last_modified=last_modified, response=response
    )
    if cache:
        response["X-Cache"] = cache
    return response
