"""Delete for good the stories that have been in the Trash longer than NEWSROOM_TRASH_DAYS.

python manage.py empty_trash            # run daily, e.g. from cron
python manage.py empty_trash --dry-run  # only list what would go
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from articles.models import Article
from articles.services import due_for_purge, purge_trash


class Command(BaseCommand):
    help = "Delete for good the stories in the Trash for more than NEWSROOM_TRASH_DAYS days."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be deleted; delete nothing."
        )

    def handle(self, *args, **options):
        days = settings.NEWSROOM_TRASH_DAYS
        if options["dry_run"]:
            due = due_for_purge()
            stories = [(article.pk, article.title, article.trashed_at) for article in due]
            verb = "Would delete"
        else:
            stories = purge_trash()
            verb = "Deleted"
        for pk, title, trashed_at in stories:
            self.stdout.write(f"{verb} #{pk} “{title}” (in the Trash since {trashed_at:%Y-%m-%d})")
        self.stdout.write(
            f"{verb} {len(stories)} article(s) in the Trash for more than {days} days; "
            f"{Article.objects.in_trash().count()} remain in the Trash."
        )
