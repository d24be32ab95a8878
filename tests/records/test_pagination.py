"""Reader lists: numbered pages whose count is kept until the next edit, and deep pages read
in two steps, the same pages as read directly."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organizations.models import Organization
from organizations.views import PER_PAGE
from records.models import PublicationStatus
from records.pagination import NumberedPaginator
from tests.factories import make_record


@pytest.fixture
def directory(db):
    make_record()
    Organization.objects.bulk_create(
        Organization(slug=f"org-{n:03d}", name_en=f"Org {n:03d}", kind="ngo", status=PublicationStatus.PUBLISHED)
        for n in range(2 * PER_PAGE)
    )
    return Organization.objects.published().count()


def shown_count(page):
    return int(re.search(r'<p class="meta" role="status">(\d+) organizations</p>', page).group(1))


def test_a_list_counts_once_until_the_next_edit(client, directory):
    assert shown_count(client.get("/en/organizations/").content.decode()) == directory
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/en/organizations/?page=2").content.decode()  # another page: not a stored one
    assert shown_count(page) == directory
    assert not any("COUNT(" in query["sql"] for query in queries.captured_queries), "the count was not kept"

    Organization.objects.get(slug="org-004").delete()

    assert shown_count(client.get("/en/organizations/?page=3").content.decode()) == directory - 1


def test_deep_pages_read_in_two_steps_are_the_same_pages(client, directory, monkeypatch):
    pages = [f"/en/organizations/?sort=-name&page={number}" for number in (1, 2, 3)]
    direct = [client.get(page).content for page in pages]
    client.get("/en/events/")  # an edit would do too: stored pages must not answer
    monkeypatch.setattr(NumberedPaginator, "DEFER_FROM", 10)
    with CaptureQueriesContext(connection) as queries:
        deferred = [client.get(page + "&read=deferred").content for page in pages]
    assert [re.findall(rb'href="/en/organizations/([^/"]+)/"', page) for page in deferred] == [
        re.findall(rb'href="/en/organizations/([^/"]+)/"', page) for page in direct
    ]
    assert sum('"organizations_organization"."id" IN (' in query["sql"] for query in queries.captured_queries) >= 2
