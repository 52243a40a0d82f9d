"""Count-free pages of newest-first lists (section, tag, author, corrections)."""

import pytest
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from newsroom.pagination import LAST_PAGE, paginate_newest
from tests.factories import ArticleFactory, SectionFactory


def page_of(number, per_page=2):
    request = RequestFactory().get("/", {"page": number})
    return paginate_newest(request, Article.objects.published().newest_first(), per_page)


@pytest.fixture
def five_stories():
    return [ArticleFactory(published=True) for _ in range(5)]


@pytest.mark.django_db
def test_a_page_reads_one_row_more_than_it_shows_and_never_counts(five_stories):
    with CaptureQueriesContext(connection) as queries:
        page = page_of(1)

    assert len(page) == 2
    assert page.has_next() and not page.has_previous()
    assert len(queries) == 1
    assert "COUNT(" not in queries[0]["sql"].upper()
    assert "LIMIT 3" in queries[0]["sql"]


@pytest.mark.django_db
def test_the_last_page_has_no_older_link(five_stories):
    last = page_of(3)

    assert len(last) == 1
    assert last.has_previous() and not last.has_next()
    assert last.previous_page_number() == 2


@pytest.mark.django_db
def test_a_full_last_page_has_no_older_link():
    for _ in range(4):
        ArticleFactory(published=True)

    assert not page_of(2).has_next()
    with pytest.raises(Http404):
        page_of(3)


@pytest.mark.django_db
def test_the_first_page_of_an_empty_list_is_empty_not_missing():
    page = page_of(1)

    assert len(page) == 0
    assert not page.has_other_pages()


@pytest.mark.django_db
@pytest.mark.parametrize("number", ["0", "-1", "abc", "1.5", str(LAST_PAGE + 1), "9" * 30])
def test_a_page_out_of_range_is_a_404(number):
    with pytest.raises(Http404):
        page_of(number)


@pytest.mark.django_db
def test_the_last_allowed_page_is_read_not_refused():
    ArticleFactory(published=True)

    with pytest.raises(Http404):  # empty past the first page, not an overflowing offset
        page_of(LAST_PAGE)


@pytest.mark.django_db
def test_the_section_page_never_counts_its_stories(client):
    section = SectionFactory(slug="counted")
    for _ in range(3):
        ArticleFactory(published=True, section=section)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/section/counted/")

    assert response.status_code == 200
    assert not [query for query in queries if "COUNT(" in query["sql"].upper()]
