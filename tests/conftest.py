import os
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL; .ci/run runs this on PostgreSQL")


# Browser tests (tests/browser/): Debian's chromium driven by Playwright against pytest-django's live server.

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def missing_tool(reason):
    """Skip a test for a tool this machine lacks; in CI (ALLMEP_REQUIRE_BROWSER=1, set by .ci/run) fail instead,
    so a machine without the browser or Java cannot pass by skipping."""
    if os.environ.get("ALLMEP_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (ALLMEP_REQUIRE_BROWSER=1)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """One chromium for the whole session."""
    if not os.path.exists(CHROMIUM):
        missing_tool(f"no {CHROMIUM}: apt-get install chromium (bin/test does it as root)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread, and Django refuses database
    # access from a thread with a running loop (SynchronousOnlyOperation), including the flush that ends
    # each transactional test. Nothing here is really async, so that check is switched off while the
    # browser lives.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    """A fresh tab (own cookies and viewport) in the session's browser, desktop-sized."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


@pytest.fixture
def allmep_site(live_server):
    """The live server with the ALLMEP dataset loaded (the live server's database is flushed after each test)."""
    call_command("load_allmep", stdout=StringIO())
    return live_server
