"""The hot public queries read indexes (PostgreSQL; SQLite's planner is another matter)."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from articles.caching import upcoming_stories
from articles.models import Article, Byline, Section, Tag
from authors.models import Author

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="query plans are checked on PostgreSQL, the production database; SQLite's differ",
)


ARTICLES = 2000


@pytest.fixture
def archive(db):
    """Enough rows, in bulk, for the planner's statistics to resemble a real archive."""
    sections = Section.objects.bulk_create(
        Section(name=f"Section {n}", slug=f"section-{n}") for n in range(20)
    )
    tags = Tag.objects.bulk_create(Tag(name=f"Tag {n}", slug=f"tag-{n}") for n in range(200))
    authors = Author.objects.bulk_create(
        Author(name=f"Author {n}", slug=f"author-{n}") for n in range(60)
    )
    now = timezone.now()
    articles = Article.objects.bulk_create(
        Article(
            title=f"Story {n}",
            slug=f"story-{n}",
            status=Article.Status.PUBLISHED if n % 10 else Article.Status.DRAFT,
            published_at=now - timedelta(minutes=17 * n),
            section=sections[n % 20],
        )
        for n in range(ARTICLES)
    )
    Tagging = Article.tags.through
    Tagging.objects.bulk_create(
        Tagging(article=article, tag=tags[(n * 7 + k) % 200])
        for n, article in enumerate(articles)
        for k in range(3)
    )
    Byline.objects.bulk_create(
        Byline(article=article, author=authors[n % 60]) for n, article in enumerate(articles)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"sections": sections, "tags": tags, "authors": authors, "articles": articles}


def plan(queryset, *, seqscan=True):
    """EXPLAIN of `queryset`. seqscan=False tells the planner what it would do at a scale
    where reading a whole table is too slow (a few thousand rows are read in one go)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL enable_seqscan = {'on' if seqscan else 'off'}")
    return queryset.explain()


def walks_in_order(text, *indexes):
    """The plan reads one of `indexes` in the query's order and stops at the LIMIT: no
    sort of everything that matches."""
    return "Sort" not in text and any(f"Index Scan using {name} " in text for name in indexes)


def reads_index(text, *prefixes):
    """The plan reads an index whose name starts with one of `prefixes` (Django names
    foreign-key indexes with a hash suffix)."""
    names = re.findall(
        r"(?:Index Scan using|Index Only Scan using|Bitmap Index Scan on) (\S+)", text
    )
    return any(name.startswith(prefixes) for name in names)


FEED_INDEXES = ["article_feed_idx", "article_admin_order_idx"]


@pytest.mark.django_db
def test_the_news_feed_walks_the_feed_index(archive):
    text = plan(Article.objects.published().newest_first().for_listing()[:21])

    assert walks_in_order(text, *FEED_INDEXES), text


@pytest.mark.django_db
def test_a_deep_feed_batch_starts_at_the_cursor_in_the_index(archive):
    item = archive["articles"][1201]

    text = plan(Article.objects.published().newest_first().before(item.published_at, item.pk)[:21])

    assert walks_in_order(text, *FEED_INDEXES), text
    # The cursor bounds the index scan itself, not a filter applied to every newer row.
    assert "Index Cond: ((published_at <= " in text, text


@pytest.mark.django_db
@pytest.mark.parametrize("seqscan", [True, False])
def test_the_section_page_walks_the_section_index(archive, seqscan):
    section = archive["sections"][7]
    published = Article.objects.published().filter(section=section).newest_first()

    text = plan(published[:20], seqscan=seqscan)

    assert walks_in_order(text, "article_section_feed_idx", *FEED_INDEXES), text
    assert "article_section_feed_idx" in plan(published[:20], seqscan=False)


@pytest.mark.django_db
def test_the_section_page_counts_from_an_index(archive):
    section = archive["sections"][7]
    published = Article.objects.published().filter(section=section).order_by()

    text = plan(published.values("pk"), seqscan=False)

    assert "Seq Scan" not in text, text
    assert reads_index(text, "article_section_feed_idx", "articles_article_section_id_"), text


@pytest.mark.django_db
def test_the_tag_page_reads_only_that_tags_stories(archive):
    """The tag's rows through the tag index, then each story by its key: the sort is over
    one tag's stories, never the archive."""
    published = Article.objects.published().filter(tags=archive["tags"][5]).newest_first()

    text = plan(published[:20], seqscan=False)

    assert reads_index(text, "articles_article_tags_tag_id_"), text
    assert "Seq Scan" not in text, text


@pytest.mark.django_db
def test_the_author_page_reads_only_that_authors_stories(archive):
    author = archive["authors"][5]

    text = plan(author.articles.published().newest_first()[:20], seqscan=False)

    assert reads_index(text, "articles_byline_author_id_"), text
    assert "Seq Scan" not in text, text


@pytest.mark.django_db
def test_the_next_scheduled_moment_is_read_from_indexes(archive):
    text = plan(upcoming_stories(timezone.now()), seqscan=False)

    assert "Seq Scan" not in text, text
    assert "article_embargo_idx" in text, text


def statistics_target(table, column):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstattarget FROM pg_attribute WHERE attrelid = %s::regclass AND attname = %s",
            [table, column],
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_every_writer_and_tag_is_in_the_statistics():
    """Migration 0018: with PostgreSQL's default, a writer outside the 100 commonest was
    guessed as prolific as the average, and their few stories were looked for by walking
    the whole feed index (650 ms at 100,000 articles; the bench database shows it, a test
    archive is too small for the planner to go wrong)."""
    assert statistics_target("articles_byline", "author_id") == 5000
    assert statistics_target("articles_article_tags", "tag_id") == 5000


@pytest.mark.django_db
def test_the_admin_counts_stories_outside_the_trash_from_an_index(archive):
    """The changelist's count by default: the narrow partial index, not the whole table.
    On a vacuumed table (as autovacuum keeps it) PostgreSQL reads the index alone; rows
    inserted inside a test's transaction are not yet marked visible to all, so here it may
    also read them through a bitmap of the same index, depending on the statistics earlier
    tests left. Either way no other index and no scan of the table."""
    text = plan(Article.objects.not_trashed().order_by().values("pk"), seqscan=False)

    assert "Seq Scan" not in text, text
    assert reads_index(text, "article_not_trashed_idx"), text
    assert set(re.findall(r"(?:using|on) (article_\w+)", text)) == {"article_not_trashed_idx"}
