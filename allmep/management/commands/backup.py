"""Back the whole database up to a file, with a manifest to check restores against."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from allmep import backups


class Command(BaseCommand):
    help = (
        "Write the whole database to PATH (PostgreSQL: pg_dump custom format; SQLite: a copy made with "
        "the online backup API) and PATH.manifest.json, every table's row count and checksum. "
        "With --check, compare the database with the manifest of the backup at PATH instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--check", action="store_true", help="Compare the database with PATH's manifest; write nothing."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, path, check=False, database=DEFAULT_DB_ALIAS, **options):
        connection = connections[database]
        if check:
            problems = backups.check(path, connection)
            if problems:
                raise CommandError("The database differs from the backup:\n" + "\n".join(problems))
            self.stdout.write(self.style.SUCCESS(f"The database holds exactly what {path} holds."))
            return
        manifest = backups.backup(path, connection)
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {len(manifest['tables'])} tables ({rows} rows) to {path} and {backups.manifest_path(path)}."
            )
        )
