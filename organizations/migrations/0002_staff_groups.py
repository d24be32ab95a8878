"""The staff groups: Editors write drafts, Publishers also publish, Researchers only read.

Staff status (Django's default gate to the admin) is still given per user; a group grants
what a staff member may do there.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# The models editors work on, by app.
CONTENT_MODELS = {
    "organizations": ["organization", "membership", "reportedfigure", "person", "role", "articlesection", "proposal"],
    "events": ["event", "eventparticipant", "eventpartner", "meeting"],
    "citations": ["source", "citation"],
}
# Models whose Meta declares a publish_<model> permission (the others are published with their record).
PUBLISHABLE = {
    "organization",
    "membership",
    "reportedfigure",
    "person",
    "role",
    "articlesection",
    "proposal",
    "event",
    "meeting",
    "source",
}
GROUPS = ("Editors", "Publishers", "Researchers")


def create_groups(apps, schema_editor):
    alias = schema_editor.connection.alias
    # Permissions are normally created after migrate; this migration needs them now.
    for label in CONTENT_MODELS:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, using=alias, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(actions, publishable_only=False):
        found = []
        for app_label, models in CONTENT_MODELS.items():
            for model in models:
                if publishable_only and model not in PUBLISHABLE:
                    continue
                codenames = [f"{action}_{model}" for action in actions]
                found.extend(
                    Permission.objects.using(alias).filter(content_type__app_label=app_label, codename__in=codenames)
                )
        return found

    editing = permissions(("add", "change", "delete", "view"))
    publishing = permissions(("publish",), publishable_only=True)
    viewing = permissions(("view",))
    for name, granted in (("Editors", editing), ("Publishers", editing + publishing), ("Researchers", viewing)):
        group, _created = Group.objects.using(alias).get_or_create(name=name)
        group.permissions.add(*granted)


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("citations", "0003_link_checks"),
        ("events", "0002_initial"),
        ("organizations", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
