"""Sitemaps for stories (one per calendar month, so no file nears the 50,000-URL limit),
sections and tags, and the Google News sitemap of the last 48 hours. The index and the
section views that combine them with the other apps' sitemaps are in newsroom/sitemaps.py.
"""

import re
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import x_robots_tag
from django.db.models import Count, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce, TruncMonth
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from newsroom.cache import tag_response

from .models import Article, Section, Tag

MONTH_SECTION = re.compile(r"articles-([0-9]{4})-([0-9]{2})")
# Google News reads stories published in the last two days, at most 1,000 of them.
NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000


def last_modified(article):
    return article.updated_at or article.published_at


def month_sections():
    """{"articles-2026-11": sitemap} for every month with a live story, newest first, with
    each month's latest change and size, in one query."""
    months = (
        Article.objects.published()
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(latest=Max(Coalesce("updated_at", "published_at")), count=Count("pk"))
        .order_by("-month")
    )
    return {
        f"articles-{row['month']:%Y-%m}": ArticleMonthSitemap(
            row["month"].year, row["month"].month, latest=row["latest"], count=row["count"]
        )
        for row in months
    }


def month_section(name):
    """The sitemap for a section name like "articles-2026-11", or None."""
    match = MONTH_SECTION.fullmatch(name)
    if not match:
        return None
    try:
        return ArticleMonthSitemap(int(match[1]), int(match[2]))
    except ValueError:  # month 13, year 0, and the like
        return None


class ArticleMonthSitemap(Sitemap):
    """Live stories published in one local calendar month."""

    def __init__(self, year, month, *, latest=None, count=None):
        self.start = timezone.make_aware(datetime(year, month, 1))
        following = datetime(year + month // 12, month % 12 + 1, 1)
        self.end = timezone.make_aware(following)
        self.latest, self.count = latest, count

    def items(self):
        return (
            Article.objects.published()
            .filter(published_at__gte=self.start, published_at__lt=self.end)
            .newest_first()
            .only("slug", "published_at", "updated_at")
        )

    def lastmod(self, item):
        return last_modified(item)

    def get_latest_lastmod(self):
        return self.latest if self.latest is not None else super().get_latest_lastmod()

    @property
    def paginator(self):
        paginator = super().paginator
        if self.count is not None:  # already counted by month_sections()
            paginator.count = self.count
        return paginator


class LatestStoryLastmod:
    """lastmod = the newest live story's publish time, read with the items."""

    def lastmod(self, item):
        return item.latest

    def get_latest_lastmod(self):
        return max((item.latest for item in self.items() if item.latest), default=None)


class SectionSitemap(LatestStoryLastmod, Sitemap):
    def items(self):
        newest = Article.objects.published().filter(section=OuterRef("pk")).newest_first()
        return Section.objects.annotate(latest=Subquery(newest.values("published_at")[:1]))


class TagSitemap(LatestStoryLastmod, Sitemap):
    def items(self):
        newest = Article.objects.published().filter(tags=OuterRef("pk")).newest_first()
        return Tag.objects.annotate(latest=Subquery(newest.values("published_at")[:1]))


@require_safe
@x_robots_tag
def news_sitemap(request):
    """Google News sitemap: stories published in the last 48 hours, newest first."""
    since = timezone.now() - NEWS_WINDOW
    articles = (
        Article.objects.published()
        .filter(published_at__gte=since)
        .newest_first()
        .only("slug", "title", "published_at")[:NEWS_LIMIT]
    )
    context = {
        "stories": [
            {
                "location": request.build_absolute_uri(article.get_absolute_url()),
                "title": article.title,
                # W3C format, as the News sitemap asks: seconds and a +hh:mm offset.
                "published": article.published_at.isoformat(timespec="seconds"),
            }
            for article in articles
        ],
        "publication_name": settings.NEWSROOM_SITE_NAME,
        "language": settings.NEWSROOM_LANGUAGE,
    }
    response = render(request, "articles/sitemap_news.xml", context, content_type="application/xml")
    return tag_response(response, ["sitemaps"])
