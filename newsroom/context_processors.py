from django.conf import settings
from django.utils.functional import SimpleLazyObject

from articles.caching import breaking_news
from articles.models import Section


def site(request):
    """Site name, the section navigation and the breaking-news banner ({"html", "article"}:
    articles.caching.breaking_news). Each is read (one query) only if printed, and the
    fragment cache spares most pages even that (articles/templatetags/fragments.py)."""
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "site_tagline": settings.NEWSROOM_SITE_TAGLINE,
        "nav_sections": SimpleLazyObject(lambda: list(Section.objects.all())),
        "breaking": SimpleLazyObject(breaking_news),
    }
