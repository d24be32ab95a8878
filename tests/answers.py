"""Reading the site's answers in tests: the admin's change forms as a browser would post them, API JSON,
downloads in each format, search results, a bibliography rendered by citeproc-py, and pages in chromium."""

import csv
import io
import itertools
import json
import warnings
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from django.urls import reverse
from django.utils import translation

from exports.metadata import SOURCE_ARTICLE
from records.history import versions_for

# The admin's change forms.


class _ChangeFormFields(HTMLParser):
    """What a browser would submit from the admin's change form on a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields = []
        self._in_form = False
        self._textarea = None
        self._select = None
        self._select_options = []
        self._select_chosen = False
        self._select_multiple = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_form = attrs.get("id", "").endswith("_form")
            return
        name = attrs.get("name")
        if not self._in_form:
            return
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "image", "file", "reset"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value") or "on"))
                return
            self.fields.append((name, attrs.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select, self._select_options = name, []
            self._select_chosen, self._select_multiple = False, "multiple" in attrs
        elif tag == "option" and self._select:
            value = attrs.get("value") or ""
            self._select_options.append(value)
            if "selected" in attrs:
                self.fields.append((self._select, value))
                self._select_chosen = True

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            # Browsers drop the line break that opens a textarea's content.
            self.fields.append((name, text.removeprefix("\n").replace("\r\n", "\n")))
            self._textarea = None
        elif tag == "select" and self._select:
            if not self._select_chosen and not self._select_multiple and self._select_options:
                self.fields.append((self._select, self._select_options[0]))
            self._select = None


def change_form_data(response):
    """The admin change form of a response as a browser would post it, as {name: [values]}."""
    assert response.status_code == 200, response.status_code
    parser = _ChangeFormFields()
    parser.feed(response.content.decode())
    data = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    return data


def errors_of(response):
    """The form and inline errors of a re-rendered change form, for assertion messages."""
    if response.context is None or "adminform" not in response.context:
        return None
    return [
        response.context["adminform"].form.errors,
        *(inline.formset.errors for inline in response.context["inline_admin_formsets"]),
        *(inline.formset.non_form_errors() for inline in response.context["inline_admin_formsets"]),
    ]


def assert_saved(response):
    assert response.status_code == 302, errors_of(response)


def change_url(obj, language="en"):
    opts = obj._meta
    return f"/{language}" + reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])[3:]


# The admin's import form.
def csv_choice(response):
    form = response.context["form"]
    return next(value for value, label in form.fields["format"].choices if str(label).lower() == "csv")


# The API.
def get_json(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


# Downloads.


def download(client, table, format, language="en", **params):
    with translation.override(language):
        url = reverse("exports:table", kwargs={"table": table, "format": format})
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    return response


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response):
    data = body(response)
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def xlsx_rows(response):
    workbook = openpyxl.load_workbook(io.BytesIO(body(response)), read_only=True)
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    names = rows[0]
    return [
        {name: ("" if value is None else value) for name, value in itertools.zip_longest(names, row)}
        for row in rows[1:]
    ]


def json_rows(response):
    document = json.loads(body(response))
    assert document["license"]["name"] == "CC-BY-SA-4.0"
    assert SOURCE_ARTICLE in document["license"]["attribution"]
    return document["records"]


READERS = {"csv": csv_rows, "xlsx": xlsx_rows, "json": json_rows}


# Search.


def search(client, query, language="ar", **params):
    with translation.override(language):
        url = reverse("search:results")
    return client.get(url, {"q": query, **params})


def found(response):
    return [result.title for result in response.context["results"]]


def plain(titles):
    """Titles without their <mark>s."""
    return [str(title).replace("<mark>", "").replace("</mark>", "") for title in titles]


# Citation formats: CSL-JSON's schema, and the bibliography citeproc-py renders from it.
CSL_SCHEMA = json.loads((Path(__file__).parent / "data" / "csl-data.json").read_text())


def render_bibliography(items):
    """citeproc-py's rendering; it warns about CSL variables it does not use (custom…)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The following arguments for Reference are unsupported")
        source = CiteProcJSON(items)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    return [str(entry) for entry in bibliography.bibliography()]


# Pages in chromium (the browser tests' fixtures are in conftest.py).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


# A word of each language that the record's titles hold: search results in the page's own script.
SEARCH_WORD = {"ar": "التحالف", "en": "coalition", "he": "הברית"}


def pages(language, person):
    """(what, path, status) for every page type in ``language``."""
    label = person._meta.label_lower
    latest = versions_for(person).first()
    oldest = versions_for(person).last()
    with translation.override(language):
        return [
            ("home (article)", reverse("organizations:home"), 200),
            ("organization list", reverse("organizations:organization_list"), 200),
            ("organization", reverse("organizations:organization_detail", kwargs={"slug": "allmep"}), 200),
            ("unit", reverse("organizations:organization_detail", kwargs={"slug": "usaid-cmm"}), 200),
            ("person list", reverse("organizations:person_list"), 200),
            ("person", reverse("organizations:person_detail", kwargs={"slug": person.slug}), 200),
            ("event timeline", reverse("events:event_list"), 200),
            ("event", reverse("events:event_detail", kwargs={"slug": "summer-conference-2005"}), 200),
            ("meeting list", reverse("events:meeting_list"), 200),
            ("meeting", reverse("events:meeting_detail", kwargs={"slug": "summit-meetings-2009"}), 200),
            ("source list", reverse("citations:source_list"), 200),
            ("source", reverse("citations:source_detail", kwargs={"key": "stanford-coexistence"}), 200),
            ("search results", reverse("search:results") + "?q=ALLMEP", 200),
            ("search results", reverse("search:results") + f"?q={SEARCH_WORD[language]}", 200),
            ("downloads", reverse("exports:index"), 200),
            ("history", reverse("records:history", kwargs={"label": label, "pk": person.pk}), 200),
            ("diff", reverse("records:diff", kwargs={"label": label, "pk": person.pk}) + f"?to={latest.pk}", 200),
            ("recent changes", reverse("recent_changes"), 200),
            ("recent changes, filtered", reverse("recent_changes") + f"?kind={label}&language={language}", 200),
            ("recent changes, bad filter", reverse("recent_changes") + "?language=xx", 400),
            (
                "old version",
                reverse("records:version", kwargs={"label": label, "pk": person.pk, "version": oldest.pk}),
                200,
            ),
            ("404", reverse("organizations:organization_detail", kwargs={"slug": "no-such-organization"}), 404),
        ]


def visit(page, url, status=200):
    response = page.goto(url)
    assert response.status == status, f"{url} answered {response.status}"
    return response


def axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    return Axe().run(page, options=options).response["violations"]


def describe_violations(violations):
    lines = []
    for violation in violations:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            summary = " | ".join(node["failureSummary"].splitlines())
            lines.append(f"    {' '.join(map(str, node['target']))}: {summary}")
    return "\n".join(lines)
