from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from reversion.admin import VersionAdmin
from reversion.models import Version

from newsroom.cache import purge_keys
from newsroom.concurrency import VersionedModelForm, refused_status, saving_as
from photos.admin import photo_picker

from . import editing, preflight, services
from .caching import article_keys, purge_article, purge_pages
from .editing import take_over_message
from .models import (
    Article,
    BodyImage,
    BreakingNews,
    Byline,
    Correction,
    EditSession,
    HomeSlot,
    MyStory,
    PreviewLink,
    ReviewQueueItem,
    ScheduledStory,
    Section,
    SiteSettings,
    SlugRedirect,
    Tag,
    TrashedArticle,
)
from .revisions import article_values, compare, version_values, versions_of
from .services import (
    can_flag_breaking,
    can_publish,
    can_review,
    can_revoke_preview,
    can_share_preview,
    can_trash,
    create_preview_link,
    delete_correction,
    discard_autosave,
    end_breaking,
    flag_breaking,
    publish_article,
    record_slug_change,
    refresh_search_names,
    restore_from_trash,
    restore_version,
    revoke_preview_link,
    save_correction,
    stop_editing,
    trash_article,
    unpublish_article,
    unschedule_article,
)

SUBSTANTIVE, MINOR_FIX = "substantive", "minor"


def is_public(article):
    """Published, or scheduled to be: the only stories cached pages can show. A draft's
    saves purge nothing (its staff preview is never cached)."""
    return article.status == Article.Status.PUBLISHED


def labelled_split_datetime(label):
    """The admin's date and time inputs, each named for screen readers (Django's own carry
    only the visible words "Date:" and "Time:", which are not labels)."""
    widget = AdminSplitDateTime()
    widget.widgets[0].attrs["aria-label"] = f"{label}: date"
    widget.widgets[1].attrs["aria-label"] = f"{label}: time"
    return widget


class ArticleAdminForm(VersionedModelForm):
    update_kind = forms.ChoiceField(
        label="This save is a",
        choices=[(SUBSTANTIVE, "Substantive update"), (MINOR_FIX, "Minor fix")],
        widget=forms.RadioSelect,
        help_text="The story is live. A substantive update shows readers “Updated” with the "
        "time of this save and tells search engines and news apps it changed; a minor fix "
        "(a typo, a caption) changes none of that.",
    )
    restored = None  # the editor's autosaved copy, when they chose to restore it

    # Not model fields: the workflow buttons read them, and services write the model.
    embargo = forms.SplitDateTimeField(
        label="Embargoed until",
        required=False,
        widget=labelled_split_datetime("Embargoed until"),
        help_text="Optional. Before this time the story appears nowhere, whatever its status. "
        "Clear it to lift the embargo.",
    )
    schedule_for = forms.SplitDateTimeField(
        label="Schedule for",
        required=False,
        widget=labelled_split_datetime("Schedule for"),
        help_text="A future time, then press Schedule. Not before the embargo.",
    )
    return_note = forms.CharField(
        label="Note to the writer",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional; shown to the writer when you press Return to draft.",
    )

    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose the fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.taken_over = None
        # Asked on live stories only: a draft or a scheduled story has no public update.
        if not self.instance.is_published:
            del self.fields["update_kind"]
        elif self.data.get("_transition"):
            # A workflow button (Unpublish) saves the form first; unless the editor says
            # otherwise, that save is no public update.
            self.fields["update_kind"].required = False
        if self.restored is not None and not self.is_bound:
            self.initial.update(self.restored.data)
        if "embargo" in self.fields:
            self.fields["embargo"].initial = self.instance.embargo_until

    def clean_embargo(self):
        until = self.cleaned_data["embargo"]
        problem = services.embargo_problem(self.instance, until)
        if "embargo" in self.changed_data and problem:
            raise ValidationError(problem)
        return until

    def clean(self):
        cleaned_data = super().clean()
        if self.conflict is None and self.editor is not None and self.instance.pk is not None:
            self.check_take_over()
        return cleaned_data

    def check_take_over(self):
        """Refuse the save once when someone took the story over from this editor."""
        self.taken_over = (
            EditSession.objects.filter(
                article=self.instance, user=self.editor, taken_over_at__isnull=False
            )
            .select_related("taken_over_by")
            .first()
        )
        if self.taken_over is not None:
            message = take_over_message(self.taken_over)
            self.add_error(None, ValidationError(f"Not saved: {message}", code="taken_over"))


class BylineInline(admin.TabularInline):
    model = Byline
    autocomplete_fields = ["author"]
    fields = ["author", "role", "position"]
    extra = 1
    verbose_name = "author"
    verbose_name_plural = "authors (byline order: lowest position first)"

    def get_queryset(self, request):
        # Each row prints its byline, "<author> on <article>": fetch both with the rows.
        return super().get_queryset(request).select_related("author", "article")


WORKFLOW_INPUTS = ["embargo", "schedule_for", "return_note"]


def embargo_changed(form):
    """The embargo input changed, to the second: the form shows no microseconds."""
    if "embargo" not in form.fields:
        return False
    before, after = form.instance.embargo_until, form.cleaned_data.get("embargo")
    if before is not None:
        before = before.replace(microsecond=0)
    return before != after


class StateFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        # The Trash has its own page; the article list never shows trashed stories.
        return [(value, label) for value, label in Article.State.choices if value != "trashed"]

    def queryset(self, request, queryset):
        if self.value() in Article.State.values:
            return queryset.in_state(self.value())
        return queryset


class CorrectionInline(admin.StackedInline):
    """Saved through services.save_correction / delete_correction (ArticleAdmin.save_formset),
    which stamp who wrote it and log it."""

    model = Correction
    fields = ["kind", "text", "created", "created_by"]
    readonly_fields = ["created", "created_by"]
    extra = 0
    verbose_name_plural = (
        "corrections and clarifications (shown to readers at the end of the story and on "
        "the Corrections page as soon as the story is saved)"
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")


class BodyImageInline(admin.TabularInline):
    """Photos inside the story, chosen from the library (editors never paste image
    addresses into the body)."""

    model = BodyImage
    fields = ["image", "after_paragraph", "caption"]
    extra = 0
    verbose_name_plural = "photos in the body (from the library)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("image", "article")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = photo_picker(db_field, self.admin_site, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    list_display = ["title", "state_label", "kind", "section", "author_names", "published_at"]
    list_filter = [StateFilter, "kind", "section"]
    list_select_related = ["section"]
    search_fields = ["title", "slug", "summary"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["tags"]
    inlines = [BylineInline, BodyImageInline, CorrectionInline]
    actions = ["publish_selected", "unpublish_selected", "flag_breaking_selected", "trash_selected"]
    # Revisions (django-reversion): History lists them, compares two and restores one.
    object_history_template = "admin/articles/article/object_history.html"
    change_list_template = "admin/articles/article/change_list.html"
    list_per_page = 50
    # No second COUNT(*) over the whole archive on every filtered page load.
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "section", "summary", "body"]}),
        ("Lead photo", {"fields": ["lead_image", "lead_image_caption"]}),
        ("Video and tags", {"fields": ["video_url", "tags"]}),
        (
            "Publishing",
            {
                "fields": [
                    "state_label",
                    "last_change",
                    "published_at",
                    "embargo",
                    "schedule_for",
                    "updated_at",
                    "update_kind",
                ]
            },
        ),
        ("Review", {"fields": ["review_note", "return_note"]}),
    ]
    # Status, publish time and embargo change only through the workflow buttons (services),
    # and read-only fields never come from the POST, so a crafted request cannot set them.
    readonly_fields = [
        "state_label",
        "last_change",
        "status",
        "published_at",
        "embargo_until",
        "updated_at",
        "review_note",
    ]

    def get_queryset(self, request):
        bylines = Byline.objects.select_related("author")
        articles = super().get_queryset(request).not_trashed()  # the Trash lists those
        return articles.prefetch_related(Prefetch("bylines", bylines))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = photo_picker(db_field, self.admin_site, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="authors")
    def author_names(self, article):
        return ", ".join(author.name for author in article.writers)

    @admin.display(description="status")
    def state_label(self, article):
        if article.was_returned:
            return "Draft (returned to the writer)"
        if article.state == Article.State.SCHEDULED:
            when = timezone.localtime(article.goes_live_at)
            return f"Scheduled for {when:%d %b %Y, %H:%M}"
        return article.state.label

    @admin.display(description="last change")
    def last_change(self, article):
        if not article.last_transition:
            return "–"
        step = article.get_last_transition_display()
        if article.last_transition_by:
            step += f" by {article.last_transition_by}"
        if article.last_transition_at:
            step += f", {timezone.localtime(article.last_transition_at):%d %b %Y, %H:%M}"
        return step

    def get_fieldsets(self, request, obj=None):
        """Publishers set embargoes and schedule; reviewers write notes; everybody else sees
        the publishing facts read-only."""
        user = request.user
        hidden = set()
        if can_publish(user):
            hidden.add("embargo_until")
        else:
            hidden |= {"embargo", "schedule_for"}
        # Asked on live stories only: a draft or a scheduled story has no public update.
        if not (can_publish(user) and obj is not None and obj.is_published):
            hidden.add("update_kind")
        if not can_review(user):
            hidden.add("return_note")
        fieldsets = []
        for title, options in self.fieldsets:
            fields = [name for name in options["fields"] if name not in hidden]
            if title == "Publishing" and "embargo" in hidden:
                fields.insert(fields.index("published_at") + 1, "embargo_until")
            fieldsets.append((title, {**options, "fields": fields}))
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        """Leave out the workflow inputs this user is not shown, so that a crafted value for
        one is ignored like any other unknown field."""
        form = super().get_form(request, obj, change, **kwargs)
        shown = flatten_fieldsets(self.get_fieldsets(request, obj))
        unused = {name: None for name in WORKFLOW_INPUTS if name not in shown}
        # The editor's identity and any autosaved copy they chose to restore.
        restored = editing.restored_autosave(request, obj)
        attributes = {**unused, "editor": request.user, "restored": restored}
        return type(form.__name__, (form,), attributes)

    def has_change_permission(self, request, obj=None):
        """Reporters change their own drafts; reviewers anything not yet released; a
        scheduled, live or unpublished story only those who may publish."""
        allowed = super().has_change_permission(request, obj)
        if obj is not None:
            return allowed and services.can_edit(request.user, obj)
        return allowed

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def view_on_site(self, article):
        return article.get_absolute_url() if article.is_published else None

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        article = obj or Article(created_by=request.user)
        if add:
            editable = self.has_add_permission(request)
        else:
            editable = self.has_change_permission(request, obj)
        names = services.available_transitions(article=article, user=request.user)
        context["transitions"] = [(name, services.LABELS[name]) for name in names if editable]
        if article.state != Article.State.PUBLISHED:
            context["preflight"] = preflight.problems(article)
        self.add_preview_context(request, context, obj)
        form = context["adminform"].form
        context.update(editing.change_form_context(request, form, obj, can_edit=editable))
        response = super().render_change_form(request, context, add, change, form_url, obj)
        return refused_status(response, form)

    def save_model(self, request, article, form, change):
        self.refuse_forbidden_transition(request, article)
        if not change:
            article.created_by = request.user
        if form.cleaned_data.get("update_kind") == SUBSTANTIVE:
            if not can_publish(request.user):
                raise PermissionDenied("You may not mark articles as updated.")
            article.updated_at = timezone.now()
        saving_as(article, request.user)
        before = Article.objects.get(pk=article.pk) if change else None
        if before is not None and is_public(before):
            # The pages the story is on before this save: it may leave a section, a tag or
            # a writer's page, and those must be purged too (save_related).
            form.keys_before = article_keys(before)
        super().save_model(request, article, form, change)
        # Saved: the editor's autosaved copy has served its purpose, and they have left.
        discard_autosave(article=article if change else None, user=request.user)
        stop_editing(article=article, user=request.user)
        if change and "slug" in form.changed_data:
            record_slug_change(article=article, old_slug=form.initial.get("slug"))
        if embargo_changed(form):
            services.set_embargo(
                article=article, by=request.user, until=form.cleaned_data["embargo"]
            )
        # For response_add/response_change, which run the transition after the bylines
        # are saved: the preflight checks read them.
        article.workflow_input = form.cleaned_data

    def refuse_forbidden_transition(self, request, article):
        """Before anything is saved: a button this user is never offered is a crafted
        request, refused whole (the admin's transaction undoes the save)."""
        name = request.POST.get("_transition")
        if name is None:
            return
        if name not in services.TRANSITIONS:
            raise BadRequest("Unknown workflow step.")
        allowed, _states = services.TRANSITIONS[name]
        if not allowed(request.user, article):
            raise PermissionDenied(f"You may not use “{services.LABELS[name]}” on this story.")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Bylines and tags are saved only now; the search document names them.
        refresh_search_names(articles=Article.objects.filter(pk=form.instance.pk))
        if is_public(form.instance) or hasattr(form, "keys_before"):
            purge_article(form.instance, also=getattr(form, "keys_before", ()))

    def response_add(self, request, obj, post_url_continue=None):
        if "_transition" in request.POST:
            return self.apply_transition(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_transition" in request.POST:
            return self.apply_transition(request, obj)
        return super().response_change(request, obj)

    def apply_transition(self, request, article):
        """Run the button's transition on the saved story, then show it again. A refusal
        lists every problem; the edits just saved stay saved."""
        name = request.POST["_transition"]
        data = article.workflow_input
        steps = {
            "submit": lambda: services.submit_for_review(article=article, by=request.user),
            "return": lambda: services.return_to_draft(
                article=article, by=request.user, note=data.get("return_note") or ""
            ),
            "publish": lambda: publish_article(article=article, by=request.user),
            "schedule": lambda: services.schedule_article(
                article=article, by=request.user, at=data.get("schedule_for")
            ),
            "unschedule": lambda: unschedule_article(article=article, by=request.user),
            "unpublish": lambda: unpublish_article(article=article, by=request.user),
        }
        try:
            steps[name]()
        except ValidationError as error:
            done = services.DONE[name]
            self.message_user(
                request, f"Your changes are saved, but the story was not {done}:", messages.ERROR
            )
            for problem in error.messages:
                self.message_user(request, problem, messages.ERROR)
        else:
            state = self.state_label(article)
            self.message_user(request, f"“{article}”: {state}.", messages.SUCCESS)
        return redirect("admin:articles_article_change", article.pk)

    def changelist_view(self, request, extra_context=None):
        # Only actions (POSTs) save, in one revision; reading the list needs no transaction.
        if request.method == "POST":
            return super().changelist_view(request, extra_context)
        return admin.ModelAdmin.changelist_view(self, request, extra_context)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Correction:
            return super().save_formset(request, form, formset, change)
        for correction in formset.save(commit=False):
            save_correction(correction=correction, by=request.user)
        for correction in formset.deleted_objects:
            delete_correction(correction=correction, by=request.user)
        return None

    # Deleting moves to the Trash ----------------------------------------------------------

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # trash_selected replaces it
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        context = {"trash_days": settings.NEWSROOM_TRASH_DAYS, **(extra_context or {})}
        return super().delete_view(request, object_id, context)

    def get_deleted_objects(self, objs, request):
        # Nothing is deleted, so the confirmation page lists only the stories themselves.
        return [str(obj) for obj in objs], {}, set(), []

    def log_deletions(self, request, queryset):
        # Django's admin log would say "Deleted"; the story only moves to the Trash.
        for article in queryset:
            self.log_change(request, article, "Moved to the Trash.")

    def delete_model(self, request, article):
        trash_article(article=article, by=request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            trash_article(article=article, by=request.user)

    def response_delete(self, request, obj_display, obj_id):
        self.message_user(request, trash_message(f"“{obj_display}” was"), messages.SUCCESS)
        return redirect("admin:articles_article_changelist")

    @admin.action(description="Move selected articles to the Trash", permissions=["delete"])
    def trash_selected(self, request, queryset):
        articles = list(queryset)
        self.delete_queryset(request, articles)
        count = len(articles)
        self.message_user(request, trash_message(f"{count} article(s) were"), messages.SUCCESS)

    def recoverlist_view(self, request, extra_context=None):
        raise Http404("Deleted articles come back from the Trash.")

    def recover_view(self, request, version_id, extra_context=None):
        raise Http404("Deleted articles come back from the Trash.")

    # Revisions ---------------------------------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        """Django's history page with the article's revisions, to compare or restore."""
        versions = Version.objects.get_for_object_reference(Article, unquote(object_id))
        versions = list(versions.select_related("revision", "revision__user"))
        context = {"versions": versions, **(extra_context or {})}
        # Skips VersionAdmin's own list: the template shows `versions` instead.
        return admin.ModelAdmin.history_view(self, request, object_id, context)

    def compare_view(self, request, object_id):
        """Two versions side by side: ?older=<version id>&newer=<version id>."""
        article = self.revision_article(request, object_id)
        versions = versions_of(article)
        chosen = [request.GET.get("older", ""), request.GET.get("newer", "")]
        found = versions.in_bulk([pk for pk in chosen if pk.isdigit()])
        if len(found) != 2:
            self.message_user(request, "Choose two different versions to compare.", messages.ERROR)
            response = self.history_view(request, object_id)
            response.status_code = 400
            return response
        older, newer = sorted(found.values(), key=lambda version: version.pk)
        rows, body = compare(version_values(older), version_values(newer))
        return self.revision_page(
            request, article, rows, body, older=older, newer=newer, title="Compare versions"
        )

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """One saved version against the story as it is now; POST restores it."""
        article = self.revision_article(request, object_id)
        version = get_object_or_404(versions_of(article), pk=version_id)
        if request.method == "POST":
            if not self.has_change_permission(request, article):
                raise PermissionDenied
            try:
                notes = restore_version(version=version, by=request.user)
            except ValidationError as error:
                # The story's rules changed since that version was saved; nothing is changed.
                problems = "; ".join(error.messages)
                self.message_user(request, f"Not restored: {problems}", messages.ERROR)
                return redirect(request.path)
            for note in notes:
                self.message_user(request, note, messages.WARNING)
            self.message_user(
                request,
                "The earlier version is restored as a new revision. Its status and publish "
                "time were left as they are.",
                messages.SUCCESS,
            )
            return redirect("admin:articles_article_change", article.pk)
        rows, body = compare(version_values(version), article_values(article))
        return self.revision_page(
            request,
            article,
            rows,
            body,
            older=version,
            title="Restore an earlier version",
            can_restore=self.has_change_permission(request, article),
        )

    def revision_article(self, request, object_id):
        return self.article_or_404(request, unquote(object_id))

    def revision_page(self, request, article, rows, body, *, title, **context):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": title,
            "rows": rows,
            "body": body,
            **context,
        }
        return TemplateResponse(request, "admin/articles/article/revision_compare.html", context)

    @admin.action(description="Publish selected articles now", permissions=["publish"])
    def publish_selected(self, request, queryset):
        published = 0
        for article in queryset.exclude(status=Article.Status.PUBLISHED):
            try:
                publish_article(article=article, by=request.user)
            except ValidationError as error:
                problems = " ".join(error.messages)
                self.message_user(request, f"“{article}” not published: {problems}", messages.ERROR)
            else:
                published += 1
        self.message_user(request, f"{published} article(s) published.", messages.SUCCESS)

    @admin.action(description="Unpublish or unschedule selected articles", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        count = 0
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            if article.is_published:
                unpublish_article(article=article, by=request.user)
            else:
                unschedule_article(article=article, by=request.user)
            count += 1
        self.message_user(request, f"{count} article(s) taken off the site.", messages.SUCCESS)

    # Previews and breaking news: buttons on the change page, an action on the list.

    def add_preview_context(self, request, context, obj):
        if obj is not None:
            context["preview_url"] = None if obj.is_published else obj.get_absolute_url()
            # A live story needs no preview link: its public address is the one to share.
            context["can_share_preview"] = context["preview_url"] and can_share_preview(
                request.user, obj
            )
            context["can_flag_breaking"] = can_flag_breaking(request.user)
            if request.user.has_perm("articles.view_previewlink"):
                # Listed read-only under the form, not as an inline: there is nothing to post.
                context["preview_links"] = obj.preview_links.select_related("created_by")
            context["breaking_minutes"] = settings.NEWSROOM_BREAKING_MINUTES

    def get_urls(self):
        def view(function, name):
            wrapped = self.admin_site.admin_view(require_POST(function))
            return path(f"<path:object_id>/{name}/", wrapped, name=f"articles_article_{name}")

        compare_view = self.admin_site.admin_view(self.compare_view)
        return [
            view(self.share_preview_view, "share_preview"),
            view(self.flag_breaking_view, "flag_breaking"),
            path(
                "<path:object_id>/history/compare/",
                compare_view,
                name="articles_article_compare",
            ),
            *editing.urls(self),
            *super().get_urls(),
        ]

    def article_or_404(self, request, object_id):
        article = self.get_object(request, object_id)
        if article is None:
            raise Http404("No such article.")
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def share_preview_view(self, request, object_id):
        article = self.article_or_404(request, object_id)
        link = create_preview_link(article=article, by=request.user)
        url = request.build_absolute_uri(link.get_absolute_url())
        expires = timezone.localtime(link.expires_at)
        self.message_user(
            request,
            format_html(
                'Preview link for anyone you send it to, until {}: <a href="{}">{}</a>',
                f"{expires:%d %B %Y, %H:%M}",
                url,
                url,
            ),
            messages.SUCCESS,
        )
        return redirect("admin:articles_article_change", article.pk)

    def flag_breaking_view(self, request, object_id):
        article = self.article_or_404(request, object_id)
        flag = flag_breaking(article=article, by=request.user)
        self.message_user(request, breaking_message(flag), messages.SUCCESS)
        return redirect("admin:articles_article_change", article.pk)

    def has_breaking_permission(self, request):
        return can_flag_breaking(request.user)

    @admin.action(
        description=f"Flag as breaking news ({settings.NEWSROOM_BREAKING_MINUTES} minutes)",
        permissions=["breaking"],
    )
    def flag_breaking_selected(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one story to flag.", messages.ERROR)
            return
        flag = flag_breaking(article=queryset.get(), by=request.user)
        self.message_user(request, breaking_message(flag), messages.SUCCESS)


class QueueAdmin(admin.ModelAdmin):
    """A read-only list of stories for one part of the workflow. Each headline opens the
    story's own change page; the queue itself changes nothing."""

    title = ""
    actions = None
    list_display_links = None
    list_per_page = 50
    show_full_result_count = False

    def may_open(self, user):
        raise NotImplementedError

    def has_view_permission(self, request, obj=None):
        return obj is None and self.may_open(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": self.title, **(extra_context or {})})

    @admin.display(description="headline", ordering="title")
    def headline(self, article):
        url = reverse("admin:articles_article_change", args=[article.pk])
        return format_html('<a href="{}">{}</a>', url, article.title)

    @admin.display(description="writers")
    def writer_names(self, article):
        return ", ".join(author.name for author in article.writers) or "–"


@admin.register(MyStory)
class MyStoryAdmin(QueueAdmin):
    title = "My stories: your drafts and stories in review"
    list_display = ["headline", "progress", "section", "modified"]
    list_select_related = ["section"]
    ordering = ["-modified", "-id"]

    def may_open(self, user):
        return user.has_perm("articles.add_article")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .owned_by(request.user)
            .filter(status__in=[Article.Status.DRAFT, Article.Status.IN_REVIEW])
        )

    @admin.display(description="status")
    def progress(self, article):
        if article.was_returned:
            note = article.review_note or "no note"
            return f"Returned to you: {note}"
        if article.status == Article.Status.IN_REVIEW:
            return "In review: with the editors"
        return "Draft"


@admin.register(ReviewQueueItem)
class ReviewQueueAdmin(QueueAdmin):
    title = "Review queue: stories submitted by their writers, oldest first"
    list_display = ["headline", "writer_names", "section", "submitted_by", "submitted_at"]
    list_select_related = ["section", "submitted_by"]
    ordering = ["submitted_at", "id"]

    def may_open(self, user):
        return can_review(user)

    def get_queryset(self, request):
        bylines = Byline.objects.select_related("author")
        return (
            super()
            .get_queryset(request)
            .filter(status=Article.Status.IN_REVIEW)
            .prefetch_related(Prefetch("bylines", bylines))
        )


@admin.register(ScheduledStory)
class ScheduledStoryAdmin(QueueAdmin):
    title = "Scheduled: what goes live when, soonest first"
    list_display = ["headline", "goes_live", "embargo_until", "section", "published_by"]
    list_select_related = ["section", "published_by"]

    def may_open(self, user):
        return can_publish(user)

    def get_ordering(self, request):
        return ["live_from", "id"]  # annotated below, so not an `ordering` the checks know

    def get_queryset(self, request):
        # The later of publish time and embargo; an embargo may be empty. Annotated before
        # the ordering is applied, so not through super(), which orders first.
        goes_live = Greatest("published_at", Coalesce("embargo_until", "published_at"))
        scheduled = self.model.objects.scheduled().annotate(live_from=goes_live)
        return scheduled.order_by(*self.get_ordering(request))

    @admin.display(description="goes live", ordering="live_from")
    def goes_live(self, article):
        return article.live_from


def breaking_message(flag):
    until = timezone.localtime(flag.expires_at)
    message = f"“{flag.article}” is breaking news until {until:%H:%M}."
    if not flag.article.is_published:
        message += " The banner shows it only once the story is live."
    return message


def trash_message(subject):
    days = settings.NEWSROOM_TRASH_DAYS
    return (
        f"{subject} moved to the Trash and taken off the site. Restore from the Trash "
        f"within {days} days; after that they are deleted for good."
    )


@admin.register(TrashedArticle)
class TrashAdmin(admin.ModelAdmin):
    """The Trash: deleted stories, restorable by anyone who may delete them, until
    `manage.py empty_trash` deletes them for good after NEWSROOM_TRASH_DAYS."""

    list_display = ["title", "section", "status", "trashed_at", "trashed_by", "deleted_for_good"]
    list_display_links = None
    list_select_related = ["section", "trashed_by"]
    search_fields = ["title", "slug"]
    actions = ["restore_selected"]
    list_per_page = 50
    show_full_result_count = False
    ordering = ["-trashed_at", "-id"]

    def get_queryset(self, request):
        return super().get_queryset(request).in_trash()

    @admin.display(description="deleted for good on")
    def deleted_for_good(self, article):
        return article.trashed_at + timedelta(days=settings.NEWSROOM_TRASH_DAYS)

    def has_view_permission(self, request, obj=None):
        return can_trash(request.user)

    def has_restore_permission(self, request):
        return can_trash(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Restore selected articles (as drafts)", permissions=["restore"])
    def restore_selected(self, request, queryset):
        count = 0
        for article in queryset:
            restore_from_trash(article=article, by=request.user)
            count += 1
        self.message_user(
            request,
            f"{count} article(s) restored. Published ones came back as drafts: publish them "
            "again when they should return to readers.",
            messages.SUCCESS,
        )


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, section, form, change):
        super().save_model(request, section, form, change)
        # Every page prints the section navigation; its stories print its name.
        purge_keys(["site", f"section:{section.pk}"])

    def delete_model(self, request, section):
        keys = ["site", f"section:{section.pk}"]
        super().delete_model(request, section)
        purge_keys(keys)

    def delete_queryset(self, request, queryset):
        keys = ["site", *(f"section:{pk}" for pk in queryset.values_list("pk", flat=True))]
        super().delete_queryset(request, queryset)
        purge_keys(keys)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, tag, form, change):
        super().save_model(request, tag, form, change)
        if change and "name" in form.changed_data:
            refresh_search_names(articles=tag.articles.all())
        # The tag page, its feeds and the stories that print the tag's name.
        purge_keys([f"tag:{tag.pk}"])

    def delete_model(self, request, tag):
        keys = [f"tag:{tag.pk}"]
        super().delete_model(request, tag)
        purge_keys(keys)

    def delete_queryset(self, request, queryset):
        keys = [f"tag:{pk}" for pk in queryset.values_list("pk", flat=True)]
        super().delete_queryset(request, queryset)
        purge_keys(keys)


@admin.register(SlugRedirect)
class SlugRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_slug", "article", "created"]
    list_select_related = ["article"]
    search_fields = ["old_slug", "article__title"]
    autocomplete_fields = ["article"]


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    """One row of publisher facts for structured data: editors change it, never add a
    second one or delete it."""

    fieldsets = [
        ("Publisher logo", {"fields": ["logo"]}),
        (
            "Policy pages (linked from every story's structured data)",
            {
                "fields": [
                    "publishing_principles_url",
                    "corrections_policy_url",
                    "ethics_policy_url",
                    "masthead_url",
                    "ownership_funding_url",
                ]
            },
        ),
    ]

    def add_view(self, request, form_url="", extra_context=None):
        # Checked here rather than in has_add_permission, which every admin page asks.
        if SiteSettings.objects.exists():
            return redirect("admin:articles_sitesettings_change", SiteSettings.SINGLETON_ID)
        return super().add_view(request, form_url, extra_context)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Every story's structured data names the publisher: "stories" reaches the stored
        # parts of story pages (articles/stories.py).
        purge_pages(["site", "stories"])


class PreviewLinkStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", "Active"), ("expired", "Expired"), ("revoked", "Revoked")]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "active":
            return queryset.active()
        if self.value() == "expired":
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=now)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(PreviewLink)
class PreviewLinkAdmin(admin.ModelAdmin):
    """Every shareable preview link. New links come from the story's change page; a link is
    never edited or deleted, only revoked (the audit log keeps who did what)."""

    list_display = ["article", "address", "created_by", "created", "expires_at", "state"]
    list_filter = [PreviewLinkStateFilter]
    list_select_related = ["article", "created_by"]
    search_fields = ["article__title"]
    fields = [
        "article",
        "address",
        "created_by",
        "created",
        "expires_at",
        "revoked_at",
        "revoked_by",
    ]
    readonly_fields = fields
    actions = ["revoke_selected"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_revoke_permission(self, request):
        return request.user.has_perm("articles.add_previewlink")

    @admin.display(description="address")
    def address(self, link):
        return format_html('<a href="{}">{}</a>', link.get_absolute_url(), link.get_absolute_url())

    @admin.display(description="state")
    def state(self, link):
        return link.state

    def get_urls(self):
        revoke = self.admin_site.admin_view(self.revoke_view)
        return [
            path("<int:pk>/revoke/", revoke, name="articles_previewlink_revoke"),
            *super().get_urls(),
        ]

    def revoke_view(self, request, pk):
        """Confirm, then revoke one link; back to its story's change page."""
        link = PreviewLink.objects.select_related("article").filter(pk=pk).first()
        if link is None:
            raise Http404("No such preview link.")
        if not can_revoke_preview(request.user, link):
            raise PermissionDenied
        if request.method == "POST":
            revoke_preview_link(link=link, by=request.user)
            self.message_user(request, f"The preview link for “{link.article}” no longer works.")
            return redirect("admin:articles_article_change", link.article_id)
        context = {**self.admin_site.each_context(request), "opts": self.opts, "link": link}
        return TemplateResponse(request, "admin/articles/previewlink/revoke.html", context)

    @admin.action(description="Revoke selected preview links", permissions=["revoke"])
    def revoke_selected(self, request, queryset):
        revoked = 0
        for link in queryset.select_related("article").filter(revoked_at__isnull=True):
            if can_revoke_preview(request.user, link):
                revoke_preview_link(link=link, by=request.user)
                revoked += 1
        self.message_user(request, f"{revoked} preview link(s) revoked.", messages.SUCCESS)


@admin.register(HomeSlot)
class HomeSlotAdmin(admin.ModelAdmin):
    """The editors' picks for the lead and top stories. A place with no live pick shows
    the newest illustrated story; a story is never shown twice on the home page."""

    list_display = ["position", "article", "starts_at", "ends_at", "state"]
    list_filter = ["position"]
    list_select_related = ["article"]
    autocomplete_fields = ["article"]
    ordering = ["position", "-starts_at", "-id"]

    @admin.display(description="on the home page now?")
    def state(self, slot):
        now = timezone.now()
        if slot.ends_at and slot.ends_at <= now:
            return "No: ended"
        if slot.starts_at and slot.starts_at > now:
            return "Not yet: starts later"
        if not slot.article.is_published:
            return "No: the story is not live"
        return "Yes"

    # The cached home page changes with every pick; its start and end times are waited for
    # by the page cache itself (articles.caching.upcoming_page_changes).
    def save_model(self, request, slot, form, change):
        super().save_model(request, slot, form, change)
        purge_pages(["home"])

    def delete_model(self, request, slot):
        super().delete_model(request, slot)
        purge_pages(["home"])

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        purge_pages(["home"])


class BreakingNewsForm(forms.ModelForm):
    minutes = forms.IntegerField(
        min_value=1,
        max_value=24 * 60,
        initial=settings.NEWSROOM_BREAKING_MINUTES,
        help_text="The banner ends by itself after this many minutes.",
    )

    class Meta:
        model = BreakingNews
        fields = ["article"]


@admin.register(BreakingNews)
class BreakingNewsAdmin(admin.ModelAdmin):
    """Breaking-news flags: add one to put a story in the site-wide banner; end it early
    with the action. The banner shows the newest live flag, and only while readers may
    see its story."""

    form = BreakingNewsForm
    list_display = ["article", "starts_at", "expires_at", "created_by", "ended_by", "state"]
    list_select_related = ["article", "created_by", "ended_by"]
    autocomplete_fields = ["article"]
    actions = ["end_selected"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["article", "minutes"]
        return ["article", "starts_at", "expires_at", "created_by", "ended_by"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="in the banner now?")
    def state(self, flag):
        return "Yes" if flag.is_live else "No"

    def save_model(self, request, obj, form, change):
        if change:
            return
        flag = flag_breaking(
            article=form.cleaned_data["article"],
            by=request.user,
            minutes=form.cleaned_data["minutes"],
        )
        obj.pk, obj.starts_at, obj.expires_at = flag.pk, flag.starts_at, flag.expires_at
        obj.created_by = flag.created_by

    @admin.action(description="End selected breaking news now", permissions=["change"])
    def end_selected(self, request, queryset):
        ended = 0
        for flag in queryset.select_related("article").filter(expires_at__gt=timezone.now()):
            end_breaking(flag=flag, by=request.user)
            ended += 1
        self.message_user(request, f"{ended} breaking-news flag(s) ended.", messages.SUCCESS)
