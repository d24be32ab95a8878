"""Template tags for download links: a list's exports, the "cite this" box, a page as PDF."""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from citations import formats
from citations.models import Source
from records import kinds
from records.query_strings import carried_query

from ..citing import citable_name, page_item, record_shown, version_item, version_page_url, version_shown
from ..views import CONTENT_TYPES

register = template.Library()

FORMAT_LABELS = {"bib": _("BibTeX"), "ris": _("RIS"), "json": _("CSL-JSON")}
TABLE_FORMAT_LABELS = {"csv": _("CSV"), "xlsx": _("Excel (XLSX)"), "json": _("JSON")}


@register.simple_tag(takes_context=True)
def cite_this(context, record):
    """What the cite box shows: a ready reference and its downloads, or None if not citable.

    A source cites itself; any other record with a page cites that page, and the version of it
    the reader is reading at its permanent link (``version``): on a version's page
    (``old_version`` in the context, allmep.views.record_version) that version, else the
    record's latest published one.
    """
    request = context.get("request")
    old_version = context.get("old_version")
    current = record_shown(record, old_version)
    if isinstance(current, Source):
        # A source's box cites the document, as it is described now.
        item = formats.source_item(current)
        urls = [reverse("exports:source_citation", kwargs={"key": current.key, "format": f}) for f in FORMAT_LABELS]
        return {"text": formats.reference_text(item), "links": _labelled(urls)}
    kind = citable_name(current)
    if kind is None:
        return None
    absolute = request.build_absolute_uri if request else str
    item = page_item(current, absolute(current.get_absolute_url()))
    urls = [
        reverse("exports:page_citation", kwargs={"kind": kind, "identifier": current.slug, "format": f})
        for f in FORMAT_LABELS
    ]
    cite = {
        "text": formats.reference_text(item),
        "links": _labelled(urls),
        "version": None,
        "is_old": bool(old_version),
    }
    version = version_shown(current, old_version)
    if version is not None:
        permalink = absolute(version_page_url(current, version))
        version_urls = [
            reverse(
                "exports:version_citation",
                kwargs={"kind": kind, "identifier": current.slug, "version": version.pk, "format": f},
            )
            for f in FORMAT_LABELS
        ]
        cite["version"] = {
            "text": formats.reference_text(version_item(current, version, permalink, title=record)),
            "links": _labelled(version_urls),
            "url": permalink,
            "when": date_format(timezone.localtime(version.revision.date_created), "DATETIME_FORMAT"),
        }
    return cite


def _labelled(urls):
    return [(label, url) for label, url in zip(FORMAT_LABELS.values(), urls, strict=True)]


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


@register.simple_tag(takes_context=True)
def pdf_download(context, record, article=False):
    """The address of the PDF of the page being read (exports.pdf), or None: the coalition's
    article (``article``) or ``record``'s own page, as readers read it now; so none on a draft's
    preview or an old version's page."""
    if context.get("preview") or context.get("old_version"):
        return None
    if article:
        return reverse("exports:article_pdf")
    kind = kinds.kind_of(record)
    if kind is None or not kind.page:
        return None
    return reverse("exports:page_pdf", kwargs={"kind": kind.name, "identifier": getattr(record, kind.lookup)})
