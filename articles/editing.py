"""What the article change form adds so that no editor loses work: who else has the story
open (a heartbeat, and "Take over"), and the editor's own autosaved copy of unsaved text.

ArticleAdmin mounts these views (`urls()`) and puts `change_form_context()` into its change
form. The page's script is static/js/editing.js; everything it does is also on the page
without it, except keeping the presence list and the autosave current.
"""

import json
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from . import services
from .models import Article, Autosave, EditSession

RESTORE = "autosave"  # ?restore=autosave fills the form from the editor's copy


def urls(model_admin):
    """The admin URLs of these views, bound to `model_admin` (the ArticleAdmin)."""
    info = model_admin.opts.app_label, model_admin.opts.model_name

    def bound(view):
        return wraps(view)(lambda request, **kwargs: view(request, model_admin, **kwargs))

    return [
        path(
            "<path:object_id>/editing/heartbeat/",
            bound(heartbeat),
            name="{}_{}_heartbeat".format(*info),
        ),
        path(
            "<path:object_id>/editing/take-over/",
            bound(take_over),
            name="{}_{}_take_over".format(*info),
        ),
        path("editing/autosave/", bound(autosave), name="{}_{}_autosave".format(*info)),
        path(
            "editing/autosave/discard/",
            bound(discard),
            name="{}_{}_discard_autosave".format(*info),
        ),
    ]


def json_error(message, status):
    return JsonResponse({"error": message}, status=status)


def staff_post(view):
    """POST only, CSRF-checked and never cached, for staff who may change articles;
    anything else is refused with a JSON error."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        user = request.user
        if not (user.is_active and user.is_staff and user.has_perm("articles.change_article")):
            return json_error("Sign in as a member of staff who may edit articles.", 403)
        if request.method != "POST":
            response = json_error("Send a POST request.", 405)
            response["Allow"] = "POST"
            return response
        return view(request, *args, **kwargs)

    return csrf_protect(never_cache(checked))


def editable_article(request, model_admin, object_id):
    """(article, None), or (None, a JSON error) when it is missing or not the user's to edit.

    Reads only what the permission check and the audit log need: these views answer
    every few seconds for every open form.
    """
    object_id = unquote(object_id)
    article = None
    if object_id.isdigit() and len(object_id) < 19:  # beyond a 64-bit id
        article = Article.objects.only("title", "status", "published_at").filter(pk=object_id)
        article = article.first()
    if article is None:
        return None, json_error("No such article.", 404)
    if not model_admin.has_change_permission(request, article):
        return None, json_error("You may not edit this article.", 403)
    return article, None


def editor_name(user):
    return user.get_full_name() or user.get_username()


def local_time(moment):
    return time_format(timezone.localtime(moment), "H:i")


def presence(article, user, taken_over):
    """What the heartbeat tells the page: who else is editing, and `taken_over` (the
    user's own session, if someone took the story over from them)."""
    others = EditSession.objects.editing(article).exclude(user=user)
    answer = {
        "editing": [
            {
                "name": editor_name(other.user),
                "since": local_time(other.started),
                "message": f"{editor_name(other.user)} is editing since "
                f"{local_time(other.started)}",
            }
            for other in others
        ],
        "taken_over": None,
    }
    if taken_over is not None:
        answer["taken_over"] = {
            "by": editor_name(taken_over.taken_over_by) if taken_over.taken_over_by else "Someone",
            "at": local_time(taken_over.taken_over_at),
            "message": take_over_message(taken_over),
        }
    return answer


def take_over_message(session):
    who = editor_name(session.taken_over_by) if session.taken_over_by else "Someone"
    return (
        f"{who} took over this story at {local_time(session.taken_over_at)}. Your changes "
        "here are not saved: copy what you need, or reload the page to see theirs."
    )


@staff_post
def heartbeat(request, model_admin, object_id):
    article, error = editable_article(request, model_admin, object_id)
    if error:
        return error
    taken_over = services.keep_editing(article=article, user=request.user)
    return JsonResponse(presence(article, request.user, taken_over))


@staff_post
def take_over(request, model_admin, object_id):
    """A plain form's POST (the "Take over" button), answered by going back to the form."""
    article, error = editable_article(request, model_admin, object_id)
    if error:
        return error
    sessions = services.take_over_editing(article=article, by=request.user)
    if sessions:
        names = ", ".join(editor_name(session.user) for session in sessions)
        messages.success(
            request,
            f"You took over this story from {names}. They are told so, and a save they "
            "make from their open form is refused.",
        )
    else:
        messages.info(request, "Nobody else is editing this story now.")
    return redirect(reverse("admin:articles_article_change", args=[article.pk]))


def parse_autosave(body):
    """(article id or None, {field: text}) from the page's JSON, or ValidationError.

    Texts are kept as typed, even over a field's length limit: the copy is there so that
    nothing is lost, and the real save validates them.
    """
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError) as error:
        raise ValidationError("Send a JSON object.") from error
    if not isinstance(payload, dict) or set(payload) - {"article", "fields"}:
        raise ValidationError('Send {"article": id or null, "fields": {name: text}}.')
    article = payload.get("article")
    if article is not None and (type(article) is not int or article < 1):
        raise ValidationError("article must be an article id, or null for a new story.")
    fields = payload.get("fields")
    if not isinstance(fields, dict) or not fields:
        raise ValidationError("fields must be an object of field names and texts.")
    unknown = sorted(set(fields) - set(Autosave.FIELDS))
    if unknown:
        raise ValidationError(f"These fields are not kept: {', '.join(unknown)}.")
    for name, value in fields.items():
        if not isinstance(value, str):
            raise ValidationError(f"{name} must be text.")
        # Neither can be stored (PostgreSQL refuses NUL in JSON; a lone surrogate is not UTF-8).
        if "\x00" in value or not is_utf8(value):
            raise ValidationError(f"{name} contains characters that cannot be stored.")
    return article, fields


def is_utf8(value):
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@staff_post
def autosave(request, model_admin):
    if len(request.body) > settings.NEWSROOM_AUTOSAVE_MAX_BYTES:
        limit = settings.NEWSROOM_AUTOSAVE_MAX_BYTES // 1024
        return json_error(f"Too long to keep a copy: at most {limit} KB.", 413)
    try:
        article_id, data = parse_autosave(request.body)
    except ValidationError as error:
        return json_error(error.messages[0], 400)
    article = None
    if article_id is not None:
        article, error = editable_article(request, model_admin, str(article_id))
        if error:
            return error
    elif not model_admin.has_add_permission(request):
        return json_error("You may not write new articles.", 403)
    copy = services.store_autosave(article=article, user=request.user, data=data)
    return JsonResponse(
        {
            "saved_at": copy.saved_at.isoformat(),
            "message": f"Unsaved changes kept as your copy at {local_time(copy.saved_at)}.",
        }
    )


@staff_post
def discard(request, model_admin):
    """A plain form's POST ("Discard"): delete the user's own copy, back to the form."""
    article_id = request.POST.get("article", "")
    if article_id:
        article, error = editable_article(request, model_admin, article_id)
        if error:
            return error
        services.discard_autosave(article=article, user=request.user)
        target = reverse("admin:articles_article_change", args=[article.pk])
    else:
        services.discard_autosave(article=None, user=request.user)
        target = reverse("admin:articles_article_add")
    messages.info(request, "Your unsaved changes were discarded.")
    return redirect(target)


def restored_autosave(request, article):
    """The user's own copy when they asked to restore it (?restore=autosave), else None."""
    if request.method != "GET" or request.GET.get("restore") != RESTORE:
        return None
    return Autosave.objects.of(request.user, article).first()


def change_form_context(request, form, article, *, can_edit):
    """Presence, the autosave offer and the script's settings for the change form."""
    if not can_edit:
        return {}
    context = {
        "editing_script": {
            "heartbeat_url": ""
            if article is None
            else reverse("admin:articles_article_heartbeat", args=[article.pk]),
            "autosave_url": reverse("admin:articles_article_autosave"),
            "heartbeat_seconds": settings.NEWSROOM_EDITING_HEARTBEAT_SECONDS,
            "autosave_seconds": settings.NEWSROOM_AUTOSAVE_SECONDS,
            "autosave_fields": ",".join(Autosave.FIELDS),
        },
        "discard_url": reverse("admin:articles_article_discard_autosave"),
        "restored": form.restored,
        "edit_conflict": form.conflict,
    }
    if article is not None:
        services.open_editing(article=article, user=request.user)
        context["others_editing"] = list(
            EditSession.objects.editing(article).exclude(user=request.user)
        )
        context["take_over_url"] = reverse("admin:articles_article_take_over", args=[article.pk])
    if form.restored is None:
        context["autosave"] = Autosave.objects.of(request.user, article).first()
    return context
