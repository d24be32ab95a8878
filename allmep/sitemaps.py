"""sitemap.xml: every published page in every reader language, with hreflang alternates."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

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
        # A list page a kind names but the URL map lacks is an error, not a page quietly left out.
        return [HOME_VIEW, *(kind.list_page for kind in kinds.with_pages() if kind.list_page)]

    def location(self, name):
        return reverse(name)

    def priority(self, name):
        return 1.0 if name == HOME_VIEW else 0.6


def sitemaps():
    """The sections, then each kind's pages ({name: Sitemap}, as django.contrib.sitemaps wants)."""
    return {"sections": SectionSitemap(), **{kind.label: RecordSitemap(kind) for kind in kinds.with_pages()}}
