"""The translation status in the staff admin: for every translated field, whether its Arabic, English and
Hebrew were last changed together or one language moved on without the others, derived from the history;
on each change form, as a changelist filter and as a report per language, for staff who may change the
kind, at a fixed number of queries."""

import datetime
import re
from io import StringIO

import pytest
import reversion
from django.contrib.auth.models import Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Version

from citations.models import Citation, Source
from events.models import Event, EventParticipant, EventPartner
from organizations.models import Organization, Person
from records import translation_status
from records.models import TranslationState
from records.versioning import revert_record, revision
from tests.answers import assert_saved, change_form_data, change_url
from tests.factories import staff_member

APRIL = datetime.datetime(2026, 4, 1, 9, 0, tzinfo=datetime.UTC)
MAY_3 = datetime.datetime(2026, 5, 3, 10, 30, tzinfo=datetime.UTC)
MAY_5 = datetime.datetime(2026, 5, 5, 16, 0, tzinfo=datetime.UTC)
MAY_9 = datetime.datetime(2026, 5, 9, 8, 0, tzinfo=datetime.UTC)

NAMES = {"name_ar": "منتدى السلام", "name_en": "Peace forum", "name_he": "פורום השלום"}
SUMMARIES = {"summary_ar": "منظمة", "summary_en": "An organization", "summary_he": "ארגון"}


def saved(obj, when, comment="An edit", **values):
    """Save ``obj`` with ``values`` in a revision of its own, dated ``when``."""
    with revision(comment):
        reversion.set_date_created(when)
        for name, value in values.items():
            setattr(obj, name, value)
        obj.save()
    return obj


def organization(slug, when=APRIL, **values):
    return saved(Organization(slug=slug, kind="ngo"), when, "Created", **{**NAMES, **SUMMARIES, **values})


def states(obj, field):
    """{language: state} of one field of ``obj``."""
    rows = TranslationState.objects.filter(object_id=obj.pk, field=field, content_type__model=obj._meta.model_name)
    return {row.language: row.state for row in rows}


def panel(client, obj, language="en"):
    """The text of the translation status panel on ``obj``'s change form ("" when there is none)."""
    html = client.get(change_url(obj, language)).content.decode()
    match = re.search(r'<fieldset class="module aligned translation-status"[^>]*>(.*?)</fieldset>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split()) if match else ""


def changelist(model, language="en"):
    opts = model._meta
    return f"/{language}" + reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")[3:]


def report(language, page_language="en"):
    return f"/{page_language}" + reverse("admin:translation_status", kwargs={"language": language})[3:]


def listed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return {obj.slug for obj in response.context["cl"].result_list}


def reported(client, language):
    response = client.get(report(language))
    assert response.status_code == 200
    return [
        (record["object"], [field.name for field in record["fields"]])
        for g in response.context["groups"]
        for record in g["records"]
    ]


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("boss", "boss@example.org", "not-used-here-1234")


@pytest.fixture
def staff_client(client, superuser):
    client.force_login(superuser)
    return client


# The rule.


def test_english_edited_alone_moves_on_after_the_arabic_and_the_hebrew(staff_client):
    forum = organization("forum")
    saved(forum, MAY_3, name_en="Forum for peace")
    assert states(forum, "name") == {"ar": "behind", "en": "current", "he": "behind"}
    assert states(forum, "summary") == {"ar": "current", "en": "current", "he": "current"}
    text = panel(staff_client, forum)
    assert "Name English changed on 3 May 2026 after the Arabic and Hebrew." in text
    assert "Arabic: changed on 1 April 2026 behind" in text
    assert "English: changed on 3 May 2026" in text
    assert "Summary In step." in text


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("ar", "تغيّرت الإنجليزية في 3 مايو 2026 بعد العربية والعبرية."),
        ("he", "הנוסח באנגלית השתנה ב־3 במאי 2026, אחרי הנוסח בערבית ועברית."),
    ],
)
def test_the_status_reads_in_arabic_and_hebrew(staff_client, language, sentence):
    forum = organization("forum")
    saved(forum, MAY_3, name_en="Forum for peace")
    assert sentence in panel(staff_client, forum, language)


def test_all_three_languages_edited_together_are_in_step(staff_client):
    forum = organization("forum")
    saved(forum, MAY_3, name_ar="منتدى", name_en="Forum", name_he="פורום")
    assert states(forum, "name") == {"ar": "current", "en": "current", "he": "current"}
    text = panel(staff_client, forum)
    assert "Name In step." in text
    assert "Arabic: changed on 3 May 2026 English: changed on 3 May 2026 Hebrew: changed on 3 May 2026" in text


def test_a_translation_catches_up_without_putting_the_others_behind(staff_client):
    forum = organization("forum")
    saved(forum, MAY_3, name_en="Forum for peace")
    saved(forum, MAY_5, name_he="פורום למען השלום")  # the translator carries the English over
    assert states(forum, "name") == {"ar": "behind", "en": "current", "he": "current"}
    assert "Name English changed on 3 May 2026 after the Arabic." in panel(staff_client, forum)
    saved(forum, MAY_9, name_ar="منتدى من أجل السلام")
    assert states(forum, "name") == {"ar": "current", "en": "current", "he": "current"}
    # A language in step that changes again moves on once more.
    saved(forum, MAY_9 + datetime.timedelta(days=1), name_he="פורום השלום והדיאלוג")
    assert states(forum, "name") == {"ar": "behind", "en": "behind", "he": "current"}
    assert "Hebrew changed on 10 May 2026 after the Arabic and English." in panel(staff_client, forum)


def test_an_empty_language_beside_filled_ones_is_missing(staff_client):
    forum = organization("forum", name_he="", summary_en="", summary_he="")
    assert states(forum, "name") == {"ar": "current", "en": "current", "he": "missing"}
    assert states(forum, "summary") == {"ar": "current", "en": "missing", "he": "missing"}
    text = panel(staff_client, forum)
    assert "Name Missing in Hebrew." in text
    assert "Summary Missing in English and Hebrew." in text
    assert "Hebrew: empty missing" in text
    # Filling it in is a translation: nothing falls behind.
    saved(forum, MAY_3, name_he="פורום")
    assert states(forum, "name") == {"ar": "current", "en": "current", "he": "current"}
    # A field empty in every language has nothing to translate.
    assert states(forum, "description") == {"ar": "current", "en": "current", "he": "current"}
    assert "Description Empty in every language." in panel(staff_client, forum)


def test_a_language_a_kind_needs_no_value_in_is_neither_missing_nor_behind(staff_client):
    """A source's title needs no translation into the source's own language (RecordKind.untranslated)."""
    report = saved(Source(key="report", title="A report", language="en"), APRIL, title_translation_ar="تقرير")
    assert states(report, "title_translation") == {"ar": "current", "en": "current", "he": "missing"}
    assert "Translated title Missing in Hebrew." in panel(staff_client, report)
    saved(report, MAY_3, title_translation_he="דוח")
    saved(report, MAY_5, title_translation_ar="التقرير")  # the English is not behind the Arabic
    assert states(report, "title_translation") == {"ar": "current", "en": "current", "he": "behind"}
    # An Arabic source: its English title is wanted now, and its Arabic one leads nothing.
    saved(report, MAY_9, language="ar")
    assert states(report, "title_translation") == {"ar": "current", "en": "missing", "he": "current"}


def test_an_edit_made_in_the_admin_form_counts(staff_client):
    forum = organization("forum")
    url = change_url(forum)
    data = change_form_data(staff_client.get(url))
    data["name_en"] = ["Forum for peace"]
    assert_saved(staff_client.post(url, data))
    assert states(forum, "name") == {"ar": "behind", "en": "current", "he": "behind"}
    assert states(forum, "summary") == {"ar": "current", "en": "current", "he": "current"}


def test_saving_nothing_new_and_saving_other_fields_change_no_status(staff_client):
    forum = organization("forum")
    saved(forum, MAY_3, name_en="Forum for peace")
    before = list(TranslationState.objects.order_by("pk").values())
    saved(forum, MAY_5, website="https://forum.example.org/")
    saved(forum, MAY_9, status="published")
    assert list(TranslationState.objects.order_by("pk").values()) == before


def test_rows_edited_with_a_record_show_on_its_form_when_not_in_step(staff_client):
    """A participant's role has no form of its own: its event's form tells what is not in step."""
    person = saved(Person(slug="someone"), APRIL, name_ar="شخص", name_en="Someone", name_he="מישהו")
    event = Event(slug="summit", kind="summit", start="2009", title_ar="قمة", title_en="Summit", title_he="פסגה")
    with revision("Created"):
        reversion.set_date_created(APRIL)
        event.save()
        EventParticipant.objects.create(event=event, person=person, role_en="speaker")
        EventParticipant.objects.create(
            event=event, person=person, position=1, role_ar="منسق", role_en="moderator", role_he="מנחה"
        )
    text = panel(staff_client, event)
    assert "Participants: Someone @ Summit Role Missing in Arabic and Hebrew." in text
    assert text.count("Participants:") == 1  # the participant in step is not listed
    assert "Title In step." in text


def test_the_rows_edited_with_a_record_cost_a_query_per_relation(db, django_assert_num_queries):
    person = saved(Person(slug="someone"), APRIL, name_en="Someone")
    event = saved(Event(slug="summit", kind="summit", start="2009"), APRIL, title_en="Summit")
    for count in (1, 10):
        with revision("Participants"):
            for position in range(count):
                EventParticipant.objects.create(event=event, person=person, position=position, role_en="speaker")
            reversion.add_to_revision(event)
        ContentType.objects.clear_cache()
        ContentType.objects.get_for_models(Event, EventParticipant, EventPartner, Citation)
        # Participants (their rows, then those not in step), partners, citations.
        with django_assert_num_queries(4):
            found = translation_status.followed_statuses(event)
        assert len(found) == EventParticipant.objects.count()


# The history stays the source: a rebuild, a delete and a recovery, the dataset loader.


def test_the_rebuild_command_derives_the_same_status_from_the_history(staff_client):
    forum = organization("forum", name_he="")
    saved(forum, MAY_3, name_en="Forum for peace", summary_ar="منظمة أهلية")
    saved(forum, MAY_5, name_he="פורום")
    event = saved(Event(slug="summit", kind="summit", start="2009"), APRIL, title_ar="قمة", title_en="Summit")
    saved(event, MAY_9, title_ar="القمة")

    def rows():
        return sorted(
            TranslationState.objects.values_list(
                "content_type_id",
                "object_id",
                "field",
                "language",
                "state",
                "fingerprint",
                "changed_at",
                "behind_since",
            )
        )

    before = rows()
    assert before
    out = StringIO()
    call_command("rebuild_translation_status", stdout=out)
    assert rows() == before
    assert f"Wrote {len(before)} translation states." in out.getvalue()


def test_a_deleted_record_leaves_no_status_and_a_recovered_one_gets_its_own_back(staff_client):
    forum = organization("forum")
    saved(forum, MAY_3, name_en="Forum for peace")
    before = states(forum, "name")
    version = Version.objects.get_for_object(forum).order_by("-pk").first()
    pk = forum.pk
    forum.delete()
    assert not TranslationState.objects.filter(object_id=pk).exists()
    with revision("Recovered"):
        revert_record(version)
        reversion.add_to_revision(Organization.objects.get(pk=pk))
    assert states(Organization.objects.get(pk=pk), "name") == before


def test_the_dataset_loader_derives_the_status_of_a_database_that_never_had_it(db):
    forum = organization("forum")
    saved(forum, MAY_3, name_en="Forum for peace")
    TranslationState.objects.all().delete()  # as a database from before the status was kept
    out = StringIO()
    call_command("load_allmep", stdout=out)
    assert "Derived the translation status from the history" in out.getvalue()
    assert states(forum, "name") == {"ar": "behind", "en": "current", "he": "behind"}
    # Once derived, the next start leaves it to the revisions.
    out = StringIO()
    call_command("load_allmep", stdout=out)
    assert "Derived" not in out.getvalue()


# The filter and the report.


@pytest.fixture
def three(db):
    """One organization in step, one whose English moved on, one without Hebrew."""
    in_step = organization("in-step")
    moved = organization("moved")
    saved(moved, MAY_3, summary_en="An organization for peace")
    no_hebrew = organization("no-hebrew", name_he="")
    return {"in_step": in_step, "moved": moved, "no_hebrew": no_hebrew}


def test_the_changelist_filter_lists_the_records_behind_in_a_language(staff_client, three):
    url = changelist(Organization)
    assert listed(staff_client, url) == {"in-step", "moved", "no-hebrew"}
    assert listed(staff_client, url + "?translation=he") == {"moved", "no-hebrew"}
    assert listed(staff_client, url + "?translation=ar") == {"moved"}
    assert listed(staff_client, url + "?translation=en") == set()
    html = staff_client.get(url).content.decode()
    assert "By translation status" in html
    assert "Hebrew behind or missing" in html and "Arabic behind or missing" in html
    hebrew = staff_client.get(changelist(Organization, "he")).content.decode()
    assert "עברית: בפיגור או חסרה" in hebrew


def test_a_filter_value_that_is_no_language_is_a_clear_400(staff_client, three):
    response = staff_client.get(changelist(Organization) + "?translation=fr")
    assert response.status_code == 400
    assert "“fr” is not a language of the record" in response.content.decode()


def test_the_report_lists_the_records_and_fields_behind_in_its_language(staff_client, three):
    assert reported(staff_client, "he") == [(three["moved"], ["summary"]), (three["no_hebrew"], ["name"])]
    assert reported(staff_client, "ar") == [(three["moved"], ["summary"])]
    assert reported(staff_client, "en") == []
    html = staff_client.get(report("he")).content.decode()
    assert f'href="{reverse("admin:organizations_organization_change", args=[three["moved"].pk])}"' in html
    assert "English changed on 3 May 2026 after the Arabic and Hebrew." in html
    assert "Missing in Hebrew." in html
    assert f'href="{reverse("admin:organizations_organization_changelist")}?translation=he"' in html
    assert (
        "Every translated field you may change is in step in English."
        in staff_client.get(report("en")).content.decode()
    )
    # The index leads to the reports.
    index = staff_client.get("/en/admin/").content.decode()
    assert f'href="{reverse("admin:translation_status", kwargs={"language": "he"})}"' in index


def test_the_report_refuses_what_it_cannot_read(staff_client, three):
    assert staff_client.get(report("fr")).status_code == 404
    assert staff_client.get(report("he") + "?page=two").status_code == 400
    assert staff_client.get(report("he") + "?page=9").status_code == 404
    assert staff_client.get(report("he") + "?page=1").status_code == 200


# Who sees it.


def test_a_researcher_sees_nothing_of_it(client, three):
    client.force_login(staff_member("researcher", "Researchers"))
    forum = three["moved"]
    response = client.get(change_url(forum))
    assert response.status_code == 200
    assert panel(client, forum) == ""
    assert "translation_status" not in response.content.decode()
    assert "?translation=" not in client.get(changelist(Organization)).content.decode()
    assert client.get(report("he")).status_code == 403
    index = client.get("/en/admin/").content.decode()
    assert "Translation status" not in index


def test_an_editor_sees_it(client, three):
    client.force_login(staff_member("editor", "Editors"))
    assert "English changed on 3 May 2026" in panel(client, three["moved"])
    assert listed(client, changelist(Organization) + "?translation=he") == {"moved", "no-hebrew"}
    assert client.get(report("he")).status_code == 200


def test_the_report_lists_only_kinds_the_user_may_change(client, three):
    saved(Event(slug="summit", kind="summit", start="2009"), APRIL, title_ar="قمة", title_en="Summit")
    user = User.objects.create_user("translator", "t@example.org", "not-used-here-1234", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_event"))
    client.force_login(user)
    assert [obj.slug for obj, _fields in reported(client, "he")] == ["summit"]
    assert client.get(change_url(three["moved"])).status_code == 403


# What it costs.


def many(start, count):
    """``count`` organizations whose English moved on, each in its own revisions."""
    for number in range(start, start + count):
        forum = organization(f"forum-{number:03d}")
        saved(forum, MAY_3, name_en=f"Forum {number}")


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_filtered_changelist_costs_what_any_filtered_list_costs_however_many_rows(staff_client):
    many(0, 3)
    url = changelist(Organization)
    staff_client.get(url + "?translation=he")  # content types and counts are cached on a running site
    # Beside the list filtered by publication state (a filtered list is counted exactly on every database).
    by_status, filtered = (
        queries(staff_client, url + "?status__exact=draft"),
        queries(staff_client, url + "?translation=he"),
    )
    many(3, 40)
    assert queries(staff_client, url + "?translation=he") == filtered
    assert filtered == by_status


def test_the_report_costs_a_fixed_number_of_queries(staff_client, django_assert_num_queries):
    many(0, 3)
    saved(Event(slug="summit", kind="summit", start="2009"), APRIL, title_ar="قمة", title_en="Summit")
    staff_client.get(report("he"))
    # Session and user; the reviewed proposals to tell the user of; counts by kind; the page's rows;
    # every language of their fields; the records of each kind on the page (organizations, events).
    with django_assert_num_queries(8):
        staff_client.get(report("he"))
    many(3, 60)
    with django_assert_num_queries(8):
        response = staff_client.get(report("he"))
    assert len(response.context["groups"][0]["records"]) == 63


def test_a_revision_costs_a_fixed_number_of_queries_for_the_status(db):
    forum = organization("forum")
    # Reading the stored rows of the record; writing the changed ones (one INSERT … ON CONFLICT UPDATE).
    with CaptureQueriesContext(connection) as captured:
        saved(forum, MAY_3, name_en="Forum for peace", summary_en="A forum")
    status_queries = [q["sql"] for q in captured if "records_translationstate" in q["sql"]]
    assert len(status_queries) == 2, status_queries
    # Saving what changed no translated field reads the rows and writes nothing.
    with CaptureQueriesContext(connection) as captured:
        saved(forum, MAY_5, website="https://forum.example.org/")
    assert len([q for q in captured if "records_translationstate" in q["sql"]]) == 1
