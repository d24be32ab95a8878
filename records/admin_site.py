"""The staff admin site: its titles, and the content editors come for listed first."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

# The apps editors work in, in the order of their work; the others (accounts, login security)
# follow in Django's alphabetical order.
CONTENT_APPS = ("organizations", "events", "citations")


class StaffAdminSite(admin.AdminSite):
    site_header = _("ALLMEP record: staff")
    site_title = _("ALLMEP record staff")
    index_title = _("Records, sources and citations")

    def get_app_list(self, request, app_label=None):
        """The index and the sidebar: content first."""
        apps = super().get_app_list(request, app_label)
        position = {label: index for index, label in enumerate(CONTENT_APPS)}
        return sorted(apps, key=lambda app: position.get(app["app_label"], len(CONTENT_APPS)))
