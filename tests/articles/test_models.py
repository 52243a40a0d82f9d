from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, validate_video_url, video_embed_url
from tests.factories import ArticleFactory, SectionFactory

NOW = datetime(2025, 6, 18, 12, 0, tzinfo=ZoneInfo("Europe/Kyiv"))
YOUTUBE_EMBED = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def make_article(state):
    """An article on one side of the publish boundary, relative to the frozen NOW."""
    return {
        "draft": lambda: ArticleFactory(status=Article.Status.DRAFT, published_at=None),
        "draft_with_a_past_time": lambda: ArticleFactory(
            status=Article.Status.DRAFT, published_at=NOW - timedelta(days=1)
        ),
        "in_review": lambda: ArticleFactory(
            status=Article.Status.IN_REVIEW, published_at=NOW - timedelta(days=1)
        ),
        "unpublished": lambda: ArticleFactory(
            status=Article.Status.UNPUBLISHED, published_at=NOW - timedelta(days=1)
        ),
        "embargoed": lambda: ArticleFactory(
            status=Article.Status.PUBLISHED,
            published_at=NOW - timedelta(minutes=1),
            embargo_until=NOW + timedelta(seconds=1),
        ),
        "embargo_lifting_this_instant": lambda: ArticleFactory(
            status=Article.Status.PUBLISHED,
            published_at=NOW - timedelta(minutes=1),
            embargo_until=NOW,
        ),
        "scheduled": lambda: ArticleFactory(
            status=Article.Status.PUBLISHED, published_at=NOW + timedelta(minutes=1)
        ),
        "live": lambda: ArticleFactory(
            status=Article.Status.PUBLISHED, published_at=NOW - timedelta(minutes=1)
        ),
        "live_this_instant": lambda: ArticleFactory(
            status=Article.Status.PUBLISHED, published_at=NOW
        ),
        "trashed": lambda: ArticleFactory(
            status=Article.Status.PUBLISHED,
            published_at=NOW - timedelta(minutes=1),
            trashed_at=NOW - timedelta(seconds=1),
        ),
    }[state]()


# The publish rule -----------------------------------------------------------------------


@pytest.mark.django_db
def test_published_returns_only_stories_whose_publish_time_has_passed(frozen):
    make_article("draft")
    make_article("scheduled")
    live = make_article("live")

    assert list(Article.objects.published()) == [live]


@pytest.mark.django_db
def test_a_scheduled_story_goes_live_by_itself_when_its_time_comes(time_machine):
    time_machine.move_to(NOW, tick=False)
    scheduled = make_article("scheduled")
    assert not Article.objects.published().exists()

    time_machine.move_to(NOW + timedelta(minutes=1), tick=False)

    assert list(Article.objects.published()) == [scheduled]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("draft", False),
        ("draft_with_a_past_time", False),
        ("in_review", False),
        ("unpublished", False),
        ("scheduled", False),
        ("embargoed", False),
        ("embargo_lifting_this_instant", True),
        ("live", True),
        ("live_this_instant", True),
        ("trashed", False),
    ],
)
def test_is_published_agrees_with_the_published_queryset(frozen, state, expected):
    article = make_article(state)

    assert article.is_published is expected
    assert Article.objects.published().filter(pk=article.pk).exists() is expected
    # Released but not yet visible is exactly "scheduled"; nothing is both.
    is_scheduled = Article.objects.scheduled().filter(pk=article.pk).exists()
    assert is_scheduled is (article.state == Article.State.SCHEDULED)
    assert not (is_scheduled and expected)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "shown_as"),
    [
        ("draft", Article.State.DRAFT),
        ("in_review", Article.State.IN_REVIEW),
        ("unpublished", Article.State.UNPUBLISHED),
        ("scheduled", Article.State.SCHEDULED),
        ("embargoed", Article.State.SCHEDULED),
        ("live", Article.State.PUBLISHED),
    ],
)
def test_in_state_finds_what_state_reports(frozen, state, shown_as):
    article = make_article(state)
    make_article("draft" if state != "draft" else "live")

    assert article.state == shown_as
    assert list(Article.objects.in_state(shown_as)) == [article]


@pytest.mark.django_db
def test_an_embargoed_story_goes_live_by_itself_when_the_embargo_passes(time_machine):
    time_machine.move_to(NOW, tick=False)
    article = make_article("embargoed")
    assert not Article.objects.published().exists()

    time_machine.move_to(NOW + timedelta(seconds=1), tick=False)

    assert list(Article.objects.published()) == [article]
    assert article.is_published


@pytest.mark.django_db
def test_saving_a_published_story_without_a_time_publishes_it_now(frozen):
    article = ArticleFactory(status=Article.Status.PUBLISHED, published_at=None)

    article.refresh_from_db()
    assert article.published_at == NOW
    assert article.is_published


@pytest.mark.django_db
def test_a_draft_may_have_no_publish_time():
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)

    article.refresh_from_db()
    assert article.published_at is None


@pytest.mark.django_db
def test_the_database_refuses_a_published_story_without_a_publish_time():
    article = ArticleFactory(published=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(published_at=None)

    article.refresh_from_db()
    assert article.published_at is not None


@pytest.mark.django_db
def test_the_database_refuses_publishing_a_draft_that_has_no_publish_time():
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)

    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED)


# Addresses and labels -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_story_address_does_not_depend_on_its_section():
    article = ArticleFactory(slug="budget-agreed")
    url = article.get_absolute_url()

    article.section = SectionFactory()
    article.save()

    assert url == article.get_absolute_url() == "/news/budget-agreed/"


def test_an_article_prints_as_its_headline():
    assert str(ArticleFactory.build(title="Council agrees budget")) == "Council agrees budget"


# Reading time ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_word_count_counts_the_words_of_the_body_not_its_markup():
    article = ArticleFactory(body="<p>One <strong>two</strong> three.</p><p>Four</p>")

    assert article.word_count == 4


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("<p>One</p><p>two</p><h2>three</h2><ul><li>four</li><li>five</li></ul>", 5),
        ("<blockquote>one</blockquote><p>two<br>three</p><hr><p>four</p>", 4),
        ("<p><strong>Im</strong>portant and <em>un</em>usual</p>", 3),
    ],
)
def test_paragraph_and_line_breaks_separate_words_but_inline_formatting_does_not(body, words):
    assert ArticleFactory(body=body).word_count == words


@pytest.mark.django_db
def test_a_short_story_takes_one_minute_to_read():
    article = ArticleFactory(body="<p>Short.</p>")

    assert article.reading_minutes == 1


@pytest.mark.django_db
def test_an_empty_body_still_reads_as_one_minute():
    article = ArticleFactory(body="")

    assert article.word_count == 0
    assert article.reading_minutes == 1


@pytest.mark.django_db
def test_a_thousand_word_story_takes_five_minutes_to_read(settings):
    settings.NEWSROOM_WORDS_PER_MINUTE = 230
    article = ArticleFactory(body="<p>" + " ".join(["word"] * 1000) + "</p>")

    assert article.word_count == 1000
    assert article.reading_minutes == 5  # 1000 / 230 = 4.3, rounded up


@pytest.mark.django_db
def test_word_count_follows_the_body_when_it_is_edited():
    article = ArticleFactory(body="<p>one two</p>")

    article.body = "<p>one two three four five</p>"
    article.save()

    article.refresh_from_db()
    assert article.word_count == 5


# Video ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "embed"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", YOUTUBE_EMBED),
        ("https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s", YOUTUBE_EMBED),
        ("https://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ", YOUTUBE_EMBED),
        ("https://youtu.be/dQw4w9WgXcQ", YOUTUBE_EMBED),
        ("https://youtu.be/dQw4w9WgXcQ?si=abc", YOUTUBE_EMBED),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", YOUTUBE_EMBED),
        ("https://www.youtube.com/live/dQw4w9WgXcQ", YOUTUBE_EMBED),
        ("https://www.youtube.com/embed/dQw4w9WgXcQ", YOUTUBE_EMBED),
        ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", YOUTUBE_EMBED),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
        ("https://www.vimeo.com/76979871/", "https://player.vimeo.com/video/76979871"),
        ("https://player.vimeo.com/video/76979871", "https://player.vimeo.com/video/76979871"),
    ],
)
def test_youtube_and_vimeo_links_become_privacy_friendly_player_addresses(url, embed):
    assert video_embed_url(url) == embed


UNSUPPORTED_VIDEOS = [
    "https://evil.example/watch?v=dQw4w9WgXcQ",
    "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
    "https://notyoutube.com/watch?v=dQw4w9WgXcQ",
    "https://youtube.com@evil.example/watch?v=dQw4w9WgXcQ",
    "https://www.dailymotion.com/video/x7tgad0",
    "https://www.youtube.com/",
    "https://www.youtube.com/watch",
    "https://www.youtube.com/watch?v=",
    "https://www.youtube.com/watch?v=tooShort",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQXX",
    "https://www.youtube.com/watch?v=dQw4w9WgX%22Q",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ%0A",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ%0Aonload",
    "https://www.youtube.com/embed/dQw4w9WgXcQ/extra",
    "https://www.youtube.com/shorts/",
    "https://youtu.be/",
    "https://youtu.be/dQw4w9WgXcQ/extra",
    "https://youtu.be/%3Cscript%3E",
    "https://vimeo.com/channels/staffpicks",
    "https://vimeo.com/abc",
    "https://vimeo.com/76979871%0A",
    "https://vimeo.com/\u0667\u0669\u0668",
    "https://vimeo.com/",
    "javascript:alert(1)//youtube.com/watch?v=dQw4w9WgXcQ",
    "not a url",
    "",
]


@pytest.mark.parametrize("url", UNSUPPORTED_VIDEOS)
def test_unsupported_hosts_and_bad_video_ids_have_no_player(url):
    assert video_embed_url(url) is None


@pytest.mark.parametrize("url", UNSUPPORTED_VIDEOS)
def test_validate_video_url_rejects_unsupported_hosts_and_bad_ids(url):
    with pytest.raises(ValidationError) as error:
        validate_video_url(url)

    assert error.value.code == "unsupported_video"
    assert "Paste a YouTube or Vimeo video address" in error.value.message


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=nope",
        "https://vimeo.com/channels/staffpicks",
    ],
)
def test_full_clean_names_the_video_field_with_a_clear_message(url):
    article = ArticleFactory.build(section=SectionFactory(), video_url=url)

    with pytest.raises(ValidationError) as error:
        article.full_clean()

    assert error.value.message_dict == {
        "video_url": [
            "Paste a YouTube or Vimeo video address, e.g. https://www.youtube.com/watch?v=…"
        ]
    }


@pytest.mark.django_db
def test_full_clean_accepts_a_youtube_video():
    article = ArticleFactory.build(
        section=SectionFactory(), video_url="https://youtu.be/dQw4w9WgXcQ"
    )

    article.full_clean()

    assert article.video_embed_url == YOUTUBE_EMBED
    assert article.video_provider == "YouTube"


def test_a_vimeo_video_names_its_provider():
    article = ArticleFactory.build(video_url="https://vimeo.com/76979871")

    assert article.video_provider == "Vimeo"


def test_an_article_without_a_video_has_no_player():
    assert ArticleFactory.build(video_url="").video_embed_url is None


# Lead image -----------------------------------------------------------------------------
# Alt text, credit, stored names and sizes belong to the library photo: tests/photos.


@pytest.mark.django_db
def test_the_lead_caption_is_the_storys_own_or_else_the_librarys():
    article = ArticleFactory(with_image=True, lead_image__caption="The library's caption")

    assert article.lead_caption == "The library's caption"
    article.lead_image_caption = "This story's caption"
    assert article.lead_caption == "This story's caption"


@pytest.mark.django_db
def test_a_lead_photo_whose_usage_expired_is_not_shown():
    article = ArticleFactory(with_image=True)
    assert article.shown_lead_image == article.lead_image

    article.lead_image.usage_expires = timezone.localdate() - timedelta(days=1)

    assert article.shown_lead_image is None
    assert article.social_card is None


@pytest.mark.django_db
def test_latest_per_section_takes_the_newest_few_of_each_section_from_a_bounded_pool():
    busy, quiet, stale = SectionFactory(), SectionFactory(), SectionFactory()
    now = timezone.now()
    for hours in range(6):
        ArticleFactory(section=busy, status="published", published_at=now - timedelta(hours=hours))
    ArticleFactory(section=quiet, status="published", published_at=now - timedelta(hours=7))
    ArticleFactory(section=stale, status="published", published_at=now - timedelta(days=400))

    picked = Article.objects.published().latest_per_section(3, pool=7)

    by_section = {}
    for article in picked:
        by_section.setdefault(article.section, []).append(article.published_at)
    assert len(by_section[busy]) == 3
    assert by_section[busy] == sorted(by_section[busy], reverse=True)
    assert max(by_section[busy]) > now - timedelta(minutes=1)
    assert len(by_section[quiet]) == 1
    assert stale not in by_section


@pytest.mark.django_db
def test_related_stories_are_scored_among_the_newest_pool_only():
    section = SectionFactory()
    now = timezone.now()
    article = ArticleFactory(section=section, status="published", published_at=now)
    recent = ArticleFactory(
        section=section, status="published", published_at=now - timedelta(hours=1)
    )
    ArticleFactory(section=section, status="published", published_at=now - timedelta(days=900))
    article = Article.objects.prefetch_related("tags").get(pk=article.pk)

    related = Article.objects.published().related_to(article, pool=2)

    assert related == [recent]
