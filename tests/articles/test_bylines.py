"""Byline roles: writers form the byline and the author cards, everyone else is credited
under it, and one contributor list (Article.writers / Article.credits) drives every place a
name appears on the site."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, Byline
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    BylineFactory,
    SectionFactory,
    UserFactory,
)

CREDIT_PHRASES = {
    Byline.Role.ADDITIONAL_REPORTING: "Additional reporting by",
    Byline.Role.PHOTOGRAPHER: "Photos by",
    Byline.Role.VIDEO: "Video by",
    Byline.Role.ILLUSTRATOR: "Illustrations by",
    Byline.Role.TRANSLATOR: "Translated by",
    Byline.Role.EDITOR: "Edited by",
}
CARD_NAME = re.compile(r'<p class="author-card-name"><a href="/authors/([^/"]+)/">')


def credited(article, *people):
    """Add `people`, (name, role) pairs, to `article` in that order; return the authors."""
    authors = []
    for position, (name, role) in enumerate(people):
        author = AuthorFactory(name=name, slug=name.lower().replace(" ", "-"))
        BylineFactory(article=article, author=author, role=role, position=position)
        authors.append(author)
    return authors


def card_slugs(response):
    return CARD_NAME.findall(response.content.decode())


def between(html, start, end):
    return html.split(start, 1)[1].split(end, 1)[0]


# The model --------------------------------------------------------------------------------


def test_every_role_but_writer_has_a_credit_line():
    assert set(Byline.CREDIT_LINES) == set(Byline.Role) - {Byline.Role.WRITER}


@pytest.mark.django_db
def test_a_new_byline_is_a_writer():
    byline = BylineFactory.build(role=Byline._meta.get_field("role").default)

    assert byline.role == Byline.Role.WRITER
    assert ArticleFactory(authors=[AuthorFactory()]).bylines.get().role == Byline.Role.WRITER


@pytest.mark.django_db
def test_writers_are_only_the_writer_bylines_in_byline_order():
    article = ArticleFactory(published=True)
    zoe, ana, adam = credited(
        article,
        ("Zoe", Byline.Role.WRITER),
        ("Ana", Byline.Role.PHOTOGRAPHER),
        ("Adam", Byline.Role.WRITER),
    )

    assert article.writers == [zoe, adam]
    assert article.credits == [("Photos by", [ana])]


@pytest.mark.django_db
def test_credits_follow_the_role_order_and_group_people_with_the_same_role():
    article = ArticleFactory(published=True)
    translator, photo_one, editor, photo_two, reporting = credited(
        article,
        ("Tess", Byline.Role.TRANSLATOR),
        ("Pia", Byline.Role.PHOTOGRAPHER),
        ("Ed", Byline.Role.EDITOR),
        ("Pat", Byline.Role.PHOTOGRAPHER),
        ("Rae", Byline.Role.ADDITIONAL_REPORTING),
    )

    assert article.credits == [
        ("Additional reporting by", [reporting]),
        ("Photos by", [photo_one, photo_two]),
        ("Translated by", [translator]),
        ("Edited by", [editor]),
    ]
    assert article.writers == []


@pytest.mark.django_db
def test_writers_and_credits_share_one_prefetch_of_the_bylines(django_assert_num_queries):
    article = ArticleFactory(published=True)
    credited(article, ("Zoe", Byline.Role.WRITER), ("Ana", Byline.Role.PHOTOGRAPHER))

    # the article; its tags; its bylines with authors; the authors' links; the body's
    # photos (added with the photo library); its corrections
    with django_assert_num_queries(6):
        story = Article.objects.for_detail().get(pk=article.pk)
        story.writers, story.credits  # noqa: B018
    with django_assert_num_queries(0):
        story.writers, story.credits  # noqa: B018


# The article page -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(CREDIT_PHRASES), ids=str)
def test_each_role_is_credited_under_the_byline_and_not_in_it(client, role):
    article = ArticleFactory(published=True)
    credited(article, ("Zoe Zed", Byline.Role.WRITER), ("Ana Kovac", role))

    response = client.get(article.get_absolute_url())

    assertContains(
        response, '<p class="byline">By <a href="/authors/zoe-zed/">Zoe Zed</a></p>', html=True
    )
    assertContains(
        response,
        f'<p class="credits">{CREDIT_PHRASES[role]} '
        '<a href="/authors/ana-kovac/">Ana Kovac</a>.</p>',
        html=True,
    )


@pytest.mark.django_db
def test_several_credits_read_as_sentences(client):
    article = ArticleFactory(published=True)
    credited(
        article,
        ("Zoe Zed", Byline.Role.WRITER),
        ("Ana Kovac", Byline.Role.PHOTOGRAPHER),
        ("Rae Ray", Byline.Role.ADDITIONAL_REPORTING),
        ("Pat Pym", Byline.Role.PHOTOGRAPHER),
        ("Ivo Ide", Byline.Role.ADDITIONAL_REPORTING),
        ("Tess Toy", Byline.Role.ADDITIONAL_REPORTING),
    )

    response = client.get(article.get_absolute_url())

    assertContains(
        response,
        '<p class="credits">Additional reporting by <a href="/authors/rae-ray/">Rae Ray</a>, '
        '<a href="/authors/ivo-ide/">Ivo Ide</a> and <a href="/authors/tess-toy/">Tess Toy</a>. '
        'Photos by <a href="/authors/ana-kovac/">Ana Kovac</a> and '
        '<a href="/authors/pat-pym/">Pat Pym</a>.</p>',
        html=True,
    )


@pytest.mark.django_db
def test_a_story_with_only_writers_has_no_credit_line(client):
    article = ArticleFactory(published=True, authors=[AuthorFactory()])

    assertNotContains(client.get(article.get_absolute_url()), 'class="credits"')


@pytest.mark.django_db
def test_a_story_without_writers_still_credits_its_photographer(client):
    article = ArticleFactory(published=True, kind=Article.Kind.NEWS)
    credited(article, ("Ana Kovac", Byline.Role.PHOTOGRAPHER))

    response = client.get(article.get_absolute_url())

    assertNotContains(response, 'class="byline"')
    assertNotContains(response, 'class="author-card"')
    assertContains(response, '<p class="credits">Photos by')


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 3])
def test_co_authors_reach_the_byline_and_the_cards_in_order(client, count):
    names = ["Carol Cole", "Alice Ames", "Bob Bell"][:count]
    article = ArticleFactory(published=True)
    credited(
        article,
        ("Ana Kovac", Byline.Role.PHOTOGRAPHER),
        *((name, Byline.Role.WRITER) for name in names),
        ("Ed Eke", Byline.Role.EDITOR),
    )
    slugs = [name.lower().replace(" ", "-") for name in names]
    links = [
        f'<a href="/authors/{slug}/">{name}</a>' for slug, name in zip(slugs, names, strict=True)
    ]
    expected = " and ".join(links) if count == 2 else f"{links[0]}, {links[1]} and {links[2]}"

    response = client.get(article.get_absolute_url())

    assertContains(response, f'<p class="byline">By {expected}</p>', html=True)
    assert card_slugs(response) == slugs
    assertContains(response, 'aria-label="About the authors"')


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 3])
def test_co_authors_reach_the_listing_cards_without_the_other_credits(client, count):
    section = SectionFactory()
    article = ArticleFactory(published=True, section=section)
    names = ["Carol Cole", "Alice Ames", "Bob Bell"][:count]
    credited(
        article,
        *((name, Byline.Role.WRITER) for name in names),
        ("Ana Kovac", Byline.Role.PHOTOGRAPHER),
    )

    response = client.get(section.get_absolute_url())

    byline = between(response.content.decode(), '<p class="byline">', "</p>")
    assert re.findall(r">([^<]+)</a>", byline) == names
    assertNotContains(response, "Ana Kovac")


@pytest.mark.django_db
def test_a_photographer_is_not_carded_on_the_article_page(client):
    article = ArticleFactory(published=True)
    credited(article, ("Zoe Zed", Byline.Role.WRITER), ("Ana Kovac", Byline.Role.PHOTOGRAPHER))

    response = client.get(article.get_absolute_url())

    assert card_slugs(response) == ["zoe-zed"]
    assertContains(response, 'aria-label="About the author"')


@pytest.mark.django_db
def test_a_guest_writer_is_marked_as_a_contributor_on_their_card(client):
    staff = AuthorFactory(name="Staff Writer", slug="staff", user=UserFactory())
    guest = AuthorFactory(name="Guest Writer", slug="guest")
    article = ArticleFactory(published=True, authors=[staff, guest])

    page = client.get(article.get_absolute_url()).content.decode()

    cards = page.split('<div class="author-card">')[1:]
    assert '<p class="author-guest">Contributor</p>' not in cards[0]
    assert '<p class="author-guest">Contributor</p>' in cards[1]


def page_queries(client, article):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(article.get_absolute_url()).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_the_article_page_query_count_does_not_grow_with_contributors(client):
    few = ArticleFactory(published=True)
    credited(few, ("A One", Byline.Role.WRITER), ("B One", Byline.Role.PHOTOGRAPHER))
    many = ArticleFactory(published=True)
    roles = [*Byline.Role, *Byline.Role]
    credited(many, *((f"{role} {n}", role) for n, role in enumerate(roles, start=1)))

    assert page_queries(client, many) == page_queries(client, few)


# The admin --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_byline_inline_offers_a_role_for_each_contributor(editor_client):
    article = ArticleFactory(authors=[AuthorFactory()])

    response = editor_client.get(f"/admin/articles/article/{article.pk}/change/")

    assertContains(response, 'name="bylines-0-role"')
    assertContains(response, '<option value="photographer">Photographer</option>', html=True)
    assertContains(response, '<option value="writer" selected>Writer</option>', html=True)


@pytest.mark.django_db
def test_an_editor_credits_a_photographer_in_the_admin(editor_client):
    writer, photographer = AuthorFactory(), AuthorFactory()
    article = ArticleFactory(authors=[writer])
    byline = article.bylines.get()
    response = editor_client.get(f"/admin/articles/article/{article.pk}/change/")
    data = {
        key: value
        for key, value in response.context["adminform"].form.initial.items()
        if isinstance(value, str | int)
    }
    data.update(
        {
            "title": article.title,
            "slug": article.slug,
            "kind": article.kind,
            "section": article.section_id,
            "body": article.body,
            "status": "draft",
            "bylines-TOTAL_FORMS": "2",
            "bylines-INITIAL_FORMS": "1",
            "bylines-MIN_NUM_FORMS": "0",
            "bylines-MAX_NUM_FORMS": "1000",
            "bylines-0-id": byline.pk,
            "bylines-0-article": article.pk,
            "bylines-0-author": writer.pk,
            "bylines-0-role": "writer",
            "bylines-0-position": "0",
            "bylines-1-article": article.pk,
            "bylines-1-author": photographer.pk,
            "bylines-1-role": "photographer",
            "bylines-1-position": "1",
            # The corrections inline (none written here).
            "corrections-TOTAL_FORMS": "0",
            "corrections-INITIAL_FORMS": "0",
            "body_images-TOTAL_FORMS": "0",
            "body_images-INITIAL_FORMS": "0",
            "_save": "Save",
        }
    )

    response = editor_client.post(f"/admin/articles/article/{article.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.for_detail().get(pk=article.pk)
    assert article.writers == [writer]
    assert article.credits == [("Photos by", [photographer])]
