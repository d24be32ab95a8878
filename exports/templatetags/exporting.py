"""Template tags for download links: a list's exports, and the "cite this" box."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from citations import formats
from citations.models import Source
from records.query_strings import carried_query

from ..citing import citable_name, page_item
from ..views import CONTENT_TYPES

register = template.Library()

FORMAT_LABELS = {"bib": _("BibTeX"), "ris": _("RIS"), "json": _("CSL-JSON")}
TABLE_FORMAT_LABELS = {"csv": _("CSV"), "xlsx": _("Excel (XLSX)"), "json": _("JSON")}


@register.simple_tag(takes_context=True)
def cite_this(context, record):
    """What the cite box shows: a ready reference and its downloads, or None if not citable.

    A source cites itself; any other record with a page cites that page.
    """
    request = context.get("request")
    if isinstance(record, Source):
        item = formats.source_item(record)
        urls = [reverse("exports:source_citation", kwargs={"key": record.key, "format": f}) for f in FORMAT_LABELS]
    else:
        kind = citable_name(record)
        if kind is None:
            return None
        page = record.get_absolute_url()
        item = page_item(record, request.build_absolute_uri(page) if request else page)
        urls = [
            reverse("exports:page_citation", kwargs={"kind": kind, "identifier": record.slug, "format": f})
            for f in FORMAT_LABELS
        ]
    return {
        "text": formats.reference_text(item),
        "links": [(label, url) for label, url in zip(FORMAT_LABELS.values(), urls, strict=True)],
    }


@register.simple_tag(takes_context=True)
def export_links(context, table):
    """Download links for a list, keeping the filters of the page they sit on."""
    request = context.get("request")
    query = carried_query(request, drop=["page"]) if request else None
    suffix = f"?{query.urlencode()}" if query else ""
    return [
        (label, reverse("exports:table", kwargs={"table": table, "format": format}) + suffix)
        for format, label in TABLE_FORMAT_LABELS.items()
        if format in CONTENT_TYPES
    ]
