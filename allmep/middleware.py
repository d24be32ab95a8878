"""Middleware of the reliability concern (see :mod:`allmep.health`)."""

from .health import healthz

HEALTH_PATH = "/healthz"


class HealthCheckMiddleware:
    """Answer ``/healthz`` before any other middleware runs.

    Place first. An orchestrator probes the container by its own address over plain HTTP: the
    answer must not depend on ALLOWED_HOSTS, an HTTPS redirect, sessions or the language, and it
    costs one query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.rstrip("/") == HEALTH_PATH and request.method in ("GET", "HEAD"):
            return healthz(request)
        return self.get_response(request)
