"""`manage.py load_allmep`: validated, published, cited, a revision per record, a second run changes nothing, and
what editors changed, unpublished or deleted stays as they left it."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.urls import reverse
from reversion.models import Revision, Version

from citations.models import Citation, Source
from dataset import loader
from events.models import Event, EventParticipant, EventPartner, Meeting
from organizations.models import ArticleSection, Organization, Person, Proposal, ReportedFigure, Role
from records import prose
from records.models import Record
from tests.answers import assert_saved, change_form_data, change_url
from tests.factories import LOADED

RECORDS = [model for model in LOADED if issubclass(model, Record)]
# What a reader is told, so each of these must say where it comes from.
FACT_MODELS = [Organization, Event, Meeting, Person, ReportedFigure, Role, Proposal, EventParticipant, EventPartner]
LANGUAGES = ("ar", "en", "he")


def run_command():
    out = StringIO()
    call_command("load_allmep", stdout=out)
    return out.getvalue()


def database_state():
    """Every loaded row with its edit counter and change time, the meetings' counterparts, the history."""
    rows = {}
    for model in LOADED:
        fields = ["pk", "edit_version", "updated_at"] if issubclass(model, Record) else ["pk"]
        rows[model._meta.label] = list(model._base_manager.order_by("pk").values_list(*fields))
    counterparts = sorted(Meeting.counterparts.through.objects.values_list("meeting_id", "organization_id"))
    return rows, counterparts, Version.objects.count(), Revision.objects.count()


def dataset_copy(tmp_path, old, new):
    text = loader.DATASET.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in the dataset any more: update this test"
    path = tmp_path / "allmep.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_second_run_changes_nothing(db):
    first = run_command()
    total = sum(model._base_manager.count() for model in LOADED)
    assert f"ALLMEP dataset: {total} created, 0 updated, 0 unchanged." in first
    before = database_state()

    second = run_command()

    assert database_state() == before  # edit counters and change times included
    assert f"ALLMEP dataset: 0 created, 0 updated, {total} unchanged. Nothing to save: no revision." in second


def test_each_record_is_a_revision_of_its_own_by_the_loader_account(db):
    run_command()
    revisions = list(Revision.objects.all())
    # One per record of the file's tables: rows that belong to a record (citations, participants,
    # partners, roles) are in their record's revision.
    top_level = [Organization, Source, Person, Event, Meeting, ReportedFigure, Proposal, ArticleSection]
    assert len(revisions) == sum(model._base_manager.count() for model in top_level)
    assert {revision.comment for revision in revisions} == {loader.INITIAL_COMMENT}
    assert "initial import" in loader.INITIAL_COMMENT
    user = revisions[0].user
    assert {revision.user for revision in revisions} == {user}
    assert user.username == "allmep-loader"
    assert not user.is_staff and not user.is_superuser and not user.has_usable_password()
    for model in LOADED:
        for pk in model._base_manager.values_list("pk", flat=True):
            assert Version.objects.get_for_model(model).filter(object_id=str(pk)).count() == 1, model._meta.label
    # A record's one version holds the rows that belong to it: its citations, an event's
    # participants, a person's roles.
    for record, rows in [
        (Organization.objects.get(slug="allmep"), ["citations"]),
        (Event.objects.get(slug="summer-conference-2005"), ["citations", "participants"]),
        (Event.objects.get(slug="encounter-point-screening-2006"), ["citations", "partners"]),
        (Person.objects.get(slug="philip-wilcox"), ["citations", "roles"]),
    ]:
        revision = Version.objects.get_for_object(record).get().revision
        held = {(version.content_type_id, version.object_id) for version in revision.version_set.all()}
        for name in rows:
            related = getattr(record, name).all()
            assert related, f"{record}: no {name}"
            content_type = ContentType.objects.get_for_model(related.model)
            assert {(content_type.pk, str(row.pk)) for row in related} <= held, f"{record}: {name}"
    # Every language is in the history, not only the one active while loading.
    coalition = Organization.objects.get(slug="allmep")
    fields = Version.objects.get_for_object(coalition).get().field_dict
    assert (fields["name_en"], fields["name_he"]) == ("Alliance for Middle East Peace", "הברית לשלום במזרח התיכון")


def test_everything_loaded_is_published(db):
    run_command()
    for model in RECORDS:
        everything = model._base_manager.count()
        assert everything and model.objects.published().count() == everything, model._meta.label


def test_every_record_validates_and_speaks_three_languages(db):
    run_command()
    prose_texts = 0
    for model in LOADED:
        for instance in model._base_manager.all():
            instance.full_clean()
            for field in instance._meta.concrete_fields:
                value = getattr(instance, field.attname)
                if isinstance(field, prose.ProseField) and value:
                    prose.validate_prose(value)
                    prose_texts += 1
                base = field.name.removesuffix("_ar")
                if field.name.endswith("_ar") and value and base != "title_translation":
                    # A source's title is English; only its translation into Arabic and Hebrew is given.
                    for language in ("en", "he"):
                        assert getattr(instance, f"{base}_{language}"), f"{instance!r}.{base}_{language} is empty"
    assert prose_texts > 50


def test_every_fact_is_cited(db):
    run_command()
    for model in FACT_MODELS:
        for instance in model._base_manager.all():
            assert instance.citations.exists(), f"{model._meta.label} {instance} has no citation"
    for citation in Citation.objects.select_related("source"):
        assert citation.source.is_published and citation.content_object is not None
    # The article cites through {{ref}} markers: every paragraph, in every language, ends with one.
    for item in ArticleSection.objects.exclude(kind="external_links"):
        for language in LANGUAGES:
            for paragraph in prose.paragraphs(getattr(item, f"body_{language}")):
                assert paragraph.endswith("}}") and prose.markers(paragraph), f"{item.kind} ({language})"


def test_an_edited_dataset_updates_only_what_changed(db, tmp_path):
    run_command()
    path = dataset_copy(tmp_path, 'summary.en = "Played a prominent role', 'summary.en = "Played a leading role')
    counters = dict(Organization.objects.values_list("slug", "edit_version"))

    summary = loader.load(path)

    assert (summary.total("created"), summary.total("updated")) == (0, 1)
    fund = Organization.objects.get(slug="international-fund-for-ireland")
    assert fund.summary_en.startswith("Played a leading role")
    assert fund.edit_version == counters.pop(fund.slug) + 1
    assert dict(Organization.objects.exclude(pk=fund.pk).values_list("slug", "edit_version")) == counters
    assert summary.revisions == 1
    revision = Revision.objects.latest("pk")
    assert revision.comment == loader.UPDATE_COMMENT
    changed = Version.objects.filter(revision=revision, content_type=ContentType.objects.get_for_model(Organization))
    assert list(changed.values_list("object_id", flat=True)) == [str(fund.pk)]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "{{ref|allmep-overview}}",
            "{{ref|allmep-overveiw}}",
            # The loader works in the default language (Arabic), so its messages are Arabic:
            # check the record, field and value they name.
            "body_ar: لا يشير {{ref|allmep-overveiw}} إلى مصدر معروف",
        ),
        ('founded = "2003-36"', 'founded = "late 2003"', "organizations.allmep: founded: أدخل التاريخ بصيغة YYYY"),
        ('founded = "2003-36"', 'founded = "2003-36"\nfoundd = "2003"', "organizations.allmep: unknown key(s) foundd"),
        ('parent = "usaid"', 'parent = "usiad"', "organizations.usaid-cmm: parent names 'usiad'"),
        ('cite.name = ["cohen-op-ed-2009"]', 'cite.name = ["cohen-2009"]', "cite.name names no source 'cohen-2009'"),
    ],
)
def test_a_wrong_dataset_is_refused_and_nothing_is_saved(db, tmp_path, old, new, message):
    path = dataset_copy(tmp_path, old, new)
    with pytest.raises(loader.DatasetError) as error:
        loader.load(path)
    assert message in str(error.value)
    assert not Organization._base_manager.exists() and not Revision.objects.exists()
    assert not get_user_model().objects.filter(username=loader.LOADER_USERNAME).exists()


def test_the_command_reports_a_wrong_dataset(db, tmp_path, monkeypatch):
    path = dataset_copy(tmp_path, 'kind = "coalition"', 'kind = "club"')
    monkeypatch.setattr("dataset.management.commands.load_allmep.DATASET", path)
    with pytest.raises(CommandError, match=r"Nothing was loaded: organizations\.allmep: kind: .*club"):
        run_command()


# -- editors own the record ---------------------------------------------------------------------

NEW_NAME = "وكالة التنمية الأمريكية"


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("rana", "rana@example.org", "not-used-here-1234")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def editors_work(client):
    """In the admin: rename an organization in Arabic, withdraw another to draft, delete a meeting."""
    usaid = Organization.objects.get(slug="usaid")
    data = change_form_data(client.get(change_url(usaid)))
    data["name_ar"] = [NEW_NAME]
    assert_saved(client.post(change_url(usaid), data))
    white_house = Organization.objects.get(slug="white-house")
    changelist = reverse("admin:organizations_organization_changelist")
    withdraw = {"action": "unpublish_selected", "_selected_action": [str(white_house.pk)]}
    assert client.post(changelist, withdraw).status_code == 302
    meeting = Meeting.objects.get(slug="first-meeting-2004")
    assert client.post(reverse("admin:events_meeting_delete", args=[meeting.pk]), {"post": "yes"}).status_code == 302


def assert_editors_work_stands(editor):
    usaid = Organization._base_manager.get(slug="usaid")
    assert usaid.name_ar == NEW_NAME
    assert Version.objects.get_for_object(usaid).order_by("-pk").first().revision.user == editor
    assert Organization._base_manager.get(slug="white-house").status == "draft"
    assert not Meeting._base_manager.filter(slug="first-meeting-2004").exists()


def edited_dataset(tmp_path, *replacements):
    text = loader.DATASET.read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, f"{old!r} is not once in the dataset any more: update this test"
        text = text.replace(old, new)
    path = tmp_path / "allmep.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_reload_keeps_what_editors_changed_withdrew_and_deleted(editor, editor_client):
    run_command()
    editors_work(editor_client)
    revisions = Revision.objects.count()

    output = run_command()

    assert_editors_work_stands(editor)
    assert Revision.objects.count() == revisions, "the loader wrote nothing"
    assert "kept 2 records edited since the dataset was loaded" in output
    assert "1 record deleted by editors not brought back" in output
    # Each disagreement is shown, with who made the database's version.
    assert "organizations.usaid (organizations.Organization" in output and "edited by rana" in output
    assert f"name_ar: database '{NEW_NAME}', dataset 'الوكالة الأمريكية للتنمية الدولية'" in output
    assert "status: database 'draft', dataset 'published'" in output
    assert "meetings.first-meeting-2004 (events.Meeting" in output and "not brought back" in output


def test_a_dataset_change_still_reaches_the_records_nobody_touched(editor, editor_client, tmp_path):
    run_command()
    editors_work(editor_client)
    path = edited_dataset(
        tmp_path,
        ('summary.en = "Played a prominent role', 'summary.en = "Played a leading role'),
        ('ar = "الوكالة الأمريكية للتنمية الدولية"', 'ar = "الوكالة الأمريكية للتنمية الدولية (USAID)"'),
    )

    summary = loader.load(path)

    fund = Organization.objects.get(slug="international-fund-for-ireland")
    assert fund.summary_en.startswith("Played a leading role")
    latest = Version.objects.get_for_object(fund).order_by("-pk").first().revision
    assert (latest.user.username, latest.comment) == (loader.LOADER_USERNAME, loader.UPDATE_COMMENT)
    assert_editors_work_stands(editor)
    assert (summary.total("updated"), summary.total("kept"), summary.total("deleted")) == (1, 2, 1)
    assert summary.revisions == 1


def test_rows_are_added_to_untouched_records_only(editor_client, tmp_path):
    run_command()
    editors_work(editor_client)
    congress = Organization.objects.get(slug="us-congress")
    usaid = Organization.objects.get(slug="usaid")
    usaid_names = 'cite.name = ["cohen-op-ed-2009", "allmep-overview"]\n'
    congress_names = 'he = "הקונגרס" }\ncite.name = ["allmep-overview", "cohen-op-ed-2009"]\n'
    path = edited_dataset(
        tmp_path,
        (usaid_names, f'{usaid_names}cite.short_name = ["allmep-overview"]\n'),
        (congress_names, f'{congress_names}cite.kind = ["allmep-overview"]\n'),
    )

    summary = loader.load(path)

    assert congress.citations.filter(claim="kind").exists()
    assert not usaid.citations.filter(claim="short_name").exists(), "the editor's record is left as they saved it"
    [report] = [report for report in summary.reports if "short_name" in report.label]
    assert report.outcome == "kept" and "edited by rana" in report.reason


def test_a_change_made_outside_the_history_is_kept_too(db, tmp_path):
    run_command()
    # A script that bypassed save() and reversion: the loader's version is not what the row holds.
    Organization.objects.filter(slug="international-fund-for-ireland").update(summary_en="Fixed by a script.")
    path = edited_dataset(tmp_path, ('summary.en = "Played a prominent role', 'summary.en = "Played a leading role'))

    summary = loader.load(path)

    assert Organization.objects.get(slug="international-fund-for-ireland").summary_en == "Fixed by a script."
    [report] = summary.reports
    assert report.outcome == "kept" and "changed outside the history" in report.reason


def test_the_diff_shows_file_and_database_field_by_field_and_writes_nothing(editor_client, tmp_path, monkeypatch):
    run_command()
    editors_work(editor_client)
    path = edited_dataset(tmp_path, ('summary.en = "Played a prominent role', 'summary.en = "Played a leading role'))
    monkeypatch.setattr("dataset.management.commands.load_allmep.DATASET", path)
    before = database_state()

    out = StringIO()
    call_command("load_allmep", "--diff", stdout=out)
    output = out.getvalue()

    assert database_state() == before
    assert not get_user_model().objects.filter(username="allmep-loader", is_active=False).exists()
    assert output.startswith("ALLMEP dataset, dry run (nothing was written): a load would give 0 created, 1 updated")
    assert "- organizations.international-fund-for-ireland (organizations.Organization #" in output
    assert "would be updated" in output
    assert "summary_en: database 'Played a prominent role" in output and "dataset 'Played a leading role" in output
    assert f"name_ar: database '{NEW_NAME}'" in output
    assert "not brought back" in output
