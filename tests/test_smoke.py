import pytest

from tests.factories import ArticleFactory, AuthorFactory


@pytest.mark.django_db
def test_home_page_lists_a_published_story(client):
    article = ArticleFactory(published=True, authors=[AuthorFactory()])
    response = client.get("/")
    assert response.status_code == 200
    assert article.title in response.content.decode()
