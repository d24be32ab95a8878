"""Which representation of a record's page a request asks for: the HTML page, or the record as RDF.

A record's page address answers ``Accept`` (content negotiation, RFC 9110 §12.5.1) with the
page (HTML, the default: no ``Accept``, ``*/*`` and browsers' usual headers all get it) or the
record as RDF in JSON-LD, Turtle or N-Triples (``allmep.linked_data`` serves them). It lives here,
on the ground floor, because the page cache (:mod:`records.caching`) keys stored pages and
validators by it: a stored HTML page is never an answer to a request for Turtle, nor the reverse.

Media type parameters other than ``q`` are ignored (``application/ld+json; profile=…`` asks for
JSON-LD); a type given ``q=0`` is refused. Of the types a request accepts equally, HTML wins.
"""

from django.http.request import MediaType

HTML = "text/html"
JSON_LD = "application/ld+json"
TURTLE = "text/turtle"
N_TRIPLES = "application/n-triples"

# {media type: rdflib's name of the serialization}
RDF_FORMATS = {JSON_LD: "json-ld", TURTLE: "turtle", N_TRIPLES: "nt"}
# What a record's page offers, the page first: it wins ties.
OFFERED = (HTML, "application/xhtml+xml", *RDF_FORMATS)


def accepted_ranges(header):
    """``[(main type, subtype, q)]`` of an ``Accept`` header; unreadable entries are skipped."""
    ranges = []
    for token in header.split(","):
        if not token.strip():
            continue
        media_type = MediaType(token.strip())
        if not media_type.main_type or not media_type.sub_type:
            continue
        ranges.append((media_type.main_type.lower(), media_type.sub_type.lower(), media_type.quality))
    return ranges


def quality(ranges, offered):
    """The q the most specific range matching ``offered`` gives it (0 when none does)."""
    main, sub = offered.split("/")
    best = None  # (specificity, q)
    for range_main, range_sub, q in ranges:
        if (range_main, range_sub) == (main, sub):
            specificity = 2
        elif range_main == main and range_sub == "*":
            specificity = 1
        elif (range_main, range_sub) == ("*", "*"):
            specificity = 0
        else:
            continue
        if best is None or specificity > best[0]:
            best = (specificity, q)
    return best[1] if best else 0


def preferred(header):
    """The media type to answer ``header`` with: HTML, one of RDF_FORMATS, or None (none is acceptable)."""
    if not header or not header.strip():
        return HTML
    ranges = accepted_ranges(header)
    if not ranges:
        return HTML  # nothing readable in it: as if it were absent
    best, best_q = None, 0
    for offered in OFFERED:
        q = quality(ranges, offered)
        if q > best_q:
            best, best_q = offered, q
    if best is None:
        return None
    return HTML if best == "application/xhtml+xml" else best


def negotiated(request):
    """The representation ``request`` asks for (see :func:`preferred`), read once per request."""
    if not hasattr(request, "_negotiated_type"):
        request._negotiated_type = preferred(request.headers.get("Accept", ""))
    return request._negotiated_type


def variant(request):
    """What the page cache and the validators tell representations apart by: "" for the page."""
    media_type = negotiated(request)
    if media_type == HTML:
        return ""
    return RDF_FORMATS.get(media_type, "none")
