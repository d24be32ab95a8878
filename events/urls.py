from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/<slug:slug>/", views.meeting_detail, name="meeting_detail"),
    path("<slug:slug>/", views.event_detail, name="event_detail"),
    path("<slug:slug>/<slug:section>/", views.event_section, name="event_section"),
]
