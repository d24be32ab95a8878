"""Organizations and people carry a Wikidata item id when a source gives one: checked in the admin's forms,
given in the downloads, the staff import and the API, and never guessed by the dataset."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from dataset.loader import load
from organizations.models import Organization, Person
from records.versioning import revision
from tests.answers import READERS, assert_saved, change_form_data, change_url, download
from tests.factories import build_record

pytestmark = pytest.mark.django_db

MESSAGE = "Enter a Wikidata item id: the letter Q followed by the item’s number, such as Q42."


@pytest.fixture
def staff_client(client):
    client.force_login(User.objects.create_superuser("boss", "boss@example.org", "not-used-here-1234"))
    return client


@pytest.fixture
def records():
    with revision("Seed"):
        return {
            Organization: Organization.objects.create(
                slug="just-vision", name_ar="جست فيجن", name_en="Just Vision", kind="ngo"
            ),
            Person: Person.objects.create(slug="hazem-fahmy", name_ar="حازم فهمي", name_en="Hazem Fahmy"),
        }


@pytest.mark.parametrize("model", [Organization, Person])
@pytest.mark.parametrize("value", ["42", "q42", "Q", "Q0", "Q12a", "https://www.wikidata.org/wiki/Q42", "P31"])
def test_the_admin_refuses_what_is_no_item_id_with_a_clear_message(staff_client, records, model, value):
    record = records[model]
    url = change_url(record)
    data = change_form_data(staff_client.get(url))
    data["wikidata"] = [value]
    response = staff_client.post(url, data)
    assert response.status_code == 200  # the form again, with the error: never a 500
    errors = response.context["adminform"].form.errors
    assert errors["wikidata"] == [MESSAGE]
    assert "the letter Q followed by the item" in response.content.decode()
    record.refresh_from_db()
    assert record.wikidata == ""


@pytest.mark.parametrize("model", [Organization, Person])
@pytest.mark.parametrize("value", ["Q1", "Q987654321", ""])
def test_the_admin_saves_an_item_id_or_none(staff_client, records, model, value):
    record = records[model]
    url = change_url(record)
    data = change_form_data(staff_client.get(url))
    assert "wikidata" in data
    data["wikidata"] = [value]
    assert_saved(staff_client.post(url, data))
    record.refresh_from_db()
    assert record.wikidata == value


def test_the_message_is_translated(staff_client, records):
    url = change_url(records[Person], "he")
    data = change_form_data(staff_client.get(url))
    data["wikidata"] = ["42"]
    response = staff_client.post(url, data)
    assert response.status_code == 200
    message = str(response.context["adminform"].form.errors["wikidata"][0])
    assert message != MESSAGE and "Q42" in message


def test_the_model_checks_it_too():
    with pytest.raises(ValidationError) as error:
        Person(slug="x", name_en="X", wikidata="Q01").full_clean()
    assert list(error.value.message_dict) == ["wikidata"]


@pytest.mark.parametrize("table", ["organizations", "people"])
@pytest.mark.parametrize("format", ["csv", "json", "xlsx"])
def test_the_downloads_have_a_wikidata_column(client, table, format):
    build_record()
    Organization.objects.filter(slug="just-vision").update(wikidata="Q123456789")
    Person.objects.filter(slug="hazem-fahmy").update(wikidata="Q987654321")
    rows = READERS[format](download(client, table, format))
    values = {row["id"]: row["wikidata"] or "" for row in rows}
    if table == "organizations":
        assert values == {"allmep": "", "just-vision": "Q123456789"}
    else:
        assert values == {"hazem-fahmy": "Q987654321"}


def test_the_api_gives_it(client):
    build_record()
    Person.objects.filter(slug="hazem-fahmy").update(wikidata="Q987654321")
    assert client.get("/api/people/hazem-fahmy/").json()["wikidata"] == "Q987654321"
    assert client.get("/api/organizations/allmep/").json()["wikidata"] == ""


def test_the_dataset_guesses_no_item():
    load()
    assert not Organization.objects.exclude(wikidata="").exists()
    assert not Person.objects.exclude(wikidata="").exists()
