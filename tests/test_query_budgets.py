"""Query budgets for the public pages and admin changelists not pinned elsewhere: each
costs the same number of queries with a few rows or many (issue 9). The other pages are
pinned next to their features: home (test_home), News Feed (articles/test_newsfeed),
article, section, tag (articles/test_views), author and team (authors/test_views), feeds
(articles/test_feeds, test_syndication), sitemap index (articles/test_seo), search
(articles/test_search), article and author changelists (articles/ and authors/test_admin).
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from articles.models import Article, Section, SlugRedirect
from audit.services import record
from authors.models import AuthorMerge, AuthorSlugRedirect
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory

NOW = datetime(2026, 3, 18, 12, 0, tzinfo=ZoneInfo("Europe/Kyiv"))


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def archive(count):
    """`count` live stories this month, each in its own section with two new tags and a
    new writer, so every list grows with `count`."""
    for n in range(count):
        ArticleFactory(
            published=True,
            published_at=NOW - timedelta(hours=n + 1),
            section=SectionFactory(),
            tags=TagFactory.create_batch(2),
            authors=[AuthorFactory()],
        )


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 12])
@pytest.mark.parametrize(
    ("address", "queries"),
    [
        # 1. the newest story's publish time (lastmod of the home page and News Feed)
        # 2. the newest correction's time (lastmod of the Corrections page)
        ("/sitemap-pages.xml", 2),
        # 1. sections with their newest story's time  2. the paginator's count
        ("/sitemap-sections.xml", 2),
        # 1. tags with their newest story's time  2. the paginator's count
        ("/sitemap-tags.xml", 2),
        # 1. authors  2. the paginator's count
        ("/sitemap-authors.xml", 2),
        # 1. the month's stories  2. the paginator's count
        ("/sitemap-articles-2026-03.xml", 2),
        # 1. the stories of the last 48 hours
        ("/sitemap-news.xml", 1),
        # none: a fixed text
        ("/robots.txt", 0),
    ],
)
def test_sitemaps_and_robots_cost_a_fixed_number_of_queries(
    client, django_assert_num_queries, count, address, queries
):
    archive(count)

    with django_assert_num_queries(queries):
        response = client.get(address)

    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 12])
@pytest.mark.parametrize(
    ("model", "queries"),
    [
        # 1. the session  2. the user  3. the count  4. the unfiltered count (these tables
        # stay small: a few dozen sections, thousands of tags)  5. the page of rows
        ("section", 5),
        ("tag", 5),
        # ... 5. the page of redirects with each one's article
        ("slugredirect", 5),
    ],
)
def test_the_other_article_changelists_cost_a_fixed_number_of_queries(
    admin_client, django_assert_num_queries, count, model, queries
):
    archive(count)
    for article in Article.objects.all():
        SlugRedirect.objects.create(old_slug=f"old-{article.slug}", article=article)

    with django_assert_num_queries(queries):
        response = admin_client.get(f"/admin/articles/{model}/")

    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 12])
def test_with_the_page_cache_on_a_miss_adds_one_query_and_a_hit_costs_none(
    settings, django_assert_num_queries, count
):
    settings.NEWSROOM_PAGE_CACHE = True
    archive(count)
    reader = Client()
    address = Section.objects.first().get_absolute_url()

    # 1. the section  2. the page of stories (no count)  3. their bylines  4. the
    # navigation  5. the breaking-news banner  6.-9. the next moment a page can change by
    # itself: stories' publish and embargo times, home-page slots' and banners' starts
    # and ends, photo licences' ends (then cached for a minute)
    with django_assert_num_queries(9):
        assert reader.get(address)["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        assert reader.get(address)["X-Cache"] == "hit"


def staff_records(count, admin_user):
    """`count` rows in each of the staff logs: author redirects, merges, audit entries."""
    for n in range(count):
        author = AuthorFactory()
        AuthorSlugRedirect.objects.create(old_slug=f"old-{n}", author=author)
        AuthorMerge.objects.create(
            kept=author, removed_name=f"Dup {n}", removed_slug=f"dup-{n}", merged_by=admin_user
        )
        record(action="test", obj=author, by=admin_user, message=f"entry {n}")


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 12])
@pytest.mark.parametrize(
    ("address", "queries"),
    [
        # 1. the session  2. the user  3. the count  4. the unfiltered count
        # 5. the page of redirects with their authors
        ("/admin/authors/authorslugredirect/", 5),
        # ... 5. the page of merges with the kept authors and who merged
        # 6. the date hierarchy's first and last dates  7. its days
        ("/admin/authors/authormerge/", 7),
        # 1. the session  2. the user  3. the content types (filter)  4. the count
        # 5. the page of entries with their content types  6. the date hierarchy's first
        # and last dates  7. its days  8. the actions (filter)
        ("/admin/audit/auditentry/", 8),
    ],
)
def test_the_staff_log_changelists_cost_a_fixed_number_of_queries(
    admin_client, admin_user, django_assert_num_queries, count, address, queries
):
    staff_records(count, admin_user)

    with django_assert_num_queries(queries):
        response = admin_client.get(address)

    assert response.status_code == 200
