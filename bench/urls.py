"""The site's URLs plus the trivial view the benchmark compares every page with (never in production)."""

from django.http import HttpResponse
from django.urls import path

from allmep.urls import urlpatterns as site_urlpatterns


def trivial(request):
    """The floor: Django's request cycle through the site's middleware, no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial), *site_urlpatterns]
