"""The dark theme's stylesheet and the script that sets it (the browser tests are in
tests/browser/test_theme_browser.py): every colour of site.css goes through a custom property that both dark
rule sets redefine, the same way; and theme.js comes before the stylesheet, blocking, on every page."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

SITE_CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "site.css"
COLOUR = re.compile(
    r"#[0-9a-fA-F]{3,8}\b|\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch)\(|(?<![\w-])(?:white|black)(?![\w-])"
)


def rule_body(css, selector):
    start = css.index(selector + " {") + len(selector) + 2
    return css[start : css.index("}", start)]


def declarations(body):
    return dict(re.findall(r"(--[\w-]+|color-scheme)\s*:\s*([^;]+);", re.sub(r"/\*.*?\*/", "", body, flags=re.S)))


def test_every_colour_is_a_custom_property_that_the_dark_theme_redefines():
    css = SITE_CSS.read_text()
    light = declarations(rule_body(css, ":root"))
    by_system = declarations(rule_body(css, ':root:not([data-theme="light"])'))
    by_choice = declarations(rule_body(css, ':root[data-theme="dark"]'))
    colours = {name for name, value in light.items() if COLOUR.search(value)}
    assert {"--background", "--text", "--link", "--target", "--inserted"} <= colours
    assert by_system == by_choice, "the two dark rule sets differ"
    assert colours | {"color-scheme"} == set(by_system), "a colour the dark theme leaves light, or one it adds"
    assert (light["color-scheme"], by_system["color-scheme"]) == ("light", "dark")

    # Nowhere else a colour written out: a rule with one would stay light in the dark theme.
    without_comments = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    elsewhere = [
        line.strip()
        for line in without_comments.splitlines()
        if COLOUR.search(line) and not re.match(r"\s*--[\w-]+\s*:", line)
    ]
    assert not elsewhere, elsewhere


class _Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.order = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src", "").endswith("/js/theme.js"):
            self.order.append(("theme.js", "defer" in attrs or "async" in attrs or attrs.get("type") == "module"))
        elif tag == "link" and attrs.get("rel") == "stylesheet" and attrs.get("href", "").endswith("/site.css"):
            self.order.append(("site.css", False))
        elif tag == "body":
            self.order.append(("body", False))


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/ar/sources/", "/en/recent-changes/", "/he/organizations/no-such-organization/"])
def test_the_theme_script_blocks_before_the_stylesheet_and_the_chooser_is_in_the_header(client, path):
    response = client.get(path)
    page = _Head()
    page.feed(response.content.decode())
    assert page.order == [("theme.js", False), ("site.css", False), ("body", False)], page.order
    assert b'<select id="theme-choice">' in response.content
