"""Memento (RFC 7089): what a record's page said at a given time, over its public history.

Every record page with a public history (the kinds registered with ``history`` and a page of their
own) is its own TimeGate, by the RFC's Pattern 1.1 (URI-R = URI-G, 302-style negotiation):

- A request with ``Accept-Datetime`` (an HTTP date, RFC 1123: ``Tue, 20 Mar 2001 20:35:00 GMT``)
  is redirected (302) to the permanent link of the version in force then (the last published
  version saved before the end of that second; the first one for a moment before it), with
  ``Vary: accept-datetime`` and a ``Link`` header naming the original, the TimeGate, the
  TimeMap, that memento and the first and last mementos. A date that cannot be read is a 400
  saying so; a page without a published version yet is a 404.
- Without it, the page answers as always, with ``Vary: accept-datetime`` and a ``Link`` header
  naming itself as original and TimeGate, and its TimeMap.
- The version pages (``allmep.views.record_version``) are the mementos: ``Memento-Datetime`` and
  a ``Link`` header with the original, TimeGate, TimeMap, first, last, previous and next mementos.
- The TimeMap of each page (:func:`timemap`) lists them all in ``application/link-format``.

Each language's page is a resource of its own, with its own mementos in that language. A request
with ``Accept-Datetime`` neither reads nor fills the page cache and gets no 304
(``records.caching``): its answer depends on that header.
"""

import datetime

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_http_date
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from records import kinds
from records.history import public_versions, version_in_force
from records.query_strings import BadRequest

from .pages import bad_request, not_found, version_url

ACCEPT_DATETIME = "HTTP_ACCEPT_DATETIME"
VARY = "accept-datetime"
LINK_FORMAT = "application/link-format"


def timegate_kinds():
    """{page's URL name: kind} of the kinds whose pages are TimeGates."""
    return {kind.page: kind for kind in kinds.with_pages() if kind.history and kind.version_page}


def timegate_kind(view_name):
    return timegate_kinds().get(view_name)


def moment_of(value):
    """The moment an ``Accept-Datetime`` value names; ValueError if it is not an HTTP date."""
    return datetime.datetime.fromtimestamp(parse_http_date(value), tz=datetime.UTC)


def memento_datetime(version):
    return http_date(version.revision.date_created.timestamp())


def timemap_url(kind, identifier):
    return reverse("records:timemap", kwargs={"kind": kind.name, "identifier": identifier})


def link_value(links):
    """A Link header (RFC 8288) from ``(uri, rel, params)``: a URI named twice gets its relations
    joined ("first last memento"), as RFC 7089 writes them."""
    merged = {}
    for uri, rel, params in links:
        entry = merged.setdefault(uri, {"rels": [], "params": {}})
        entry["rels"] += [word for word in rel.split() if word not in entry["rels"]]
        entry["params"].update(params)
    parts = []
    for uri, entry in merged.items():
        rels = entry["rels"]
        if "memento" in rels:  # "first memento", not "memento first"
            rels = [word for word in rels if word != "memento"] + ["memento"]
        text = f'<{uri}>; rel="{" ".join(rels)}"'
        text += "".join(f'; {name}="{value}"' for name, value in entry["params"].items())
        parts.append(text)
    return ", ".join(parts)


def mementos(request, record, versions, chosen=None):
    """``(uri, rel, params)`` of the mementos a response names: the first and the last, and around
    ``chosen`` (the memento answered) itself, the previous and the next."""
    if not versions:
        return []

    def link(version, rel):
        return (request.build_absolute_uri(version_url(record, version)), rel, {"datetime": memento_datetime(version)})

    links = [link(versions[-1], "first memento"), link(versions[0], "last memento")]
    if chosen is not None:
        position = versions.index(chosen)
        links.append(link(chosen, "memento"))
        if position + 1 < len(versions):
            links.append(link(versions[position + 1], "prev memento"))
        if position > 0:
            links.append(link(versions[position - 1], "next memento"))
    return links


def original_links(original, timemap):
    """The page is its own TimeGate; its TimeMap is in link-format."""
    return [(original, "original timegate", {}), (timemap, "timemap", {"type": LINK_FORMAT})]


def memento_headers(request, response, record, versions, chosen):
    """The headers of a memento: a version page of a record whose page is a TimeGate."""
    kind = kinds.kind_of(record)
    if timegate_kind(kind.page) is None:
        return response  # a kind read within another record's page (a section): no TimeGate of its own
    original = request.build_absolute_uri(record.get_absolute_url())
    timemap = request.build_absolute_uri(timemap_url(kind, getattr(record, kind.lookup)))
    response["Memento-Datetime"] = memento_datetime(chosen)
    response["Link"] = link_value(original_links(original, timemap) + mementos(request, record, versions, chosen))
    return response


def page_links(request):
    """``((kind, identifier), links)`` for a request to a TimeGate's page (from its address alone,
    no query), else None: the links its every answer names, itself as original and TimeGate and
    its TimeMap."""
    match = getattr(request, "resolver_match", None)
    kind = timegate_kind(match.view_name) if match is not None else None
    if kind is None or kind.lookup not in match.kwargs:
        return None
    identifier = match.kwargs[kind.lookup]
    original = request.build_absolute_uri(request.path)
    timemap = request.build_absolute_uri(timemap_url(kind, identifier))
    return (kind, identifier), original_links(original, timemap)


class MementoMiddleware:
    """Datetime negotiation on the record pages (see the module). Place right after
    ``records.caching.ReaderPagesMiddleware``, so its headers are in the pages that middleware keeps
    and in its 304s."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in (200, 304) and "Memento-Datetime" not in response and "Link" not in response:
            # A TimeGate's page, or its 304 (given before this middleware's process_view runs).
            found = page_links(request)
            if found is not None:
                patch_vary_headers(response, (VARY,))
                response["Link"] = link_value(found[1])
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        found = page_links(request)
        if found is None:
            return None
        (kind, identifier), links = found
        value = request.META.get(ACCEPT_DATETIME)
        if value is None or request.method not in ("GET", "HEAD"):
            return None
        try:
            moment = moment_of(value)
        except ValueError:
            message = _(
                "The Accept-Datetime header “%(value)s” is not a date as HTTP writes them, "
                "for example “Tue, 20 Mar 2001 20:35:00 GMT”."
            ) % {"value": Truncator(value).chars(60)}
            return self.negotiated(bad_request(request, BadRequest(message)), links)
        record = kind.model.objects.published().filter(**{kind.lookup: identifier}).first()
        if record is None:
            return None  # the page itself answers: a 404 for readers, a preview for staff
        versions = public_versions(record)
        chosen = version_in_force(versions, moment)
        if chosen is None:
            response = not_found(request, _("No published version of this page has been saved yet."))
            return self.negotiated(response, links)
        response = HttpResponseRedirect(request.build_absolute_uri(version_url(record, chosen)))
        return self.negotiated(response, links + mementos(request, record, versions, chosen))

    @staticmethod
    def negotiated(response, links):
        patch_vary_headers(response, (VARY,))
        response["Link"] = link_value(links)
        return response


@require_safe
def timemap(request, kind, identifier):
    """The TimeMap of a record's page: every published version of it, in link-format (RFC 6690)."""
    record_kind = next((item for item in timegate_kinds().values() if item.name == kind), None)
    if record_kind is None:
        return not_found(request, _("No history is kept for this kind of page."))
    record = get_object_or_404(record_kind.model.objects.published(), **{record_kind.lookup: identifier})
    versions = public_versions(record)
    original = request.build_absolute_uri(record.get_absolute_url())
    self_params = {"type": LINK_FORMAT}
    if versions:
        self_params |= {"from": memento_datetime(versions[-1]), "until": memento_datetime(versions[0])}
    links = [
        (original, "original timegate", {}),
        (request.build_absolute_uri(request.path), "self", self_params),
    ]
    for position, version in enumerate(reversed(versions)):
        ends = ["first"] * (position == 0) + ["last"] * (position == len(versions) - 1)
        rel = " ".join([*ends, "memento"])
        url = request.build_absolute_uri(version_url(record, version))
        links.append((url, rel, {"datetime": memento_datetime(version)}))
    body = link_value(links).replace(", <", ",\n<") + "\n"
    return HttpResponse(body, content_type=LINK_FORMAT)
