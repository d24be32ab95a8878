"""The dark theme in a real browser (Debian's chromium through Playwright), in Arabic, English and Hebrew.

The reader site follows the system's light or dark preference until a reader chooses light, dark or automatic
in the header's theme chooser; the choice is remembered in localStorage under the key and values Django's admin
uses for its own theme toggle, so one choice holds on both. The theme is set by a blocking script in <head>,
before anything of the page is drawn. axe-core checks every reader page type and the admin pages staff read in
the dark theme. Fixtures (browser, allmep_site) are in conftest.py; screenshots go to screenshots/.
"""

from pathlib import Path

import pytest
from django.contrib.auth.models import User

from organizations.models import Organization
from records.versioning import revision
from tests.answers import axe_violations, describe_violations, pages, visit
from tests.browser.test_review_browser import (  # staff_groups: its autouse fixture, the staff groups back
    propose_replacing_the_citation,
    staff,
    staff_groups,  # noqa: F401
)
from tests.factories import edit_a_person

LANGUAGES = [("ar", "rtl"), ("en", "ltr"), ("he", "rtl")]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
PASSWORD = "a-long-staff-password-1"
# The page's background in each theme (site.css's --background).
LIGHT, DARK = "rgb(255, 255, 255)", "rgb(16, 20, 24)"
THEME = "[document.documentElement.dataset.theme, getComputedStyle(document.body).backgroundColor]"


def tab(browser, width=1280, **options):
    context = browser.new_context(viewport={"width": width, "height": 800}, **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def theme(page):
    return page.evaluate(THEME)


def log_in(page, base, language, username="boss"):
    visit(page, f"{base}/{language}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/{language}/admin/")


# While theme.js is held back, what of the page exists, and whether the theme is already set on <html>: a
# blocking script in <head> stops the parser before any of <body>, a deferred or async one does not.
BEFORE_THE_SCRIPT = """() => new Promise(resolve => {
    let waited = 0;
    const look = () => {
        const header = document.querySelector('.site-header');
        if (header || waited >= 1000) {
            resolve({header: Boolean(header), theme: document.documentElement.dataset.theme ?? null});
        } else {
            waited += 50;
            setTimeout(look, 50);
        }
    };
    look();
})"""


@pytest.mark.browser
def test_the_system_dark_theme_applies_from_the_first_paint_and_without_javascript(allmep_site, browser):
    base = allmep_site.url
    # No choice made: the system's preference, on the page's very first paint.
    context, page = tab(browser, color_scheme="dark")
    held = []
    page.route("**/js/theme.js", lambda route: held.append(route))
    page.goto(f"{base}/en/", wait_until="commit")
    page.wait_for_function("true")  # the document exists
    for _ in range(250):
        if held:
            break
        page.wait_for_timeout(20)
    assert held, "the page asks for no theme.js"
    before = page.evaluate(BEFORE_THE_SCRIPT)
    assert before == {"header": False, "theme": None}, f"the page was drawn before the theme was set: {before}"
    held[0].continue_()
    page.wait_for_load_state("domcontentloaded")
    assert theme(page) == ["auto", DARK]
    # Form controls and scrollbars follow the system too: the search box is drawn dark.
    assert page.evaluate("getComputedStyle(document.documentElement).colorScheme") == "light dark"
    assert (
        page.locator(".search-form input").first.evaluate("e => getComputedStyle(e).backgroundColor")
        != "rgb(255, 255, 255)"
    )
    assert page.locator("#theme-choice").input_value() == "auto"
    # A light system: the light theme.
    page.emulate_media(color_scheme="light")
    assert theme(page) == ["auto", LIGHT]
    context.close()

    # Without JavaScript the page still follows the system, and the chooser, which could do nothing, is hidden.
    context, page = tab(browser, color_scheme="dark", java_script_enabled=False)
    visit(page, f"{base}/ar/")
    assert theme(page) == [None, DARK]
    assert page.locator(".theme-chooser").is_hidden()
    page.emulate_media(color_scheme="light")
    assert theme(page)[1] == LIGHT
    context.close()


def choose_by_keyboard(page, value):
    """From the last link of the site's sections, Tab to the chooser, then arrow keys to ``value``."""
    page.locator(".site-nav a").last.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "theme-choice"
    options = page.locator("#theme-choice option").evaluate_all("options => options.map(o => o.value)")
    current = options.index(page.locator("#theme-choice").input_value())
    key = "ArrowDown" if options.index(value) > current else "ArrowUp"
    for _ in range(abs(options.index(value) - current)):
        page.keyboard.press(key)
    assert page.locator("#theme-choice").input_value() == value


@pytest.mark.browser
def test_a_chosen_theme_applies_at_once_and_holds_after_a_reload_and_in_the_admin(allmep_site, browser):
    base = allmep_site.url
    User.objects.create_superuser("boss", "boss@example.org", PASSWORD)
    SCREENSHOTS.mkdir(exist_ok=True)
    context, page = tab(browser, width=320, color_scheme="light")
    for language, _direction in LANGUAGES:
        visit(page, f"{base}/{language}/")
        page.evaluate("localStorage.clear()")
        page.reload()
        assert theme(page) == ["auto", LIGHT]
        # The chooser fits a 320px phone, labelled, its choices in the page's language.
        chooser = page.locator(".theme-chooser")
        box = chooser.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320, (language, box)
        assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"), language
        assert page.get_by_label(chooser.locator("label").inner_text()).get_attribute("id") == "theme-choice"
        select = page.locator("#theme-choice").bounding_box()
        assert select["height"] >= 24 and select["width"] >= 24, select

        choose_by_keyboard(page, "dark")  # applies at once, no button to press
        assert theme(page) == ["dark", DARK], language
        assert page.evaluate("localStorage.getItem('theme')") == "dark"
        page.reload()
        assert theme(page) == ["dark", DARK], f"{language}: not remembered"
        assert page.locator("#theme-choice").input_value() == "dark"
        page.screenshot(path=SCREENSHOTS / f"theme-chooser-{language}-320.png")

        choose_by_keyboard(page, "light")
        assert theme(page) == ["light", LIGHT]
        page.emulate_media(color_scheme="dark")  # a chosen light theme holds on a dark system
        page.reload()
        assert theme(page) == ["light", LIGHT], language
        choose_by_keyboard(page, "auto")
        assert theme(page) == ["auto", DARK]
        assert page.evaluate("localStorage.getItem('theme')") == "auto"
        page.emulate_media(color_scheme="light")

    # The same choice in the admin, which reads the same key: dark chosen here is dark there...
    choose_by_keyboard(page, "dark")
    log_in(page, base, "he")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    admin_dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert admin_dark != LIGHT, admin_dark
    # ... and the admin's own toggle (dark -> light on a light system) holds on the reader site.
    page.locator("button.theme-toggle").first.click()
    assert page.evaluate("document.documentElement.dataset.theme") == "light"
    visit(page, f"{base}/he/")
    assert theme(page) == ["light", LIGHT]
    assert page.locator("#theme-choice").input_value() == "light"
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize(("language", "direction"), LANGUAGES)
def test_every_page_type_has_no_axe_violations_in_the_dark_theme(allmep_site, browser, language, direction):
    """On a phone. Arabic and Hebrew dark by the system's preference; English by a reader's choice on a light
    system (the two make the same colours; test_theme.py checks site.css for that)."""
    base, person = allmep_site.url, edit_a_person()
    system = "light" if language == "en" else "dark"
    context, page = tab(browser, width=320, color_scheme=system)
    if system == "light":
        visit(page, f"{base}/{language}/")
        choose_by_keyboard(page, "dark")
    problems = []
    for what, path, status in pages(language, person):
        visit(page, base + path, status)
        if theme(page)[1] != DARK:
            problems.append(f"{what} {path}: not dark: {theme(page)}")
        violations = axe_violations(page)
        if violations:
            problems.append(f"{what} {path}:\n{describe_violations(violations)}")
    context.close()
    assert not problems, "\n".join(problems)


def contrast_violations(page):
    """axe-core's colour contrast rules only."""
    from axe_playwright_python.sync_playwright import Axe

    rules = ["color-contrast", "link-in-text-block"]
    options = {"runOnly": {"type": "rule", "values": rules}, "resultTypes": ["violations"]}
    return Axe().run(page, options=options).response["violations"]


@pytest.mark.browser
def test_the_admin_pages_staff_read_have_no_axe_violations_in_the_dark_theme(allmep_site, browser):
    """Every axe rule on the pages the staff tests check in the light theme: the review page (added and removed
    rows), the translation report and a draft previewed on its public page. The colour contrast rules on a
    record's form with its translation status (the admin's own markup there has other findings, light or
    dark: unlabelled inline cells, modeltranslation's tabs)."""
    base = allmep_site.url
    User.objects.create_superuser("boss", "boss@example.org", PASSWORD)
    organization = Organization.objects.get(slug="white-house")
    proposal = propose_replacing_the_citation(organization, staff("editor", "Editors"))
    with revision("English summary reworded"):
        coalition = Organization.objects.get(slug="allmep")
        coalition.summary_en = "A coalition of more than 90 NGOs working for reconciliation."
        coalition.save()
    with revision("A draft"):
        Organization.objects.create(
            slug="draft-forum", kind="ngo", name_ar="منتدى للحوار", name_en="A dialogue forum", name_he="פורום דיאלוג"
        )
    SCREENSHOTS.mkdir(exist_ok=True)
    problems = []
    for language, _direction in LANGUAGES:
        context, page = tab(browser, color_scheme="dark")
        log_in(page, base, language)
        for path, check in [
            (f"admin/records/proposedchange/{proposal.pk}/change/", axe_violations),
            ("admin/translation-status/he/", axe_violations),
            ("organizations/draft-forum/", axe_violations),
            (f"admin/organizations/organization/{coalition.pk}/change/", contrast_violations),
        ]:
            visit(page, f"{base}/{language}/{path}")
            if page.evaluate("getComputedStyle(document.body).backgroundColor") in (LIGHT, "rgba(0, 0, 0, 0)"):
                problems.append(f"{language} {path}: not dark")
            violations = check(page)
            if violations:
                problems.append(f"{language} {path}:\n{describe_violations(violations)}")
        visit(page, f"{base}/{language}/admin/records/proposedchange/{proposal.pk}/change/")
        page.evaluate("document.fonts.ready")
        page.screenshot(path=SCREENSHOTS / f"dark-admin-review-{language}-1280.png", full_page=True)
        context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_dark_screenshots_of_the_article_on_a_phone_and_a_desktop(allmep_site, browser):
    """screenshots/dark-ar-360.png (the article in Arabic on a phone) and dark-en-1280.png, for people to look
    at; the page is dark and, as in the light theme, nothing sticks out sideways."""
    SCREENSHOTS.mkdir(exist_ok=True)
    for language, width in [("ar", 360), ("en", 1280), ("he", 360)]:
        context, page = tab(browser, width=width, color_scheme="dark")
        visit(page, f"{allmep_site.url}/{language}/")
        page.evaluate("document.fonts.ready")
        path = SCREENSHOTS / f"dark-{language}-{width}.png"
        page.screenshot(path=path, full_page=True)
        assert path.stat().st_size > 10_000
        assert theme(page) == ["auto", DARK]
        assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"), language
        context.close()
