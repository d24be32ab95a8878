""" "Cite this page": a record's page as a CSL-JSON item, and the box that offers it."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

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


def version_item(record, version, url, title=None):
    """The record's page as it was in ``version`` (a published version), at its permanent link
    ``url``: dated by the version, titled as the record was then (``title``), with the version's
    number and moment, so a reference names exactly what was read."""
    kind = citable_name(record)
    moment = timezone.localtime(version.revision.date_created)
    when = date_format(moment, "DATETIME_FORMAT")
    return {
        "id": f"allmep-{kind}-{record.slug}-v{version.pk}",
        "type": "webpage",
        "title": str(title if title is not None else record),
        "container-title": str(TITLE),
        "language": get_language(),
        "issued": date_parts(moment.date()),
        "accessed": date_parts(timezone.localdate()),
        "URL": url,
        "version": str(version.pk),
        "custom": {
            "record-id": record.slug,
            "record-type": kind,
            "version-id": version.pk,
            "version-datetime": moment.isoformat(timespec="seconds"),
        },
        "note": _("The page as it was on %(when)s (version %(number)s).") % {"when": when, "number": version.pk}
        + " "
        + attribution(),
    }
