"""Conditional GET: readers revalidate pages cheaply, edits show at once, editors never get a stored page."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import http_date

from citations.models import Citation, Source
from events.models import Meeting
from organizations.models import Organization
from records.caching import validators
from records.history import versions_for
from records.models import ContentStamp, PublicationStatus
from records.versioning import revision

pytestmark = pytest.mark.django_db

PUBLISHED = PublicationStatus.PUBLISHED


@pytest.fixture
def organization():
    with revision("Created"):
        return Organization.objects.create(
            slug="parents-circle", name_en="Parents Circle", name_ar="Parents Circle", kind="ngo", status=PUBLISHED
        )


@pytest.fixture
def page(organization):
    """A reader page: the organization's history, served by this app."""
    with translation.override("en"):
        return reverse("records:history", kwargs={"label": "organizations.organization", "pk": organization.pk})


@pytest.fixture
def settled_stamp():
    """A last change well in the past, so Last-Modified is given."""
    past = timezone.now() - datetime.timedelta(hours=1)
    ContentStamp.objects.update_or_create(pk=ContentStamp.ROW_ID, defaults={"version": 7, "changed_at": past})
    return past


def test_reader_page_carries_validators_and_revalidation_headers(client, page):
    response = client.get(page)

    assert response.status_code == 200
    assert response["ETag"].startswith('W/"')
    assert "no-cache" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
    assert "Accept-Language" in response["Vary"]


def test_matching_etag_gets_304_with_one_query(client, page, django_assert_num_queries):
    etag = client.get(page)["ETag"]

    with django_assert_num_queries(1):
        response = client.get(page, headers={"if-none-match": etag})

    assert response.status_code == 304
    assert response["ETag"] == etag
    assert response.content == b""


def test_if_modified_since_gets_304(client, page, settled_stamp):
    last_modified = client.get(page)["Last-Modified"]
    assert last_modified == http_date(settled_stamp.timestamp())

    assert client.get(page, headers={"if-modified-since": last_modified}).status_code == 304


def test_an_edit_changes_the_validators_at_once(client, page, organization, settled_stamp):
    first = client.get(page)

    with revision("Renamed"):
        organization.name_en = "The Parents Circle – Families Forum"
        organization.save()

    etag_again = client.get(page, headers={"if-none-match": first["ETag"]})
    since_again = client.get(page, headers={"if-modified-since": first["Last-Modified"]})
    assert etag_again.status_code == 200
    assert etag_again["ETag"] != first["ETag"]
    assert since_again.status_code == 200


def test_a_revert_changes_the_validators(client, page, organization):
    first_version = versions_for(organization).first()
    with revision("Renamed"):
        organization.name_en = "Renamed"
        organization.save()
    etag = client.get(page)["ETag"]

    first_version.revision.revert()

    assert client.get(page, headers={"if-none-match": etag}).status_code == 200


def test_citation_and_relation_changes_count_as_edits(client, page, organization):
    source = Source.objects.create(key="allmep-97", title="ALLMEP adds 3 new members", status=PUBLISHED)
    meeting = Meeting.objects.create(slug="usaid-meeting", title_en="Meeting with USAID", organization=organization)

    etag = client.get(page)["ETag"]
    citation = Citation.objects.create(source=source, content_object=organization)
    assert client.get(page, headers={"if-none-match": etag}).status_code == 200

    etag = client.get(page)["ETag"]
    citation.delete()
    assert client.get(page, headers={"if-none-match": etag}).status_code == 200

    etag = client.get(page)["ETag"]
    meeting.counterparts.add(organization)
    assert client.get(page, headers={"if-none-match": etag}).status_code == 200


def test_a_rolled_back_edit_leaves_the_validators(client, page, organization):
    etag = client.get(page)["ETag"]
    with pytest.raises(RuntimeError), transaction.atomic():
        organization.name_en = "Never saved"
        organization.save()
        raise RuntimeError

    assert client.get(page, headers={"if-none-match": etag}).status_code == 304


def test_each_language_has_its_own_etag(client, organization):
    urls = []
    for language in ("ar", "en", "he"):
        with translation.override(language):
            kwargs = {"label": "organizations.organization", "pk": organization.pk}
            urls.append(reverse("records:history", kwargs=kwargs))

    etags = {client.get(url)["ETag"] for url in urls}

    assert len(etags) == 3


def test_logged_in_editors_never_get_a_stored_page(client, page, django_user_model):
    etag = client.get(page)["ETag"]
    editor = django_user_model.objects.create_user(username="editor", password="x" * 16, is_staff=True)
    client.force_login(editor)

    response = client.get(page, headers={"if-none-match": etag})

    assert response.status_code == 200
    assert "ETag" not in response
    assert "Last-Modified" not in response
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_admin_and_missing_pages_get_no_validators(client):
    assert "ETag" not in client.get("/en/admin/login/")
    missing = client.get("/en/history/organizations.organization/999999/")
    assert missing.status_code == 404
    assert "ETag" not in missing


def test_last_modified_waits_until_the_second_of_the_change_is_over():
    changed = datetime.datetime(2026, 3, 1, 12, 0, 0, 400_000, tzinfo=datetime.UTC)

    with translation.override("en"):
        _etag, same_second = validators((3, changed), now=changed.replace(microsecond=900_000))
        _etag, later = validators((3, changed), now=changed + datetime.timedelta(seconds=1))

    # A second edit within the same second must not be hidden behind an unchanged Last-Modified.
    assert same_second is None
    assert later == int(changed.timestamp())


@pytest.mark.parametrize(
    "path",
    ["/ar/", "/en/organizations/", "/en/organizations/allmep/", "/he/people/", "/en/events/", "/ar/sources/"],
)
def test_every_reader_page_answers_304_from_the_stamp_alone(client, path, django_assert_num_queries):
    with revision("Created"):
        Organization.objects.create(
            slug="allmep", name_en="ALLMEP", name_ar="ALLMEP", kind="coalition", status=PUBLISHED
        )
    first = client.get(path)
    assert first.status_code == 200

    with django_assert_num_queries(1):
        assert client.get(path, headers={"if-none-match": first["ETag"]}).status_code == 304
