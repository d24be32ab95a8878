"""The staff admin site: its titles, the content editors come for listed first, and the reports of
the translation status."""

from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import kinds, proposals, translation_admin


def content_apps():
    """The apps editors work in, in the order their kinds of record are registered."""
    return list(dict.fromkeys(kind.model._meta.app_label for kind in kinds.all_kinds()))


class StaffAdminSite(admin.AdminSite):
    site_header = _("ALLMEP record: staff")
    site_title = _("ALLMEP record staff")
    index_title = _("Records, sources and citations")

    def get_app_list(self, request, app_label=None):
        """The index and the sidebar: content first."""
        apps = super().get_app_list(request, app_label)
        # Then the proposed changes waiting for review (this app's); the others (accounts, login
        # security) follow in Django's alphabetical order.
        position = {label: index for index, label in enumerate([*content_apps(), "records"])}
        return sorted(apps, key=lambda app: position.get(app["app_label"], len(position)))

    def each_context(self, request):
        # Every admin page tells editors how their proposed changes were reviewed, once.
        proposals.tell_authors(request)
        return super().each_context(request)

    def get_urls(self):
        report = path(
            "translation-status/<str:language>/",
            self.admin_view(self.translation_report),
            name="translation_status",
        )
        return [report, *super().get_urls()]

    def translation_report(self, request, language):
        """The fields behind, or missing, in one language (staff who may change a translated kind)."""
        return translation_admin.report_view(self, request, language)

    def index(self, request, extra_context=None):
        """The index, with the reports of the translation status for those who may change a translated kind."""
        reports = translation_admin.report_links() if translation_admin.reported_admins(self, request) else []
        return super().index(request, {"translation_reports": reports, **(extra_context or {})})
