"""`manage.py prune_history`: old revisions go, no object's latest versions ever do."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from reversion.models import Revision, Version

from organizations.models import Organization, Person
from records import history
from records.versioning import revision

pytestmark = pytest.mark.django_db


def saved_days_ago(days, comment, *objects, **changes):
    """Save ``objects`` in one revision dated ``days`` ago."""
    with revision(comment):
        for obj in objects:
            for name, value in changes.items():
                setattr(obj, name, value)
            obj.save()
    latest = Revision.objects.order_by("-pk").first()
    Revision.objects.filter(pk=latest.pk).update(date_created=timezone.now() - timedelta(days=days))


def organization(slug):
    return Organization(slug=slug, name_ar=slug, name_en=slug, kind="ngo", status="published")


def versions_of(obj):
    return Version.objects.get_for_object(obj)


def prune(*args):
    out = StringIO()
    call_command("prune_history", *args, stdout=out)
    return out.getvalue()


def test_fifty_versions_pruned_to_five_keep_the_current_state():
    busy = organization("busy")
    for number in range(50):
        saved_days_ago(100 - number, f"Edit {number}", busy, summary_en=f"Summary {number}")

    output = prune("--keep", "5", "--days", "30")

    assert "Deleted 45 revisions" in output
    kept = list(versions_of(busy))
    assert [version.revision.comment for version in kept] == [f"Edit {n}" for n in (49, 48, 47, 46, 45)]
    busy.refresh_from_db()
    current = history.values_of(busy)
    assert {name: kept[0].field_dict[name] for name in current} == current
    assert kept[0].field_dict["summary_en"] == "Summary 49"


def test_an_object_whose_only_version_is_old_keeps_it():
    quiet = organization("quiet")
    saved_days_ago(400, "Created long ago", quiet)
    edited = organization("edited")
    for days in (400, 300, 200):
        saved_days_ago(days, f"{days} days ago", edited, summary_en=f"{days}")

    prune("--keep", "1", "--days", "30")

    assert [version.revision.comment for version in versions_of(quiet)] == ["Created long ago"]
    assert [version.revision.comment for version in versions_of(edited)] == ["200 days ago"]


def test_an_object_saved_with_a_busy_one_keeps_their_shared_revision():
    # An import saves many records in one revision; then one of them is edited again and again.
    busy, quiet = organization("busy"), organization("quiet")
    saved_days_ago(200, "Import", busy, quiet)
    for number in range(10):
        saved_days_ago(100 - number, f"Edit {number}", busy, summary_en=f"Summary {number}")

    prune("--keep", "3", "--days", "30")

    assert [version.revision.comment for version in versions_of(quiet)] == ["Import"]
    assert len(versions_of(busy)) == 4  # its 3 latest, and the one in the shared revision


def test_reversions_own_deleterevisions_would_lose_that_shared_revision():
    # Why prune_history exists: deleterevisions --keep protects busy objects' latest revisions only.
    busy, quiet = organization("busy"), organization("quiet")
    saved_days_ago(200, "Import", busy, quiet)
    for number in range(10):
        saved_days_ago(100 - number, f"Edit {number}", busy, summary_en=f"Summary {number}")

    call_command("deleterevisions", "organizations", "--keep", "3", "--days", "30", verbosity=0)

    assert not versions_of(quiet).exists()


def test_a_deleted_record_stays_recoverable():
    gone = Person(slug="gone", name_ar="غائب", name_en="Gone", status="published")
    for days in (300, 200):
        saved_days_ago(days, f"{days} days ago", gone, name_en=f"Gone {days}")
    key = gone.pk
    gone.delete()

    prune("--keep", "1", "--days", "30")

    (latest,) = Version.objects.get_deleted(Person)
    assert latest.object_id == str(key)
    assert latest.field_dict["name_en"] == "Gone 200"


def test_recent_revisions_are_kept_whatever_their_number():
    recent = organization("recent")
    for number in range(8):
        saved_days_ago(number, f"Edit {number}", recent, summary_en=str(number))

    assert "Deleted 0 revisions" in prune("--keep", "1", "--days", "30")
    assert len(versions_of(recent)) == 8


def test_a_dry_run_counts_and_deletes_nothing():
    busy = organization("busy")
    for number in range(6):
        saved_days_ago(100 - number, f"Edit {number}", busy, summary_en=str(number))

    assert prune("--keep", "2", "--days", "30", "--dry-run") == "Would delete 4 revisions (4 versions).\n"
    assert len(versions_of(busy)) == 6


@pytest.mark.parametrize("keep", ["0", "-1"])
def test_keeping_no_version_is_refused(keep):
    with pytest.raises(CommandError, match="at least 1"):
        call_command("prune_history", "--keep", keep)
