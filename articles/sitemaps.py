from django.contrib.sitemaps import Sitemap

from .models import Article, Section, Tag


class ArticleSitemap(Sitemap):
    limit = 5000

    def items(self):
        return Article.objects.published().newest_first().only("slug", "published_at", "updated_at")

    def lastmod(self, item):
        return item.updated_at or item.published_at


class SectionSitemap(Sitemap):
    def items(self):
        return Section.objects.all()


class TagSitemap(Sitemap):
    def items(self):
        return Tag.objects.all()
