"""Memento (RFC 7089) by hand: each record page is its own TimeGate (Pattern 1.1, 302-style), its
version pages are its mementos, and each page has a TimeMap in link-format; the page cache never
answers a datetime-negotiated request, and 304s keep working."""

import datetime
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.http import http_date
from reversion.models import Revision

from organizations.models import Organization
from records.history import versions_for
from records.models import PublicationStatus
from records.versioning import revision

pytestmark = pytest.mark.django_db

PUBLISHED = PublicationStatus.PUBLISHED
DRAFT = PublicationStatus.DRAFT
PAGE = "/en/organizations/peres-center/"
ORIGINAL = "http://testserver" + PAGE
TIMEMAP = "http://testserver/en/history/timemap/organization/peres-center/"
MOMENTS = [datetime.datetime(2016, 3, 1, 9, 30, 15, 250000, tzinfo=datetime.UTC), None, None]


def links(response):
    """{uri: {"rel": set of relations, other parameters}} of a Link header or a link-format body."""
    text = response["Link"] if "Link" in response else response.content.decode()
    parsed = {}
    for uri, params in re.findall(r'<([^>]+)>((?:\s*;\s*[\w-]+="[^"]*")*)', text):
        values = dict(re.findall(r'([\w-]+)="([^"]*)"', params))
        values["rel"] = set(values.get("rel", "").split())
        parsed[uri] = values
    return parsed


def vary(response):
    return {value.strip().lower() for value in response.get("Vary", "").split(",")}


def version_url(record, version, language="en"):
    with translation.override(language):
        return "http://testserver" + reverse(
            "records:version", kwargs={"label": record._meta.label_lower, "pk": record.pk, "version": version.pk}
        )


@pytest.fixture
def organization():
    """Three published versions, saved on 1 March 2016, 1 June 2018 and 1 January 2020."""
    with revision("Created"):
        organization = Organization.objects.create(
            slug="peres-center", name_en="Peres Center", kind="ngo", status=PUBLISHED
        )
    for name in ("Peres Center for Peace", "Peres Center for Peace and Innovation"):
        with revision(f"Renamed to {name}"):
            organization.name_en = name
            organization.save()
    dates = [
        datetime.datetime(2016, 3, 1, 9, 30, 15, 250000, tzinfo=datetime.UTC),
        datetime.datetime(2018, 6, 1, 12, 0, tzinfo=datetime.UTC),
        datetime.datetime(2020, 1, 1, 8, 0, tzinfo=datetime.UTC),
    ]
    for version, date in zip(reversed(versions_for(organization)), dates, strict=True):
        Revision.objects.filter(pk=version.revision_id).update(date_created=date)
    return organization


def oldest_first(organization):
    return list(reversed(versions_for(organization)))


def test_the_page_says_it_is_its_own_timegate_and_names_its_timemap(client, organization):
    response = client.get(PAGE)

    assert response.status_code == 200
    assert "accept-datetime" in vary(response)
    found = links(response)
    assert found[ORIGINAL]["rel"] == {"original", "timegate"}
    assert found[TIMEMAP]["rel"] == {"timemap"}
    assert found[TIMEMAP]["type"] == "application/link-format"
    assert "Memento-Datetime" not in response


@pytest.mark.parametrize(
    ("accept_datetime", "expected"),
    [
        ("Tue, 01 Jan 2019 00:00:00 GMT", 1),  # in force since June 2018
        ("Fri, 01 Jun 2018 12:00:00 GMT", 1),  # the very second it was saved
        ("Fri, 01 Jun 2018 11:59:59 GMT", 0),
        ("Tue, 01 Mar 2016 09:30:15 GMT", 0),  # its Memento-Datetime, without the fraction of a second
        ("Mon, 01 Jan 2001 00:00:00 GMT", 0),  # before the first version: the first one
        ("Wed, 01 Jan 2031 00:00:00 GMT", 2),  # after the last: the last
    ],
)
def test_accept_datetime_redirects_to_the_version_in_force_then(client, organization, accept_datetime, expected):
    versions = oldest_first(organization)

    response = client.get(PAGE, headers={"accept-datetime": accept_datetime})

    assert response.status_code == 302
    assert response["Location"] == version_url(organization, versions[expected])
    assert "accept-datetime" in vary(response)
    assert "Memento-Datetime" not in response  # a TimeGate's answer is no memento
    found = links(response)
    assert found[ORIGINAL]["rel"] == {"original", "timegate"}
    assert found[TIMEMAP]["rel"] == {"timemap"}
    assert "memento" in found[version_url(organization, versions[expected])]["rel"]
    assert "first" in found[version_url(organization, versions[0])]["rel"]
    assert "last" in found[version_url(organization, versions[-1])]["rel"]
    head = client.head(PAGE, headers={"accept-datetime": accept_datetime})
    assert head.status_code == 302 and head["Location"] == response["Location"]


def test_the_memento_carries_its_datetime_and_its_neighbours(client, organization):
    first, middle, last = oldest_first(organization)

    response = client.get(version_url(organization, middle))

    assert response.status_code == 200
    assert response["Memento-Datetime"] == "Fri, 01 Jun 2018 12:00:00 GMT"
    assert "accept-datetime" not in vary(response)
    found = links(response)
    assert found[ORIGINAL]["rel"] == {"original", "timegate"}
    assert found[TIMEMAP]["rel"] == {"timemap"}
    assert found[version_url(organization, first)]["rel"] == {"first", "prev", "memento"}
    assert found[version_url(organization, first)]["datetime"] == "Tue, 01 Mar 2016 09:30:15 GMT"
    assert found[version_url(organization, last)]["rel"] == {"last", "next", "memento"}
    assert found[version_url(organization, middle)]["rel"] == {"memento"}
    assert "Peres Center for Peace" in response.content.decode()


def test_the_timemap_lists_every_published_version_in_link_format(client, organization):
    with revision("Withdrawn"):
        organization.status = DRAFT
        organization.save()
    with revision("Back"):
        organization.status = PUBLISHED
        organization.save()
    versions = list(reversed(versions_for(organization)))
    draft = versions[3]

    response = client.get(TIMEMAP)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/link-format"
    found = links(response)
    assert found[ORIGINAL]["rel"] == {"original", "timegate"}
    assert found[TIMEMAP]["rel"] == {"self"}
    assert found[TIMEMAP]["from"] == "Tue, 01 Mar 2016 09:30:15 GMT"
    mementos = {uri: values for uri, values in found.items() if "memento" in values["rel"]}
    assert len(mementos) == 4  # the draft version is left out
    assert version_url(organization, draft) not in mementos
    assert mementos[version_url(organization, versions[0])]["rel"] == {"first", "memento"}
    assert mementos[version_url(organization, versions[-1])]["rel"] == {"last", "memento"}
    assert found[TIMEMAP]["until"] == http_date(versions[-1].revision.date_created.timestamp())


@pytest.mark.parametrize("value", ["yesterday", "2016-03-01T09:30:15Z", "Tue, 01 Mar 2016 09:30:15 PST", ""])
def test_an_unreadable_accept_datetime_is_a_400_that_says_why(client, organization, value):
    response = client.get(PAGE, headers={"accept-datetime": value})

    assert response.status_code == 400
    assert "accept-datetime" in vary(response)
    page = response.content.decode()
    assert "is not a date as HTTP writes them" in page
    assert "Tue, 20 Mar 2001 20:35:00 GMT" in page


def test_a_draft_is_no_timegate_and_has_no_timemap(client):
    with revision("Draft"):
        Organization.objects.create(slug="peres-center", name_en="Peres Center", kind="ngo", status=DRAFT)

    assert client.get(PAGE, headers={"accept-datetime": "Tue, 01 Jan 2019 00:00:00 GMT"}).status_code == 404
    assert client.get(TIMEMAP).status_code == 404
    assert client.get("/en/history/timemap/nothing/peres-center/").status_code == 404


def test_a_page_without_a_saved_version_answers_404_to_negotiation(client):
    Organization.objects.create(slug="peres-center", name_en="Peres Center", kind="ngo", status=PUBLISHED)

    response = client.get(PAGE, headers={"accept-datetime": "Tue, 01 Jan 2019 00:00:00 GMT"})

    assert response.status_code == 404
    assert "No published version of this page has been saved yet." in response.content.decode()
    assert client.get(PAGE).status_code == 200


def test_pages_that_are_no_timegate_ignore_accept_datetime(client, organization):
    response = client.get("/en/organizations/", headers={"accept-datetime": "Tue, 01 Jan 2019 00:00:00 GMT"})

    assert response.status_code == 200
    assert "accept-datetime" not in vary(response)


@pytest.mark.parametrize(
    "path",
    ["/en/people/someone/", "/en/events/some-event/", "/en/events/meetings/some-meeting/", "/en/sources/some-key/"],
)
def test_every_record_page_with_a_history_is_a_timegate(client, path):
    from citations.models import Source
    from events.models import Event, Meeting
    from organizations.models import Person

    with revision("Created"):
        coalition = Organization.objects.create(slug="allmep", name_en="ALLMEP", kind="coalition", status=PUBLISHED)
        Person.objects.create(slug="someone", name_en="Someone", status=PUBLISHED)
        Event.objects.create(slug="some-event", title_en="Some event", kind="summit", status=PUBLISHED)
        Meeting.objects.create(slug="some-meeting", title_en="A meeting", organization=coalition, status=PUBLISHED)
        Source.objects.create(key="some-key", title="A source", status=PUBLISHED)

    response = client.get(path, headers={"accept-datetime": "Tue, 01 Jan 2019 00:00:00 GMT"})

    assert response.status_code == 302
    memento = client.get(response["Location"])
    assert memento.status_code == 200
    assert "Memento-Datetime" in memento
    assert "http://testserver" + path in links(memento)


# The page cache.


@pytest.fixture
def page_cache(settings):
    prefix = f"test-memento-{uuid.uuid4().hex}"
    caches_ = {key: value for key, value in settings.CACHES.items() if key != "pages-local"}
    backend = {"BACKEND": "records.bounded_cache.BoundedMemoryCache", "LOCATION": prefix}
    settings.CACHES = {**caches_, "pages": {**backend, "KEY_PREFIX": prefix, "TIMEOUT": 60}}


def test_the_page_cache_never_answers_a_negotiated_request(client, organization, page_cache):
    first = client.get(PAGE)
    stored = client.get(PAGE)  # from the cache now
    assert stored.content == first.content

    negotiated = client.get(PAGE, headers={"accept-datetime": "Tue, 01 Jan 2019 00:00:00 GMT"})
    assert negotiated.status_code == 302

    again = client.get(PAGE)
    assert again.status_code == 200
    assert again.content == first.content
    assert "accept-datetime" in vary(again)  # the stored page keeps the Memento headers
    assert links(again) == links(first)


def test_304s_keep_the_memento_headers_and_negotiation_is_never_a_304(client, organization, page_cache):
    first = client.get(PAGE)

    not_modified = client.get(PAGE, headers={"if-none-match": first["ETag"]})
    negotiated = client.get(
        PAGE, headers={"if-none-match": first["ETag"], "accept-datetime": "Tue, 01 Jan 2019 00:00:00 GMT"}
    )

    assert not_modified.status_code == 304
    assert "accept-datetime" in vary(not_modified)
    assert links(not_modified) == links(first)
    assert negotiated.status_code == 302
    assert "ETag" not in negotiated


def test_the_memento_of_another_language_is_its_own(client, organization):
    versions = oldest_first(organization)

    response = client.get(
        "/he/organizations/peres-center/", headers={"accept-datetime": "Tue, 01 Jan 2019 00:00:00 GMT"}
    )

    assert response["Location"] == version_url(organization, versions[1], "he")
    assert "http://testserver/he/history/timemap/organization/peres-center/" in links(response)
