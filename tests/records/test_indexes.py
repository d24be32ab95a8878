"""What grows with the record is indexed: every foreign key, the lists' filters and sorts, the
citations of a source or a record, and search; on a table with enough rows, PostgreSQL reads a
page of a reader list from its index rather than sorting the table."""

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from citations.models import Citation, Source
from events.models import Meeting
from organizations.models import Organization
from records.indexes import in_reader_language, translated_in

PUBLISHED = "published"
OUR_APPS = ("records", "citations", "organizations", "events", "search")

# (table, what an index definition must contain): filters, sorts and lookups of lists, pages,
# exports and the API. Definitions read as pg_indexes prints them.
EXPECTED = [
    ("organizations_organization", "(slug)"),
    ("organizations_organization", "(kind)"),  # ?kind=
    ("organizations_organization", "(country)"),  # ?country=
    ("organizations_organization", "(founded)"),  # ?sort=founded
    ("organizations_organization", "(name_ar)"),  # API, exports and admin order in each language
    ("organizations_organization", "(name_en)"),
    ("organizations_organization", "(name_he)"),
    ("organizations_membership", "(joined)"),  # ?joined=
    ("organizations_membership", "(coalition_id)"),  # ?member_of=
    ("events_event", "(start)"),  # the timeline's order and ?year=
    ("events_event", "(kind)"),
    ("events_event", "(country)"),  # the admin's country filter
    ("events_meeting", "(date)"),  # the meetings' order and ?year=
    # "Is the cited event / meeting published?" (citations in the API and exports) and the timeline count,
    # read from the index alone.
    ("events_event", "(id, parent_id) WHERE ((status)::text = 'published'::text)"),
    ("events_meeting", "(id, organization_id) WHERE ((status)::text = 'published'::text)"),
    ("events_meeting_counterparts", "(organization_id)"),  # ?counterpart=
    ("citations_source", "(key)"),  # the sources' order, {{ref|key}}
    ("citations_source", "(language)"),  # the admin's language filter
    ("citations_citation", "(source_id)"),  # where a source is cited
    ("citations_citation", "(content_type_id, object_id, claim)"),  # a record's citations
    ("search_searchdocument", "USING gin (vector)"),  # full-text search
    ("search_searchdocument", "(content_type_id, object_id, language)"),  # re-indexing a record
]
# Reader lists sorted by a translated field as the reader sees it (records.indexes).
READER_ORDERS = [("organizations_organization", "org", "name"), ("organizations_person", "person", "name")]
READER_ORDERS += [("events_meeting", "meeting", "title")]


def index_definitions(table):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
        return dict(cursor.fetchall())


def plan_of(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("language", ["ar", "en", "he"])
def test_the_indexed_expression_is_the_one_the_lists_sort_by(language):
    with translation.override(language):
        assert in_reader_language("name") == translated_in("name", language)
        assert in_reader_language("title") == translated_in("title", language)


@pytest.mark.django_db
@pytest.mark.parametrize(("table", "columns"), EXPECTED, ids=[f"{table}{columns}" for table, columns in EXPECTED])
def test_filters_sorts_and_lookups_are_indexed(postgres_only, table, columns):
    definitions = index_definitions(table).values()
    assert any(columns in definition for definition in definitions), f"no index on {table} {columns}"


@pytest.mark.django_db
@pytest.mark.parametrize(("table", "prefix", "field"), READER_ORDERS)
def test_reader_orders_are_indexed_per_language_over_published_rows(postgres_only, table, prefix, field):
    definitions = index_definitions(table)
    for language, first in (("ar", "ar"), ("en", "en"), ("he", "he")):
        definition = definitions[f"{prefix}_published_{field}_{language}"]
        assert f"COALESCE(NULLIF(({field}_{first})::text" in definition
        assert definition.endswith("WHERE ((status)::text = 'published'::text)")


@pytest.mark.django_db
def test_every_foreign_key_leads_an_index(postgres_only):
    unindexed = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label not in OUR_APPS:
            continue
        definitions = index_definitions(model._meta.db_table).values()
        for field in model._meta.concrete_fields:
            if field.is_relation and not any(f"({field.column}" in definition for definition in definitions):
                unindexed.append(f"{model._meta.db_table}.{field.column}")
    assert unindexed == []


def fill(count):
    """COUNT published organizations and meetings with names in every language (bulk_create: these
    rows need no revision here), then statistics, as autovacuum keeps them on a live database."""
    organizations = Organization.objects.bulk_create(
        Organization(
            slug=f"org-{n:05d}",
            name_ar=f"منظمة {n * 7919 % count:05d}",
            name_en=f"Organization {n * 104729 % count:05d}" if n % 3 else "",
            name_he=f"ארגון {n:05d}",
            kind="ngo",
            status=PUBLISHED,
        )
        for n in range(count)
    )
    Meeting.objects.bulk_create(
        Meeting(
            slug=f"meeting-{n:05d}",
            title_ar=f"لقاء {n}",
            title_en=f"Meeting {n}",
            organization=organization,
            status=PUBLISHED,
        )
        for n, organization in enumerate(organizations)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE organizations_organization")
        cursor.execute("ANALYZE events_meeting")


def sorted_list_query(client, path, marker):
    """The page's own query that sorts the list (the one containing ``marker``)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return next(query["sql"] for query in queries.captured_queries if marker in query["sql"])


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "en", "he"])
def test_a_page_of_the_directory_is_read_from_its_index(postgres_only, client, language):
    fill(3000)

    sql = sorted_list_query(client, f"/{language}/organizations/?page=2", "ORDER BY COALESCE")

    assert f"org_published_name_{language}" in plan_of(sql)


@pytest.mark.django_db
def test_meetings_sorted_by_title_are_read_from_their_index(postgres_only, client):
    fill(3000)

    sql = sorted_list_query(client, "/en/events/meetings/?sort=title", "ORDER BY COALESCE")

    assert "meeting_published_title_en" in plan_of(sql)


@pytest.mark.django_db
def test_the_citations_of_a_source_are_found_by_index(postgres_only):
    fill(3000)
    sources = Source.objects.bulk_create(Source(key=f"source-{n:03d}", title=f"Source {n}") for n in range(300))
    content_type = ContentType.objects.get_for_model(Organization)
    Citation.objects.bulk_create(
        Citation(source=sources[n % 300], content_type=content_type, object_id=organization_id)
        for n, organization_id in enumerate(Organization.objects.values_list("pk", flat=True))
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE citations_citation")

    sql, params = Citation.objects.filter(source=sources[7]).query.sql_with_params()

    assert "citations_citation_source_id" in plan_of(sql, params)
