"""sitemap.xml: every published page in every reader language, with hreflang alternates."""

from django.contrib.sitemaps import Sitemap
from django.urls import NoReverseMatch, reverse

from citations.models import Source
from events.models import Event, Meeting
from organizations.models import Organization, Person


class ReaderSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class RecordSitemap(ReaderSitemap):
    """The detail pages of one record type; drafts are never listed."""

    model = None

    def items(self):
        return self.model.objects.published().order_by("pk")

    def lastmod(self, record):
        return record.updated_at


class OrganizationSitemap(RecordSitemap):
    model = Organization
    priority = 0.8


class PersonSitemap(RecordSitemap):
    model = Person


class EventSitemap(RecordSitemap):
    model = Event


class MeetingSitemap(RecordSitemap):
    model = Meeting


class SourceSitemap(RecordSitemap):
    model = Source
    priority = 0.3


class SectionSitemap(ReaderSitemap):
    """The home page and the lists of each record type."""

    url_names = [
        "organizations:home",
        "organizations:organization_list",
        "organizations:person_list",
        "events:event_list",
        "events:meeting_list",
        "citations:source_list",
    ]

    def items(self):
        # Only pages the URL map has: a section not built yet is left out rather than a 500.
        names = []
        for name in self.url_names:
            try:
                reverse(name)
            except NoReverseMatch:
                continue
            names.append(name)
        return names

    def location(self, name):
        return reverse(name)

    def priority(self, name):
        return 1.0 if name == "organizations:home" else 0.6


sitemaps = {
    "sections": SectionSitemap,
    "organizations": OrganizationSitemap,
    "people": PersonSitemap,
    "events": EventSitemap,
    "meetings": MeetingSitemap,
    "sources": SourceSitemap,
}
