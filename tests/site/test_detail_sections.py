"""A record's page shows the first rows of each list that may grow without bound (a coalition's
members, an organization's events, an event's participants, a source's citing pages...), says how
many there are, and links to all of them; its cost and its footnotes follow the rows it shows."""

import re
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from citations.models import Citation, Source
from citations.views import SOURCE_SECTIONS
from events.models import Event, EventParticipant, EventPartner, Meeting
from events.views import EVENT_SECTIONS
from organizations.models import Membership, Organization, Person, Role
from organizations.views import ORGANIZATION_SECTIONS, PERSON_SECTIONS
from records import caching
from records import sections as sections_module

PUBLISHED = "published"


def year(number):
    return f"{1900 + number:04d}"


def crowd(start, stop):
    """Rows numbered start..stop-1 in every list of four record pages, each row cited by a source
    of its own, in the order its page lists them:

    * the coalition "coalition": members member-NNN;
    * the organization "hub": the events organized-NNN it organized, attended-NNN it took part in,
      partnered-NNN it was a partner of, the meetings meeting-NNN it held, and the roles of people
      person-NNN at it;
    * the person "someone": roles "Role NNN", and taking part in attended-NNN;
    * the event "gathering": participants member-NNN, the roles of person-NNN, partners
      partner-NNN, sessions session-NNN and meetings meeting-NNN;
    * the source "popular" is cited on the pages of member-NNN.

    bulk_create keeps hundreds of rows fast; these rows need no revision or search index here.
    """
    numbers = range(start, stop)
    published = {"status": PUBLISHED}
    coalition, _ = Organization.objects.get_or_create(
        slug="coalition", defaults={"name_en": "Coalition", "kind": "coalition", **published}
    )
    hub, _ = Organization.objects.get_or_create(slug="hub", defaults={"name_en": "Hub", "kind": "ngo", **published})
    someone, _ = Person.objects.get_or_create(slug="someone", defaults={"name_en": "Someone", **published})
    gathering, _ = Event.objects.get_or_create(
        slug="gathering", defaults={"title_en": "Gathering", "kind": "conference", "start": "2000", **published}
    )
    popular, _ = Source.objects.get_or_create(key="popular", defaults={"title": "Popular", **published})

    def organizations(prefix):
        return Organization.objects.bulk_create(
            Organization(slug=f"{prefix}-{n:03d}", name_en=f"{prefix} {n:03d}", kind="ngo", **published)
            for n in numbers
        )

    def events(prefix, **fields):
        return Event.objects.bulk_create(
            Event(
                slug=f"{prefix}-{n:03d}",
                title_en=f"{prefix} {n:03d}",
                kind="panel",
                start=year(n),
                **fields,
                **published,
            )
            for n in numbers
        )

    members, partners = organizations("member"), organizations("partner")
    people = Person.objects.bulk_create(
        Person(slug=f"person-{n:03d}", name_en=f"Person {n:03d}", **published) for n in numbers
    )
    attended = events("attended")
    cited = {
        "members": Membership.objects.bulk_create(
            Membership(member=member, coalition=coalition, joined=year(n), **published)
            for n, member in zip(numbers, members, strict=True)
        ),
        "organized": events("organized", organizer=hub),
        "participations": EventParticipant.objects.bulk_create(
            EventParticipant(event=event, organization=hub) for event in attended
        ),
        "partnerships": EventPartner.objects.bulk_create(
            EventPartner(event=event, organization=hub) for event in events("partnered")
        ),
        "meetings": Meeting.objects.bulk_create(
            Meeting(
                slug=f"meeting-{n:03d}",
                title_en=f"Meeting {n:03d}",
                organization=hub,
                event=gathering,
                date=year(n),
                **published,
            )
            for n in numbers
        ),
        "people": Role.objects.bulk_create(
            Role(person=person, title_en="Delegate", organization=hub, event=gathering, start=year(n), **published)
            for n, person in zip(numbers, people, strict=True)
        ),
        "roles": Role.objects.bulk_create(
            Role(person=someone, title_en=f"Role {n:03d}", start=year(n), **published) for n in numbers
        ),
        "events": EventParticipant.objects.bulk_create(
            EventParticipant(event=event, person=someone) for event in attended
        ),
        "participants": EventParticipant.objects.bulk_create(
            EventParticipant(event=gathering, organization=member, position=n)
            for n, member in zip(numbers, members, strict=True)
        ),
        "partners": EventPartner.objects.bulk_create(
            EventPartner(event=gathering, organization=partner) for partner in partners
        ),
        "sessions": events("session", parent=gathering),
    }
    citations = [
        Citation(source=popular, content_type=ContentType.objects.get_for_model(member), object_id=member.pk)
        for member in members
    ]
    for label, rows in cited.items():
        sources = Source.objects.bulk_create(
            Source(key=f"{label}-{n:03d}", title=f"Evidence for {label} {n:03d}", **published) for n in numbers
        )
        content_type = ContentType.objects.get_for_model(rows[0])
        claim = "organizer" if label == "organized" else ""  # an event's page lists it for its organizer
        citations += [
            Citation(source=source, content_type=content_type, object_id=row.pk, claim=claim)
            for source, row in zip(sources, rows, strict=True)
        ]
    Citation.objects.bulk_create(citations)
    caching.bump()  # bulk_create sends no signal: as an editor's save would, make counts and pages fresh


def linked(prefix):
    """What the rows link to: the pages whose slugs start with ``prefix``, with their number."""
    return rf'href="/en/{prefix}-(\d{{3}})/"'


COALITION, HUB, SOMEONE, GATHERING, POPULAR = (
    "/en/organizations/coalition/",
    "/en/organizations/hub/",
    "/en/people/someone/",
    "/en/events/gathering/",
    "/en/sources/popular/",
)
# (record page, its sections, section, what its rows link to or say, its citations' label, the link's words)
SECTIONS = [
    (COALITION, ORGANIZATION_SECTIONS, "members", linked("organizations/member"), "members", "members"),
    (HUB, ORGANIZATION_SECTIONS, "organized-events", linked("events/organized"), "organized", "events it organized"),
    (
        HUB,
        ORGANIZATION_SECTIONS,
        "participations",
        linked("events/attended"),
        "participations",
        "events it took part in",
    ),
    (
        HUB,
        ORGANIZATION_SECTIONS,
        "partnerships",
        linked("events/partnered"),
        "partnerships",
        "events it was a partner of",
    ),
    (HUB, ORGANIZATION_SECTIONS, "meetings", linked("events/meetings/meeting"), "meetings", "meetings"),
    (HUB, ORGANIZATION_SECTIONS, "people", linked("people/person"), "people", "roles"),
    (SOMEONE, PERSON_SECTIONS, "roles", r"Role (\d{3})", "roles", "roles"),
    (SOMEONE, PERSON_SECTIONS, "events", linked("events/attended"), "events", "events"),
    (GATHERING, EVENT_SECTIONS, "participants", linked("organizations/member"), "participants", "participants"),
    (GATHERING, EVENT_SECTIONS, "roles", linked("people/person"), "people", "roles"),
    (GATHERING, EVENT_SECTIONS, "partners", linked("organizations/partner"), "partners", "partners"),
    (GATHERING, EVENT_SECTIONS, "sessions", linked("events/session"), "sessions", "sessions"),
    (GATHERING, EVENT_SECTIONS, "meetings", linked("events/meetings/meeting"), "meetings", "meetings"),
    (POPULAR, SOURCE_SECTIONS, "pages", linked("organizations/member"), None, "pages citing it"),
]
SECTION_IDS = [f"{page.split('/')[-2]}:{section}" for page, _sections, section, *_rest in SECTIONS]
RECORD_PAGES = sorted({page for page, *_rest in SECTIONS})


def numbers_shown(html, row):
    return [int(number) for number in dict.fromkeys(re.findall(row, html))]


def more_link(html, words):
    """The address of the "All N …" link and N, or None."""
    found = re.search(rf'<a href="([^"]+)">All (\d+) {re.escape(words)}</a>', html)
    return (found.group(1).replace("&amp;", "&"), int(found.group(2))) if found else None


def evidence(label, number):
    return f"Evidence for {label} {number:03d}"


@pytest.mark.django_db
@pytest.mark.parametrize(("page", "sections", "section", "row", "label", "words"), SECTIONS, ids=SECTION_IDS)
def test_a_record_page_shows_the_first_rows_of_a_long_list_and_links_to_all(
    client, page, sections, section, row, label, words
):
    shown = sections[section].shown
    crowd(0, shown + 5)

    html = client.get(page).content.decode()

    assert numbers_shown(html, row) == list(range(shown))
    # The footnotes are those of the rows shown.
    if label:
        assert evidence(label, 0) in html and evidence(label, shown - 1) in html
        assert evidence(label, shown) not in html
    _address, total = more_link(html, words)
    assert total == shown + 5


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("page", "sections", "section", "row", "label", "words"),
    [case for case in SECTIONS if case[2] != "members"],
    ids=[name for name in SECTION_IDS if name != "coalition:members"],
)
def test_the_link_opens_every_row_of_the_list_page_by_page(client, page, sections, section, row, label, words):
    shown = sections[section].shown
    crowd(0, shown + 5)
    address, _total = more_link(client.get(page).content.decode(), words)
    assert address == f"{page}{section}/"

    first = client.get(address)
    second = client.get(address, {"page": 2})

    assert first.status_code == second.status_code == 200
    first, second = first.content.decode(), second.content.decode()
    assert numbers_shown(first, row) == list(range(shown))
    assert numbers_shown(second, row) == list(range(shown, shown + 5))
    assert "Page 2 of 2" in second
    # Its title names the record, and the page links back to it.
    assert f'href="{page}"' in second
    if label:
        assert evidence(label, shown) in second and evidence(label, shown - 1) not in second


@pytest.mark.django_db
def test_a_coalition_links_to_the_directory_of_its_members(client):
    shown = ORGANIZATION_SECTIONS["members"].shown
    crowd(0, shown + 5)
    address, total = more_link(client.get("/en/organizations/coalition/").content.decode(), "members")
    assert address == "/en/organizations/?member_of=coalition"

    directory = client.get(address).content.decode()

    assert f'<p class="meta" role="status">{total} organizations</p>' in directory


@pytest.mark.django_db
def test_a_short_list_is_shown_whole_without_a_link(client):
    crowd(0, 3)
    for page in RECORD_PAGES:
        html = client.get(page).content.decode()
        assert not re.search(r">All \d+ ", html), page


@pytest.mark.django_db
@pytest.mark.parametrize("page", RECORD_PAGES)
def test_a_record_page_costs_no_more_queries_as_its_lists_grow(client, page):
    crowd(0, 3)
    client.get(page)  # warm the content-type cache, as any running site has

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page).status_code == 200
        return len(captured)

    few = queries()
    crowd(3, 60)
    some = queries()
    crowd(60, 200)
    many = queries()
    # Lists longer than the page shows cost one count each, then nothing grows with the rows.
    assert some == many, (few, some, many)
    assert few <= some <= few + 6, (few, some, many)


@pytest.mark.django_db
@pytest.mark.parametrize("section", ["organized-events", "people"])
def test_a_list_page_of_a_section_costs_the_same_queries_on_any_page(client, section):
    crowd(0, 60)
    address = f"/en/organizations/hub/{section}/"
    client.get(address)

    def queries(number):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(address, {"page": number}).status_code == 200
        return len(captured)

    first = queries(1)
    crowd(60, 300)
    client.get(address)  # the count is kept between requests, as on any list (records.pagination)
    assert queries(1) == queries(5) == first


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address",
    [
        "/en/organizations/hub/nothing/",
        "/en/organizations/nobody/meetings/",
        "/en/people/someone/members/",
        "/en/events/gathering/roles-and-more/",
        "/en/sources/popular/nothing/",
        "/en/sources/nowhere/pages/",
        "/en/organizations/draft-org/meetings/",
    ],
)
def test_a_list_that_is_not_there_is_a_404(client, address):
    crowd(0, 2)
    Organization.objects.create(slug="draft-org", name_en="Draft", kind="ngo", status="draft")
    assert client.get(address).status_code == 404


@pytest.mark.django_db
def test_a_page_number_that_is_not_a_page_shows_the_nearest_one(client):
    crowd(0, 60)
    assert client.get("/en/organizations/hub/meetings/", {"page": "x"}).status_code == 200
    assert "Page 2 of 2" in client.get("/en/organizations/hub/meetings/", {"page": 99}).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "he"])
def test_the_link_is_in_the_reader_s_language(client, language):
    shown = ORGANIZATION_SECTIONS["meetings"].shown
    crowd(0, shown + 5)
    html = client.get(f"/{language}/organizations/hub/").content.decode()
    expected = {"ar": f"كل الاجتماعات الـ{shown + 5}", "he": f"כל {shown + 5} הפגישות"}[language]
    assert f'<a href="/{language}/organizations/hub/meetings/">{expected}</a>' in html


@pytest.mark.django_db
def test_every_list_of_the_allmep_record_is_shown_whole_on_its_page():
    """The ALLMEP dataset's pages stay as they were: each section shows fewer rows than it may."""
    call_command("load_allmep", stdout=StringIO())
    records = [
        (Organization, ORGANIZATION_SECTIONS),
        (Person, PERSON_SECTIONS),
        (Event, EVENT_SECTIONS),
        (Source, SOURCE_SECTIONS),
    ]
    largest = {}
    for model, sections in records:
        for record in model.objects.published():
            for name, section in sections.items():
                count = sections_module.first_rows(section.rows(record), section.shown, str).total
                largest[(model.__name__, name)] = max(largest.get((model.__name__, name), 0), count)
                assert count < section.shown, (record, name, count)
    assert largest[("Source", "pages")] > 10  # the check reads the dataset
