"""The News Feed: published items newest first, read in batches after a keyset cursor.

A cursor names the last item a reader has seen as `<published_at in µs since epoch>-<id>`.
The next batch is everything strictly older, so batch 1,000 costs what batch 1 costs and
items published in the meantime never shift or repeat what follows.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import BadRequest
from django.utils import timezone

from .models import Article

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_MICROSECOND = timedelta(microseconds=1)
# ASCII digits only, matched in full: `\d` takes any script's digits and `$` a final newline.
CURSOR = re.compile(r"([0-9]{1,17})-([0-9]{1,18})")
LATEST_MICROSECONDS = (datetime(9999, 1, 1, tzinfo=UTC) - EPOCH) // ONE_MICROSECOND


@dataclass(frozen=True)
class Cursor:
    published_at: datetime
    pk: int

    def __str__(self):
        return f"{(self.published_at - EPOCH) // ONE_MICROSECOND}-{self.pk}"

    @classmethod
    def after(cls, article):
        return cls(article.published_at, article.pk)

    @classmethod
    def parse(cls, text):
        """The cursor in `text`, or BadRequest (400) for anything malformed."""
        match = CURSOR.fullmatch(text)
        if not match or int(match[1]) > LATEST_MICROSECONDS:
            raise BadRequest("That “Show More” link is malformed.")
        return cls(EPOCH + int(match[1]) * ONE_MICROSECOND, int(match[2]))

    def names_a_story(self):
        """Whether a live story has exactly this publish time and id: any well-formed cursor
        renders a page, but only these are links the site gave out."""
        published = Article.objects.published()
        return published.filter(pk=self.pk, published_at=self.published_at).exists()


@dataclass
class Day:
    date: object
    label: str
    items: list
    continued: bool = False


@dataclass
class Batch:
    days: list
    next_cursor: Cursor | None

    @property
    def items(self):
        return [item for day in self.days for item in day.items]


def day_label(date, today):
    if date == today:
        return "Today"
    if date == today - timedelta(days=1):
        return "Yesterday"
    return f"{date:%A}, {date.day} {date:%B}"


def group_by_day(items, continuing_from=None):
    """Items grouped by local calendar day; a day carried over from the last batch is
    marked `continued` so its heading is not printed twice."""
    today = timezone.localdate()
    previous = timezone.localtime(continuing_from).date() if continuing_from else None
    days = []
    for item in items:
        date = timezone.localtime(item.published_at).date()
        if not days or days[-1].date != date:
            days.append(Day(date, day_label(date, today), [], continued=date == previous))
        days[-1].items.append(item)
    return days


def feed_batch(cursor=None, size=None, exclude=()):
    """The next `size` items after `cursor`, leaving out the ids in `exclude` (stories a
    page already shows elsewhere)."""
    size = size or settings.NEWSROOM_FEED_BATCH
    articles = Article.objects.published().newest_first().for_news_feed()
    if exclude:
        articles = articles.exclude(pk__in=exclude)
    if cursor:
        articles = articles.before(cursor.published_at, cursor.pk)
    items = list(articles[: size + 1])
    next_cursor = Cursor.after(items[size - 1]) if len(items) > size else None
    items = items[:size]
    return Batch(group_by_day(items, cursor.published_at if cursor else None), next_cursor)
