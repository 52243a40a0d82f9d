import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from authors.models import Author, AuthorChange, AuthorLink, AuthorMerge, AuthorSlugRedirect
from newsroom.uploads import UploadTo, validate_upload_size
from tests.factories import AuthorFactory, AuthorLinkFactory

GENERATED_NAME = re.compile(r"authors/2025/03/[0-9a-f]{32}(\.[a-z]+)")


def test_an_author_reads_as_their_name():
    assert str(AuthorFactory.build(name="Olena Kovalenko")) == "Olena Kovalenko"


def test_an_author_page_address_is_built_from_the_slug():
    author = AuthorFactory.build(slug="olena-kovalenko")

    assert author.get_absolute_url() == "/authors/olena-kovalenko/"


@pytest.mark.django_db
def test_active_leaves_out_former_contributors():
    current = AuthorFactory()
    AuthorFactory(is_active=False)

    assert list(Author.objects.active()) == [current]


@pytest.mark.parametrize(
    ("uploaded_name", "extension"),
    [
        ("portrait.png", ".png"),
        ("PORTRAIT.PNG", ".png"),
        ("IMG_0042.jpeg", ".jpg"),
        ("IMG_0042.JPEG", ".jpg"),
        ("holiday.JPG", ".jpg"),
        ("photo.webp", ".webp"),
        ("animation.gif", ".gif"),
        ("../../etc/passwd.jpg", ".jpg"),
        ("..\\..\\windows\\win.ini.png", ".png"),
        ("/absolute/path/to/photo.png", ".png"),
        ("vector.svg", ".img"),
        ("script.php", ".img"),
        ("photo.jpg.php", ".img"),
        ("no-extension", ".img"),
        ("Фото редакції.png", ".png"),
    ],
)
def test_upload_names_are_generated_never_taken_from_the_upload(uploaded_name, extension):
    with time_machine.travel(datetime(2025, 3, 15, 12, tzinfo=UTC), tick=False):
        stored = UploadTo("authors")(AuthorFactory.build(), uploaded_name)

    match = GENERATED_NAME.fullmatch(stored)
    assert match, stored
    assert match[1] == extension
    assert ".." not in stored
    assert "passwd" not in stored


def test_two_uploads_with_the_same_name_get_different_names():
    upload_to = UploadTo("authors")

    assert upload_to(None, "portrait.jpg") != upload_to(None, "portrait.jpg")


# Stored names, sizes and refused files of author photos: they are library photos now
# (tests/photos/test_uploads.py).


def test_an_upload_over_the_size_limit_is_refused_with_both_sizes_in_the_message(settings):
    settings.NEWSROOM_MAX_UPLOAD_BYTES = 1024
    upload = SimpleUploadedFile("big.jpg", b"x" * 2048)

    with pytest.raises(ValidationError) as refused:
        validate_upload_size(upload)

    assert refused.value.code == "file_too_large"
    # filesizeformat keeps the number and its unit together with a no-break space.
    assert refused.value.messages == [
        "This file is 2.0\xa0KB; the largest accepted upload is 1.0\xa0KB."
    ]


def test_an_upload_exactly_at_the_size_limit_is_accepted(settings):
    settings.NEWSROOM_MAX_UPLOAD_BYTES = 1024

    validate_upload_size(SimpleUploadedFile("ok.jpg", b"x" * 1024))


@pytest.mark.django_db
def test_an_author_cannot_list_the_same_link_twice():
    link = AuthorLinkFactory(url="https://olena.example.org/")

    with pytest.raises(IntegrityError), transaction.atomic():
        AuthorLinkFactory(author=link.author, url="https://olena.example.org/")

    assert AuthorLink.objects.count() == 1


@pytest.mark.django_db
def test_two_authors_may_share_a_link_address():
    AuthorLinkFactory(url="https://newsroom.example.org/team/")
    AuthorLinkFactory(url="https://newsroom.example.org/team/")

    assert AuthorLink.objects.filter(url="https://newsroom.example.org/team/").count() == 2


def test_a_link_reads_as_its_kind_and_address():
    link = AuthorLinkFactory.build(kind=AuthorLink.Kind.BLUESKY, url="https://bsky.app/x")

    assert str(link) == "Bluesky: https://bsky.app/x"


# Profile fields ---------------------------------------------------------------------------

# Hostile long-bio input: whatever the editor or a crafted request sends, none of these may
# survive a save as markup that runs script.
XSS_CORPUS = [
    "<script>alert(1)</script>",
    "<p>Hi<script>alert(document.cookie)</script></p>",
    '<img src=x onerror="alert(1)">',
    '<p onclick="alert(1)">Click</p>',
    '<a href="javascript:alert(1)">link</a>',
    '<a href="JaVaScRiPt:alert(1)">link</a>',
    '<a href=" javascript:alert(1)">link</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">link</a>',
    '<svg onload="alert(1)"><circle/></svg>',
    '<iframe src="https://evil.example/"></iframe>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    "<style>body{display:none}</style>",
    '<form action="https://evil.example/"><input name="q"></form>',
    '<math><mtext><table><mglyph><style><img src=x onerror="alert(1)">',
    '<a href="https://ok.example/" onmouseover="alert(1)">ok</a>',
    "<object data='x.swf'></object><embed src='x.swf'>",
]
DANGEROUS = re.compile(
    r"<script|<iframe|<svg|<style|<object|<embed|<form|<img|\son\w+=|javascript:|data:", re.I
)


@pytest.mark.django_db
@pytest.mark.parametrize("html", XSS_CORPUS)
def test_a_saved_long_bio_never_keeps_script(html):
    author = AuthorFactory(long_bio=html)
    author.refresh_from_db()

    assert not DANGEROUS.search(author.long_bio), author.long_bio


@pytest.mark.django_db
def test_a_long_bio_keeps_the_formatting_its_editor_offers():
    html = (
        "<p>I cover <strong>courts</strong> and <em>crime</em>.<br>Tips: "
        '<a href="https://tips.example/">the tips page</a></p><ul><li><p>Ukrainian</p></li></ul>'
    )

    author = AuthorFactory(long_bio=html)

    assert author.long_bio == html


@pytest.mark.django_db
def test_a_long_bio_loses_what_its_editor_does_not_offer():
    author = AuthorFactory(
        long_bio="<h2>Heading</h2><p>Text <u>under</u></p><blockquote>q</blockquote>"
    )

    assert author.long_bio == "Heading<p>Text under</p>q"


@pytest.mark.django_db
def test_an_empty_editor_paragraph_is_an_empty_long_bio():
    assert AuthorFactory(long_bio="<p></p>").long_bio == ""


@pytest.mark.parametrize(
    "contact",
    ["tips@newsroom.example", "https://newsroom.example/tips", "http://signal.example/x"],
)
def test_public_contact_accepts_an_email_or_a_web_address(contact):
    author = AuthorFactory.build(public_contact=contact)

    author.clean_fields(exclude=["slug"])


@pytest.mark.parametrize(
    "contact",
    ["javascript:alert(1)", "not an address", "ftp://files.example/", "tips@", "@handle"],
)
def test_public_contact_refuses_anything_else(contact):
    author = AuthorFactory.build(public_contact=contact)

    with pytest.raises(ValidationError) as refused:
        author.clean_fields(exclude=["slug"])

    assert "public_contact" in refused.value.message_dict


@pytest.mark.parametrize(
    ("contact", "url"),
    [
        ("tips@newsroom.example", "mailto:tips@newsroom.example"),
        ("https://newsroom.example/tips", "https://newsroom.example/tips"),
        ("", ""),
    ],
)
def test_public_contact_becomes_a_link(contact, url):
    assert AuthorFactory.build(public_contact=contact).public_contact_url == url


@pytest.mark.parametrize(
    "url", ["ftp://files.example/cv.pdf", "javascript:alert(1)", "mailto:a@b.example"]
)
def test_a_link_must_be_a_web_address(url):
    link = AuthorLinkFactory.build(url=url)

    with pytest.raises(ValidationError) as refused:
        link.clean_fields(exclude=["author"])

    assert "url" in refused.value.message_dict


def test_an_author_without_a_login_is_a_guest_contributor(django_user_model):
    assert AuthorFactory.build().is_guest
    assert not AuthorFactory.build(user=django_user_model(pk=1)).is_guest


@pytest.mark.django_db
def test_the_team_order_is_desk_then_name_with_no_desk_last():
    for name, desk in [("Zed", "Politics"), ("Amy", ""), ("Bob", "Business"), ("Ann", "Politics")]:
        AuthorFactory(name=name, desk=desk)

    team = Author.objects.for_team()

    assert [(author.desk, author.name) for author in team] == [
        ("Business", "Bob"),
        ("Politics", "Ann"),
        ("Politics", "Zed"),
        ("", "Amy"),
    ]


@pytest.mark.django_db
def test_a_redirect_and_a_merge_read_as_what_they_record():
    author = AuthorFactory(name="Olena Kovalenko", slug="olena-kovalenko")

    assert str(AuthorSlugRedirect(old_slug="o-kovalenko", author=author)) == (
        "o-kovalenko → olena-kovalenko"
    )
    assert str(AuthorMerge(kept=author, removed_name="O. Kovalenko")) == (
        "O. Kovalenko merged into Olena Kovalenko"
    )
    assert str(AuthorChange(author=author, changes={"bio": ["a", "b"], "links": [[], []]})) == (
        "Olena Kovalenko: bio, links"
    )
