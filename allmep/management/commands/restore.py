"""Restore a backup made by `manage.py backup`, then prove it against the backup's manifest."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from allmep import backups


class Command(BaseCommand):
    help = (
        "Load the backup at PATH into the configured database (empty, or any with --replace), then "
        "compare every table with PATH.manifest.json; fails if anything differs. Run `migrate` after it "
        "when the code is newer than the backup."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--replace", action="store_true", help="Replace the tables of a database that is not empty."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, path, replace=False, database=DEFAULT_DB_ALIAS, **options):
        problems = backups.restore(path, connections[database], replace=replace)
        if problems:
            raise CommandError("The restored database differs from the backup:\n" + "\n".join(problems))
        tables = backups.read_manifest(path)["tables"]
        rows = sum(table["rows"] for table in tables.values())
        self.stdout.write(
            self.style.SUCCESS(f"Restored {len(tables)} tables ({rows} rows) from {path}; every table checked.")
        )
