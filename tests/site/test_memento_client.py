"""Memento as a client library reads it: memento-client (the Memento project's Python client) over
HTTP against the live server.

memento-client 0.6.1 runs on this Python. Its discovery of a "native" TimeGate takes a 302 that
varies on Accept-Datetime for "no native TimeGate here" and falls back to its aggregator on the
internet, which would miss a page that is its own TimeGate (RFC 7089 Pattern 1.1). So it is told
the TimeGate directly: no discovery, and an empty TimeGate base, so base + page = the page.
"""

import datetime

import pytest
from memento_client import MementoClient
from reversion.models import Revision

from organizations.models import Organization
from records.history import versions_for
from records.models import PublicationStatus
from records.versioning import revision

PUBLISHED = PublicationStatus.PUBLISHED
DATES = [
    datetime.datetime(2016, 3, 1, 9, 30, 15, tzinfo=datetime.UTC),
    datetime.datetime(2018, 6, 1, 12, 0, tzinfo=datetime.UTC),
    datetime.datetime(2020, 1, 1, 8, 0, tzinfo=datetime.UTC),
]


@pytest.fixture
def site(live_server):
    with revision("Created"):
        organization = Organization.objects.create(
            slug="peres-center", name_en="Peres Center", kind="ngo", status=PUBLISHED
        )
    for name in ("Peres Center for Peace", "Peres Center for Peace and Innovation"):
        with revision(f"Renamed to {name}"):
            organization.name_en = name
            organization.save()
    versions = list(reversed(versions_for(organization)))
    for version, date in zip(versions, DATES, strict=True):
        Revision.objects.filter(pk=version.revision_id).update(date_created=date)
    base = live_server.url
    permalinks = [
        f"{base}/en/history/organizations.organization/{organization.pk}/versions/{version.pk}/" for version in versions
    ]
    return f"{base}/en/organizations/peres-center/", permalinks


@pytest.mark.django_db(transaction=True)
def test_memento_client_finds_the_version_in_force_with_first_and_last(site):
    page, permalinks = site
    client = MementoClient(timegate_uri="", check_native_timegate=False)

    info = client.get_memento_info(page, datetime.datetime(2019, 1, 1))

    assert info["original_uri"] == page
    assert info["timegate_uri"] == page
    mementos = info["mementos"]
    assert mementos["closest"]["uri"] == [permalinks[1]]
    assert mementos["closest"]["datetime"] == datetime.datetime(2018, 6, 1, 12, 0)
    assert mementos["closest"]["http_status_code"] == 200
    assert mementos["first"] == {"uri": [permalinks[0]], "datetime": datetime.datetime(2016, 3, 1, 9, 30, 15)}
    assert mementos["last"] == {"uri": [permalinks[2]], "datetime": datetime.datetime(2020, 1, 1, 8, 0)}


@pytest.mark.django_db(transaction=True)
def test_memento_client_recognises_the_timegate_the_memento_and_the_original(site):
    page, permalinks = site
    client = MementoClient(timegate_uri="", check_native_timegate=False)
    accept = MementoClient.convert_to_http_datetime(datetime.datetime(2017, 1, 1))

    assert MementoClient.is_timegate(page, accept_datetime=accept, session=client.session)
    assert MementoClient.is_memento(permalinks[0], session=client.session)
    assert not MementoClient.is_memento(page, session=client.session)
    # From a memento, the client finds the page it is a memento of.
    assert client.get_original_uri(permalinks[0]) == page


@pytest.mark.django_db(transaction=True)
def test_the_timemap_reads_with_the_clients_link_parser(site):
    page, permalinks = site
    client = MementoClient(timegate_uri="", check_native_timegate=False)
    response = MementoClient.request_head(page, session=client.session)
    timemap = MementoClient.get_uri_dt_for_rel(MementoClient.parse_link_header(response.headers["Link"]), ["timemap"])
    timemap_uri = timemap["timemap"]["uri"]

    listing = client.session.get(timemap_uri)

    assert listing.headers["Content-Type"] == "application/link-format"
    links = MementoClient.parse_link_header(listing.text)
    mementos = [uri for uri, values in links.items() if "memento" in values["rel"]]
    assert mementos == permalinks
    assert MementoClient.get_uri_dt_for_rel(links, ["original"])["original"]["uri"] == page
    assert links[permalinks[0]]["datetime"] == ["Tue, 01 Mar 2016 09:30:15 GMT"]
