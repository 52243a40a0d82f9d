import pytest
from django.core.cache import cache

from tests.factories import AuthorFactory, UserFactory, create_newsroom_groups


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """A reused test database may have been flushed by live-server tests: restore the staff
    groups that the data migration made."""
    with django_db_blocker.unblock():
        create_newsroom_groups()


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Plain HTTP, fast hashing, throwaway media and static storage without a manifest."""
    settings.SECURE_SSL_REDIRECT = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Local memory outlives a test: start each one with nothing cached. The page cache, the
    # fragment cache and stored stories are off unless a test turns them on
    # (tests/test_cache.py, tests/test_fragments.py, tests/articles/test_caching.py,
    # tests/articles/test_stored_stories.py), so other tests see every change at once.
    cache.clear()
    settings.NEWSROOM_PAGE_CACHE = False
    settings.NEWSROOM_FRAGMENT_CACHE = False
    settings.NEWSROOM_STORED_STORIES = False


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", groups=["Editors"])


@pytest.fixture
def reporter(db):
    return UserFactory(username="reporter", groups=["Reporters"])


@pytest.fixture
def profile_manager(db):
    return UserFactory(username="profiles", groups=["Profile managers"])


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reporter_client(client, reporter):
    client.force_login(reporter)
    return client


@pytest.fixture
def reporter_author(reporter):
    """The author profile linked to the `reporter` login."""
    return AuthorFactory(user=reporter, name="Rita Reporter", slug="rita-reporter")


@pytest.fixture
def profile_manager_client(client, profile_manager):
    client.force_login(profile_manager)
    return client
