from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from reversion.admin import VersionAdmin
from reversion.models import Version

from .models import (
    Article,
    Byline,
    Correction,
    Section,
    SiteSettings,
    SlugRedirect,
    Tag,
    TrashedArticle,
)
from .revisions import article_values, compare, version_values, versions_of
from .services import (
    can_publish,
    can_trash,
    delete_correction,
    publish_article,
    record_slug_change,
    refresh_search_names,
    restore_from_trash,
    restore_version,
    save_correction,
    trash_article,
    unpublish_article,
)


class ArticleAdminForm(forms.ModelForm):
    mark_updated = forms.BooleanField(
        label="Substantive update",
        required=False,
        help_text="Tick when the story changed materially: readers see “Updated” with the "
        "time of this save. Leave unticked for typo fixes.",
    )

    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose the fields


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


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    form = ArticleAdminForm
    list_display = ["title", "status", "kind", "section", "author_names", "published_at"]
    list_filter = ["status", "kind", "section"]
    list_select_related = ["section"]
    search_fields = ["title", "slug", "summary"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["tags"]
    inlines = [BylineInline, CorrectionInline]
    actions = ["publish_selected", "unpublish_selected", "trash_selected"]
    # Revisions (django-reversion): History lists them, compares two and restores one.
    object_history_template = "admin/articles/article/object_history.html"
    change_list_template = "admin/articles/article/change_list.html"
    list_per_page = 50
    # No second COUNT(*) over the whole archive on every filtered page load.
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "section", "summary", "body"]}),
        (
            "Lead image",
            {"fields": ["lead_image", "lead_image_alt", "lead_image_caption", "lead_image_credit"]},
        ),
        ("Video and tags", {"fields": ["video_url", "tags"]}),
        ("Publishing", {"fields": ["status", "published_at", "updated_at", "mark_updated"]}),
    ]

    def get_queryset(self, request):
        bylines = Byline.objects.select_related("author")
        articles = super().get_queryset(request).not_trashed()  # the Trash lists those
        return articles.prefetch_related(Prefetch("bylines", bylines))

    @admin.display(description="authors")
    def author_names(self, article):
        return ", ".join(author.name for author in article.writers)

    def get_readonly_fields(self, request, obj=None):
        if can_publish(request.user):
            return ["updated_at"]
        # Read-only fields never come from the POST, so a crafted request cannot set them.
        return ["status", "published_at", "updated_at"]

    def get_fieldsets(self, request, obj=None):
        if can_publish(request.user):
            return self.fieldsets
        *story, (title, options) = self.fieldsets
        fields = [name for name in options["fields"] if name != "mark_updated"]
        return [*story, (title, {"fields": fields})]

    def has_change_permission(self, request, obj=None):
        """A live story changes only by someone who may publish: editing it is publishing."""
        allowed = super().has_change_permission(request, obj)
        if obj is not None and obj.status == Article.Status.PUBLISHED:
            return allowed and can_publish(request.user)
        return allowed

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def view_on_site(self, article):
        return article.get_absolute_url() if article.is_published else None

    def save_model(self, request, article, form, change):
        if form.cleaned_data.get("mark_updated"):
            if not can_publish(request.user):
                raise PermissionDenied("You may not mark articles as updated.")
            article.updated_at = timezone.now()
        super().save_model(request, article, form, change)
        if change and "slug" in form.changed_data:
            record_slug_change(article=article, old_slug=form.initial.get("slug"))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Bylines and tags are saved only now; the search document names them.
        refresh_search_names(articles=Article.objects.filter(pk=form.instance.pk))

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
        count = 0
        for article in queryset:
            trash_article(article=article, by=request.user)
            count += 1
        self.message_user(request, trash_message(f"{count} article(s) were"), messages.SUCCESS)

    def recoverlist_view(self, request, extra_context=None):
        raise Http404("Deleted articles come back from the Trash.")

    def recover_view(self, request, version_id, extra_context=None):
        raise Http404("Deleted articles come back from the Trash.")

    # Revisions ---------------------------------------------------------------------------

    def get_urls(self):
        compare_view = self.admin_site.admin_view(self.compare_view)
        urls = [
            path("<path:object_id>/history/compare/", compare_view, name="articles_article_compare")
        ]
        return urls + super().get_urls()

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
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

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
                self.message_user(request, f"“{article}” not published: {error}", messages.ERROR)
            else:
                published += 1
        self.message_user(request, f"{published} article(s) published.", messages.SUCCESS)

    @admin.action(description="Unpublish selected articles", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        count = 0
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            unpublish_article(article=article, by=request.user)
            count += 1
        self.message_user(request, f"{count} article(s) returned to draft.", messages.SUCCESS)


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


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, tag, form, change):
        super().save_model(request, tag, form, change)
        if change and "name" in form.changed_data:
            refresh_search_names(articles=tag.articles.all())


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
