from django.core.management.base import BaseCommand

from articles.models import Article
from articles.services import refresh_search_names


class Command(BaseCommand):
    help = (
        "Refill every story's search names (tags and writers) on PostgreSQL. The admin "
        "keeps them current for article and tag edits; run this after renaming an author "
        "or importing stories outside the admin."
    )

    def handle(self, *args, **options):
        refresh_search_names(articles=Article.objects.all())
        self.stdout.write("Search names refreshed.")
