""" "Cite this page": a record's page as a CSL-JSON item, and the box that offers it."""

from django.utils import timezone
from django.utils.translation import get_language

from citations.formats import date_parts
from records import kinds

from .metadata import TITLE, attribution


def citable_kind(name):
    """The kind whose pages "Cite this page" offers, by the name citation URLs give it; or None."""
    kind = kinds.named(name)
    return kind if kind is not None and kind.citable else None


def citable_name(record):
    """The name citation URLs give the record's kind, or None if its page is not offered."""
    kind = kinds.kind_of(record)
    return kind.name if kind is not None and kind.citable else None


def page_item(record, url):
    """The record's page in the active language, as it stands now (its last change)."""
    kind = citable_name(record)
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
