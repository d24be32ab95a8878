"""The vocabulary a kind of record describes its data package tables in.

A :class:`Table` says which published rows a table has and which columns, each column a
database expression. Each content app declares its tables with its kinds (``<app>/tables.py``,
registered in ``<app>/kinds.py``); the list downloads (CSV, XLSX, JSON), PostgreSQL's COPY, the
data package and the API all read them from :mod:`records.kinds`, so a column added there
appears everywhere at once.
"""

from dataclasses import dataclass

from django.db.models import F

from .expressions import EdtfLower, EdtfUpper, PlainText, permalink, text
from .languages import LANGUAGE_CODES

# Column types, named as Frictionless table schemas name them.
STRING = "string"
DATE = "date"
NUMBER = "number"
INTEGER = "integer"
BOOLEAN = "boolean"

# A spreadsheet reads a cell starting with one of these as a formula (CSV injection): the list
# downloads put an apostrophe before them, and the staff import takes it off again.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


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


@dataclass(frozen=True)
class Table:
    name: str
    title: object
    model: type
    columns_for: object  # callable(base_url) -> list of Column
    # Where the table stands among all the tables of the data package (and the downloads).
    position: int
    published: object = None  # callable() -> Q of the rows readers may see
    # A list readers can download on its own, filtered by this FilterSet; else only in the data package.
    filterset_class: type | None = None
    downloadable: bool = False
    description: str = ""

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


def per_language(name, description=""):
    """A translated field: one column per language."""
    return [
        Column(f"{name}_{language}", F(f"{name}_{language}"), description=f"{description} ({language})".strip())
        for language in LANGUAGE_CODES
    ]


def markup_column(name, language):
    """The column holding a prose field's markup, which the import reads back (the staff import reads it back)."""
    return f"{name}_markup_{language}"


def prose_columns(name, description):
    """A prose field: plain text to read, then the markup it is written in, one column per language."""
    return [
        *(
            Column(
                f"{name}_{language}",
                PlainText(F(f"{name}_{language}")),
                description=f"{description} as plain text ({language}): links read as their label, citation "
                "markers and emphasis are left out, paragraphs are separated by a blank line",
            )
            for language in LANGUAGE_CODES
        ),
        *(
            Column(
                markup_column(name, language),
                F(f"{name}_{language}"),
                description=f"{description} in the prose markup editors write ({language}), which the import "
                "reads back: ''emphasis'', '''strong''', [[kind:id|label]] links to a record, "
                "{{ref|source-id}} citation markers",
            )
            for language in LANGUAGE_CODES
        ),
    ]


def partial_date_columns(name, description=""):
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
