from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.utils import timezone

from newsroom.cache import purge_keys

from .caching import article_keys, purge_article
from .models import Article, Byline, Section, SiteSettings, SlugRedirect, Tag
from .services import (
    can_publish,
    publish_article,
    record_slug_change,
    refresh_search_names,
    unpublish_article,
)


def is_public(article):
    """Published, or scheduled to be: the only stories cached pages can show. A draft's
    saves purge nothing (its staff preview is never cached)."""
    return article.status == Article.Status.PUBLISHED


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
        ("Publishing", {"fields": ["status", "published_at", "updated_at", "mark_updated"]}),
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
        before = Article.objects.get(pk=article.pk) if change else None
        if before is not None and is_public(before):
            # The pages the story is on before this save: it may leave a section, a tag or
            # a writer's page, and those must be purged too (save_related).
            form.keys_before = article_keys(before)
        super().save_model(request, article, form, change)
        if change and "slug" in form.changed_data:
            record_slug_change(article=article, old_slug=form.initial.get("slug"))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Bylines and tags are saved only now; the search document names them.
        refresh_search_names(articles=Article.objects.filter(pk=form.instance.pk))
        if is_public(form.instance) or hasattr(form, "keys_before"):
            purge_article(form.instance, also=getattr(form, "keys_before", ()))

    def delete_model(self, request, article):
        if is_public(article):
            purge_article(article)  # reads its pages now, purges after the deletion commits
        super().delete_model(request, article)

    def delete_queryset(self, request, queryset):
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            purge_article(article)
        super().delete_queryset(request, queryset)

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

    def save_model(self, request, section, form, change):
        super().save_model(request, section, form, change)
        # Every page prints the section navigation.
        purge_keys(["site"])

    def delete_model(self, request, section):
        super().delete_model(request, section)
        purge_keys(["site"])


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
