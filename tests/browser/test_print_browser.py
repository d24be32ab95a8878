"""Printing a page in chromium (print media, then page.pdf()): the print stylesheet hides the chrome,
prints the addresses of links to other sites after them, keeps headings with their text, sets
Arabic and Hebrew in the site's fonts; one page load per language."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from citations.models import Source
from records.versioning import revision
from tests.answers import visit
from tests.conftest import missing_tool

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
FONTS = {"ar": "Noto Naskh Arabic", "en": "Noto Sans", "he": "Noto Sans Hebrew"}
SAMPLE = {"ar": "س", "en": "a", "he": "ש"}
URL = "https://allmep.example/overview"

PRINTED = """() => {
  const shown = (selector) => [...document.querySelectorAll(selector)].filter(
    (element) => getComputedStyle(element).display !== "none").length;
  const link = document.querySelector(`.reference-text a[href="${URL}"]`);
  const h2 = document.querySelector("main h2");
  return {
    chrome: shown(".site-header, .site-nav, .language-switcher, .page-downloads, .history-link, .footer-links"),
    after: link ? getComputedStyle(link, "::after").content : null,
    bidi: link ? getComputedStyle(link, "::after").unicodeBidi : null,
    internal: getComputedStyle(document.querySelector("main a[href^='/']"), "::after").content,
    headingBreak: getComputedStyle(h2).breakAfter,
    font: getComputedStyle(document.body).fontFamily,
  };
}""".replace("${URL}", URL)


def test_printing_a_page_hides_the_chrome_and_prints_the_addresses(page, allmep_site):
    source = Source.objects.get(key="allmep-overview")
    with revision("Its address"):
        source.url = URL
        source.save()
    if shutil.which("pdftotext") is None:
        missing_tool("no pdftotext: apt-get install poppler-utils (bin/test does it as root)")
    for language in ("ar", "en", "he"):
        visit(page, f"{allmep_site.url}/{language}/")
        # On screen the PDF link is there; in print, neither it nor any chrome.
        assert page.locator(".page-downloads a").is_visible()
        page.emulate_media(media="print")
        printed = page.evaluate(PRINTED)
        assert printed["chrome"] == 0, language
        assert printed["after"] == '" \u2066<" attr(href) ">\u2069"' or URL in printed["after"], printed
        assert printed["bidi"] == "isolate"
        assert printed["internal"] == "none"  # an internal link prints no address
        assert printed["headingBreak"] == "avoid"
        assert printed["font"].startswith(f'"{FONTS[language]}"')
        assert page.evaluate('(f) => document.fonts.check(`16px "${f[0]}"`, f[1])', [FONTS[language], SAMPLE[language]])
        document = page.pdf(format="A4")
        SCREENSHOTS.mkdir(exist_ok=True)
        (SCREENSHOTS / f"print-chromium-{language}.pdf").write_bytes(document)
        text = subprocess.run(["pdftotext", "-", "-"], input=document, capture_output=True, check=True).stdout.decode()
        squeezed = re.sub(r"[\s\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)
        assert f"<{URL}" in squeezed, language  # poppler may set the closing ">" apart in right-to-left text
        assert re.search(r"(\d+)/\1", squeezed)  # page numbers: the last page is "n / n"
        page.emulate_media(media="screen")
