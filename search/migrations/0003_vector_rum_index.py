"""The RUM index that reads the best matches of a search in order; only where PostgreSQL has the
rum extension (Debian's postgresql-<version>-rum) and this role may create it.

Elsewhere nothing changes: search ranks every match with ts_rank, through the GIN index of 0002
(kept in every case: it is what the fallback filters with, and writes to it are cheap). Creating
the extension needs a superuser (rum is not a trusted extension); a refusal is caught in a
savepoint, so the migration still applies, without the index. On SQLite, nothing.
"""

from django.db import DatabaseError, migrations, transaction

INDEX = "search_document_vector_rum"


def rum_extension(schema_editor):
    """Whether the rum extension is, or could be made, installed in this database."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT installed_version IS NOT NULL FROM pg_available_extensions WHERE name = 'rum'")
        row = cursor.fetchone()
    if row is None:
        return False  # the server has no rum package
    if row[0]:
        return True
    try:
        with transaction.atomic(using=connection.alias):  # a savepoint: a refusal leaves the migration going
            with connection.cursor() as cursor:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS rum")
    except DatabaseError:
        return False  # e.g. not a superuser
    return True


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql" and rum_extension(schema_editor):
        schema_editor.execute(f"CREATE INDEX {INDEX} ON search_searchdocument USING rum (vector rum_tsvector_ops)")


def drop_index(apps, schema_editor):
    # The extension stays: it may have been there before, and other objects may use it.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_vector_gin_index")]

    operations = [migrations.RunPython(create_index, drop_index)]
