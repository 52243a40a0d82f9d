from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django.utils.html import strip_tags

from articles.models import Article, BreakingNews, Byline, Correction, HomeSlot, Section, Tag
from authors.models import Author, AuthorLink
from photos.models import Image

ARCHIVE_ARGS = ["--articles", "50", "--authors", "5", "--sections", "3", "--tags", "10"]


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    """Portraits and lead images go to a throwaway folder, never into the project."""
    return tmp_path_factory.mktemp("seed-media")


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker, demo_media):
    """One demo newsroom for the whole module, rolled back at its end: seeding draws and
    renders about forty photos. Each test runs inside it, in a savepoint of its own, and
    its own seed() calls are second runs."""
    fast_hashing = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as in tests/conftest.py
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=demo_media, PASSWORD_HASHERS=fast_hashing),
        transaction.atomic(),
    ):
        yield seed()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def media(_test_settings, settings, demo_media, demo_output):
    settings.MEDIA_ROOT = demo_media
    return demo_media


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def row_counts():
    models = [Section, Tag, Author, AuthorLink, Article, Byline, Article.tags.through]
    models += [HomeSlot, BreakingNews]
    models += [Correction]
    return {model.__name__: model.objects.count() for model in models} | {
        "users": get_user_model().objects.count()
    }


def media_files(folder):
    return sorted(path for path in folder.rglob("*") if path.is_file())


@pytest.mark.django_db
def test_seed_creates_a_demo_newsroom(demo_output):
    output = demo_output

    assert Section.objects.count() >= 8
    assert list(Section.objects.values_list("position", flat=True)) == sorted(
        Section.objects.values_list("position", flat=True)
    )
    assert Tag.objects.count() >= 15
    assert Author.objects.count() >= 10
    assert Article.objects.count() >= 60
    assert set(Article.objects.values_list("kind", flat=True)) == set(Article.Kind.values)
    assert "newsroom-demo-admin" in output


@pytest.mark.django_db
def test_authors_have_portraits_links_and_some_are_guests():
    seed()

    for author in Author.objects.select_related("photo"):
        assert (author.photo.width, author.photo.height) == (400, 400)
        assert author.photo.file.name.endswith(".jpg")
        assert author.photo.credit and author.photo.alt_text == author.name
        assert author.photo.focal_y == 0.4
        assert 1 <= author.links.count() <= 3
        assert author.role and author.bio
    assert Author.objects.filter(user__isnull=True, role="Opinion Contributor").exists()
    assert all("example." in url for url in AuthorLink.objects.values_list("url", flat=True))


@pytest.mark.django_db
def test_most_longer_articles_have_lead_images_with_credits():
    seed()

    longer = Article.objects.exclude(kind=Article.Kind.NEWS)
    pictured = longer.filter(lead_image__isnull=False).select_related("lead_image")
    assert pictured.count() >= 0.7 * longer.count()
    for article in pictured:
        photo = article.lead_image
        assert (photo.width, photo.height) == (1600, 900)
        assert photo.alt_text and photo.caption and photo.credit
        # Never upscaled: the 1920 slot holds the 1600-pixel original size.
        assert photo.sizes["w1280"]["width"] == 1280
        assert photo.sizes["w1920"]["width"] == 1600


@pytest.mark.django_db
def test_the_drawn_photos_are_in_the_library_with_focal_points_and_one_expired():
    seed()

    library = Image.objects.all()
    assert library.count() == Article.objects.filter(lead_image__isnull=False).count() + (
        Author.objects.filter(photo__isnull=False).count()
    )
    assert library.exclude(focal_x=0.5).exists()
    expired = Image.objects.expired().get()
    story = expired.lead_articles.get()
    assert story.is_published
    assert story.shown_lead_image is None


@pytest.mark.django_db
def test_articles_have_bylines_tags_and_sensible_lengths():
    seed()

    for article in Article.objects.all():
        assert 1 <= article.bylines.count() <= 3
        assert 1 <= article.tags.count() <= 3
        assert article.summary
        if article.kind == Article.Kind.NEWS:
            assert 60 <= article.word_count <= 150
        else:
            assert 300 <= article.word_count <= 900
            assert "<h2>" in article.body and "<ul>" in article.body


@pytest.mark.django_db
def test_publishing_states_and_videos_are_mixed():
    seed()
    now = timezone.now()

    articles = Article.objects.all()
    assert articles.filter(status=Article.Status.DRAFT).exists()
    assert articles.filter(status=Article.Status.PUBLISHED, published_at__gt=now).exists()
    assert articles.scheduled().count() == 2
    assert articles.filter(status=Article.Status.IN_REVIEW).count() == 2
    assert articles.published().count() >= 50
    assert articles.exclude(updated_at=None).exists()
    videos = articles.exclude(video_url="")
    assert videos.count() == 2
    assert all(article.video_embed_url for article in videos)


@pytest.mark.django_db
def test_demo_logins_are_staff_in_their_groups():
    seed()

    users = get_user_model().objects
    assert users.get(username="admin").is_superuser
    reporter = users.get(username="reporter")
    assert reporter.is_staff
    assert reporter.check_password("newsroom-demo-reporter")
    assert reporter.author.role == "Politics Reporter"
    assert list(reporter.groups.values_list("name", flat=True)) == ["Reporters"]
    assert list(users.get(username="editor").groups.values_list("name", flat=True)) == ["Editors"]


@pytest.mark.django_db
def test_the_demo_shows_a_correction_and_a_clarification_on_live_stories(client):
    seed()

    corrections = Correction.objects.public()
    assert sorted(corrections.values_list("kind", flat=True)) == ["clarification", "correction"]
    response = client.get("/corrections/")
    for correction in corrections:
        assert correction.text in response.content.decode()


@pytest.mark.django_db
def test_second_run_creates_nothing(media):
    seed()
    before = row_counts()
    files = media_files(media)

    output = seed()

    assert row_counts() == before
    assert media_files(media) == files
    assert "password left unchanged" in output


@pytest.mark.django_db
def test_second_run_leaves_an_existing_admin_password_alone():
    admin = get_user_model().objects.get(username="admin")
    admin.set_password("my-own-pass")
    admin.save()

    seed()

    admin.refresh_from_db()
    assert admin.check_password("my-own-pass")


@pytest.mark.django_db
def test_archive_option_adds_exactly_that_many_articles():
    seed()
    before = Article.objects.count()

    output = seed(*ARCHIVE_ARGS)

    added = Article.objects.filter(slug__startswith="archive-")
    assert Article.objects.count() == before + 50
    assert added.count() == 50
    assert not added.filter(bylines__isnull=True).exists()
    assert not added.filter(tags__isnull=True).exists()
    assert "50 / 50 articles" in output


@pytest.mark.django_db
def test_archive_rows_have_word_counts_and_published_dates():
    seed(*ARCHIVE_ARGS)

    for article in Article.objects.filter(slug__startswith="archive-"):
        assert article.word_count == len(strip_tags(article.body).split()) > 0
        assert article.is_published


@pytest.mark.django_db
def test_archive_runs_add_up_without_slug_collisions():
    seed(*ARCHIVE_ARGS)
    seed(*ARCHIVE_ARGS)

    assert Article.objects.filter(slug__startswith="archive-").count() == 100


@pytest.mark.django_db
def test_archive_option_tops_up_authors_sections_and_tags():
    seed("--articles", "5", "--authors", "25", "--sections", "12", "--tags", "40")

    assert Author.objects.count() == 25
    assert Section.objects.count() == 12
    assert Tag.objects.count() == 40


@pytest.mark.django_db
def test_seeded_images_record_their_renditions_so_pages_never_open_the_files():
    seed("--articles", "30", "--authors", "3", "--sections", "3", "--tags", "5")
    archive = Article.objects.filter(slug__startswith="archive-", lead_image__isnull=False)
    assert archive.exists()
    assert not archive.filter(lead_image__in=Image.objects.expired()).exists()
    assert not Image.objects.filter(renditions={}).exists()
    assert not Image.objects.filter(width=0).exists()


@pytest.mark.django_db
def test_the_demo_reporter_has_stories_in_review_and_one_returned_with_a_note():
    seed()

    reporter = get_user_model().objects.get(username="reporter")
    theirs = Article.objects.owned_by(reporter)
    assert theirs.filter(status=Article.Status.IN_REVIEW, submitted_by=reporter).count() == 2
    returned = [article for article in theirs if article.was_returned]
    assert len(returned) == 1
    assert returned[0].review_note


@pytest.mark.django_db
def test_the_demo_home_page_has_editors_picks_and_a_breaking_story_that_expires(
    client, time_machine
):
    seed()
    seed()  # idempotent: no second set of picks or flags

    slots = HomeSlot.objects.all()
    assert slots.count() == 3
    assert slots.live().count() == 2
    lead = slots.live().first()
    assert client.get("/").context["lead"] == lead.article
    flag = BreakingNews.objects.get()
    assert flag.created_by.username == "editor"
    assert 'class="breaking-banner"' in client.get("/").content.decode()
    time_machine.move_to(flag.expires_at, tick=False)
    assert 'class="breaking-banner"' not in client.get("/").content.decode()
