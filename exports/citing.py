""" "Cite this page": a record's page as a CSL-JSON item, and the box that offers it."""

from django.utils import timezone
from django.utils.translation import get_language

from citations.formats import date_parts
from events.models import Event, Meeting
from organizations.models import Organization, Person

from .metadata import TITLE, attribution

# The kinds of record with a page of their own, as they appear in citation URLs.
CITABLE = {"organization": Organization, "person": Person, "event": Event, "meeting": Meeting}
KINDS = {model: kind for kind, model in CITABLE.items()}


def kind_of(record):
    return KINDS.get(type(record))


def page_item(record, url):
    """The record's page in the active language, as it stands now (its last change)."""
    kind = kind_of(record)
    return {
        "id": f"allmep-{kind}-{record.slug}",
        "type": "webpage",
        "title": str(record),
        "container-title": str(TITLE),
        "language": get_language(),
        "issued": date_parts(timezone.localtime(record.updated_at).date()),
        "accessed": date_parts(timezone.localdate()),
        "URL": url,
        "custom": {"record-id": record.slug, "record-type": kind, "edit-version": record.edit_version},
        "note": attribution(),
    }
