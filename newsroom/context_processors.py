from django.conf import settings
from django.utils.functional import SimpleLazyObject

from articles.models import Section


def site(request):
    """Site name and the section navigation; the sections are read only if printed."""
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "site_tagline": settings.NEWSROOM_SITE_TAGLINE,
        "nav_sections": SimpleLazyObject(lambda: list(Section.objects.all())),
    }
