"""Prune old revisions without ever losing an object's latest versions.

django-reversion's ``deleterevisions --keep N --days D`` does not guarantee that on its own:

- A revision is deleted as a whole, and one revision often holds versions of several objects (a
  record saved with its citations; every record of an import). ``--keep`` only protects the latest
  revisions of objects that have *more* than N versions, so an old revision that is stale for one
  busy object is deleted with the only version of every quiet object saved in it.
- Without ``--keep`` (its default is 0), ``--days`` deletes every old revision, the only version of
  a record nobody edited lately included.

This command keeps every revision holding one of the ``--keep`` latest versions of *any* object
(deleted objects included, so they stay recoverable) and deletes the other revisions older than
``--days``. The latest version of an object is the one with the highest key, as
django-reversion orders them; what the history shows as current stays. Run it from cron, e.g.
``manage.py prune_history --keep 20 --days 365``.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from reversion.models import Revision, Version

from records import changes

BATCH = 2000


def kept_revisions(keep):
    """The revisions holding one of the ``keep`` latest versions of some object."""
    ranked = Version.objects.annotate(
        rank=Window(RowNumber(), partition_by=[F("content_type_id"), F("object_id"), F("db")], order_by=F("pk").desc())
    )
    return ranked.filter(rank__lte=keep).values("revision_id")


def stale_revisions(keep, days):
    cutoff = timezone.now() - timedelta(days=days)
    return Revision.objects.filter(date_created__lt=cutoff).exclude(pk__in=kept_revisions(keep))


class Command(BaseCommand):
    help = (
        "Delete revisions older than --days, except those holding one of the --keep latest versions of any "
        "object (deleted ones included): no object ever loses its current version."
    )

    def add_arguments(self, parser):
        parser.add_argument("--keep", type=int, default=20, help="Latest versions kept per object (at least 1).")
        parser.add_argument("--days", type=int, default=365, help="Only revisions older than this are deleted.")
        parser.add_argument("--dry-run", action="store_true", help="Count what would be deleted; delete nothing.")

    def handle(self, keep, days, dry_run=False, **options):
        if keep < 1:
            raise CommandError("--keep must be at least 1: every object keeps its latest version.")
        if days < 0:
            raise CommandError("--days cannot be negative.")
        if dry_run:
            stale = stale_revisions(keep, days)
            versions = Version.objects.filter(revision__in=stale).count()
            self.stdout.write(f"Would delete {stale.count()} revisions ({versions} versions).")
            return
        revisions = versions = 0
        while True:
            # Worked out again for each batch, so saves made meanwhile are taken into account.
            with transaction.atomic():
                batch = list(stale_revisions(keep, days).values_list("pk", flat=True)[:BATCH])
                if not batch:
                    break
                _, deleted = Revision.objects.filter(pk__in=batch).delete()
            revisions += deleted.get("reversion.Revision", 0)
            versions += deleted.get("reversion.Version", 0)
        if versions:
            # Each remaining change is compared again with the public version before it that is left.
            changes.rebuild()
        self.stdout.write(
            f"Deleted {revisions} revisions ({versions} versions) older than {days} days; "
            f"every object keeps its {keep} latest versions."
        )
