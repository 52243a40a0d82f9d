from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy

from .models import Article


class LatestArticlesFeed(Feed):
    title = settings.NEWSROOM_SITE_NAME
    link = reverse_lazy("articles:index")
    description = "The latest stories, newest first."

    def items(self):
        return Article.objects.published().newest_first().with_bylines()[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at or item.published_at

    def item_author_name(self, item):
        return ", ".join(author.name for author in item.writers) or None

    def item_categories(self, item):
        return [item.section.name]
