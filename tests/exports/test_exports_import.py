"""Staff import of organizations in the admin: preview, per-row errors, all or nothing, and a
revision per imported row with the importing user and a comment."""

import io

import pytest
import tablib
from django.contrib.auth.models import Permission, User
from django.urls import reverse
from django.utils import translation
from reversion.models import Version

from organizations.models import Organization
from organizations.resources import OrganizationResource
from tests.answers import body, csv_choice
from tests.factories import BAD, GOOD, PLAIN_EN, PROSE_AR, PROSE_EN, build_record


@pytest.fixture
def editor(db):
    user = User.objects.create_user("editor", password="a long enough password", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="organizations",
            codename__in=["add_organization", "change_organization", "view_organization"],
        )
    )
    return user


@pytest.fixture
def publisher(editor):
    """The editor, who may also publish organizations: their imports change published ones."""
    editor.user_permissions.add(Permission.objects.get(codename="publish_organization"))
    return User.objects.get(pk=editor.pk)  # without the cached permissions


def import_url():
    with translation.override("en"):
        return reverse("admin:organizations_organization_import")


def upload(client, text, name="organizations.csv"):
    page = client.get(import_url())
    assert page.status_code == 200
    upload = io.BytesIO(("\ufeff" + text).encode())
    upload.name = name
    return client.post(import_url(), {"import_file": upload, "format": csv_choice(page)})


def test_preview_then_confirm_imports_every_row_as_a_draft_with_a_revision(client, publisher):
    editor = publisher
    Organization.objects.create(slug="just-vision", name_en="Just Vision", kind="ngo", status="published")
    client.force_login(editor)
    preview = upload(client, GOOD)
    assert preview.status_code == 200
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["new", "update"]
    assert not Organization.objects.filter(slug="peace-now-example").exists()  # a preview saves nothing

    confirm = preview.context["confirm_form"]
    with translation.override("en"):
        process_url = reverse("admin:organizations_organization_process_import")
    response = client.post(process_url, confirm.initial)
    assert response.status_code == 302

    created = Organization.objects.get(slug="peace-now-example")
    assert (created.name_ar, created.name_en, created.name_he) == ("سلام الآن", "Peace Example", "שלום לדוגמה")
    assert created.founded.edtf == "2004-02"
    assert created.status == "draft"
    updated = Organization.objects.get(slug="just-vision")
    assert updated.status == "published"  # an import never changes what is published
    assert updated.name_he == "ג'אסט ויז'ן"
    for organization, row in ((created, 1), (updated, 2)):
        [version] = Version.objects.get_for_object(organization)
        assert version.revision.user == editor
        assert version.revision.comment == f"Imported from organizations.csv, row {row}"


def test_an_editor_may_not_change_a_published_record_by_import(client, editor):
    """Changes to published records are reviewed: an import by an editor who may not publish
    refuses the row that would change one, and saves nothing; unchanged rows pass."""
    Organization.objects.create(slug="just-vision", name_en="Just Vision", kind="ngo", status="published")
    client.force_login(editor)
    preview = upload(client, GOOD)
    result = preview.context["result"]
    [invalid] = result.invalid_rows
    assert invalid.number == 2
    assert "is published: changes to it are reviewed by a publisher" in preview.content.decode()
    assert "confirm_form" not in preview.context
    dataset = tablib.Dataset().load(GOOD, format="csv")
    OrganizationResource().import_data(dataset, dry_run=False, user=editor, file_name="good.csv")
    assert Organization.objects.get(slug="just-vision").name_he in ("", None)
    assert not Organization.objects.filter(slug="peace-now-example").exists()

    unchanged = "id,name_en\njust-vision,Just Vision\n"
    result = OrganizationResource().import_data(
        tablib.Dataset().load(unchanged, format="csv"), dry_run=True, user=editor
    )
    assert not result.has_errors() and not result.has_validation_errors()


def test_errors_are_shown_per_row_and_nothing_is_imported(client, editor):
    client.force_login(editor)
    preview = upload(client, BAD)
    assert preview.status_code == 200
    result = preview.context["result"]
    assert result.has_validation_errors()
    [invalid] = result.invalid_rows
    assert invalid.number == 2
    assert "founded" in invalid.field_specific_errors
    assert "confirm_form" not in preview.context
    assert "Feb 2004" in preview.content.decode()
    assert not Organization.objects.exists()


def test_all_or_nothing_when_a_row_fails(editor):
    dataset = tablib.Dataset().load(BAD, format="csv")
    result = OrganizationResource().import_data(dataset, dry_run=False, user=editor, file_name="bad.csv")
    assert result.has_validation_errors()
    assert not Organization.objects.exists()  # the good first row was rolled back too
    assert not Version.objects.exists()


def test_import_needs_the_add_permission(client, db):
    user = User.objects.create_user("reader", password="a long enough password", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_organization"))
    client.force_login(user)
    assert client.get(import_url()).status_code == 403


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_an_export_imports_back_unchanged(client, publisher, format):
    editor = publisher
    build_record()
    data = body(client.get(f"/en/export/organizations.{format}"))
    dataset = tablib.Dataset().load(data.decode("utf-8-sig") if format == "csv" else data, format=format)
    # The file shows plain text; the markup travels in its own columns, which the import reads.
    assert dataset.dict[0]["description_en"] == PLAIN_EN
    assert dataset.dict[0]["description_markup_en"] == PROSE_EN

    def state():
        return {
            o.slug: (o.name_he or "", o.founded, o.summary_en or "", o.description_en or "", o.description_ar or "")
            for o in Organization.objects.all()
        }

    before = state()
    result = OrganizationResource().import_data(dataset, dry_run=False, user=editor, file_name=f"export.{format}")
    assert not result.has_errors() and not result.has_validation_errors(), result.invalid_rows
    assert state() == before
    allmep = Organization.objects.get(slug="allmep")
    assert allmep.summary_en == '=HYPERLINK("http://evil.example")'
    assert (allmep.description_en, allmep.description_ar) == (PROSE_EN, PROSE_AR)


def test_an_edited_markup_column_is_imported_and_the_plain_one_is_not(publisher):
    editor = publisher
    build_record()
    header = "id,description_en,description_markup_en\n"
    edited = header + "allmep,Ignored plain text,The ''coalition'' grew.\n"
    dataset = tablib.Dataset().load(edited, format="csv")
    result = OrganizationResource().import_data(dataset, dry_run=False, user=editor, file_name="edited.csv")
    assert not result.has_errors() and not result.has_validation_errors(), result.invalid_rows
    assert Organization.objects.get(slug="allmep").description_en == "The ''coalition'' grew."


def test_memberships_import_with_a_revision_per_row_and_refuse_unknown_members(editor):
    from organizations.models import Membership
    from organizations.resources import MembershipResource

    Organization.objects.create(slug="allmep", name_en="ALLMEP", kind="coalition", status="published")
    Organization.objects.create(slug="just-vision", name_en="Just Vision", kind="ngo", status="published")
    header = "id,member,coalition,joined,left,note_en\n"

    bad = tablib.Dataset().load(header + ",just-vision,allmep,2005,,\n,nobody,allmep,2005,,\n", format="csv")
    result = MembershipResource().import_data(bad, dry_run=False, user=editor, file_name="m.csv")
    assert result.has_errors() or result.has_validation_errors()
    assert not Membership.objects.exists()  # all or nothing

    good = tablib.Dataset().load(
        header + ",just-vision,allmep,2005-06,,Joined at the summer conference\n", format="csv"
    )
    result = MembershipResource().import_data(good, dry_run=False, user=editor, file_name="m.csv")
    assert not result.has_errors() and not result.has_validation_errors(), result.invalid_rows
    membership = Membership.objects.get()
    assert (membership.member.slug, membership.coalition.slug) == ("just-vision", "allmep")
    assert membership.joined.edtf == "2005-06"
    assert membership.status == "draft"
    [version] = Version.objects.get_for_object(membership)
    assert (version.revision.user, version.revision.comment) == (editor, "Imported from m.csv, row 1")


def test_the_membership_import_page_answers_for_staff(admin_client):
    with translation.override("en"):
        url = reverse("admin:organizations_membership_import")
    assert admin_client.get(url).status_code == 200
