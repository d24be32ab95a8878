"""Reader history of published records (like a wiki's "View history"), robots.txt and the icon.

History pages (of the kinds registered with ``history``) list the versions saved while a
record was published and show what changed between two of them with ``records.history``,
the project's one diff mechanism. Versions saved while a record was a draft are drafts too:
readers never see them.
"""

from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from citations.models import attach_citations_as_they_were
from records import history, kinds
from records.history import public_versions
from records.query_strings import BadRequest, int_parameter
from records.versioning import as_it_was

from .memento import memento_headers
from .pages import bad_request, not_found, version_url

VERSIONS_PER_PAGE = 50


def published_record(label, pk):
    """The published record behind a history URL, or 404."""
    kind = kinds.kind_of_label(label)
    if kind is None or not kind.history:
        raise Http404(_("No history is kept for this kind of page."))
    record = kind.model.objects.published().filter(pk=pk, **kind.published_within()).first()
    if record is None:
        raise Http404(_("No published record has this number."))
    return record


def record_page_url(record):
    """Where the record itself is read: its page, or the page of the record it is shown within."""
    kind = kinds.kind_of(record)
    return kind.page_record(record).get_absolute_url()


def record_title(record):
    """The record's name, after the name of the record it is shown within (a section's organization)."""
    kind = kinds.kind_of(record)
    return f"{getattr(record, kind.within)} — {record}" if kind.within else str(record)


def has_public_history(record):
    kind = kinds.kind_of(record)
    return kind is not None and kind.history and record.is_published


def history_url(record):
    return reverse("records:history", kwargs={"label": record._meta.label_lower, "pk": record.pk})


def time_element(moment):
    """A moment as readers of the active language read it, in a <time> element."""
    moment = timezone.localtime(moment)
    return format_html(
        '<time datetime="{}">{}</time>', moment.isoformat(timespec="seconds"), date_format(moment, "DATETIME_FORMAT")
    )


@require_safe
def record_history(request, label, pk):
    record = published_record(label, pk)
    versions = public_versions(record)
    try:
        page_number = int_parameter(request, "page", required=False) or 1
        page = Paginator(versions, VERSIONS_PER_PAGE).page(page_number)
    except BadRequest as error:
        return bad_request(request, error)
    except EmptyPage:
        raise Http404(_("This history has no page %(number)s.") % {"number": page_number}) from None
    # Each row links to its changes from the version before it (the next one in the list).
    offset = page.start_index() - 1
    # Each date opens the page as it was in that version (record_version).
    has_pages = kinds.kind_of(record).version_page is not None
    rows = [
        {
            "version": version,
            "previous": versions[offset + i + 1] if offset + i + 1 < len(versions) else None,
            "url": version_url(record, version) if has_pages else "",
        }
        for i, version in enumerate(page.object_list)
    ]
    return render(
        request,
        "records/history.html",
        {
            "record": record,
            "record_title": record_title(record),
            "record_url": record_page_url(record),
            "diff_url": reverse("records:diff", kwargs={"label": label, "pk": record.pk}),
            "feed_url": reverse("records:feed", kwargs={"label": label, "pk": record.pk}),
            "page": page,
            "rows": rows,
            "latest": versions[0] if versions else None,
            "show_editors": request.user.is_staff,
            "seo_noindex": True,
        },
    )


@require_safe
def version_diff(request, label, pk):
    record = published_record(label, pk)
    try:
        to_id = int_parameter(request, "to")
        from_id = int_parameter(request, "from", required=False)
    except BadRequest as error:
        return bad_request(request, error)
    versions = public_versions(record)
    by_id = {version.pk: version for version in versions}
    new = by_id.get(to_id)
    if new is None or (from_id is not None and from_id not in by_id):
        raise Http404(_("This record has no published version with that number."))
    if from_id is None:
        # Without "from": the changes made by "to" itself, against the version before it.
        position = versions.index(new)
        old = versions[position + 1] if position + 1 < len(versions) else None
    else:
        old = by_id[from_id]
    return render(
        request,
        "records/diff.html",
        {
            "record": record,
            "record_title": record_title(record),
            "record_url": record_page_url(record),
            "history_url": history_url(record),
            "old": old,
            "new": new,
            "changes": history.diff(old, new, public=True),
            "citation_changes": history.citation_changes(old, new, public=True),
            "show_editors": request.user.is_staff,
            "seo_noindex": True,
        },
    )


@require_safe
def record_version(request, label, pk, version):
    """A record's page as it was in one of its published versions (its permanent link).

    Built from the version's stored data without writing anything (records.versioning.as_it_was),
    by the kind's own page (``RecordKind.version_page``), under a banner saying it is an old version,
    and never indexed. Versions saved while the record was a draft, and versions of other records,
    are not found.
    """
    try:
        record = published_record(label, pk)
    except Http404 as error:
        return not_found(request, str(error))
    kind = kinds.kind_of(record)
    versions = public_versions(record)
    position = next((index for index, item in enumerate(versions) if item.pk == version), None)
    if position is None or kind.version_page is None:
        return not_found(request, _("This record has no published version with that number."))
    chosen = versions[position]
    old, instances = as_it_was(chosen)
    attach_citations_as_they_were(instances)
    template, context = kind.version_page(old)
    newer = versions[position - 1] if position > 0 else None
    older = versions[position + 1] if position + 1 < len(versions) else None
    diff_url = reverse("records:diff", kwargs={"label": label, "pk": record.pk})
    context["old_version"] = {
        "version": chosen,
        "when": time_element(chosen.revision.date_created),
        "current_url": record_page_url(record),
        "history_url": history_url(record),
        "changes_since_url": f"{diff_url}?from={chosen.pk}&to={versions[0].pk}" if newer else "",
        "newer_url": version_url(record, newer) if newer else "",
        "older_url": version_url(record, older) if older else "",
        "record": record,
    }
    context["seo_noindex"] = True
    return memento_headers(request, render(request, template, context), record, versions, chosen)


@require_safe
def favicon(request):
    """For clients that ask /favicon.ico rather than read the icon the pages link (the admin's pages)."""
    return redirect(static("favicon.svg"))


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /*/admin/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
