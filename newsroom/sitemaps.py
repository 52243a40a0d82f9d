"""The sitemap index and its sections: stories by month, sections, tags, authors and the
site's own pages. Month sections are found in the database, so these are views rather
than a fixed `sitemaps` dict."""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import index, sitemap
from django.db.models import Max
from django.http import Http404
from django.urls import reverse
from django.views.decorators.http import require_safe

from articles.models import Article, Correction
from articles.sitemaps import SectionSitemap, TagSitemap, month_section, month_sections
from authors.sitemaps import AuthorSitemap

from .cache import tag_response


class StaticPagesSitemap(Sitemap):
    """Pages that list the newest stories: they change when a story is published."""

    def items(self):
        return ["home", "articles:index", "articles:corrections"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        if item == "articles:corrections":
            return self.latest_correction()
        if not hasattr(self, "_latest"):
            newest = Article.objects.published().newest_first()
            self._latest = newest.values_list("published_at", flat=True).first()
        return self._latest

    def latest_correction(self):
        if not hasattr(self, "_latest_correction"):
            latest = Correction.objects.public().aggregate(latest=Max("created"))["latest"]
            self._latest_correction = latest
        return self._latest_correction

    def get_latest_lastmod(self):
        # Django's version gives up on every page when one (no corrections yet) has none.
        return max(filter(None, (self.lastmod(item) for item in self.items())), default=None)


def named_sections():
    return {
        "pages": StaticPagesSitemap(),
        "sections": SectionSitemap(),
        "tags": TagSitemap(),
        "authors": AuthorSitemap(),
    }


@require_safe
def sitemap_index(request):
    sections = {**named_sections(), **month_sections()}
    response = index(request, sections, sitemap_url_name="sitemap_section")
    return tag_response(response, ["sitemaps"])


@require_safe
def sitemap_section(request, section):
    sections = named_sections()
    if section not in sections:
        month = month_section(section)
        if month is None:
            raise Http404("No such sitemap.")
        sections = {section: month}
    return tag_response(sitemap(request, sections, section=section), ["sitemaps"])
