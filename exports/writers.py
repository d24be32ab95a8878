"""The one export writer: a table's rows as CSV, XLSX or JSON, streamed with flat memory.

Rows come from :meth:`records.tables.Table.rows`, a ``values_list`` queryset read in chunks.
On PostgreSQL, CSV goes through ``COPY … TO STDOUT`` over the same query, which gives the same
bytes as the Python writer (tests compare them) several times faster.
"""

import csv
import datetime
import decimal
import io
import json
import tempfile

from django.conf import settings
from django.db import connection
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.workbook.child import INVALID_TITLE_REGEX

from records.tables import BOOLEAN, FORMULA_TRIGGERS, STRING

from .metadata import attribution, license_info

CHUNK_SIZE = 2000
BATCH = 500
# A CSV streamed from COPY goes out in pieces of about this many bytes: one write to the client
# each, and what the worker holds at a time.
CSV_PIECE_BYTES = 1 << 18
BOM = "\ufeff"


def neutralise(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe, as OWASP advises."""
    if value[:1] in FORMULA_TRIGGERS:
        return "'" + value
    return value


def plain(value):
    """A database value as CSV text: ISO dates, lower-case booleans, nothing for NULL."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def json_value(value, column):
    if column.is_list:
        return value.split() if value else []
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def header(columns):
    return [column.name for column in columns]


# CSV -----------------------------------------------------------------------------------------


def csv_lines(table, queryset, base_url="", spreadsheet=True, copy=None):
    """RFC 4180 CSV as a stream of bytes: a header, then one line per record.

    ``spreadsheet`` adds the byte-order mark Excel needs and neutralises formula-like text;
    ``copy`` (default: on PostgreSQL) lets the database write the lines.
    """
    columns = table.columns(base_url)
    rows = table.rows(queryset, base_url)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if spreadsheet:
        buffer.write(BOM)
    writer.writerow(header(columns))
    if copy is None:
        copy = connection.vendor == "postgresql"
    if spreadsheet and copy:
        yield buffer.getvalue().encode()
        yield from copy_csv_lines(rows, columns)
        return
    convert = plain if spreadsheet else _raw
    for count, row in enumerate(rows.iterator(chunk_size=CHUNK_SIZE), start=1):
        writer.writerow([convert(value) for value in row])
        if count % BATCH == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def _raw(value):
    """For the data package: values unaltered (typed by its schema), only formatted."""
    if isinstance(value, str):
        return value
    return plain(value)


def copy_statement(rows, columns):
    """The ``COPY … TO STDOUT`` statement that writes the rows of a values_list queryset as
    :func:`plain` does, and its parameters (None when it has none)."""
    sql, params = rows.query.sql_with_params()
    outer = []
    for index, column in enumerate(columns):
        name = connection.ops.quote_name(f"c{index}")
        if column.type == STRING:
            outer.append(_neutralised(name))
        elif column.type == BOOLEAN:
            outer.append(f"CASE WHEN {name} THEN 'true' WHEN NOT {name} THEN 'false' END")
        else:
            outer.append(name)
    statement = f"COPY (SELECT {', '.join(outer)} FROM ({sql}) AS export) TO STDOUT WITH (FORMAT csv)"
    if not params:
        statement = statement % ()  # psycopg merges parameters, and unescapes %%, only when given some
    return statement, params or None


# ASCII() of the first character of the text neutralise() marks.
FORMULA_CODES = ", ".join(str(ord(trigger)) for trigger in FORMULA_TRIGGERS)


def _neutralised(name):
    """SQL for the rules of neutralise(), an empty text written bare like NULL.

    ASCII() reads the first character as a number: text starting with a letter (above "@", 64)
    is out after one comparison; SUBSTR(…) IN (…) and NULLIF() on every cell made the COPY cost a
    fifth more than its query. ASCII('') is 0 (text holds no NUL); NULL falls through to NULL.
    """
    quote = "''''"
    return (
        f"CASE WHEN ASCII({name}) > 64 THEN {name} "
        f"WHEN ASCII({name}) IN ({FORMULA_CODES}) THEN {quote} || {name} "
        f"WHEN ASCII({name}) = 0 THEN NULL ELSE {name} END"
    )


def copy_csv_lines(rows, columns):
    """The rows of a values_list queryset through PostgreSQL's COPY, formatted as :func:`plain` does,
    in pieces of about CSV_PIECE_BYTES."""
    statement, params = copy_statement(rows, columns)
    with connection.cursor() as cursor, cursor.cursor.copy(statement, params) as copy:
        piece = bytearray()
        # libpq hands over COPY data one record at a time, each ending with \n: RFC 4180 wants \r\n
        # (a line break inside a quoted field stays as written, as the csv module leaves it). Each
        # record is copied into the piece as it comes: holding libpq's buffers for a join costs more.
        for record in copy:
            piece += record
            piece.insert(-1, 13)  # \r before the \n
            if len(piece) >= CSV_PIECE_BYTES:
                yield bytes(piece)
                piece.clear()
        if piece:
            yield bytes(piece)


# JSON ----------------------------------------------------------------------------------------


def json_lines(table, queryset, base_url="", language=""):
    """A JSON object with the table's licence and its records, one object per record."""
    columns = table.columns(base_url)
    rows = table.rows(queryset, base_url)
    meta = {
        "table": table.name,
        "title": str(table.title),
        "language": language,
        "license": license_info(),
        "columns": header(columns),
    }
    opening = json.dumps(meta, ensure_ascii=False)[:-1] + ', "records": ['
    yield opening.encode()
    batch = []
    separator = "\n"
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        record = {column.name: json_value(value, column) for column, value in zip(columns, row, strict=True)}
        batch.append(separator + json.dumps(record, ensure_ascii=False))
        separator = ",\n"
        if len(batch) == BATCH:
            yield "".join(batch).encode()
            batch = []
    batch.append("\n]}\n")
    yield "".join(batch).encode()


# XLSX ----------------------------------------------------------------------------------------


def xlsx_file(table, queryset, base_url=""):
    """An .xlsx workbook in a temporary file (openpyxl's write-only mode keeps memory flat), its
    sheets named and read in the active language's direction."""
    columns = table.columns(base_url)
    rows = table.rows(queryset, base_url)
    workbook = Workbook(write_only=True)
    sheet = xlsx_sheet(workbook, table.title)
    sheet.append(header(columns))
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        sheet.append([xlsx_cell(sheet, value) for value in row])
    about = xlsx_sheet(workbook, _("License"))
    about.append([attribution()])
    about.append([settings.CONTENT_LICENSE["path"]])
    output = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it once sent)
    workbook.save(output)
    output.seek(0)
    return output


def xlsx_sheet(workbook, title):
    sheet = workbook.create_sheet(sheet_title(title))
    # Set before the first row: a write-only sheet writes its view with it.
    sheet.sheet_view.rightToLeft = bool(get_language_bidi())
    return sheet


def sheet_title(text):
    """``text`` as a sheet name Excel accepts: none of []:*?/\\, at most 31 characters, no
    apostrophe at either end."""
    title = " ".join(INVALID_TITLE_REGEX.sub(" ", str(text)).split()).strip("' ")
    return title[:31].strip("' ") or "Sheet"


def xlsx_cell(sheet, value):
    if isinstance(value, decimal.Decimal | int) and not isinstance(value, bool):
        return value
    text = plain(value) if not isinstance(value, str) else value
    if not text:
        return None
    cell = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", text))
    # Text stays text: a value starting with "=" is stored as a string, never as a formula.
    cell.data_type = "s"
    return cell


# JSON of named collections (Popolo) ---------------------------------------------------------


def json_collections(meta, collections):
    """A JSON object: ``meta``, then each of ``collections`` ((name, iterable of objects)) as an
    array, written an object at a time and sent in batches of BATCH objects."""
    yield (json.dumps({"meta": meta}, ensure_ascii=False, indent=1)[:-2]).encode()
    for name, objects in collections:
        batch = [f",\n {json.dumps(name)}: ["]
        separator = "\n  "
        for item in objects:
            batch.append(separator + json.dumps(item, ensure_ascii=False))
            separator = ",\n  "
            if len(batch) >= BATCH:
                yield "".join(batch).encode()
                batch = []
        batch.append("\n ]")
        yield "".join(batch).encode()
    yield b"\n}\n"
