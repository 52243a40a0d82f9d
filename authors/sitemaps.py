from django.contrib.sitemaps import Sitemap

from .models import Author


class AuthorSitemap(Sitemap):
    def items(self):
        return Author.objects.all()

    def lastmod(self, item):
        return item.modified
