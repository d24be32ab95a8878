import pytest
from django.db import connection

from search import indexing, queries


@pytest.fixture
def without_rum_index(postgres_only, db):
    """The database as it is where PostgreSQL lacks the rum extension: no RUM index (dropped in the
    test's transaction, so it comes back with the rollback), and search told so."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {indexing.RUM_INDEX}")
    queries.forget_rum_index()
    yield
    queries.forget_rum_index()
