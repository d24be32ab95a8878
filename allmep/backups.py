"""Whole-database backups, and the proof that a restore gives the same database back.

PostgreSQL is dumped with ``pg_dump`` (custom format) and restored with ``pg_restore``; SQLite is
copied page by page with its online backup API. Next to each backup, ``<backup>.manifest.json``
records every table's row count and a checksum of its rows, computed from the very state the
backup holds: on PostgreSQL in the transaction whose snapshot ``pg_dump`` is given, on SQLite from
the copy itself. A restore is checked against it before the command reports success, and
``manage.py backup --check PATH`` compares any database with it.

A row's checksum input is the database's own text of the row (PostgreSQL's ``row::text``, SQLite's
``quote()`` of each column), so every column counts, translations and serialized versions
included, whatever Python would make of the values.
"""

import hashlib
import json
import os
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db.backends.postgresql.client import DatabaseClient
from django.utils import timezone

MANIFEST_SUFFIX = ".manifest.json"


def manifest_path(path):
    return Path(f"{path}{MANIFEST_SUFFIX}")


def backup(path, connection):
    """Write the database behind ``connection`` to ``path``, and its manifest; the manifest."""
    path = Path(path)
    if connection.vendor == "postgresql":
        tables = _pg_dump(path, connection)
    elif connection.vendor == "sqlite":
        tables = _sqlite_backup(path, connection)
    else:
        raise CommandError(f"Backups of {connection.vendor} databases are not supported.")
    manifest = {
        "vendor": connection.vendor,
        "created": timezone.now().isoformat(),
        "tables": tables,
    }
    manifest_path(path).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return manifest


def restore(path, connection, replace=False):
    """Load the backup at ``path`` into the database behind ``connection``; the differences
    between the restored database and the backup's manifest (none when it is the same)."""
    path = Path(path)
    manifest = read_manifest(path)
    if manifest["vendor"] != connection.vendor:
        raise CommandError(f"{path} is a {manifest['vendor']} backup; this database is {connection.vendor}.")
    if connection.introspection.table_names() and not replace:
        raise CommandError(
            "This database already has tables. Restore into an empty database, or pass --replace "
            "to replace everything in it with the backup."
        )
    if connection.vendor == "postgresql":
        _pg_restore(path, connection, replace)
    else:
        _sqlite_restore(path, connection)
    connection.close()  # nothing cached from before the restore
    return differences(manifest["tables"], checksums(connection))


def check(path, connection):
    """The differences between the database behind ``connection`` and the backup's manifest."""
    return differences(read_manifest(path)["tables"], checksums(connection))


def read_manifest(path):
    try:
        return json.loads(manifest_path(path).read_text())
    except FileNotFoundError:
        raise CommandError(f"No manifest {manifest_path(path)} next to the backup.") from None


def checksums(connection):
    """``{table: {"rows": count, "sha256": checksum}}`` of every table of the database."""
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        raw = connection.connection
        with raw.transaction():
            _pg_snapshot_transaction(raw)
            return _pg_checksums(raw)
    return _sqlite_checksums(connection.connection)


def differences(expected, actual):
    """Readable lines for each table whose rows differ, missing or unexpected."""
    lines = []
    for table in sorted(expected.keys() | actual.keys()):
        if table not in actual:
            lines.append(f"{table}: missing")
        elif table not in expected:
            lines.append(f"{table}: not in the backup")
        elif expected[table] != actual[table]:
            lines.append(
                f"{table}: {actual[table]['rows']} rows (backup: {expected[table]['rows']}), content differs"
                if expected[table]["rows"] != actual[table]["rows"]
                else f"{table}: {actual[table]['rows']} rows, content differs"
            )
    return lines


# PostgreSQL


def _pg_environment(settings_dict):
    """The client tools' connection settings, as environment variables (no password in ``ps``)."""
    _, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    env = {**os.environ, **(env or {})}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGDATABASE", "NAME")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    return env


def _run(args, settings_dict):
    try:
        subprocess.run(args, env=_pg_environment(settings_dict), check=True, capture_output=True, text=True)
    except FileNotFoundError:
        raise CommandError(f"{args[0]} is not installed (set RELIABILITY['{args[0].upper()}']).") from None
    except subprocess.CalledProcessError as error:
        raise CommandError(f"{args[0]} failed: {error.stderr.strip()}") from None


def _pg_dump(path, connection):
    connection.ensure_connection()
    raw = connection.connection
    # pg_dump joins this transaction's snapshot, so the dump and the checksums see the same rows.
    with raw.transaction():
        _pg_snapshot_transaction(raw)
        snapshot = raw.execute("SELECT pg_export_snapshot()").fetchone()[0]
        tables = _pg_checksums(raw)
        dump = settings.RELIABILITY["PG_DUMP"]
        _run([dump, "--format=custom", f"--snapshot={snapshot}", f"--file={path}"], connection.settings_dict)
    return tables


def _pg_restore(path, connection, replace):
    restore = settings.RELIABILITY["PG_RESTORE"]
    args = [restore, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    if replace:
        args += ["--clean", "--if-exists"]
    args += [f"--dbname={connection.settings_dict['NAME']}", str(path)]
    _run(args, connection.settings_dict)


def _pg_snapshot_transaction(raw):
    """One consistent view of every table, and a fixed text form of dates and binary values."""
    raw.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    for setting, value in (("TimeZone", "UTC"), ("DateStyle", "ISO"), ("IntervalStyle", "postgres")):
        raw.execute("SELECT set_config(%s, %s, true)", [setting, value])
    raw.execute("SELECT set_config('bytea_output', 'hex', true)")


def _pg_checksums(raw):
    from psycopg import sql

    tables = [
        name
        for (name,) in raw.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
        )
    ]
    result = {}
    for table in tables:
        # Rows in the order of their hashes: a restore need not keep the physical order.
        query = sql.SQL("SELECT md5(t::text) AS h FROM {} AS t ORDER BY h").format(sql.Identifier(table))
        with raw.cursor(name="allmep_checksum") as cursor:  # server-side: streams large tables
            cursor.itersize = 10_000
            cursor.execute(query)
            result[table] = _digest(bytes.fromhex(row_hash) for (row_hash,) in cursor)
    return result


# SQLite


def _sqlite_backup(path, connection):
    connection.ensure_connection()
    path.unlink(missing_ok=True)
    copy = sqlite3.connect(path)
    try:
        connection.connection.backup(copy)
        return _sqlite_checksums(copy)
    finally:
        copy.close()


def _sqlite_restore(path, connection):
    connection.ensure_connection()
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _sqlite_checksums(raw):
    tables = [
        name
        for (name,) in raw.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    result = {}
    for table in tables:
        quoted = _sqlite_name(table)
        columns = [row[1] for row in raw.execute(f"PRAGMA table_info({quoted})")]
        row_text = " || ',' || ".join(f"quote({_sqlite_name(column)})" for column in columns)
        # The backup API copies pages, so row ids (and so this order) survive a round trip.
        rows = raw.execute(f"SELECT {row_text} FROM {quoted} ORDER BY rowid")
        result[table] = _digest(hashlib.md5(text.encode(), usedforsecurity=False).digest() for (text,) in rows)
    return result


def _sqlite_name(name):
    return '"' + name.replace('"', '""') + '"'


def _digest(row_hashes):
    digest, rows = hashlib.sha256(), 0
    for row_hash in row_hashes:
        digest.update(row_hash)
        rows += 1
    return {"rows": rows, "sha256": digest.hexdigest()}
