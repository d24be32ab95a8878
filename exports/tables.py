"""The tables the record exports: one definition per table, used by every format.

A :class:`Table` says which published rows a table has and which columns, each column a
database expression. The list downloads (CSV, XLSX, JSON), PostgreSQL's COPY and the data
package all read these definitions, so a column added here appears everywhere at once.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Case, CharField, F, OuterRef, Q, Subquery, Value, When
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from .expressions import EdtfLower, EdtfUpper, PlainText, permalink, published_q, published_ref, source_keys, text

LANGUAGES = list(settings.MODELTRANSLATION_LANGUAGES)

# Column types, named as Frictionless table schemas name them.
STRING = "string"
DATE = "date"
NUMBER = "number"
INTEGER = "integer"
BOOLEAN = "boolean"


@dataclass(frozen=True)
class Column:
    name: str
    expression: object
    type: str = STRING
    description: str = ""
    # For an identifier of another table: (table name, its column).
    references: tuple | None = None
    # A space-separated list of identifiers (the sources backing a row); JSON gives a list.
    is_list: bool = False


@dataclass
class Table:
    name: str
    title: object
    model_path: str
    columns_for: object  # callable(base_url) -> list of Column
    published: object = None  # callable() -> Q of the rows readers may see
    # The reader page's FilterSet, or ours (exports/filters.py) for a list whose page has none.
    filterset_path: str = ""
    description: str = ""
    extra_filters: list = field(default_factory=list)

    @property
    def model(self):
        from django.apps import apps

        return apps.get_model(self.model_path)

    @property
    def filterset_class(self):
        return import_string(self.filterset_path) if self.filterset_path else None

    def columns(self, base_url=""):
        return self.columns_for(base_url)

    def queryset(self):
        """Published rows whose own required references are published too."""
        queryset = self.model._default_manager.all()
        if hasattr(queryset, "published"):
            queryset = queryset.published()
        if self.published is not None:
            queryset = queryset.filter(self.published())
        return queryset

    def rows(self, queryset, base_url=""):
        """``queryset`` reduced to the table's columns, in a stable order: a values_list queryset."""
        columns = self.columns(base_url)
        aliases = {f"c{index}": column.expression for index, column in enumerate(columns)}
        ordering = [*(queryset.query.order_by or self.model._meta.ordering), "pk"]
        return queryset.order_by(*ordering).annotate(**aliases).values_list(*aliases)


def translated(name, description=""):
    return [
        Column(f"{name}_{language}", F(f"{name}_{language}"), description=f"{description} ({language})".strip())
        for language in LANGUAGES
    ]


def markup_column(name, language):
    """The column holding a prose field's markup, which the import reads back (exports.importing)."""
    return f"{name}_markup_{language}"


def prose(name, description):
    """A prose field: plain text to read, then the markup it is written in, one column per language."""
    return [
        *(
            Column(
                f"{name}_{language}",
                PlainText(F(f"{name}_{language}")),
                description=f"{description} as plain text ({language}): links read as their label, citation "
                "markers and emphasis are left out, paragraphs are separated by a blank line",
            )
            for language in LANGUAGES
        ),
        *(
            Column(
                markup_column(name, language),
                F(f"{name}_{language}"),
                description=f"{description} in the prose markup editors write ({language}), which the import "
                "reads back: ''emphasis'', '''strong''', [[kind:id|label]] links to a record, "
                "{{ref|source-id}} citation markers",
            )
            for language in LANGUAGES
        ),
    ]


def partial_date(name, description=""):
    """A partial date as EDTF, with the first and last day it can mean."""
    return [
        Column(name, text(name), description=f"{description} (EDTF)".strip()),
        Column(f"{name}_earliest", EdtfLower(name), DATE, f"{description}: first possible day".strip()),
        Column(f"{name}_latest", EdtfUpper(name), DATE, f"{description}: last possible day".strip()),
    ]


def record_columns(base_url, identifier, viewname, kwarg, api_viewname):
    """The stable identifier and the permalink (the record's page, or its API entry)."""
    return [
        Column("id", F(identifier) if identifier != "pk" else text("pk"), description="stable identifier"),
        Column(
            "permalink",
            permalink(base_url, viewname, kwarg, identifier, fallback=(api_viewname, kwarg)),
            description="permanent address of the record",
        ),
    ]


def sources_column(model_path):
    from django.apps import apps

    return Column(
        "sources",
        source_keys(apps.get_model(model_path)),
        description="keys of the published sources backing the record, space-separated",
        references=("sources", "id"),
        is_list=True,
    )


def organization_columns(base_url):
    return [
        *record_columns(base_url, "slug", "organizations:organization_detail", "slug", "api:organization-detail"),
        *translated("name", "name"),
        *translated("short_name", "short name"),
        Column("kind", F("kind")),
        Column("parent", published_ref("parent"), references=("organizations", "id")),
        Column("country", text("country"), description="ISO 3166-1 alpha-2 code"),
        Column("website", F("website")),
        *partial_date("founded", "founded"),
        *partial_date("formally_founded", "formally founded"),
        *translated("summary", "summary"),
        *prose("description", "description"),
        sources_column("organizations.Organization"),
    ]


def membership_columns(base_url):
    return [
        *record_columns(base_url, "pk", "api:membership-detail", "pk", "api:membership-detail"),
        Column("member", F("member__slug"), references=("organizations", "id")),
        Column("coalition", F("coalition__slug"), references=("organizations", "id")),
        *partial_date("joined", "joined"),
        *partial_date("left", "left"),
        *translated("note", "note"),
        sources_column("organizations.Membership"),
    ]


def figure_columns(base_url):
    return [
        *record_columns(base_url, "pk", "api:figure-detail", "pk", "api:figure-detail"),
        Column("organization", F("organization__slug"), references=("organizations", "id")),
        Column("metric", F("metric")),
        Column("value", F("value"), NUMBER),
        Column("qualifier", F("qualifier")),
        Column("unit", F("unit")),
        *partial_date("as_of", "as of"),
        *partial_date("compared_with", "compared with"),
        Column("event", published_ref("event"), references=("events", "id")),
        Column("meeting", published_ref("meeting"), references=("meetings", "id")),
        *translated("note", "note"),
        sources_column("organizations.ReportedFigure"),
    ]


def person_columns(base_url):
    return [
        *record_columns(base_url, "slug", "organizations:person_detail", "slug", "api:person-detail"),
        *translated("name", "name"),
        *translated("summary", "summary"),
        *prose("description", "description"),
        sources_column("organizations.Person"),
    ]


def event_columns(base_url):
    return [
        *record_columns(base_url, "slug", "events:event_detail", "slug", "api:event-detail"),
        *translated("title", "title"),
        Column("kind", F("kind")),
        *partial_date("start", "date"),
        *partial_date("end", "end date"),
        *translated("place", "place"),
        Column("country", text("country"), description="ISO 3166-1 alpha-2 code"),
        Column("organizer", published_ref("organizer"), references=("organizations", "id")),
        Column("parent", published_ref("parent"), references=("events", "id")),
        Column(
            "countries_represented",
            text("countries_represented"),
            description="ISO 3166-1 alpha-2 codes, comma-separated",
        ),
        *translated("summary", "summary"),
        *prose("description", "description"),
        sources_column("events.Event"),
    ]


def meeting_columns(base_url):
    return [
        *record_columns(base_url, "slug", "events:meeting_detail", "slug", "api:meeting-detail"),
        *translated("title", "title"),
        Column("organization", F("organization__slug"), references=("organizations", "id")),
        *partial_date("date", "date"),
        Column("event", published_ref("event"), references=("events", "id")),
        *prose("description", "description"),
        sources_column("events.Meeting"),
    ]


def source_columns(base_url):
    return [
        Column("id", F("key"), description="stable identifier (the key prose cites)"),
        Column(
            "permalink",
            permalink(base_url, "citations:source_detail", "key", "key", fallback=("api:source-detail", "key")),
        ),
        Column("kind", F("kind"), description="CSL item type"),
        Column("title", F("title"), description="title in the source's own language"),
        *translated("title_translation", "translated title"),
        Column("language", F("language")),
        Column("authors", F("authors")),
        *translated("publisher", "publisher"),
        Column("publisher_organization", published_ref("publisher_organization"), references=("organizations", "id")),
        *partial_date("publication_date", "publication date"),
        Column("url", F("url")),
        Column("access_date", F("access_date"), DATE),
        Column("archive_url", F("archive_url")),
        Column("archive_date", F("archive_date"), DATE),
        Column("archive_provider", F("archive_provider")),
        Column("link_status", F("link_status")),
    ]


def role_columns(base_url):
    return [
        Column("id", text("pk"), description="stable identifier"),
        Column("person", F("person__slug"), references=("people", "id")),
        *translated("title", "title"),
        Column("organization", published_ref("organization"), references=("organizations", "id")),
        Column("country", text("country")),
        Column("is_former", F("is_former"), BOOLEAN),
        *partial_date("start", "from"),
        *partial_date("end", "until"),
        Column("event", published_ref("event"), references=("events", "id")),
        sources_column("organizations.Role"),
    ]


def article_section_columns(base_url):
    return [
        Column("id", text("pk"), description="stable identifier"),
        Column("organization", F("organization__slug"), references=("organizations", "id")),
        Column("kind", F("kind")),
        Column("position", F("position"), INTEGER),
        *translated("title", "heading"),
        *prose("body", "text"),
        sources_column("organizations.ArticleSection"),
    ]


def proposal_columns(base_url):
    return [
        Column("id", F("slug"), description="stable identifier"),
        Column("organization", F("organization__slug"), references=("organizations", "id")),
        *translated("name", "name"),
        *prose("description", "description"),
        Column("modelled_on", published_ref("modelled_on"), references=("organizations", "id")),
        *prose("outcome", "outcome"),
        Column("outcome_organization", published_ref("outcome_organization"), references=("organizations", "id")),
        sources_column("organizations.Proposal"),
    ]


def participant_columns(base_url):
    return [
        Column("id", text("pk"), description="stable identifier"),
        Column("event", F("event__slug"), references=("events", "id")),
        Column("person", F("person__slug"), references=("people", "id")),
        Column("organization", F("organization__slug"), references=("organizations", "id")),
        *translated("role", "role"),
        Column("position", F("position"), INTEGER),
        sources_column("events.EventParticipant"),
    ]


def partner_columns(base_url):
    return [
        Column("id", text("pk"), description="stable identifier"),
        Column("event", F("event__slug"), references=("events", "id")),
        Column("organization", F("organization__slug"), references=("organizations", "id")),
        *translated("role", "role"),
        sources_column("events.EventPartner"),
    ]


def counterpart_columns(base_url):
    return [
        Column("meeting", F("meeting__slug"), references=("meetings", "id")),
        Column("organization", F("organization__slug"), references=("organizations", "id")),
    ]


def citation_columns(base_url):
    return [
        Column("id", text("pk"), description="stable identifier"),
        Column("source", F("source__key"), references=("sources", "id")),
        Column("record_type", cited_table_name(), description="the table of the cited record"),
        Column("record_id", cited_record_identifier(), description="the cited record's identifier in that table"),
        Column("claim", F("claim"), description="the field or statement backed; empty for the whole record"),
        *translated("locator", "page, section or paragraph"),
        Column("quote", F("quote")),
        Column("position", F("position"), INTEGER),
    ]


def _participant_published():
    return (
        published_q("event")
        & (Q(person__isnull=True) | published_q("person"))
        & (Q(organization__isnull=True) | published_q("organization"))
    )


def _cited_tables():
    from citations.models import Cited

    return [table for table in PACKAGE_TABLES.values() if issubclass(table.model, Cited)]


def _content_type(table):
    from django.contrib.contenttypes.models import ContentType

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


LIST_TABLES = {
    "organizations": Table(
        "organizations",
        _("Organizations"),
        "organizations.Organization",
        organization_columns,
        filterset_path="organizations.filters.OrganizationFilter",
    ),
    "memberships": Table(
        "memberships",
        _("Memberships"),
        "organizations.Membership",
        membership_columns,
        published=lambda: published_q("member") & published_q("coalition"),
        filterset_path="exports.filters.MembershipFilter",
    ),
    "events": Table("events", _("Events"), "events.Event", event_columns, filterset_path="events.filters.EventFilter"),
    "meetings": Table(
        "meetings",
        _("Meetings"),
        "events.Meeting",
        meeting_columns,
        published=lambda: published_q("organization"),
        filterset_path="events.filters.MeetingFilter",
    ),
    "people": Table(
        "people",
        _("People"),
        "organizations.Person",
        person_columns,
        filterset_path="exports.filters.PersonFilter",
    ),
    "sources": Table(
        "sources",
        _("Sources"),
        "citations.Source",
        source_columns,
        filterset_path="exports.filters.SourceFilter",
    ),
    "figures": Table(
        "figures",
        _("Reported figures"),
        "organizations.ReportedFigure",
        figure_columns,
        published=lambda: published_q("organization"),
        filterset_path="exports.filters.ReportedFigureFilter",
    ),
}

# The data package holds every table of the record: the lists, and what links them.
PACKAGE_TABLES = {
    **LIST_TABLES,
    "roles": Table("roles", _("Roles"), "organizations.Role", role_columns, published=lambda: published_q("person")),
    "article_sections": Table(
        "article_sections",
        _("Article sections"),
        "organizations.ArticleSection",
        article_section_columns,
        published=lambda: published_q("organization"),
    ),
    "proposals": Table(
        "proposals",
        _("Proposals"),
        "organizations.Proposal",
        proposal_columns,
        published=lambda: published_q("organization"),
    ),
    "event_participants": Table(
        "event_participants",
        _("Event participants"),
        "events.EventParticipant",
        participant_columns,
        published=_participant_published,
    ),
    "event_partners": Table(
        "event_partners",
        _("Event partners"),
        "events.EventPartner",
        partner_columns,
        published=lambda: published_q("event") & published_q("organization"),
    ),
    "meeting_counterparts": Table(
        "meeting_counterparts",
        _("Meeting counterparts"),
        "events.Meeting_counterparts",
        counterpart_columns,
        published=lambda: published_q("meeting") & published_q("organization") & published_q("meeting__organization"),
    ),
    "citations": Table(
        "citations", _("Citations"), "citations.Citation", citation_columns, published=_citation_published
    ),
}
