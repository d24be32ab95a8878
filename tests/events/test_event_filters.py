"""The organization filters of the event timeline and the meetings list (?organizer=, ?counterpart=):
a search box taking an identifier or an exact name, whatever the number of organizations, with
suggestions from /<lang>/organizations/suggest.json; the same parameters on the downloads and the API."""

import csv
import io
import re
import tempfile
from pathlib import Path

import pytest
import yaml
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Event, Meeting
from organizations.models import Organization
from records.versioning import revision
from tests.answers import axe_violations, describe_violations, visit
from tests.factories import make_record

PUBLISHED = "published"
DRAFT = "draft"
# The filter form in Arabic with its suggestions, for people to look at.
SCREENSHOT = Path(tempfile.gettempdir()) / "event-filters-ar.png"
UNKNOWN_MESSAGE = "No organization in the record is called “%s”: type its exact name or its identifier."


@pytest.fixture
def record(db):
    return make_record()


def listed_titles(page):
    return re.findall(r'<a href="/en/events/[^"]+"><bdi>([^<]+)</bdi></a>', page)


def organizations(count, prefix="org", status=PUBLISHED):
    return Organization.objects.bulk_create(
        Organization(slug=f"{prefix}-{n:04d}", name_en=f"{prefix.title()} {n:04d}", kind="ngo", status=status)
        for n in range(count)
    )


def suggestions(client, query, language="en", status=200):
    response = client.get(f"/{language}/organizations/suggest.json", {"q": query})
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    return response.json()["results"]


# The page, its downloads and the API take an identifier (slug) or an exact name in any language.
@pytest.mark.parametrize("value", ["allmep", "Alliance for Middle East Peace", "التحالف من أجل السلام في الشرق الأوسط"])
def test_timeline_filters_by_organizer_identifier_or_name(client, record, value):
    Event.objects.create(slug="other", title_en="Another summit", kind="summit", start="2005", status=PUBLISHED)
    response = client.get("/en/events/", {"organizer": value})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Summer conference on coexistence" in page
    assert "Another summit" not in page
    assert "Another summit" in client.get("/en/events/").content.decode()


def test_meetings_filter_by_counterpart(client, record):
    assert "Summit meetings" in client.get("/en/events/meetings/?counterpart=just-vision").content.decode()
    page = client.get("/en/events/meetings/?counterpart=allmep")
    assert page.status_code == 200
    assert "Summit meetings" not in page.content.decode()
    assert "No meeting matches these filters." in page.content.decode()


def test_a_meeting_with_two_counterparts_of_one_name_is_listed_once(client, record):
    twin = Organization.objects.create(slug="just-vision-2", name_en="Just Vision", kind="ngo", status=PUBLISHED)
    record["meeting"].counterparts.add(twin)
    page = client.get("/en/events/meetings/", {"counterpart": "Just Vision"}).content.decode()
    assert page.count("Summit meetings</bdi>") == 1
    assert "1 meeting" in page


def test_the_value_stays_in_the_box_after_submitting(client, record):
    page = client.get("/en/events/?organizer=allmep").content.decode()
    box = re.search(r'<input type="search" name="organizer"[^>]*>', page).group()
    assert 'value="allmep"' in box
    assert 'data-suggest="/en/organizations/suggest.json"' in box
    assert '<details class="filters" open>' in page


@pytest.mark.parametrize(
    ("path", "parameter", "value"),
    [
        ("/en/events/", "organizer", "nobody"),
        ("/en/events/", "organizer", "secret-org"),  # a draft
        ("/en/events/meetings/", "counterpart", "nobody"),
        ("/en/events/meetings/", "counterpart", "Alliance"),  # not the whole name
    ],
)
def test_an_unknown_organization_is_a_400_with_a_message(client, record, path, parameter, value):
    response = client.get(path, {parameter: value})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page
    assert UNKNOWN_MESSAGE % value in page


@pytest.mark.parametrize("value", ["\x00", "x" * 301, "a\x00b"])
def test_text_no_organization_can_have_is_a_400(client, record, value):
    assert client.get("/en/events/", {"organizer": value}).status_code == 400
    assert client.get("/en/events/meetings/", {"counterpart": value}).status_code == 400


def test_the_filter_box_does_not_grow_with_the_organizations(client, record):
    before = client.get("/en/events/").content.decode()
    created = organizations(300)
    Event.objects.bulk_create(
        Event(slug=f"event-{n:04d}", title_en=f"Event {n:04d}", kind="summit", organizer=organization, status=PUBLISHED)
        for n, organization in enumerate(created)
    )
    meetings = Meeting.objects.bulk_create(
        Meeting(
            slug=f"meeting-{n:04d}", title_en=f"Meeting {n:04d}", organization=record["coalition"], status=PUBLISHED
        )
        for n in range(300)
    )
    Meeting.counterparts.through.objects.bulk_create(
        Meeting.counterparts.through(meeting=meeting, organization=organization)
        for meeting, organization in zip(meetings, created, strict=True)
    )
    for path in ("/en/events/", "/en/events/meetings/"):
        page = client.get(path).content.decode()
        form = re.search(r"<form method=\"get\">.*?</form>", page, re.DOTALL).group()
        assert "Org 0001" not in form
        assert form.count("<option") < 20  # the kind and sort menus only
    after = client.get("/en/events/").content.decode()
    form_before = re.search(r"<form method=\"get\">.*?</form>", before, re.DOTALL).group()
    form_after = re.search(r"<form method=\"get\">.*?</form>", after, re.DOTALL).group()
    assert form_after == form_before


def test_filtering_by_organization_costs_no_more_queries_with_more_organizations(client, record):
    def queries(path):
        caches["default"].clear()  # the list's kept count and form: measure a first reader's page
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    paths = ["/en/events/?organizer=allmep", "/en/events/meetings/?counterpart=just-vision"]
    client.get(paths[0])  # the content-type cache, as a running site has it
    small = [queries(path) for path in paths]
    organizations(300)
    assert [queries(path) for path in paths] == small


def test_sessions_of_an_unpublished_event_are_listed_on_their_own(client, record):
    draft = Event.objects.create(slug="draft-summit", title_en="Draft summit", kind="summit", status=DRAFT)
    Event.objects.create(
        slug="lost", title_en="Orphan panel", kind="panel", start="2006", parent=draft, status=PUBLISHED
    )
    page = client.get("/en/events/").content.decode()
    # The published conference's panel is listed once, inside it; the draft's panel stands alone.
    assert listed_titles(page) == ["Summer conference on coexistence", "Panel discussion", "Orphan panel"]
    assert "2 events" in page
    assert "Draft summit" not in page


def test_csv_download_filters_by_organizer(client, record):
    Event.objects.create(slug="other", title_en="Another summit", kind="summit", start="2005", status=PUBLISHED)
    response = client.get("/en/export/events.csv", {"organizer": "allmep"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert {row["id"] for row in rows} == {"summer-conference-2005"}
    bad = client.get("/en/export/events.csv", {"organizer": "nobody"})
    assert bad.status_code == 400
    assert UNKNOWN_MESSAGE % "nobody" in bad.content.decode()


def test_csv_download_filters_meetings_by_counterpart(client, record):
    response = client.get("/en/export/meetings.csv", {"counterpart": "just-vision"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert [row["id"] for row in csv.DictReader(io.StringIO(text, newline=""))] == ["summit-meetings-2009"]


def test_api_filters_by_organizer_and_counterpart(client, record):
    Event.objects.create(slug="other", title_en="Another summit", kind="summit", start="2005", status=PUBLISHED)
    events = client.get("/api/events/", {"organizer": "allmep"}).json()["results"]
    assert [event["id"] for event in events] == ["summer-conference-2005"]
    meetings = client.get("/api/meetings/", {"counterpart": "just-vision"}).json()["results"]
    assert [meeting["id"] for meeting in meetings] == ["summit-meetings-2009"]
    response = client.get("/api/events/", {"organizer": "nobody", "lang": "en"})
    assert response.status_code == 400
    assert UNKNOWN_MESSAGE % "nobody" in response.content.decode()


def test_api_description_says_the_organization_parameters_are_text(client, db):
    organizations(5)
    schema = yaml.safe_load(client.get("/api/schema/?lang=en").content)
    for path, name in (("/api/events/", "organizer"), ("/api/meetings/", "counterpart")):
        parameter = next(p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == name)
        assert parameter["schema"]["type"] == "string"
        assert "enum" not in parameter["schema"]
        assert parameter["allowEmptyValue"] is True


# Suggestions.


def test_suggestions_match_a_name_in_any_language_or_the_identifier(client, record):
    assert suggestions(client, "alliance") == [{"slug": "allmep", "name": "Alliance for Middle East Peace"}]
    # In the reader's language, whatever language matched.
    assert suggestions(client, "alliance", language="ar") == [
        {"slug": "allmep", "name": "التحالف من أجل السلام في الشرق الأوسط"}
    ]
    assert suggestions(client, "שלום", language="he") == [{"slug": "allmep", "name": "הברית לשלום במזרח התיכון"}]
    assert suggestions(client, "just-vi") == [{"slug": "just-vision", "name": "Just Vision"}]
    assert suggestions(client, "") == []
    assert suggestions(client, "%") == []  # a wildcard is a character like any other


def test_suggestions_list_only_published_organizations(client, record):
    assert suggestions(client, "secret") == []
    assert suggestions(client, "org") == []
    organizations(3, prefix="hidden", status=DRAFT)
    assert suggestions(client, "hidden") == []


def test_suggestions_are_bounded_and_sorted_by_name(client, db):
    organizations(300)
    with CaptureQueriesContext(connection) as captured:
        results = suggestions(client, "org")
    assert len(results) == 20
    assert [result["name"] for result in results] == [f"Org {n:04d}" for n in range(20)]
    assert len(captured) <= 2  # the content stamp, then one query


@pytest.mark.parametrize("query", ["\x00", "x" * 301])
def test_suggestions_refuse_text_no_name_can_hold(client, db, query):
    assert suggestions(client, query, status=400) == []


def test_list_pages_load_the_suggestions_script(client, record):
    for path in ("/ar/events/", "/ar/events/meetings/"):
        assert '<script src="/static/js/organization-suggest.js" defer></script>' in client.get(path).content.decode()


# In a browser: the script fills the box's suggestions, and the form stays accessible.


@pytest.mark.browser
def test_the_organizer_box_suggests_organizations_in_a_browser(allmep_site, page):
    from playwright.sync_api import expect

    coalition = Organization.objects.get(slug="allmep")
    visit(page, f"{allmep_site.url}/ar/events/")
    page.locator("details.filters summary").click()
    box = page.locator("input[name=organizer]")
    box.press_sequentially(coalition.name_ar[:8])
    suggestion = page.locator("#id_organizer-suggestions option[value=allmep]")
    expect(suggestion).to_have_attribute("label", coalition.name_ar)
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
    page.locator("details.filters").screenshot(path=SCREENSHOT)

    box.fill("allmep")
    page.locator("details.filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ar/events/\?.*organizer=allmep"))
    expect(page.locator("input[name=organizer]")).to_have_value("allmep")

    box = page.locator("input[name=organizer]")
    box.fill("nobody")
    page.locator("details.filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"/ar/events/\?.*organizer=nobody"))
    expect(page.locator("details.filters [role=alert]")).to_contain_text("nobody")
    page.locator("details.filters").screenshot(path=SCREENSHOT.with_name("event-filters-ar-unknown.png"))
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


def test_api_description_says_what_the_organization_parameters_take(client, db):
    schema = yaml.safe_load(client.get("/api/schema/?lang=en").content)
    parameters = schema["paths"]["/api/events/"]["get"]["parameters"]
    organizer = next(parameter for parameter in parameters if parameter["name"] == "organizer")
    assert organizer["description"] == "An organization's identifier (slug), or its exact name in any language."


def test_suggestions_match_names_as_search_does(client, db):
    with revision("Created"):
        Organization.objects.create(
            slug="ahmad-center", name_ar="مَرْكَزُ أحمد للسلام", name_en="Ahmad Center", kind="ngo", status=PUBLISHED
        )
    found = [{"slug": "ahmad-center", "name": "مَرْكَزُ أحمد للسلام"}]
    # Without hamza or tashkeel, with a clitic, or by the start of a word: as the search page matches.
    assert suggestions(client, "احمد", language="ar") == found
    assert suggestions(client, "مركز", language="ar") == found
    assert suggestions(client, "والسلام", language="ar") == found
    assert suggestions(client, "محمد", language="ar") == []
