"""Downloads: each public list as CSV, XLSX or JSON, the data package, citations, and pages as PDF."""

import io

from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from citations import formats
from citations.models import Source
from records import kinds
from records.history import public_versions
from records.versioning import as_it_was

from . import datapackage, pdf, popolo, writers
from .citing import citable_kind, page_item, version_item, version_page_url

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def base_url(request):
    return request.build_absolute_uri("/").rstrip("/")


def attachment(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def filtered(table, request):
    """The table's published rows filtered as the list page filters them, or the form's errors."""
    queryset = table.queryset()
    filterset_class = table.filterset_class
    if filterset_class is None:
        return queryset, None
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    if not filterset.is_valid():
        messages = [f"{field}: {' '.join(errors)}" for field, errors in filterset.errors.items()]
        return None, HttpResponseBadRequest(
            _("Invalid filter: %(errors)s") % {"errors": "; ".join(messages)}, content_type="text/plain; charset=utf-8"
        )
    return filterset.qs, None


@require_GET
def index(request):
    tables = [(name, table.title) for name, table in kinds.list_tables().items()]
    context = {
        "tables": tables,
        "formats": list(CONTENT_TYPES),
        "popolo_sources": popolo.SOURCES_DESCRIPTION,
        "popolo_dates": popolo.DATE_BOUNDS_DESCRIPTION,
    }
    return render(request, "exports/index.html", context)


@require_GET
def table_export(request, table, format):
    table = kinds.list_tables().get(table)
    if table is None or format not in CONTENT_TYPES:
        raise Http404(_("There is no such export."))
    queryset, error = filtered(table, request)
    if error:
        return error
    filename = f"allmep-{table.name}-{get_language()}.{format}"
    url = base_url(request)
    if format == "xlsx":
        response = FileResponse(writers.xlsx_file(table, queryset, url), content_type=CONTENT_TYPES[format])
    elif format == "csv":
        response = StreamingHttpResponse(writers.csv_lines(table, queryset, url), content_type=CONTENT_TYPES[format])
    else:
        response = StreamingHttpResponse(
            writers.json_lines(table, queryset, url, language=get_language()), content_type=CONTENT_TYPES[format]
        )
    return attachment(response, filename)


@require_GET
def datapackage_download(request):
    archive = datapackage.write_zip(base_url(request))
    filename = f"allmep-datapackage-{timezone.now():%Y-%m-%d}.zip"
    return attachment(FileResponse(archive, content_type="application/zip"), filename)


@require_GET
def popolo_download(request):
    """The published record in Popolo, in the language of the address (/<lang>/export/popolo.json)."""
    language = get_language()
    response = StreamingHttpResponse(popolo.chunks(language, base_url(request)), content_type=CONTENT_TYPES["json"])
    return attachment(response, f"allmep-{popolo.filename(language)}")


CITATION_FORMATS = {
    "bib": (formats.bibtex, "application/x-bibtex; charset=utf-8"),
    "ris": (formats.ris, "application/x-research-info-systems; charset=utf-8"),
    "json": (formats.csl_json, "application/vnd.citationstyles.csl+json; charset=utf-8"),
}


def citation_response(items, format, filename):
    if format not in CITATION_FORMATS:
        raise Http404(_("There is no such citation format."))
    write, content_type = CITATION_FORMATS[format]
    return attachment(HttpResponse(write(items), content_type=content_type), f"{filename}.{format}")


@require_GET
def source_citation(request, key, format):
    source = get_object_or_404(Source.objects.published(), key=key)
    return citation_response([formats.source_item(source)], format, source.key)


@require_GET
def all_sources_citation(request, format):
    items = [formats.source_item(source) for source in Source.objects.published().order_by("key")]
    return citation_response(items, format, "allmep-sources")


@require_GET
def page_citation(request, kind, identifier, format):
    """ "Cite this page": a record's page as a citable web page in the reader's language."""
    citable = citable_kind(kind)
    if citable is None:
        raise Http404(_("There is no such kind of record."))
    record = get_object_or_404(citable.model.objects.published(), **{citable.lookup: identifier})
    item = page_item(record, request.build_absolute_uri(record.get_absolute_url()))
    return citation_response([item], format, f"allmep-{kind}-{record.slug}-{get_language()}")


@require_GET
def version_citation(request, kind, identifier, format, version):
    """ "Cite this version": a record's page as it was in one of its published versions."""
    citable = citable_kind(kind)
    if citable is None:
        raise Http404(_("There is no such kind of record."))
    record = get_object_or_404(citable.model.objects.published(), **{citable.lookup: identifier})
    chosen = next((item for item in public_versions(record) if item.pk == version), None)
    if chosen is None:
        raise Http404(_("This record has no published version with that number."))
    old, _rows = as_it_was(chosen)
    url = request.build_absolute_uri(version_page_url(record, chosen))
    item = version_item(record, chosen, url, title=str(old))
    return citation_response([item], format, f"allmep-{kind}-{record.slug}-v{chosen.pk}-{get_language()}")


def pdf_kind(name):
    """The kind whose pages "Download as PDF" offers, by the name its URLs give it; or None."""
    kind = kinds.named(name)
    return kind if kind is not None and kind.page else None


def pdf_response(request, name, page_path, filename):
    """A page as a PDF attachment (exports.pdf): 404 if readers may not read it, 503 where
    WeasyPrint cannot run. A file response, so the page cache does not keep it a second time
    under its address: exports.pdf keeps it once, whatever query string asks for it."""
    try:
        document = pdf.page_pdf(request, name, page_path)
    except pdf.Unavailable:
        return render(request, "exports/pdf_unavailable.html", status=503)
    if document is None:
        raise Http404(_("There is no such page."))
    return FileResponse(io.BytesIO(document), content_type=pdf.CONTENT_TYPE, as_attachment=True, filename=filename)


@require_GET
def article_pdf(request):
    """The coalition's article (the home page) as PDF."""
    return pdf_response(
        request, "article", lambda: reverse("organizations:home"), f"allmep-article-{get_language()}.pdf"
    )


@require_GET
def page_pdf(request, kind, identifier):
    """A record's page as PDF, in the language of the address."""
    found = pdf_kind(kind)
    if found is None:
        raise Http404(_("There is no such kind of record."))

    def page_path():
        published = found.model.objects.published().filter(**found.published_within())
        record = published.filter(**{found.lookup: identifier}).first()
        return record.get_absolute_url() if record is not None else None

    return pdf_response(
        request, f"{found.name}:{identifier}", page_path, f"allmep-{found.name}-{identifier}-{get_language()}.pdf"
    )
