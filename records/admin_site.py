"""The staff admin site: its titles, and the content editors come for listed first."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import kinds


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
        # The others (accounts, login security) follow in Django's alphabetical order.
        position = {label: index for index, label in enumerate(content_apps())}
        return sorted(apps, key=lambda app: position.get(app["app_label"], len(position)))
