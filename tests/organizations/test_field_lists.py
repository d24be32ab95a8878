"""An organization's fields are listed once (organizations.models.ORGANIZATION_FIELDS): the
downloads, the staff import and the API give them all, in that order."""

import re

import pytest

from organizations.models import MEMBERSHIP_FIELDS, ORGANIZATION_FIELDS, Organization
from organizations.resources import MembershipResource, OrganizationResource
from records.kinds import list_tables

PER_LANGUAGE = re.compile(r"_(markup_)?(ar|en|he)$|_(earliest|latest)$|_translations$")


def fields_of(names, record_columns=("id", "url", "permalink", "slug", "sources")):
    """Column or key names reduced to the fields they show, in order."""
    fields = [PER_LANGUAGE.sub("", name) for name in names if name not in record_columns]
    return list(dict.fromkeys(fields))


@pytest.mark.django_db  # a column's permalink reads URL patterns; membership's looks up content types
@pytest.mark.parametrize(
    ("table", "resource", "fields"),
    [
        ("organizations", OrganizationResource, ORGANIZATION_FIELDS),
        ("memberships", MembershipResource, MEMBERSHIP_FIELDS),
    ],
)
def test_the_download_and_the_import_follow_the_one_field_list(table, resource, fields):
    assert fields_of(column.name for column in list_tables()[table].columns()) == list(fields)
    assert fields_of(resource().get_export_headers()) == list(fields)


@pytest.mark.django_db
def test_the_api_gives_an_organization_the_fields_of_the_list_in_order(client):
    Organization.objects.create(slug="peace-example", name_en="Peace Example", kind="ngo", status="published")
    [answer] = client.get("/api/organizations/").json()["results"]
    assert fields_of(answer) == list(ORGANIZATION_FIELDS)
    assert list(answer)[:3] == ["id", "url", "permalink"] and list(answer)[-1] == "sources"
