"""Versions through the staff admin: history, compare, revert, recover, edit summaries, conflicts."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from citations.models import Citation, Source
from organizations.models import Organization
from records import history
from records.versioning import revision
from tests.answers import assert_saved, change_form_data, change_url


@pytest.fixture
def editors(db):
    group = Group.objects.get(name="Editors")
    users = []
    for username, full_name in (("rana", "Rana Haddad"), ("yoav", "Yoav Levi")):
        first, last = full_name.split()
        user = User.objects.create_user(
            username, f"{username}@example.org", "not-used-here-1234", first_name=first, last_name=last, is_staff=True
        )
        user.groups.add(group)
        users.append(user)
    return users


@pytest.fixture
def client_for(db):
    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def organization(db):
    with revision("Seed"):
        source = Source.objects.create(key="overview", title="ALLMEP overview")
        Source.objects.create(key="later", title="A later source")
        organization = Organization.objects.create(
            slug="allmep",
            name_ar="تحالف السلام في الشرق الأوسط",
            name_en="Alliance for Middle East Peace",
            name_he="הברית לשלום במזרח התיכון",
            summary_en="A coalition of organizations.",
            kind="coalition",
        )
        Citation.objects.create(source=source, content_object=organization, claim="name", position=1)
    return organization


def citation_rows(data, prefix):
    return int(data[f"{prefix}-TOTAL_FORMS"][0])


CITATIONS = "citations-citation-content_type-object_id"


def test_a_version_holds_every_language_of_each_translated_field(organization):
    version = Version.objects.get_for_object(organization).get()
    assert version.field_dict["name_ar"] == "تحالف السلام في الشرق الأوسط"
    assert version.field_dict["name_en"] == "Alliance for Middle East Peace"
    assert version.field_dict["name_he"] == "הברית לשלום במזרח התיכון"
    assert "edit_version" not in version.field_dict


def test_the_edit_summary_is_the_revision_comment_with_its_author(editors, client_for, organization):
    rana = editors[0]
    client = client_for(rana)
    url = change_url(organization)
    data = change_form_data(client.get(url))
    data["summary_en"] = ["A coalition of more than 160 organizations."]
    data["edit_summary"] = ["Updated the member count from the 2023 report"]
    assert_saved(client.post(url, data))
    latest = history.versions_for(organization).first()
    assert latest.revision.comment == "Updated the member count from the 2023 report"
    assert latest.revision.user == rana

    # Without a summary the revision says what Django's change message says.
    data = change_form_data(client.get(url))
    data["summary_en"] = ["A coalition."]
    assert_saved(client.post(url, data))
    assert "Summary" in history.versions_for(organization).first().revision.get_comment()


def test_revert_restores_every_language_and_the_citations_as_they_were(editors, client_for, organization):
    client = client_for(editors[0])
    url = change_url(organization)
    first_version = history.versions_for(organization).get()
    kept = organization.citations.get()

    # An edit in all three languages that also removes the citation and adds another.
    data = change_form_data(client.get(url))
    data.update(name_ar=["اسم جديد"], name_en=["A new name"], name_he=["שם חדש"])
    data[f"{CITATIONS}-0-DELETE"] = ["on"]
    data[f"{CITATIONS}-TOTAL_FORMS"] = ["2"]
    later = Source.objects.get(key="later")
    data.update(
        {
            f"{CITATIONS}-1-source": [str(later.pk)],
            f"{CITATIONS}-1-claim": ["summary"],
            f"{CITATIONS}-1-locator_en": ["p. 4"],
            f"{CITATIONS}-1-position": ["2"],
        }
    )
    assert_saved(client.post(url, data))
    organization.refresh_from_db()
    assert organization.name_he == "שם חדש"
    assert [c.source.key for c in organization.citations.all()] == ["later"]

    # The history lists both versions; the first one's page is the revert form.
    history_page = client.get(reverse("admin:organizations_organization_history", args=[organization.pk]))
    revert_url = reverse("admin:organizations_organization_revision", args=[organization.pk, first_version.pk])
    assert revert_url in history_page.content.decode()
    revert_form = client.get(revert_url)
    assert revert_form.context["adminform"].form["name_he"].value() == "הברית לשלום במזרח התיכון"
    organization.refresh_from_db()
    assert organization.name_he == "שם חדש", "viewing an old version changes nothing"

    assert_saved(client.post(revert_url, change_form_data(revert_form)))
    organization.refresh_from_db()
    assert organization.name_ar == "تحالف السلام في الشرق الأوسط"
    assert organization.name_en == "Alliance for Middle East Peace"
    assert organization.name_he == "הברית לשלום במזרח התיכון"
    citations = list(organization.citations.all())
    assert [(c.pk, c.source.key, c.claim) for c in citations] == [(kept.pk, "overview", "name")]
    assert not Citation.objects.filter(source=later).exists(), "the citation added after the version is gone"
    latest = history.versions_for(organization).first()
    assert latest.revision.comment.startswith("Reverted to previous version")
    assert latest.revision.user == editors[0]


def test_a_deleted_record_is_recovered_from_the_recover_list(editors, client_for, superuser_client, organization):
    client = superuser_client
    pk = organization.pk
    delete_url = reverse("admin:organizations_organization_delete", args=[pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Organization.objects.filter(pk=pk).exists()
    assert not Citation.objects.exists()

    recover_list = client.get(reverse("admin:organizations_organization_recoverlist"))
    deleted = recover_list.context["deleted"]
    assert [version.object_id for version in deleted] == [str(pk)]
    recover_url = reverse("admin:organizations_organization_recover", args=[deleted[0].pk])
    assert recover_url in recover_list.content.decode()
    recover_form = client.get(recover_url)
    assert not Organization.objects.filter(pk=pk).exists(), "viewing the recover form recovers nothing"
    assert_saved(client.post(recover_url, change_form_data(recover_form)))
    recovered = Organization.objects.get(pk=pk)
    assert recovered.name_he == "הברית לשלום במזרח התיכון"
    assert [c.source.key for c in recovered.citations.all()] == ["overview"]


@pytest.fixture
def superuser_client(db):
    user = User.objects.create_superuser("boss", "boss@example.org", "not-used-here-1234")
    client = Client()
    client.force_login(user)
    return client


def test_a_concurrent_edit_is_refused_then_saved_deliberately(editors, client_for, organization):
    rana, yoav = client_for(editors[0]), client_for(editors[1])
    url = change_url(organization)
    rana_data = change_form_data(rana.get(url))
    yoav_data = change_form_data(yoav.get(url))

    rana_data["name_en"] = ["Alliance for Middle East Peace (ALLMEP)"]
    assert_saved(rana.post(url, rana_data))

    yoav_data["summary_en"] = ["Yoav's better summary."]
    refused = yoav.post(url, yoav_data)
    assert refused.status_code == 200
    form = refused.context["adminform"].form
    message = " ".join(form.non_field_errors())
    assert "Rana Haddad saved this record" in message
    assert "Name (English) is now: “Alliance for Middle East Peace (ALLMEP)”" in message
    assert "Summary" not in message, "only fields the colleague changed are listed"
    html = refused.content.decode()
    assert "Rana Haddad saved this record" in html
    # Nothing of the first edit is lost, and Yoav's own input is still in the form.
    organization.refresh_from_db()
    assert organization.name_en == "Alliance for Middle East Peace (ALLMEP)"
    assert organization.summary_en == "A coalition of organizations."
    assert form["summary_en"].value() == "Yoav's better summary."
    # Rana's change shows in the field Yoav had not touched, so saving again keeps it.
    assert form["name_en"].value() == "Alliance for Middle East Peace (ALLMEP)"

    resubmitted = change_form_data(refused)
    assert resubmitted["edit_version_seen"] == [str(organization.edit_version)]
    assert_saved(yoav.post(url, resubmitted))
    organization.refresh_from_db()
    assert organization.summary_en == "Yoav's better summary."
    assert organization.name_en == "Alliance for Middle East Peace (ALLMEP)"


def test_both_editors_changing_one_field_keeps_the_second_editors_text_until_they_decide(
    editors, client_for, organization
):
    rana, yoav = client_for(editors[0]), client_for(editors[1])
    url = change_url(organization)
    rana_data = change_form_data(rana.get(url))
    yoav_data = change_form_data(yoav.get(url))
    rana_data["name_he"] = ["שם של רנה"]
    assert_saved(rana.post(url, rana_data))
    yoav_data["name_he"] = ["השם של יואב"]
    refused = yoav.post(url, yoav_data)
    form = refused.context["adminform"].form
    assert "Name (Hebrew) is now: “שם של רנה”" in " ".join(form.non_field_errors())
    assert form["name_he"].value() == "השם של יואב"
    organization.refresh_from_db()
    assert organization.name_he == "שם של רנה"
    assert_saved(yoav.post(url, change_form_data(refused)))
    organization.refresh_from_db()
    assert organization.name_he == "השם של יואב"


def test_an_edit_made_outside_the_admin_also_stops_a_stale_form(editors, client_for, organization):
    client = client_for(editors[0])
    url = change_url(organization)
    data = change_form_data(client.get(url))
    with revision("Import"):
        organization.refresh_from_db()
        organization.summary_en = "Changed by a script."
        organization.save()
    data["name_en"] = ["Something else"]
    refused = client.post(url, data)
    assert refused.status_code == 200
    message = " ".join(refused.context["adminform"].form.non_field_errors())
    assert "an unnamed script saved this record" in message
    assert "Summary (English) is now: “Changed by a script.”" in message


def test_a_form_without_the_edit_counter_is_refused_rather_than_trusted(editors, client_for, organization):
    client = client_for(editors[0])
    url = change_url(organization)
    data = change_form_data(client.get(url))
    del data["edit_version_seen"]
    data["name_en"] = ["Blind overwrite"]
    assert client.post(url, data).status_code == 200
    organization.refresh_from_db()
    assert organization.name_en == "Alliance for Middle East Peace"


def test_compare_shows_what_changed_in_each_language_and_in_the_citations(editors, client_for, organization):
    client = client_for(editors[0])
    url = change_url(organization)
    data = change_form_data(client.get(url))
    data["name_en"] = ["Alliance for <Middle East> Peace & Quiet"]
    data[f"{CITATIONS}-0-DELETE"] = ["on"]
    assert_saved(client.post(url, data))
    newer, older = history.versions_for(organization)[:2]

    history_page = client.get(reverse("admin:organizations_organization_history", args=[organization.pk]))
    compare_url = reverse("admin:organizations_organization_compare", args=[organization.pk])
    html = history_page.content.decode()
    assert f'action="{compare_url}"' in html
    assert f'name="from" value="{older.pk}"' in html

    response = client.get(compare_url, {"from": older.pk, "to": newer.pk})
    assert response.status_code == 200
    changes = response.context["changes"]
    assert [(c.name, c.language) for c in changes] == [("name_en", "en")]
    page = response.content.decode()
    assert "<ins>&lt;Middle East&gt;</ins>" in page or "&lt;Middle East&gt;" in re.sub(r"</?ins>", "", page)
    assert "<Middle East>" not in page
    assert "&amp; Quiet" in page
    assert [(c.action, c.description.split(" — ")[0]) for c in response.context["citation_changes"]] == [
        ("removed", "overview")
    ]

    # The same pair either way round; nonsense gives a 400 with a message, not an error page.
    assert client.get(compare_url, {"from": newer.pk, "to": older.pk}).context["changes"] == changes
    assert client.get(compare_url, {"from": "x", "to": newer.pk}).status_code == 400
    assert client.get(compare_url, {"from": 999999, "to": newer.pk}).status_code == 400


def test_the_diff_marks_words_and_escapes_html():
    html = history.inline_diff("The coalition has 97 members", "The coalition has <b>160</b> members")
    assert html == "The coalition has <del>97</del><ins>&lt;b&gt;160&lt;/b&gt;</ins> members"
    assert history.inline_diff("", "جديد") == "<ins>جديد</ins>"


def test_the_diff_names_the_field_language_and_readable_values(organization):
    organization.refresh_from_db()
    old = history.values_of(organization)
    organization.kind = "ngo"
    organization.name_he = "שם"
    organization.country = "IL"
    changes = {c.name: c for c in history.diff_values(Organization, old, history.values_of(organization))}
    assert set(changes) == {"name_he", "kind", "country"}
    assert (changes["name_he"].label, changes["name_he"].language, changes["name_he"].direction) == (
        "Name",
        "he",
        "rtl",
    )
    assert (changes["kind"].old, changes["kind"].new, changes["kind"].language) == (
        "coalition",
        "non-governmental organization",
        "",
    )
    assert changes["country"].new == "Israel"


def test_a_malformed_history_address_is_not_found(superuser_client, organization):
    version = history.versions_for(organization).first()
    assert superuser_client.get(f"/en/admin/organizations/organization/abc/history/{version.pk}/").status_code == 404


def internal_links(html):
    """Every address a page links to on this site (not fragments, not the language switch's form)."""
    return sorted({unescape(href) for href in re.findall(r'href="(/[^"#]*)"', html)})


def compare_form_query(html):
    """The query string the history's "Compare selected versions" button sends as the page is drawn."""
    checked = re.findall(r'<input type="radio" name="(from|to)" value="(\d+)"[^>]*\bchecked\b', html)
    return dict(checked)


def edit_in_the_admin(client, record, **values):
    url = change_url(record)
    data = change_form_data(client.get(url))
    data.update({name: [value] for name, value in values.items()})
    assert_saved(client.post(url, data))


@pytest.mark.parametrize("edits", [0, 2], ids=["one version", "three versions"])
def test_every_link_the_admin_history_draws_works(editors, client_for, organization, edits):
    client = client_for(editors[0])
    for number in range(edits):
        edit_in_the_admin(client, organization, name_en=f"Alliance for Middle East Peace, edit {number}")
    history_page = client.get(reverse("admin:organizations_organization_history", args=[organization.pk]))
    assert history_page.status_code == 200
    html = history_page.content.decode()
    compare_url = reverse("admin:organizations_organization_compare", args=[organization.pk])
    links = internal_links(html)
    compare_links = [link for link in links if link.startswith(compare_url + "?")]
    assert len(compare_links) == edits + 1, "each version links to what it changed"
    for link in links:
        response = client.get(link)
        assert response.status_code in (200, 302), (link, response.status_code)
    for link in compare_links:
        assert client.get(link).status_code == 200, link
    # The form's radio buttons as drawn (with one version, "from" and "to" are the same one).
    query = compare_form_query(html)
    assert set(query) == {"from", "to"}
    assert client.get(compare_url, query).status_code == 200


def test_comparing_a_version_with_itself_shows_what_it_changed(editors, client_for, organization):
    client = client_for(editors[0])
    compare_url = reverse("admin:organizations_organization_compare", args=[organization.pk])
    first = history.versions_for(organization).get()
    response = client.get(compare_url, {"from": first.pk, "to": first.pk})
    assert response.status_code == 200
    assert response.context["older"] is None
    assert "nothing: the record did not exist yet" in response.content.decode()
    assert ("name_en", "en") in [(c.name, c.language) for c in response.context["changes"]]

    edit_in_the_admin(client, organization, name_en="A second name")
    second = history.versions_for(organization).first()
    for query in ({"from": second.pk, "to": second.pk}, {"to": second.pk}):
        response = client.get(compare_url, query)
        assert response.status_code == 200
        assert (response.context["older"], response.context["newer"]) == (first, second)
        assert [(c.name, c.language) for c in response.context["changes"]] == [("name_en", "en")]


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"from": "{first}"},
        {"from": "x", "to": "{first}"},
        {"from": "{first}", "to": ""},
        {"to": "-1"},
        {"to": "1.5"},
        {"to": "²"},
        {"to": "٣"},
        {"to": "99999999999999999999999"},
        {"from": "99999999999999999999999", "to": "{first}"},
        {"to": "{other}"},
        {"from": "{other}", "to": "{first}"},
    ],
)
def test_bad_compare_parameters_get_a_400_with_a_message(editors, client_for, organization, query):
    client = client_for(editors[0])
    compare_url = reverse("admin:organizations_organization_compare", args=[organization.pk])
    first = history.versions_for(organization).get()
    other = history.versions_for(Source.objects.get(key="overview")).get()
    query = {name: value.format(first=first.pk, other=other.pk) for name, value in query.items()}
    response = client.get(compare_url, query)
    assert response.status_code == 400
    assert 'class="errornote"' in response.content.decode()
