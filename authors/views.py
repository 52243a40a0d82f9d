from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from newsroom.pagination import paginate

from .forms import LinkFormSet, ProfileForm
from .models import Author


@require_safe
def author_detail(request, slug):
    author = get_object_or_404(Author.objects.for_card(), slug=slug)
    # Reached through the reverse relation, so the authors app never imports articles.
    articles = author.articles.published().newest_first().with_bylines()
    page = paginate(request, articles)
    return render(request, "authors/author_detail.html", {"author": author, "page": page})


@login_required
def profile_edit(request):
    """A signed-in reporter edits their own author profile, and only their own: the
    profile is found from the login, never from anything in the request."""
    author = Author.objects.for_card().filter(user=request.user).first()
    if author is None:
        return render(request, "authors/no_profile.html", status=404)
    # The form edits a copy, so the preview card keeps showing what is saved.
    form = ProfileForm(request.POST or None, request.FILES or None, instance=copy(author))
    links = LinkFormSet(request.POST or None, instance=author, prefix="links")
    if request.method == "POST" and form.is_valid() and links.is_valid():
        with transaction.atomic():
            form.save()
            links.save()
        messages.success(request, "Your profile is saved. This is how readers now see it.")
        return redirect("authors:profile")
    status = 400 if request.method == "POST" else 200
    context = {"author": author, "form": form, "links": links}
    return render(request, "authors/profile_form.html", context, status=status)
