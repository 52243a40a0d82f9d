"""Reader search over published stories.

PostgreSQL: the weighted search document of articles.models (headline A, standfirst B, tag
names B, body C, writers D) matched with web-search syntax ("quoted phrase", or, -word),
ranked by relevance blended with recency, with highlighted snippets. Elsewhere (SQLite in
development): every word must appear in the headline, standfirst or body; newest first.
Both return the same QuerySet shape, so the page, form and pagination are shared.
"""

import html
import json
import re
from datetime import datetime, time, timedelta

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection, transaction
from django.db.models import DateTimeField, F, FloatField, Func, Q, TextField, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from .models import FULL_TEXT_SEARCH, SEARCH_DOCUMENT, Article

CONFIG = "english"
# Private-use characters mark the matches in ts_headline's output: the snippet is then
# escaped whole and only these markers become <mark> tags, so no stored or typed text can
# ever reach the page as markup.
START, STOP = "\ue000", "\ue001"
MARKED = re.compile(f"{START}(.*?){STOP}", re.S)
WORD = re.compile(r"\w+")
# Days after which a story's recency boost has halved (see `freshness`).
RECENCY_DAYS = 30.0
FALLBACK_MAX_TERMS = 8
# Full-text search ranks the newest matches up to this many, so a word found in a third of
# a 100,000-story archive costs what a rare one costs. Readers are told when it applies.
SEARCH_POOL = 500
# Share of the archive above which the newest matches are found fastest by walking the
# newest-first index and testing each story; below it, from the GIN index. PostgreSQL
# walks for far rarer words, as it does not count the cost of reading each story's search
# document (a word in 5 % of 100,000 stories: 210 ms walking, 12 ms from the index).
WALK_ABOVE = 0.13


def has_words(query):
    return bool(WORD.search(query or ""))


def filter_articles(articles, *, section=None, kind="", author=None, date_from=None, date_to=None):
    """Narrow `articles` by the search form's filters; dates are whole local days."""
    if section:
        articles = articles.filter(section=section)
    if kind:
        articles = articles.filter(kind=kind)
    if author:
        articles = articles.by_author(author)
    if date_from:
        articles = articles.filter(published_at__gte=start_of_day(date_from))
    if date_to:
        articles = articles.filter(published_at__lt=start_of_day(date_to + timedelta(days=1)))
    return articles


def start_of_day(date):
    return timezone.make_aware(datetime.combine(date, time.min))


def search_articles(query, *, order="relevance", **filters):
    """Published stories matching `query`, best match (or newest) first, for the paginator.
    On PostgreSQL a RankedMatches, whose stories carry `rank`, `score` and a raw `snippet`
    with START/STOP markers; elsewhere a QuerySet. Call `add_snippets` on the page shown
    to make every snippet safe HTML."""
    articles = filter_articles(Article.objects.published(), **filters)
    if FULL_TEXT_SEARCH:
        return RankedMatches(articles, query, order=order)
    return contains_every_word(articles.with_bylines(), query).order_by("-published_at", "-id")


class RankedMatches:
    """The newest SEARCH_POOL matches with their scores, ordered by score here; the stories
    themselves (bylines, snippet) are loaded only for the page shown. Sliced by the
    paginator like a list; its length is the number of matches, up to SEARCH_POOL."""

    def __init__(self, articles, query, *, order="relevance"):
        self.articles = articles
        self.search_query = SearchQuery(query, search_type="websearch", config=CONFIG)
        pool = self.walk(articles) if self.is_common() else self.from_index(articles)
        if order != "newest":
            pool.sort(key=lambda match: -match[2])  # stable: newest first among equals
        self.pool = pool

    def walk(self, articles):
        """Common words: score each match met on the way down the newest-first index."""
        scored = self.scored(self.matching(articles)).order_by("-published_at", "-id")
        return list(scored.values_list("pk", "rank", "score")[:SEARCH_POOL])

    def from_index(self, articles):
        """Rarer words: the newest matches from the GIN index, then only those scored."""
        newest = self.matching(articles).order_by("-published_at", "-id").values("pk")
        scored = self.scored(articles.filter(pk__in=newest[:SEARCH_POOL]))
        scored = scored.order_by("-published_at", "-id").values_list("pk", "rank", "score")
        with transaction.atomic():
            use_search_index()
            return list(scored)

    def matching(self, articles):
        return articles.annotate(document=SEARCH_DOCUMENT).filter(document=self.search_query)

    def scored(self, articles):
        age = AgeInDays(Value(timezone.now(), output_field=DateTimeField()), F("published_at"))
        # 2x for a story published now, 1.5x after RECENCY_DAYS, tending to 1x: relevance
        # decides, recency breaks near-ties in favour of the news.
        freshness = Value(1.0) + Value(1.0) / (Value(1.0) + age / Value(RECENCY_DAYS))
        return (
            articles.annotate(document=SEARCH_DOCUMENT)
            .annotate(rank=SearchRank(F("document"), self.search_query))
            .annotate(score=F("rank") * freshness)
        )

    def is_common(self):
        """Whether the planner expects the words in more than WALK_ABOVE of all stories."""
        plan = json.loads(self.matching(Article.objects).values("pk").explain(format="json"))
        expected = plan[0]["Plan"]["Plan Rows"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [TABLE])
            stories = cursor.fetchone()[0]
        return stories > 0 and expected / stories > WALK_ABOVE

    def __len__(self):
        return len(self.pool)

    def __getitem__(self, index):
        matches = self.pool[index]
        if not isinstance(index, slice):
            return self.load([matches])[0]
        return self.load(matches)

    def load(self, matches):
        found = self.articles.filter(pk__in=[pk for pk, _, _ in matches]).for_search_results()
        stories = {story.pk: story for story in found.annotate(snippet=self.snippet())}
        page = []
        for pk, rank, score in matches:
            if pk in stories:  # unpublished since the pool was read: left out
                story = stories[pk]
                story.rank, story.score = rank, score
                page.append(story)
        return page

    def snippet(self):
        return SearchHeadline(
            Concat(F("summary"), Value(" "), TextOfHtml(F("body")), output_field=TextField()),
            self.search_query,
            config=CONFIG,
            start_sel=START,
            stop_sel=STOP,
            max_words=35,
            min_words=15,
            max_fragments=2,
            fragment_delimiter=" … ",
        )


TABLE = Article._meta.db_table


def use_search_index():
    """For the rest of this transaction, find matches through the GIN index."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('enable_indexscan', 'off', true),"
            " set_config('enable_seqscan', 'off', true)"
        )


class AgeInDays(Func):
    """Days between two timestamps, as a float (PostgreSQL)."""

    template = "(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0)::double precision"
    arg_joiner = " - "
    output_field = FloatField()


class TextOfHtml(Func):
    """The words of stored HTML: tags become spaces (entities are decoded in Python)."""

    function = "regexp_replace"
    output_field = TextField()

    def __init__(self, expression):
        super().__init__(expression, Value("<[^>]+>"), Value(" "), Value("g"))


def fallback_terms(query):
    """Up to FALLBACK_MAX_TERMS words to include and words to exclude (`-word`)."""
    include, exclude = [], []
    for match in re.finditer(r"(-?)(\w+)", query):
        if match[2].lower() == "or":
            continue
        (exclude if match[1] else include).append(match[2])
    return include[:FALLBACK_MAX_TERMS], exclude[:FALLBACK_MAX_TERMS]


def contains_every_word(articles, query):
    include, exclude = fallback_terms(query)
    for term in include:
        articles = articles.filter(
            Q(title__icontains=term) | Q(summary__icontains=term) | Q(body__icontains=term)
        )
    for term in exclude:
        articles = articles.exclude(
            Q(title__icontains=term) | Q(summary__icontains=term) | Q(body__icontains=term)
        )
    return articles


def plain_text(body):
    return html.unescape(re.sub(r"<[^>]+>", " ", body or ""))


def mark_words(text, words):
    """`text` with case-insensitive matches of `words` between START and STOP."""
    if not words:
        return text
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    return pattern.sub(lambda match: f"{START}{match[0]}{STOP}", text)


def mark_snippet(text):
    """Escaped `text` in which only the START…STOP spans become <mark> elements."""
    escaped = str(escape(html.unescape(text or "")))
    marked = MARKED.sub(r"<mark>\1</mark>", escaped)
    return mark_safe(marked.replace(START, "").replace(STOP, ""))  # noqa: S308 - escaped above


def add_snippets(articles, query):
    """Give each found article a safe `snippet`; the fallback builds its own in Python."""
    words = fallback_terms(query)[0]
    for article in articles:
        text = getattr(article, "snippet", None)
        if text is None:
            text = mark_words(
                Truncator(article.summary or plain_text(article.body)).words(40), words
            )
        article.snippet = mark_snippet(text)
    return articles
