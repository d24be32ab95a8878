"""The kinds of record, and what the rest of the site needs to know about each.

Each content app declares its kinds beside its models (``<app>/kinds.py``) and registers them
from its ``AppConfig.ready()``, which also registers their models with django-reversion. Everything
that serves every kind (pages, sitemap, history, structured data, search, exports, the API,
citing pages) reads this registry instead of a list of its own, so a new kind of record is one
registration in its own app.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from . import versioning
from .models import PublicationStatus


@dataclass(frozen=True)
class SearchFields:
    """The fields of a kind that search reads, by how much a match in them counts."""

    title: str  # shown as the result's title; weight A
    names: tuple = ()  # other names; weight A
    fields: tuple = ()  # short texts; weight B
    prose: tuple = ()  # prose markup, read as plain text; weight C


@dataclass(frozen=True)
class Endpoint:
    """A collection of the read-only API: ``/api/<prefix>/`` and ``/api/<prefix>/<id>/``."""

    prefix: str
    viewset: type  # a records.viewsets.RecordViewSet
    basename: str  # its URL names: "<basename>-list", "<basename>-detail"
    position: int  # where it stands in the API's index and schema


# Compared and hashed by identity: each kind is registered once, and code keys dicts by kind.
@dataclass(frozen=True, eq=False)
class RecordKind:
    model: type
    # How prose links ([[organization:slug]]), citation exports and "cite this page" name the kind.
    name: str = ""
    # A kind with a page of its own: the page's URL name, and the field its URL names a record by.
    page: str = ""
    lookup: str = "slug"
    # A kind read on another record's page (a membership on its member's page): the relation to it.
    page_of: str = ""
    # The field that names a record in a link to its page ("name", "title").
    title_field: str = ""
    # Its list page's URL name, listed in the sitemap with the sections.
    list_page: str = ""
    sitemap_priority: float | None = None  # None: the sitemap's default
    # "Cite this page" offers the record's page as a reference (exports.citing).
    citable: bool = False
    # schema.org data of its page: callable(request, record) -> dict; and its OpenGraph type.
    structured_data: Callable | None = None
    og_type: str = "article"
    search: SearchFields | None = None
    # Readers may read its history (history pages, "View history").
    history: bool = False
    # Its page as it was in one of its published versions: callable(record) -> (template, context),
    # given the record built from the version with the rows it followed then and their citations
    # (records.versioning.as_it_was). Kinds with a history should have one.
    version_page: Callable | None = None
    # The record it is shown within (a section within its organization's article): public only
    # while that record is published too, and named after it.
    within: str = ""
    # What citations of its statements with no field of their own back, as readers call it
    # ({claim: label}; citations.claims), and of fields whose own name says too little.
    claim_labels: dict = field(default_factory=dict)
    # Whether a page record is the coalition's article rather than its own page (callable(record)).
    is_article: Callable | None = None
    # The tables of the data package it contributes (records.tables.Table).
    tables: tuple = ()
    # Its collections in the read-only API (Endpoint), declared in ``<app>/api.py``.
    api: tuple = ()
    # The relations whose rows belong to a record and are versioned with it (its citations are
    # always followed: records.versioning).
    follow: tuple = ()
    # Languages a translated field needs no value in, read from a version's stored values:
    # callable(values) -> {field: {language, …}} (a source's title needs no translation into its
    # own language). The translation status counts them neither missing nor behind.
    untranslated: Callable | None = None

    @property
    def label(self):
        return self.model._meta.label_lower

    def page_record(self, record):
        """The record whose page shows ``record``."""
        return getattr(record, self.page_of) if self.page_of else record

    def published_within(self):
        """Filter arguments keeping the records whose ``within`` record is published too."""
        return {f"{self.within}__status": PublicationStatus.PUBLISHED} if self.within else {}

    def page_model(self):
        return self.model._meta.get_field(self.page_of).related_model if self.page_of else self.model


_kinds = {}


def register(*record_kinds):
    """Register kinds of record, and version their models (from an ``AppConfig.ready()``)."""
    for kind in record_kinds:
        if kind.model in _kinds:
            raise ValueError(f"{kind.label} is registered twice.")
        _kinds[kind.model] = kind
        versioning.register(kind.model, follow=kind.follow)


def all_kinds():
    """Every registered kind, in the order the apps registered them."""
    return list(_kinds.values())


def kind_of(model):
    """The kind of ``model`` (a class or a record), or None for a model that is no record kind."""
    return _kinds.get(model if isinstance(model, type) else type(model))


def kind_of_label(label):
    """The kind whose model is ``app_label.modelname``, or None."""
    return next((kind for kind in _kinds.values() if kind.label == label), None)


def named(name):
    """The kind that links and citations call ``name``, or None."""
    return next((kind for kind in _kinds.values() if kind.name == name), None)


def with_pages():
    """The kinds with a page of their own."""
    return [kind for kind in _kinds.values() if kind.page]


def package_tables():
    """{name: table}: every table of the data package, in order."""
    tables = sorted((table for kind in _kinds.values() for table in kind.tables), key=lambda table: table.position)
    return {table.name: table for table in tables}


def list_tables():
    """{name: table}: the tables readers can download on their own, in order."""
    return {name: table for name, table in package_tables().items() if table.downloadable}


def api_endpoints():
    """Every collection of the read-only API, in order."""
    return sorted((endpoint for kind in _kinds.values() for endpoint in kind.api), key=lambda e: e.position)
