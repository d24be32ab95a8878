"""The API's own answers; each kind's endpoints are its app's (``<app>/api.py``, registered with the kind)."""

from django.http import JsonResponse
from django.utils.translation import gettext as _


def not_found(request, path=""):
    """Any other address under /api/ answers in JSON, like the API itself."""
    return JsonResponse({"detail": _("Not found.")}, status=404)
