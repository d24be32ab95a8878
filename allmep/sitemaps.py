"""sitemap.xml: every published page in every reader language, with hreflang alternates."""

from django.contrib.sitemaps import Sitemap
from django.urls import NoReverseMatch, reverse

from records import kinds

from .seo import HOME_VIEW


class ReaderSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class RecordSitemap(ReaderSitemap):
    """The pages of one kind of record; drafts are never listed."""

    def __init__(self, kind):
        self.kind = kind
        self.priority = kind.sitemap_priority

    def items(self):
        return self.kind.model.objects.published().order_by("pk")

    def lastmod(self, record):
        return record.updated_at


class SectionSitemap(ReaderSitemap):
    """The home page and the list of each kind of record."""

    def items(self):
        # Only pages the URL map has: a section not built yet is left out rather than a 500.
        names = []
        for name in [HOME_VIEW, *(kind.list_page for kind in kinds.with_pages() if kind.list_page)]:
            try:
                reverse(name)
            except NoReverseMatch:
                continue
            names.append(name)
        return names

    def location(self, name):
        return reverse(name)

    def priority(self, name):
        return 1.0 if name == HOME_VIEW else 0.6


def sitemaps():
    """The sections, then each kind's pages ({name: Sitemap}, as django.contrib.sitemaps wants)."""
    return {"sections": SectionSitemap(), **{kind.label: RecordSitemap(kind) for kind in kinds.with_pages()}}
