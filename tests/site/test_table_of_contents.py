"""The table of contents of the article and of long record pages (includes/table_of_contents.html,
records.contents): which pages have one, that it links every heading of the page by an id
readable in the page's language, and that it costs no query."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from records.contents import MINIMUM_HEADINGS, contents

LANGUAGES = ["ar", "en", "he"]
# Pages of the ALLMEP dataset with three headings or more (References included), and with fewer.
WITH_CONTENTS = [
    "/",
    "/organizations/allmep/",
    "/events/summer-conference-2005/",
    "/people/hazem-fahmy/",
]
WITHOUT_CONTENTS = [
    "/organizations/usaid-cmm/",  # References only
    "/events/meetings/summit-meetings-2009/",  # References only
    "/people/michael-m-cohen/",  # Roles and References
    "/organizations/",  # a list
]
# The headings of the article in each language, as the table lists them (its ids are the
# headings' own words).
ARTICLE = {
    "ar": [
        ("#content", "البداية"),
        ("#جدول-الأعمال-والمقترحات", "جدول الأعمال والمقترحات"),
        ("#التاريخ", "التاريخ"),
        ("#مراجع", "مراجع"),
    ],
    "en": [
        ("#content", "Beginning"),
        ("#agenda-and-proposals", "Agenda and proposals"),
        ("#history", "History"),
        ("#references", "References"),
    ],
    "he": [
        ("#content", "התחלה"),
        ("#סדר-יום-והצעות", "סדר יום והצעות"),
        ("#היסטוריה", "היסטוריה"),
        ("#הערות-שוליים", "הערות שוליים"),
    ],
}
TITLE = {"ar": "المحتويات", "en": "Contents", "he": "תוכן עניינים"}
# What each page cost before it had a table of contents (measured on main): the table reads
# nothing more.
QUERIES = {
    "/ar/": 9,
    "/ar/organizations/allmep/": 20,
    "/ar/events/summer-conference-2005/": 12,
    "/ar/people/hazem-fahmy/": 7,
    "/ar/events/meetings/summit-meetings-2009/": 5,
}


@pytest.fixture
def dataset(db):
    call_command("load_allmep", stdout=StringIO())


def table_of(page):
    found = re.search(r'<nav class="toc" aria-labelledby="toc-title">.*?</nav>', page, re.S)
    return found.group() if found else None


def text(html):
    """The words of a heading, without its footnote markers."""
    return re.sub(r"<[^>]+>", "", re.sub(r'<sup class="reference".*?</sup>', "", html)).strip()


def headings(page):
    """(id, text) of every <h2> of the page's article (the table's own title is no <h2>)."""
    return [(id, text(inner)) for id, inner in re.findall(r'<h2 id="([^"]+)">(.*?)</h2>', page, re.S)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_long_pages_have_a_table_of_contents_that_links_each_heading(client, dataset, language):
    for path in WITH_CONTENTS:
        page = client.get(f"/{language}{path}").content.decode()
        table = table_of(page)
        assert table, f"{path} has no table of contents"
        assert f'<span class="toc__title" id="toc-title">{TITLE[language]}</span>' in table
        assert 'class="content content--with-toc"' in page
        links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', table)
        # The beginning, then every heading of the page, in the page's order, by its id.
        assert links[0][0] == "content"
        assert links[1:] == headings(page), path
        assert len(links) - 1 >= MINIMUM_HEADINGS
        ids = re.findall(r'\sid="([^"]+)"', page)
        assert len(ids) == len(set(ids)), f"{path}: an id given twice"
        assert all(not re.search(r"\s", id) for id in ids)
        assert page.count('<script src="/static/js/table-of-contents.js" defer></script>') == 1
    for path in WITHOUT_CONTENTS:
        page = client.get(f"/{language}{path}").content.decode()
        assert table_of(page) is None, f"{path} has a table of contents"
        assert "table-of-contents.js" not in page
        assert "content--with-toc" not in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_articles_headings_have_ids_in_its_own_language(client, dataset, language):
    page = client.get(f"/{language}/").content.decode()
    links = re.findall(r'<a href="(#[^"]+)">([^<]+)</a>', table_of(page))
    assert links == ARTICLE[language]
    # A section keeps its numbered id too (search results link to it), named by its heading.
    for id, _ in ARTICLE[language][1:3]:
        assert re.search(rf'<section id="section-\d+" aria-labelledby="{id[1:]}">\s*<h2 id="{id[1:]}">', page)


def test_the_table_of_contents_costs_no_query(client, dataset):
    for path, queries in QUERIES.items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200
        assert len(captured) == queries, path


def test_ids_are_the_headings_words_and_unique_on_the_page():
    listed = contents(
        ("a", "Events", True),
        ("b", "Events", True),
        ("c", "تاريخ الحركة", True),
        ("d", "Skipped", False),
        ("e", "?!", True),
        ("f", "Content", True),
    )
    assert [(heading.id, heading.label) for heading in listed] == [
        ("events", "Events"),
        ("events-2", "Events"),
        ("تاريخ-الحركة", "تاريخ الحركة"),
        ("section", "?!"),
        ("content-2", "Content"),  # <main id="content"> is the page's
    ]
    assert listed["c"].id == "تاريخ-الحركة"
    assert listed.shown
    assert not contents(("a", "A", True), ("b", "B", True), ("c", "C", False)).shown
