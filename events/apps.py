from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events and meetings")

    def ready(self):
        from records import versioning

        versioning.register(self.get_model("Event"), follow=("participants", "partners"))
        versioning.register(self.get_model("EventParticipant"))
        versioning.register(self.get_model("EventPartner"))
        versioning.register(self.get_model("Meeting"))
