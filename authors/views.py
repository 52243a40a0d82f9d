import time
from copy import copy

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from newsroom.cache import fragment, tag_response
from newsroom.middleware import INLINE_SCRIPT, script_hash
from newsroom.pagination import paginate_newest

from .forms import LinkFormSet, ProfileForm
from .models import Author, AuthorSlugRedirect
from .services import save_own_profile
from .structured_data import profile_page

# SHA-256 of the <style> element the rich-text editor (django-prose-editor 0.28, Tiptap)
# adds to the page. tests/browser/test_profile_journeys.py fails if an upgrade changes it.
EDITOR_INJECTED_CSS = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"


@require_safe
def author_detail(request, slug):
    author = Author.objects.select_related("photo").filter(slug=slug).first()
    if author is None:
        # A merged duplicate or a changed address: send readers and search engines on.
        moved = get_object_or_404(
            AuthorSlugRedirect.objects.select_related("author"), old_slug=slug
        )
        return redirect(moved.author, permanent=True)
    # Reached through the reverse relation, so the authors app never imports articles.
    articles = author.articles.published().newest_first().for_listing()
    page = paginate_newest(request, articles, kept_as=f"author:{author.pk}")
    links = kept_links(author)
    context = {
        "author": author,
        "links": links,
        "page": page,
        "structured_data": profile_page(author, request, links),
    }
    response = render(request, "authors/author_detail.html", context)
    # The authors app names article keys itself: it never imports articles.
    keys = {f"author:{author.pk}", *(f"article:{article.pk}" for article in page)}
    return tag_response(response, keys)


def kept_links(author):
    """The author's profiles elsewhere, [{"url": ..., "label": ...}] in their order, kept
    as a fragment until their profile is saved in any way (each purges "author:<pk>" or
    "site"): the author page then reads only the author's row and their stories' keys."""

    def read():
        return [{"url": link.url, "label": link.get_kind_display()} for link in author.links.all()]

    def expires():
        return time.time() + settings.NEWSROOM_PAGE_CACHE_TTL

    keys = {f"author:{author.pk}"}
    return fragment(f"author-links:{author.pk}", read, keys=lambda links: keys, expires=expires)


@login_required
def profile_edit(request):
    """A signed-in reporter edits their own author profile, and only their own: the
    profile is found from the login, never from anything in the request."""
    author = Author.objects.for_card().filter(user=request.user).first()
    if author is None:
        return render(request, "authors/no_profile.html", status=404)
    # The form edits a copy, so the preview card keeps showing what is saved.
    form = ProfileForm(
        request.POST or None, request.FILES or None, instance=copy(author), editor=request.user
    )
    links = LinkFormSet(request.POST or None, instance=author, prefix="links")
    if request.method == "POST":
        # One transaction: the profile stays locked from the version check to the save.
        with transaction.atomic():
            if form.is_valid() and links.is_valid():
                save_own_profile(form=form, links=links, by=request.user)
                messages.success(request, "Your profile is saved. This is how readers now see it.")
                return redirect("authors:profile")
    status = 200 if request.method != "POST" else 409 if form.conflict else 400
    context = {"author": author, "form": form, "links": links}
    response = render(request, "authors/profile_form.html", context, status=status)
    # The long-bio editor needs an inline import map: allow exactly the inline scripts on
    # this page by their hashes (as the admin does), never inline script in general; and
    # the one stylesheet its editor core (Tiptap) injects.
    hashes = [script_hash(body) for body in INLINE_SCRIPT.findall(response.content)]
    response._csp_update = {"script-src": hashes, "style-src": [EDITOR_INJECTED_CSS]}
    return response


@require_safe
def team(request):
    """Active contributors by desk, in one query (the template groups them)."""
    authors = Author.objects.active().for_team()
    response = render(request, "authors/team.html", {"authors": authors})
    # Not the authors' keys: those purge on every story they publish. Profile changes
    # purge "team" (authors.services).
    return tag_response(response, ["team"])
