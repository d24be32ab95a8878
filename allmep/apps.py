"""How the project installs two apps it does not own: Django's admin (with our admin site) and
django-axes (with a name editors can read)."""

from axes.apps import AppConfig as AxesAppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class StaffAdminConfig(AdminConfig):
    default_site = "records.admin_site.StaffAdminSite"


class AxesConfig(AxesAppConfig):
    # django-axes names no app, so the admin showed its label: "Axes".
    verbose_name = _("Login security")
