from django import forms
from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import models
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from .forms import PhotoField
from .models import Image

EXPIRING_DAYS = 7


class UsageFilter(admin.SimpleListFilter):
    title = "usage"
    parameter_name = "usage"

    def lookups(self, request, model_admin):
        return [
            ("expired", "Expired"),
            ("expiring", f"Expiring within {EXPIRING_DAYS} days"),
            ("unlimited", "No expiry"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "expired":
            return queryset.expired()
        if self.value() == "expiring":
            return queryset.expiring_within(EXPIRING_DAYS)
        if self.value() == "unlimited":
            return queryset.filter(usage_expires__isnull=True)
        return queryset


class PickerJsonView(AutocompleteJsonView):
    """The admin's autocomplete answers, plus a thumbnail and the credit for each photo."""

    def serialize_result(self, image, to_field_name):
        thumbnail = image.rendition("square96")
        extra = " — usage expired" if image.is_expired else ""
        return {
            **super().serialize_result(image, to_field_name),
            "text": f"{image}{extra}",
            "thumbnail": thumbnail["url"] if thumbnail else "",
        }


class PhotoPicker(AutocompleteSelect):
    """Search the library by caption, credit or keywords and pick a photo; the results
    show thumbnails (static/js/photo-picker.js). Without JavaScript it is a plain select
    of the chosen photo."""

    def get_url(self):
        return reverse(f"{self.admin_site.name}:photos_image_picker")

    def optgroups(self, name, value, attr=None):
        # A crafted value that is no photo id must redisplay the form with its error, not
        # fail the database lookup of the chosen photo (a 500).
        return super().optgroups(name, [v for v in value if str(v).isdigit()], attr)

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-photo-picker"] = "true"
        return attrs

    @property
    def media(self):
        # One list, so that merging with other widgets' media keeps this file after
        # autocomplete.js, whose start-up it changes.
        autocomplete = super().media
        return forms.Media(js=[*autocomplete._js, "js/photo-picker.js"]) + forms.Media(
            css={**autocomplete._css, "all": ["css/photo-picker.css"]}
        )


def photo_picker(db_field, admin_site, kwargs):
    """For formfield_for_foreignkey: give foreign keys to the library the photo picker."""
    if db_field.related_model is Image:
        kwargs["widget"] = PhotoPicker(db_field, admin_site)
    return kwargs


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "__str__", "credit", "usage", "uploaded_by", "uploaded_at"]
    list_display_links = ["thumbnail", "__str__"]
    list_filter = [
        UsageFilter,
        ("uploaded_by", admin.RelatedOnlyFieldListFilter),
        ("credit", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["uploaded_by"]
    search_fields = ["caption", "credit", "keywords", "alt_text", "source"]
    date_hierarchy = "uploaded_at"
    formfield_overrides = {models.ImageField: {"form_class": PhotoField}}
    readonly_fields = ["preview", "usage", "where_used", "size", "uploaded_by", "uploaded_at"]
    fieldsets = [
        (None, {"fields": ["file", "preview", "alt_text", "caption", "credit"]}),
        ("Focal point (crops keep it in view)", {"fields": ["focal_x", "focal_y"]}),
        (
            "Rights",
            {"fields": ["source", "licence", "usage_expires", "usage"]},
        ),
        ("Library", {"fields": ["keywords", "size", "uploaded_by", "uploaded_at", "where_used"]}),
    ]

    class Media:
        js = ["js/focal-point.js"]

    def get_urls(self):
        picker = PickerJsonView.as_view(admin_site=self.admin_site)
        return [
            path("picker/", self.admin_site.admin_view(picker), name="photos_image_picker"),
            *super().get_urls(),
        ]

    def get_readonly_fields(self, request, obj=None):
        # A stored photo is not swapped under the stories using it: upload a new one.
        return [*self.readonly_fields, "file"] if obj else self.readonly_fields

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [
                (None, {"fields": ["file", "alt_text", "caption", "credit"]}),
                *self.fieldsets[1:],
            ]
        return self.fieldsets

    @admin.display(description="photo")
    def thumbnail(self, image):
        square = image.rendition("square96")
        if square is None:
            return "—"
        return format_html('<img src="{}" alt="" width="48" height="48">', square["url"])

    @admin.display(description="preview")
    def preview(self, image):
        shown = image.largest(up_to=640)
        if shown is None:
            return "No renditions yet: run manage.py regenerate_renditions."
        return format_html(
            '<img class="focal-preview" src="{}" alt="" width="{}" height="{}">'
            '<p class="help">Click the photo to set its focal point.</p>',
            shown["url"],
            shown["width"],
            shown["height"],
        )

    @admin.display(description="usage status", ordering="usage_expires")
    def usage(self, image):
        if image.usage_expires is None:
            return "No expiry"
        if image.is_expired:
            return format_html(
                '<strong class="errornote">Expired on {}: not shown on the site</strong>',
                image.usage_expires,
            )
        return f"Usable until {image.usage_expires}"

    @admin.display(description="size")
    def size(self, image):
        return f"{image.width} × {image.height} pixels" if image.width else "—"

    @admin.display(description="where it is used")
    def where_used(self, image):
        uses = [
            *((article, "lead photo") for article in image.lead_articles.all()),
            *((use.article, "in the body") for use in image.body_placements.all()),
            *((author, "author photo") for author in image.author_photos.all()),
        ]
        if not uses:
            return "Not used yet."
        rows = [(admin_url(obj), obj, how) for obj, how in uses]
        return format_html(
            "<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}</a> ({})</li>', rows)
        )

    def delete_queryset(self, request, queryset):
        # One by one, so each photo's files go with it.
        for image in queryset:
            image.delete()

    def save_model(self, request, image, form, change):
        if not change:
            image.uploaded_by = request.user
        super().save_model(request, image, form, change)


def admin_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
