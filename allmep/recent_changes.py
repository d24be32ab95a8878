"""Recent changes: the public versions of published records, newest first, and their Atom feeds.

What is listed is what the public history pages list (``records.changes``: versions saved while
their record was published, of records published now), one row per version: when, which record,
a link to the diff of that version (``records:diff`` with ``to``), which fields changed in which
languages, and the edit summary; editors' names for staff only, as on the history pages. The
page filters by kind of record (the registry's kinds with a history) and by the language of the
changed fields. The site-wide feed takes the same filters; each record's history has its own feed.
"""

import django_filters
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.syndication.views import Feed
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import get_language_info, gettext_lazy, ngettext, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from organizations.filters import ANY, filtered_page
from records import changes, kinds
from records.models import Change
from records.query_strings import carried_query

from .pages import bad_request
from .views import history_url, published_record, record_page_url, record_title

PER_PAGE = 50
# Entries in a feed: the newest ones (a feed is polled; older changes are on the pages).
FEED_ENTRIES = 50


def kind_choices():
    return [(label, capfirst(kind.model._meta.verbose_name_plural)) for label, kind in changes.kind_choices()]


def language_choices():
    return [(code, get_language_info(code)["name_translated"]) for code, _name in settings.LANGUAGES]


class ChangeFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        empty_label=ANY, label=gettext_lazy("Kind of record"), choices=kind_choices, method="filter_kind"
    )
    language = django_filters.ChoiceFilter(
        empty_label=ANY, label=gettext_lazy("Language"), choices=language_choices, method="filter_language"
    )

    class Meta:
        model = Change
        fields = ["kind", "language"]

    def filter_kind(self, queryset, name, value):
        return queryset.filter(content_type=ContentType.objects.get_for_model(kinds.kind_of_label(value).model))

    def filter_language(self, queryset, name, value):
        return queryset.filter(languages__contains=f" {value} ")


def listed(queryset):
    """The rows of a list of changes: their version's revision (and its author), not its data."""
    return queryset.select_related("version__revision__user").defer("version__serialized_data", "version__object_repr")


def describe(change):
    """What a change changed, as one line: "Name (Arabic, Hebrew) · Website · 2 citations"; the first
    public version of a record is all new, and says so."""
    if change.previous_id is None:
        return _("first published version")
    separator = pgettext("list separator", ", ")
    parts = [
        _("%(field)s (%(languages)s)") % {"field": field.label, "languages": separator.join(field.language_names)}
        if field.languages
        else field.label
        for field in changes.summary(change)
    ]
    if change.citations:
        parts.append(
            ngettext("%(count)s citation", "%(count)s citations", change.citations) % {"count": change.citations}
        )
    return " · ".join(parts) if parts else _("no field readers see")


def rows_of(change_list):
    """A row for each change: its record (read once per kind, whatever the number of rows), the
    record's title and page, the diff of the version and what it changed."""
    change_list = list(change_list)
    wanted = {}
    for change in change_list:
        wanted.setdefault(change.content_type_id, set()).add(change.object_id)
    records = {}
    for content_type_id, keys in wanted.items():
        kind = kinds.kind_of(ContentType.objects.get_for_id(content_type_id).model_class())
        related = {name for name in (kind.within, kind.page_of) if name}
        for record in kind.model.objects.select_related(*related).filter(pk__in=keys):
            records[content_type_id, str(record.pk)] = record
    rows = []
    for change in change_list:
        record = records.get((change.content_type_id, change.object_id))
        if record is None:  # unpublished or deleted since the list was read
            continue
        label = record._meta.label_lower
        diff = reverse("records:diff", kwargs={"label": label, "pk": record.pk})
        rows.append(
            {
                "change": change,
                "revision": change.version.revision,
                "record": record,
                "kind": capfirst(record._meta.verbose_name),
                "title": record_title(record),
                "url": record_page_url(record),
                "history_url": history_url(record),
                "diff_url": f"{diff}?to={change.version_id}",
                "summary": describe(change),
            }
        )
    return rows


def feed_url(request):
    """The site-wide feed, with the filters of the page asking."""
    query = carried_query(request, drop=("page",)).urlencode()
    return reverse("recent_changes_feed") + (f"?{query}" if query else "")


@require_safe
def recent_changes(request):
    filterset, page, status = filtered_page(request, ChangeFilter, listed(changes.public_changes()), PER_PAGE)
    return render(
        request,
        "records/recent_changes.html",
        {
            "filterset": filterset,
            "page": page,
            "rows": rows_of(page.object_list),
            "feed_url": feed_url(request),
            "show_editors": request.user.is_staff,
            "seo_noindex": True,
        },
        status=status,
    )


def entry_html(row):
    """An entry's text in a feed (HTML, escaped): what changed and the edit summary."""
    comment = row["revision"].comment or _("(no summary)")
    return format_html("<p>{} {}</p><p>{} {}</p>", _("What changed:"), row["summary"], _("Edit summary:"), comment)


class ChangesFeed(Feed):
    """What both feeds share: Atom, entries linking the diff of each version, no editor names."""

    feed_type = Atom1Feed

    def author_name(self):
        return _("ALLMEP record")

    def item_link(self, row):
        return row["diff_url"]

    def item_description(self, row):
        return entry_html(row)

    def item_pubdate(self, row):
        return row["change"].date

    def item_updateddate(self, row):
        return row["change"].date

    def item_categories(self, row):
        return [row["kind"]]


class RecentChangesFeed(ChangesFeed):
    def get_object(self, request):
        return request

    def title(self, request):
        return _("Recent changes — ALLMEP record")

    def subtitle(self, request):
        return _("Changes to the published record of the Alliance for Middle East Peace, newest first.")

    def link(self, request):
        query = carried_query(request, drop=("page",)).urlencode()
        return reverse("recent_changes") + (f"?{query}" if query else "")

    def feed_url(self, request):
        return feed_url(request)

    def items(self, request):
        return rows_of(listed(request.filtered_changes)[:FEED_ENTRIES])

    def item_title(self, row):
        return f"{row['title']}: {row['summary']}"


class RecordChangesFeed(ChangesFeed):
    def get_object(self, request, label, pk):
        return published_record(label, pk)

    def title(self, record):
        return _("Changes to “%(title)s” — ALLMEP record") % {"title": record_title(record)}

    def subtitle(self, record):
        return _("The published versions of “%(title)s” and what changed in each.") % {"title": record_title(record)}

    def link(self, record):
        return history_url(record)

    def feed_url(self, record):
        return reverse("records:feed", kwargs={"label": record._meta.label_lower, "pk": record.pk})

    def items(self, record):
        return rows_of(listed(changes.of_record(record))[:FEED_ENTRIES])

    def item_title(self, row):
        return row["summary"]


@require_safe
def recent_changes_feed(request):
    filterset = ChangeFilter(request.GET or None, queryset=changes.public_changes())
    if filterset.is_bound and not filterset.is_valid():
        message = format_html_join(" ", "{}", ((error,) for errors in filterset.errors.values() for error in errors))
        return bad_request(request, message)
    request.filtered_changes = filterset.qs
    return RecentChangesFeed()(request)


record_changes_feed = require_safe(RecordChangesFeed())
