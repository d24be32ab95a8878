from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from records import kinds

from . import views

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_format_suffixes = False
for endpoint in kinds.api_endpoints():
    router.register(endpoint.prefix, endpoint.viewset, basename=endpoint.basename)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
    # Any other path, line breaks included, gets the API's JSON 404 rather than an HTML page.
    re_path(r"^(?P<path>[\s\S]*)$", views.not_found),
]
