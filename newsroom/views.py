"""Site-wide pages: the home page and robots.txt. Error pages are 404.html and 500.html."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe

from articles.models import Article, Section
from articles.newsfeed import feed_batch

TOP_STORY_COUNT = 4
SECTION_BLOCK_SIZE = 4
HOME_FEED_SIZE = 12


@require_safe
def home(request):
    published = Article.objects.published().newest_first()
    leads = list(
        published.with_bylines()
        .exclude(kind=Article.Kind.NEWS)
        .exclude(lead_image="")[: TOP_STORY_COUNT + 1]
    )
    in_blocks = (
        published.exclude(pk__in=[article.pk for article in leads])
        .exclude(kind=Article.Kind.NEWS)
        .for_listing()
        .latest_per_section(SECTION_BLOCK_SIZE)
    )
    context = {
        "lead": leads[0] if leads else None,
        "top_stories": leads[1:],
        "section_blocks": section_blocks(Section.objects.all(), in_blocks),
        "batch": feed_batch(size=HOME_FEED_SIZE),
    }
    return render(request, "home.html", context)


def section_blocks(sections, articles):
    """[(section, its articles)] in navigation order, leaving out empty sections."""
    by_section = {}
    for article in articles:
        by_section.setdefault(article.section_id, []).append(article)
    return [(section, by_section[section.pk]) for section in sections if section.pk in by_section]


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /staff/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the real icon."""
    return redirect(static("favicon.svg"), permanent=True)
