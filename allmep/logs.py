"""Log records as JSON lines, for a log collector to read from stderr.

One object per line: ``time`` (UTC, ISO 8601), ``level``, ``logger``, ``message``; ``path``,
``method``, ``status`` and ``user_id`` when the record carries a request (Django's
``django.request`` logger passes it); ``exc_type``, ``exc_message`` and ``traceback`` when it
carries an exception. Configured in ``settings.LOGGING``.

Formatting never touches the database: the user is only named when the request already loaded
it, so logging an error during a database outage cannot raise a second one.
"""

import json
import logging
from datetime import UTC, datetime


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = getattr(record, "request", None)
        if request is not None:
            entry.update(request_fields(request))
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info and record.exc_info[0] is not None:
            exc_type, exc_value, _ = record.exc_info
            entry["exc_type"] = f"{exc_type.__module__}.{exc_type.__qualname__}"
            entry["exc_message"] = str(exc_value)
            entry["traceback"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def request_fields(request):
    fields = {"method": getattr(request, "method", None), "path": getattr(request, "path", None)}
    # AuthenticationMiddleware caches the user here once something asked for it; asking now
    # would query the session and user tables.
    user = getattr(request, "_cached_user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        fields["user_id"] = user.pk
    return fields
