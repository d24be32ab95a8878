"""BibTeX, RIS and CSL-JSON of sources and of record pages, read back by third-party readers."""

import json

import bibtexparser
import jsonschema
import pytest
import rispy
from django.urls import reverse
from django.utils import translation

from citations import formats
from tests.answers import CSL_SCHEMA, render_bibliography
from tests.factories import build_record


@pytest.fixture
def record(db):
    return build_record()


def get(client, name, **kwargs):
    with translation.override("en"):
        url = reverse(name, kwargs=kwargs)
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return response


def test_all_sources_as_csl_json_are_valid_and_keep_archive_details(client, record):
    items = json.loads(get(client, "exports:all_sources_citation", format="json").content)
    jsonschema.validate(items, CSL_SCHEMA)
    assert [item["id"] for item in items] == ["allmep-overview", "stanford-coexistence"]  # no draft source
    overview, stanford = items
    assert overview["custom"]["archive-url"].startswith("https://web.archive.org/web/20160702")
    assert overview["custom"]["archive-date"] == "2016-07-02"
    assert overview["archive"] == "Wayback Machine"
    assert stanford["custom"]["link-status"] == "dead"
    assert "broken" in stanford["note"]
    assert stanford["issued"] == {"date-parts": [[2009, 3, 19]]}
    assert stanford["author"] == [{"family": "Cohen", "given": "Michael M."}, {"literal": "Stanford University"}]


def test_csl_json_renders_as_a_bibliography_entry(client, record):
    items = json.loads(get(client, "exports:source_citation", key="stanford-coexistence", format="json").content)
    [entry] = render_bibliography(items)
    assert "Promoting People-to-People Coexistence in the Middle East" in entry
    assert "Cohen, M." in entry
    assert "2009" in entry


def test_bibtex_parses_without_failed_blocks(client, record):
    text = get(client, "exports:all_sources_citation", format="bib").content.decode()
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    entries = {entry.key: entry for entry in library.entries}
    assert set(entries) == {"allmep-overview", "stanford-coexistence"}
    overview = entries["allmep-overview"]
    assert overview.entry_type == "online"
    assert overview["archiveurl"] == "https://web.archive.org/web/20160702000000/allmep.example/overview"
    assert overview["archivedate"] == "2016-07-02"
    stanford = entries["stanford-coexistence"]
    assert stanford.entry_type == "report"
    assert stanford["date"] == "2009-03-19"
    assert stanford["linkstatus"] == "dead"
    assert stanford["author"] == "Cohen, Michael M. and {Stanford University}"


def test_bibtex_escapes_special_characters(db):
    item = {"id": "x", "type": "webpage", "title": "50% {of} A&B_c #1 ~ ^ \\"}
    library = bibtexparser.parse_string(formats.bibtex([item]))
    assert library.failed_blocks == []
    assert (
        library.entries[0]["title"] == r"50\% \{of\} A\&B\_c \#1 \textasciitilde{} \textasciicircum{} \textbackslash{}"
    )


def test_ris_reads_back(client, record):
    text = get(client, "exports:all_sources_citation", format="ris").content.decode()
    entries = rispy.loads(text)
    assert [entry["id"] for entry in entries] == ["allmep-overview", "stanford-coexistence"]
    overview, stanford = entries
    assert overview["type_of_reference"] == "ELEC"
    assert overview["secondary_title"] == "ALLMEP website"
    assert "https://web.archive.org/web/20160702000000/allmep.example/overview" in overview["notes"][0]
    assert stanford["type_of_reference"] == "RPRT"
    assert stanford["authors"] == ["Cohen, Michael M.", "Stanford University"]
    assert stanford["date"] == "2009/03/19/"
    assert stanford["year"] == "2009"


def test_one_source_in_each_format(client, record):
    for format in ("bib", "ris", "json"):
        response = get(client, "exports:source_citation", key="allmep-overview", format=format)
        assert 'filename="allmep-overview.' + format in response["Content-Disposition"]
        assert "allmep-overview" in response.content.decode()


def test_draft_source_cannot_be_cited(client, record):
    with translation.override("en"):
        url = reverse("exports:source_citation", kwargs={"key": "draft-source", "format": "bib"})
    assert client.get(url).status_code == 404


def test_unknown_format_is_not_found(client, record):
    with translation.override("en"):
        url = reverse("exports:source_citation", kwargs={"key": "allmep-overview", "format": "docx"})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("language", ["ar", "en", "he"])
def test_cite_this_page_in_every_format(client, record, language):
    with translation.override(language):
        urls = {
            format: reverse(
                "exports:page_citation", kwargs={"kind": "organization", "identifier": "allmep", "format": format}
            )
            for format in ("bib", "ris", "json")
        }
        page = record["allmep"].get_absolute_url()
    items = json.loads(client.get(urls["json"]).content)
    jsonschema.validate(items, CSL_SCHEMA)
    [item] = items
    assert item["URL"] == f"http://testserver{page}"
    assert (
        item["title"]
        == {
            "ar": "التحالف من أجل السلام في الشرق الأوسط",
            "en": "Alliance for Middle East Peace",
            "he": "הברית לשלום במזרח התיכון",
        }[language]
    )
    assert item["language"] == language
    assert render_bibliography(items)[0].startswith(item["title"])
    library = bibtexparser.parse_string(client.get(urls["bib"]).content.decode())
    assert library.failed_blocks == []
    assert library.entries[0]["url"] == item["URL"]
    [ris] = rispy.loads(client.get(urls["ris"]).content.decode())
    assert ris["title"] == item["title"]
    assert ris["urls"] == [item["URL"]]


def test_draft_page_cannot_be_cited(client, record):
    with translation.override("en"):
        url = reverse("exports:page_citation", kwargs={"kind": "event", "identifier": "secret-event", "format": "ris"})
    assert client.get(url).status_code == 404


def test_cite_this_shows_text_and_download_links(rf, record):
    from django.template.loader import render_to_string

    request = rf.get("/en/organizations/allmep/")
    with translation.override("en"):
        html = render_to_string("includes/cite_this.html", {"record": record["allmep"]}, request=request)
        source_html = render_to_string("includes/cite_this.html", {"record": record["stanford"]}, request=request)
    assert "Cite this page" in html
    assert "Alliance for Middle East Peace" in html
    assert "/en/export/citations/organization/allmep.bib" in html
    assert "Cite this source" in source_html
    assert "/en/export/citations/source/stanford-coexistence.ris" in source_html
    assert "The original link is broken." in source_html
