"""Make every library photo's renditions again, e.g. after the list of sizes changed.

    python manage.py regenerate_renditions            # photos whose renditions are out of date
    python manage.py regenerate_renditions --all      # every photo

Each photo is its own transaction: the new files are recorded before the old ones are
deleted, so an interrupted run leaves every photo with a working set.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from photos.models import Image


class Command(BaseCommand):
    help = "Make the renditions of library photos again (after the allow-list of sizes changed)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="Also remake photos whose renditions are already up to date.",
        )

    def handle(self, *args, **options):
        images = Image.objects.order_by("pk")
        total = images.count()
        made = failed = 0
        for number, image in enumerate(images.iterator(chunk_size=200), start=1):
            try:
                with transaction.atomic():
                    changed = image.refresh_renditions(force=options["all"])
            except Exception as error:  # one unreadable file must not stop the run
                failed += 1
                self.stderr.write(f"  photo {image.pk} ({image.file.name}): {error}")
                changed = False
            made += changed
            self.stdout.write(f"{number}/{total} ({number * 100 // total}%) photo {image.pk}")
        self.stdout.write(
            self.style.SUCCESS(f"Renditions made for {made} of {total} photos")
            + (f"; {failed} could not be read." if failed else ".")
        )
