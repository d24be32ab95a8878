"""What the schema.org data of every kind's page is built from (see each app's structured_data.py).

Structured data is built as plain dicts, one function per kind of record, registered with the
kind (:mod:`records.kinds`); the site serialises it into the page (``allmep.seo``).
"""

from django.utils.text import Truncator

from .partial_dates import PartialDate
from .prose import plain_text

DESCRIPTION_LENGTH = 300


def schema_date(value):
    """An ISO 8601 date as precise as known; "late 2003" becomes its year."""
    if not value:
        return None
    date = PartialDate.parse(value)
    return str(date.year) if date.part else date.edtf


def absolute_url(request, record):
    return request.build_absolute_uri(record.get_absolute_url())


def describe(record):
    """A one-line description of a record: its summary, else the start of its text."""
    text = getattr(record, "summary", "") or plain_text(getattr(record, "description", "") or "")
    return Truncator(" ".join(text.split())).chars(DESCRIPTION_LENGTH)  # paragraphs run on


def compact(data):
    """Drop empty values: schema.org readers treat a missing property better than an empty one."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}
