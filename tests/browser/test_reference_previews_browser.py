"""Reference previews in a real browser: a footnote marker shows its reference in a card on hover,
focus or tap (static/js/reference-previews.js), as Wikipedia's Reference Previews do.

By mouse (a short delay; the card stays while the pointer is over it), keyboard (focus opens it,
Escape closes it and leaves focus on the marker) and touch (a tap opens it, a second tap, or the
card's link, goes to the reference in the list); described to screen readers by the reference's
text in the list, also without JavaScript, where the marker still jumps to its reference. In
Arabic, English and Hebrew, on phones and a desktop: the card stays inside the viewport, makes no
page wider and is axe-clean. Fixtures (browser, page, allmep_site_to_read) are in conftest.py.
"""

import re
from pathlib import Path

import pytest

from tests.answers import axe_violations, describe_violations, visit

LANGUAGES = ["ar", "en", "he"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
COHEN = "Op-Ed: Establishing an International Fund for Israeli-Palestinian Peace"
# The type of the op-ed, as the source model labels it (a news article), in each language.
NEWS_ARTICLE = {"ar": "مقالة إخبارية", "en": "news article", "he": "כתבה חדשותית"}
CARD = ".reference-card"


def cohen_marker(page):
    """The first marker citing the op-ed, and the id of its reference in the list."""
    note = page.locator("ol.references > li", has_text=COHEN).get_attribute("id")
    return page.locator(f'sup.reference a[href="#{note}"]').first, note


def described_by_its_reference(page, marker, note):
    """The marker's accessible description is the text of its reference in the list."""
    return marker.evaluate(
        """(a, note) => {
            const text = document.getElementById(a.getAttribute('aria-describedby'));
            return !!text && text.closest('li').id === note && text.closest('ol.references') !== null;
        }""",
        note,
    )


def card_box(page):
    return page.locator(CARD).bounding_box()


def page_width(page):
    return page.evaluate("[document.scrollingElement.scrollWidth, document.documentElement.clientWidth]")


def check_card(page, language, width, problems, where):
    """The open card shows the op-ed, stays inside the viewport, widens nothing and is axe-clean."""
    from playwright.sync_api import expect

    card = page.locator(CARD)
    expect(card).to_be_visible()
    expect(card.locator(".reference-card__kind")).to_have_text(NEWS_ARTICLE[language])
    title = card.locator("cite")
    expect(title).to_have_text(COHEN)
    if [title.get_attribute("lang"), title.get_attribute("dir")] != ["en", "ltr"]:
        problems.append(f"{where}: the title is not marked English, left to right")
    box = card_box(page)
    if box["x"] < 0 or box["x"] + box["width"] > width or box["y"] < 0:
        problems.append(f"{where}: the card sticks out of the viewport: {box}")
    scroll_width, client_width = page_width(page)
    if scroll_width > client_width:
        problems.append(f"{where}: the page is {scroll_width}px wide with the card open, in {client_width}px")
    violations = axe_violations(page)
    if violations:
        problems.append(f"{where}, card open:\n{describe_violations(violations)}")


@pytest.fixture
def site(allmep_site_to_read):
    """The live server's address: these tests only read."""
    return allmep_site_to_read[0].url


@pytest.mark.browser
def test_a_card_opens_on_hover_and_on_focus_and_escape_closes_it(site, browser):
    from playwright.sync_api import expect

    base = site
    problems = []
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    for language in LANGUAGES:
        visit(page, f"{base}/{language}/")
        marker, note = cohen_marker(page)
        card = page.locator(CARD)
        assert described_by_its_reference(page, marker, note), language

        # Mouse: the card waits a moment (a pointer passing over the text opens nothing)...
        marker.hover()
        assert not card.is_visible(), f"{language}: the card opened at once on hover"
        expect(card).to_be_visible()
        check_card(page, language, 1280, problems, f"{language} desktop hover")
        if language in ("ar", "en"):
            SCREENSHOTS.mkdir(exist_ok=True)
            page.screenshot(path=SCREENSHOTS / f"reference-card-{language}-desktop.png")
        # ...stays while the pointer moves onto it and rests there...
        box = card_box(page)
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=4)
        page.wait_for_timeout(900)
        expect(card).to_be_visible()
        # ...and closes once the pointer leaves both.
        page.mouse.move(5, 5, steps=4)
        expect(card).to_be_hidden()

        # Keyboard: focus opens it, Escape closes it and leaves focus on the marker.
        marker.focus()
        expect(card).to_be_visible()
        expect(card.locator("cite")).to_have_text(COHEN)
        page.keyboard.press("Escape")
        expect(card).to_be_hidden()
        assert marker.evaluate("a => document.activeElement === a"), f"{language}: Escape moved the focus"
        # Tab away and back opens it again; on to the next marker, the card shows that one's reference.
        page.keyboard.press("Shift+Tab")
        expect(card).to_be_hidden()
        page.keyboard.press("Tab")
        expect(card).to_be_visible()
        next_marker = page.locator("sup.reference a").nth(
            page.locator("sup.reference a").evaluate_all("(all, a) => all.indexOf(document.activeElement)", None) + 1
        )
        next_marker.focus()
        expect(card.locator(".reference-card__more a")).to_have_attribute("href", next_marker.get_attribute("href"))
        assert page.locator(CARD).count() == 1
        # Enter follows the marker to its reference, and the card goes.
        marker.focus()
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(f"#{note}$"))
        expect(card).to_be_hidden()

    # Without JavaScript: no card, the marker still jumps, and still names its reference's text.
    plain = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = plain.new_page()
    for language in LANGUAGES:
        visit(page, f"{base}/{language}/")
        marker, note = cohen_marker(page)
        assert described_by_its_reference(page, marker, note), f"{language}, no JavaScript"
        marker.click()
        expect(page).to_have_url(re.compile(f"#{note}$"))
        assert page.evaluate("document.querySelector(':target')?.id") == note
        assert page.locator(CARD).count() == 0
    plain.close()

    # In the dark theme (the system's), the open card is as legible.
    dark = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    page = dark.new_page()
    for language in LANGUAGES:
        visit(page, f"{base}/{language}/")
        marker, _note = cohen_marker(page)
        marker.focus()
        check_card(page, language, 1280, problems, f"{language} desktop, dark theme")
        if language == "ar":
            page.screenshot(path=SCREENSHOTS / "reference-card-ar-desktop-dark.png")
    dark.close()
    context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_on_a_phone_a_tap_opens_the_card_and_a_second_tap_goes_to_the_reference(site, browser):
    from playwright.sync_api import expect

    base = site
    problems = []
    for width in (320, 360):
        context = browser.new_context(viewport={"width": width, "height": 720}, has_touch=True, is_mobile=True)
        page = context.new_page()
        page.set_default_timeout(10_000)
        for language in LANGUAGES:
            where = f"{language} {width}px"
            visit(page, f"{base}/{language}/")
            marker, note = cohen_marker(page)
            card = page.locator(CARD)
            marker.scroll_into_view_if_needed()

            # A tap opens the card, and goes nowhere.
            marker.tap()
            expect(card).to_be_visible()
            assert "#" not in page.url, f"{where}: the first tap followed the marker"
            check_card(page, language, width, problems, where)
            if width == 320 and language == "he":
                page.screenshot(path=SCREENSHOTS / "reference-card-he-320.png")
            if width == 360 and language == "ar":
                page.screenshot(path=SCREENSHOTS / "reference-card-ar-360.png")

            # A second tap on the marker goes to the reference.
            marker.tap()
            expect(page).to_have_url(re.compile(f"#{note}$"))
            expect(card).to_be_hidden()

            # So does the card's own link; a tap elsewhere closes it.
            visit(page, f"{base}/{language}/")
            marker, note = cohen_marker(page)
            marker.scroll_into_view_if_needed()
            marker.tap()
            expect(card).to_be_visible()
            page.locator("h1").tap()
            expect(card).to_be_hidden()
            marker.tap()
            card.locator(".reference-card__more a").tap()
            expect(page).to_have_url(re.compile(f"#{note}$"))
            expect(card).to_be_hidden()
        context.close()
    assert not problems, "\n".join(problems)
