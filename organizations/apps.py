from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Organizations and people")

    def ready(self):
        from records import kinds

        from .kinds import KINDS

        kinds.register(*KINDS)
