"""What staff see in a real browser (Debian's chromium through Playwright): the admin's forms in Arabic, English
and Hebrew. Fixtures (browser, page, allmep_site) are in conftest.py; screenshots go to screenshots/ for people
to look at."""

from pathlib import Path

import pytest
from django.contrib.auth.models import User

from organizations.models import Organization

LANGUAGES = ["ar", "en", "he"]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"
PASSWORD = "a-long-staff-password-1"


@pytest.fixture
def staff_site(allmep_site):
    User.objects.create_superuser("boss", "boss@example.org", PASSWORD)
    return allmep_site.url


def log_in(page, base, language):
    page.goto(f"{base}/{language}/admin/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/{language}/admin/")


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_citations_table_stays_inside_its_column_at_1280px(staff_site, page, language):
    coalition = Organization.objects.get(slug="allmep")
    log_in(page, staff_site, language)
    page.goto(f"{staff_site}/{language}/admin/organizations/organization/{coalition.pk}/change/")
    citations = page.locator(".inline-group[id^='citations-']")
    citations.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(exist_ok=True)
    citations.screenshot(path=SCREENSHOTS / f"admin-citations-{language}-1280.png")
    column = page.locator("#content-main").bounding_box()
    fieldset = citations.locator("fieldset").first
    table = citations.locator("table").first.bounding_box()
    assert fieldset.evaluate("element => element.scrollWidth <= element.clientWidth"), "the table scrolls sideways"
    assert column["x"] - 1 <= table["x"] and table["x"] + table["width"] <= column["x"] + column["width"] + 1
    # Every column is on screen: the position and the delete box too.
    for cell in ("td.field-position input", "td.delete input"):
        box = citations.locator(cell).first.bounding_box()
        assert column["x"] <= box["x"] and box["x"] + box["width"] <= column["x"] + column["width"], cell
