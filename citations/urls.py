from django.urls import path

from . import views

app_name = "citations"

urlpatterns = [
    path("", views.source_list, name="source_list"),
    path("<slug:key>/", views.source_detail, name="source_detail"),
    path("<slug:key>/<slug:section>/", views.source_section, name="source_section"),
]
