"""The translation status in the staff admin: a panel on change forms, a changelist filter and a
report per language (:mod:`records.translation_status` keeps what they read).

Only staff who may change a kind of record see any of it for that kind; Researchers, who only
read, see nothing of it.
"""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Case, Count, IntegerField, When
from django.http import Http404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _

from . import translation_status
from .languages import LANGUAGE_CODES
from .query_strings import BadRequest

PANEL = "translation_status"
FILTER_PARAMETER = "translation"
REPORT_ROWS_PER_PAGE = 100


def language_name(code):
    return get_language_info(code)["name_translated"]


def behind_label(code):
    return gettext("%(language)s behind or missing") % {"language": language_name(code)}


class NeedsTranslationFilter(admin.SimpleListFilter):
    """Records that need translation: a translated field behind, or missing, in one language."""

    # Django prints it after "By": "By translation status".
    title = _("translation status")
    parameter_name = FILTER_PARAMETER

    def lookups(self, request, model_admin):
        return [(code, behind_label(code)) for code in LANGUAGE_CODES]

    def queryset(self, request, queryset):
        language = self.value()
        if language is None:
            return queryset
        if language not in LANGUAGE_CODES:
            raise BadRequest(
                gettext("“%(value)s” is not a language of the record; choose one of %(languages)s.")
                % {"value": language, "languages": ", ".join(LANGUAGE_CODES)}
            )
        return queryset.filter(pk__in=translation_status.ids_needing(queryset.model, language))


class TranslationStatusMixin:
    """What the admin of a translated model shows of its translation status, to those who may change it."""

    def shows_translation_status(self, request, obj=None):
        return bool(translation_status.tracked_fields(self.model)) and self.has_change_permission(request, obj)

    def translation_status_fieldset(self, request, obj):
        if obj is None or obj.pk is None or not self.shows_translation_status(request, obj):
            return []
        description = _(
            "From this record's history: a language is behind when another one changed after it, and "
            "missing when it is empty while another one has a value."
        )
        return [
            (
                _("Translation status"),
                {"fields": [PANEL], "classes": ("translation-status",), "description": description},
            )
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and PANEL not in fields and self.shows_translation_status(request, obj):
            fields.append(PANEL)
        return fields

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if self.shows_translation_status(request):
            filters.append(NeedsTranslationFilter)
        return filters

    @admin.display(description=_("translated fields"))
    def translation_status(self, obj):
        return render_to_string(
            "admin/translation_status/panel.html",
            {
                "fields": translation_status.statuses(obj),
                "followed": translation_status.followed_statuses(obj),
                "report_urls": report_links(),
            },
        )

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except BadRequest as error:
            context = {**self.admin_site.each_context(request), "opts": self.opts, "error": str(error)}
            return TemplateResponse(request, "admin/translation_status/bad_request.html", context, status=400)


def report_links(current=None):
    return [
        {"language": code, "label": behind_label(code), "url": report_url(code), "current": code == current}
        for code in LANGUAGE_CODES
    ]


def report_url(language):
    return reverse("admin:translation_status", kwargs={"language": language})


def reported_admins(site, request):
    """{content type id: model admin} of the translated kinds ``request``'s user may change, in the admin's order."""
    admins = {}
    for model, model_admin in site._registry.items():
        if translation_status.tracked_fields(model) and model_admin.has_change_permission(request):
            admins[ContentType.objects.get_for_model(model).pk] = model_admin
    return admins


def report_view(site, request, language):
    """The fields behind, or missing, in ``language``, record by record, each linking to its change form."""
    if language not in LANGUAGE_CODES:
        raise Http404(gettext("The record is not written in “%(language)s”.") % {"language": language})
    admins = reported_admins(site, request)
    if not admins:
        raise PermissionDenied
    number = request.GET.get("page", "1")
    context = {
        **site.each_context(request),
        "title": gettext("Translation status: %(label)s") % {"label": behind_label(language)},
        "language": language,
        "language_name": language_name(language),
        "reports": report_links(language),
    }
    if not number.isascii() or not number.isdigit() or int(number) < 1:
        context["error"] = gettext("“%(value)s” is not a page number.") % {"value": number}
        return TemplateResponse(request, "admin/translation_status/report.html", context, status=400)
    # Kinds in the admin's order, then records by key and fields in a fixed order.
    position = Case(
        *(When(content_type_id=pk, then=index) for index, pk in enumerate(admins)), output_field=IntegerField()
    )
    needing = translation_status.needing(language).filter(content_type_id__in=list(admins))
    by_kind = (
        needing.order_by()
        .values("content_type_id")
        .annotate(records=Count("object_id", distinct=True), fields=Count("pk"))
        .values_list("content_type_id", "records", "fields")
    )
    counts, total = {}, 0
    for content_type_id, records, fields in by_kind:
        counts[content_type_id] = records
        total += fields
    ordered = needing.annotate(position=position).order_by("position", "object_id", "field")
    paginator = Paginator(ordered.values_list("content_type_id", "object_id", "field"), REPORT_ROWS_PER_PAGE)
    paginator.count = total  # counted above, with the records of each kind
    try:
        page = paginator.page(int(number))
    except EmptyPage:
        raise Http404(gettext("This report has no page %(number)s.") % {"number": number}) from None
    entries = list(page.object_list)
    context.update(
        page=page,
        kinds=[
            {
                "name": model_admin.opts.verbose_name_plural,
                "records": counts[pk],
                "url": reverse(f"{site.name}:{model_admin.opts.app_label}_{model_admin.opts.model_name}_changelist")
                + f"?{FILTER_PARAMETER}={language}",
            }
            for pk, model_admin in admins.items()
            if counts.get(pk)
        ],
        groups=report_groups(site, request, admins, entries),
    )
    return TemplateResponse(request, "admin/translation_status/report.html", context)


def report_groups(site, request, admins, entries):
    """The page's entries, by kind and record: [{kind, records: [{object, url, fields}]}]."""
    pairs = list(dict.fromkeys((content_type_id, object_id) for content_type_id, object_id, _field in entries))
    rows = translation_status.rows_of(pairs)
    objects = {}
    for content_type_id in dict.fromkeys(pk for pk, _id in pairs):
        model_admin = admins[content_type_id]
        queryset = model_admin.get_queryset(request)
        if isinstance(model_admin.list_select_related, (list, tuple)) and model_admin.list_select_related:
            queryset = queryset.select_related(*model_admin.list_select_related)
        ids = [object_id for pk, object_id in pairs if pk == content_type_id]
        for object_id, obj in queryset.in_bulk(ids).items():
            objects[(content_type_id, object_id)] = obj
    groups = []
    for content_type_id, object_id, name in entries:
        obj = objects.get((content_type_id, object_id))
        if obj is None:  # deleted without a signal (SQL): nothing to link to
            continue
        model_admin = admins[content_type_id]
        if not groups or groups[-1]["content_type_id"] != content_type_id:
            groups.append(
                {"content_type_id": content_type_id, "kind": model_admin.opts.verbose_name_plural, "records": []}
            )
        records = groups[-1]["records"]
        if not records or records[-1]["object"] is not obj:
            opts = model_admin.opts
            records.append(
                {
                    "object": obj,
                    "url": reverse(f"{site.name}:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
                    "fields": [],
                }
            )
        field_rows = rows.get((content_type_id, object_id), {})
        records[-1]["fields"] += translation_status.field_statuses(type(obj), {name: field_rows.get(name, {})})
    return groups
