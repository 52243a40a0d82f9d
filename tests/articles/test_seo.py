"""What machines read: sitemaps, the Google News sitemap, robots.txt, page metadata,
JSON-LD structured data, and the related stories on the article page."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest

from articles.models import Article, SiteSettings
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    AuthorLinkFactory,
    ImageFactory,
    SectionFactory,
    TagFactory,
    image_file,
)

NOW = datetime(2026, 3, 18, 12, 0, tzinfo=ZoneInfo("Europe/Kyiv"))
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def xml(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/xml"
    return ET.fromstring(response.content)  # noqa: S314 - our own sitemap


def live(slug, published_at, **fields):
    return ArticleFactory(published=True, slug=slug, published_at=published_at, **fields)


# Sitemaps -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sitemap_index_lists_one_sitemap_per_month_and_the_other_kinds(client):
    live("march", NOW - timedelta(days=1))
    live("february", datetime(2026, 2, 10, 9, 0, tzinfo=NOW.tzinfo))
    live("january-update", datetime(2026, 1, 5, tzinfo=NOW.tzinfo), updated_at=NOW)
    ArticleFactory(slug="draft-in-april", published_at=datetime(2026, 4, 1, tzinfo=NOW.tzinfo))
    ArticleFactory(scheduled=True, slug="scheduled")

    root = xml(client.get("/sitemap.xml"))

    assert root.tag == f"{SM}sitemapindex"
    entries = {
        entry.findtext(f"{SM}loc"): entry.findtext(f"{SM}lastmod")
        for entry in root.findall(f"{SM}sitemap")
    }
    assert list(entries) == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-sections.xml",
        "http://testserver/sitemap-tags.xml",
        "http://testserver/sitemap-authors.xml",
        "http://testserver/sitemap-articles-2026-03.xml",
        "http://testserver/sitemap-articles-2026-02.xml",
        "http://testserver/sitemap-articles-2026-01.xml",
    ]
    assert entries["http://testserver/sitemap-articles-2026-02.xml"].startswith(
        "2026-02-10T09:00:00"
    )
    # A story updated today moves its month's lastmod, not its month.
    assert entries["http://testserver/sitemap-articles-2026-01.xml"].startswith("2026-03-18")


@pytest.mark.django_db
def test_a_month_sitemap_lists_that_months_live_stories_with_lastmod(client):
    live("early-march", datetime(2026, 3, 1, 0, 30, tzinfo=NOW.tzinfo))
    live("updated", datetime(2026, 3, 5, tzinfo=NOW.tzinfo), updated_at=NOW)
    live("february", datetime(2026, 2, 28, 23, 30, tzinfo=NOW.tzinfo))
    ArticleFactory(slug="draft", published_at=datetime(2026, 3, 3, tzinfo=NOW.tzinfo))
    ArticleFactory(slug="scheduled", scheduled=True)

    root = xml(client.get("/sitemap-articles-2026-03.xml"))

    urls = {
        url.findtext(f"{SM}loc"): url.findtext(f"{SM}lastmod") for url in root.findall(f"{SM}url")
    }
    assert urls == {
        "http://testserver/news/updated/": "2026-03-18",
        "http://testserver/news/early-march/": "2026-03-01",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "section", ["articles-2026-13", "articles-0000-01", "articles-26-1", "nonsense", "news-1"]
)
def test_a_sitemap_that_cannot_exist_is_a_404(client, section):
    assert client.get(f"/sitemap-{section}.xml").status_code == 404


@pytest.mark.django_db
def test_an_empty_month_is_an_empty_sitemap(client):
    root = xml(client.get("/sitemap-articles-2019-05.xml"))

    assert root.findall(f"{SM}url") == []


@pytest.mark.django_db
def test_sections_and_tags_are_last_modified_by_their_newest_live_story(client):
    section, quiet = SectionFactory(slug="city"), SectionFactory(slug="quiet")
    tag = TagFactory(slug="budget")
    live("older", NOW - timedelta(days=3), section=section, tags=[tag])
    live("newer", NOW - timedelta(days=1), section=section)
    ArticleFactory(slug="draft", section=quiet, published_at=NOW)

    sections = xml(client.get("/sitemap-sections.xml"))
    tags = xml(client.get("/sitemap-tags.xml"))

    def lastmods(root):
        return {u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod") for u in root.iter(f"{SM}url")}

    assert lastmods(sections) == {
        "http://testserver/section/city/": "2026-03-17",
        "http://testserver/section/quiet/": None,
    }
    assert lastmods(tags) == {"http://testserver/tag/budget/": "2026-03-15"}


@pytest.mark.django_db
def test_the_pages_and_authors_sitemaps_have_lastmod(client):
    AuthorFactory(slug="zoe")
    live("newest", NOW - timedelta(days=2))

    pages = xml(client.get("/sitemap-pages.xml"))
    authors = xml(client.get("/sitemap-authors.xml"))

    assert {u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod") for u in pages.iter(f"{SM}url")} == {
        "http://testserver/": "2026-03-16",
        "http://testserver/news/": "2026-03-16",
        # No correction yet: no lastmod (test_the_corrections_page_is_in_the_pages_sitemap).
        "http://testserver/corrections/": None,
    }
    assert [u.findtext(f"{SM}lastmod") for u in authors.iter(f"{SM}url")] == ["2026-03-18"]


@pytest.mark.django_db
@pytest.mark.parametrize("months", [2, 12])
def test_the_sitemap_index_query_count_does_not_grow_with_months(
    client, django_assert_num_queries, months
):
    for month in range(1, months + 1):
        live(f"story-{month}", datetime(2025, month, 10, tzinfo=NOW.tzinfo), tags=[TagFactory()])

    # 1. the months with their latest change and size (one grouped query)
    # 2. the newest story's publish time (lastmod of the home page and News Feed)
    # 3. the newest public correction (lastmod of the Corrections page)
    # 4-5. sections with their newest story, their count  6-7. tags, count
    # 8-9. authors, count
    with django_assert_num_queries(9):
        client.get("/sitemap.xml")


# Google News ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_news_sitemap_lists_stories_from_the_last_48_hours(client, settings):
    settings.NEWSROOM_LANGUAGE = "uk"
    live("just-now", NOW - timedelta(minutes=5), title="Budget & the council")
    live("yesterday", NOW - timedelta(hours=47))
    live("too-old", NOW - timedelta(hours=49))
    ArticleFactory(slug="draft", published_at=NOW)
    ArticleFactory(slug="scheduled", scheduled=True)

    root = xml(client.get("/sitemap-news.xml"))

    urls = root.findall(f"{SM}url")
    assert [url.findtext(f"{SM}loc") for url in urls] == [
        "http://testserver/news/just-now/",
        "http://testserver/news/yesterday/",
    ]
    news = urls[0].find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == settings.NEWSROOM_SITE_NAME
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "uk"
    assert news.findtext(f"{NEWS}title") == "Budget & the council"
    assert news.findtext(f"{NEWS}publication_date") == "2026-03-18T09:55:00+00:00"


@pytest.mark.django_db
def test_robots_txt_names_both_sitemaps_and_keeps_crawlers_out(client):
    lines = client.get("/robots.txt").content.decode().splitlines()

    assert "Disallow: /admin/" in lines
    assert "Disallow: /staff/" in lines
    assert "Disallow: /search/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines


# Page metadata --------------------------------------------------------------------------------


class Head(HTMLParser):
    """<meta>, <link> and JSON-LD blocks of a page."""

    def __init__(self, text):
        super().__init__()
        self.meta, self.links, self.jsonld = {}, {}, []
        self._in_jsonld = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta[key] = attrs.get("content")
        elif tag == "link":
            self.links.setdefault(attrs.get("rel"), attrs.get("href"))
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_jsonld = True

    def handle_endtag(self, tag):
        self._in_jsonld = False

    def handle_data(self, data):
        if self._in_jsonld:
            data = json.loads(data)
            self.jsonld.extend(data if isinstance(data, list) else [data])


def head(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return Head(response.content.decode())


@pytest.fixture
def pages(db):
    writer = AuthorFactory(slug="zoe", name="Zoe Zed", role="City Reporter")
    article = ArticleFactory(
        published=True,
        slug="budget-agreed",
        title="Council agrees budget",
        summary="The vote was closer than expected.",
        authors=[writer],
        tags=[TagFactory(slug="budget")],
        section=SectionFactory(slug="city", name="City Hall"),
    )
    return {
        "home": "/",
        "news feed": "/news/",
        "article": article.get_absolute_url(),
        "section": "/section/city/",
        "tag": "/tag/budget/",
        "author": writer.get_absolute_url(),
        "search": "/search/?q=budget",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["home", "news feed", "article", "section", "tag", "author", "search"]
)
def test_every_page_type_has_canonical_opengraph_and_twitter_tags(client, pages, name):
    page = head(client, pages[name])

    path = pages[name].split("?")[0]
    assert page.links["canonical"] == f"http://testserver{path}"
    assert page.meta["og:url"] == page.links["canonical"]
    for key in ["description", "og:title", "og:description", "og:type", "og:site_name"]:
        assert page.meta[key], key
    assert page.meta["og:image"].startswith("http://testserver/")
    assert page.meta["twitter:card"] == "summary_large_image"
    assert page.meta["twitter:image"] == page.meta["og:image"]


@pytest.mark.django_db
def test_pages_without_a_photo_share_the_1200_by_630_site_card(client, pages):
    page = head(client, pages["section"])

    assert page.meta["og:image"] == "http://testserver/static/img/social-card.png"
    assert (page.meta["og:image:width"], page.meta["og:image:height"]) == ("1200", "630")


@pytest.mark.django_db
def test_the_article_page_shares_its_headline_standfirst_and_photo(client):
    article = ArticleFactory(
        published=True,
        title="Council agrees budget",
        summary="The vote was closer than expected.",
        lead_image=ImageFactory(
            file=image_file("bridge.jpg", size=(2000, 1200)), alt_text="The council chamber"
        ),
    )

    page = head(client, article.get_absolute_url())

    assert page.meta["og:type"] == "article"
    assert page.meta["og:title"] == "Council agrees budget"
    assert page.meta["description"] == "The vote was closer than expected."
    # The 1200×630 crop made from the lead photo when it was uploaded.
    assert page.meta["og:image"] == f"http://testserver{article.social_card['url']}"
    assert page.meta["og:image"].startswith("http://testserver/media/renditions/photos/")
    assert page.meta["og:image"].endswith("/social.jpeg")
    assert (page.meta["og:image:width"], page.meta["og:image:height"]) == ("1200", "630")
    assert page.meta["og:image:alt"] == "The council chamber"
    assert page.meta["article:published_time"] == "2026-03-18T11:00:00+0200"


@pytest.mark.django_db
def test_the_canonical_address_drops_query_parameters_but_keeps_a_page_number(client, settings):
    settings.NEWSROOM_PAGE_SIZE = 1
    section = SectionFactory(slug="city")
    ArticleFactory.create_batch(2, published=True, section=section)

    first = head(client, "/section/city/?utm_source=x&q=<script>")
    second = head(client, "/section/city/?page=2&utm_source=x")

    assert first.links["canonical"] == "http://testserver/section/city/"
    assert second.links["canonical"] == "http://testserver/section/city/?page=2"


# JSON-LD --------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "schema_type"),
    [
        ("news", "NewsArticle"),
        ("story", "NewsArticle"),
        ("analysis", "AnalysisNewsArticle"),
        ("opinion", "OpinionNewsArticle"),
    ],
)
def test_article_json_ld_carries_the_required_fields_for_each_kind(client, kind, schema_type):
    writers = [
        AuthorFactory(name="Zoe Zed", slug="zoe", role="City Reporter"),
        AuthorFactory(name="Adam Ant", slug="adam", role=""),
    ]
    AuthorLinkFactory(author=writers[0], kind="bluesky", url="https://bsky.example/zoe")
    article = ArticleFactory(
        published=True,
        kind=kind,
        slug="budget-agreed",
        title="Council agrees budget",
        summary="The vote was closer than expected.",
        published_at=NOW - timedelta(hours=2),
        updated_at=NOW - timedelta(hours=1),
        authors=writers,
        tags=[TagFactory(name="Budget"), TagFactory(name="Council")],
        section=SectionFactory(name="City Hall", slug="city"),
        lead_image=ImageFactory(alt_text="The chamber"),
    )

    story, breadcrumbs = head(client, article.get_absolute_url()).jsonld

    assert story["@context"] == "https://schema.org"
    assert story["@type"] == schema_type
    assert story["headline"] == "Council agrees budget"
    assert story["description"] == "The vote was closer than expected."
    assert story["url"] == "http://testserver/news/budget-agreed/"
    # The link-preview crop and the photo at its own proportions, never the upload.
    assert story["image"] == [
        f"http://testserver{article.lead_image.rendition(name)['url']}"
        for name in ("social", "w320")
    ]
    assert story["datePublished"] == "2026-03-18T08:00:00+00:00"
    assert story["dateModified"] == "2026-03-18T09:00:00+00:00"
    assert story["author"] == [
        {
            "@type": "Person",
            "name": "Zoe Zed",
            "url": "http://testserver/authors/zoe/",
            "jobTitle": "City Reporter",
            "sameAs": ["https://bsky.example/zoe"],
        },
        {"@type": "Person", "name": "Adam Ant", "url": "http://testserver/authors/adam/"},
    ]
    assert story["isAccessibleForFree"] is True
    assert story["articleSection"] == "City Hall"
    assert story["keywords"] == ["Budget", "Council"]
    publisher = story["publisher"]
    assert publisher["@type"] == "NewsMediaOrganization"
    assert publisher["name"] == "The Meridian Independent"
    assert publisher["url"] == "http://testserver/"
    assert publisher["logo"]["url"] == "http://testserver/static/img/logo.png"
    assert breadcrumbs["@type"] == "BreadcrumbList"
    assert [item["item"] for item in breadcrumbs["itemListElement"]] == [
        "http://testserver/",
        "http://testserver/section/city/",
        "http://testserver/news/budget-agreed/",
    ]
    assert [item["position"] for item in breadcrumbs["itemListElement"]] == [1, 2, 3]


@pytest.mark.django_db
def test_the_publisher_carries_the_policy_pages_editors_set(client):
    SiteSettings(
        publishing_principles_url="https://meridian.example/principles/",
        corrections_policy_url="https://meridian.example/corrections/",
        ethics_policy_url="https://meridian.example/ethics/",
        masthead_url="https://meridian.example/masthead/",
        ownership_funding_url="https://meridian.example/ownership/",
    ).save()
    article = ArticleFactory(published=True)

    story = head(client, article.get_absolute_url()).jsonld[0]

    assert {key: story["publisher"].get(key) for key in POLICIES} == POLICIES


POLICIES = {
    "publishingPrinciples": "https://meridian.example/principles/",
    "correctionsPolicy": "https://meridian.example/corrections/",
    "ethicsPolicy": "https://meridian.example/ethics/",
    "masthead": "https://meridian.example/masthead/",
    "ownershipFundingInfo": "https://meridian.example/ownership/",
}


@pytest.mark.django_db
def test_json_ld_cannot_be_broken_out_of(client):
    article = ArticleFactory(
        published=True,
        title="</script><script>alert(1)</script> & <!--",
        summary="</SCRIPT><img src=x onerror=alert(1)>",
    )

    response = client.get(article.get_absolute_url())
    page = response.content.decode()
    story = Head(page).jsonld[0]

    assert story["headline"] == "</script><script>alert(1)</script> & <!--"
    assert story["description"] == "</SCRIPT><img src=x onerror=alert(1)>"
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert "<" not in block
    assert ">" not in block


@pytest.mark.django_db
def test_the_author_page_is_a_profile_page_about_a_person(client):
    author = AuthorFactory(name="Zoe Zed", slug="zoe", role="City Reporter", bio="Covers the city.")
    AuthorLinkFactory(author=author, url="https://zoe.example/")

    (profile,) = head(client, author.get_absolute_url()).jsonld

    assert profile["@type"] == "ProfilePage"
    assert profile["mainEntity"] == {
        "@type": "Person",
        "name": "Zoe Zed",
        "url": "http://testserver/authors/zoe/",
        "jobTitle": "City Reporter",
        "sameAs": ["https://zoe.example/"],
        "description": "Covers the city.",
    }
    assert profile["dateCreated"]
    assert profile["dateModified"]


# Site settings admin -------------------------------------------------------------------------


@pytest.mark.django_db
def test_editors_edit_the_one_row_of_site_settings(editor_client):
    response = editor_client.post(
        "/admin/articles/sitesettings/add/",
        {"publishing_principles_url": "https://meridian.example/principles/"},
    )
    assert response.status_code == 302
    assert SiteSettings.objects.get().pk == 1

    again = editor_client.get("/admin/articles/sitesettings/add/")
    assert again.status_code == 302
    assert again["Location"] == "/admin/articles/sitesettings/1/change/"
    assert editor_client.get("/admin/articles/sitesettings/1/delete/").status_code == 403


@pytest.mark.django_db
def test_site_settings_default_to_empty_before_anyone_saves_them():
    settings = SiteSettings.objects.current()

    assert settings.pk is None
    assert settings.publishing_principles_url == ""


# Related stories ------------------------------------------------------------------------------


def related_titles(response):
    titles = dict(Article.objects.values_list("pk", "title"))
    return [titles[item["pk"]] for item in response.context["related"]]


@pytest.mark.django_db
def test_related_stories_share_tags_or_the_section_best_first(client):
    city, sport = SectionFactory(slug="city"), SectionFactory(slug="sport")
    budget, council = TagFactory(), TagFactory()
    article = ArticleFactory(
        published=True, section=city, tags=[budget, council], published_at=NOW - timedelta(days=60)
    )
    # The "More news" list takes the six newest; push them out of the way.
    ArticleFactory.create_batch(
        6, published=True, section=sport, published_at=NOW - timedelta(minutes=1)
    )
    old = NOW - timedelta(days=90)
    ArticleFactory(
        published=True, title="Both tags", section=sport, tags=[budget, council], published_at=old
    )
    ArticleFactory(published=True, title="One tag", section=sport, tags=[budget], published_at=old)
    ArticleFactory(published=True, title="Same section", section=city, published_at=old)
    ArticleFactory(published=True, title="Unrelated", section=sport, published_at=old)
    ArticleFactory(title="Draft twin", section=city, tags=[budget, council])

    response = client.get(article.get_absolute_url())

    assert related_titles(response) == ["Both tags", "One tag", "Same section"]


@pytest.mark.django_db
def test_related_stories_prefer_recent_stories_on_a_tie_and_skip_more_news(client):
    city = SectionFactory(slug="city")
    article = ArticleFactory(published=True, section=city, published_at=NOW - timedelta(days=9))
    newest = ArticleFactory.create_batch(
        6, published=True, section=city, published_at=NOW - timedelta(minutes=5)
    )
    ArticleFactory(
        published=True, title="Last month", section=city, published_at=NOW - timedelta(days=20)
    )
    ArticleFactory(
        published=True, title="Last year", section=city, published_at=NOW - timedelta(days=300)
    )

    response = client.get(article.get_absolute_url())

    more_news = {item["pk"] for item in response.context["more_news"]}
    assert more_news == {item.pk for item in newest}
    assert related_titles(response) == ["Last month", "Last year"]


@pytest.mark.django_db
def test_more_from_the_first_writer_repeats_nothing_else_on_the_page(client):
    zoe, adam = AuthorFactory(name="Zoe Zed"), AuthorFactory()
    city = SectionFactory(slug="city")
    article = ArticleFactory(
        published=True, section=city, authors=[zoe, adam], published_at=NOW - timedelta(days=40)
    )
    ArticleFactory.create_batch(6, published=True, published_at=NOW - timedelta(minutes=5))
    in_section = ArticleFactory(
        published=True, section=city, authors=[zoe], published_at=NOW - timedelta(days=50)
    )
    elsewhere = ArticleFactory(published=True, authors=[zoe], published_at=NOW - timedelta(days=70))
    ArticleFactory(published=True, authors=[adam], published_at=NOW - timedelta(days=70))

    response = client.get(article.get_absolute_url())

    assert [item["pk"] for item in response.context["related"]] == [in_section.pk]
    assert [item["pk"] for item in response.context["more_from_author"]] == [elsewhere.pk]
    assert b"More from Zoe Zed" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("count", [15, 40])
def test_related_stories_cost_two_queries_however_much_there_is(
    client, django_assert_num_queries, count
):
    city = SectionFactory(slug="city")
    tags = TagFactory.create_batch(3)
    writer = AuthorFactory()
    article = ArticleFactory(published=True, section=city, tags=tags, authors=[writer])
    for n in range(count):
        ArticleFactory(
            published=True,
            section=city if n % 2 else SectionFactory(),
            tags=tags[: n % 4],
            authors=[writer],
            published_at=NOW - timedelta(hours=n + 2),
        )

    # article, tags, bylines, the writers' links (sameAs), the body's photos, corrections,
    # More news, Related (the newest stories and their tags: scored and printed from
    # those), More from the writer, site settings, navigation, breaking news
    with django_assert_num_queries(13):
        response = client.get(article.get_absolute_url())
    assert len(response.context["related"]) == 4
    assert len(response.context["more_from_author"]) == 4
    shown = [
        article.pk,
        *(item["pk"] for item in response.context["more_news"]),
        *(item["pk"] for item in response.context["related"]),
        *(item["pk"] for item in response.context["more_from_author"]),
    ]
    assert len(shown) == len(set(shown))
    assert not Article.objects.filter(pk__in=shown).exclude(status="published").exists()


@pytest.mark.django_db
def test_opengraph_names_every_writer_but_not_the_other_contributors(client):
    first, second, third = AuthorFactory(), AuthorFactory(), AuthorFactory()
    article = ArticleFactory(published=True, authors=[first, second, third])
    photographer = AuthorFactory()
    article.bylines.create(author=photographer, position=9, role="photographer")

    html = client.get(article.get_absolute_url()).content.decode()

    authors = re.findall(r'<meta property="article:author" content="([^"]+)">', html)
    assert authors == [
        f"http://testserver{writer.get_absolute_url()}" for writer in (first, second, third)
    ]
