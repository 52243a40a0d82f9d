import importlib
import io
from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import Article, Byline, Correction, Section, Tag
from authors.models import Author, AuthorLink
from photos.models import Image as LibraryImage


def image_file(name="photo.jpg", size=(12, 8), color="navy"):
    """A small real JPEG (or PNG, by extension) made with Pillow, ready for an ImageField."""
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG" if name.endswith(".png") else "JPEG")
    content_type = "image/png" if name.endswith(".png") else "image/jpeg"
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def create_newsroom_groups():
    """The staff groups exactly as the data migration defines them. A database flush (live
    server tests) removes them, and a reused test database would then start without them."""
    migration = importlib.import_module("articles.migrations.0002_newsroom_groups")
    groups = {name: [*labels] for name, labels in migration.GROUPS.items()}
    # Later data migrations that grant a group more.
    authors = importlib.import_module(
        "authors.migrations.0003_profile_managers_review_changes_and_merges"
    )
    groups["Profile managers"] += authors.PERMISSIONS
    settings = importlib.import_module("articles.migrations.0004_editors_edit_site_settings")
    groups["Editors"] += [f"articles.{codename}" for codename in settings.PERMISSIONS]
    audit = importlib.import_module("audit.migrations.0002_staff_read_the_log")
    for name in audit.GROUPS:
        groups[name] += audit.PERMISSIONS
    workflow = importlib.import_module("articles.migrations.0010_workflow_reviewers_and_history")
    for name in workflow.GROUPS:
        groups[name] += workflow.PERMISSIONS
    corrections = importlib.import_module(
        "articles.migrations.0010_revisions_editors_write_corrections"
    )
    shared = importlib.import_module("articles.migrations.0010_preview_editors_share_and_curate")
    photos = importlib.import_module("articles.migrations.0012_photos_staff_use_the_library")
    for name, labels in [
        *shared.GROUPS.items(),
        *corrections.GROUPS.items(),
        *photos.GROUPS.items(),
    ]:
        groups[name] += labels
    for name, labels in groups.items():
        group, _ = Group.objects.get_or_create(name=name)
        for label in labels:
            app_label, codename = label.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@newsroom.example")
    password = factory.django.Password("correct horse battery staple")
    is_staff = True

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        if create and names:
            self.groups.add(*Group.objects.filter(name__in=names))


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")
    position = factory.Sequence(int)


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"Tag {n}")
    slug = factory.Sequence(lambda n: f"tag-{n}")


class ImageFactory(factory.django.DjangoModelFactory):
    """A library photo, stored and with its renditions made as on upload."""

    class Meta:
        model = LibraryImage

    file = factory.LazyFunction(lambda: image_file("photo.jpg", size=(48, 32)))
    alt_text = "Councillors in the chamber"
    caption = factory.Faker("sentence", nb_words=8)
    credit = "Jane Doe / Agency"


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    class Params:
        with_photo = factory.Trait(
            photo=factory.SubFactory(
                ImageFactory,
                file=factory.LazyFunction(lambda: image_file("portrait.png", size=(16, 16))),
                alt_text=factory.SelfAttribute("..name"),
                keywords="portrait",
            )
        )

    name = factory.Faker("name")
    slug = factory.Sequence(lambda n: f"author-{n}")
    role = "Politics Reporter"
    bio = factory.Faker("sentence", nb_words=14)


class AuthorLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuthorLink

    author = factory.SubFactory(AuthorFactory)
    kind = AuthorLink.Kind.WEBSITE
    url = factory.Sequence(lambda n: f"https://reporter{n}.example.org/")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    class Params:
        published = factory.Trait(
            status=Article.Status.PUBLISHED,
            published_at=factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1)),
        )
        scheduled = factory.Trait(
            status=Article.Status.PUBLISHED,
            published_at=factory.LazyFunction(lambda: timezone.now() + timedelta(hours=1)),
        )
        with_image = factory.Trait(lead_image=factory.SubFactory(ImageFactory))
        # Passes the preflight checks once it has a writer: `authors=[…]`.
        ready = factory.Trait(with_image=True)

    title = factory.Faker("sentence", nb_words=7)
    slug = factory.Sequence(lambda n: f"story-{n}")
    kind = Article.Kind.STORY
    summary = factory.Faker("sentence", nb_words=18)
    body = "<p>The council met on Tuesday and agreed the budget.</p>"
    section = factory.SubFactory(SectionFactory)

    @factory.post_generation
    def authors(self, create, authors, **kwargs):
        if create and authors:
            Byline.objects.bulk_create(
                Byline(article=self, author=author, position=index)
                for index, author in enumerate(authors)
            )

    @factory.post_generation
    def tags(self, create, tags, **kwargs):
        if create and tags:
            self.tags.add(*tags)


class BylineFactory(factory.django.DjangoModelFactory):
    """One credit on a story; `ArticleFactory(authors=[…])` makes writers only."""

    class Meta:
        model = Byline

    article = factory.SubFactory(ArticleFactory, published=True)
    author = factory.SubFactory(AuthorFactory)
    role = Byline.Role.WRITER
    position = factory.Sequence(int)


class CorrectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Correction

    article = factory.SubFactory(ArticleFactory, published=True)
    kind = Correction.Kind.CORRECTION
    text = "An earlier version of this story gave the wrong date for the vote."
