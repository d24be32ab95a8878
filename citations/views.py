"""Reader pages: every published source, and where the record cites it."""

from django.shortcuts import get_object_or_404, render

from records.pagination import reader_page
from records.previews import preview_context, viewable

from .citing import citing_pages
from .models import Source

PER_PAGE = 100
# The sources list shows a source's first citing pages; its own page lists them all.
CITING_PAGES_SHOWN = 10


def source_list(request):
    page = reader_page(request, Source.objects.published().order_by("key"), PER_PAGE)
    cited = citing_pages(page.object_list, shown=CITING_PAGES_SHOWN)
    for source in page.object_list:
        source.citing_pages, source.citing_page_count = cited[source.pk]
    return render(request, "citations/source_list.html", {"page": page, "shown": CITING_PAGES_SHOWN})


def source_detail(request, key):
    source = get_object_or_404(viewable(request, Source.objects.all()), key=key)
    return render(
        request,
        "citations/source_detail.html",
        {"source": source, "citing_pages": citing_pages([source])[source.pk][0], **preview_context(source)},
    )


def source_version(source):
    """A source's page as it was in a published version: its description then; where it is cited is
    a matter of other records, left to the current page."""
    publisher = Source.publisher_organization.field.related_model
    organization = None
    if source.publisher_organization_id is not None:
        organization = publisher.objects.published().filter(pk=source.publisher_organization_id).first()
    source.publisher_organization = organization
    # The link checker's findings are about the address as it is now.
    source.link_last_ok_at = None
    return "citations/source_detail.html", {"source": source}
