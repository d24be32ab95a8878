"""Database outages: the orchestrator's health check, and the page readers get meanwhile.

``/healthz`` (answered by :class:`allmep.middleware.HealthCheckMiddleware`) runs one trivial
query: 200 ``{"status": "ok", "database": "ok"}``, or 503 with ``"database": "unavailable"``.

:func:`server_error` is the project's ``handler500``. Django turns an exception raised anywhere
in a request (a view, a template, the content stamp read by ``records.caching``'s middleware,
the session saved on the way out) into a response before the next middleware out sees it, and
every path ends here, in the ``except`` block that caught the exception. A database that cannot
be reached (``OperationalError``, ``InterfaceError``) gives a 503 page in the reader's language
with ``Retry-After``, rendered without the database; anything else keeps Django's 500 page.
Django logs either with its traceback (``django.request``), so an outage stays visible.

Nothing is lost by an outage: the admin saves in one transaction, so an edit was either
committed before its success response, or it is refused with this page. The page tells the
editor the edit was not saved and shows the text they sent, to copy back once the site answers.
"""

import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views import defaults

from records.forms import EDIT_VERSION_SEEN, VERSION_SEEN

UNREACHABLE = (OperationalError, InterfaceError)

# Form fields that are bookkeeping, not something an editor typed.
NOT_TYPED = {"csrfmiddlewaretoken", EDIT_VERSION_SEEN, VERSION_SEEN}
FORMSET_MANAGEMENT = ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")


def retry_after():
    return settings.RELIABILITY["RETRY_AFTER"]


def database_available():
    """One trivial query on the default database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def healthz(request):
    if database_available():
        response = JsonResponse({"status": "ok", "database": "ok"})
    else:
        response = JsonResponse({"status": "unavailable", "database": "unavailable"}, status=503)
        response["Retry-After"] = retry_after()
    add_never_cache_headers(response)
    return response


def server_error(request, *args, **kwargs):
    """handler500: a 503 for an unreachable database, Django's 500 page otherwise."""
    if isinstance(sys.exc_info()[1], UNREACHABLE):
        return service_unavailable(request)
    return defaults.server_error(request, *args, **kwargs)


def service_unavailable(request):
    if is_api(request):
        response = JsonResponse(
            {"detail": _("The record is unavailable for a moment. Please try again in a few minutes.")},
            status=503,
        )
    else:
        html = loader.get_template("503.html").render({"sent": typed_fields(request)})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = retry_after()
    add_never_cache_headers(response)
    return response


def is_api(request):
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return "api" in match.namespaces
    return request.path_info.startswith("/api/")


def typed_fields(request):
    """``[(name, value)]`` of what an editor sent in a form that could not be saved.

    Only for a POST that passed the CSRF check, whose body Django has therefore already read,
    and which came from the page of the user who will see this one; passwords, bookkeeping,
    numbers (keys, counters) and empty fields are left out.
    """
    if request.method != "POST" or not getattr(request, "csrf_processing_done", False):
        return []
    sent = []
    for name, values in request.POST.lists():
        if name in NOT_TYPED or name.startswith("_") or "password" in name or name.endswith(FORMSET_MANAGEMENT):
            continue
        sent.extend((name, value) for value in values if value.strip() and not value.strip().isdigit())
    return sent
