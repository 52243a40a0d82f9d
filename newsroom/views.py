"""Site-wide pages: the home page and robots.txt. Error pages are 404.html and 500.html."""

import base64

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.caching import shared_fragment, story_keys, tag_feed_batch
from articles.models import Article, Byline, HomeSlot, Section
from articles.newsfeed import Cursor, feed_batch

from .cache import tag_response
from .forms import TokenForm

SECTION_BLOCK_SIZE = 4
# Blocks for the first sections of the navigation; the rest are a click away.
SECTION_BLOCK_COUNT = 8
HOME_FEED_SIZE = 12


@require_safe
def home(request):
    """Lead and top stories, section blocks and the News Feed column, with no story twice.

    htmx's "Show More" in the column asks this page for the next batch, so the batch leaves
    out the stories shown above it too; without JavaScript the link opens the News Feed.
    """
    front = front_page()
    before = request.GET.get("before") if request.htmx else None
    cursor = Cursor.parse(before) if before is not None else None
    size = None if cursor else HOME_FEED_SIZE
    batch = feed_batch(cursor, size=size, exclude=front["shown"])
    if cursor:
        context = {"batch": batch, "cursor": cursor, "more_url": reverse("home")}
        response = render(request, "articles/includes/feed_batch.html", context)
        patch_vary_headers(response, ["HX-Request"])
        return tag_feed_batch(response, batch, cursor, {"home", "newsfeed"})
    context = {"front": front["html"], "batch": batch, "more_url": reverse("home")}
    response = render(request, "home.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return tag_response(response, front_keys(front) | story_keys(batch.items))


def front_page():
    """The lead, the top stories and the section blocks, rendered once for every reader and
    kept until the home page is purged (any article event, a slot saved) or a slot or a
    scheduled story is due: {"html": ..., "shown": the stories' pks, in page order}."""
    return shared_fragment("front-page", render_front_page, keys=front_keys)


def front_keys(front):
    return {"home", *(f"article:{pk}" for pk in front["shown"])}


def render_front_page():
    top = top_stories()
    sections = list(Section.objects.all()[:SECTION_BLOCK_COUNT])
    in_blocks = (
        Article.objects.published()
        .exclude(pk__in=[article.pk for article in top])
        .exclude(kind=Article.Kind.NEWS)
        .filter(section__in=sections)
        .for_listing()
        .latest_per_section(SECTION_BLOCK_SIZE)
    )
    blocks = section_blocks(sections, in_blocks)
    context = {
        "lead": top[0] if top else None,
        "top_stories": top[1:],
        "section_blocks": blocks,
    }
    shown = [*top, *(article for _, articles in blocks for article in articles)]
    html = render_to_string("includes/front_page.html", context)
    return {"html": html, "shown": [article.pk for article in shown]}


def top_stories():
    """The lead story, then the top stories: each place shows the editors' live slot, or
    else the newest illustrated story (not a news item) not placed already.

    Three queries: the live slots with their stories, the fallback stories, the bylines.
    """
    chosen = {}
    for slot in HomeSlot.objects.live().select_related("article__section", "article__lead_image"):
        placed = {article.pk for article in chosen.values()}
        if slot.position not in chosen and slot.article_id not in placed:
            chosen[slot.position] = slot.article
    newest = (
        Article.objects.published()
        .newest_first()
        .for_listing()
        .exclude(kind=Article.Kind.NEWS)
        .with_lead_photo()
        .exclude(pk__in=[article.pk for article in chosen.values()])
    )
    fallback = iter(newest[: len(HomeSlot.Position) - len(chosen)])
    places = [chosen.get(position) or next(fallback, None) for position in HomeSlot.Position]
    stories = [article for article in places if article is not None]
    bylines = Byline.objects.select_related("author")
    prefetch_related_objects(stories, Prefetch("bylines", queryset=bylines))
    return stories


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
        # Result pages are endless query variations of stories already in the sitemaps.
        "Disallow: /search/",
        # Private preview links: also sent with X-Robots-Tag: noindex.
        "Disallow: /preview/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        f"Sitemap: {request.build_absolute_uri(reverse('news_sitemap'))}",
    ]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    return tag_response(response, ["robots"])


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the real icon."""
    return redirect(static("favicon.svg"), permanent=True)


def qr_code_svg(data):
    """An inline SVG QR code for `data`: our own markup, so it needs no image URL or script."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg = image.to_string(encoding="unicode")
    return mark_safe(svg[svg.index("<svg") :])  # noqa: S308 - generated here, not user input


@login_required
def two_factor(request):
    """Staff set up an authenticator app: scan, then confirm with one code."""
    confirmed = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if confirmed:
        return render(request, "two_factor.html", {"device": confirmed})
    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        messages.success(request, "Two-factor sign-in is on. You will be asked for a code.")
        return redirect("two_factor")
    key = base64.b32encode(device.bin_key).decode()
    context = {"form": form, "qr_code": qr_code_svg(device.config_url), "key": key}
    status = 400 if request.method == "POST" else 200
    return render(request, "two_factor.html", context, status=status)
