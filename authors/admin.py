from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Count, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join

from newsroom.cache import purge_keys

from .models import Author, AuthorChange, AuthorLink, AuthorMerge, AuthorSlugRedirect
from .services import merge_authors, record_slug_change, revert_change


class AuthorLinkInline(admin.TabularInline):
    model = AuthorLink
    fields = ["kind", "url", "position"]
    extra = 1


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=Author.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label="Keep this profile",
        help_text="The others are merged into it and removed; their addresses redirect to it.",
    )

    def __init__(self, *args, authors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = authors
        self.fields["keep"].label_from_instance = describe


def describe(author):
    """Enough to tell two duplicates apart: address, role, login and published stories."""
    login = f"login {author.user}" if author.user_id else "no login"
    return (
        f"{author.name} (/authors/{author.slug}/, {author.role or 'no role'}, {login}, "
        f"{author.published_count} published)"
    )


class DeskFilter(admin.SimpleListFilter):
    title = "desk or beat"
    parameter_name = "desk"
    NO_DESK = "-"

    def lookups(self, request, model_admin):
        desks = Author.objects.exclude(desk="").order_by("desk").values_list("desk", flat=True)
        return [*((desk, desk) for desk in desks.distinct()), (self.NO_DESK, "No desk")]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        return queryset.filter(desk="" if self.value() == self.NO_DESK else self.value())


class LoginFilter(admin.SimpleListFilter):
    title = "login"
    parameter_name = "login"

    def lookups(self, request, model_admin):
        return [("yes", "Has a login"), ("no", "No login (guest contributor)")]

    def queryset(self, request, queryset):
        if self.value() in {"yes", "no"}:
            return queryset.filter(user__isnull=self.value() == "no")
        return queryset


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = [
        "thumbnail",
        "name",
        "role",
        "desk",
        "is_active",
        "user",
        "published_count",
        "last_published",
    ]
    list_display_links = ["thumbnail", "name"]
    list_filter = ["is_active", DeskFilter, LoginFilter]
    list_select_related = ["user"]
    search_fields = ["name", "role", "desk", "email"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
    inlines = [AuthorLinkInline]
    actions = ["merge_selected", "mark_former"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "role", "desk", "pronouns", "is_active"]}),
        ("Author card and page", {"fields": ["bio", "long_bio", "photo", "public_contact"]}),
        ("Newsroom only", {"fields": ["email", "user"]}),
    ]

    def get_queryset(self, request):
        # The articles app's published() rule, reached through the reverse relation so that
        # the authors app never imports articles.
        articles = Author.articles.field.model.objects.published()
        by_author = articles.filter(bylines__author=OuterRef("pk")).order_by()
        by_author = by_author.values("bylines__author")
        count = by_author.annotate(count=Count("pk")).values("count")
        latest = by_author.annotate(latest=Max("published_at")).values("latest")
        return (
            super()
            .get_queryset(request)
            .annotate(published_count=Coalesce(Subquery(count), 0), last_published=Subquery(latest))
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

    @admin.display(description="last published", ordering="last_published", empty_value="—")
    def last_published(self, author):
        return author.last_published

    def save_model(self, request, author, form, change):
        super().save_model(request, author, form, change)
        if change and "slug" in form.changed_data:
            record_slug_change(author=author, old_slug=form.initial.get("slug"))
        # The name is in bylines on every kind of page.
        purge_keys(["site"])

    def has_merge_permission(self, request):
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.change_author") and request.user.has_perm(
            f"{opts.app_label}.delete_author"
        )

    @admin.action(description="Merge into…", permissions=["merge"])
    def merge_selected(self, request, queryset):
        """Step one lists the selected authors to pick the one to keep; step two (the
        form posted back with `confirm`) merges every other one into it."""
        authors = queryset.order_by("name")
        if authors.count() < 2:
            self.message_user(request, "Select two or more authors to merge.", messages.WARNING)
            return None
        form = MergeForm(request.POST if "confirm" in request.POST else None, authors=authors)
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            removed = [author for author in authors if author.pk != keep.pk]
            for author in removed:
                merge_authors(keep=keep, remove=author, by=request.user)
            names = ", ".join(author.name for author in removed)
            self.message_user(request, f"Merged {names} into {keep.name}.", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge duplicate authors",
            "opts": self.opts,
            "form": form,
            "authors": authors,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/authors/author/merge.html", context)

    @admin.action(description="Mark as former contributors", permissions=["change"])
    def mark_former(self, request, queryset):
        count = queryset.filter(is_active=True).update(is_active=False)
        self.message_user(request, f"{count} author(s) marked as former contributors.")


@admin.register(AuthorSlugRedirect)
class AuthorSlugRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_slug", "author", "created"]
    list_select_related = ["author"]
    search_fields = ["old_slug", "author__name"]
    autocomplete_fields = ["author"]


class ReadOnlyLogAdmin(admin.ModelAdmin):
    """A log: nobody adds, edits or deletes entries by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuthorMerge)
class AuthorMergeAdmin(ReadOnlyLogAdmin):
    list_display = [
        "created",
        "removed_name",
        "removed_slug",
        "kept",
        "moved_bylines",
        "shared_articles",
        "merged_by",
    ]
    list_select_related = ["kept", "merged_by"]
    search_fields = ["removed_name", "removed_slug", "kept__name"]
    date_hierarchy = "created"
    fields = list_display


@admin.register(AuthorChange)
class AuthorChangeAdmin(ReadOnlyLogAdmin):
    list_display = ["created", "author", "changed_by", "source", "changed_fields", "reverted_at"]
    list_select_related = ["author", "changed_by"]
    list_filter = ["source", ("reverted_at", admin.EmptyFieldListFilter)]
    search_fields = ["author__name", "changed_by__username"]
    date_hierarchy = "created"
    actions = ["revert_selected"]
    fields = ["author", "changed_by", "created", "source", "difference", "reverts"]
    readonly_fields = ["difference", "reverted_at", "reverted_by"]

    @admin.display(description="fields changed")
    def changed_fields(self, change):
        return ", ".join(change.changes)

    @admin.display(description="old → new")
    def difference(self, change):
        rows = [(field, shown(old), shown(new)) for field, (old, new) in change.changes.items()]
        return format_html(
            "<table><thead><tr><th>Field</th><th>Old</th><th>New</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )

    def get_fields(self, request, obj=None):
        fields = [*self.fields]
        if obj is not None and obj.is_reverted:
            fields += ["reverted_at", "reverted_by"]
        return fields

    def has_revert_permission(self, request):
        return request.user.has_perm("authors.change_author")

    @admin.action(description="Revert this change", permissions=["revert"])
    def revert_selected(self, request, queryset):
        """Newest first, so reverting several changes to one field ends at the oldest
        value. A replaced photo is not restored (see services.TEXT_FIELDS)."""
        reverted = 0
        for change in queryset.order_by("-created", "-id"):
            if change.is_reverted:
                self.message_user(
                    request, f"Change #{change.pk} was already reverted.", messages.WARNING
                )
                continue
            revert_change(change=change, by=request.user)
            reverted += 1
            if "photo" in change.changes:
                self.message_user(
                    request,
                    f"Change #{change.pk}: the photo is not restored; upload it again on "
                    "the author's profile if needed.",
                    messages.WARNING,
                )
        self.message_user(request, f"{reverted} change(s) reverted.", messages.SUCCESS)


def shown(value):
    """A logged value as staff read it: links one per line, empty as a dash."""
    if isinstance(value, list):
        return "; ".join(f"{kind}: {url}" for kind, url in value) or "—"
    return value or "—"
