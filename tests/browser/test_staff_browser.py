"""What staff see in a real browser (Debian's chromium through Playwright), in Arabic, English and Hebrew: the
admin's forms, and a draft previewed on its public page. Fixtures (browser, page, allmep_site) are in conftest.py;
screenshots go to screenshots/ for people to look at."""

from pathlib import Path

import pytest
from django.contrib.auth.models import User

from organizations.models import Organization
from records.versioning import revision
from tests.answers import axe_violations, describe_violations

LANGUAGES = ["ar", "en", "he"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
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


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_previewed_draft_says_so_on_a_phone_and_a_desktop(staff_site, browser, language):
    with revision("A draft"):
        Organization.objects.create(
            slug="draft-forum", kind="ngo", name_ar="منتدى للحوار", name_en="A dialogue forum", name_he="פורום דיאלוג"
        )
    for width in (390, 1280):
        context = browser.new_context(viewport={"width": width, "height": 844})
        page = context.new_page()
        log_in(page, staff_site, language)
        response = page.goto(f"{staff_site}/{language}/organizations/draft-forum/")
        assert response.status == 200
        page.screenshot(path=SCREENSHOTS / f"preview-{language}-{width}.png", full_page=True)
        banner = page.locator(".preview-banner")
        assert banner.is_visible()
        box = banner.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
        assert box["y"] < page.locator("h1").bounding_box()["y"], "the banner comes before the record"
        assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
        violations = axe_violations(page)
        assert not violations, describe_violations(violations)
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_translation_status_reads_on_a_phone_and_a_desktop(staff_site, browser, language):
    coalition = Organization.objects.get(slug="allmep")
    with revision("English summary reworded"):
        coalition.summary_en = "A coalition of more than 90 NGOs working for reconciliation."
        coalition.save()
    for width in (360, 1280):
        context = browser.new_context(viewport={"width": width, "height": 844})
        page = context.new_page()
        log_in(page, staff_site, language)
        page.goto(f"{staff_site}/{language}/admin/organizations/organization/{coalition.pk}/change/")
        panel = page.locator("fieldset.translation-status")
        panel.scroll_into_view_if_needed()
        panel.screenshot(path=SCREENSHOTS / f"translation-status-panel-{language}-{width}.png")
        behind = panel.locator("li.translation-field.translation-behind").first
        assert behind.is_visible()
        column = page.locator("#content-main").bounding_box()
        box = panel.bounding_box()
        assert column["x"] - 1 <= box["x"] and box["x"] + box["width"] <= column["x"] + column["width"] + 1

        page.goto(f"{staff_site}/{language}/admin/translation-status/he/")
        page.screenshot(path=SCREENSHOTS / f"translation-report-he-{language}-{width}.png", full_page=True)
        record = page.locator(".translation-report-records > li > a").first
        assert record.is_visible()
        assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
        violations = axe_violations(page)
        assert not violations, describe_violations(violations)
        record.click()
        page.wait_for_url(f"**/admin/organizations/organization/{coalition.pk}/change/")
        context.close()
