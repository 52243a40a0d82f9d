"""Reader search: PostgreSQL full-text search, the SQLite fallback, the page and its safety.

Tests marked `postgresql` run only on PostgreSQL (DATABASE_URL=postgres://…); tests marked
`fallback` only on SQLite. CI runs the suite on both, so both halves run there.
"""

import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import SEARCH_DOCUMENT, Article
from articles.search import START, STOP, mark_snippet
from articles.services import refresh_search_names
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory
from tests.test_hostile_input import HOSTILE_QUERIES, assert_survives

NOW = datetime(2026, 3, 18, 12, 0, tzinfo=ZoneInfo("Europe/Kyiv"))
XSS = "<script>alert(1)</script>"

postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search needs PostgreSQL"
)
fallback = pytest.mark.skipif(
    connection.vendor == "postgresql", reason="the fallback serves databases without it"
)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def story(title="A story", *, hours_ago=1, **fields):
    fields.setdefault("summary", "")
    fields.setdefault("body", "<p>Nothing to see.</p>")
    return ArticleFactory(
        published=True, title=title, published_at=NOW - timedelta(hours=hours_ago), **fields
    )


def found(response):
    """Titles of the results on the page, in order."""
    page = response.context["page"]
    return [article.title for article in page.object_list] if page else []


def search(client, query="", **filters):
    return client.get("/search/", {"q": query, **filters})


# The page ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_empty_search_shows_tips_and_no_results(client):
    story("Council agrees budget")

    response = client.get("/search/")

    assert response.status_code == 200
    assertContains(response, "Find a story")
    assertContains(response, '<meta name="robots" content="noindex">')
    assert response.context["page"] is None


@pytest.mark.django_db
def test_the_search_page_is_kept_out_of_search_engines(client):
    story("Council agrees budget")

    response = search(client, "budget")

    assertContains(response, '<meta name="robots" content="noindex">')
    assert "Disallow: /search/" in client.get("/robots.txt").content.decode().splitlines()


@pytest.mark.django_db
def test_every_page_has_an_accessible_search_box_in_the_header(client):
    response = client.get("/")

    assertContains(response, '<form class="site-search" method="get" action="/search/"')
    assertContains(response, '<label class="visually-hidden" for="site-search-q">Search stories')
    assertContains(response, '<input id="site-search-q" type="search" name="q"')


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["!!!", "?? -- ..", "“”", "()", "'\""])
def test_a_query_of_only_punctuation_gets_a_helpful_message(client, query):
    story("Council agrees budget")

    response = search(client, query)

    assert response.status_code == 200
    assertContains(response, "has no letters or numbers in it")


@pytest.mark.django_db
def test_a_ten_thousand_character_query_is_cut_quickly_and_the_reader_told(client):
    story("Council agrees budget", summary="The budget passed.")
    query = "budget " * 1430  # 10,010 characters

    started = time.monotonic()
    response = search(client, query)
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    assert elapsed < 2, elapsed
    assertContains(response, "only its first 200 characters were used")
    assert len(response.context["form"].query) == 195  # 28 whole words of "budget "
    assert found(response) == ["Council agrees budget"]


@pytest.mark.django_db
def test_a_query_with_a_nul_character_is_refused_calmly(client):
    response = search(client, "budget\x00")

    assert response.status_code == 400
    assertContains(response, "could not be used", status_code=400)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "filters",
    [
        {"section": "no-such-section"},
        {"author": "nobody"},
        {"kind": "gossip"},
        {"date_from": "yesterday"},
        {"date_from": "2026-03-10", "date_to": "2026-03-01"},
        {"sort": "random"},
    ],
    ids=["section", "author", "kind", "date", "dates reversed", "order"],
)
def test_invalid_filters_get_the_page_with_a_message_not_an_error(client, filters):
    response = search(client, "budget", **filters)

    assert response.status_code == 400
    assertContains(response, "could not be used", status_code=400)


@pytest.mark.django_db
def test_an_xss_payload_as_the_query_is_echoed_escaped_and_never_as_markup(client):
    story("Council agrees budget", summary="Alert the council: a budget.")
    query = f'budget {XSS} "><svg onload=alert(1)>'

    response = search(client, query)

    page = response.content.decode()
    assert response.status_code == 200
    assert XSS not in page
    assert "<svg" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.django_db
def test_search_lists_published_stories_only(client):
    story("Budget live")
    ArticleFactory(title="Budget draft", status=Article.Status.DRAFT)
    ArticleFactory(title="Budget scheduled", scheduled=True)

    assert found(search(client, "budget")) == ["Budget live"]


@pytest.mark.django_db
def test_paging_keeps_the_query_and_filters(client, settings):
    settings.NEWSROOM_PAGE_SIZE = 2
    section = SectionFactory(slug="city")
    for hours in range(1, 4):
        story(f"Budget part {hours}", hours_ago=hours, section=section)

    response = search(client, "budget", section="city")

    assert len(found(response)) == 2
    assertContains(response, "?q=budget&amp;section=city&amp;page=2")
    assert found(client.get("/search/", {"q": "budget", "section": "city", "page": 2})) == [
        "Budget part 3"
    ]


# Filters (both databases) -------------------------------------------------------------------


@pytest.mark.django_db
def test_filters_narrow_by_section_kind_author_and_dates(client):
    city, sport = SectionFactory(slug="city"), SectionFactory(slug="sport")
    writer = AuthorFactory(slug="olena")
    story("Budget in the city", section=city, kind="news", hours_ago=1, authors=[writer])
    story("Budget for the stadium", section=sport, kind="opinion", hours_ago=30)
    story("Budget last month", section=city, kind="analysis", hours_ago=24 * 30)

    def titles(**filters):
        return sorted(found(search(client, "budget", sort="newest", **filters)))

    assert titles(section="city") == ["Budget in the city", "Budget last month"]
    assert titles(kind="opinion") == ["Budget for the stadium"]
    assert titles(author="olena") == ["Budget in the city"]
    assert titles(date_from="2026-03-17") == ["Budget for the stadium", "Budget in the city"]
    assert titles(date_to="2026-03-17") == ["Budget for the stadium", "Budget last month"]
    assert titles(date_from="2026-03-18", date_to="2026-03-18") == ["Budget in the city"]


# Snippets ----------------------------------------------------------------------------------


def test_a_snippet_emits_only_mark_tags_and_escapes_everything_else():
    text = f"Before {START}budget{STOP} {XSS} &lt;img src=x onerror=alert(1)&gt; {START}vote"

    html = mark_snippet(text)

    assert html == (
        "Before <mark>budget</mark> &lt;script&gt;alert(1)&lt;/script&gt; "
        "&lt;img src=x onerror=alert(1)&gt; vote"
    )


@pytest.mark.django_db
def test_result_snippets_highlight_the_words_and_stay_escaped(client):
    story(
        "Council agrees budget",
        summary="The <b>budget</b> & the vote",
        body="<p>The budget is &lt;script&gt;alert(1)&lt;/script&gt; large.</p>",
    )

    response = search(client, "budget")

    (article,) = response.context["page"].object_list
    assert "<mark>" in article.snippet
    assert "<script>" not in article.snippet
    assert "<b>" not in article.snippet
    assertNotContains(response, "<script>alert")


# PostgreSQL full-text search ---------------------------------------------------------------


@postgresql
@pytest.mark.django_db
def test_words_are_stemmed_and_highlighted(client):
    story("Budget vote delayed", summary="Councillors argued about the budget.")

    response = search(client, "budgets")

    assert found(response) == ["Budget vote delayed"]
    assertContains(response, "<mark>budget</mark>")


@postgresql
@pytest.mark.django_db
def test_a_headline_match_outranks_a_standfirst_match_which_outranks_a_body_match(client):
    story("Weather today", body="<p>The reservoir is low again.</p>", hours_ago=1)
    story("Reservoir levels fall", hours_ago=3)
    story("Water news", summary="The reservoir is low.", hours_ago=2)

    assert found(search(client, "reservoir")) == [
        "Reservoir levels fall",
        "Water news",
        "Weather today",
    ]


@postgresql
@pytest.mark.django_db
def test_recency_breaks_a_tie_between_equally_relevant_stories(client):
    story("Bridge reopens", hours_ago=24 * 200)
    story("Bridge reopens again", hours_ago=2)

    assert found(search(client, "bridge reopens")) == ["Bridge reopens again", "Bridge reopens"]


@postgresql
@pytest.mark.django_db
def test_sorting_by_newest_ignores_relevance(client):
    story("Reservoir levels fall", hours_ago=5)
    story("Water news", summary="The reservoir is low.", hours_ago=1)

    assert found(search(client, "reservoir", sort="newest")) == [
        "Water news",
        "Reservoir levels fall",
    ]


@postgresql
@pytest.mark.django_db
def test_web_search_syntax_phrases_or_and_minus(client):
    story("City council approves budget")
    story("Budget council of the city")
    story("Sport budget cut")
    story("Harbour dredging")

    assert found(search(client, '"city council"')) == ["City council approves budget"]
    assert sorted(found(search(client, "budget -sport"))) == [
        "Budget council of the city",
        "City council approves budget",
    ]
    assert sorted(found(search(client, "harbour OR sport"))) == [
        "Harbour dredging",
        "Sport budget cut",
    ]


@postgresql
@pytest.mark.django_db
def test_author_names_and_tags_are_searchable_once_refreshed(client):
    article = story(
        "Council meets",
        authors=[AuthorFactory(name="Olena Kovalenko")],
        tags=[TagFactory(name="Waterworks")],
    )
    assert found(search(client, "Kovalenko")) == []

    refresh_search_names(articles=Article.objects.filter(pk=article.pk))

    assert found(search(client, "Kovalenko")) == ["Council meets"]
    assert found(search(client, "waterworks")) == ["Council meets"]
    assert found(search(client, "Kovalenko council")) == ["Council meets"]


@postgresql
@pytest.mark.django_db
def test_saving_in_the_admin_refreshes_the_search_names(admin_client):
    author = AuthorFactory(name="Taras Melnyk")
    article = story("Council meets", slug="council-meets")
    data = {
        "title": article.title,
        "slug": article.slug,
        "kind": article.kind,
        "section": article.section_id,
        "summary": "",
        "body": "<p>Text.</p>",
        "status": "published",
        "published_at_0": "2026-03-18",
        "published_at_1": "10:00",
        "bylines-TOTAL_FORMS": "1",
        "bylines-INITIAL_FORMS": "0",
        "bylines-0-author": author.pk,
        "bylines-0-position": "0",
        "bylines-0-role": "writer",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
        # The version the form was opened at, and (a live story) the kind of save.
        "opened_version": str(article.version),
        "update_kind": "minor",
        "body_images-TOTAL_FORMS": "0",
        "body_images-INITIAL_FORMS": "0",
    }

    response = admin_client.post(f"/admin/articles/article/{article.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert found(search(admin_client, "Melnyk")) == ["Council meets"]


@postgresql
@pytest.mark.django_db
def test_the_search_condition_is_the_indexed_expression():
    story("Council agrees budget")
    matches = Article.objects.annotate(document=SEARCH_DOCUMENT).filter(
        document=SearchQuery("budget", search_type="websearch", config="english")
    )
    with connection.cursor() as cursor:
        # As search.use_search_index: only a bitmap scan is left, so the plan shows whether
        # the GIN index can answer the condition, whatever statistics earlier tests left.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = matches.order_by().values("pk").query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Bitmap Index Scan on article_search_gin" in plan, plan


@postgresql
@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize("walk_above, queries", [(0.0, 9), (1.1, 12)])
def test_search_page_query_count_does_not_grow(
    client, django_assert_num_queries, monkeypatch, count, walk_above, queries
):
    monkeypatch.setattr("articles.search.WALK_ABOVE", walk_above)
    writers = AuthorFactory.create_batch(2)
    for hours in range(1, count + 1):
        story(f"Budget part {hours}", hours_ago=hours, authors=writers, tags=[TagFactory()])
    analyse()

    # 1. the planner's estimate of the matches  2. the size of the archive
    # 3. the newest matches with their scores (a rare word: 3 more, the transaction that
    # sends the planner to the GIN index)  4. the page of results with their snippets
    # 5. their bylines with authors  6. the sections for the filter  7. the authors for the
    # filter  8. the section navigation  9. the breaking-news banner (context processors)
    with django_assert_num_queries(queries):
        response = search(client, "budget")
    assert response.status_code == 200


# The SQLite fallback -----------------------------------------------------------------------


@fallback
@pytest.mark.django_db
def test_the_fallback_finds_every_word_in_headline_standfirst_or_body_newest_first(client):
    story("Council agrees budget", hours_ago=3)
    story("Vote delayed", summary="The council could not agree on the budget.", hours_ago=2)
    story("Harbour news", body="<p>The council discussed the harbour budget.</p>", hours_ago=1)
    story("Council news", hours_ago=4)

    assert found(search(client, "budget council")) == [
        "Harbour news",
        "Vote delayed",
        "Council agrees budget",
    ]


@fallback
@pytest.mark.django_db
def test_the_fallback_leaves_out_minus_words_and_highlights_matches(client):
    story("Budget for the city", summary="The budget passed.")
    story("Budget for sport", summary="The sport budget passed.")

    response = search(client, "budget -sport")

    assert found(response) == ["Budget for the city"]
    assertContains(response, "The <mark>budget</mark> passed.")


@fallback
@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 30])
def test_fallback_search_page_query_count_does_not_grow(client, django_assert_num_queries, count):
    writers = AuthorFactory.create_batch(2)
    for hours in range(1, count + 1):
        story(f"Budget part {hours}", hours_ago=hours, authors=writers)

    # 1. the sections for the filter  2. the authors for the filter
    # 3. the paginator's count  4. the page of results with sections
    # 5. their bylines with authors  6. the section navigation (context processor)
    # 7. the breaking-news banner (context processor)
    with django_assert_num_queries(7):
        response = search(client, "budget")
    assert response.status_code == 200


def test_the_date_filters_are_whole_local_days():
    from articles.search import start_of_day

    assert start_of_day(date(2026, 3, 18)).isoformat() == "2026-03-18T00:00:00+02:00"


@pytest.mark.django_db
@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_query_strings_never_break_the_search_page(client, query):
    story("Council agrees budget", summary="The budget passed.")

    assert_survives(client.get(f"/search/?{query}"))
    assert_survives(client.get(f"/search/?q=budget&{query}"))


@postgresql
@pytest.mark.django_db
def test_renaming_an_author_refreshes_the_search_names_of_their_stories(client):
    author = AuthorFactory(name="Olena Kovalenko")
    article = story("Council meets", authors=[author])
    refresh_search_names(articles=Article.objects.filter(pk=article.pk))

    author.name = "Olena Shevchuk"
    author.save()

    assert found(search(client, "Shevchuk")) == ["Council meets"]
    assert found(search(client, "Kovalenko")) == []


@postgresql
@pytest.mark.django_db
def test_a_very_common_word_ranks_only_the_newest_matches_and_says_so(client, monkeypatch):
    monkeypatch.setattr("articles.search.SEARCH_POOL", 3)
    monkeypatch.setattr("articles.views.SEARCH_POOL", 3)
    old = story("Harbour harbour harbour dredging", hours_ago=48)
    for hours in range(1, 5):
        story(f"Harbour news {hours}", hours_ago=hours)

    response = search(client, "harbour")

    assert sorted(found(response)) == ["Harbour news 1", "Harbour news 2", "Harbour news 3"]
    assert old.title not in found(response)
    assertContains(response, "More than 3 stories found")


@postgresql
@pytest.mark.django_db
def test_a_search_under_the_pool_counts_every_match(client, monkeypatch):
    monkeypatch.setattr("articles.search.SEARCH_POOL", 3)
    monkeypatch.setattr("articles.views.SEARCH_POOL", 3)
    story("Harbour news", hours_ago=1)
    story("Harbour dredging", hours_ago=2)

    response = search(client, "harbour")

    assertContains(response, "2 stories found")
    assertNotContains(response, "More than")


# How the newest matches are found (PostgreSQL) -----------------------------------------------


def analyse():
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Article._meta.db_table}")


@postgresql
@pytest.mark.django_db
def test_a_common_word_walks_the_newest_stories_and_a_rare_one_uses_the_index():
    from articles.search import RankedMatches

    for hours in range(1, 41):
        story(f"Harbour news {hours}", hours_ago=hours)
    story("Dredging begins", hours_ago=50)
    analyse()

    common = RankedMatches(Article.objects.published(), "harbour")
    rare = RankedMatches(Article.objects.published(), "dredging")

    assert common.is_common()
    assert not rare.is_common()
    assert len(common) == 40
    assert [article.title for article in rare[0:1]] == ["Dredging begins"]


@postgresql
@pytest.mark.django_db
@pytest.mark.parametrize("walk_above", [0.0, 1.1])
def test_both_ways_of_finding_matches_give_the_same_page(client, monkeypatch, walk_above):
    """WALK_ABOVE 0 makes every word common (the index walk), 1.1 none (the GIN index)."""
    monkeypatch.setattr("articles.search.WALK_ABOVE", walk_above)
    story("Harbour harbour harbour dredging", hours_ago=48)
    for hours in range(1, 4):
        story(f"Harbour news {hours}", hours_ago=hours)
    story("Sports", hours_ago=2)
    analyse()

    assert found(search(client, "harbour")) == [
        "Harbour harbour harbour dredging",
        "Harbour news 1",
        "Harbour news 2",
        "Harbour news 3",
    ]
    assert found(search(client, "harbour", sort="newest"))[0] == "Harbour news 1"


@postgresql
@pytest.mark.django_db
def test_a_rare_word_is_found_through_the_gin_index(django_assert_max_num_queries):
    from django.test.utils import CaptureQueriesContext

    from articles.search import RankedMatches

    for hours in range(1, 41):
        story(f"Harbour news {hours}", hours_ago=hours)
    story("Dredging begins", hours_ago=50)
    analyse()

    with CaptureQueriesContext(connection) as queries:
        RankedMatches(Article.objects.published(), "dredging")

    assert any("set_config('enable_indexscan', 'off', true)" in q["sql"] for q in queries)
