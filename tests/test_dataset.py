"""`manage.py load_allmep`: validated, published, cited, one revision, and a second run changes nothing."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from reversion.models import Revision, Version

from citations import prose
from citations.models import Citation, Source
from events.models import Event, EventParticipant, EventPartner, Meeting
from organizations.dataset import loader
from organizations.models import ArticleSection, Organization, Person, Proposal, ReportedFigure, Role
from records.models import Record

LOADED = [
    Organization,
    Source,
    Citation,
    Person,
    Role,
    Event,
    EventParticipant,
    EventPartner,
    Meeting,
    ReportedFigure,
    Proposal,
    ArticleSection,
]
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

    assert database_state() == before
    assert f"ALLMEP dataset: 0 created, 0 updated, {total} unchanged. Nothing differed: no revision." in second
    for model in RECORDS:
        assert set(model._base_manager.values_list("edit_version", flat=True)) == {1}, model._meta.label


def test_import_is_one_revision_by_the_loader_account(db):
    run_command()
    revision = Revision.objects.get()
    assert revision.comment == loader.INITIAL_COMMENT and "initial import" in revision.comment
    user = revision.user
    assert user.username == "allmep-loader"
    assert not user.is_staff and not user.is_superuser and not user.has_usable_password()
    for model in LOADED:
        versioned = Version.objects.filter(revision=revision, content_type=ContentType.objects.get_for_model(model))
        assert set(versioned.values_list("object_id", flat=True)) == {
            str(pk) for pk in model._base_manager.values_list("pk", flat=True)
        }, model._meta.label
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

    summary = loader.load(path)

    assert (summary.total("created"), summary.total("updated")) == (0, 1)
    fund = Organization.objects.get(slug="international-fund-for-ireland")
    assert fund.summary_en.startswith("Played a leading role") and fund.edit_version == 2
    assert set(Organization.objects.exclude(pk=fund.pk).values_list("edit_version", flat=True)) == {1}
    assert summary.revision.comment == loader.UPDATE_COMMENT
    changed = Version.objects.filter(
        revision=summary.revision, content_type=ContentType.objects.get_for_model(Organization)
    )
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
    monkeypatch.setattr("organizations.management.commands.load_allmep.DATASET", path)
    with pytest.raises(CommandError, match=r"Nothing was loaded: organizations\.allmep: kind: .*club"):
        run_command()
