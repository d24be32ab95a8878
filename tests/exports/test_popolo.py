"""The record in Popolo: a JSON file per language, every object valid against the Popolo schemas
(tests/data/popolo, draft 3), with its sources and its dates' bounds, in the data package and on
the Downloads page."""

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft3Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3

from citations.models import Source
from events.models import Event
from exports import popolo
from organizations.models import Membership, Organization, Person, Role
from tests.factories import DRAFT, PUBLISHED, build_record, cite

LANGUAGES = ("ar", "en", "he")
SCHEMAS = Path(__file__).resolve().parent.parent / "data" / "popolo"
SCHEMA_BASE = "http://www.popoloproject.com/schemas/"
# Written into every draft, as tests/admin/test_permissions.py does: it must appear in no file.
MARKER = "xqzdraft"
COLLECTIONS = {
    "organizations": "organization",
    "persons": "person",
    "memberships": "membership",
    "posts": "post",
    "events": "event",
}


def schema_registry():
    """The Popolo schemas, found by their ids (http://www.popoloproject.com/schemas/NAME.json#)
    in the copies kept with the tests, never fetched."""
    resources = []
    for path in SCHEMAS.glob("*.json"):
        contents = json.loads(path.read_text())
        resources.append((SCHEMA_BASE + path.name, Resource.from_contents(contents, default_specification=DRAFT3)))
    return Registry().with_resources(resources)


REGISTRY = schema_registry()


def validator(name):
    schema = REGISTRY.contents(f"{SCHEMA_BASE}{name}.json")
    return Draft3Validator(schema, registry=REGISTRY)


def invalid_objects(document):
    """Every object of every collection checked against its class's schema: (collection, id, message)."""
    errors = []
    for collection, name in COLLECTIONS.items():
        check = validator(name)
        for item in document[collection]:
            errors += [(collection, item.get("id"), error.message) for error in check.iter_errors(item)]
    return errors


@pytest.fixture
def record(db):
    """The downloads' record, with a person in a post, a source with an address, and drafts (marked)
    hanging on published records, and published rows pointing at drafts."""
    built = build_record()
    allmep, just_vision = built["allmep"], built["just_vision"]
    report = Source.objects.create(
        key="annual-report",
        title="Annual report 2016",
        title_translation_ar="التقرير السنوي 2016",
        url="https://allmep.example/report-2016.pdf",
        archive_url="https://web.archive.org/web/2017/https://allmep.example/report-2016.pdf",
        status=PUBLISHED,
    )
    membership = Membership.objects.get(member=just_vision)
    membership.left = "2019"
    membership.save()
    cite(membership, report, "left")
    person = Person.objects.get(slug="hazem-fahmy")
    cite(person, report)
    role = Role.objects.create(
        person=person,
        organization=allmep,
        title_ar="مدير تنفيذي",
        title_en="Executive director",
        title_he="מנהל בפועל",
        start="2010-36",
        end="2012-05-01",
        status=PUBLISHED,
    )
    cite(role, report, "title")
    former = Role.objects.create(
        person=person,
        organization=allmep,
        title_ar="مدير تنفيذي",
        title_en="Executive director",
        title_he="מנהל בפועל",
        is_former=True,
        status=PUBLISHED,
    )
    cite(former, built["overview"])
    panel = Event.objects.create(
        slug="panel-2005",
        title_ar="حلقة نقاش",
        title_en="Panel discussion",
        title_he="דיון בפאנל",
        kind="panel",
        start="2005-06-12",
        end="2005-06-13",
        place_en="Washington, D.C.",
        parent=Event.objects.get(slug="coexistence-conference-2005"),
        organizer=just_vision,
        status=PUBLISHED,
    )
    cite(panel, report, "start")

    # Drafts, each carrying the marker.
    draft_org = Organization.objects.create(slug=f"{MARKER}-org", name_en=f"{MARKER} org", kind="ngo", status=DRAFT)
    draft_person = Person.objects.create(slug=f"{MARKER}-person", name_en=f"{MARKER} person", status=DRAFT)
    draft_event = Event.objects.create(slug=f"{MARKER}-event", title_en=f"{MARKER}", kind="summit", status=DRAFT)
    draft_source = Source.objects.create(
        key=f"{MARKER}-source", title=f"{MARKER} source", url=f"https://{MARKER}.example/", status=DRAFT
    )
    Membership.objects.create(member=draft_org, coalition=allmep, joined="2007", status=PUBLISHED)
    Membership.objects.create(member=just_vision, coalition=allmep, note_en=f"{MARKER} note", status=DRAFT)
    Role.objects.create(person=draft_person, organization=allmep, title_en="Chair", status=PUBLISHED)
    Role.objects.create(person=person, organization=allmep, title_en=f"{MARKER} title", status=DRAFT)
    Role.objects.create(person=person, organization=draft_org, title_en="Partner", status=PUBLISHED)
    Organization.objects.create(slug="unit", name_en="A unit", kind="ngo", parent=draft_org, status=PUBLISHED)
    Event.objects.create(
        slug="session", title_en="A session", kind="panel", parent=draft_event, organizer=draft_org, status=PUBLISHED
    )
    for cited in (allmep, membership, person, role, panel):
        cite(cited, draft_source)
    return {**built, "report": report, "person": person, "role": role, "panel": panel}


def download(client, language):
    response = client.get(f"/{language}/export/popolo.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert f"popolo-{language}.json" in response["Content-Disposition"]
    return b"".join(response.streaming_content).decode()


def by_id(document, collection):
    return {item["id"]: item for item in document[collection]}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_object_validates_against_the_popolo_schemas(client, record, language):
    document = json.loads(download(client, language))
    assert set(COLLECTIONS) <= set(document)
    assert all(document[collection] for collection in COLLECTIONS)
    assert invalid_objects(document) == []
    assert document["meta"]["language"] == language
    assert document["meta"]["license"]["name"] == "CC-BY-SA-4.0"


def test_the_schemas_are_checked_with_their_references():
    """The check would catch a broken object, down to the links a $ref points at."""
    document = {collection: [] for collection in COLLECTIONS}
    document["organizations"] = [{"id": "x", "founding_date": "late 2003", "sources": [{"note": "no url"}]}]
    messages = [message for _c, _i, message in invalid_objects(document)]
    assert any("late 2003" in message for message in messages)
    assert any("'url' is a required property" in message for message in messages)


def test_names_and_labels_are_in_the_files_language(client, record):
    names = {}
    for language in LANGUAGES:
        document = json.loads(download(client, language))
        names[language] = (
            by_id(document, "organizations")["allmep"]["name"],
            by_id(document, "events")["panel-2005"]["name"],
            by_id(document, "memberships")[f"role-{record['role'].pk}"]["role"],
        )
    assert names == {
        "ar": ("التحالف من أجل السلام في الشرق الأوسط", "حلقة نقاش", "مدير تنفيذي"),
        "en": ("Alliance for Middle East Peace", "Panel discussion", "Executive director"),
        "he": ("הברית לשלום במזרח התיכון", "דיון בפאנל", "מנהל בפועל"),
    }


def test_the_coalitions_members_are_memberships_with_a_member(client, record):
    document = json.loads(download(client, "en"))
    members = [item for item in document["memberships"] if "member" in item]
    assert [(item["member"]["@type"], item["member"]["id"], item["organization_id"]) for item in members] == [
        ("Organization", "just-vision", "allmep")
    ]
    assert members[0]["start_date"] == "2004-02"
    assert members[0]["end_date"] == "2019"
    assert by_id(document, "organizations")["allmep"]["classification"] == "coalition"


def test_people_hold_posts_through_memberships_with_roles(client, record):
    document = json.loads(download(client, "en"))
    assert set(by_id(document, "persons")) == {"hazem-fahmy"}
    roles = [item for item in document["memberships"] if item.get("person_id") == "hazem-fahmy"]
    assert sorted((item["role"], item["label"], item.get("organization_id")) for item in roles) == [
        ("Executive director", "Executive director", "allmep"),
        ("Executive director", "former Executive director", "allmep"),
        ("Partner", "Partner", None),  # at a draft organization: held, but not where
    ]
    posts = by_id(document, "posts")
    director = posts[roles[0]["post_id"]]
    assert (director["label"], director["organization_id"]) == ("Executive director", "allmep")
    # One post, held twice: its sources are both roles'.
    assert {role["post_id"] for role in roles if role["role"] == "Executive director"} == {director["id"]}
    assert {link["url"] for link in director["sources"]} == {
        "https://allmep.example/report-2016.pdf",
        "https://web.archive.org/web/20160702000000/allmep.example/overview",
    }
    # The same post in every language.
    arabic = json.loads(download(client, "ar"))
    assert set(by_id(arabic, "posts")) == set(posts)


def test_events_with_their_organizer_and_parent(client, record):
    events = by_id(json.loads(download(client, "en")), "events")
    panel = events["panel-2005"]
    assert panel["start_date"] == "2005-06-12"
    assert panel["end_date"] == "2005-06-13"
    assert panel["location"] == "Washington, D.C."
    assert panel["classification"] == "panel discussion"
    assert (panel["organization_id"], panel["parent_id"]) == ("just-vision", "coexistence-conference-2005")
    assert events["coexistence-conference-2005"]["organization_id"] == "allmep"
    # Pointing at drafts: neither the draft parent nor the draft organizer is named.
    assert "parent_id" not in events["session"] and "organization_id" not in events["session"]


def test_every_object_carries_its_sources(client, record):
    document = json.loads(download(client, "en"))
    assert all("sources" in item for collection in COLLECTIONS for item in document[collection])
    report = {"url": "https://allmep.example/report-2016.pdf", "note": "Annual report 2016"}
    allmep = by_id(document, "organizations")["allmep"]
    # The overview has only an archived copy, which stands for it; the Stanford report has neither
    # an address nor a copy: its page in this record stands for it; the draft source never shows.
    assert allmep["sources"] == [
        {"url": "https://web.archive.org/web/20160702000000/allmep.example/overview", "note": "Overview"},
        {
            "url": "http://testserver/en/sources/stanford-coexistence/",
            "note": "Promoting People-to-People Coexistence in the Middle East",
        },
    ]
    assert by_id(document, "persons")["hazem-fahmy"]["sources"] == [report]
    assert by_id(document, "events")["panel-2005"]["sources"] == [report]
    member = next(item for item in document["memberships"] if "member" in item)
    assert member["sources"][0]["note"] == "Overview"
    assert report in member["sources"]
    # The note is the translated title where the language has one.
    arabic = json.loads(download(client, "ar"))
    assert by_id(arabic, "persons")["hazem-fahmy"]["sources"][0]["note"] == "التقرير السنوي 2016"


def test_partial_dates_are_reduced_with_their_bounds_kept(client, record):
    document = json.loads(download(client, "en"))
    allmep = by_id(document, "organizations")["allmep"]
    assert allmep["founding_date"] == "2003"  # late 2003
    assert allmep[popolo.DATE_BOUNDS] == {
        "founding_date": {"edtf": "2003-36", "earliest": "2003-10-01", "latest": "2003-12-31"}
    }
    role = by_id(document, "memberships")[f"role-{record['role'].pk}"]
    assert (role["start_date"], role["end_date"]) == ("2010", "2012-05-01")
    assert role[popolo.DATE_BOUNDS] == {
        "start_date": {"edtf": "2010-36", "earliest": "2010-10-01", "latest": "2010-12-31"},
        "end_date": {"edtf": "2012-05-01", "earliest": "2012-05-01", "latest": "2012-05-01"},
    }
    member = next(item for item in document["memberships"] if "member" in item)
    assert member[popolo.DATE_BOUNDS]["start_date"] == {
        "edtf": "2004-02",
        "earliest": "2004-02-01",
        "latest": "2004-02-29",
    }
    # The extension is documented in the file itself.
    assert "earliest" in document["meta"]["extensions"][popolo.DATE_BOUNDS]


@pytest.mark.parametrize("language", LANGUAGES)
def test_drafts_never_appear(client, record, language):
    text = download(client, language)
    position = text.lower().find(MARKER)
    assert position < 0, f"a draft shows: …{text[max(position - 150, 0) : position + 150]}…"
    document = json.loads(text)
    assert "hidden-org" not in text and "draft-person" not in text and "secret-event" not in text
    assert set(by_id(document, "organizations")) == {"allmep", "just-vision", "unit"}
    assert set(by_id(document, "events")) == {"coexistence-conference-2005", "panel-2005", "session"}
    # The draft person's published role is not published either: a role shows through its holder.
    assert not [item for item in document["memberships"] if item.get("person_id", "").startswith(MARKER)]


def test_the_data_package_holds_a_popolo_file_per_language_and_still_validates(record, tmp_path):
    call_command("export_datapackage", str(tmp_path / "package.zip"), stdout=io.StringIO())
    with zipfile.ZipFile(tmp_path / "package.zip") as archive:
        archive.extractall(tmp_path / "package")
    root = tmp_path / "package"
    descriptor = json.loads((root / "datapackage.json").read_text())
    resources = {resource["name"]: resource for resource in descriptor["resources"]}
    for language in LANGUAGES:
        resource = resources[f"popolo-{language}"]
        assert (resource["format"], resource["mediatype"]) == ("json", "application/json")
        assert popolo.DATE_BOUNDS in resource["description"]
        document = json.loads((root / resource["path"]).read_text())
        assert document["meta"]["language"] == language
        assert invalid_objects(document) == []
        assert MARKER not in json.dumps(document)
    executable = Path(sys.executable).with_name("frictionless")
    result = subprocess.run(
        [str(executable), "validate", str(root / "datapackage.json")], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_downloads_page_links_a_popolo_file_per_language(client, record):
    for language in LANGUAGES:
        page = client.get(f"/{language}/export/").content.decode()
        for other in LANGUAGES:
            assert f'href="/{other}/export/popolo.json"' in page
        assert popolo.DATE_BOUNDS in page
    assert "Popolo" in client.get("/en/export/").content.decode()


def more_of_everything(number):
    """Published records of every exported kind, each cited, to grow the record."""
    coalition = Organization.objects.get(slug="allmep")
    source = Source.objects.get(key="annual-report")
    for index in range(number):
        organization = Organization.objects.create(
            slug=f"more-{index}", name_en=f"More {index}", kind="ngo", parent=coalition, status=PUBLISHED
        )
        membership = Membership.objects.create(member=organization, coalition=coalition, status=PUBLISHED)
        person = Person.objects.create(slug=f"person-{index}", name_en=f"Person {index}", status=PUBLISHED)
        role = Role.objects.create(
            person=person, organization=organization, title_en=f"Post {index}", start="2001", status=PUBLISHED
        )
        event = Event.objects.create(
            slug=f"event-{index}", title_en=f"Event {index}", kind="panel", organizer=organization, status=PUBLISHED
        )
        for cited in (organization, membership, person, role, event):
            cite(cited, source)


def queries_of_export(language):
    with CaptureQueriesContext(connection) as queries:
        document = json.loads(b"".join(popolo.chunks(language)))
    return len(queries), document


def test_the_export_reads_a_fixed_number_of_queries(record):
    queries_of_export("en")  # content types cached, as in a running site
    before, document = queries_of_export("en")
    more_of_everything(6)
    after, grown = queries_of_export("en")
    assert len(grown["organizations"]) == len(document["organizations"]) + 6
    assert len(grown["posts"]) == len(document["posts"]) + 6
    assert before == after == 6  # one per collection (roles give memberships and posts) and one of citations
