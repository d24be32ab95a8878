"""The site itself as an app (its template tags and commands), and how the project installs two
apps it does not own: Django's admin (with our admin site) and django-axes (with a name editors
can read)."""

from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    name = "allmep"
    verbose_name = _("Site")


class StaffAdminConfig(AdminConfig):
    default_site = "records.admin_site.StaffAdminSite"


class AxesConfig(AxesAppConfig):
    # django-axes names no app, so the admin showed its label: "Axes".
    verbose_name = _("Login security")
