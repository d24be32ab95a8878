"""The tables sources and citations contribute to the data package, and the column of sources
every cited table has."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Case, CharField, F, OuterRef, Q, Subquery, Value, When
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from records import kinds
from records.expressions import PUBLISHED, permalink, published_q, published_ref
from records.tables import DATE, INTEGER, Column, Table, partial_date_columns, per_language, text

from .filters import SourceFilter
from .models import Citation, Cited, Source


def source_keys(model):
    """The keys of the published sources cited for each row of ``model``, sorted, space-separated."""
    quote = connection.ops.quote_name
    citation, source, table = Citation._meta.db_table, Source._meta.db_table, model._meta.db_table
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    where = (
        f"FROM {quote(citation)} c JOIN {quote(source)} s ON s.id = c.source_id "
        f"WHERE c.content_type_id = %s AND c.object_id = {quote(table)}.{quote(model._meta.pk.column)} "
        f"AND s.status = %s"
    )
    if connection.vendor == "postgresql":
        sql = f"SELECT STRING_AGG(DISTINCT s.key, ' ' ORDER BY s.key) {where}"
    else:
        # SQLite (before 3.44) has no ORDER BY inside an aggregate: concatenate a sorted subquery.
        sql = f"SELECT GROUP_CONCAT(k, ' ') FROM (SELECT DISTINCT s.key AS k {where} ORDER BY s.key)"
    return RawSQL(sql, (content_type.pk, PUBLISHED), output_field=CharField())


def sources_column(model):
    return Column(
        "sources",
        source_keys(model),
        description="keys of the published sources backing the record, space-separated",
        references=("sources", "id"),
        is_list=True,
    )


def source_columns(base_url):
    return [
        Column("id", F("key"), description="stable identifier (the key prose cites)"),
        Column(
            "permalink",
            permalink(base_url, "citations:source_detail", "key", "key", fallback=("api:source-detail", "key")),
        ),
        Column("kind", F("kind"), description="CSL item type"),
        Column("title", F("title"), description="title in the source's own language"),
        *per_language("title_translation", "translated title"),
        Column("language", F("language")),
        Column("authors", F("authors")),
        *per_language("publisher", "publisher"),
        Column("publisher_organization", published_ref("publisher_organization"), references=("organizations", "id")),
        *partial_date_columns("publication_date", "publication date"),
        Column("url", F("url")),
        Column("access_date", F("access_date"), DATE),
        Column("archive_url", F("archive_url")),
        Column("archive_date", F("archive_date"), DATE),
        Column("archive_provider", F("archive_provider")),
        Column("link_status", F("link_status")),
    ]


def citation_columns(base_url):
    return [
        Column("id", text("pk"), description="stable identifier"),
        Column("source", F("source__key"), references=("sources", "id")),
        Column("record_type", cited_table_name(), description="the table of the cited record"),
        Column("record_id", cited_record_identifier(), description="the cited record's identifier in that table"),
        Column("claim", F("claim"), description="the field or statement backed; empty for the whole record"),
        *per_language("locator", "page, section or paragraph"),
        Column("quote", F("quote")),
        Column("position", F("position"), INTEGER),
    ]


def _cited_tables():
    return [table for table in kinds.package_tables().values() if issubclass(table.model, Cited)]


def _content_type(table):
    return ContentType.objects.get_for_model(table.model, for_concrete_model=False)


def _citation_published():
    """A citation is public when its source and the record it backs are."""
    cited = Q(pk__in=[])
    for table in _cited_tables():
        cited |= Q(content_type=_content_type(table), object_id__in=table.queryset().values("pk"))
    return published_q("source") & cited


def cited_table_name():
    whens = [When(content_type=_content_type(table), then=Value(table.name)) for table in _cited_tables()]
    return Case(*whens, default=Value(None), output_field=CharField())


def cited_record_identifier():
    """The cited record's ``id`` in its own table (a slug, or a number as text)."""
    whens = []
    for table in _cited_tables():
        identifier = table.columns()[0].expression
        rows = table.model._default_manager.filter(pk=OuterRef("object_id")).annotate(identifier=identifier)
        whens.append(When(content_type=_content_type(table), then=Subquery(rows.values("identifier")[:1])))
    return Case(*whens, default=Value(None), output_field=CharField())


SOURCES = Table(
    "sources", _("Sources"), Source, source_columns, position=60, filterset_class=SourceFilter, downloadable=True
)
CITATIONS = Table("citations", _("Citations"), Citation, citation_columns, position=140, published=_citation_published)
