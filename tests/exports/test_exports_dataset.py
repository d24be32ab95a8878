"""Exports of the real ALLMEP dataset (manage.py load_allmep): every list, every format, the data
package and the citations of its five sources, as researchers would download them."""

import io
import json
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rispy
from django.core.management import call_command
from frictionless import validate

from citations.models import Source
from events.models import Event, Meeting
from organizations.models import Organization, Person
from records.kinds import list_tables
from tests.answers import CSL_SCHEMA, READERS, download, render_bibliography


@pytest.fixture
def dataset(db):
    call_command("load_allmep", stdout=io.StringIO())


@pytest.mark.parametrize("format", ["csv", "xlsx", "json"])
def test_every_list_downloads_every_published_record(client, dataset, format):
    expected = {
        "organizations": Organization.objects.published().count(),
        "events": Event.objects.published().count(),
        "meetings": Meeting.objects.published().count(),
        "people": Person.objects.published().count(),
        "sources": 5,
    }
    for table in list_tables():
        rows = READERS[format](download(client, table, format))
        if table in expected:
            assert len(rows) == expected[table], table
        assert len({str(row["id"]) for row in rows}) == len(rows), table
    assert expected["organizations"] > 5


def test_the_coalition_in_three_languages(client, dataset):
    rows = {row["id"]: row for row in READERS["json"](download(client, "organizations", "json", language="he"))}
    allmep = rows["allmep"]
    assert allmep["name_ar"].startswith("التحالف من أجل السلام في الشرق الأوسط")
    assert allmep["name_en"] == "Alliance for Middle East Peace"
    assert allmep["name_he"]
    assert allmep["founded"] == "2003-36"
    assert (allmep["founded_earliest"], allmep["founded_latest"]) == ("2003-10-01", "2003-12-31")
    assert allmep["permalink"] == "http://testserver/he/organizations/allmep/"
    assert "allmep-overview" in allmep["sources"]


def test_the_data_package_validates(dataset, tmp_path):
    call_command("export_datapackage", str(tmp_path), stdout=io.StringIO())
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])
    citations = (tmp_path / "data" / "citations.csv").read_text().splitlines()
    assert len(citations) > 20


def test_all_five_sources_cite_in_every_format(client, dataset):
    items = json.loads(client.get("/en/export/citations/sources.json").content)
    jsonschema.validate(items, CSL_SCHEMA)
    assert len(items) == Source.objects.published().count() == 5
    assert len(render_bibliography(items)) == 5
    archived = {item["id"]: item["custom"].get("archive-date") for item in items}
    assert archived["allmep-97-members"] == "2016-11-29"
    assert {item["id"]: item["custom"]["link-status"] for item in items}["stanford-coexistence"] == "dead"
    library = bibtexparser.parse_string(client.get("/en/export/citations/sources.bib").content.decode())
    assert library.failed_blocks == []
    assert len(library.entries) == 5
    assert len(rispy.loads(client.get("/ar/export/citations/sources.ris").content.decode())) == 5


def test_vendored_schema_is_the_shared_one():
    shared = Path(__file__).resolve().parents[3] / "shared" / "schemas" / "csl-data.json"
    if not shared.exists():
        pytest.skip("no shared/ folder beside the checkout")
    assert json.loads(shared.read_text()) == CSL_SCHEMA


# What the site's markup looks like; a column people read holds none of it.
MARKUP = ("[[", "]]", "''", "{{", "}}")


def is_markup_column(name):
    return "_markup_" in name


def assert_plain(where, row):
    for name, value in row.items():
        if isinstance(value, str) and not is_markup_column(name):
            assert not [mark for mark in MARKUP if mark in value], (*where, row.get("id"), name, value)


@pytest.mark.parametrize("language", ["ar", "en", "he"])
def test_downloads_read_as_plain_text_with_the_markup_apart(client, dataset, language):
    for table in list_tables():
        for format, read in READERS.items():
            for row in read(download(client, table, format, language=language)):
                assert_plain((table, format), row)
    events = {row["id"]: row for row in READERS["xlsx"](download(client, "events", "xlsx", language=language))}
    first = events["first-coexistence-conference-2004"]
    assert first["description_en"] == (
        "The Alliance for Middle East Peace, then an informal coalition, held its first meeting at this "
        "conference on Capitol Hill in Washington, D.C., in February 2004."
    )
    assert first["description_markup_en"].startswith("The [[organization:allmep|Alliance for Middle East Peace]]")
    assert first["description_ar"].startswith("عقد التحالف من أجل السلام في الشرق الأوسط، وكان")


def test_the_data_package_reads_as_plain_text_with_the_markup_apart(dataset, tmp_path):
    import csv

    call_command("export_datapackage", str(tmp_path), stdout=io.StringIO())
    for path in sorted((tmp_path / "data").glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                assert_plain((path.name,), row)
    with open(tmp_path / "data" / "article_sections.csv", newline="", encoding="utf-8") as handle:
        lead = next(row for row in csv.DictReader(handle) if row["position"] == "0")
    assert lead["body_ar"].startswith("التحالف من أجل السلام في الشرق الأوسط (بالإنجليزية")
    assert lead["body_markup_ar"].startswith("'''التحالف من أجل السلام في الشرق الأوسط'''")
    with open(tmp_path / "data" / "proposals.csv", newline="", encoding="utf-8") as handle:
        [proposal] = list(csv.DictReader(handle))
    # Paragraphs stay apart, separated by a blank line.
    assert proposal["description_en"].count("\n\n") == 1
    assert proposal["description_en"].startswith("One of the coalition's proposals is")
