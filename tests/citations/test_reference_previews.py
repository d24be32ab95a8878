"""What a reference preview needs from the page (the card itself is tested in the browser, in
tests/browser/test_reference_previews_browser.py): each footnote marker is described by its
reference's text in the list, which works without JavaScript, and each reference carries its card,
rendered by the one footnote renderer, so showing it needs no request."""

import datetime
import re
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from citations.models import LinkCheck, LinkOverride, LinkStatus
from tests.factories import make_record

COHEN = "Op-Ed: Establishing an International Fund for Israeli-Palestinian Peace"
MEMBERS = "ALLMEP adds 3 new members, bringing coalition to 97"
SCRIPT = "/static/js/reference-previews.js"


@pytest.fixture
def record(db):
    return make_record()


@pytest.fixture
def dataset(db):
    call_command("load_allmep", stdout=StringIO())


def soup_of(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def card_of(soup, title):
    """The card of the reference whose title is ``title``: the <template>'s content, parsed."""
    for item in soup.select("ol.references > li"):
        if item.select_one(".reference-text cite").get_text().strip('"') == title:
            template = item.find("template", class_="reference-card-content")
            assert template is not None, f"reference {item['id']} carries no card"
            # Parsed on its own: BeautifulSoup keeps a template's text out of get_text().
            return item["id"], BeautifulSoup(template.decode_contents(), "html.parser")
    raise AssertionError(f"no reference titled {title}")


def words(element):
    return " ".join(element.get_text(" ").split())


@pytest.mark.parametrize("language", ["ar", "en", "he"])
def test_every_marker_is_described_by_its_reference_text_in_the_list(client, dataset, language):
    soup = soup_of(client, f"/{language}/")
    markers = soup.select("sup.reference a")
    assert len(markers) >= 5
    for marker in markers:
        described = soup.find(id=marker["aria-describedby"])
        assert described is not None, f"{marker} names no element of the page"
        # The text of the very reference the marker jumps to.
        assert "reference-text" in described["class"]
        assert described.find_parent("li")["id"] == marker["href"].removeprefix("#")
        assert described.find_parent("ol", class_="references") is not None


def test_the_card_of_an_english_source_on_the_arabic_page(client, dataset):
    soup = soup_of(client, "/ar/")
    anchor, card = card_of(soup, COHEN)
    # The title in its own language and direction, inside the Arabic page.
    title = card.find("cite")
    assert (title["lang"], title["dir"]) == ("en", "ltr")
    assert title.get_text() == COHEN
    # Then its translation, in the reader's language.
    assert "مقال رأي: إنشاء صندوق دولي للسلام الإسرائيلي الفلسطيني" in words(card)
    # Its type, as the source model labels it, translated.
    assert words(card.select_one(".reference-card__kind")) == "مقالة إخبارية"
    byline = words(card.select_one(".reference-card__byline"))
    assert "Cohen, Michael M." in byline
    assert "خدمة الأرضية المشتركة الإخبارية" in byline
    assert "19 مارس 2009" in byline
    assert words(card.select_one(".reference-card__archive")) == "نسخة محفوظة 24 مايو 2009 على موقع واي باك مشين"
    # No address of the original is known in the dataset.
    assert words(card.select_one(".reference-card__health")) == "لا يُعرف عنوان الأصل."
    # The way on to the reference in the list.
    assert card.select_one(".reference-card__more a")["href"] == f"#{anchor}"


@pytest.mark.parametrize(
    ("language", "kind", "dead", "more"),
    [
        ("en", "web page", "The original link is dead.", "Go to the reference in the list"),
        ("he", "דף אינטרנט", "הקישור המקורי שבור.", "מעבר להערה ברשימת הערות השוליים"),
    ],
)
def test_the_cards_words_are_in_the_readers_language(client, dataset, language, kind, dead, more):
    soup = soup_of(client, f"/{language}/")
    _, card = card_of(soup, "Promoting People-to-People Coexistence in the Middle East")
    assert words(card.select_one(".reference-card__kind")) == kind
    assert words(card.select_one(".reference-card__health")) == dead
    assert words(card.select_one(".reference-card__more")) == more
    title = card.find("cite")
    assert (title["lang"], title["dir"]) == ("en", "ltr")
    if language == "en":
        assert card.select_one(".reference-card__translation") is None


def test_the_card_links_the_title_and_the_archived_copy_as_the_list_does(client, record):
    source = record["sources"]["members"]
    source.url = "http://example.org/news"
    source.archive_url = "https://web.archive.org/web/20161129000000/http://example.org/news"
    source.save()
    soup = soup_of(client, "/en/")
    _, card = card_of(soup, MEMBERS)
    assert card.find("cite").a["href"] == source.url
    archived = card.select_one(".reference-card__archive a")
    assert archived["href"] == source.archive_url
    assert archived.get_text() == "Archived copy of 29 November 2016 on the Wayback Machine"
    # A Robust Link, like every link to a source.
    assert archived["data-originalurl"] == source.url


def checked(source, day, outcome="ok"):
    LinkCheck.objects.create(
        source=source,
        url=source.url,
        outcome=outcome,
        status_code=200 if outcome == "ok" else 404,
        checked_at=datetime.datetime(2026, 11, day, 12, tzinfo=datetime.UTC),
    )


def test_the_card_says_what_the_link_checker_last_found(client, record):
    sources = record["sources"]
    for source in sources.values():
        source.url = f"http://example.org/{source.key}"
        source.save()

    def health(title, language="en"):
        _, card = card_of(soup_of(client, f"/{language}/"), title)
        return words(card.select_one(".reference-card__health"))

    assert health(MEMBERS) == "The link checker has not checked the original yet."
    checked(sources["members"], 1, "not_found")
    assert health(MEMBERS) == "The original did not answer the last check, on 1 November 2026."
    checked(sources["members"], 2)
    assert health(MEMBERS) == "The original answered the last check, on 2 November 2026."
    assert health(MEMBERS, "ar") == "استجاب الأصل في آخر فحص، في 2 نوفمبر 2026."
    checked(sources["members"], 3, "timeout")
    assert health(MEMBERS) == (
        "The original did not answer the last check, on 3 November 2026. It last answered on 2 November 2026."
    )
    # The checker's verdict, and an editor's, come before any single check.
    sources["cohen"].link_status = LinkStatus.USURPED
    sources["cohen"].save()
    assert health(COHEN) == "The original address now belongs to another site."
    sources["cohen"].link_override = LinkOverride.LIVE
    sources["cohen"].save()
    assert health(COHEN) == "An editor marked the original as live."


def test_cards_add_no_query_to_a_page(client, record):
    sources = list(record["sources"].values())
    for source in sources:
        source.url = f"http://example.org/{source.key}"
        source.save()

    def page_queries():
        with CaptureQueriesContext(connection) as queries:
            client.get("/en/")
        return len(queries)

    before = page_queries()
    for source in sources:
        checked(source, 2)
    assert page_queries() == before
    _, card = card_of(soup_of(client, "/en/"), MEMBERS)
    assert "2 November 2026" in words(card)


def test_card_text_is_escaped(client, record):
    source = record["sources"]["members"]
    source.authors = "Cohen, J. & <b>Levi</b>"
    source.save()
    page = client.get("/en/").content.decode()
    card = re.search(r'<template class="reference-card-content">.*?</template>', page, re.S).group()
    assert "<b>" not in card
    _, card = card_of(BeautifulSoup(page, "html.parser"), MEMBERS)
    assert "Cohen, J. & <b>Levi</b>" in words(card.select_one(".reference-card__byline"))
    assert card.find("b") is None


def test_the_script_is_loaded_deferred_on_pages_with_references_only(client, dataset):
    script = soup_of(client, "/ar/").find("script", src=SCRIPT)
    assert script is not None and script.has_attr("defer")
    assert soup_of(client, "/ar/export/").find("script", src=SCRIPT) is None
