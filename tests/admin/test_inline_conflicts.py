"""The edit-conflict check covers the rows edited with a record: a save made on top of a
colleague's newer change to one of its roles or citations, made anywhere, is refused with the
editor's input kept, as it is for the record's own fields."""

import pytest

from citations.models import Citation, Source
from organizations.models import Organization, Person, Role
from records.versioning import revision
from tests.answers import assert_saved, change_form_data, change_url
from tests.factories import staff_member

pytestmark = pytest.mark.django_db

REFUSAL = "Your changes are not saved yet."


@pytest.fixture
def person():
    with revision("Created"):
        person = Person.objects.create(slug="someone", name_en="Someone", name_ar="شخص", status="published")
        organization = Organization.objects.create(
            slug="org", name_en="Org", name_ar="منظمة", kind="ngo", status="published"
        )
        Role.objects.create(
            person=person, organization=organization, title_en="Director", title_ar="مدير", status="published"
        )
        source = Source.objects.create(key="overview", title="Overview", status="published")
        Citation.objects.create(source=source, content_object=person, claim="", locator_en="p. 1")
    return person


def prefix_of(data, word):
    return next(name[: -len("-TOTAL_FORMS")] for name in data if name.endswith("-TOTAL_FORMS") and word in name)


@pytest.mark.parametrize("row", ["role", "citation"])
def test_a_save_over_a_colleagues_newer_change_to_a_row_is_refused_with_the_input_kept(client, person, row):
    client.force_login(staff_member("publisher", "Publishers"))
    url = change_url(person)
    data = change_form_data(client.get(url))  # the editor opens the form…

    # …a colleague changes the row on its own page…
    colleague = client.__class__()
    colleague.force_login(staff_member("colleague", "Publishers"))
    target = Role.objects.get() if row == "role" else Citation.objects.get()
    own = change_form_data(colleague.get(change_url(target)))
    field = "title_en" if row == "role" else "locator_en"
    own[field] = ["Colleague's value"]
    assert_saved(colleague.post(change_url(target), own))

    # …and the editor saves the form opened before, with their own value in that row.
    prefix = prefix_of(data, row)
    data[f"{prefix}-0-{field}"] = ["Editor's value"]
    response = client.post(url, data)
    assert response.status_code == 200
    text = response.content.decode()
    assert REFUSAL in text
    assert "Its citations or other rows edited with it changed" in text
    assert "Editor&#x27;s value" in text or "Editor's value" in text  # the input is kept
    target.refresh_from_db()
    assert getattr(target, field) == "Colleague's value"

    # Saving again, now deliberately, is accepted.
    again = change_form_data(response)
    again[f"{prefix}-0-{field}"] = ["Editor's value"]
    assert_saved(client.post(url, again))
    target.refresh_from_db()
    assert getattr(target, field) == "Editor's value"
