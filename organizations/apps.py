from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Organizations and people")

    def ready(self):
        from records import versioning

        for name in ("Organization", "Membership", "ReportedFigure", "Role", "ArticleSection", "Proposal"):
            versioning.register(self.get_model(name))
        # A person's roles are edited on the person's page: a version of the person holds them.
        versioning.register(self.get_model("Person"), follow=("roles",))
