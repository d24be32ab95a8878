from django.utils.translation import gettext as _
from rest_framework.views import exception_handler


def api_exception_handler(exc, context):
    """Every error as ``{"detail": message, "errors": {parameter: [messages]}}``."""
    response = exception_handler(exc, context)
    if response is not None and not (isinstance(response.data, dict) and "detail" in response.data):
        errors = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        errors = {key: value if isinstance(value, list) else [str(value)] for key, value in errors.items()}
        response.data = {"detail": _("Invalid parameters."), "errors": errors}
    return response
