"""What each public version changed (records.changes): written with its revision, rebuilt the same."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from citations.models import Citation, Source
from events.models import Event
from organizations.models import ArticleSection, Organization
from records import changes, kinds
from records.history import public_versions, versions_for
from records.models import Change, PublicationStatus
from records.versioning import revision

pytestmark = pytest.mark.django_db

PUBLISHED = PublicationStatus.PUBLISHED
DRAFT = PublicationStatus.DRAFT


def create_organization(slug="peres-center", status=PUBLISHED, **values):
    with revision("Created"):
        return Organization.objects.create(
            slug=slug, name_en="Peres Center", name_ar="مركز بيريس", kind="ngo", status=status, **values
        )


def edit(record, comment="Edit", **values):
    with revision(comment):
        for name, value in values.items():
            setattr(record, name, value)
        record.save()
    return versions_for(record).first()


def change_of(version):
    return Change.objects.get(version=version)


def test_a_first_version_changes_every_column_it_fills():
    organization = create_organization()

    change = change_of(versions_for(organization).get())

    assert change.previous is None
    assert {"name_en", "name_ar", "slug", "kind", "status"} <= set(change.columns)
    assert "name_he" not in change.columns
    assert change.languages == " ar en "


def test_an_edit_records_its_columns_languages_and_the_version_before():
    organization = create_organization()
    first = versions_for(organization).get()

    second = edit(organization, name_he="מרכז פרס", description_he="ארגון.")

    change = change_of(second)
    assert change.previous == first
    assert sorted(change.columns) == ["description_he", "name_he"]
    assert change.languages == " he "
    assert change.date == second.revision.date_created
    assert change.object_id == str(organization.pk)


def test_untranslated_columns_have_no_language():
    organization = create_organization()

    change = change_of(edit(organization, website="https://peres-center.org/"))

    assert change.columns == ["website"]
    assert change.languages == " "


def test_versions_saved_while_a_draft_get_no_row_and_are_skipped_as_the_version_before():
    organization = create_organization()
    published = versions_for(organization).get()
    edit(organization, "Withdrawn", status=DRAFT, name_en="Secret working title")
    drafted = versions_for(organization).first()
    republished = edit(organization, "Published again", status=PUBLISHED, name_en="Peres Center for Peace")

    assert not Change.objects.filter(version=drafted).exists()
    change = change_of(republished)
    # Compared with the last version readers saw, as the diff page compares it.
    assert change.previous == published
    assert sorted(change.columns) == ["name_en"]


def test_a_record_first_saved_as_a_draft_is_new_when_published():
    draft = create_organization(status=DRAFT)

    published = edit(draft, "Published", status=PUBLISHED)

    assert Change.objects.count() == 1
    assert change_of(published).previous is None
    assert "name_en" in change_of(published).columns


def test_citations_changed_with_a_record_are_counted_with_their_languages():
    with revision("Source"):
        source = Source.objects.create(key="stanford", title="Stanford", status=PUBLISHED)
    organization = create_organization()
    with revision("Cited"):
        citation = Citation.objects.create(source=source, content_object=organization, claim="founded")
        organization.save()
    cited = versions_for(organization).first()
    with revision("Locator"):
        citation.locator_ar = "ص 3"
        citation.save()
        organization.save()
    located = versions_for(organization).first()

    assert (change_of(cited).citations, change_of(cited).columns, change_of(cited).languages) == (1, [], " ")
    assert (change_of(located).citations, change_of(located).languages) == (1, " ar ")


def test_kinds_without_history_get_no_row():
    organization = create_organization()
    with revision("Section"):
        section = ArticleSection.objects.create(organization=organization, kind="lead", status=PUBLISHED, body_en="A")
        citation_source = Source.objects.create(key="k", title="T", status=PUBLISHED)
        citation = Citation.objects.create(source=citation_source, content_object=section)
    history_kinds = {kind.model for kind in kinds.all_kinds() if kind.history}

    assert ArticleSection in history_kinds
    assert Change.objects.filter(object_id=str(section.pk), content_type__model="articlesection").exists()
    assert not Change.objects.filter(object_id=str(citation.pk), content_type__model="citation").exists()


def test_rebuild_writes_the_rows_the_revisions_wrote():
    organization = create_organization()
    edit(organization, name_he="מרכז פרס")
    edit(organization, "Withdrawn", status=DRAFT)
    edit(organization, "Back", status=PUBLISHED, summary_en="A centre.")
    with revision("Event"):
        Event.objects.create(slug="summit", title_en="Summit", kind="summit", status=PUBLISHED)

    def rows():
        return sorted(
            Change.objects.values_list(
                "version_id", "previous_id", "content_type_id", "object_id", "date", "columns", "languages", "citations"
            )
        )

    written = rows()
    Change.objects.all().delete()
    call_command("rebuild_recent_changes", stdout=StringIO())

    assert rows() == written
    assert len(written) == len(public_versions(organization)) + 1


def test_public_changes_follow_the_records_state_now():
    organization = create_organization()
    with revision("Lead"):
        section = ArticleSection.objects.create(organization=organization, kind="lead", status=PUBLISHED, body_en="A")
    other = create_organization(slug="other")

    def listed():
        return {(change.content_type.model, change.object_id) for change in changes.public_changes()}

    assert listed() == {
        ("organization", str(organization.pk)),
        ("organization", str(other.pk)),
        ("articlesection", str(section.pk)),
    }
    # Withdrawn: neither the organization's changes nor those of the sections shown within it.
    edit(organization, "Withdrawn", status=DRAFT)
    assert listed() == {("organization", str(other.pk))}


def test_public_changes_by_kind_and_language():
    organization = create_organization()
    edit(organization, name_he="מרכז פרס")
    with revision("Event"):
        Event.objects.create(slug="summit", title_en="Summit", kind="summit", status=PUBLISHED)
    event_kind = kinds.kind_of(Event)

    assert [change.content_type.model for change in changes.public_changes(kind=event_kind)] == ["event"]
    hebrew = list(changes.public_changes(language="he"))
    assert [change.columns for change in hebrew] == [["name_he"]]
    assert changes.public_changes(kind=event_kind, language="he").count() == 0


def test_summary_names_fields_and_their_languages_in_the_readers_language():
    organization = create_organization()
    change = change_of(edit(organization, name_he="מרכז פרס", name_ar="مركز", website="https://example.org/"))

    with translation.override("en"):
        summary = {field.label: field.language_names for field in changes.summary(change)}
    assert summary == {"Name": ["Arabic", "Hebrew"], "Website": []}
    with translation.override("ar"):
        labels = [field.label for field in changes.summary(change)]
    assert "Name" not in labels


def test_after_pruning_a_change_is_compared_with_the_version_before_it_that_is_left():
    from datetime import timedelta

    from django.utils import timezone
    from reversion.models import Revision

    busy = create_organization(slug="busy")
    quiet = create_organization(slug="quiet")
    dated = []
    for number in range(4):
        with revision(f"Edit {number}"):
            busy.summary_en = f"Summary {number}"
            busy.save()
            if number == 1:
                quiet.summary_en = "Saved with edit 1"
                quiet.save()
        dated.append(versions_for(busy).first())
    for age, version in zip((100, 90, 80, 70), dated, strict=True):
        Revision.objects.filter(pk=version.revision_id).update(date_created=timezone.now() - timedelta(days=age))
    Revision.objects.filter(version__object_id=str(busy.pk), comment="Created").update(
        date_created=timezone.now() - timedelta(days=200)
    )

    # Edit 1 stays: it holds the quiet organization's latest version. Edits 0 and 2 go.
    call_command("prune_history", "--keep", "1", "--days", "30", stdout=StringIO())

    left = public_versions(busy)
    assert [version.revision.comment for version in left] == ["Edit 3", "Edit 1"]
    assert change_of(left[0]).previous == left[1]
    assert change_of(left[1]).previous is None


def test_a_rebuild_makes_stored_pages_stale():
    from records.models import ContentStamp

    create_organization()
    before = ContentStamp.current()

    changes.rebuild()

    assert ContentStamp.current()[0] > before[0]
