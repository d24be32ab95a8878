from django.urls import path

from . import suggest, views

app_name = "organizations"

urlpatterns = [
    path("", views.home, name="home"),
    path("organizations/", views.organization_list, name="organization_list"),
    # Not a slug (the dot), so no organization's page is shadowed.
    path("organizations/suggest.json", suggest.organization_suggest, name="organization_suggest"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization_detail"),
    path("people/", views.person_list, name="person_list"),
    path("people/<slug:slug>/", views.person_detail, name="person_detail"),
]
