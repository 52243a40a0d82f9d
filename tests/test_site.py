import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.conf import settings as django_settings
from django.core.management.utils import get_random_secret_key
from pytest_django.asserts import assertContains, assertTemplateUsed

from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


class TagCollector(HTMLParser):
    """Every start tag of a page with its attributes, in document order."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def start_tags(response, name):
    collector = TagCollector()
    collector.feed(response.content.decode())
    return [attrs for tag, attrs in collector.tags if tag == name]


def csp_directives(response):
    header = response.headers["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (directive.split() for directive in header.split(";"))
        if name
    }


@pytest.fixture
def public_pages(db):
    """One address of each public page type, keyed by a readable name."""
    section = SectionFactory(name="Politics", slug="politics")
    tag = TagFactory(slug="budget")
    author = AuthorFactory(slug="olena-kovalenko")
    article = ArticleFactory(published=True, section=section, tags=[tag], authors=[author])
    return {
        "home": "/",
        "news feed": "/news/",
        "article": article.get_absolute_url(),
        "section": section.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "author": author.get_absolute_url(),
    }


HTML_PAGES = ["home", "news feed", "article", "section", "tag", "author"]


# robots.txt and the sitemap -------------------------------------------------------------


@pytest.mark.django_db
def test_robots_txt_is_plain_text_naming_the_sitemap_and_keeping_crawlers_out_of_admin(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /staff/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


@pytest.mark.django_db
def test_sitemap_is_well_formed_xml_listing_authors_sections_tags_and_live_stories(client):
    section = SectionFactory(slug="politics")
    tag = TagFactory(slug="budget")
    author = AuthorFactory(slug="olena-kovalenko")
    former = AuthorFactory(slug="taras-melnyk", is_active=False)
    live = ArticleFactory(published=True, section=section, slug="budget-agreed")
    ArticleFactory(section=section, slug="unfinished-draft")
    ArticleFactory(scheduled=True, section=section, slug="embargoed-story")

    response = client.get("/sitemap.xml")

    # /sitemap.xml is the index; the entries are in the sitemaps it lists.
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/xml"
    root = ET.fromstring(response.content)  # noqa: S314 - our own sitemap, not untrusted XML
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    locations = set()
    for sitemap in root.findall("sm:sitemap/sm:loc", SITEMAP_NS):
        part = client.get(sitemap.text)
        assert part.headers["Content-Type"] == "application/xml"
        part_root = ET.fromstring(part.content)  # noqa: S314 - our own sitemap
        assert part_root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
        locations |= {loc.text for loc in part_root.findall("sm:url/sm:loc", SITEMAP_NS)}
    assert locations == {
        f"http://testserver{page.get_absolute_url()}"
        for page in [section, tag, author, former, live]
    } | {"http://testserver/", "http://testserver/news/", "http://testserver/corrections/"}


# Error pages ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_404_page_uses_the_site_design(client, settings):
    SectionFactory(name="Politics")

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assertTemplateUsed(response, "404.html")
    assertTemplateUsed(response, "base.html")
    assertContains(response, settings.NEWSROOM_SITE_NAME, status_code=404)
    assertContains(response, '<nav class="site-nav" aria-label="Sections">', status_code=404)
    assertContains(response, "Politics", status_code=404)
    assertContains(response, "We couldn’t find that page", status_code=404)


@pytest.mark.django_db
def test_400_page_uses_the_site_design(client, settings):
    response = client.get("/news/", {"before": "not-a-cursor"})

    assert response.status_code == 400
    assertTemplateUsed(response, "400.html")
    assertContains(response, settings.NEWSROOM_SITE_NAME, status_code=400)
    assertContains(response, "That address didn’t work", status_code=400)


@pytest.mark.django_db
def test_403_page_uses_the_site_design(profile_manager_client, settings):
    response = profile_manager_client.get("/admin/articles/article/")

    assert response.status_code == 403
    assertTemplateUsed(response, "403.html")
    assertContains(response, settings.NEWSROOM_SITE_NAME, status_code=403)
    assertContains(response, "You can’t do that here", status_code=403)


class Boom(Exception):
    pass


@pytest.mark.django_db
def test_500_page_is_the_static_error_template(client, settings, monkeypatch):
    settings.DEBUG = False

    def explode(*args, **kwargs):
        raise Boom("the database fell over")

    # The home view renders through this name; the error handler does not.
    monkeypatch.setattr("newsroom.views.render", explode)
    client.raise_request_exception = False

    response = client.get("/")

    assert response.status_code == 500
    assertTemplateUsed(response, "500.html")
    assertContains(response, "Something went wrong on our side", status_code=500)
    assert "the database fell over" not in response.content.decode()
    assert "Traceback" not in response.content.decode()


# The base template -----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("page_name", HTML_PAGES)
def test_every_page_has_landmarks_a_skip_link_and_a_language(client, public_pages, page_name):
    response = client.get(public_pages[page_name])

    assert response.status_code == 200
    assert start_tags(response, "html") == [{"lang": "en"}]
    assert len(start_tags(response, "header")) >= 1
    assert len(start_tags(response, "footer")) >= 1
    assert any(nav.get("aria-label") for nav in start_tags(response, "nav"))
    assert all(nav.get("aria-label") for nav in start_tags(response, "nav"))
    assert [main.get("id") for main in start_tags(response, "main")] == ["main"]
    first_link = start_tags(response, "a")[0]
    assert first_link == {"class": "skip-link", "href": "#main"}


@pytest.mark.django_db
@pytest.mark.parametrize("page_name", HTML_PAGES)
def test_every_page_loads_its_styles_and_scripts_from_our_own_static_files(
    client, public_pages, page_name
):
    response = client.get(public_pages[page_name])

    stylesheets = [
        link["href"] for link in start_tags(response, "link") if link.get("rel") == "stylesheet"
    ]
    scripts = [
        script.get("src")
        for script in start_tags(response, "script")
        # JSON-LD structured data is a data block that browsers never run.
        if script != {"type": "application/ld+json"}
    ]
    assert "/static/css/site.css" in stylesheets
    assert scripts
    for address in [*stylesheets, *scripts]:
        assert address is not None, "inline script"
        assert address.startswith("/static/"), address
        assert not address.startswith(("http:", "https:", "//")), address


# Security headers -----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("page_name", HTML_PAGES)
def test_public_pages_send_a_content_security_policy_without_inline_script(
    client, public_pages, page_name
):
    policy = csp_directives(client.get(public_pages[page_name]))

    assert "'self'" in policy["script-src"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    # Anything not named falls back to our own origin at most: no wildcard, no CDN.
    assert policy["default-src"] in (["'none'"], ["'self'"])
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]


@pytest.mark.django_db
@pytest.mark.parametrize("page_name", ["home", "author"])
def test_public_pages_allow_only_the_sites_own_script_files(client, public_pages, page_name):
    # Every script is a static file: no nonce, so pages stay cacheable by a shared cache.
    policy = csp_directives(client.get(public_pages[page_name]))

    assert policy["script-src"] == ["'self'"]


@pytest.mark.django_db
def test_error_pages_send_the_content_security_policy_too(client):
    response = client.get("/no-such-page/")

    assert "'unsafe-inline'" not in csp_directives(response)["script-src"]


@pytest.mark.django_db
@pytest.mark.parametrize("page_name", HTML_PAGES)
def test_public_pages_send_the_basic_security_headers(client, public_pages, page_name):
    response = client.get(public_pages[page_name])

    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


# Production settings ----------------------------------------------------------------------


def manage(*args, **environment):
    """Run manage.py in a fresh interpreter with only these DJANGO_* variables set."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "NEWSROOM_"))
    }
    env.update(DJANGO_SETTINGS_MODULE="newsroom.settings", **environment)
    return subprocess.run(  # noqa: S603 - fixed arguments, our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_ALLOWED_HOSTS": "news.example.com",
    "DJANGO_ENV": "production",
}


def test_deploy_checks_pass_with_production_environment():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY=get_random_secret_key(),
        **PRODUCTION,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", **PRODUCTION)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production." in result.stderr
