"""The whole published record as a Frictionless Data Package, checked by frictionless itself."""

import csv
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from frictionless import Package, validate

from exports.metadata import SOURCE_ARTICLE
from organizations.models import Membership
from records.kinds import package_tables
from tests.factories import PLAIN_EN, PROSE_EN, build_record


@pytest.fixture
def record(db):
    return build_record()


def read_table(root, name):
    with open(root / "data" / f"{name}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_command_writes_a_package_that_validates(record, tmp_path):
    call_command(
        "export_datapackage", str(tmp_path / "package"), base_url="https://record.example", stdout=io.StringIO()
    )
    root = tmp_path / "package"
    report = validate(str(root / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    descriptor = json.loads((root / "datapackage.json").read_text())
    assert descriptor["licenses"][0]["name"] == "CC-BY-SA-4.0"
    assert SOURCE_ARTICLE in descriptor["description"]  # the article CC BY-SA asks to credit
    assert descriptor["sources"]
    tables = [resource for resource in descriptor["resources"] if resource.get("profile") == "tabular-data-resource"]
    assert {resource["name"] for resource in tables} == set(package_tables())
    # Beside the tables: the Popolo files, and the whole record as linked data (N-Triples:
    # tests/exports/test_linked_data_package.py).
    others = {resource["name"] for resource in descriptor["resources"]} - set(package_tables())
    assert others == {"popolo-ar", "popolo-en", "popolo-he", "linked-data"}
    organizations = next(r for r in descriptor["resources"] if r["name"] == "organizations")
    assert organizations["schema"]["primaryKey"] == ["id"]
    memberships = next(r for r in descriptor["resources"] if r["name"] == "memberships")
    assert {"fields": ["member"], "reference": {"resource": "organizations", "fields": ["id"]}} in memberships[
        "schema"
    ]["foreignKeys"]


def test_package_holds_only_published_records_in_all_languages(record, tmp_path):
    call_command("export_datapackage", str(tmp_path), stdout=io.StringIO())
    organizations = {row["id"]: row for row in read_table(tmp_path, "organizations")}
    assert set(organizations) == {"allmep", "just-vision"}
    assert organizations["allmep"]["name_he"] == "הברית לשלום במזרח התיכון"
    assert organizations["allmep"]["permalink"] == "/ar/organizations/allmep/"  # the record's own language
    # Data for programs: text is kept as written, not prefixed for spreadsheets.
    assert organizations["allmep"]["summary_en"] == '=HYPERLINK("http://evil.example")'
    assert [row["organization"] for row in read_table(tmp_path, "meeting_counterparts")] == ["just-vision"]
    citations = read_table(tmp_path, "citations")
    membership = Membership.objects.get(member__slug="just-vision")
    assert {(row["record_type"], row["record_id"], row["source"]) for row in citations} == {
        ("organizations", "allmep", "allmep-overview"),
        ("organizations", "allmep", "stanford-coexistence"),
        ("memberships", str(membership.pk), "allmep-overview"),
    }
    assert [row["id"] for row in read_table(tmp_path, "people")] == ["hazem-fahmy"]


def test_download_is_a_zip_that_frictionless_opens(client, record, tmp_path):
    response = client.get("/en/export/datapackage.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    path = tmp_path / "allmep.zip"
    path.write_bytes(b"".join(response.streaming_content))
    with zipfile.ZipFile(path) as archive:
        assert "datapackage.json" in archive.namelist()
        archive.extractall(tmp_path / "unzipped")
    package = Package(str(tmp_path / "unzipped" / "datapackage.json"))
    assert len(package.get_resource("sources").read_rows()) == 2
    assert "http://testserver/ar/" in (tmp_path / "unzipped" / "data" / "people.csv").read_text()


def test_frictionless_command_line_validates_it(record, tmp_path):
    call_command("export_datapackage", str(tmp_path / "package.zip"), stdout=io.StringIO())
    with zipfile.ZipFile(tmp_path / "package.zip") as archive:
        archive.extractall(tmp_path / "package")
    executable = Path(sys.executable).with_name("frictionless")
    result = subprocess.run(
        [str(executable), "validate", str(tmp_path / "package" / "datapackage.json")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_prose_is_plain_text_with_the_markup_in_documented_columns(record, tmp_path):
    call_command("export_datapackage", str(tmp_path), stdout=io.StringIO())
    allmep = {row["id"]: row for row in read_table(tmp_path, "organizations")}["allmep"]
    assert (allmep["description_en"], allmep["description_markup_en"]) == (PLAIN_EN, PROSE_EN)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    organizations = next(r for r in descriptor["resources"] if r["name"] == "organizations")
    fields = {field["name"]: field.get("description", "") for field in organizations["schema"]["fields"]}
    assert "plain text" in fields["description_en"]
    assert "[[kind:id|label]]" in fields["description_markup_en"]
    assert "import" in fields["description_markup_en"]
    # Every prose field of every table has its markup column beside it, and only those.
    for resource in descriptor["resources"]:
        if "schema" not in resource:
            continue  # the Popolo files are JSON documents, no tables
        names = [field["name"] for field in resource["schema"]["fields"]]
        for name in names:
            if "_markup_" in name:
                assert name.replace("_markup_", "_") in names, (resource["name"], name)
    proposals = {r["name"]: r for r in descriptor["resources"]}["proposals"]
    assert {"outcome_markup_ar", "description_markup_he"} <= {field["name"] for field in proposals["schema"]["fields"]}


def test_every_prose_field_is_exported_as_plain_text_beside_its_markup(db):
    from citations.references import prose_columns
    from records.expressions import PlainText
    from records.tables import markup_column

    exported = 0
    for table in package_tables().values():
        columns = {column.name: column for column in table.columns()}
        for name in prose_columns(table.model):
            field, language = name.rsplit("_", 1)
            assert isinstance(columns[name].expression, PlainText), (table.name, name)
            assert columns[markup_column(field, language)].expression.name == name, (table.name, name)
            exported += 1
    assert exported == 7 * 3  # description ×5, body, outcome; in three languages
