"""Lists on a record's page that may grow without bound: a coalition's members, an organization's
events, an event's participants, the pages citing a source.

A record's page shows the first rows of each such list, in the page's order, and how many there
are in all, with a link to all of them: a reader list already filtered to them where one exists
(a coalition's members in the organizations directory), else the list's own numbered pages under
the record's address (``/organizations/<slug>/meetings/``), which show the rows as the record's
page does. The footnotes of a page are those of the rows it shows.

Each app declares its record pages' lists as :class:`Section` objects and serves their pages with
:func:`section_page`; the record's view reads the first rows with :func:`first_rows`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from .pagination import reader_page
from .previews import preview_context


@dataclass(frozen=True)
class Section:
    """A list on a record's page that may grow without bound."""

    name: str  # its address under the record's page
    heading: str  # lazy; the heading of its own pages
    template: str  # renders ``rows`` as the record's page does
    # How many rows the record's page shows, and each of the list's own pages: above the longest
    # such list of the ALLMEP record, whose pages show every row.
    shown: int
    rows: Callable  # rows(record): every row, in the page's order (a QuerySet, or a sequence)
    # The template renders list items (<li>), in a list of the record's page that holds others too.
    items: bool = False


def sections(*declared):
    """{name: section}, in the order given."""
    return {section.name: section for section in declared}


class FirstRows(list):
    """The first rows of a section, with how many there are in all (``total``) and, when the page
    does not show them all, where they all are (``more_url``)."""

    def __init__(self, rows, total, more_url=""):
        super().__init__(rows)
        self.total = total
        self.more = total > len(rows)
        self.more_url = more_url if self.more else ""


def first_rows(rows, shown, more_url):
    """The first ``shown`` of ``rows`` and their total, and ``more_url()`` when there are more.

    A QuerySet is read one row past what the page shows: a list that fits (nearly every list) is
    its own total, and only a longer one is counted, by one more query. (Counting every list in
    the query that reads it, by a subquery, cost an ordinary organization's page 5 ms of SQL and
    as much again in Python at full scale, for lists that were short anyway.) A sequence (a list
    made in Python) is sliced, and its length is the total.
    """
    if isinstance(rows, QuerySet):
        found = list(rows[: shown + 1])
        total = len(found) if len(found) <= shown else rows.order_by().count()
        found = found[:shown]
    else:
        found = list(rows[:shown])
        total = len(rows)
    return FirstRows(found, total, more_url() if total > len(found) else "")


def first_rows_of(record, sections, view_name, key, **elsewhere):
    """{name: FirstRows} of every section of ``record``'s page, named for the template (``_`` for
    ``-``). All of a section's rows are on its own pages (``view_name`` with ``key`` and the
    section's name), unless ``elsewhere[name]()`` gives another address (a filtered list)."""

    def all_rows(name):
        def address():
            found = elsewhere[name]() if name in elsewhere else None
            return found or reverse(view_name, args=[key, name])

        return address

    return {
        name.replace("-", "_"): first_rows(section.rows(record), section.shown, all_rows(name))
        for name, section in sections.items()
    }


def named(sections, name):
    """The section ``name`` of ``sections``; 404 for another name, before any query."""
    section = sections.get(name)
    if section is None:
        raise Http404("No such list on this page.")
    return section


def section_page(request, record, section, **context):
    """The numbered pages of the list ``section`` of ``record``'s page: its rows as the record's
    page shows them, in the same order, a page at a time."""
    page = reader_page(request, section.rows(record), section.shown)
    context = {"record": record, "section": section, "page": page, **preview_context(record), **context}
    return render(request, "records/section.html", context)
