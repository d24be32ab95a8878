import os
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections


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


def pytest_collection_modifyitems(items):
    # pytest-django creates the test database only for a session with a test marked for it; a test that
    # reads through `allmep_site_to_read` is one (its own queries roll back, as in any `db` test).
    for item in items:
        if "allmep_site_to_read" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(scope="module")
def allmep_site_to_read(django_db_setup, django_db_blocker):
    """A live server with the ALLMEP dataset and one edited person, loaded once for a whole module whose
    tests only read (look, click links, keep choices in the browser), where `allmep_site` loads and flushes
    the dataset for every test, about 2.5 s each. Returns (server, person). Writing through it is an error:
    the module's other tests would see the change, so the revision count is checked at the end. The
    database is flushed afterwards, as a transactional test leaves it."""
    from pytest_django.live_server_helper import LiveServer
    from reversion.models import Revision

    from tests.factories import edit_a_person

    with django_db_blocker.unblock():
        call_command("load_allmep", stdout=StringIO())
        person = edit_a_person()
        revisions = Revision.objects.count()
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield server, person
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            written = Revision.objects.count() - revisions
            call_command("flush", interactive=False, stdout=StringIO())
            # On PostgreSQL the connection opened here stayed open after the server stopped and kept the
            # test database from being dropped at the end of the session.
            connections.close_all()
        assert not written, f"a test wrote {written} revision(s) through allmep_site_to_read; use allmep_site"
