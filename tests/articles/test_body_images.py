"""Library photos placed inside a story's body, after one of its paragraphs."""

from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import BodyImage, top_level_blocks
from tests.factories import ArticleFactory, ImageFactory

BODY = "<p>One.</p><h2>Two</h2><ul><li><p>Three</p></li></ul><blockquote><p>Four.</p></blockquote>"


def test_the_body_splits_into_its_top_level_blocks():
    assert top_level_blocks(BODY) == [
        "<p>One.</p>",
        "<h2>Two</h2>",
        "<ul><li><p>Three</p></li></ul>",
        "<blockquote><p>Four.</p></blockquote>",
    ]


def test_a_break_rule_and_quoted_angle_brackets_do_not_confuse_the_split():
    body = '<p>A <a href="https://example.org/?q=a>b">link</a><br>line</p><hr><p>B</p>'

    assert top_level_blocks(body) == [
        '<p>A <a href="https://example.org/?q=a>b">link</a><br>line</p>',
        "<hr>",
        "<p>B</p>",
    ]


@pytest.mark.django_db
def test_photos_are_printed_after_the_paragraph_they_were_placed_after(client):
    article = ArticleFactory(published=True, body=BODY)
    second = ImageFactory(alt_text="After two", credit="Desk A")
    last = ImageFactory(alt_text="At the end", credit="Desk B")
    BodyImage.objects.create(article=article, image=second, after_paragraph=2)
    BodyImage.objects.create(article=article, image=last, after_paragraph=99)

    html = client.get(article.get_absolute_url()).content.decode()
    body = html.split('<div class="story-body">')[1].split("</div>")[0]

    order = [body.index(marker) for marker in ["One.", "Two", 'alt="After two"', "Three"]]
    assert order == sorted(order)
    assert body.index("Four.") < body.index('alt="At the end"')
    assert body.count('loading="lazy"') == 2


@pytest.mark.django_db
def test_a_body_photo_prints_its_caption_and_always_its_credit(client):
    article = ArticleFactory(published=True, body=BODY)
    photo = ImageFactory(caption="The library caption", credit="Ana Kovac / Photo Desk")
    BodyImage.objects.create(article=article, image=photo, caption="This story's caption")
    BodyImage.objects.create(article=article, image=ImageFactory(caption="", credit="Agency"))

    response = client.get(article.get_absolute_url())

    assertContains(
        response,
        '<figcaption>This story\'s caption <span class="credit">(Ana Kovac / Photo Desk)'
        "</span></figcaption>",
        html=True,
    )
    assertContains(
        response, '<figcaption> <span class="credit">(Agency)</span></figcaption>', html=True
    )
    assertNotContains(response, "The library caption")


@pytest.mark.django_db
def test_a_body_photo_whose_usage_expired_is_left_out(client):
    article = ArticleFactory(published=True, body=BODY)
    photo = ImageFactory(usage_expires=timezone.localdate() - timedelta(days=1), credit="Old")
    BodyImage.objects.create(article=article, image=photo)

    response = client.get(article.get_absolute_url())

    assertNotContains(response, "body-figure")
    assertNotContains(response, "(Old)")
    assertContains(response, "<p>One.</p>", html=True)
