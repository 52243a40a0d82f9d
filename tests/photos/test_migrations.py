"""The data migrations that moved existing lead photos and author photos into the library."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from PIL import Image as Pillow

from articles.models import Article
from authors.models import Author
from photos.models import Image

# Every other migration applied, and the photo library's first step only: the merge nodes
# of the other branches keep their columns in place while the photo steps are undone.
BEFORE = [
    ("articles", "0013_merge_concurrency"),
    ("articles", "0009_photos_library_lead_image"),
    ("authors", "0009_concurrency_version"),
    ("authors", "0004_photos_library_photo"),
]


def stored_jpeg(name, size):
    buffer = io.BytesIO()
    Pillow.new("RGB", size, "teal").save(buffer, "JPEG")
    return default_storage.save(name, ContentFile(buffer.getvalue()))


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_old_lead_photos_and_portraits_become_library_photos():
    old = migrate(BEFORE)
    try:
        section = old.get_model("articles", "Section").objects.create(name="City", slug="city")
        OldArticle = old.get_model("articles", "Article")
        shared = stored_jpeg("articles/2025/01/bridge.jpg", (1600, 900))
        fields = {
            "section": section,
            "lead_image": shared,
            "lead_image_alt": "The bridge at dawn",
            "lead_image_caption": "The bridge reopened on Monday.",
            "lead_image_credit": "Ana Kovac / Photo Desk",
        }
        first = OldArticle.objects.create(title="One", slug="one", **fields)
        second = OldArticle.objects.create(title="Two", slug="two", **fields)
        OldArticle.objects.create(title="No photo", slug="three", section=section)
        portrait = stored_jpeg("authors/2025/01/ana.jpg", (400, 400))
        OldAuthor = old.get_model("authors", "Author")
        ana = OldAuthor.objects.create(name="Ana Kovac", slug="ana", photo=portrait)
    finally:
        migrate(latest())

    # One library photo per file, however many stories used it.
    assert Image.objects.count() == 2
    lead = Article.objects.get(pk=first.pk).lead_image
    assert Article.objects.get(pk=second.pk).lead_image == lead
    assert Article.objects.get(slug="three").lead_image is None
    assert (lead.alt_text, lead.caption, lead.credit) == (
        "The bridge at dawn",
        "The bridge reopened on Monday.",
        "Ana Kovac / Photo Desk",
    )
    assert lead.file.name == shared
    assert (lead.width, lead.height) == (1600, 900)
    assert lead.sizes["social"]["width"] == 1200
    assert Article.objects.get(pk=first.pk).lead_caption == "The bridge reopened on Monday."
    photo = Author.objects.get(pk=ana.pk).photo
    assert (photo.alt_text, photo.credit, photo.file.name) == ("Ana Kovac", "", portrait)
    assert photo.sizes["square320"]["width"] == 320
