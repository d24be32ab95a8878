"""`manage.py backup` and `manage.py restore`: a round trip gives back every table, row for row."""

import os
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import closing
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from reversion.models import Revision, Version

from allmep import backups
from citations.models import Citation, Source
from events.models import Event
from organizations.models import Organization
from records.versioning import revision
from tests.factories import collected_static_root

ROOT = Path(__file__).resolve().parents[2]
EDITED_SUMMARY = "תקציר שנערך לפני הגיבוי"
# Tables the round trip must carry, whatever else the schema holds.
KEY_TABLES = {
    "organizations_organization",
    "organizations_articlesection",
    "events_event",
    "citations_source",
    "citations_citation",
    "reversion_revision",
    "reversion_version",
    "auth_user",
    "django_migrations",
}


@pytest.fixture
def dataset(transactional_db):
    """The ALLMEP dataset, plus one edit in a revision of its own."""
    call_command("load_allmep", stdout=StringIO())
    coalition = Organization.objects.get(slug="allmep")
    with revision("Hebrew summary reworded before the backup"):
        coalition.summary_he = EDITED_SUMMARY
        coalition.save()
    return coalition


def postgres(dbname):
    import psycopg

    settings = connection.settings_dict
    return psycopg.connect(
        dbname=dbname,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        autocommit=True,
    )


@pytest.fixture
def fresh_database(tmp_path):
    """An empty database of the test database's kind: ``(DATABASE_URL, raw connection factory)``."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"
        yield f"sqlite:///{path}", lambda: closing(sqlite3.connect(path))
        return
    settings = connection.settings_dict
    name = f"{settings['NAME']}_restore"
    with postgres("postgres") as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    credentials = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    url = f"postgres://{credentials}@{settings['HOST'] or 'localhost'}:{settings['PORT'] or 5432}/{name}"
    yield url, lambda: postgres(name)
    with postgres("postgres") as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(*args, database_url):
    """Run manage.py as an operator would, against another database."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "allmep.settings",
        # As in production, where the static files were collected (the system checks look).
        "DJANGO_STATIC_ROOT": collected_static_root(Path(tempfile.gettempdir()) / "allmep-tests-static"),
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def query(open_connection, sql):
    with open_connection() as raw:
        return raw.execute(sql).fetchall()


def test_a_restore_gives_back_every_table_row_for_row(dataset, fresh_database, tmp_path):
    url, open_restored = fresh_database
    path = tmp_path / "allmep.backup"

    call_command("backup", str(path), stdout=StringIO())
    restored = manage("restore", str(path), database_url=url)

    assert restored.returncode == 0, restored.stderr
    assert "every table checked" in restored.stdout
    manifest = backups.read_manifest(path)
    # The manifest is the live database: every table, with the rows it holds...
    assert backups.check(path, connection) == []
    assert manifest["tables"].keys() >= KEY_TABLES
    counts = {
        "organizations_organization": Organization.objects.count(),
        "events_event": Event.objects.count(),
        "citations_source": Source.objects.count(),
        "citations_citation": Citation.objects.count(),
        "reversion_revision": Revision.objects.count(),
        "reversion_version": Version.objects.count(),
    }
    assert {table: manifest["tables"][table]["rows"] for table in counts} == counts
    assert all(counts.values())
    # ...and the restored database is the manifest, checked again by `backup --check`.
    checked = manage("backup", "--check", str(path), database_url=url)
    assert checked.returncode == 0, checked.stderr
    # The edit, in every language column, and its revision came through.
    (summary_he, summary_ar), *_ = query(
        open_restored, "SELECT summary_he, summary_ar FROM organizations_organization WHERE slug = 'allmep'"
    )
    assert (summary_he, summary_ar) == (EDITED_SUMMARY, dataset.summary_ar)
    comments = [row[0] for row in query(open_restored, "SELECT comment FROM reversion_revision")]
    assert "Hebrew summary reworded before the backup" in comments


def test_a_changed_row_is_found(dataset, fresh_database, tmp_path):
    url, open_restored = fresh_database
    path = tmp_path / "allmep.backup"
    call_command("backup", str(path), stdout=StringIO())
    assert manage("restore", str(path), database_url=url).returncode == 0

    with open_restored() as raw:
        raw.execute(
            "UPDATE citations_citation SET locator_ar = 'ص 2' WHERE id = (SELECT MAX(id) FROM citations_citation)"
        )
        if connection.vendor == "sqlite":
            raw.commit()
    checked = manage("backup", "--check", str(path), database_url=url)

    assert checked.returncode == 1
    assert "citations_citation" in checked.stderr and "content differs" in checked.stderr
    assert "organizations_organization" not in checked.stderr


def test_the_live_database_drifting_from_its_backup_is_found(dataset, tmp_path):
    path = tmp_path / "allmep.backup"
    call_command("backup", str(path), stdout=StringIO())
    with revision("Edited after the backup"):
        Event.objects.first().save()

    with pytest.raises(CommandError, match=r"events_event: \d+ rows, content differs"):
        call_command("backup", "--check", str(path))


def test_restore_refuses_a_database_that_already_has_tables(dataset, tmp_path):
    path = tmp_path / "allmep.backup"
    call_command("backup", str(path), stdout=StringIO())

    with pytest.raises(CommandError, match="already has tables"):
        call_command("restore", str(path))


def test_a_backup_without_its_manifest_is_refused(db, tmp_path):
    path = tmp_path / "lonely.backup"
    path.write_bytes(b"")

    with pytest.raises(CommandError, match="No manifest"):
        call_command("restore", str(path))


def test_sequences_continue_after_the_restore(postgres_only, dataset, fresh_database, tmp_path):
    url, open_restored = fresh_database
    path = tmp_path / "allmep.backup"
    call_command("backup", str(path), stdout=StringIO())
    assert manage("restore", str(path), database_url=url).returncode == 0

    sequences = "SELECT sequencename, last_value FROM pg_sequences ORDER BY sequencename"
    live = query(lambda: postgres(connection.settings_dict["NAME"]), sequences)

    assert query(open_restored, sequences) == live
    assert ("reversion_version_id_seq", Version.objects.latest("pk").pk) in live
