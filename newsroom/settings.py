"""
Settings for the newsroom, read from the environment.

One file for every environment: a fresh clone runs on an embedded SQLite database with
nothing set, and production changes behaviour only through the variables listed in
`.env.example`. DEBUG defaults to off, so a forgotten variable fails safe.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Django core, alphabetically -------------------------------------------------------------

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes counts failed sign-ins before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

DEBUG = env_bool("DJANGO_DEBUG")

# Shared cache when Redis is configured, so several app servers agree; process memory otherwise.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            # Django's Redis backend, made cheaper per call for the page cache.
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# No script of ours reads the CSRF cookie; forms carry the token.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = not DEBUG and env_bool("DJANGO_SECURE_COOKIES", default=True)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

# Unset DATABASE_URL: an SQLite file in the project folder, so a fresh clone needs no server.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Addresses typed without a scheme are https:// (Django 6's default, opted into now).
FORMS_URLFIELD_ASSUME_HTTPS = True

# Uploads larger than this are streamed to disk rather than held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Editors paste long stories; the admin form stays well below this.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

INSTALLED_APPS = [
    "newsroom.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_prose_editor",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    # Revisions of articles and author profiles: the admin's History, compare and restore.
    "reversion",
    "audit",
    "photos",
    "authors",
    "articles",
]

LANGUAGE_CODE = "en-gb"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

LOGIN_URL = "admin:login"

MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Serves collected static files with far-future caching in production.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Answers anonymous readers from the page cache before sessions, CSRF or the database
    # are touched; it sees every response the middleware below has finished.
    "newsroom.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks the user verified when this session signed in with a one-time code.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "newsroom.middleware.AdminContentSecurityPolicy",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires: turns a lockout into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and os.environ.get("DJANGO_ENV") == "production":
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
    # Local development and tests only; `check --deploy` flags this key (security.W009).
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HSTS only outside DEBUG: a browser that learns it from localhost refuses plain HTTP there.
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=True)
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
if env_bool("DJANGO_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_SSL_REDIRECT = not DEBUG and env_bool("DJANGO_SSL_REDIRECT", default=True)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE

STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed names and compressed copies; DEBUG serves the source files directly.
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsroom.context_processors.site",
            ],
        },
    }
]

TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Europe/Kyiv")
# An English-language site: no translation machinery per request (Django then skips the
# active-language lookups behind every date and number it formats; 5-8 % of a page).
USE_I18N = False
USE_TZ = True

WSGI_APPLICATION = "newsroom.wsgi.application"

X_FRAME_OPTIONS = "DENY"

# django-axes -------------------------------------------------------------------------------

# Five wrong passwords for one account from one address lock that pair out for 15 minutes;
# the page says so without revealing whether the account exists.
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
if env_bool("DJANGO_BEHIND_PROXY"):
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# django-crispy-forms ---------------------------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# django-otp --------------------------------------------------------------------------------

# Device keys stay hidden in the admin once created.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# django-csp ------------------------------------------------------------------------------

# Nothing is allowed unless listed. Every script of the site is a static file, so pages carry
# no per-response nonce and stay cacheable by a shared cache. The admin adds the hashes of
# its widgets' inline scripts: newsroom.middleware.AdminContentSecurityPolicy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        # Video embeds load only after the reader clicks, and only from these two players.
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# Newsroom --------------------------------------------------------------------------------

NEWSROOM_SITE_NAME = os.environ.get("NEWSROOM_SITE_NAME", "The Meridian Independent")
# Names the account in staff members' authenticator apps.
OTP_TOTP_ISSUER = NEWSROOM_SITE_NAME
NEWSROOM_SITE_TAGLINE = os.environ.get("NEWSROOM_SITE_TAGLINE", "Independent reporting, every day")
# Items per News Feed batch; "Show More" fetches the next batch after a cursor.
NEWSROOM_FEED_BATCH = 20
# Articles per page on section, tag and author pages.
NEWSROOM_PAGE_SIZE = 20
# Average adult silent-reading speed used for "N min read".
NEWSROOM_WORDS_PER_MINUTE = 230
# Groups whose members (and every superuser) must sign in to the admin with a one-time code,
# e.g. "Editors,Profile managers". Empty: two-factor sign-in is available but optional.
NEWSROOM_TWO_FACTOR_GROUPS = env_list("NEWSROOM_TWO_FACTOR_GROUPS", "")
# What a story needs before it may be published or scheduled (articles/preflight.py);
# leave a name out to relax that check: headline, standfirst, section, writer, lead_image.
NEWSROOM_PREFLIGHT_REQUIRE = env_list(
    "NEWSROOM_PREFLIGHT_REQUIRE", "headline,standfirst,section,writer,lead_image"
)
# Largest accepted photo upload, in bytes.
NEWSROOM_MAX_UPLOAD_BYTES = int(os.environ.get("NEWSROOM_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
# Largest accepted photo in pixels (width × height). A file of a few hundred bytes can declare
# 30,000 × 30,000 pixels and take gigabytes of memory to decode; 50 megapixels covers every
# camera the photo desk uses.
NEWSROOM_MAX_IMAGE_PIXELS = int(os.environ.get("NEWSROOM_MAX_IMAGE_PIXELS", 50_000_000))
# Animated GIF/WebP uploads with more frames than this are refused (each frame is decoded).
NEWSROOM_MAX_IMAGE_FRAMES = int(os.environ.get("NEWSROOM_MAX_IMAGE_FRAMES", 100))

# Newsroom: search, feeds, sitemaps and metadata (issue 7) ---------------------------------

# Feeds carry the whole story (True) or only the standfirst with a link back (False).
# Off by default: full text in feeds is copied by scrapers and read without our pages.
NEWSROOM_FEED_FULL_CONTENT = env_bool("NEWSROOM_FEED_FULL_CONTENT")
# Language of the publication for the Google News sitemap and structured data (ISO 639).
NEWSROOM_LANGUAGE = os.environ.get("NEWSROOM_LANGUAGE", "en")
# Longer search queries are cut to this many characters: real queries are a few words, and
# a cap keeps absurd input (10,000 characters) as fast as any other search.
NEWSROOM_SEARCH_MAX_LENGTH = 200

# Newsroom: previews, front page and breaking news -----------------------------------------

# A shareable preview link stops working this many hours after an editor makes it, unless
# revoked sooner: long enough for a source or lawyer to read, short enough not to leak.
NEWSROOM_PREVIEW_LINK_HOURS = int(os.environ.get("NEWSROOM_PREVIEW_LINK_HOURS", "48"))
# How long a story flagged as breaking keeps the site-wide banner, unless ended sooner.
NEWSROOM_BREAKING_MINUTES = int(os.environ.get("NEWSROOM_BREAKING_MINUTES", "60"))

# Newsroom: never lose an editor's work ---------------------------------------------------

# Days a deleted story stays in the Trash, restorable, before `manage.py empty_trash`
# deletes it for good (run it daily, e.g. from cron).
NEWSROOM_TRASH_DAYS = int(os.environ.get("NEWSROOM_TRASH_DAYS", "30"))

# Article change forms: an open form tells the server every HEARTBEAT seconds that its
# editor is still there; an editor not heard from for PRESENCE seconds has left. The form
# stores its unsaved text as the editor's own copy every AUTOSAVE seconds, up to
# AUTOSAVE_MAX_BYTES per copy.
NEWSROOM_EDITING_HEARTBEAT_SECONDS = 20
NEWSROOM_EDITING_PRESENCE_SECONDS = int(os.environ.get("NEWSROOM_EDITING_PRESENCE_SECONDS", 120))
NEWSROOM_AUTOSAVE_SECONDS = 30
NEWSROOM_AUTOSAVE_MAX_BYTES = 512 * 1024

# Newsroom: the page cache (issue 9; newsroom/cache.py, newsroom.middleware) --------------

# Anonymous readers' public pages are kept in the default cache and purged by surrogate key
# the moment a story changes. On by default only where purges reach every server process:
# with REDIS_URL (a shared cache) and DEBUG off. Per-process memory would leave the other
# gunicorn workers serving a page until it expires. NEWSROOM_PAGE_CACHE=0/1 overrides.
NEWSROOM_PAGE_CACHE = env_bool(
    "NEWSROOM_PAGE_CACHE", default=not DEBUG and bool(os.environ.get("REDIS_URL"))
)
# The parts every page prints alike (the site header and footer, the breaking-news banner,
# a story's "More news") are kept in the same cache and purged the same way, so a page
# rendered afresh (page cache off, a miss, a signed-in reader) skips reading and rendering
# them. On by default under the same condition; NEWSROOM_FRAGMENT_CACHE=0/1 overrides.
NEWSROOM_FRAGMENT_CACHE = env_bool(
    "NEWSROOM_FRAGMENT_CACHE", default=not DEBUG and bool(os.environ.get("REDIS_URL"))
)
# Seconds a page stays in the page cache and in shared caches (s-maxage) at most; purges
# and the next scheduled publish time end it sooner.
NEWSROOM_PAGE_CACHE_TTL = int(os.environ.get("NEWSROOM_PAGE_CACHE_TTL", "300"))
# A published story's own part of its page (headline to author cards, head tags) is
# rendered once and stored in the database until something it shows changes
# (articles/stories.py). Purges forget them; a render that a purge overtakes is taken back
# by the purge times PageCachePurge records, so keep it in NEWSROOM_PURGE_BACKENDS. On under
# the same condition as the fragment cache; NEWSROOM_STORED_STORIES=0/1 overrides.
NEWSROOM_STORED_STORIES = env_bool(
    "NEWSROOM_STORED_STORIES", default=not DEBUG and bool(os.environ.get("REDIS_URL"))
)
# Seconds a stored story is kept at most, whatever happens: a safety limit.
NEWSROOM_STORED_STORY_TTL = int(os.environ.get("NEWSROOM_STORED_STORY_TTL", str(7 * 86400)))
# Seconds a browser may reuse a page without asking (max-age). Short, because a browser's
# copy cannot be purged; after it, the browser revalidates and usually gets a 304.
NEWSROOM_BROWSER_MAX_AGE = int(os.environ.get("NEWSROOM_BROWSER_MAX_AGE", "30"))
# Where purges go, in order: dotted paths of classes with a purge(keys) method. The page
# cache's own; add a CDN's here (a subclass of newsroom.cache.PurgeBackend that calls its
# purge-by-key API, e.g. Fastly Surrogate-Key or Cloudflare Cache-Tag).
NEWSROOM_PURGE_BACKENDS = env_list("NEWSROOM_PURGE_BACKENDS", "newsroom.cache.PageCachePurge")
