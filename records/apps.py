from django.apps import AppConfig
from django.db import connections
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = _("Records")

    def ready(self):
        from . import caching, changes, checks, signals, translation_status  # noqa: F401
        from .expressions import register_sqlite_functions

        changes.connect()
        connection_created.connect(register_sqlite_functions, dispatch_uid="records.sqlite_functions")
        for connection in connections.all(initialized_only=True):  # opened before this app was ready
            if connection.connection is not None:
                register_sqlite_functions(None, connection)
