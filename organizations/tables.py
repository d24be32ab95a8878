"""The tables organizations, people and what belongs to them contribute to the data package."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from citations.tables import sources_column
from records.expressions import published_q, published_ref, text
from records.tables import (
    BOOLEAN,
    INTEGER,
    NUMBER,
    Column,
    Table,
    partial_date_columns,
    per_language,
    prose_columns,
    record_columns,
)

from .filters import MembershipFilter, OrganizationFilter, PersonFilter, ReportedFigureFilter
from .models import ArticleSection, Membership, Organization, Person, Proposal, ReportedFigure, Role


def organization_columns(base_url):
    return [
        *record_columns(base_url, "slug", "organizations:organization_detail", "slug", "api:organization-detail"),
        *per_language("name", "name"),
        *per_language("short_name", "short name"),
        Column("kind", F("kind")),
        Column("parent", published_ref("parent"), references=("organizations", "id")),
        Column("country", text("country"), description="ISO 3166-1 alpha-2 code"),
        Column("website", F("website")),
        Column("wikidata", F("wikidata"), description="Wikidata item id (Q…), only when a source gives it"),
        *partial_date_columns("founded", "founded"),
        *partial_date_columns("formally_founded", "formally founded"),
        *per_language("summary", "summary"),
        *prose_columns("description", "description"),
        sources_column(Organization),
    ]


def membership_columns(base_url):
    return [
        *record_columns(base_url, "pk", "api:membership-detail", "pk", "api:membership-detail"),
        Column("member", F("member__slug"), references=("organizations", "id")),
        Column("coalition", F("coalition__slug"), references=("organizations", "id")),
        *partial_date_columns("joined", "joined"),
        *partial_date_columns("left", "left"),
        *per_language("note", "note"),
        sources_column(Membership),
    ]


def person_columns(base_url):
    return [
        *record_columns(base_url, "slug", "organizations:person_detail", "slug", "api:person-detail"),
        *per_language("name", "name"),
        Column("wikidata", F("wikidata"), description="Wikidata item id (Q…), only when a source gives it"),
        *per_language("summary", "summary"),
        *prose_columns("description", "description"),
        sources_column(Person),
    ]


def figure_columns(base_url):
    return [
        *record_columns(base_url, "pk", "api:figure-detail", "pk", "api:figure-detail"),
        Column("organization", F("organization__slug"), references=("organizations", "id")),
        Column("metric", F("metric")),
        Column("value", F("value"), NUMBER),
        Column("qualifier", F("qualifier")),
        Column("unit", F("unit")),
        *partial_date_columns("as_of", "as of"),
        *partial_date_columns("compared_with", "compared with"),
        Column("event", published_ref("event"), references=("events", "id")),
        Column("meeting", published_ref("meeting"), references=("meetings", "id")),
        *per_language("note", "note"),
        sources_column(ReportedFigure),
    ]


def role_columns(base_url):
    return [
        Column("id", text("pk"), description="stable identifier"),
        Column("person", F("person__slug"), references=("people", "id")),
        *per_language("title", "title"),
        Column("organization", published_ref("organization"), references=("organizations", "id")),
        Column("country", text("country")),
        Column("is_former", F("is_former"), BOOLEAN),
        *partial_date_columns("start", "from"),
        *partial_date_columns("end", "until"),
        Column("event", published_ref("event"), references=("events", "id")),
        sources_column(Role),
    ]


def article_section_columns(base_url):
    return [
        Column("id", text("pk"), description="stable identifier"),
        Column("organization", F("organization__slug"), references=("organizations", "id")),
        Column("kind", F("kind")),
        Column("position", F("position"), INTEGER),
        *per_language("title", "heading"),
        *prose_columns("body", "text"),
        sources_column(ArticleSection),
    ]


def proposal_columns(base_url):
    return [
        Column("id", F("slug"), description="stable identifier"),
        Column("organization", F("organization__slug"), references=("organizations", "id")),
        *per_language("name", "name"),
        *prose_columns("description", "description"),
        Column("modelled_on", published_ref("modelled_on"), references=("organizations", "id")),
        *prose_columns("outcome", "outcome"),
        Column("outcome_organization", published_ref("outcome_organization"), references=("organizations", "id")),
        sources_column(Proposal),
    ]


ORGANIZATIONS = Table(
    "organizations",
    _("Organizations"),
    Organization,
    organization_columns,
    position=10,
    filterset_class=OrganizationFilter,
    downloadable=True,
)
MEMBERSHIPS = Table(
    "memberships",
    _("Memberships"),
    Membership,
    membership_columns,
    position=20,
    published=lambda: published_q("member") & published_q("coalition"),
    filterset_class=MembershipFilter,
    downloadable=True,
)
PEOPLE = Table(
    "people", _("People"), Person, person_columns, position=50, filterset_class=PersonFilter, downloadable=True
)
FIGURES = Table(
    "figures",
    _("Reported figures"),
    ReportedFigure,
    figure_columns,
    position=70,
    published=lambda: published_q("organization"),
    filterset_class=ReportedFigureFilter,
    downloadable=True,
)
ROLES = Table("roles", _("Roles"), Role, role_columns, position=80, published=lambda: published_q("person"))
ARTICLE_SECTIONS = Table(
    "article_sections",
    _("Article sections"),
    ArticleSection,
    article_section_columns,
    position=90,
    published=lambda: published_q("organization"),
)
PROPOSALS = Table(
    "proposals",
    _("Proposals"),
    Proposal,
    proposal_columns,
    position=100,
    published=lambda: published_q("organization"),
)
