"""Shared fixtures: the real vocabularies loaded once per run, and a real headless Chromium."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from stocktake.vocabularies.models import Scheme
from stocktake.vocabularies.services import vocabulary_load_all

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser")
SCREENSHOT_DIR = settings.VAR_DIR / "screenshots"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real vocabularies into the test database once, through the real service."""
    with django_db_blocker.unblock():
        vocabulary_load_all()


@pytest.fixture
def vocabularies(db):
    """The loaded vocabularies; reloaded if a transactional test has flushed them."""
    if not Scheme.objects.exists():
        vocabulary_load_all()


@pytest.fixture
def transactional_vocabularies(transactional_db):
    vocabulary_load_all()


def _chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if Path(configured).exists() else None
    for name in CHROMIUM_CANDIDATES:
        if found := shutil.which(name):
            return found
    return None


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright. Skips without one, except under CI."""
    executable = _chromium_path()
    if executable is None:
        message = (
            "No Chromium found (looked for `chromium` on PATH or CHROMIUM_PATH): "
            "install Debian's chromium package to run the browser tests."
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the Django ORM calls made by
    # the test itself are synchronous and safe here.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        instance = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request in another language leaves it
    active in the thread, and a later test must not depend on which ran before."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rate limits (API requests, failed logins per
    address) count in it, and one test's requests must not count against another's."""
    cache.clear()
    yield
