import time

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from newsroom.cache import fragments, tag_response
from newsroom.pagination import paginate, paginate_newest

from .caching import fragment_expiry, shared_fragment, story_keys, tag_feed_batch
from .forms import SearchForm
from .models import (
    FULL_TEXT_SEARCH,
    Article,
    Correction,
    PreviewLink,
    Section,
    SlugRedirect,
    Tag,
    pool_index,
    pool_story,
    rank_related,
)
from .newsfeed import Cursor, feed_batch
from .search import SEARCH_POOL, add_snippets, search_articles
from .stories import for_reader, store, stored_parts, story_parts

MORE_NEWS_COUNT = 6
RELATED_COUNT = 4
# "Related" scores the newest stories only, so its cost does not grow with the archive.
RELATED_POOL = 1000
# "More from" leaves out the story, "More news" and "Related", and shows four.
WRITER_POOL = 1 + MORE_NEWS_COUNT + 2 * RELATED_COUNT


def can_preview(user):
    return user.is_active and user.is_staff and user.has_perm("articles.change_article")


@require_safe
def news_feed(request):
    """The whole News Feed. htmx asks for the next batch only; without JavaScript the
    "Show More" link loads the same batch as a full page."""
    before = request.GET.get("before")
    cursor = Cursor.parse(before) if before is not None else None
    batch = feed_batch(cursor)
    template = "articles/includes/feed_batch.html" if request.htmx else "articles/news_feed.html"
    response = render(request, template, {"batch": batch, "cursor": cursor})
    # One address, two bodies: caches and the back button must not mix them up.
    patch_vary_headers(response, ["HX-Request"])
    return tag_feed_batch(response, batch, cursor, {"newsfeed"})


@require_safe
def article_detail(request, slug):
    # Without a session nobody is signed in: the session is not even read, so a reader's
    # page does not vary on Cookie and the page cache may keep it.
    signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES
    preview = signed_in and can_preview(request.user)
    stored = settings.NEWSROOM_STORED_STORIES and not preview
    parts = stored_parts(slug) if stored else None
    if parts is not None:
        return article_page(request, parts)
    started = time.time()
    articles = Article.objects.for_detail()
    article = (articles if preview else articles.published()).filter(slug=slug).first()
    if article is None:
        moved = get_object_or_404(SlugRedirect.objects.select_related("article"), old_slug=slug)
        if not (preview or moved.article.is_published):
            raise Http404("No such story.")
        return redirect(moved.article, permanent=True)
    parts = story_parts(article)
    if stored:
        store([(article, parts)], started=started)
    return article_page(request, parts, article=article)


def article_page(request, parts, *, article=None, preview_link=None):
    """The public story page from its stored or fresh `parts` (articles.stories), with the
    preview banner when readers cannot see `article` (given when it was read) yet."""
    more_news = [item for item in newest_stories() if item["pk"] != parts["pk"]]
    more_news = more_news[:MORE_NEWS_COUNT]
    preview = preview_state(article) if article is not None else None
    context = {
        "story": for_reader(parts, request),
        "article": article,
        "is_preview": preview is not None,
        "preview": preview,
        "preview_link": preview_link,
        "more_news": more_news,
        **related_stories(parts, already_shown=[item["pk"] for item in more_news]),
    }
    response = render(request, "articles/article_detail.html", context)
    if preview is not None or preview_link is not None:
        keep_private(response)
        return response
    listed = [*more_news, *context["related"], *context.get("more_from_author", [])]
    keys = {f"article:{item['pk']}" for item in listed}
    return tag_response(response, {*parts["keys"], "newsfeed", *keys})


def newest_stories():
    """The head of the News Feed for a story's "More news", one more than it shows so the
    story on the page can be left out: [{"pk": ..., "html": <li> rendered}, ...].
    Rendered once for every story page and kept until the News Feed is purged (any
    article event) or a scheduled story is due."""

    def render():
        newest = Article.objects.published().newest_first().for_listing()
        template = "articles/includes/more_news_item.html"
        return [
            {"pk": item.pk, "html": render_to_string(template, {"item": item})}
            for item in newest[: MORE_NEWS_COUNT + 1]
        ]

    return shared_fragment("newest-stories", render, keys=lambda items: {"newsfeed"})


def preview_state(article):
    """Why readers cannot see `article` yet, for the preview banner, or None if they can.

    {"state": "embargoed" | "scheduled" | "unpublished" | "not-live", "at": a time or None}
    """
    if article.is_embargoed:
        return {"state": "embargoed", "at": article.embargo_until}
    if article.is_published:
        return None
    if article.status != Article.Status.PUBLISHED:
        return {"state": "unpublished", "at": None}
    if article.published_at and article.published_at > timezone.now():
        return {"state": "scheduled", "at": article.published_at}
    return {"state": "not-live", "at": None}


def keep_private(response):
    """Previews stay out of caches, search engines and other sites' referrer logs."""
    patch_cache_control(response, no_store=True, private=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_safe
def preview_link(request, token):
    """A story seen through a shareable preview link, by anyone who has the address."""
    try:
        link = PreviewLink.objects.for_token(token).first()
    except signing.BadSignature:
        return refuse_preview(request, "invalid", status=404)
    if link is None or link.revoked_at is not None:
        return refuse_preview(request, "revoked", link=link, status=410)
    if link.is_expired:
        return refuse_preview(request, "expired", link=link, status=410)
    article = Article.objects.for_detail().get(pk=link.article_id)
    if article.is_embargoed:
        return refuse_preview(request, "embargoed", article=article, status=403)
    if article.is_published:
        return keep_private(redirect(article))
    return article_page(request, story_parts(article), article=article, preview_link=link)


def refuse_preview(request, reason, *, status, **context):
    context["reason"] = reason
    response = render(request, "articles/preview_refused.html", context, status=status)
    return keep_private(response)


def related_stories(parts, *, already_shown):
    """The "Related" and "More from <first writer>" lists of the story of `parts`, never
    repeating a story already on the page, as [{"pk": ..., "html": <li> rendered}, ...].
    The related stories are scored and printed from the kept pool of the newest; the
    writer's newest stories are kept as a fragment too."""
    shown = [parts["pk"], *already_shown]
    story = (parts["pk"], parts["section"], parts["tags"])
    pool = related_pool()
    rows = rank_related(
        story, pool["rows"], index=pool["index"], exclude=shown, count=RELATED_COUNT
    )
    ids = [row[0] for row in rows]
    related = [{"pk": pk, "html": html} for pk, html in zip(ids, related_items(rows), strict=True)]
    writer = parts["first_writer"]
    if writer is None:
        return {"related": related}
    shown += ids
    more_from = [item for item in writer_newest(writer["pk"]) if item["pk"] not in shown]
    return {
        "related": related,
        "first_writer": writer,
        "more_from_author": more_from[:RELATED_COUNT],
    }


def related_pool():
    """The newest stories as "Related" scores them (ArticleQuerySet.related_pool), with
    where each section's and tag's sit among them (pool_index): {"rows", "index"}. Read
    once for every story page and kept until the News Feed is purged (any article event,
    which a change of section or tags is) or a scheduled story is due."""

    def read():
        rows = Article.objects.published().related_pool(RELATED_POOL)
        return {"rows": rows, "index": pool_index(rows)}

    # Named for its shape: a process running older code keeps reading its own name.
    name = f"related-pool:{RELATED_POOL}:indexed"
    return shared_fragment(name, read, keys=lambda pool: {"newsfeed"})


def related_items(rows):
    """The "Related" item of each of `rows` (of the kept pool, which holds what an item
    prints), each kept until its story is purged: no query, for stories nobody has asked
    for yet as for the rest."""
    template = get_template("articles/includes/related_item.html")

    def render(missing):
        return [template.render({"item": pool_story(row)}) for row in missing]

    def keys(row):
        return {f"article:{row[0]}"}

    items = {f"related:{row[0]}": row for row in rows}
    return list(fragments(items, render, keys=keys, expires=fragment_expiry).values())


def writer_newest(author):
    """The newest stories of `author` (a pk) for "More from": as many as the rest of a story page
    can leave out (the story, "More news", "Related") plus the four shown, so that leaving
    them out always leaves the four a query would find. Kept until a story of theirs is
    purged (its event purges "author:<pk>") or a scheduled one is due."""
    template = get_template("articles/includes/more_from_item.html")

    def render():
        newest = Article.objects.published().by_author(author).newest_first().for_listing()
        return [
            {"pk": item.pk, "html": template.render({"item": item})}
            for item in newest[:WRITER_POOL]
        ]

    name = f"more-from:{author}"
    return shared_fragment(name, render, keys=lambda items: {f"author:{author}"})


@require_safe
def section_detail(request, slug):
    section = get_object_or_404(Section, slug=slug)
    articles = Article.objects.published().filter(section=section).newest_first().for_listing()
    page = paginate_newest(request, articles, kept_as=f"section:{section.pk}")
    response = render(request, "articles/section_detail.html", {"section": section, "page": page})
    return tag_response(response, {f"section:{section.pk}", *story_keys(page)})


@require_safe
def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    articles = Article.objects.published().filter(tags=tag).newest_first().for_listing()
    page = paginate_newest(request, articles, kept_as=f"tag:{tag.pk}")
    response = render(request, "articles/tag_detail.html", {"tag": tag, "page": page})
    return tag_response(response, {f"tag:{tag.pk}", *story_keys(page)})


@require_safe
def search(request):
    """Reader search. Always answers with the search page: an empty, absurd or invalid
    query gets the page with a message, never an error."""
    form = SearchForm(request.GET)
    page = None
    if form.is_valid() and form.has_words:
        page = paginate(request, search_articles(form.query, **form.search_arguments()))
        add_snippets(page.object_list, form.query)
    status = 200 if form.is_valid() else 400
    capped = page is not None and FULL_TEXT_SEARCH and page.paginator.count >= SEARCH_POOL
    context = {"form": form, "page": page, "capped": capped, "pool": SEARCH_POOL}
    return render(request, "articles/search.html", context, status=status)


@require_safe
def corrections(request):
    """Every correction and clarification on a live story, newest first."""
    page = paginate_newest(request, Correction.objects.public().for_listing())
    response = render(request, "articles/corrections.html", {"page": page})
    stories = [correction.article for correction in page]
    return tag_response(response, {"corrections", *story_keys(stories)})
