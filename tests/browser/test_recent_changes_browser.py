"""The recent changes page in a real browser (Debian's chromium through Playwright), in Arabic, English and
Hebrew, on a 360px phone and a 1280px desktop: screenshots for people to look at (screenshots/), axe-core's
rules, nothing sticking out sideways, the row's parts in reading order, and the filters used as a reader would.
Fixtures (browser, allmep_site_to_read: the dataset and an edited person) are in conftest.py."""

from pathlib import Path

import pytest

from tests.answers import axe_violations, describe_violations, visit

LANGUAGES = [("ar", "rtl"), ("en", "ltr"), ("he", "rtl")]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
# The language menu's choice for Hebrew, as each page names it.
HEBREW = {"ar": "العبرية", "en": "Hebrew", "he": "עברית"}


@pytest.mark.browser
@pytest.mark.parametrize(("language", "direction"), LANGUAGES)
def test_recent_changes_on_a_phone_and_a_desktop(allmep_site_to_read, browser, language, direction):
    site, person = allmep_site_to_read
    SCREENSHOTS.mkdir(exist_ok=True)
    for width in (360, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        visit(page, f"{site.url}/{language}/recent-changes/")
        page.evaluate("document.fonts.ready")
        page.screenshot(path=SCREENSHOTS / f"recent-changes-{language}-{width}.png", full_page=True)
        page.screenshot(path=SCREENSHOTS / f"recent-changes-{language}-{width}-top.png")

        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [language, direction]
        assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"), (language, width)
        violations = axe_violations(page)
        assert not violations, describe_violations(violations)

        # The newest change first: the person's summary, its time before its title in reading order.
        row = page.locator("ol.changes > li").first
        assert getattr(person, f"name_{language}") in row.inner_text()
        time, title = row.locator("time").bounding_box(), row.locator(".change-record a").bounding_box()
        if time["y"] + time["height"] <= title["y"]:
            pass  # wrapped on a phone: the time on the line above
        elif direction == "rtl":
            assert time["x"] > title["x"], (language, width)
        else:
            assert time["x"] < title["x"], (language, width)
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize(("language", "direction"), LANGUAGES)
def test_a_reader_filters_by_language_and_follows_a_change_to_its_diff(allmep_site_to_read, page, language, direction):
    site, person = allmep_site_to_read
    visit(page, f"{site.url}/{language}/recent-changes/")
    before = page.locator("ol.changes > li").count()

    page.locator("details.filters summary").click()
    page.locator("select[name=language]").select_option(label=HEBREW[language])
    page.locator("details.filters button[type=submit]").click()
    page.wait_for_url("**language=he**")

    rows = page.locator("ol.changes > li")
    assert 0 < rows.count() <= before
    assert getattr(person, f"name_{language}") in rows.first.inner_text()
    rows.first.locator(".change-links a").first.click()
    page.wait_for_url("**/diff/?to=**")
    assert page.locator("table.diff ins").count() >= 1
