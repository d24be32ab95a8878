"""The API at scale: cursor pages walk a collection whole and cheaply, numbered pages keep their
count, citations stay limited to published records whichever way they are paged."""

import base64

import pytest
import yaml
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from citations.models import Citation, Source
from events.models import Event, Meeting
from organizations.models import Organization
from tests.answers import get_json
from tests.factories import DRAFT, PUBLISHED, build_record


@pytest.fixture
def record(db):
    return build_record()


def organizations(start, stop, **fields):
    fields.setdefault("kind", "ngo")
    fields.setdefault("status", PUBLISHED)
    return [
        Organization.objects.create(slug=f"org-{number:03d}", name_en=f"Org {number:03d}", **fields)
        for number in range(start, stop)
    ]


def walk(client, url, link="next"):
    """Every page from ``url`` on, following ``link``: the pages' identifiers, in order."""
    pages = []
    while url:
        data = get_json(client, url)
        assert data["count"] is None
        pages.append([item["id"] for item in data["results"]])
        url = data[link]
    return pages


def test_cursor_pages_walk_the_whole_collection_without_duplicates_or_gaps(client, record):
    organizations(0, 10)
    everything = {item["id"] for item in get_json(client, "/api/organizations/?page_size=500")["results"]}
    assert len(everything) == 12  # two from the fixture
    pages = walk(client, "/api/organizations/?cursor=&page_size=5")
    assert [len(page) for page in pages] == [5, 5, 2]
    seen = [identifier for page in pages for identifier in page]
    assert len(seen) == len(set(seen)) and set(seen) == everything
    # Back from the last page by the previous links: the same pages, in reverse.
    last = get_json(client, "/api/organizations/?cursor=&page_size=5")
    while last["next"]:
        last = get_json(client, last["next"])
    backwards = walk(client, last["previous"], link="previous")
    assert backwards == pages[-2::-1]


def test_cursor_pages_keep_their_place_while_records_are_added_and_removed(client, record):
    created = organizations(0, 6)
    first = get_json(client, "/api/organizations/?cursor=&page_size=4")
    seen = [item["id"] for item in first["results"]]
    # An edit between two pages: a record added (it comes last), one not yet seen unpublished.
    Organization.objects.create(slug="newcomer", name_en="Newcomer", kind="ngo", status=PUBLISHED)
    created[-1].status = DRAFT
    created[-1].save()
    url = first["next"]
    while url:
        data = get_json(client, url)
        seen += [item["id"] for item in data["results"]]
        url = data["next"]
    assert len(seen) == len(set(seen))
    assert seen[-1] == "newcomer"
    assert created[-1].slug not in seen
    assert {organization.slug for organization in created[:-1]} <= set(seen)


def test_cursor_pages_take_the_filters(client, record):
    organizations(0, 3)
    organizations(3, 6, kind="grassroots")
    pages = walk(client, "/api/organizations/?kind=grassroots&cursor=&page_size=2")
    assert sorted(identifier for page in pages for identifier in page) == ["org-003", "org-004", "org-005"]
    # Sorting is for numbered pages; cursor pages keep their own order, and say nothing else.
    assert walk(client, "/api/organizations/?kind=grassroots&sort=-name&cursor=&page_size=2") == pages


def cursor(text):
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "value",
    [
        "zzz",
        "!!",
        "é",
        cursor("n:abc"),
        cursor("n:-1"),
        cursor("n:0"),
        cursor("x:5"),
        cursor("n:99999999999999999999"),  # past PostgreSQL's bigint
        cursor("n:5") + "==",  # not the form the API writes
        cursor("n:5\x00"),
    ],
)
def test_a_bad_cursor_is_a_404_with_a_message(client, record, value):
    data = get_json(client, "/api/events/", status=404, QUERY_STRING=f"cursor={value}", HTTP_ACCEPT_LANGUAGE="en")
    assert "Invalid cursor" in data["detail"]


def test_numbered_pages_are_unchanged(client, record):
    organizations(0, 5)
    first = get_json(client, "/api/organizations/?page_size=3")
    assert first["count"] == 7
    assert "page=2" in first["next"] and "cursor" not in first["next"]
    last = get_json(client, "/api/organizations/?page_size=3&page=3")
    assert len(last["results"]) == 1
    # Numbered pages are read in the listing's own order (also when sorted), page after page.
    for sort in ("", "&sort=-name"):
        whole = [item["id"] for item in get_json(client, f"/api/organizations/?page_size=500{sort}")["results"]]
        pages = [get_json(client, f"/api/organizations/?page_size=3&page={page}{sort}") for page in (1, 2, 3)]
        assert [item["id"] for page in pages for item in page["results"]] == whole


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        get_json(client, url)
    return len(queries)


@pytest.mark.parametrize("url", ["/api/organizations/?cursor=", "/api/meetings/?cursor=", "/api/citations/?cursor="])
def test_cursor_pages_cost_the_same_queries_for_few_and_many_records(client, record, url):
    get_json(client, url)  # content types cached, as in any running site
    small = count_queries(client, url + "&page_size=3")
    added = organizations(0, 30)
    coalition = Organization.objects.get(slug="allmep")
    for number, organization in enumerate(added):
        meeting = Meeting.objects.create(
            slug=f"meeting-{number}", title_en="Talks", organization=coalition, status=PUBLISHED
        )
        meeting.counterparts.add(organization)
    content_type = ContentType.objects.get_for_model(Organization)
    source = Source.objects.get(key="allmep-overview")
    for organization in added:
        Citation.objects.create(source=source, content_type=content_type, object_id=organization.pk)
    # The first page, and one deep in the collection.
    assert count_queries(client, url + "&page_size=3") == small
    data = get_json(client, url + "&page_size=3")
    assert count_queries(client, data["next"]) <= small + 1  # the look back for a previous page
    assert small <= 5


def test_citations_of_drafts_are_left_out_on_every_kind_of_page(client, record):
    content_type = ContentType.objects.get_for_model(Event)
    draft_event = Event.objects.create(slug="draft-event", title_en="Draft", kind="conference", status=DRAFT)
    source = Source.objects.get(key="allmep-overview")
    draft_source = Source.objects.get(key="draft-source")
    for cited_source in (source, draft_source):
        Citation.objects.create(source=cited_source, content_type=content_type, object_id=draft_event.pk)
    numbered = get_json(client, "/api/citations/?page_size=500")
    cursor_pages = walk(client, "/api/citations/?cursor=&page_size=2")
    identifiers = sorted(item["id"] for item in numbered["results"])
    assert sorted(identifier for page in cursor_pages for identifier in page) == identifiers
    assert numbered["count"] == len(identifiers)
    assert all(item["record_id"] != "draft-event" and item["source"] != "draft-source" for item in numbered["results"])
    leaked = Citation.objects.filter(object_id=draft_event.pk, content_type=content_type).values_list("pk", flat=True)
    assert not set(leaked) & set(identifiers)


def test_openapi_describes_cursor_pages(client, db):
    schema = yaml.safe_load(client.get("/api/schema/", HTTP_ACCEPT_LANGUAGE="en").content)
    operation = schema["paths"]["/api/events/"]["get"]
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    assert parameters["cursor"]["schema"]["type"] == "string"
    assert "next" in parameters["cursor"]["description"]
    page_schema = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    count = schema["components"]["schemas"][page_schema]["properties"]["count"]
    assert count["nullable"] is True


@pytest.mark.parametrize("page", ["0", "abc", "²", ""])
def test_a_page_number_that_is_no_page_is_a_404_with_a_cursor_too(client, record, page):
    get_json(client, f"/api/events/?page={page}", status=404)
    get_json(client, f"/api/events/?cursor=&page={page}", status=404)


def test_a_cursor_before_the_first_row_leads_to_the_first_page(client, record):
    organizations(0, 3)
    data = get_json(client, f"/api/organizations/?cursor={cursor('p:1')}&page_size=2")
    assert data["results"] == []
    first = get_json(client, data["next"])
    assert [item["id"] for item in first["results"]] == [
        item["id"] for item in get_json(client, "/api/organizations/?cursor=&page_size=2")["results"]
    ]


def test_a_kept_count_changes_with_the_next_edit(client, record):
    organizations(0, 5)
    before = get_json(client, "/api/organizations/?page_size=2")["count"]
    with CaptureQueriesContext(connection) as queries:
        assert get_json(client, "/api/organizations/?page_size=2&page=2")["count"] == before
    assert not any("COUNT(" in query["sql"] for query in queries.captured_queries), "the count was not kept"

    Organization.objects.filter(slug="org-004").get().delete()

    assert get_json(client, "/api/organizations/?page_size=2")["count"] == before - 1


@pytest.mark.parametrize("listing", ["organizations", "citations"])
def test_deep_pages_read_in_two_steps_are_the_same_pages(client, record, monkeypatch, listing):
    from records.pagination import NumberedPaginator

    organizations(0, 8)
    source = Source.objects.create(key="deep", title="Deep", status=PUBLISHED)
    content_type = ContentType.objects.get_for_model(Organization)
    for organization in Organization.objects.filter(slug__startswith="org-"):
        Citation.objects.create(source=source, content_type=content_type, object_id=organization.pk)
    url = f"/api/{listing}/?page_size=3"
    direct = [get_json(client, f"{url}&page={page}")["results"] for page in (1, 2, 3)]

    monkeypatch.setattr(NumberedPaginator, "DEFER_FROM", 3)  # pages 2 and on are read in two steps
    deferred = [get_json(client, f"{url}&page={page}")["results"] for page in (1, 2, 3)]

    assert deferred == direct
    assert all(direct)
