"""Footnotes as MediaWiki's Cite renders them, on the reader pages: numbering by first use,
one number per source, backlinks in the reader's letters, archive lines and dead-link marks."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from citations.footnotes import Footnotes
from citations.models import Citation, Source
from tests.factories import make_record


@pytest.fixture
def record(db):
    return make_record()


def references(page):
    """{source title: (number, [backlink labels], li html)} of the page's reference list."""
    found = {}
    for number, body in re.findall(r'<li id="cite_note-(\d+)">(.*?)</li>', page, re.S):
        title = re.search(r'<cite class="cite-title"[^>]*><bdi[^>]*>(?:<a[^>]*>)?"([^"]+)"', body).group(1)
        labels = re.findall(r"<sup><i><b>(.+?)</b></i></sup>", body)
        found[title] = (int(number), labels, body)
    return found


COHEN = "Op-Ed: Establishing an International Fund for Israeli-Palestinian Peace"
STANFORD = "Promoting People-to-People Coexistence in the Middle East"


@pytest.mark.parametrize(("language", "labels"), [("ar", ["أ", "ب"]), ("en", ["a", "b"]), ("he", ["א", "ב"])])
def test_a_source_used_twice_keeps_one_number_with_a_backlink_per_use(client, record, language, labels):
    page = client.get(f"/{language}/").content.decode()
    number, backlinks, body = references(page)[COHEN]
    assert backlinks == labels
    use = rf'<sup class="reference" id="(cite_ref-{number}-\d)"><a href="#cite_note-{number}" [^>]*>\[{number}\]'
    uses = re.findall(use, page)
    assert len(uses) == 2
    # Each backlink jumps back to its use.
    assert re.findall(r'<a href="#(cite_ref-[\d-]+)"', body) == uses


def test_a_source_used_once_has_a_single_caret_backlink(client, record):
    page = client.get("/en/").content.decode()
    number, backlinks, body = references(page)[STANFORD]
    assert backlinks == []
    assert f'<a href="#cite_ref-{number}-0" title="Back to the text">^</a>' in body


def test_sources_are_numbered_in_order_of_first_use_on_the_page(client, record):
    page = client.get("/en/").content.decode()
    first_uses = []
    for number in re.findall(r'<sup class="reference" id="cite_ref-(\d+)-\d+">', page):
        if int(number) not in first_uses:
            first_uses.append(int(number))
    assert first_uses == list(range(1, len(first_uses) + 1))
    assert len(references(page)) == len(first_uses) == 5


def test_structured_facts_carry_footnotes_too(client, record):
    page = client.get("/en/").content.decode()
    overview = references(page)["Overview"][0]
    infobox = re.search(r'<table class="infobox">.*?</table>', page, re.S).group()
    founded = re.search(r"Founded</th><td>(.*?)</td>", infobox).group(1)
    assert f'<a href="#cite_note-{overview}" aria-describedby="cite_note-{overview}-text">[{overview}]</a>' in founded
    members = re.search(r"Members</th><td>(.*?)</td>", infobox, re.S).group(1)
    ninety_seven = references(page)["ALLMEP adds 3 new members, bringing coalition to 97"][0]
    assert f'<a href="#cite_note-{ninety_seven}" ' in members


def test_reference_shows_title_in_its_language_publisher_and_date(client, record):
    page = client.get("/ar/").content.decode()
    body = references(page)["ALLMEP adds 3 new members, bringing coalition to 97"][2]
    assert '<cite class="cite-title" lang="en"><bdi dir="auto">"ALLMEP adds 3 new members' in body
    assert "<bdi>أخبار ALLMEP</bdi>" in body
    assert "18 أغسطس 2016" in body
    assert "نسخة محفوظة 29 نوفمبر 2016 على موقع واي باك مشين" in body


def test_a_locator_is_printed_after_the_reference(client, record):
    section = record["sections"][1]
    section.body_en = section.body_en.replace("{{ref|allmep-summit-2009}}", "{{ref|allmep-summit-2009|para. 3}}")
    section.save()
    body = references(client.get("/en/").content.decode())["2009 ALLMEP Summit"][2]
    assert '<span class="locator">(<bdi>para. 3</bdi>)</span>' in body


def test_an_archive_url_makes_the_archive_line_a_link(client, record):
    source = record["sources"]["members"]
    source.archive_url = "https://web.archive.org/web/20161129000000/http://example.org/news"
    source.save()
    body = references(client.get("/en/").content.decode())["ALLMEP adds 3 new members, bringing coalition to 97"][2]
    assert (
        f'<a class="external" href="{source.archive_url}" rel="nofollow">'
        "Archived copy of 29 November 2016 on the Wayback Machine</a>"
    ) in body


@pytest.fixture
def dataset(db):
    call_command("load_allmep", stdout=StringIO())


@pytest.mark.parametrize(
    ("language", "archived", "dead"),
    [
        ("ar", "نسخة محفوظة 28 نوفمبر 2012 على موقع واي باك مشين", "[وصلة مكسورة]"),
        ("en", "Archived copy of 28 November 2012 on the Wayback Machine", "[dead link]"),
        ("he", "עותק בארכיון מ־28 בנובמבר 2012 באתר Wayback Machine", "[קישור שבור]"),
    ],
)
def test_the_datasets_ref_2_shows_its_archive_line_and_broken_link_mark(client, dataset, language, archived, dead):
    found = references(client.get(f"/{language}/").content.decode())
    body = found[STANFORD][2]
    # No archive URL is known: the archive line is plain text, not a link.
    assert f'<span class="archive">{archived}.</span>' in body
    assert f'<span class="dead-link">{dead}</span>' in body
    assert sum(dead in reference[2] for reference in found.values()) == 1
    assert len(found) == 5


def test_the_dataset_article_backlinks_reused_sources(client, dataset):
    found = references(client.get("/ar/").content.decode())
    assert found[COHEN][1] == ["أ", "ب"]


def test_english_words_in_arabic_prose_are_isolated(client, dataset):
    page = client.get("/ar/").content.decode()
    assert "(بالإنجليزية: <bdi>Alliance for Middle East Peace</bdi>) (<bdi>ALLMEP</bdi>)" in page


def test_cite_all_references_a_source_once_per_fact_and_cite_uncited_the_rest(record):
    coalition = record["coalition"]
    overview = record["sources"]["overview"]
    footnotes = Footnotes()
    html = footnotes.cite_all(coalition.citations.all())  # founded and formally_founded: one source
    assert html.count('href="#cite_note-1"') == 1
    assert footnotes.cite_uncited(coalition.citations.all()) == ""
    extra = Citation.objects.create(source=overview, content_object=coalition, claim="name")
    assert footnotes.cite_uncited([*coalition.citations.all()]) != ""
    assert extra.pk in footnotes._cited


def test_a_draft_source_never_gets_a_footnote(client, record):
    Citation.objects.create(
        source=Source.objects.get(key="draft-source"), content_object=record["coalition"], claim="founded"
    )
    page = client.get("/en/").content.decode()
    assert "Not yet published" not in page


def test_a_live_link_shows_when_it_was_last_found_answering_without_extra_queries(client, record):
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from citations.models import LinkCheck

    def page_queries():
        with CaptureQueriesContext(connection) as queries:
            client.get("/en/")
        return len(queries)

    sources = list(record["sources"].values())
    for source in sources:
        source.url = f"http://example.org/{source.key}"
        source.save()
    before = page_queries()
    for source in sources:
        LinkCheck.objects.create(
            source=source,
            url=source.url,
            outcome="ok",
            status_code=200,
            checked_at=datetime.datetime(2026, 11, 2, tzinfo=datetime.UTC),
        )
    body = references(client.get("/en/").content.decode())["ALLMEP adds 3 new members, bringing coalition to 97"][2]
    assert "Link checked 2 November 2026." in body
    assert page_queries() == before


def test_a_dead_link_with_no_archived_copy_prints_its_address_unlinked(client, record):
    source = record["sources"]["members"]
    source.url = "http://example.org/gone"
    source.link_status = "dead"
    source.archive_url = ""
    source.archive_date = None
    source.save()
    body = references(client.get("/en/").content.decode())["ALLMEP adds 3 new members, bringing coalition to 97"][2]
    assert '<a class="external"' not in body
    assert '<span class="dead-link">[dead link]</span>' in body
    assert '<span class="original-url">Original address: <bdi dir="ltr">http://example.org/gone</bdi></span>' in body


def test_reference_text_is_escaped_and_authors_get_one_full_stop(client, record):
    source = record["sources"]["members"]
    source.authors = "Cohen, J. & <b>Levi</b>, R."
    source.publisher = "News <script>"
    source.link_override = "subscription"
    source.save()
    body = references(client.get("/en/").content.decode())["ALLMEP adds 3 new members, bringing coalition to 97"][2]
    assert "<bdi>Cohen, J. &amp; &lt;b&gt;Levi&lt;/b&gt;, R.</bdi> <cite" in body
    assert "<bdi>News &lt;script&gt;</bdi>." in body
    assert '<span class="subscription">(subscription required)</span>' in body


def test_an_edited_source_is_printed_as_edited_on_the_next_page_rendered(client, record):
    title = "ALLMEP adds 3 new members, bringing coalition to 97"
    assert "<bdi>ALLMEP news</bdi>." in references(client.get("/en/").content.decode())[title][2]
    source = record["sources"]["members"]
    source.publisher_en = "ALLMEP Newsroom"
    source.save()
    body = references(client.get("/en/").content.decode())[title][2]
    assert "<bdi>ALLMEP Newsroom</bdi>." in body
    assert "ALLMEP news</bdi>." not in body
