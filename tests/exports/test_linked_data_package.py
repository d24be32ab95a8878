"""The data package holds the whole published record as N-Triples beside its tables, and frictionless still
validates the package."""

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from frictionless import validate
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from organizations.models import Person
from tests.factories import build_record

pytestmark = pytest.mark.django_db

SCHEMA = Namespace("http://schema.org/")
SITE = "https://record.example"


@pytest.fixture
def package(tmp_path):
    build_record()
    Person.objects.filter(slug="hazem-fahmy").update(wikidata="Q987654321")
    root = tmp_path / "package"
    call_command("export_datapackage", str(root), base_url=SITE, stdout=io.StringIO())
    return root


def test_the_package_lists_the_n_triples_file_and_still_validates(package):
    report = validate(str(package / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    descriptor = json.loads((package / "datapackage.json").read_text())
    [resource] = [r for r in descriptor["resources"] if r["path"].endswith(".nt")]
    assert resource["mediatype"] == "application/n-triples"
    assert (package / resource["path"]).is_file()
    executable = Path(sys.executable).with_name("frictionless")
    result = subprocess.run(
        [str(executable), "validate", str(package / "datapackage.json")], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_n_triples_hold_every_published_record_in_every_language(package):
    graph = Graph()
    graph.parse(package / "data" / "allmep-record.nt", format="nt")
    for language, name in [
        ("ar", "التحالف من أجل السلام في الشرق الأوسط"),
        ("en", "Alliance for Middle East Peace"),
        ("he", "הברית לשלום במזרח התיכון"),
    ]:
        allmep = URIRef(f"{SITE}/{language}/organizations/allmep/")
        assert (allmep, RDF.type, SCHEMA.NGO) in graph
        assert (allmep, SCHEMA.name, Literal(name, lang=language)) in graph
        assert (allmep, SCHEMA.citation, URIRef(f"{SITE}/{language}/sources/stanford-coexistence/")) in graph
    person = URIRef(f"{SITE}/en/people/hazem-fahmy/")
    assert (person, SCHEMA.sameAs, URIRef("https://www.wikidata.org/entity/Q987654321")) in graph
    assert (URIRef(f"{SITE}/en/events/coexistence-conference-2005/"), RDF.type, SCHEMA.Event) in graph
    assert (URIRef(f"{SITE}/en/events/meetings/capitol-hill-2004/"), RDF.type, SCHEMA.Event) in graph
    [claim] = [
        c
        for c in graph.subjects(RDF.type, SCHEMA.Claim)
        if str(c) and (c, SCHEMA.name, Literal("founded", lang="en")) in graph
    ]
    assert (claim, SCHEMA.appearance, URIRef(f"{SITE}/en/sources/allmep-overview/")) in graph
    text = (package / "data" / "allmep-record.nt").read_text()
    for draft in ("hidden-org", "draft-person", "secret-event", "draft-source"):
        assert draft not in text


def test_the_download_holds_it_with_the_sites_address(client, tmp_path):
    build_record()
    response = client.get("/en/export/datapackage.zip")
    path = tmp_path / "package.zip"
    path.write_bytes(b"".join(response.streaming_content))
    with zipfile.ZipFile(path) as archive:
        archive.extractall(tmp_path / "unzipped")
    report = validate(str(tmp_path / "unzipped" / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])
    graph = Graph()
    graph.parse(tmp_path / "unzipped" / "data" / "allmep-record.nt", format="nt")
    assert (URIRef("http://testserver/ar/people/hazem-fahmy/"), RDF.type, SCHEMA.Person) in graph
