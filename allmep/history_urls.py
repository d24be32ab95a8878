from django.urls import path

from . import memento, views
from .recent_changes import record_changes_feed

# The history pages of published records (allmep.views).
app_name = "records"

urlpatterns = [
    path("<str:label>/<int:pk>/", views.record_history, name="history"),
    path("<str:label>/<int:pk>/diff/", views.version_diff, name="diff"),
    path("<str:label>/<int:pk>/feed/", record_changes_feed, name="feed"),
    # A record's page as it was in one of its published versions: its permanent link.
    path("<str:label>/<int:pk>/versions/<int:version>/", views.record_version, name="version"),
    # The TimeMap of a record's page (Memento, RFC 7089): its versions in link-format.
    path("timemap/<str:kind>/<str:identifier>/", memento.timemap, name="timemap"),
]
