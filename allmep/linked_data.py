"""Linked data: each record's page address also answers with the record as RDF.

The page of an organization, a person, an event, a meeting or a source (every kind with a page and
schema.org data, see records.kinds) answers ``Accept`` (records.linked_data):

- ``application/ld+json``, ``text/turtle`` or ``application/n-triples``: the record as RDF with
  schema.org's vocabulary and its sources (citations.linked_data says which statements);
- HTML otherwise, as always: no ``Accept``, ``*/*`` and browsers' headers get the page;
- 406 with a message naming what is offered when the request accepts none of them.

Every answer of such an address says ``Vary: Accept``. RDF is given of published records only:
a draft is a 404 in every format, staff's previews included. The page cache keeps each
representation apart (records.caching). A request with ``Accept-Datetime`` is answered by
Memento first, with the page as it was: versions are pages, not RDF.
"""

from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from citations.linked_data import kinds_with_data, serialize
from records.linked_data import HTML, negotiated

from .pages import not_found

VARY = "Accept"


def negotiating_kind(request):
    """The kind whose page ``request`` asks for, if that page answers with RDF too."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    kind = next((kind for kind in kinds_with_data() if kind.page == match.view_name), None)
    return kind if kind is not None and kind.lookup in match.kwargs else None


def not_acceptable():
    message = _(
        "This address offers its page as HTML (text/html) and its record as RDF: JSON-LD "
        "(application/ld+json), Turtle (text/turtle) or N-Triples (application/n-triples). "
        "Your request’s Accept header accepts none of them."
    )
    return HttpResponse(message + "\n", status=406, content_type="text/plain; charset=utf-8")


class LinkedDataMiddleware:
    """Content negotiation on record pages (see the module). Place after
    ``records.caching.ReaderPagesMiddleware``, so the pages it keeps carry ``Vary: Accept``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if negotiating_kind(request) is not None:
            patch_vary_headers(response, (VARY,))
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        kind = negotiating_kind(request)
        if kind is None or request.method not in ("GET", "HEAD"):
            return None
        media_type = negotiated(request)
        if media_type == HTML:
            return None
        if media_type is None:
            return not_acceptable()
        identifier = view_kwargs[kind.lookup]
        record = kind.model.objects.published().filter(**kind.published_within(), **{kind.lookup: identifier}).first()
        if record is None:
            return not_found(request, _("No published record has this address."))
        return HttpResponse(serialize(request, record, media_type), content_type=f"{media_type}; charset=utf-8")
