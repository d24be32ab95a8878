from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitationsConfig(AppConfig):
    name = "citations"
    verbose_name = _("Sources and citations")

    def ready(self):
        from records import kinds

        from . import linkcheck, references
        from .kinds import KINDS

        kinds.register(*KINDS)
        # Not versioned: derived from the prose of the records, rewritten on every save.
        references.connect()
        # A new or changed URL is checked, and its archived copy looked up, soon after the save.
        linkcheck.connect()
