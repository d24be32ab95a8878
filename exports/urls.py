from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("", views.index, name="index"),
    path("datapackage.zip", views.datapackage_download, name="datapackage"),
    path("popolo.json", views.popolo_download, name="popolo"),
    path("citations/sources.<str:format>", views.all_sources_citation, name="all_sources_citation"),
    path("citations/source/<slug:key>.<str:format>", views.source_citation, name="source_citation"),
    path("citations/<str:kind>/<slug:identifier>.<str:format>", views.page_citation, name="page_citation"),
    path(
        "citations/<str:kind>/<slug:identifier>/versions/<int:version>.<str:format>",
        views.version_citation,
        name="version_citation",
    ),
    path("pdf/article.pdf", views.article_pdf, name="article_pdf"),
    path("pdf/<str:kind>/<slug:identifier>.pdf", views.page_pdf, name="page_pdf"),
    path("<str:table>.<str:format>", views.table_export, name="table"),
]
