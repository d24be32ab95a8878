""" "Cite this page": a record's page as a CSL-JSON item, and the box that offers it."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from citations.formats import date_parts
from records import kinds
from records.history import latest_public_version

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


def version_page_url(record, version):
    """The permanent link of ``record``'s page as it was in ``version`` (allmep's history pages)."""
    return reverse(
        "records:version", kwargs={"label": record._meta.label_lower, "pk": record.pk, "version": version.pk}
    )


def record_shown(record, old_version=None):
    """The record a page shows, as it is now: on a version's page (``old_version`` in the context,
    allmep.views.record_version) the record whose version it is, else ``record`` itself."""
    return old_version["record"] if old_version else record


def version_shown(record, old_version=None):
    """The version of ``record``'s page the reader is reading, as "cite this" and the page's
    metadata name it: on a version's page that version, else the record's latest published
    version (None if it has none)."""
    return old_version["version"] if old_version else latest_public_version(record)


def shown_page_item(record, old_version=None, absolute=str):
    """The page of ``record`` as the reader reads it, as a CSL-JSON item: the version shown at its
    permanent link, dated by that version and titled as the record was then; the current page if
    the record has no published version. ``absolute`` makes a path an absolute URL."""
    current = record_shown(record, old_version)
    version = version_shown(current, old_version)
    if version is None:
        return page_item(current, absolute(current.get_absolute_url()))
    return version_item(current, version, absolute(version_page_url(current, version)), title=record)
