"""RSS 2.0 and Atom feeds: the whole site (the News Feed), each section, tag and author.

Every feed lists `published()` stories only, newest first, and names every writer (RSS:
one dc:creator each; Atom: one author each). Responses carry Last-Modified and an ETag
and answer revalidation with 304 (see StoryFeed.__call__).
"""

import copy
import hashlib

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Count, Max, Q
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.views.decorators.http import condition

from authors.models import Author
from newsroom.cache import tag_response

from .caching import story_keys
from .models import Article, Correction, Section, Tag

FEED_SIZE = 30
DC = "http://purl.org/dc/elements/1.1/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
MEDIA = "http://search.yahoo.com/mrss/"


def add_media(handler, item):
    """The lead image as Media RSS, which carries what an enclosure cannot: the credit."""
    image = item["image"]
    if image is None:
        return
    handler.startElement("media:content", image["attributes"])
    if image["alt"]:
        handler.addQuickElement("media:description", image["alt"])
    if image["credit"]:
        handler.addQuickElement("media:credit", image["credit"])
    handler.endElement("media:content")


class NewsroomRss(Rss201rev2Feed):
    """RSS 2.0 with one dc:creator per writer (RSS's own <author> takes one e-mail
    address), the full story as content:encoded when enabled, and Media RSS."""

    def rss_attributes(self):
        namespaces = {"xmlns:dc": DC, "xmlns:content": CONTENT, "xmlns:media": MEDIA}
        return {**super().rss_attributes(), **namespaces}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "author_name": None})
        for writer in item["writers"]:
            handler.addQuickElement("dc:creator", writer["name"])
        if item["content"] is not None:
            handler.addQuickElement("content:encoded", item["content"])
        add_media(handler, item)


class NewsroomAtom(Atom1Feed):
    """Atom with one <author> per writer and the full story as <content> when enabled.

    Atom requires <updated> on every entry: a story never updated gives its publish time.
    """

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA}

    def add_item_elements(self, handler, item):
        updated = item["updateddate"] or item["pubdate"]
        super().add_item_elements(handler, {**item, "author_name": None, "updateddate": updated})
        for writer in item["writers"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", writer["name"])
            handler.addQuickElement("uri", writer["url"])
            handler.endElement("author")
        if item["content"] is not None:
            handler.addQuickElement("content", item["content"], {"type": "html"})
        add_media(handler, item)


class StoryFeed(Feed):
    """What every feed shares. Subclasses name their stories (`articles`) and the same set
    in every status (`scope`, read from the URL's arguments for the conditional GET)."""

    feed_type = NewsroomRss
    request = None

    def __call__(self, request, *args, **kwargs):
        # One copy per request, so items can build absolute URLs from this request and
        # the validators below are computed once, without sharing state between threads.
        feed = copy.copy(self)
        feed.request = request
        feed._state = None
        feed._keys = {"feeds"}
        view = condition(etag_func=feed.etag, last_modified_func=feed.last_modified)(feed.render)
        return view(request, *args, **kwargs)

    def render(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        # Feed sets Last-Modified from the listed items' dates only; `condition` then sets
        # ours, which also moves when a story is unpublished or drops out of the feed.
        del response.headers["Last-Modified"]
        return tag_response(response, self._keys)

    def scope(self, **kwargs):
        return Article.objects.all()

    def state(self, **kwargs):
        """One query: the latest change to any story in scope (any status), the latest
        publish time of a live one (a scheduled story going live changes no row), and how
        many stories there are (a deletion changes nothing else)."""
        if self._state is None:
            live = Article.objects.published().values("pk")
            self._state = self.scope(**kwargs).aggregate(
                modified=Max("modified"),
                published=Max("published_at", filter=Q(pk__in=live)),
                count=Count("pk", distinct=True),
            )
        return self._state

    def last_modified(self, request, **kwargs):
        dates = [date for date in self.state(**kwargs).values() if hasattr(date, "tzinfo")]
        return max(dates) if dates else None

    def etag(self, request, **kwargs):
        state = self.state(**kwargs)
        if state["count"] == 0:
            return None
        key = f"{self.__class__.__name__}|{sorted(kwargs.items())}|{state}|"
        key += f"{settings.NEWSROOM_FEED_FULL_CONTENT}"
        return hashlib.sha256(key.encode()).hexdigest()[:32]

    def articles(self, obj):
        return Article.objects.published()

    def items(self, obj):
        items = list(self.articles(obj).newest_first().for_feed()[:FEED_SIZE])
        self._keys |= {self.surrogate_key(obj), *story_keys(items)}
        return items

    def surrogate_key(self, obj):
        """The page cache's key for what this feed follows (articles/caching.py)."""
        return "newsfeed"

    @property
    def language(self):  # Feed reads this attribute directly, never calls it
        return settings.NEWSROOM_LANGUAGE

    def author_name(self):
        # Atom needs an author for the feed; each entry lists its own writers too.
        return settings.NEWSROOM_SITE_NAME

    def subtitle(self, obj):
        return self._get_dynamic_attr("description", obj)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Feed readers read descriptions as HTML; the standfirst is plain text.
        return escape(item.summary)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.section.name, *(tag.name for tag in item.tags.all())]

    def item_enclosures(self, item):
        image = lead_image(item)
        if image is None:
            return []
        return [Enclosure(self.absolute(image["url"]), str(image["bytes"]), "image/jpeg")]

    def item_extra_kwargs(self, item):
        writers = [
            {"name": writer.name, "url": self.absolute(writer.get_absolute_url())}
            for writer in item.writers
        ]
        image = lead_image(item)
        if image is not None:
            attributes = {
                "url": self.absolute(image["url"]),
                "medium": "image",
                "type": "image/jpeg",
                "fileSize": str(image["bytes"]),
                "width": str(image["width"]),
                "height": str(image["height"]),
            }
            photo = item.shown_lead_image
            image = {"attributes": attributes, "alt": photo.alt_text, "credit": photo.credit}
        content = item.body if settings.NEWSROOM_FEED_FULL_CONTENT else None
        return {"writers": writers, "image": image, "content": content}

    def absolute(self, path):
        return self.request.build_absolute_uri(path)


def lead_image(article):
    """The JPEG rendition feed readers get (at most 1280 pixels wide: its size in bytes is
    recorded with it), or None without a lead photo readers may see."""
    photo = article.shown_lead_image
    return photo.largest(up_to=1280) if photo else None


class LatestArticlesFeed(StoryFeed):
    title = settings.NEWSROOM_SITE_NAME
    link = reverse_lazy("articles:index")
    description = "The latest stories, newest first."


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = NewsroomAtom


class SectionFeed(StoryFeed):
    def get_object(self, request, slug):
        return Section.objects.get(slug=slug)

    def scope(self, slug):
        return Article.objects.filter(section__slug=slug)

    def articles(self, section):
        return Article.objects.published().filter(section=section)

    def surrogate_key(self, section):
        return f"section:{section.pk}"

    def title(self, section):
        return f"{section.name} · {settings.NEWSROOM_SITE_NAME}"

    def link(self, section):
        return section.get_absolute_url()

    def description(self, section):
        return section.description or f"The latest {section.name} stories."


class SectionAtomFeed(SectionFeed):
    feed_type = NewsroomAtom


class TagFeed(StoryFeed):
    def get_object(self, request, slug):
        return Tag.objects.get(slug=slug)

    def scope(self, slug):
        return Article.objects.filter(tags__slug=slug)

    def articles(self, tag):
        return Article.objects.published().filter(tags=tag)

    def surrogate_key(self, tag):
        return f"tag:{tag.pk}"

    def title(self, tag):
        return f"{tag.name} · {settings.NEWSROOM_SITE_NAME}"

    def link(self, tag):
        return tag.get_absolute_url()

    def description(self, tag):
        return f"The latest stories tagged {tag.name}."


class TagAtomFeed(TagFeed):
    feed_type = NewsroomAtom


class AuthorFeed(StoryFeed):
    def get_object(self, request, slug):
        return Author.objects.get(slug=slug)

    def scope(self, slug):
        return Article.objects.filter(bylines__author__slug=slug)

    def articles(self, author):
        return Article.objects.published().by_author(author)

    def surrogate_key(self, author):
        return f"author:{author.pk}"

    def title(self, author):
        return f"{author.name} · {settings.NEWSROOM_SITE_NAME}"

    def link(self, author):
        return author.get_absolute_url()

    def description(self, author):
        return f"The latest stories by {author.name}."


class AuthorAtomFeed(AuthorFeed):
    feed_type = NewsroomAtom


class CorrectionsFeed(Feed):
    """Corrections and clarifications on live stories, newest first: one item each, linking
    to the correction at the end of its story."""

    title = f"Corrections · {settings.NEWSROOM_SITE_NAME}"
    link = reverse_lazy("articles:corrections")
    description = "Corrections and clarifications to our stories, newest first."

    def items(self):
        return Correction.objects.public().for_listing()[:FEED_SIZE]

    @property
    def language(self):
        return settings.NEWSROOM_LANGUAGE

    def author_name(self):
        return settings.NEWSROOM_SITE_NAME

    def subtitle(self):
        return self.description

    def item_title(self, item):
        return f"{item.get_kind_display()}: {item.article.title}"

    def item_description(self, item):
        return escape(item.text)  # plain text, read as HTML by feed readers

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.created

    def item_updateddate(self, item):
        return item.created  # Atom requires <updated>; a correction is never revised in place

    def item_categories(self, item):
        return [item.get_kind_display()]


class CorrectionsAtomFeed(CorrectionsFeed):
    feed_type = Atom1Feed
