"""What each saved version of a story said, and a readable comparison of two versions.

Versions are django-reversion's: every save of an article records one, with its bylines
(registered in models.py). Restoring a version is a write: services.restore_version.
Everything here returns plain text; templates escape it, so editor HTML is never trusted.
"""

import difflib
import html
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.utils.html import strip_tags
from reversion.models import Version

from authors.models import Author
from photos.models import Image

from .models import BLOCK_END, Article, Byline, Section

# Unchanged paragraphs shown around each change in the body diff.
BODY_CONTEXT = 1


class Row(NamedTuple):
    label: str
    older: str
    newer: str

    @property
    def changed(self):
        return self.older != self.newer


class BodyLine(NamedTuple):
    kind: str  # "removed", "added", "same" or "gap"
    text: str


def versions_of(article):
    """The article's versions, newest first, with who saved them and when."""
    versions = Version.objects.get_for_object_reference(Article, article.pk)
    return versions.select_related("revision", "revision__user")


def version_values(version):
    """The content of one saved version, as `article_values` gives it for a live story."""
    fields = version.field_dict
    byline_type = ContentType.objects.get_for_model(Byline)
    bylines = [
        other.field_dict
        for other in version.revision.version_set.all()
        if other.content_type_id == byline_type.pk
        and str(other.field_dict["article_id"]) == version.object_id
    ]
    return {
        "title": fields.get("title", ""),
        "slug": fields.get("slug", ""),
        "section_id": fields.get("section_id"),
        "summary": fields.get("summary", ""),
        "body": fields.get("body", ""),
        "lead_image_id": fields.get("lead_image_id"),
        "lead_image_caption": fields.get("lead_image_caption", ""),
        "status": fields.get("status", ""),
        "bylines": sorted(
            (byline["position"], byline["id"], byline["author_id"], byline["role"])
            for byline in bylines
        ),
    }


def article_values(article):
    return {
        "title": article.title,
        "slug": article.slug,
        "section_id": article.section_id,
        "summary": article.summary,
        "body": article.body,
        "lead_image_id": article.lead_image_id,
        "lead_image_caption": article.lead_image_caption,
        "status": article.status,
        "bylines": sorted(
            (byline.position, byline.pk, byline.author_id, byline.role)
            for byline in article.bylines.all()
        ),
    }


def compare(older, newer):
    """Rows for each compared field, and the body as a paragraph diff, of two value dicts
    (version_values or article_values)."""
    names = readable_names([older, newer])
    rows = [
        Row("Headline", older["title"], newer["title"]),
        Row("Address", older["slug"], newer["slug"]),
        Row("Section", names.section(older), names.section(newer)),
        Row("Standfirst", older["summary"], newer["summary"]),
        Row("Authors", names.bylines(older), names.bylines(newer)),
        Row("Lead image", names.lead_image(older), names.lead_image(newer)),
        Row("Status", status(older), status(newer)),
    ]
    return rows, body_diff(older["body"], newer["body"])


class Names:
    def __init__(self, sections, authors, images):
        self.sections, self.authors, self.images = sections, authors, images

    def lead_image(self, values):
        if values["lead_image_id"] is None:
            return "none"
        image = self.images.get(values["lead_image_id"])
        if image is None:
            return "(a photo no longer in the library)"
        caption = values["lead_image_caption"] or image.caption or "no caption"
        return f"{caption} ({image.credit}; alt text: {image.alt_text})"

    def section(self, values):
        section = self.sections.get(values["section_id"])
        return section.name if section else "(a deleted section)"

    def bylines(self, values):
        roles = dict(Byline.Role.choices)
        credits = []
        for _position, _pk, author_id, role in values["bylines"]:
            author = self.authors.get(author_id)
            name = author.name if author else "(a deleted author)"
            credits.append(f"{name} ({roles.get(role, role).lower()})")
        return "; ".join(credits) or "none"


def readable_names(values_list):
    """Section, author and photo descriptions for the values compared, in three queries."""
    section_ids = {values["section_id"] for values in values_list}
    author_ids = {byline[2] for values in values_list for byline in values["bylines"]}
    image_ids = {values["lead_image_id"] for values in values_list} - {None}
    return Names(
        Section.objects.in_bulk(section_ids - {None}),
        Author.objects.only("name").in_bulk(author_ids) if author_ids else {},
        Image.objects.in_bulk(image_ids) if image_ids else {},
    )


def status(values):
    return dict(Article.Status.choices).get(values["status"], values["status"])


def body_text(body):
    """The story's paragraphs as plain text, one per line, without tags or entities."""
    text = html.unescape(strip_tags(BLOCK_END.sub("\n", body or "")))
    return [line.strip() for line in text.splitlines() if line.strip()]


def body_diff(older, newer):
    """Changed paragraphs with a little context; empty when the text is the same."""
    lines = difflib.unified_diff(body_text(older), body_text(newer), lineterm="", n=BODY_CONTEXT)
    diff = []
    in_hunk = False  # the two file headers come before the first "@@"
    for line in lines:
        if line.startswith("@@"):
            if in_hunk:  # between two changes: paragraphs left out
                diff.append(BodyLine("gap", "…"))
            in_hunk = True
        elif not in_hunk:
            continue
        elif line.startswith("-"):
            diff.append(BodyLine("removed", line[1:]))
        elif line.startswith("+"):
            diff.append(BodyLine("added", line[1:]))
        else:
            diff.append(BodyLine("same", line[1:]))
    return diff
