from django.urls import path

from . import views
from .recent_changes import record_changes_feed

# The history pages of published records (allmep.views).
app_name = "records"

urlpatterns = [
    path("<str:label>/<int:pk>/", views.record_history, name="history"),
    path("<str:label>/<int:pk>/diff/", views.version_diff, name="diff"),
    path("<str:label>/<int:pk>/feed/", record_changes_feed, name="feed"),
]
