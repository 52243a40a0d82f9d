"""The parts of the page that every page prints alike, rendered once and shared through the
fragment cache (newsroom.cache.fragment) until a purge or the next scheduled change:

    {% load fragments %}
    {% site_include "includes/header.html" %}   the header, with the section navigation
    {% breaking_banner %}                        the breaking-news banner, if one is live
    {% story_rows articles level=2 %}             the row cards of a list of stories
    {% feed_items items %}                         News Feed items
"""

from functools import partial

from django import template
from django.db.models import Prefetch, prefetch_related_objects
from django.template.loader import get_template
from django.utils.safestring import SafeString

from newsroom.cache import tag_request

from ..caching import banner_keys, breaking_news, shared_fragment, story_fragments
from ..models import Article, Byline

register = template.Library()
BYLINES = Byline.objects.select_related("author")


@register.simple_tag(takes_context=True)
def site_include(context, template_name):
    """`template_name` included as {% include %} would, rendered once for every page and
    kept until the key "site" is purged (sections, site settings and banners purge it).
    Only for templates that print nothing of the request or the reader."""
    return shared_fragment(f"include:{template_name}", lambda: include(context, template_name))


@register.simple_tag(takes_context=True)
def breaking_banner(context):
    """The banner of the newest live breaking-news flag (the context's `breaking`, from
    articles.caching.breaking_news), or nothing. A page printing it also carries its
    story's key, so unpublishing the story purges the page."""
    banner = context.get("breaking") or breaking_news()
    request = context.get("request")
    if request is not None:
        tag_request(request, banner_keys(banner))
    return banner["html"]


def include(context, template_name, **values):
    """What {% include template_name with values %} renders in `context` (safe HTML,
    which stays marked safe in the cache)."""
    included = context.template.engine.get_template(template_name)
    with context.push(**values):
        return included.render(context)


@register.simple_tag
def story_rows(articles, level=2):
    """Each story's row card (articles/includes/article_row.html, its title a heading of
    `level`), rendered once and kept until the story is purged; a page of section, tag or
    author stories mostly prints cards it has printed before. `articles` come from
    for_listing(), or are known by key only: the rows and bylines are read here (a query
    each), only for the cards not kept."""
    row = get_template("articles/includes/article_row.html")

    def render(stories):
        found = listing_rows(stories)
        prefetch_related_objects(list(found.values()), Prefetch("bylines", queryset=BYLINES))
        return [
            row.render({"article": found[story.pk], "level": level}) if story.pk in found else ""
            for story in stories
        ]

    return SafeString("".join(story_fragments(list(articles), f"row:{level}", render)))


def listing_rows(stories):
    """{pk: story} with what a card prints: stories known only by key (the first page of a
    list, newsroom.pagination.first_rows) are read in one query, and left out if they are
    no longer published."""
    if not any("title" in story.get_deferred_fields() for story in stories):
        return {story.pk: story for story in stories}
    return Article.objects.published().for_listing().in_bulk([story.pk for story in stories])


@register.simple_tag(takes_context=True)
def feed_items(context, items):
    """News Feed items (articles/includes/feed_item.html), each rendered once and kept
    until its story is purged; the story in the breaking-news banner is kept apart, with
    its mark."""
    template = get_template("articles/includes/feed_item.html")
    banner = context.get("breaking") or breaking_news()

    def render(stories, *, breaking):
        return [template.render({"item": item, "breaking": breaking}) for item in stories]

    marked = [item for item in items if item.pk == banner["article"]]
    plain = [item for item in items if item.pk != banner["article"]]
    feed = story_fragments(plain, "feed", partial(render, breaking=False))
    breaking = story_fragments(marked, "feed-breaking", partial(render, breaking=True))
    html = dict(zip([*plain, *marked], [*feed, *breaking], strict=True))
    return SafeString("".join(html[item] for item in items))
