from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.utils import timezone

from newsroom.concurrency import VersionedModelForm, refused_status, saving_as

from . import editing
from .editing import take_over_message
from .models import Article, Byline, EditSession, Section, SiteSettings, SlugRedirect, Tag
from .services import (
    can_publish,
    discard_autosave,
    publish_article,
    record_slug_change,
    refresh_search_names,
    stop_editing,
    unpublish_article,
)

SUBSTANTIVE, MINOR_FIX = "substantive", "minor"


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

    class Meta:
        model = Article
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose the fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.taken_over = None
        # Asked on live stories only: a draft or a scheduled story has no public update.
        if not self.instance.is_published:
            del self.fields["update_kind"]
        if self.restored is not None and not self.is_bound:
            self.initial.update(self.restored.data)

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


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["title", "status", "kind", "section", "author_names", "published_at"]
    list_filter = ["status", "kind", "section"]
    list_select_related = ["section"]
    search_fields = ["title", "slug", "summary"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["tags"]
    inlines = [BylineInline]
    actions = ["publish_selected", "unpublish_selected"]
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
        ("Publishing", {"fields": ["status", "published_at", "updated_at", "update_kind"]}),
    ]

    def get_queryset(self, request):
        bylines = Byline.objects.select_related("author")
        return super().get_queryset(request).prefetch_related(Prefetch("bylines", bylines))

    @admin.display(description="authors")
    def author_names(self, article):
        return ", ".join(author.name for author in article.writers)

    def get_readonly_fields(self, request, obj=None):
        if can_publish(request.user):
            return ["updated_at"]
        # Read-only fields never come from the POST, so a crafted request cannot set them.
        return ["status", "published_at", "updated_at"]

    def get_fieldsets(self, request, obj=None):
        if can_publish(request.user) and obj is not None and obj.is_published:
            return self.fieldsets
        *story, (title, options) = self.fieldsets
        fields = [name for name in options["fields"] if name != "update_kind"]
        return [*story, (title, {"fields": fields})]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        restored = editing.restored_autosave(request, obj)
        return type(form.__name__, (form,), {"editor": request.user, "restored": restored})

    def get_urls(self):
        return editing.urls(self) + super().get_urls()

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        can_edit = (
            self.has_change_permission(request, obj) if obj else self.has_add_permission(request)
        )
        context.update(editing.change_form_context(request, form, obj, can_edit=can_edit))
        response = super().render_change_form(request, context, add, change, form_url, obj)
        return refused_status(response, form)

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
        if form.cleaned_data.get("update_kind") == SUBSTANTIVE:
            if not can_publish(request.user):
                raise PermissionDenied("You may not mark articles as updated.")
            article.updated_at = timezone.now()
        saving_as(article, request.user)
        super().save_model(request, article, form, change)
        # Saved: the editor's autosaved copy has served its purpose, and they have left.
        discard_autosave(article=article if change else None, user=request.user)
        stop_editing(article=article, user=request.user)
        if change and "slug" in form.changed_data:
            record_slug_change(article=article, old_slug=form.initial.get("slug"))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Bylines and tags are saved only now; the search document names them.
        refresh_search_names(articles=Article.objects.filter(pk=form.instance.pk))

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
