"""List downloads (CSV, XLSX, JSON): rows, languages, filters, drafts, formula cells, streaming."""

import csv
import io
import json

import openpyxl
import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citations.models import Source
from organizations.models import Organization
from records.kinds import list_tables
from tests.answers import READERS, body, csv_rows, download, json_rows
from tests.factories import PLAIN_AR, PLAIN_EN, PROSE_AR, PROSE_EN, PUBLISHED, build_record


@pytest.fixture
def record(db):
    return build_record()


EXPECTED = {
    "organizations": (
        ["allmep", "just-vision"],
        {
            "name_ar": "التحالف من أجل السلام في الشرق الأوسط",
            "name_en": "Alliance for Middle East Peace",
            "name_he": "הברית לשלום במזרח התיכון",
            "founded": "2003-36",
            "founded_earliest": "2003-10-01",
            "founded_latest": "2003-12-31",
            "permalink": "http://testserver/en/organizations/allmep/",
        },
    ),
    "memberships": (None, {"member": "just-vision", "coalition": "allmep", "joined_latest": "2004-02-29"}),
    "events": (
        ["coexistence-conference-2005"],
        {"title_ar": "مؤتمر التعايش", "title_en": "Coexistence conference", "title_he": "כנס דו-קיום"},
    ),
    "meetings": (["capitol-hill-2004"], {"organization": "allmep", "event": "coexistence-conference-2005"}),
    "people": (["hazem-fahmy"], {"name_ar": "حازم فهمي", "name_en": "Hazem Fahmy"}),
    "sources": (
        ["allmep-overview", "stanford-coexistence"],
        {"publisher_ar": "موقع التحالف", "publisher_en": "ALLMEP website", "archive_date": "2016-07-02"},
    ),
    "figures": (None, {"organization": "allmep", "metric": "member_organizations", "as_of_earliest": "2016-08-01"}),
}


def test_every_public_list_is_exported():
    assert set(EXPECTED) == set(list_tables())


@pytest.mark.parametrize("format", ["csv", "xlsx", "json"])
@pytest.mark.parametrize("table", list(EXPECTED))
def test_each_list_downloads_one_row_per_published_record(client, record, table, format):
    response = download(client, table, format)
    rows = READERS[format](response)
    identifiers, values = EXPECTED[table]
    assert len(rows) == (len(identifiers) if identifiers else 1)
    if identifiers:
        assert [str(row["id"]) for row in rows] == identifiers
    first = rows[0]
    for name, value in values.items():
        assert first[name] == value, name
    assert f'filename="allmep-{table}-en.{format}"' in response["Content-Disposition"]


@pytest.mark.parametrize("format", ["csv", "xlsx", "json"])
def test_sources_backing_a_record_are_listed_by_key_without_drafts(client, record, format):
    rows = READERS[format](download(client, "organizations", format))
    sources = rows[0]["sources"]
    keys = sources if format == "json" else sources.split()
    assert keys == ["allmep-overview", "stanford-coexistence"]


@pytest.mark.parametrize("format", ["csv", "xlsx", "json"])
def test_filters_of_the_list_page_apply(client, record, format):
    rows = READERS[format](download(client, "organizations", format, kind="ngo"))
    assert [row["id"] for row in rows] == ["just-vision"]


def test_a_bad_filter_value_is_a_400_with_the_reason(client, record):
    response = client.get(
        reverse("exports:table", kwargs={"table": "organizations", "format": "csv"}), {"kind": "nope"}
    )
    assert response.status_code == 400
    assert "kind" in response.content.decode()


def test_unknown_list_or_format_is_not_found(client, record):
    assert client.get("/en/export/drafts.csv").status_code == 404
    assert client.get("/en/export/organizations.pdf").status_code == 404


@pytest.mark.parametrize("format", ["csv", "xlsx", "json"])
def test_drafts_never_appear(client, record, format):
    for table in list_tables():
        text = json.dumps(READERS[format](download(client, table, format)), ensure_ascii=False, default=str)
        for draft in ("hidden-org", "Hidden draft", "draft-person", "secret-event", "draft-source", "250"):
            assert draft not in text, (table, draft)


def test_csv_is_rfc_4180_with_a_bom_for_excel(client, record):
    data = body(download(client, "events", "csv"))
    assert data.startswith("\ufeffid,permalink,".encode())
    lines = data.split(b"\r\n")
    assert lines[-1] == b""
    assert len(lines) == 3  # header, one event, the final line break
    assert b'"TN,YE"' in data


def test_csv_neutralises_formula_cells(client, record):
    rows = {row["id"]: row for row in csv_rows(download(client, "organizations", "csv"))}
    assert rows["allmep"]["summary_en"] == '\'=HYPERLINK("http://evil.example")'
    assert rows["just-vision"]["summary_en"] == "'+1 and -1, @ and tab"
    assert rows["allmep"]["name_en"] == "Alliance for Middle East Peace"


def test_xlsx_keeps_formula_like_text_as_text(client, record):
    workbook = openpyxl.load_workbook(io.BytesIO(body(download(client, "organizations", "xlsx"))))
    sheet = workbook.worksheets[0]
    column = [cell.value for cell in sheet[1]].index("summary_en") + 1
    cell = sheet.cell(row=2, column=column)
    assert cell.value == '=HYPERLINK("http://evil.example")'
    assert cell.data_type == "s"  # a string, not a formula
    assert "CC BY-SA" in workbook["License"]["A1"].value or "Creative Commons" in workbook["License"]["A1"].value


def test_exports_stream(client, record):
    assert download(client, "organizations", "csv").streaming
    assert download(client, "organizations", "json").streaming


def test_export_language_sets_permalinks(client, record):
    rows = csv_rows(download(client, "people", "csv", language="he"))
    assert rows[0]["permalink"] == "http://testserver/he/people/hazem-fahmy/"
    assert rows[0]["name_ar"] == "حازم فهمي"  # every language, whatever the page's


def test_csv_export_query_count_does_not_grow_with_rows(client, record, django_assert_max_num_queries):
    for index in range(30):
        Organization.objects.create(slug=f"org-{index}", name_en=f"Org {index}", kind="ngo", status=PUBLISHED)
    with django_assert_max_num_queries(6):
        rows = csv_rows(download(client, "organizations", "csv"))
    assert len(rows) == 32


def test_postgresql_copy_gives_the_same_bytes_as_the_python_writer(postgres_only, rf, record):
    from django.db import connection

    from exports import writers

    table = list_tables()["organizations"]
    Organization.objects.create(
        slug="quoted", name_en='Says "hi", then\nbreaks; 100%', summary_en="-", kind="ngo", status=PUBLISHED
    )
    assert connection.vendor == "postgresql"
    for queryset in (table.queryset(), table.queryset().filter(name_en__icontains="%")):
        copied = b"".join(writers.csv_lines(table, queryset, "http://testserver"))
        written = b"".join(writers.csv_lines(table, queryset, "http://testserver", copy=False))
        assert copied == written
    assert b'"Says ""hi"", then\nbreaks; 100%"' in copied


# Text a spreadsheet would run as a formula starts with one of = + - @ tab or carriage return;
# the rest must go out as written, whatever its first character.
CELL_EDGES = [
    "=1+1", "+1", "-", "@sum", "\tindented", "\rreturn", "", "a=b", "1 - 2", '"quoted"', " space",
    "'already", "ملخص", "תקציר", "🙂 emoji", "Ünïcode", "two\r\nlines", "line\nbreak\n", ",comma",
]  # fmt: skip


def test_postgresql_copy_neutralises_formulas_and_writes_every_cell_as_the_python_writer(postgres_only, record):
    from exports import writers

    table = list_tables()["organizations"]
    for index, text in enumerate(CELL_EDGES):
        Organization.objects.create(
            slug=f"edge-{index}", name_en=f"Edge {index}", short_name_en=text, summary_en=text, summary_he=text,
            kind="ngo", status=PUBLISHED,
        )  # fmt: skip
    copied = b"".join(writers.csv_lines(table, table.queryset(), "http://testserver"))
    assert copied == b"".join(writers.csv_lines(table, table.queryset(), "http://testserver", copy=False))
    rows = {row["id"]: row for row in csv_rows_of(copied)}
    assert rows["edge-0"]["summary_en"] == "'=1+1"
    assert rows["edge-5"]["summary_en"] == "'\rreturn"
    assert rows["edge-12"]["summary_en"] == "ملخص"


def test_postgresql_copy_streams_in_pieces_of_bounded_size(postgres_only, record, monkeypatch):
    from exports import writers

    table = list_tables()["organizations"]
    for index in range(40):
        Organization.objects.create(slug=f"org-{index}", name_en=f"Org {index}", kind="ngo", status=PUBLISHED)
    monkeypatch.setattr(writers, "CSV_PIECE_BYTES", 1000)
    pieces = list(writers.csv_lines(table, table.queryset(), "http://testserver"))
    longest_row = max(len(line) + 2 for line in b"".join(pieces[1:]).split(b"\r\n"))
    assert len(pieces) > 5
    assert all(0 < len(piece) < 1000 + longest_row for piece in pieces)
    assert b"".join(pieces) == b"".join(writers.csv_lines(table, table.queryset(), "http://testserver", copy=False))


def csv_rows_of(data):
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize(
    ("table", "params", "expected"),
    [
        ("events", {"year": "2005"}, ["coexistence-conference-2005"]),
        ("events", {"year": "2006"}, []),
        ("events", {"kind": "panel"}, []),
        ("meetings", {"year": "2004"}, ["capitol-hill-2004"]),
        ("memberships", {"coalition": "allmep"}, ["just-vision"]),
        ("memberships", {"coalition": "just-vision"}, []),
        ("figures", {"metric": "participants"}, []),
        ("sources", {"link_status": "dead"}, ["stanford-coexistence"]),
        # People have no filter on their page: part of a name, in any language.
        ("people", {"name": "hazem"}, ["hazem-fahmy"]),
        ("people", {"name": "فهمي"}, ["hazem-fahmy"]),
        ("people", {"name": "nobody"}, []),
    ],
)
def test_each_list_filters_as_its_page(client, record, table, params, expected):
    rows = json_rows(download(client, table, "json", **params))
    key = "member" if table == "memberships" else "id"
    assert [row[key] for row in rows] == expected


def test_downloads_page_links_every_list_the_package_and_the_citations(client, record):
    response = client.get("/he/export/")
    assert response.status_code == 200
    html = response.content.decode()
    for table in list_tables():
        for format in ("csv", "xlsx", "json"):
            assert f'href="/he/export/{table}.{format}"' in html
    assert 'href="/he/export/datapackage.zip"' in html
    assert 'href="/he/export/citations/sources.bib"' in html


@pytest.mark.parametrize("format", ["csv", "xlsx", "json"])
def test_prose_downloads_as_plain_text_with_its_markup_in_a_column_of_its_own(client, record, format):
    rows = {row["id"]: row for row in READERS[format](download(client, "organizations", format))}
    allmep = rows["allmep"]
    assert allmep["description_en"] == PLAIN_EN
    assert allmep["description_ar"] == PLAIN_AR
    # The markup, as editors wrote it, is what the import reads back.
    assert allmep["description_markup_en"] == PROSE_EN
    assert allmep["description_markup_ar"] == PROSE_AR
    assert not allmep["description_he"] and not allmep["description_markup_he"]  # nothing written in Hebrew


# The sheet names of the reported figures download, in each language.
SHEETS = {
    "ar": ["الأرقام المذكورة", "الترخيص"],
    "en": ["Reported figures", "License"],
    "he": ["נתונים מדווחים", "רישיון"],
}


@pytest.mark.parametrize("language", list(SHEETS))
def test_xlsx_sheets_are_named_and_read_in_the_language(client, record, language):
    workbook = openpyxl.load_workbook(io.BytesIO(body(download(client, "figures", "xlsx", language=language))))
    assert workbook.sheetnames == SHEETS[language]
    right_to_left = language in ("ar", "he")
    for sheet in workbook.worksheets:
        assert bool(sheet.sheet_view.rightToLeft) is right_to_left, sheet.title


def test_a_sheet_name_is_one_excel_accepts():
    from openpyxl import Workbook

    from exports.writers import sheet_title

    title = sheet_title("Figures [2016]: ours/theirs? *all* \\ " + "x" * 40)
    assert len(title) <= 31
    assert not set("[]:*?/\\") & set(title)
    Workbook().create_sheet(title)  # openpyxl refuses a name Excel would
    assert sheet_title("'Quoted'") == "Quoted"
    assert sheet_title("??") == "Sheet"


PROSE_SAMPLES = [
    "",
    "Plain words.",
    PROSE_EN,
    PROSE_AR,
    "''''four'''' and '''''five'''''",
    "[[organization:x|]] [[organization:y| spaced label ]] [[person:z]]",
    "a{{ref|k|p. 3|again}}b {{ref|}} {{ref|k}}{{ref|j}}",
    "  leading\r\n\r\n\r\n trailing \t\n",
    "one\n \t \ntwo\nthree  \n\n\n\nfour",
    "[[organization:allmep|ALLMEP's]]'s ''[[event:e|nested]]''",
    "unclosed [[organization:x|label and {{ref|y",
    "100% of \\1 and & and $1",
    "non-breaking\u00a0space and\u2003em space",
]


@pytest.mark.parametrize("text", PROSE_SAMPLES)
def test_the_database_reads_prose_as_plain_text_as_python_does(db, text):
    from django.db.models import Value

    from records.expressions import PlainText
    from records.prose import plain_text

    computed = Organization.objects.annotate(plain=PlainText(Value(text))).values_list("plain", flat=True)
    Organization.objects.create(slug="one", name_en="One", kind="ngo")
    assert list(computed) == [plain_text(text)]


# Pieces of prose, well and badly formed, for the database and Python to disagree on if they can.
PROSE_PIECES = [
    "[[", "]]", "[", "]", "|", "{{ref|", "{{", "}}", "}", "'", "''", "'''", "organization:", "person:",
    " ", "  ", "\n", "\n\n", "\t", "\r\n", "\u00a0", "a", "Bb", "ب", "שׁ", "2", ".", "\\1", "&", "%",
]  # fmt: skip


@given(text=st.lists(st.sampled_from(PROSE_PIECES), max_size=30).map("".join))
@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_database_and_python_agree_on_any_prose(db, text):
    from django.db.models import Value

    from records.expressions import PlainText
    from records.prose import plain_text

    Source.objects.get_or_create(key="a-row", defaults={"title": "A row to select from"})
    computed = Source.objects.annotate(plain=PlainText(Value(text))).values_list("plain", flat=True)
    assert list(computed) == [plain_text(text)]


def test_downloads_page_says_text_is_plain_and_where_the_markup_is(client, db):
    html = client.get("/he/export/").content.decode()
    assert 'בעמודות ששמן כמו <code dir="ltr">description_markup_ar</code>' in html


def test_every_list_names_a_filter_that_exists():
    """A list's filters are named once; a wrong name is an error, never a list that silently filters nothing."""
    for name, table in list_tables().items():
        filterset = table.filterset_class
        assert filterset is not None and filterset._meta.model is table.model, name
