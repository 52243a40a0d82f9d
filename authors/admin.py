from django.contrib import admin
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.html import format_html

from .models import Author, AuthorLink


class AuthorLinkInline(admin.TabularInline):
    model = AuthorLink
    fields = ["kind", "url", "position"]
    extra = 1


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "name", "role", "is_active", "published_count", "user"]
    list_display_links = ["thumbnail", "name"]
    list_filter = ["is_active"]
    list_select_related = ["user"]
    search_fields = ["name", "role", "email"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
    inlines = [AuthorLinkInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "role", "bio", "photo", "is_active"]}),
        ("Newsroom only", {"fields": ["email", "user"]}),
    ]

    def get_queryset(self, request):
        # The articles app's published() rule, reached through the reverse relation so that
        # the authors app never imports articles.
        articles = Author.articles.field.model.objects.published()
        published = (
            articles.filter(bylines__author=OuterRef("pk"))
            .order_by()
            .values("bylines__author")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return (
            super().get_queryset(request).annotate(published_count=Coalesce(Subquery(published), 0))
        )

    @admin.display(description="photo")
    def thumbnail(self, author):
        if not author.photo:
            return "—"
        return format_html(
            '<img src="{}" alt="" width="40" height="40" style="object-fit:cover;'
            'border-radius:50%">',
            author.photo.url,
        )

    @admin.display(description="published articles", ordering="published_count")
    def published_count(self, author):
        return author.published_count
