"""Render and store the reader-facing part of published stories (articles/stories.py).

    python manage.py render_stories          # stories not stored, or stored by older code
    python manage.py render_stories --all    # every published story again

Stories are otherwise rendered and stored on their first read; run this after a deploy or a
large import so that no reader waits for it. Progress is printed as it goes.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from articles.models import Article
from articles.stories import render_stories, render_version


def parse_shard(text):
    """The stories of "K/N" are those whose pk leaves K - 1 divided by N: "2/4" -> (1, 4)."""
    try:
        number, count = (int(part) for part in text.split("/"))
    except ValueError:
        raise CommandError(f"--shard takes K/N, e.g. 1/2, not {text!r}") from None
    if not 1 <= number <= count:
        raise CommandError(f"--shard {text}: K must be between 1 and N")
    return number - 1, count


class Command(BaseCommand):
    help = "Render and store the parts of published story pages that every reader gets alike."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="Also render stories whose stored copy is current."
        )
        parser.add_argument(
            "--shard",
            default="1/1",
            help="K/N: only part K of N (by pk), to share the work among N processes.",
        )

    def handle(self, *args, **options):
        shard = parse_shard(options["shard"])
        if not settings.NEWSROOM_STORED_STORIES:
            self.stdout.write("Stored stories are off (NEWSROOM_STORED_STORIES): nothing to do.")
            return
        stories = Article.objects.published()
        if not options["all"]:
            current = Q(stored__version=render_version(), stored__expires_at__gt=timezone.now())
            stories = stories.exclude(current)
        started = time.monotonic()

        def progress(done, total):
            rate = done / max(time.monotonic() - started, 1e-6)
            left = (total - done) / rate if rate else 0
            self.stdout.write(
                f"{done:,}/{total:,} stories ({done * 100 // total}%), "
                f"{rate:,.0f}/s, about {left:,.0f} s left"
            )

        stored = render_stories(stories, shard=shard, progress=progress)
        self.stdout.write(self.style.SUCCESS(f"Stored {stored:,} stories."))
