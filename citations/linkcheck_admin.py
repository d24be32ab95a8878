"""The link checker in the admin: check history, link-health filters and a "check now" action.

``citations.admin`` adds these to the source admin; the read-only :class:`LinkCheckAdmin` lists
every check of every source.
"""

from datetime import timedelta

from django.contrib import admin, messages
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from records.admin import EstimatedCountPaginator

from .linkcheck import ARCHIVE_KEPT, check_sources, config
from .models import INCONCLUSIVE_OUTCOMES, LinkCheck, LinkCheckOutcome, LinkOverride, LinkStatus

RECENT_CHECKS = 30
FAILURES = sorted(set(LinkCheckOutcome.values) - INCONCLUSIVE_OUTCOMES - {LinkCheckOutcome.OK})


def redirect_chain(check):
    if not check.redirects:
        return "—"
    return format_html_join(
        " → ", '<span dir="ltr">{} {}</span>', ((hop.get("status"), hop.get("url")) for hop in check.redirects)
    )


class ReadOnlyLogMixin:
    """Checks are log data: nobody adds, edits or deletes them by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        # Whoever may see sources may see how their links fared.
        return request.user.has_perm("citations.view_source") or request.user.has_perm("citations.change_source")


class LinkCheckInline(ReadOnlyLogMixin, admin.TabularInline):
    model = LinkCheck
    fields = ("checked_at", "outcome", "status_code", "method", "final_url", "hops", "error", "duration_ms")
    readonly_fields = fields
    extra = 0
    max_num = 0
    verbose_name_plural = _("link checks, newest first (the last %(count)d)") % {"count": RECENT_CHECKS}

    def get_queryset(self, request):
        recent = LinkCheck.objects.filter(source=OuterRef("source")).order_by("-checked_at", "-pk")
        return super().get_queryset(request).filter(pk__in=Subquery(recent.values("pk")[:RECENT_CHECKS]))

    @admin.display(description=_("redirects"))
    def hops(self, obj):
        return redirect_chain(obj)


@admin.register(LinkCheck)
class LinkCheckAdmin(ReadOnlyLogMixin, admin.ModelAdmin):
    # The check log grows every day: no exact counts of the whole table.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_display = ("checked_at", "source", "outcome", "status_code", "method", "url", "duration_ms")
    list_filter = ("outcome", "checked_at", "method")
    list_select_related = ("source",)
    search_fields = ("source__key", "url", "final_url")
    date_hierarchy = "checked_at"
    fields = (
        "source",
        "checked_at",
        "url",
        "outcome",
        "status_code",
        "method",
        "final_url",
        "hops",
        "error",
        "duration_ms",
    )
    readonly_fields = fields

    @admin.display(description=_("redirects"))
    def hops(self, obj):
        return redirect_chain(obj)


class LinkHealthFilter(admin.SimpleListFilter):
    title = _("link health")
    parameter_name = "link_health"

    def lookups(self, request, model_admin):
        return [
            ("dead-unarchived", _("dead, without an archived copy")),
            ("failing", _("failing, not yet dead")),
            ("never", _("never checked")),
            ("overridden", _("status set by an editor")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "dead-unarchived":
            return queryset.filter(link_status__in=[LinkStatus.DEAD, LinkStatus.USURPED], archive_url="")
        if value == "failing":
            latest = LinkCheck.objects.filter(source=OuterRef("pk"), url=OuterRef("url")).exclude(
                outcome__in=INCONCLUSIVE_OUTCOMES
            )
            return (
                queryset.annotate(link_last_outcome=Subquery(latest.order_by("-checked_at").values("outcome")[:1]))
                .filter(link_last_outcome__in=FAILURES, link_override=LinkOverride.NONE)
                .exclude(link_status__in=[LinkStatus.DEAD, LinkStatus.USURPED])
            )
        if value == "never":
            return queryset.exclude(url="").with_link_health().filter(link_last_checked_at__isnull=True)
        if value == "overridden":
            return queryset.exclude(link_override=LinkOverride.NONE)
        return queryset


class LastCheckFilter(admin.SimpleListFilter):
    title = _("last link check")
    parameter_name = "last_check"

    def lookups(self, request, model_admin):
        return [("week", _("in the past 7 days")), ("month-old", _("more than 30 days ago")), ("never", _("never"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "week":
            return queryset.with_link_health().filter(link_last_checked_at__gte=now - timedelta(days=7))
        if self.value() == "month-old":
            return queryset.with_link_health().filter(link_last_checked_at__lt=now - timedelta(days=30))
        if self.value() == "never":
            return queryset.with_link_health().filter(link_last_checked_at__isnull=True)
        return queryset


@admin.action(permissions=["change"], description=_("Check the links of the selected sources now"))
def check_links_now(modeladmin, request, queryset):
    limit = config()["ADMIN_MAX_SOURCES"]
    sources = list(queryset.exclude(url="")[: limit + 1])
    if not sources:
        modeladmin.message_user(request, _("None of the selected sources has a URL."), messages.WARNING)
        return
    if len(sources) > limit:
        message = _("Select at most %(count)d sources with a URL; the daily check takes care of the rest.")
        modeladmin.message_user(request, message % {"count": limit}, messages.ERROR)
        return
    counts = check_sources(sources)
    message = ngettext(
        "Checked %(count)d link: %(ok)d answered, %(failed)d failed, %(other)d inconclusive.",
        "Checked %(count)d links: %(ok)d answered, %(failed)d failed, %(other)d inconclusive.",
        counts["checked"],
    ) % {"count": counts["checked"], "ok": counts["ok"], "failed": counts["failed"], "other": counts["inconclusive"]}
    if counts["archived"]:
        message += " " + ngettext(
            "Found %(count)d archived copy.", "Found %(count)d archived copies.", counts["archived"]
        ) % {"count": counts["archived"]}
    kept = counts[ARCHIVE_KEPT]
    if kept:
        message += " " + ngettext(
            "The archive lists no copy of %(count)d source on the date an editor gave: the editor's date is kept.",
            "The archive lists no copy of %(count)d sources on the date an editor gave: the editors' dates are kept.",
            kept,
        ) % {"count": kept}
    modeladmin.message_user(request, message, messages.SUCCESS)
