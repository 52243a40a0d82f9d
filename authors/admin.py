from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import unquote
from django.db import transaction
from django.db.models import Count, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from reversion.admin import VersionAdmin
from reversion.models import Version

from audit.services import record
from newsroom.cache import purge_keys
from newsroom.concurrency import VersionedModelForm, refused_status, saving_as
from photos.admin import photo_picker

from .models import Author, AuthorChange, AuthorLink, AuthorMerge, AuthorSlugRedirect
from .services import merge_authors, record_slug_change, revert_change


class AuthorLinkInline(admin.TabularInline):
    model = AuthorLink
    fields = ["kind", "url", "position"]
    extra = 1


class AuthorAdminForm(VersionedModelForm):
    class Meta:
        model = Author
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose the fields


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
class AuthorAdmin(VersionAdmin):
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
    list_select_related = ["user", "photo"]
    search_fields = ["name", "role", "desk", "email"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
    inlines = [AuthorLinkInline]
    form = AuthorAdminForm
    actions = ["merge_selected", "mark_former", "delete_selected"]
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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = photo_picker(db_field, self.admin_site, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="photo")
    def thumbnail(self, author):
        square = author.photo.rendition("square96") if author.photo else None
        if square is None:
            return "—"
        return format_html(
            '<img src="{}" alt="" width="40" height="40" style="object-fit:cover;'
            'border-radius:50%">',
            square["url"],
        )

    @admin.display(description="published articles", ordering="published_count")
    def published_count(self, author):
        return author.published_count

    @admin.display(description="last published", ordering="last_published", empty_value="—")
    def last_published(self, author):
        return author.last_published

    def changelist_view(self, request, extra_context=None):
        # Only actions (POSTs) save, in one revision; reading the list needs no transaction.
        if request.method == "POST":
            return super().changelist_view(request, extra_context)
        return admin.ModelAdmin.changelist_view(self, request, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"editor": request.user})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        response = super().render_change_form(request, context, add, change, form_url, obj)
        return refused_status(response, context["adminform"].form)

    def save_model(self, request, author, form, change):
        saving_as(author, request.user)
        super().save_model(request, author, form, change)
        if change and "slug" in form.changed_data:
            record_slug_change(author=author, old_slug=form.initial.get("slug"))
        # The name is in bylines on every kind of page; the author's key reaches the stored
        # parts of their stories (articles/stories.py), which "site" does not.
        purge_keys(["site", f"author:{author.pk}"])

    def delete_model(self, request, author):
        keys = ["site", f"author:{author.pk}"]
        super().delete_model(request, author)
        # Gone from the team page, the search page's author filter and their stories.
        purge_keys(keys)

    def delete_queryset(self, request, queryset):
        keys = ["site", *(f"author:{pk}" for pk in queryset.values_list("pk", flat=True))]
        super().delete_queryset(request, queryset)
        purge_keys(keys)

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
        """Deactivate: off the "Our team" page, while their page and stories stay online.
        Saved one by one so each profile's history records it."""
        count = 0
        for author in queryset.filter(is_active=True):
            author.is_active = False
            author.save(update_fields=["is_active", "modified"])
            count += 1
        self.message_user(request, f"{count} author(s) marked as former contributors.")

    # Authors with bylines are never deleted: stories keep their authors (Byline PROTECT).

    def delete_view(self, request, object_id, extra_context=None):
        author = self.get_object(request, unquote(object_id))
        allowed = author is not None and self.has_delete_permission(request, author)
        if allowed and author.bylines.exists():
            self.message_user(request, refusal([author]), messages.ERROR)
            return redirect("admin:authors_author_change", author.pk)
        return super().delete_view(request, object_id, extra_context)

    @admin.action(description="Delete selected authors", permissions=["delete"])
    def delete_selected(self, request, queryset):
        """Django's delete action, refusing at once when any selected author has bylines."""
        credited = list(queryset.filter(bylines__isnull=False).distinct().order_by("name"))
        if credited:
            self.message_user(request, refusal(credited), messages.ERROR)
            return None
        return delete_selected(self, request, queryset)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """django-reversion's revert form; a saved revert is logged in the same transaction."""
        with transaction.atomic():
            response = super().revision_view(request, object_id, version_id, extra_context)
            if request.method == "POST" and response.status_code == 302:
                author = self.get_object(request, unquote(object_id))
                if author is not None:
                    record(
                        action="restored revision",
                        obj=author,
                        by=request.user,
                        message="Restored an earlier version of the profile.",
                        version=int(version_id),
                    )
        return response

    def recover_view(self, request, version_id, extra_context=None):
        """django-reversion's form for a deleted profile; a saved recovery is logged."""
        with transaction.atomic():
            response = super().recover_view(request, version_id, extra_context)
            if request.method == "POST" and response.status_code == 302:
                version = Version.objects.get(pk=version_id)
                author = Author.objects.filter(pk=version.object_id).first()
                if author is not None:
                    record(
                        action="recovered",
                        obj=author,
                        by=request.user,
                        message="Recovered a deleted profile from its last revision.",
                        version=int(version_id),
                    )
        return response


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


def refusal(authors):
    names = ", ".join(author.name for author in authors)
    return (
        f"Not deleted: {names} {'is' if len(authors) == 1 else 'are'} credited on stories, "
        "and stories keep their authors. To retire a profile, untick “active” or use the "
        "“Mark as former contributors” action: the author page and stories stay online, "
        "and they leave the “Our team” page."
    )


def shown(value):
    """A logged value as staff read it: links one per line, empty as a dash."""
    if isinstance(value, list):
        return "; ".join(f"{kind}: {url}" for kind, url in value) or "—"
    return value or "—"
