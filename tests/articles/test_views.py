import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from articles.models import Article, BodyImage, SlugRedirect
from articles.services import record_slug_change
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    AuthorLinkFactory,
    ImageFactory,
    SectionFactory,
    TagFactory,
    UserFactory,
    image_file,
)

NOW = datetime(2025, 6, 18, 12, 0, tzinfo=ZoneInfo("Europe/Kyiv"))
ROW_LINK = re.compile(r'<h\d class="card-title"><a href="/news/([^/"]+)/">')


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def listed_slugs(response):
    return ROW_LINK.findall(response.content.decode())


# The article page -----------------------------------------------------------------------


@pytest.fixture
def story(frozen):
    zoe = AuthorFactory(
        name="Zoe Zed", slug="zoe-zed", role="Chief Reporter", bio="Covers the council."
    )
    adam = AuthorFactory(
        name="Adam Ant", slug="adam-ant", role="Data Editor", bio="Counts everything."
    )
    return ArticleFactory(
        published=True,
        published_at=NOW - timedelta(hours=1),
        slug="council-agrees-budget",
        title="Council agrees budget",
        summary="The vote was closer than expected.",
        kind=Article.Kind.ANALYSIS,
        body="<p>The council met on <strong>Tuesday</strong>.</p><h2>What it means</h2>",
        section=SectionFactory(name="City Hall", slug="city-hall"),
        # Byline order is deliberately not alphabetical.
        authors=[zoe, adam],
        tags=[TagFactory(name="Budget", slug="budget"), TagFactory(name="Council")],
        lead_image=ImageFactory(
            alt_text="Councillors voting",
            caption="The vote in the chamber",
            credit="Jane Doe / Agency",
            file=image_file("chamber.jpg", size=(1000, 500)),
        ),
    )


@pytest.mark.django_db
def test_the_article_page_shows_the_story_and_its_metadata(client, story):
    response = client.get("/news/council-agrees-budget/")

    assert response.status_code == 200
    assertContains(response, '<a href="/section/city-hall/">City Hall</a>', html=True)
    assertContains(response, '<span class="kind kind-analysis">Analysis</span>', html=True)
    assertContains(response, '<h1 class="story-title">Council agrees budget</h1>', html=True)
    assertContains(
        response, '<p class="standfirst">The vote was closer than expected.</p>', html=True
    )
    assertContains(
        response,
        '<time datetime="2025-06-18T11:00:00+0300">18 June 2025, 11:00</time>',
        html=True,
    )
    assertContains(response, "1 min read")
    assertContains(response, "<p>The council met on <strong>Tuesday</strong>.</p>", html=True)
    assertContains(response, "<h2>What it means</h2>", html=True)
    assertContains(response, "<title>Council agrees budget · The Meridian Independent</title>")
    assertNotContains(response, "Preview.")
    assertNotContains(response, "Updated:")


@pytest.mark.django_db
def test_the_article_page_lists_the_bylines_in_byline_order(client, story):
    response = client.get(story.get_absolute_url())

    assertContains(
        response,
        '<p class="byline">By <a href="/authors/zoe-zed/">Zoe Zed</a> and '
        '<a href="/authors/adam-ant/">Adam Ant</a></p>',
        html=True,
    )


@pytest.mark.django_db
def test_three_bylines_read_as_a_list(client, frozen):
    names = ["Carol", "Alice", "Bob"]
    article = ArticleFactory(
        published=True, authors=[AuthorFactory(name=name, slug=name.lower()) for name in names]
    )

    response = client.get(article.get_absolute_url())

    assertContains(
        response,
        '<p class="byline">By <a href="/authors/carol/">Carol</a>, '
        '<a href="/authors/alice/">Alice</a> and <a href="/authors/bob/">Bob</a></p>',
        html=True,
    )


@pytest.mark.django_db
def test_the_article_page_shows_the_lead_image_with_caption_and_credit(client, story):
    response = client.get(story.get_absolute_url())

    # WebP and JPEG at every allowed width below the original's 1000 pixels and at the
    # original's own width (never upscaled to 1280), the fallback at 960; dimensions keep
    # the 2:1 photo from shifting the page as it loads.
    url = story.lead_image.rendition
    widths = {"w320": 320, "w640": 640, "w960": 960, "w1280": 1000}
    webp = ", ".join(f"{url(name, 'webp')['url']} {w}w" for name, w in widths.items())
    jpeg = ", ".join(f"{url(name)['url']} {w}w" for name, w in widths.items())
    sizes = "(min-width: 42rem) 42rem, 100vw"
    assertContains(
        response,
        f'<figure class="lead-figure"><picture>'
        f'<source type="image/webp" srcset="{webp}" sizes="{sizes}">'
        f'<img src="{url("w960")["url"]}" srcset="{jpeg}" sizes="{sizes}" width="960" '
        'height="480" alt="Councillors voting" loading="eager" fetchpriority="high">'
        "</picture>"
        '<figcaption>The vote in the chamber <span class="credit">(Jane Doe / Agency)</span>'
        "</figcaption></figure>",
        html=True,
    )
    assert url("w960")["url"].startswith("/media/renditions/photos/")
    assertNotContains(response, story.lead_image.file.url)


@pytest.mark.django_db
def test_a_storys_own_caption_replaces_the_librarys_but_the_credit_stays(client, story):
    story.lead_image_caption = "Councillors raise their hands"
    story.save()

    response = client.get(story.get_absolute_url())

    assertContains(
        response,
        '<figcaption>Councillors raise their hands <span class="credit">(Jane Doe / Agency)'
        "</span></figcaption>",
        html=True,
    )
    assertNotContains(response, "The vote in the chamber")


@pytest.mark.django_db
def test_a_photo_whose_usage_expired_is_not_shown_anywhere(client, story):
    photo = story.lead_image
    photo.usage_expires = timezone.localdate() - timedelta(days=1)
    photo.save()

    response = client.get(story.get_absolute_url())

    assertNotContains(response, "lead-figure")
    assertNotContains(response, "/media/")
    assertNotContains(response, "Jane Doe")
    # The site's own card stands in for link previews and structured data.
    assertContains(response, "img/social-card.png")


@pytest.mark.django_db
def test_a_photo_usable_until_today_is_still_shown(client, story):
    photo = story.lead_image
    photo.usage_expires = timezone.localdate()
    photo.save()

    assertContains(client.get(story.get_absolute_url()), "lead-figure")


@pytest.mark.django_db
def test_a_story_without_a_photo_has_no_figure(client, frozen):
    article = ArticleFactory(published=True, lead_image_caption="Orphan caption")

    response = client.get(article.get_absolute_url())

    assertNotContains(response, "lead-figure")
    assertNotContains(response, "Orphan caption")


@pytest.mark.django_db
def test_the_article_page_links_its_tags(client, story):
    response = client.get(story.get_absolute_url())

    assertContains(response, '<a href="/tag/budget/">Budget</a>', html=True)
    assertContains(response, ">Council</a>")


@pytest.mark.django_db
def test_the_article_page_has_a_card_for_each_author(client, story):
    response = client.get(story.get_absolute_url())

    page = response.content.decode()
    assertContains(response, 'class="author-card"', count=2)
    assertContains(response, '<p class="author-role">Chief Reporter</p>', html=True)
    assertContains(response, '<p class="author-bio">Covers the council.</p>', html=True)
    assertContains(response, '<p class="author-role">Data Editor</p>', html=True)
    assertContains(
        response,
        '<a class="read-more" href="/authors/zoe-zed/">Read more'
        '<span class="visually-hidden"> about Zoe Zed</span></a>',
        html=True,
    )
    assertContains(
        response,
        '<a class="read-more" href="/authors/adam-ant/">Read more'
        '<span class="visually-hidden"> about Adam Ant</span></a>',
        html=True,
    )
    assert page.index("Covers the council.") < page.index("Counts everything.")


@pytest.mark.django_db
def test_the_more_news_list_shows_other_published_stories_only(client, story):
    other = ArticleFactory(published=True, title="Bridge reopens")
    ArticleFactory(status=Article.Status.DRAFT, title="Unfinished draft")
    ArticleFactory(scheduled=True, title="Embargoed result")

    response = client.get(story.get_absolute_url())

    page = response.content.decode()
    more_news = page[page.index('<aside class="more-news"') :]
    assert f'<a href="{other.get_absolute_url()}">Bridge reopens</a>' in more_news
    assert story.get_absolute_url() not in more_news
    assertNotContains(response, "Unfinished draft")
    assertNotContains(response, "Embargoed result")


@pytest.mark.django_db
def test_more_news_is_limited_to_the_six_newest(client, story):
    others = [
        ArticleFactory(published=True, published_at=NOW - timedelta(minutes=minutes))
        for minutes in range(1, 9)
    ]

    response = client.get(story.get_absolute_url())

    page = response.content.decode()
    more_news = page[page.index('<aside class="more-news"') :]
    linked = re.findall(r'<a href="/news/([^/"]+)/">', more_news)
    assert linked == [article.slug for article in others[:6]]


@pytest.mark.django_db
def test_an_updated_story_says_when(client, frozen):
    article = ArticleFactory(published=True, updated_at=NOW - timedelta(minutes=5))

    response = client.get(article.get_absolute_url())

    assertContains(
        response,
        'Updated: <time datetime="2025-06-18T11:55:00+0300">18 June 2025, 11:55</time>',
        html=False,
    )


@pytest.mark.django_db
def test_a_long_story_shows_its_reading_time(client, settings):
    settings.NEWSROOM_WORDS_PER_MINUTE = 230
    article = ArticleFactory(published=True, body="<p>" + "word " * 1000 + "</p>")

    response = client.get(article.get_absolute_url())

    assertContains(response, '<span class="reading-time">5 min read</span>', html=True)


# Video ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("video_url", "embed", "provider"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
            "YouTube",
        ),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871", "Vimeo"),
    ],
)
def test_a_video_is_a_click_to_load_link_and_never_an_iframe(client, video_url, embed, provider):
    article = ArticleFactory(published=True, video_url=video_url, title="Flood footage")

    response = client.get(article.get_absolute_url())

    assertContains(response, f'data-embed-src="{embed}"', count=1)
    assertContains(response, 'data-embed-title="Video: Flood footage"')
    assertContains(response, f'<a class="video-play" href="{video_url}" rel="noopener noreferrer">')
    assertContains(response, f"Loads the {provider} player")
    assertNotContains(response, "<iframe")


@pytest.mark.django_db
def test_a_story_without_a_video_has_no_player(client):
    article = ArticleFactory(published=True)

    response = client.get(article.get_absolute_url())

    assertNotContains(response, "data-embed-src")
    assertNotContains(response, "<iframe")


# Drafts, schedules and previews ---------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "state",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.DRAFT, "published_at": NOW - timedelta(days=1)},
        {"scheduled": True},
    ],
    ids=["draft", "unpublished", "scheduled"],
)
def test_readers_get_404_for_stories_that_are_not_live(client, frozen, state):
    article = ArticleFactory(**state)

    response = client.get(article.get_absolute_url())

    assert response.status_code == 404
    assertNotContains(response, article.title, status_code=404)


@pytest.mark.django_db
def test_staff_without_the_change_permission_get_404_for_a_draft(client, profile_manager):
    article = ArticleFactory(status=Article.Status.DRAFT)
    client.force_login(profile_manager)

    assert client.get(article.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_an_inactive_editor_cannot_preview(client):
    user = UserFactory(groups=["Editors"], is_active=False)
    article = ArticleFactory(status=Article.Status.DRAFT)
    client.force_login(user)

    assert client.get(article.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_an_editor_previews_a_draft_with_a_banner_and_no_caching(editor_client):
    article = ArticleFactory(status=Article.Status.DRAFT, title="Unfinished draft")

    response = editor_client.get(article.get_absolute_url())

    assertContains(response, "Unfinished draft")
    assertContains(response, '<p class="preview-banner" role="status">')
    assertContains(
        response, "<strong>Preview.</strong> Readers cannot see this story: it is a draft."
    )
    assertContains(response, "Not yet published")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    assertContains(response, '<meta name="robots" content="noindex, nofollow">')


@pytest.mark.django_db
def test_a_reporter_previews_a_scheduled_story_with_its_time(reporter_client, frozen):
    article = ArticleFactory(
        status=Article.Status.PUBLISHED,
        published_at=datetime(2025, 6, 20, 7, 30, tzinfo=NOW.tzinfo),
    )

    response = reporter_client.get(article.get_absolute_url())

    assertContains(response, "it is scheduled for 20 June 2025, 07:30.")
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "banner"),
    [
        ({"status": Article.Status.IN_REVIEW}, "it is in review."),
        ({"status": Article.Status.UNPUBLISHED, "published_at": NOW}, "it is unpublished."),
        (
            {
                "status": Article.Status.PUBLISHED,
                "published_at": NOW - timedelta(hours=1),
                "embargo_until": datetime(2025, 6, 21, 9, 0, tzinfo=NOW.tzinfo),
            },
            "it is embargoed until 21 June 2025, 09:00.",
        ),
    ],
)
def test_the_preview_banner_names_each_workflow_state(editor_client, frozen, state, banner):
    article = ArticleFactory(**state)

    assertContains(editor_client.get(article.get_absolute_url()), banner)


@pytest.mark.django_db
def test_a_live_story_seen_by_an_editor_is_an_ordinary_page(editor_client, frozen):
    article = ArticleFactory(published=True)

    response = editor_client.get(article.get_absolute_url())

    assertNotContains(response, "preview-banner")
    assert "no-store" not in response.get("Cache-Control", "")
    assert not response.has_header("X-Robots-Tag")


@pytest.mark.django_db
def test_an_unknown_story_is_404(client):
    assert client.get("/news/no-such-story/").status_code == 404


@pytest.mark.django_db
def test_the_article_page_only_answers_safe_methods(client):
    article = ArticleFactory(published=True)

    assert client.post(article.get_absolute_url()).status_code == 405


# Changed addresses ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_changed_slug_redirects_permanently_from_the_old_address(client):
    article = ArticleFactory(published=True, slug="old-address")
    article.slug = "new-address"
    article.save()

    record_slug_change(article=article, old_slug="old-address")

    response = client.get("/news/old-address/")
    assertRedirects(response, "/news/new-address/", status_code=301)


@pytest.mark.django_db
def test_every_earlier_address_leads_to_the_current_one(client):
    article = ArticleFactory(published=True, slug="first")
    for old, new in [("first", "second"), ("second", "third")]:
        article.slug = new
        article.save()
        record_slug_change(article=article, old_slug=old)

    for old in ["first", "second"]:
        assertRedirects(client.get(f"/news/{old}/"), "/news/third/", status_code=301)


@pytest.mark.django_db
def test_returning_to_an_earlier_slug_serves_the_story_there_again(client):
    article = ArticleFactory(published=True, slug="original")
    article.slug = "renamed"
    article.save()
    record_slug_change(article=article, old_slug="original")
    assert SlugRedirect.objects.filter(old_slug="original").exists()

    article.slug = "original"
    article.save()
    record_slug_change(article=article, old_slug="renamed")

    assert list(SlugRedirect.objects.values_list("old_slug", flat=True)) == ["renamed"]
    assert client.get("/news/original/").status_code == 200
    assertRedirects(client.get("/news/renamed/"), "/news/original/", status_code=301)


@pytest.mark.django_db
def test_an_unchanged_slug_leaves_no_redirect():
    article = ArticleFactory(slug="same")

    record_slug_change(article=article, old_slug="same")

    assert not SlugRedirect.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "state",
    [{"status": Article.Status.DRAFT}, {"scheduled": True}],
    ids=["draft", "scheduled"],
)
def test_an_old_address_of_a_story_that_is_not_live_is_404_for_readers(client, state):
    article = ArticleFactory(slug="renamed", **state)
    SlugRedirect.objects.create(old_slug="old-address", article=article)

    assert client.get("/news/old-address/").status_code == 404


@pytest.mark.django_db
def test_an_editor_following_an_old_address_of_a_draft_reaches_the_preview(editor_client):
    article = ArticleFactory(slug="renamed", status=Article.Status.DRAFT)
    SlugRedirect.objects.create(old_slug="old-address", article=article)

    response = editor_client.get("/news/old-address/")

    assertRedirects(response, "/news/renamed/", status_code=301)


# Section and tag pages ------------------------------------------------------------------


@pytest.mark.django_db
def test_a_section_page_lists_only_its_published_stories_newest_first(client, frozen):
    section = SectionFactory(name="Sport", slug="sport", description="Games and results.")
    older = ArticleFactory(section=section, published=True, published_at=NOW - timedelta(days=2))
    newer = ArticleFactory(section=section, published=True, published_at=NOW - timedelta(hours=1))
    ArticleFactory(section=section, status=Article.Status.DRAFT, title="Draft in sport")
    ArticleFactory(section=section, scheduled=True, title="Scheduled in sport")
    ArticleFactory(published=True, title="Elsewhere entirely")

    response = client.get("/section/sport/")

    assertContains(response, '<h1 class="page-title">Sport</h1>', html=True)
    assertContains(response, "Games and results.")
    assert listed_slugs(response) == [newer.slug, older.slug]
    assertNotContains(response, "Draft in sport")
    assertNotContains(response, "Scheduled in sport")
    assertNotContains(response, "Elsewhere entirely")


@pytest.mark.django_db
def test_a_tag_page_lists_only_its_published_stories(client, frozen):
    tag = TagFactory(name="Elections", slug="elections")
    tagged = ArticleFactory(published=True, tags=[tag])
    ArticleFactory(status=Article.Status.DRAFT, tags=[tag], title="Draft about elections")
    ArticleFactory(scheduled=True, tags=[tag], title="Scheduled about elections")
    ArticleFactory(published=True, tags=[TagFactory()], title="Other tag story")

    response = client.get("/tag/elections/")

    assertContains(response, '<h1 class="page-title">Elections</h1>', html=True)
    assert listed_slugs(response) == [tagged.slug]
    assertNotContains(response, "Draft about elections")
    assertNotContains(response, "Scheduled about elections")
    assertNotContains(response, "Other tag story")


@pytest.mark.django_db
def test_an_empty_section_says_so(client):
    SectionFactory(slug="empty")

    response = client.get("/section/empty/")

    assertContains(response, "Nothing published here yet.")


@pytest.fixture
def paged_section(settings, frozen):
    settings.NEWSROOM_PAGE_SIZE = 2
    section = SectionFactory(slug="paged")
    tag = TagFactory(slug="paged")
    articles = [
        ArticleFactory(
            section=section, tags=[tag], published=True, published_at=NOW - timedelta(hours=hours)
        )
        for hours in range(1, 6)
    ]
    return articles


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/section/paged/", "/tag/paged/"])
def test_list_pages_paginate(client, paged_section, url):
    first = client.get(url)
    second = client.get(url, {"page": 2})
    last = client.get(url, {"page": 3})

    assert listed_slugs(first) == [article.slug for article in paged_section[:2]]
    assert listed_slugs(second) == [article.slug for article in paged_section[2:4]]
    assert listed_slugs(last) == [paged_section[4].slug]
    assertContains(first, '<a href="?page=2" rel="next">Older</a>', html=True)
    assertContains(second, "<span>Page 2</span>", html=True)
    assertContains(second, '<a href="?page=1" rel="prev">Newer</a>', html=True)
    assertNotContains(last, 'rel="next"')


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/section/paged/", "/tag/paged/"])
# Not named `page`: pytest-playwright owns that fixture name.
@pytest.mark.parametrize("number", ["999", "abc", "0", "-1", "1.5", ""])
def test_list_pages_answer_a_missing_page_with_404(client, paged_section, url, number):
    response = client.get(url, {"page": number})

    if number == "":
        assert response.status_code == 200  # an empty value means the first page
    else:
        assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/section/no-such-section/", "/tag/no-such-tag/"])
def test_unknown_sections_and_tags_are_404(client, url):
    assert client.get(url).status_code == 404


# Query counts ---------------------------------------------------------------------------


def newsroom(count):
    """`count` live stories in one section and one tag, each with three authors and tags."""
    section = SectionFactory(slug="busy")
    tag = TagFactory(slug="busy")
    authors = [AuthorFactory(with_photo=True) for _ in range(4)]
    for author in authors:
        AuthorLinkFactory(author=author)
    extra_tags = TagFactory.create_batch(3)
    photos = ImageFactory.create_batch(3)
    articles = [
        ArticleFactory(
            section=section,
            published=True,
            published_at=NOW - timedelta(minutes=minutes),
            authors=authors[minutes % 2 : minutes % 2 + 3],
            tags=[tag, *extra_tags],
            lead_image=photos[minutes % 3],
            body="".join(f"<p>Paragraph {n}.</p>" for n in range(count)),
        )
        for minutes in range(1, count + 1)
    ]
    # The first story carries `count` photos in its body too.
    for position in range(count):
        BodyImage.objects.create(
            article=articles[0], image=photos[position % 3], after_paragraph=position
        )
    return articles


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 25])
def test_article_page_query_count_does_not_grow(client, django_assert_num_queries, frozen, count):
    article = newsroom(count)[0]

    # 1. the article with its section and lead photo
    # 2. its tags
    # 3. its bylines with their authors and the authors' photos
    # 4. the authors' links (sameAs in the JSON-LD)
    # 5. the photos in its body, with their library rows (added with the photo library)
    # 6. its corrections (the end of the story and the JSON-LD)
    # 7. the "More news" list with sections
    # 8. "Related": the newest stories (key, section, time and what an item prints)
    # 9. their tags; scored and printed in Python (both kept in production, as fragments)
    # 10. "More from <first writer>"
    # 11. the site settings (publisher in the JSON-LD)
    # 12. the section navigation (context processor)
    # 13. the breaking-news banner (context processor)
    # Every photo is printed from the renditions recorded on its row: no query per photo.
    with django_assert_num_queries(13):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 25])
def test_section_page_query_count_does_not_grow(client, django_assert_num_queries, frozen, count):
    newsroom(count)

    # 1. the section
    # 2. the page of articles with their section and lead photo (no count)
    # 3. their bylines with authors
    # 4. the section navigation (context processor)
    # 5. the breaking-news banner (context processor)
    with django_assert_num_queries(5):
        response = client.get("/section/busy/")
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 25])
def test_tag_page_query_count_does_not_grow(client, django_assert_num_queries, frozen, count):
    newsroom(count)

    # 1. the tag
    # 2. the page of articles with their section (no count)
    # 3. their bylines with authors
    # 4. the section navigation (context processor)
    # 5. the breaking-news banner (context processor)
    with django_assert_num_queries(5):
        response = client.get("/tag/busy/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_staff_preview_costs_only_the_session_and_user_on_top(
    editor_client, django_assert_num_queries, frozen
):
    article = newsroom(3)[0]
    article.status = Article.Status.DRAFT
    article.save()

    # 1-2. the session and the user; 3-4. the user's group permissions (preview check)
    # 5-16. as for a reader: article, tags, bylines, authors' links, body photos,
    # corrections, More news, Related (the newest stories and their tags), More from, site
    # settings, navigation; 17. the breaking-news banner
    with django_assert_num_queries(17):
        response = editor_client.get(article.get_absolute_url())
    assertContains(response, "preview-banner")
