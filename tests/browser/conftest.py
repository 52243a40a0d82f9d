import os

import pytest
from django.conf import settings
from django.test import override_settings

from tests.factories import create_newsroom_groups
from tests.gates import ARTIFACTS, CHROMIUM, require

# Sync Playwright runs an event loop in the test thread; the ORM calls made by fixtures there
# are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WIDTHS = {"phone": 390, "desktop": 1280}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def _plain_http_live_server():
    """The live server speaks plain HTTP on localhost. Its middleware is built once, when it
    starts, so these settings must be in place before the session-wide live_server."""
    plain = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(
        SECURE_SSL_REDIRECT=False,
        SECURE_HSTS_SECONDS=0,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
        STORAGES=plain,
    ):
        yield


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    require(CHROMIUM, "Chromium (Debian package `chromium`)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def screenshot():
    """Save a full-page screenshot as a CI artifact: screenshot(page, "home-phone")."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)

    return take


@pytest.fixture(autouse=True)
def newsroom_groups(transactional_db):
    """Live-server tests flush the database afterwards, which also removes the groups that a
    data migration created; put them back before each one."""
    create_newsroom_groups()
