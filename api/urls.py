from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_format_suffixes = False
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("events", views.EventViewSet, basename="event")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("people", views.PersonViewSet, basename="person")
router.register("sources", views.SourceViewSet, basename="source")
router.register("citations", views.CitationViewSet, basename="citation")
router.register("figures", views.ReportedFigureViewSet, basename="figure")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
    # Any other path, line breaks included, gets the API's JSON 404 rather than an HTML page.
    re_path(r"^(?P<path>[\s\S]*)$", views.not_found),
]
