"""A URL configuration where events live elsewhere (tests/records/test_addresses.py)."""

from django.http import HttpResponse
from django.urls import include, path

events = ([path("<slug:slug>/", lambda request, slug: HttpResponse(slug), name="event_detail")], "events")
urlpatterns = [path("elsewhere/", include(events))]
