from django.conf import settings
from django.utils.functional import SimpleLazyObject

from articles.models import BreakingNews, Section


def site(request):
    """Site name, the section navigation and the breaking-news banner; the sections and the
    banner are read (one query each) only if printed."""
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "site_tagline": settings.NEWSROOM_SITE_TAGLINE,
        "nav_sections": SimpleLazyObject(lambda: list(Section.objects.all())),
        "breaking": SimpleLazyObject(live_breaking_news),
    }


def live_breaking_news():
    """The newest live breaking-news flag with its story's headline and address, or None."""
    fields = ["expires_at", "article__title", "article__slug"]
    return BreakingNews.objects.live().select_related("article").only(*fields).first()
