from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events and meetings")

    def ready(self):
        from records import kinds

        from .kinds import KINDS

        kinds.register(*KINDS)
