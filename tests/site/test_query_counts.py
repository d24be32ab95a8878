"""A list page costs the same number of queries with 10 records as with 1,000."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from citations.models import Citation, Source
from events.models import Event, EventParticipant, EventPartner, Meeting
from organizations.models import Membership, Organization, Person, ReportedFigure, Role

PUBLISHED = "published"
# The lists whose rows carry footnotes, and the sources list, whose rows name the pages citing them.
FOOTNOTED_LISTS = ["/ar/organizations/", "/ar/people/", "/ar/events/", "/ar/events/meetings/"]
SOURCES = "/ar/sources/"
LISTS = [*FOOTNOTED_LISTS, SOURCES]
SOURCES_PER_PAGE = 100
MAX_QUERIES = 12


def populate(start, stop):
    """Records numbered start..stop-1 for every list, each with its related rows and a citation.

    bulk_create keeps a thousand rows fast; these rows need no revision or search index here.
    """
    numbers = range(start, stop)
    coalition, _ = Organization.objects.get_or_create(
        slug="allmep", defaults={"name_en": "ALLMEP", "kind": "coalition", "status": PUBLISHED}
    )
    sources = Source.objects.bulk_create(
        Source(key=f"source-{n:04d}", title=f"Source {n}", status=PUBLISHED) for n in numbers
    )
    organizations = Organization.objects.bulk_create(
        Organization(slug=f"org-{n:04d}", name_en=f"Org {n:04d}", kind="ngo", country="US", status=PUBLISHED)
        for n in numbers
    )
    memberships = Membership.objects.bulk_create(
        Membership(member=organization, coalition=coalition, joined="2005", status=PUBLISHED)
        for organization in organizations
    )
    people = Person.objects.bulk_create(
        Person(slug=f"person-{n:04d}", name_en=f"Person {n:04d}", status=PUBLISHED) for n in numbers
    )
    roles = Role.objects.bulk_create(
        Role(person=person, title_en="Ambassador", organization=organization, status=PUBLISHED)
        for person, organization in zip(people, organizations, strict=True)
    )
    events = Event.objects.bulk_create(
        Event(slug=f"event-{n:04d}", title_en=f"Event {n:04d}", kind="conference", start="2005", status=PUBLISHED)
        for n in numbers
    )
    Event.objects.bulk_create(
        Event(slug=f"session-{n:04d}", title_en=f"Session {n:04d}", kind="panel", parent=event, status=PUBLISHED)
        for n, event in zip(numbers, events, strict=True)
    )
    meetings = Meeting.objects.bulk_create(
        Meeting(slug=f"meeting-{n:04d}", title_en=f"Meeting {n:04d}", organization=coalition, status=PUBLISHED)
        for n in numbers
    )
    Meeting.counterparts.through.objects.bulk_create(
        Meeting.counterparts.through(meeting=meeting, organization=organization)
        for meeting, organization in zip(meetings, organizations, strict=True)
    )
    citations = []
    for records in (organizations, memberships, roles, events, meetings):
        content_type = ContentType.objects.get_for_model(records[0])
        citations += [
            Citation(source=source, content_type=content_type, object_id=record.pk)
            for source, record in zip(sources, records, strict=True)
        ]
    Citation.objects.bulk_create(citations)


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", LISTS)
def test_list_pages_cost_the_same_queries_for_10_and_1000_records(client, db, path):
    populate(0, 10)
    client.get(path)  # warm the content-type cache, as any running site has
    small = count_queries(client, path)
    populate(10, 1000)
    large = count_queries(client, path)
    assert small == large
    assert large <= MAX_QUERIES


@pytest.mark.parametrize("path", FOOTNOTED_LISTS)
def test_list_pages_show_a_full_page_of_records_with_their_footnotes(client, db, path):
    populate(0, 120)
    page = client.get(path).content.decode()
    assert "cite_note-1" in page


def test_the_sources_page_shows_a_full_page_of_sources_with_the_pages_citing_them(client, db):
    populate(0, 120)
    client.get(SOURCES)  # warm the content-type cache, as any running site has
    with CaptureQueriesContext(connection) as queries:
        response = client.get(SOURCES)
    assert response.status_code == 200
    assert len(queries) <= MAX_QUERIES
    page = response.content.decode()
    assert '<p class="meta" role="status">120 مصدرًا</p>' in page
    # The first hundred sources by key, each with the four pages that cite it (its membership's citation
    # is on the member's page, already listed).
    shown = re.findall(r'<li id="source-(source-\d{4})"', page)
    assert shown == [f"source-{n:04d}" for n in range(SOURCES_PER_PAGE)]
    citing = [
        re.findall(r'href="([^"]+)"', block) for block in re.findall(r'<ul class="citing-pages">(.*?)</ul>', page, re.S)
    ]
    assert citing == [
        [
            f"/ar/organizations/org-{n:04d}/",
            f"/ar/people/person-{n:04d}/",
            f"/ar/events/event-{n:04d}/",
            f"/ar/events/meetings/meeting-{n:04d}/",
        ]
        for n in range(SOURCES_PER_PAGE)
    ]


# A record's page lists everything tied to it, unpaginated: its queries must not grow with those
# rows. Each bound is the page's count when its view was last rewritten (issue 11); a view may
# get cheaper, never dearer.
PAGES = {
    "/ar/": 7,
    "/ar/organizations/allmep/": 19,  # with its lists past 50 rows, each counted by a query
    "/ar/organizations/org-0000/": 19,
    "/ar/people/person-0000/": 7,
    "/ar/events/event-0000/": 20,  # likewise
    "/ar/events/meetings/meeting-0000/": 5,
}


# Record pages' lists that may pass what the page shows (an organization's: records.sections).
MOST_LISTS_ON_A_PAGE = 6


def tie_to_the_first_event(start, stop):
    """Participants, partners, roles, meetings and figures numbered start..stop-1 on event-0000
    and the coalition, so that the record pages have rows that grow."""
    event = Event.objects.get(slug="event-0000")
    coalition = Organization.objects.get(slug="allmep")
    organizations = Organization.objects.filter(slug__in=[f"org-{n:04d}" for n in range(start, stop)])
    people = Person.objects.filter(slug__in=[f"person-{n:04d}" for n in range(start, stop)])
    EventParticipant.objects.bulk_create(
        [EventParticipant(event=event, organization=organization) for organization in organizations]
        + [EventParticipant(event=event, person=person) for person in people]
    )
    EventPartner.objects.bulk_create(
        EventPartner(event=event, organization=organization) for organization in organizations
    )
    Role.objects.filter(person__in=people).update(event=event)
    Meeting.objects.filter(slug__in=[f"meeting-{n:04d}" for n in range(start, stop)]).update(event=event)
    ReportedFigure.objects.bulk_create(
        ReportedFigure(
            organization=coalition,
            metric="member_organizations",
            value=n,
            as_of=f"{1000 + n:04d}",
            event=event,
            status=PUBLISHED,
        )
        for n in range(start, stop)
    )


@pytest.mark.parametrize("path", PAGES)
def test_record_pages_queries_do_not_grow_with_their_rows(client, db, path):
    populate(0, 10)
    tie_to_the_first_event(0, 10)
    client.get(path)  # warm the content-type cache, as any running site has
    small = count_queries(client, path)
    populate(10, 200)
    tie_to_the_first_event(10, 200)
    large = count_queries(client, path)
    populate(200, 300)
    tie_to_the_first_event(200, 300)
    larger = count_queries(client, path)
    # A list longer than a page shows is counted by one more query (records.sections), and
    # nothing more grows with the rows.
    assert large == larger
    assert large - small <= MOST_LISTS_ON_A_PAGE, (small, large)
    assert large <= PAGES[path], large
