"""The dark theme's stylesheet and the script that sets it (the browser tests are in
tests/browser/test_theme_browser.py): every colour of site.css goes through a custom property with a light and a
dark value, and print.css gives each a plain one; and theme.js comes before the stylesheet, blocking, on every page."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

SITE_CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "site.css"
COLOUR = re.compile(
    r"#[0-9a-fA-F]{3,8}\b|\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch)\(|(?<![\w-])(?:white|black)(?![\w-])"
)


PRINT_CSS = SITE_CSS.with_name("print.css")
LIGHT_DARK = re.compile(r"light-dark\((#[0-9a-fA-F]{3,8}), (#[0-9a-fA-F]{3,8})\)")


def rule_body(css, selector):
    start = css.index(selector + " {") + len(selector) + 2
    return css[start : css.index("}", start)]


def declarations(body):
    return dict(re.findall(r"(--[\w-]+|color-scheme)\s*:\s*([^;]+);", re.sub(r"/\*.*?\*/", "", body, flags=re.S)))


def test_every_colour_is_a_custom_property_with_a_light_and_a_dark_value():
    css = SITE_CSS.read_text()
    root = declarations(rule_body(css, ":root"))
    colours = {name: value for name, value in root.items() if COLOUR.search(value)}
    assert {"--background", "--text", "--link", "--target", "--inserted"} <= set(colours)
    one_value = [name for name, value in colours.items() if not LIGHT_DARK.fullmatch(value.strip())]
    assert not one_value, f"colours without their dark value: {one_value}"
    assert LIGHT_DARK.fullmatch(root["--background"]).groups() == ("#fff", "#101418")
    # The system decides unless the reader chose.
    assert root["color-scheme"] == "light dark"
    assert declarations(rule_body(css, ':root[data-theme="light"]')) == {"color-scheme": "light"}
    assert declarations(rule_body(css, ':root[data-theme="dark"]')) == {"color-scheme": "dark"}

    # Nowhere else a colour written out: a rule with one would stay light in the dark theme.
    without_comments = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    elsewhere = [
        line.strip()
        for line in without_comments.splitlines()
        if COLOUR.search(line) and not re.match(r"\s*--[\w-]+\s*:", line)
    ]
    assert not elsewhere, elsewhere


def test_print_gives_every_colour_a_plain_light_value():
    """WeasyPrint, which prints the PDFs with print.css, knows no light-dark(): a colour print.css left
    to site.css would be lost in a PDF."""
    colours = {
        name for name, value in declarations(rule_body(SITE_CSS.read_text(), ":root")).items() if COLOUR.search(value)
    }
    printed = declarations(rule_body(PRINT_CSS.read_text(), ":root,\n:root[data-theme]"))
    assert colours <= set(printed), colours - set(printed)
    assert not [name for name, value in printed.items() if "light-dark" in value]
    assert printed["color-scheme"] == "light"


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
