"""Database expressions for export columns.

Every export column is computed by the database, so the same query serves the Python writers
on any database and PostgreSQL's COPY, and the two give the same bytes (a test checks it).
"""

from django.db.models import CharField, F, Func, Q, TextField, Value
from django.db.models.expressions import Case, When
from django.db.models.functions import Cast, Concat
from django.urls import NoReverseMatch, reverse

from .models import PublicationStatus
from .prose import PLAIN_TEXT_RULES, PLAIN_TEXT_STRIP, plain_text

PUBLISHED = PublicationStatus.PUBLISHED.value


class _EdtfBound(Func):
    """The first or last day (ISO text) an EDTF partial date can mean; NULL for no date.

    "2003" → 2003-01-01…2003-12-31, "2004-02" → 2004-02-01…2004-02-29,
    "2003-36" (late 2003) → 2003-10-01…2003-12-31; a full date is its own bound.
    """

    arity = 1
    output_field = CharField()

    def as_sql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        year = f"SUBSTR({column}, 1, 4)"
        month = f"SUBSTR({column}, 6, 2)"
        sql = (
            f"CASE WHEN LENGTH({column}) = 4 THEN {year} || '{self.year_suffix}' "
            f"WHEN LENGTH({column}) = 7 AND {month} = '33' THEN {year} || '{self.early_suffix}' "
            f"WHEN LENGTH({column}) = 7 AND {month} = '36' THEN {year} || '{self.late_suffix}' "
            f"WHEN LENGTH({column}) = 7 THEN {self.month_sql(column, connection)} "
            f"WHEN LENGTH({column}) = 10 THEN {column} END"
        )
        return sql, params * sql.count(column) if params else params


class EdtfLower(_EdtfBound):
    year_suffix = "-01-01"
    early_suffix = "-01-01"
    late_suffix = "-10-01"

    def month_sql(self, column, connection):
        return f"{column} || '-01'"


class EdtfUpper(_EdtfBound):
    year_suffix = "-12-31"
    early_suffix = "-03-31"
    late_suffix = "-12-31"

    def month_sql(self, column, connection):
        if connection.vendor == "postgresql":
            return f"TO_CHAR(CAST({column} || '-01' AS date) + INTERVAL '1 month' - INTERVAL '1 day', 'YYYY-MM-DD')"
        return f"DATE({column} || '-01', '+1 month', '-1 day')"


class PlainText(Func):
    """Prose as plain text (:func:`records.prose.plain_text`), computed by the database.

    PostgreSQL applies the same rewriting rules with REGEXP_REPLACE; SQLite calls plain_text()
    itself, registered on each connection (:func:`register_sqlite_functions`).
    """

    arity = 1
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function=SQLITE_PLAIN_TEXT, **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        params = tuple(params)
        for pattern, replacement in PLAIN_TEXT_RULES:
            sql = f"REGEXP_REPLACE({sql}, %s, %s, 'g')"
            params += (pattern, replacement)
        return f"BTRIM({sql}, %s)", (*params, PLAIN_TEXT_STRIP)


SQLITE_PLAIN_TEXT = "allmep_plain_text"


def register_sqlite_functions(sender, connection, **kwargs):
    """connection_created receiver: give SQLite connections what :class:`PlainText` calls."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_PLAIN_TEXT, 1, lambda value: None if value is None else plain_text(value), deterministic=True
        )


def text(expression):
    """A value as plain text, without the model field's Python conversion (country codes)."""
    return Cast(expression, output_field=CharField())


def published_ref(relation, key="slug"):
    """The identifier of a related record, or NULL when that record is not published."""
    return Case(When(**{f"{relation}__status": PUBLISHED}, then=F(f"{relation}__{key}")), default=Value(None))


def published_q(relation):
    return Q(**{f"{relation}__status": PUBLISHED})


def url_pattern(viewname, kwarg, fallback=None):
    """The (prefix, suffix) around one keyword argument of a URL, to build it in SQL."""
    marker = "987654321" if kwarg == "pk" else "identifier-marker"
    try:
        url = reverse(viewname, kwargs={kwarg: marker})
    except NoReverseMatch:
        if fallback is None:
            raise
        return url_pattern(*fallback)
    prefix, suffix = url.split(marker)
    return prefix, suffix


def permalink(base_url, viewname, kwarg, field, fallback=None):
    prefix, suffix = url_pattern(viewname, kwarg, fallback)
    return Concat(Value(base_url + prefix), text(field), Value(suffix), output_field=CharField())
