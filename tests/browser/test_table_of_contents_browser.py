"""The table of contents (includes/table_of_contents.html, static/js/table-of-contents.js) in a real
browser (Debian's chromium through Playwright), in Arabic, English and Hebrew: beside the text at the
inline start on a desktop and following the reader down the page, the section being read marked, its
links moving there; closed on 320px and 360px phones and opening; plain links without JavaScript;
axe-core's rules with it open, nothing sticking out sideways. Screenshots for people to look at
(screenshots/toc-*.png). Fixtures (browser, allmep_site_to_read) are in conftest.py."""

from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.answers import axe_violations, describe_violations, visit

LANGUAGES = [("ar", "rtl"), ("en", "ltr"), ("he", "rtl")]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
# The longest page of the dataset (five headings) and the article (three).
ORGANIZATION = "/organizations/allmep/"
ARTICLE = "/"
LINKS = ".toc__list a"


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def current_links(page):
    """The text of the links marked current, and how each is marked beyond its colour."""
    return page.evaluate(
        """[...document.querySelectorAll('.toc__list a[aria-current]')].map(link => {
            const style = getComputedStyle(link);
            return [link.textContent, style.fontWeight, style.borderInlineStartWidth];
        })"""
    )


def wait_until_current(page, label):
    page.wait_for_function(
        "label => document.querySelector('.toc__list a[aria-current]')?.textContent === label", arg=label
    )


def heading_top(page, id):
    return page.evaluate("id => document.getElementById(id).getBoundingClientRect().top", id)


@pytest.fixture
def site(allmep_site_to_read):
    """The live server's address: these tests only read."""
    return allmep_site_to_read[0].url


@pytest.mark.browser
def test_on_a_desktop_it_stays_beside_the_text_at_the_inline_start_and_marks_the_section_read(site, browser):
    SCREENSHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    for language, direction in LANGUAGES:
        visit(page, f"{site}/{language}{ORGANIZATION}")
        page.evaluate("document.fonts.ready")
        assert page.locator(".toc__details").evaluate("details => details.open"), language
        assert page.locator(LINKS).first.is_visible()
        # A <nav> named by its title, before the article in reading and focus order.
        assert page.locator("nav[aria-labelledby=toc-title]").count() == 1
        assert page.evaluate(
            "document.querySelector('.toc').compareDocumentPosition(document.querySelector('article'))"
            " & Node.DOCUMENT_POSITION_FOLLOWING"
        )

        # At the inline start: right of the text in Arabic and Hebrew, left of it in English.
        toc, article = box(page, ".toc"), box(page, "article")
        if direction == "rtl":
            assert toc["x"] >= article["x"] + article["width"], (language, toc, article)
        else:
            assert toc["x"] + toc["width"] <= article["x"], (language, toc, article)
        if language == "ar":
            page.screenshot(path=SCREENSHOTS / "toc-ar-desktop.png")

        # At first the beginning is current; a heading scrolled to the top is current, marked
        # by weight and a bar, not by colour alone; and the table is still there, at the top.
        assert [text for text, *_ in current_links(page)] == [page.locator(LINKS).first.inner_text()]
        ids = [unquote(href[1:]) for href in page.locator(LINKS).evaluate_all("as => as.map(a => a.hash)")][1:]
        labels = page.locator(LINKS).all_inner_texts()[1:]
        assert len(ids) >= 4, ids
        page.evaluate("id => window.scrollTo(0, document.getElementById(id).offsetTop - 20)", ids[2])
        wait_until_current(page, labels[2])
        (marked,) = current_links(page)
        assert marked[1:] == ["700", "3px"], marked
        unmarked = (
            page.locator(LINKS)
            .nth(1)
            .evaluate("link => [getComputedStyle(link).fontWeight, getComputedStyle(link).borderInlineStartWidth]")
        )
        assert unmarked == ["400", "0px"], unmarked
        toc = box(page, ".toc")
        assert 0 <= toc["y"] < 40 and page.locator(".toc").is_visible(), toc
        if language == "ar":
            page.screenshot(path=SCREENSHOTS / "toc-ar-desktop-scrolled.png")

        # Following a link moves there, by its id in the page's own words, and marks it.
        page.locator(LINKS).nth(1).click()
        wait_until_current(page, labels[0])
        assert unquote(page.evaluate("location.hash"))[1:] == ids[0]
        assert abs(heading_top(page, ids[0])) < 5

        violations = axe_violations(page)
        assert not violations, f"{language}:\n{describe_violations(violations)}"
        # And in the dark theme, with a section marked.
        page.emulate_media(color_scheme="dark")
        violations = axe_violations(page)
        assert not violations, f"{language}, dark theme:\n{describe_violations(violations)}"
        page.emulate_media(color_scheme="light")
    context.close()


@pytest.mark.browser
def test_on_phones_it_is_closed_above_the_text_and_opens(site, browser):
    SCREENSHOTS.mkdir(exist_ok=True)
    for width in (320, 360):
        context = browser.new_context(viewport={"width": width, "height": 740})
        page = context.new_page()
        for language, _ in LANGUAGES:
            for path in (ARTICLE, ORGANIZATION):
                visit(page, f"{site}/{language}{path}")
                where = (language, width, path)
                details = page.locator(".toc__details")
                assert not details.evaluate("details => details.open"), where
                assert not page.locator(LINKS).first.is_visible(), where
                # Above the text, across it.
                toc, article = box(page, ".toc"), box(page, "article")
                assert toc["y"] + toc["height"] <= article["y"], where
                assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"), where

                page.locator(".toc__summary").click()
                assert details.evaluate("details => details.open"), where
                assert page.locator(LINKS).last.is_visible(), where
                assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"), where
                if (language, width, path) == ("he", 360, ARTICLE):
                    page.evaluate("document.fonts.ready")
                    page.screenshot(path=SCREENSHOTS / "toc-he-phone-open.png")
                violations = axe_violations(page)
                assert not violations, f"{where}:\n{describe_violations(violations)}"

                # A link followed on a phone moves there and closes the table behind it.
                target = unquote(page.locator(LINKS).last.evaluate("a => a.hash"))[1:]
                page.locator(LINKS).last.click()
                page.wait_for_function("() => !document.querySelector('.toc__details').open")
                assert unquote(page.evaluate("location.hash"))[1:] == target
                assert heading_top(page, target) < 740
        context.close()


@pytest.mark.browser
def test_without_javascript_it_is_links_to_the_headings(site, browser):
    for width in (1280, 320):
        context = browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=False)
        page = context.new_page()
        for language, _ in LANGUAGES:
            visit(page, f"{site}/{language}{ORGANIZATION}")
            where = (language, width)
            hrefs = page.locator(LINKS).evaluate_all("as => as.map(a => decodeURIComponent(a.hash))")
            ids = page.locator("article h2[id]").evaluate_all("hs => hs.map(h => '#' + h.id)")
            assert hrefs == ["#content", *ids], where
            assert page.locator(".toc a[aria-current]").count() == 0
            if width == 1280:
                # Open beside the text with no script to open it.
                assert page.locator(LINKS).last.is_visible(), where
            else:
                assert not page.locator(LINKS).last.is_visible(), where
                page.locator(".toc__summary").click()
                assert page.locator(LINKS).last.is_visible(), where
                assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"), where
            page.locator(LINKS).nth(2).click()
            assert unquote(page.evaluate("location.hash")) == ids[1], where
            assert abs(heading_top(page, ids[1][1:])) < 5 or page.evaluate(
                "innerHeight + scrollY >= document.scrollingElement.scrollHeight - 2"
            ), where
        context.close()
