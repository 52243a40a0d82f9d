"""The checklist a story must pass before it is published or scheduled.

One function, `problems()`, used by the publish and schedule transitions (which refuse
while it finds anything) and by the admin change form (which shows the same list to the
writer while they work). `settings.NEWSROOM_PREFLIGHT_REQUIRE` names the checks a newsroom
keeps; leave one out to relax it.
"""

from django.conf import settings

from .models import Byline


def problems(article):
    """Every reason `article` is not ready to go live, as sentences; empty when ready.

    Reads the saved bylines: call after the inline rows are saved.
    """
    required = settings.NEWSROOM_PREFLIGHT_REQUIRE
    found = []
    for name, check in CHECKS.items():
        if name in required:
            found += check(article)
    return found


def headline_problems(article):
    return [] if article.title.strip() else ["Add a headline."]


def standfirst_problems(article):
    return [] if article.summary.strip() else ["Add a standfirst."]


def section_problems(article):
    return [] if article.section_id else ["Choose a section."]


def writer_problems(article):
    has_writer = article.pk is not None and any(
        byline.role == Byline.Role.WRITER for byline in article.bylines.all()
    )
    return [] if has_writer else ["Add at least one writer to the byline."]


def lead_image_problems(article):
    """The lead photo, with words for readers who cannot see it and a credit."""
    image = article.lead_image
    if not image:
        return ["Add a lead image."]
    found = []
    if not image.alt_text.strip():
        found.append("Describe the lead image in its alt text (in the photo library).")
    if not image.credit.strip():
        found.append("Credit the lead image (in the photo library).")
    if image.is_expired:
        found.append("The lead image's usage has expired: choose another photo.")
    return found


# In the order the writer meets them in the form.
CHECKS = {
    "headline": headline_problems,
    "standfirst": standfirst_problems,
    "section": section_problems,
    "writer": writer_problems,
    "lead_image": lead_image_problems,
}
