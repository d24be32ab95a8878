"""The staff admin: every page answers, permissions by group, sources' markers, prose checks."""

import re
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.fields import GenericRelation
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from citations.admin import CitationInline
from citations.models import Citation, Source
from events.models import Event, EventParticipant, EventPartner, Meeting
from organizations.models import (
    ArticleSection,
    Membership,
    Organization,
    Person,
    Proposal,
    ReportedFigure,
    Role,
)
from records.partial_dates import PartialDate
from records.versioning import revision
from tests.answers import assert_saved, change_form_data, change_url
from tests.factories import staff_member

CONTENT_APPS = {"organizations", "events", "citations"}


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("boss", "boss@example.org", "not-used-here-1234")


@pytest.fixture
def staff_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def records(db):
    """One record of every kind, saved in a revision as scripts save them."""
    with revision("Seed for the admin tests"):
        coalition = Organization.objects.create(
            slug="allmep",
            name_ar="تحالف السلام في الشرق الأوسط",
            name_en="Alliance for Middle East Peace",
            name_he="הברית לשלום במזרח התיכון",
            kind="coalition",
            country="US",
            founded=PartialDate.parse("2003-36"),
            status="published",
        )
        member = Organization.objects.create(slug="member", name_ar="عضو", name_en="A member", kind="ngo")
        source = Source.objects.create(key="overview", title="ALLMEP overview", link_status="live")
        person = Person.objects.create(slug="someone", name_ar="شخص", name_en="Someone")
        event = Event.objects.create(
            slug="summit", title_ar="قمة", title_en="Summit", kind="summit", start=PartialDate.parse("2009")
        )
        meeting = Meeting.objects.create(
            slug="meeting", title_en="A meeting", title_ar="اجتماع", organization=coalition
        )
        meeting.counterparts.add(member)
        made = {
            Organization: coalition,
            Membership: Membership.objects.create(member=member, coalition=coalition, joined=PartialDate.parse("2004")),
            ReportedFigure: ReportedFigure.objects.create(
                organization=coalition,
                metric="member_organizations",
                value=Decimal("97"),
                as_of=PartialDate.parse("2016-08"),
            ),
            Person: person,
            Role: Role.objects.create(person=person, title_ar="مدير", title_en="Director", organization=member),
            ArticleSection: ArticleSection.objects.create(organization=coalition, kind="lead", body_ar="نص"),
            Proposal: Proposal.objects.create(organization=coalition, slug="fund", name_ar="صندوق", name_en="A fund"),
            Event: event,
            Meeting: meeting,
            Source: source,
            Citation: Citation.objects.create(source=source, content_object=coalition, claim="founded"),
        }
        EventParticipant.objects.create(event=event, person=person, role_en="speaker")
        EventPartner.objects.create(event=event, organization=member)
    return made


def content_admins():
    return {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in CONTENT_APPS
    }


def test_every_record_model_has_an_admin(records):
    # Participants and partners are edited within their event.
    assert set(records) <= set(content_admins())
    assert EventParticipant in [inline.model for inline in content_admins()[Event].inlines]
    assert EventPartner in [inline.model for inline in content_admins()[Event].inlines]


def test_every_admin_of_a_cited_model_lists_its_citations():
    for model, model_admin in content_admins().items():
        cited = any(isinstance(f, GenericRelation) and f.name == "citations" for f in model._meta.private_fields)
        assert (CitationInline in model_admin.inlines) == cited, model


@pytest.mark.parametrize("language", ["ar", "en"])
def test_every_changelist_add_and_change_page_answers(staff_client, records, language):
    assert staff_client.get(f"/{language}/admin/").status_code == 200
    for model in records:
        opts = model._meta
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        obj = records[model]
        for url in (
            reverse(f"{prefix}_changelist"),
            reverse(f"{prefix}_add"),
            reverse(f"{prefix}_change", args=[obj.pk]),
            reverse(f"{prefix}_history", args=[obj.pk]),
        ):
            url = f"/{language}/" + url.split("/", 2)[2]
            response = staff_client.get(url)
            assert response.status_code == 200, url


def test_the_arabic_and_hebrew_admin_reads_right_to_left(staff_client, records):
    for language, direction in (("ar", "rtl"), ("he", "rtl"), ("en", "ltr")):
        response = staff_client.get(change_url(records[Organization], language))
        assert f'<html lang="{language}" dir="{direction}">' in response.content.decode()


def app_sections(html):
    """The apps of an admin page's index or sidebar, in the order shown: [(app label, its name)]."""
    return re.findall(r'<div class="app-(\w+) module[^"]*">\s*<table>\s*<caption>\s*<a [^>]*>([^<]*)</a>', html)


@pytest.mark.parametrize(
    ("language", "login_security"), [("ar", "أمان تسجيل الدخول"), ("en", "Login security"), ("he", "אבטחת התחברות")]
)
def test_the_admin_lists_content_first_and_names_every_section(staff_client, records, language, login_security):
    index = staff_client.get(f"/{language}/admin/").content.decode()
    sidebar = staff_client.get(change_url(records[Organization], language)).content.decode()
    for html in (index, sidebar):
        sections = app_sections(html)
        labels = [label for label, _name in sections]
        assert labels[:4] == ["organizations", "events", "citations", "records"], labels  # then the review queue
        assert set(labels[4:]) == {"auth", "axes"}, labels
        assert dict(sections)["axes"] == login_security
        assert "Axes" not in html and "AXES" not in html


def inline_row_labels(html):
    """The label above each saved row of a tabular inline (Django prints the object there)."""
    return [" ".join(label.split()) for label in re.findall(r'<td class="original">\s*<p>\s*([^<]*)', html)]


@pytest.mark.parametrize(
    ("language", "founded", "text"), [("ar", "التأسيس", "النص"), ("en", "founded", "text"), ("he", "הקמה", "טקסט")]
)
def test_citation_rows_name_their_source_and_what_they_back(staff_client, records, language, founded, text):
    organization, source = records[Organization], records[Source]
    Citation.objects.create(source=source, content_object=organization, claim="", position=2)
    Citation.objects.create(source=source, content_object=organization, claim="prose:lead", position=3)
    labels = inline_row_labels(staff_client.get(change_url(organization, language)).content.decode())
    assert labels == [f"ALLMEP overview — {founded}", "ALLMEP overview", f"ALLMEP overview — {text}"]


def test_citation_row_labels_cost_no_query(staff_client, records, django_assert_max_num_queries):
    organization, source = records[Organization], records[Source]
    url = change_url(organization)
    staff_client.get(url)
    with CaptureQueriesContext(connection) as one_citation:
        staff_client.get(url)
    for position in range(10):
        Citation.objects.create(source=source, content_object=organization, claim="name", position=position)
    # Django's autocomplete widget looks up each row's chosen source: one query a row. The label adds none.
    with django_assert_max_num_queries(len(one_citation) + 10):
        staff_client.get(url)


def test_translation_inputs_carry_their_language_and_direction(staff_client, records):
    html = staff_client.get(change_url(records[Organization], "ar")).content.decode()
    assert 'lang="en" dir="ltr"' in html
    assert 'lang="he" dir="rtl"' in html
    assert 'lang="ar" dir="rtl"' in html


def test_jquery_ui_is_served_from_the_site_not_a_cdn(staff_client, records):
    html = staff_client.get(change_url(records[Organization])).content.decode()
    assert "/static/vendor/jquery-ui/jquery-ui.min.js" in html
    assert "googleapis" not in html
    assert "modeltranslation/js/tabbed_translation_fields.js" in html


def test_search_finds_records_by_any_language(staff_client, records):
    url = reverse("admin:organizations_organization_changelist")
    for term in ("الشرق", "Alliance", "הברית"):
        response = staff_client.get(url, {"q": term})
        assert list(response.context["cl"].result_list) == [records[Organization]], term


def test_changelists_do_not_query_per_row(staff_client, records, django_assert_max_num_queries):
    for index in range(10):
        Role.objects.create(person=records[Person], title_en=f"Role {index}", organization=records[Organization])
    # Session, user, count, rows, filters: a fixed number, however many rows there are.
    with django_assert_max_num_queries(12):
        staff_client.get(reverse("admin:organizations_role_changelist"))


def test_source_list_shows_a_copyable_marker_and_filters_by_link_and_archive(staff_client, records):
    Source.objects.create(key="archived", title="Archived", archive_url="https://web.archive.org/x", link_status="dead")
    url = reverse("admin:citations_source_changelist")
    html = staff_client.get(url).content.decode()
    assert "{{ref|overview}}" in html
    assert 'data-copy="{{ref|overview}}"' in html
    keys = lambda response: [source.key for source in response.context["cl"].result_list]  # noqa: E731
    assert keys(staff_client.get(url, {"archived": "yes"})) == ["archived"]
    assert keys(staff_client.get(url, {"archived": "no"})) == ["overview"]
    assert keys(staff_client.get(url, {"link_status__exact": "dead"})) == ["archived"]
    form = staff_client.get(change_url(records[Source])).content.decode()
    assert "{{ref|overview}}" in form


def test_an_unknown_prose_marker_is_refused_with_a_clear_message(staff_client, records):
    organization = records[Organization]
    url = change_url(organization)
    data = change_form_data(staff_client.get(url))
    data["description_en"] = ["The coalition{{ref|nope}} grew."]
    response = staff_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "{{ref|nope}} names no known source" in str(errors["description_en"])
    assert "{{ref|nope}} names no known source" in response.content.decode()
    organization.refresh_from_db()
    assert organization.description_en is None


# Publication and the staff groups.


def test_an_editor_saves_drafts_but_cannot_publish(client, records):
    client.force_login(staff_member("editor", "Editors"))
    person = records[Person]
    url = change_url(person)
    response = client.get(url)
    assert "status" in response.context["adminform"].readonly_fields
    data = change_form_data(response)
    data["status"] = ["published"]  # a forged field is ignored: it is not in the editor's form
    data["summary_en"] = ["Edited by an editor"]
    assert_saved(client.post(url, data))
    person.refresh_from_db()
    assert (person.summary_en, person.status) == ("Edited by an editor", "draft")

    changelist = reverse("admin:organizations_person_changelist")
    assert "publish_selected" not in client.get(changelist).context["action_form"].fields["action"].choices.__str__()
    client.post(changelist, {"action": "publish_selected", "_selected_action": [person.pk]})
    person.refresh_from_db()
    assert person.status == "draft"


def test_a_publisher_publishes_from_the_form_and_the_list(client, records):
    client.force_login(staff_member("publisher", "Publishers"))
    person = records[Person]
    url = change_url(person)
    response = client.get(url)
    assert "status" not in response.context["adminform"].readonly_fields
    data = change_form_data(response)
    data["status"] = ["published"]
    assert_saved(client.post(url, data))
    person.refresh_from_db()
    assert person.status == "published"

    event = records[Event]
    changelist = reverse("admin:events_event_changelist")
    response = client.post(changelist, {"action": "publish_selected", "_selected_action": [event.pk]}, follow=True)
    event.refresh_from_db()
    assert event.status == "published"
    assert "Published 1 record." in response.content.decode()


def test_a_researcher_reads_but_cannot_change(client, records):
    client.force_login(staff_member("researcher", "Researchers"))
    organization = records[Organization]
    url = change_url(organization)
    assert client.get(url).status_code == 200
    assert client.get(reverse("admin:organizations_organization_add")).status_code == 403
    response = client.post(url, {"name_ar": "تغيير", "kind": "ngo", "slug": "allmep"})
    assert response.status_code == 403
    organization.refresh_from_db()
    assert organization.name_ar == "تحالف السلام في الشرق الأوسط"


def test_a_user_who_is_not_staff_is_sent_to_the_login_page(client, records):
    user = User.objects.create_user("reader", "reader@example.org", "not-used-here-1234")
    user.groups.add(Group.objects.get(name="Publishers"))
    client.force_login(user)
    response = client.get(change_url(records[Organization]))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_groups_hold_the_permissions_their_names_promise(db):
    editors = {p.codename for p in Group.objects.get(name="Editors").permissions.all()}
    publishers = {p.codename for p in Group.objects.get(name="Publishers").permissions.all()}
    researchers = {p.codename for p in Group.objects.get(name="Researchers").permissions.all()}
    assert {"add_organization", "change_source", "delete_citation", "change_eventparticipant"} <= editors
    assert not {codename for codename in editors if codename.startswith("publish_")}
    assert publishers - editors == {
        f"publish_{model}"
        for model in (
            "organization",
            "membership",
            "reportedfigure",
            "person",
            "role",
            "articlesection",
            "proposal",
            "event",
            "meeting",
            "source",
        )
    }
    assert researchers and all(codename.startswith("view_") for codename in researchers)


# manage.py local_admin


def test_local_admin_creates_a_superuser_with_a_fresh_password_once(db, capsys):
    call_command("local_admin")
    first = capsys.readouterr().out
    password = first.split("Password: ")[1].split()[0]
    assert "http://127.0.0.1:8000/ar/admin/" in first
    admin_user = User.objects.get(username="admin")
    assert admin_user.is_superuser and admin_user.check_password(password)

    call_command("local_admin")
    again = capsys.readouterr().out
    assert "already exists" in again and "--reset" in again
    assert "Password:" not in again
    assert User.objects.get(username="admin").check_password(password)

    call_command("local_admin", reset=True)
    new_password = capsys.readouterr().out.split("Password: ")[1].split()[0]
    assert new_password != password
    assert User.objects.get(username="admin").check_password(new_password)
