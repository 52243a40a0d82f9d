"""schema.org JSON-LD for story pages, built as plain dicts (printed by the `jsonld`
template filter, which escapes them for a script element; never assembled as text)."""

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from authors.structured_data import person

from .models import Article

ARTICLE_TYPES = {
    Article.Kind.NEWS: "NewsArticle",
    Article.Kind.STORY: "NewsArticle",
    Article.Kind.ANALYSIS: "AnalysisNewsArticle",
    Article.Kind.OPINION: "OpinionNewsArticle",
}
# Our own logo when editors have not uploaded one (Google wants a raster image).
DEFAULT_LOGO = "img/logo.png"
DEFAULT_SOCIAL_IMAGE = "img/social-card.png"


def iso(moment):
    return moment.isoformat(timespec="seconds") if moment else None


def without_empty(data):
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def publisher(site, request):
    """The publication as a schema.org NewsMediaOrganization, with its policy pages."""
    logo = site.logo.url if site.logo else static(DEFAULT_LOGO)
    return without_empty(
        {
            "@type": "NewsMediaOrganization",
            "name": settings.NEWSROOM_SITE_NAME,
            "url": request.build_absolute_uri(reverse("home")),
            "logo": {"@type": "ImageObject", "url": request.build_absolute_uri(logo)},
            "publishingPrinciples": site.publishing_principles_url,
            "correctionsPolicy": site.corrections_policy_url,
            "ethicsPolicy": site.ethics_policy_url,
            "masthead": site.masthead_url,
            "ownershipFundingInfo": site.ownership_funding_url,
        }
    )


def news_article(article, *, site, request):
    """NewsArticle, AnalysisNewsArticle or OpinionNewsArticle for `article`, which must
    come from `for_detail()` (tags, bylines, the writers' links and corrections prefetched)."""
    url = request.build_absolute_uri(article.get_absolute_url())
    images = [static(DEFAULT_SOCIAL_IMAGE)]
    if article.shown_lead_image:
        # Google asks for large images in several proportions: the 1200×630 card and the
        # photo's own proportions.
        photo = article.shown_lead_image
        images = [
            found["url"] for found in (photo.rendition("social"), photo.largest(1920)) if found
        ]
    modified = article.updated_at or article.published_at
    return without_empty(
        {
            "@context": "https://schema.org",
            "@type": ARTICLE_TYPES[article.kind],
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "url": url,
            "headline": article.title,
            "description": article.summary,
            "image": [request.build_absolute_uri(image) for image in images],
            "datePublished": iso(article.published_at),
            "dateModified": iso(modified),
            "author": [
                person(writer, request, same_as=[link.url for link in writer.links.all()])
                for writer in article.writers
            ],
            "publisher": publisher(site, request),
            "isAccessibleForFree": True,
            "articleSection": article.section.name,
            "keywords": [tag.name for tag in article.tags.all()],
            "wordCount": article.word_count,
            "inLanguage": settings.NEWSROOM_LANGUAGE,
            "correction": [correction_comment(item) for item in article.corrections.all()],
        }
    )


def correction_comment(correction):
    """A schema.org CorrectionComment; clarifications say so in their text."""
    text = correction.text
    if correction.kind != correction.Kind.CORRECTION:
        text = f"{correction.get_kind_display()}: {text}"
    return {
        "@type": "CorrectionComment",
        "text": text,
        "datePublished": iso(correction.created),
    }


def breadcrumbs(article, request):
    """Home › Section › Story as a schema.org BreadcrumbList."""
    trail = [
        (settings.NEWSROOM_SITE_NAME, reverse("home")),
        (article.section.name, article.section.get_absolute_url()),
        (article.title, article.get_absolute_url()),
    ]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": request.build_absolute_uri(path),
            }
            for position, (name, path) in enumerate(trail, start=1)
        ],
    }
