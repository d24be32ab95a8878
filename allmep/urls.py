"""URLs: reader pages under a language prefix (/ar/, /en/, /he/), machine endpoints without."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from search.suggest import organization_suggest

from .recent_changes import recent_changes, recent_changes_feed
from .sitemaps import sitemaps
from .views import favicon, robots_txt

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("api.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps()}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("favicon.ico", favicon, name="favicon"),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("search/", include("search.urls")),
    path("export/", include("exports.urls")),
    path("history/", include("allmep.history_urls")),
    path("recent-changes/", recent_changes, name="recent_changes"),
    path("recent-changes/feed/", recent_changes_feed, name="recent_changes_feed"),
    path("events/", include("events.urls")),
    path("sources/", include("citations.urls")),
    # Search's organization suggestions for the filters' boxes; not a slug (the dot), so no
    # organization's page is shadowed.
    path("organizations/suggest.json", organization_suggest, name="organization_suggest"),
    # Last: the home page (the coalition's article), organizations and people.
    path("", include("organizations.urls")),
)

# A database outage gives a 503 page with Retry-After, any other error the 500 page (allmep.health).
handler500 = "allmep.health.server_error"
