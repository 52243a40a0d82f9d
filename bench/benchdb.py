"""Django on the bench database, for the scripts that measure it in-process."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = "postgres://newsroom:newsroom@127.0.0.1:5432/newsroom_bench"


def setup():
    """The newsroom's production settings, always on the bench database."""
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    os.environ["DJANGO_SSL_REDIRECT"] = "0"
    os.environ["DJANGO_SECURE_COOKIES"] = "0"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    # The shared cache of bench/run.py, so the fragment cache is on as in production; the
    # page cache off, so that every load renders its page (NEWSROOM_PAGE_CACHE=1 to profile
    # a hit).
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/13")
    os.environ.setdefault("NEWSROOM_PAGE_CACHE", "0")
    # bench/run.py passes its own folders; standalone, the bench's photos and bench/static/
    # (collected on first use: the production storage reads its manifest).
    os.environ.setdefault("DJANGO_MEDIA_ROOT", str(ROOT / "bench" / "media"))
    os.environ.setdefault("DJANGO_STATIC_ROOT", str(ROOT / "bench" / "static"))
    os.environ.pop("DJANGO_DEBUG", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    collect_static()


def collect_static():
    from django.conf import settings
    from django.core.management import call_command

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", "--no-input", "--verbosity", "0")
