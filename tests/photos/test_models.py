"""The library photo's rules: usage expiry (query and instance agree) and deletion."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from photos.models import Image
from tests.factories import ArticleFactory, AuthorFactory, ImageFactory
from tests.photos import corpus


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("days", "expired"),
    [(None, False), (3, False), (0, False), (-1, True), (-30, True)],
    ids=["no expiry", "in three days", "last day today", "yesterday", "a month ago"],
)
def test_is_expired_and_the_queryset_rules_agree(days, expired):
    expires = None if days is None else timezone.localdate() + timedelta(days=days)
    image = ImageFactory(usage_expires=expires)

    assert image.is_expired is expired
    assert Image.objects.expired().filter(pk=image.pk).exists() is expired
    assert Image.objects.usable().filter(pk=image.pk).exists() is not expired
    assert image.is_shown is not expired


@pytest.mark.django_db
def test_a_photo_without_renditions_is_not_shown():
    image = ImageFactory()
    image.renditions = {}

    assert image.is_shown is False


@pytest.mark.django_db
def test_deleting_a_photo_removes_its_files(settings, django_capture_on_commit_callbacks):
    image = ImageFactory()
    assert any(settings.MEDIA_ROOT.rglob("*.webp"))

    with django_capture_on_commit_callbacks(execute=True):
        image.delete()

    assert not [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]


@pytest.mark.django_db
@pytest.mark.parametrize("user", ["story", "author"])
def test_a_photo_in_use_cannot_be_deleted(user):
    image = ImageFactory()
    if user == "story":
        ArticleFactory(lead_image=image)
    else:
        AuthorFactory(photo=image)

    with pytest.raises(ProtectedError):
        image.delete()


@pytest.mark.django_db
def test_a_photo_that_fails_to_save_leaves_no_files_behind(settings):
    image = Image(file=corpus.jpeg(), alt_text="A", credit="B", focal_x=7)  # breaks the check

    with pytest.raises(IntegrityError), transaction.atomic():
        image.save()

    assert not [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]
