"""The RUM index (PostgreSQL with the rum extension): search reads the best matches of a common word
from it in order instead of ranking every match; without it, search works as before."""

import importlib
import os

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import Value

from organizations.models import Organization
from search import indexing, queries
from search.indexing import RUM_INDEX
from search.models import SearchDocument
from search.queries import has_rum_index, matching
from tests.answers import found, plain, search

rum_migration = importlib.import_module("search.migrations.0003_vector_rum_index")


def rum_package_installed():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        return cursor.fetchone() is not None


@pytest.fixture
def rum(postgres_only, db):
    """A database with the RUM index, as migrating one where the rum package is installed leaves it."""
    if not rum_package_installed():
        pytest.skip("PostgreSQL has no rum extension here: apt-get install postgresql-<version>-rum (.ci/run does)")
    queries.forget_rum_index()
    yield
    queries.forget_rum_index()  # what a test dropped comes back with its transaction's rollback


def organization(slug, **fields):
    return Organization.objects.create(slug=slug, kind="ngo", status="published", **fields)


@pytest.fixture
def peace(db):
    """Organizations with «السلام» in their name, in their description only, or in neither."""
    organization("body-1", name_ar="مجموعة ألف", description_ar="تعمل من أجل السلام.")
    organization("title-2", name_ar="شبكة السلام", description_ar="شبكة.")
    organization("title-1", name_ar="بيت السلام", description_ar="بيت.")
    organization("body-2", name_ar="مجموعة باء", description_ar="تعمل من أجل السلام والعدل.")
    organization("neither", name_ar="مجموعة جيم", description_ar="تعمل من أجل العدل.")


def test_migrating_where_rum_is_installed_creates_the_index(rum):
    assert has_rum_index()
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [RUM_INDEX])
        (definition,) = cursor.fetchone()
    assert "USING rum (vector)" in definition  # rum_tsvector_ops, its default


def test_a_page_of_a_common_word_is_read_from_the_rum_index_in_order(rum):
    content_type = ContentType.objects.get_for_model(Organization)
    SearchDocument.objects.bulk_create(
        SearchDocument(
            content_type=content_type,
            object_id=10**9 + number,  # beyond any key earlier tests used (sequences never roll back)
            language=language,
            title=f"filler {number}",
            vector=SearchVector(Value(f"سلام filler{number} text{number % 97}"), config="simple"),
        )
        # A word every document has: ranking every match is what the index spares.
        for number in range(3000)
        for language in ("ar", "en", "he")
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchdocument")
        # On a table this small a sequential scan may still be cheaper; forbid it to see the index.
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = matching(["سلام"], "ar", best=20).explain()
    lines = plan.splitlines()
    scan = next(number for number, line in enumerate(lines) if f"Index Scan using {RUM_INDEX}" in line)
    # The index yields the 20 nearest in order and the scan stops there: only they are sorted by
    # title, and no match is ranked with ts_rank.
    assert "Limit" in lines[scan - 1]
    assert "Order By: (vector <=> " in lines[scan + 2]
    assert "ts_rank" not in plan


def test_rum_and_ts_rank_find_the_same_documents_in_the_same_order(rum, peace, request):
    with_rum = list(matching(["سلام"], "ar", best=1000).values_list("title", flat=True))
    request.getfixturevalue("without_rum_index")
    with_ts_rank = list(matching(["سلام"], "ar", best=1000).values_list("title", flat=True))
    # Names first (the heavier weight), then descriptions; ties by title.
    assert with_rum == with_ts_rank == ["بيت السلام", "شبكة السلام", "مجموعة ألف", "مجموعة باء"]


def test_several_words_are_ranked_with_ts_rank_even_with_the_rum_index(rum, peace):
    organization("both", name_ar="بيت السلام والعدل", description_ar="بيت.")
    # RUM would score them by how close together they stand (cover density), not by how often
    # each occurs, and was measured no faster for several words.
    documents = matching(["سلام", "عدل"], "ar", best=1000)
    assert "ts_rank" in str(documents.query)
    assert "<=>" not in str(documents.query)
    assert list(documents.values_list("title", flat=True)) == ["بيت السلام والعدل", "مجموعة باء"]


def test_the_search_page_shows_name_matches_first(rum, client, peace):
    assert has_rum_index()
    assert plain(found(search(client, "السلام"))) == ["بيت السلام", "شبكة السلام", "مجموعة ألف", "مجموعة باء"]


def test_without_the_rum_index_search_ranks_with_ts_rank(without_rum_index, client, peace):
    assert not has_rum_index()
    assert "ts_rank" in str(matching(["سلام"], "ar", best=20).query)
    assert plain(found(search(client, "السلام"))) == ["بيت السلام", "شبكة السلام", "مجموعة ألف", "مجموعة باء"]


def test_a_role_that_may_not_create_the_extension_still_migrates_without_the_index(rum, client, peace):
    role = f"allmep_no_rum_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute("DROP EXTENSION rum CASCADE")  # and with it the index
        cursor.execute(f"CREATE ROLE {role}")  # no superuser: rum is not a trusted extension
        cursor.execute(f"SET LOCAL ROLE {role}")
    with connection.schema_editor() as editor:
        rum_migration.create_index(None, editor)  # the migration's step, refused in its savepoint
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
        cursor.execute("SELECT count(*) FROM pg_extension WHERE extname = 'rum'")
        assert cursor.fetchone() == (0,)
    queries.forget_rum_index()
    assert not has_rum_index()
    assert plain(found(search(client, "السلام"))) == ["بيت السلام", "شبكة السلام", "مجموعة ألف", "مجموعة باء"]


def test_the_migration_is_reversible(rum):
    with connection.schema_editor() as editor:
        rum_migration.drop_index(None, editor)
    queries.forget_rum_index()
    assert not has_rum_index()
    with connection.schema_editor() as editor:
        rum_migration.create_index(None, editor)
    queries.forget_rum_index()
    assert has_rum_index()


def test_a_rebuild_builds_the_rum_index_afresh(rum, client, peace):
    documents = SearchDocument.objects.count()
    with connection.cursor() as cursor:
        before = indexing.rum_index_definition(cursor)
    assert indexing.rebuild() == documents
    with connection.cursor() as cursor:
        assert indexing.rum_index_definition(cursor) == before
    assert plain(found(search(client, "السلام"))) == ["بيت السلام", "شبكة السلام", "مجموعة ألف", "مجموعة باء"]
