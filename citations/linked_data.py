"""Records as RDF (schema.org), for a record's page asked for RDF and for the data package.

One mechanism: the graph is read from the very schema.org data a record's page carries as
JSON-LD (each kind's ``structured_data`` builder, see records.kinds), given a context of our own
instead of schema.org's remote one (nothing is fetched from the network), and with the record's
sources added:

- Terms are schema.org's, in the namespace schema.org's own JSON-LD context gives them
  (``http://schema.org/``), so these triples are the ones a reader of the page's JSON-LD gets.
- Text is tagged with the language of the page it comes from (``/he/…`` gives ``@he``); a
  source's own title with the source's language; addresses (``url``, ``sameAs``) are IRIs.
  A record is named by its page's address in one language: each language's page is a resource
  of its own, as it is for Memento.
- A record that names another of our records (a parent organization, an organizer, a parent
  event) names it by that record's page, so the graph links up.
- **Sources.** The record ``schema:citation`` every published source that backs it, each
  described as on its own page (type, title, authors, publisher, date, the document's URL).
  Each claim that a citation backs (a field such as "founded", or a statement) is a
  ``schema:Claim`` node: ``schema:about`` the record, ``schema:name`` what it states, as readers
  call it on the page, and ``schema:appearance`` the source it is backed by.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import get_language, override
from rdflib import Graph

from records import kinds
from records.linked_data import JSON_LD, RDF_FORMATS

from .claims import claim_label

SCHEMA = "http://schema.org/"
# Values that are no text in any language.
UNTAGGED = ("inLanguage", "addressCountry", "foundingDate", "startDate", "endDate", "datePublished", "dateModified")
IRIS = ("url", "sameAs", "license")


def context(language):
    """The JSON-LD context read instead of schema.org's: its vocabulary, which values are IRIs
    and which are text in ``language``."""
    terms = {"@vocab": SCHEMA, "@language": language or None, "schema": SCHEMA}
    terms |= {term: {"@type": "@id"} for term in IRIS}
    terms |= {term: {"@language": None} for term in UNTAGGED}
    # A short name and a source's translated title are in the page's language, whatever the node's.
    terms["alternateName"] = {"@language": language or None}
    return terms


def without_contexts(data):
    """The builder's data without its ``@context`` (schema.org's remote one), at any depth."""
    if isinstance(data, dict):
        return {key: without_contexts(value) for key, value in data.items() if key != "@context"}
    if isinstance(data, list):
        return [without_contexts(item) for item in data]
    return data


def named_by_page(data, site):
    """Nodes naming one of our records by its page's ``url`` get that page as their ``@id``."""
    if isinstance(data, list):
        return [named_by_page(item, site) for item in data]
    if not isinstance(data, dict):
        return data
    data = {key: named_by_page(value, site) for key, value in data.items()}
    url = data.get("url")
    if "@id" not in data and isinstance(url, str) and url.startswith(site):
        data["@id"] = url
    return data


def node(request, record):
    """A record's schema.org data as its page's JSON-LD has it, as one node (no ``@context``)."""
    kind = kinds.kind_of(record)
    data = without_contexts(kind.structured_data(request, record))
    data = named_by_page(data, request.build_absolute_uri("/"))
    language = data.get("inLanguage")
    if isinstance(language, str) and language != get_language():
        # A source's title is in its own language.
        data["@context"] = {"@language": language}
    return data


def published_sources(record):
    """``[(source, [claims])]``: the published sources backing ``record``, in citation order."""
    cited = getattr(record, "citation_list", None)
    if cited is None:
        return []
    sources = {}
    for citation in cited():
        if not citation.source.is_published:
            continue
        claims = sources.setdefault(citation.source_id, (citation.source, []))[1]
        if citation.claim and citation.claim not in claims:
            claims.append(citation.claim)
    return list(sources.values())


def document(request, record):
    """The JSON-LD document of ``record`` in the active language: the record, its sources and
    its claims' sources."""
    language = get_language()
    data = node(request, record)
    nodes = [data]
    sources = published_sources(record)
    if sources:
        data["citation"] = [node(request, source) for source, _claims in sources]
    for source, claims in sources:
        source_id = request.build_absolute_uri(source.get_absolute_url())
        nodes += [
            {
                "@type": "Claim",
                "about": {"@id": data["@id"]},
                "name": str(claim_label(type(record), claim)),
                "appearance": {"@id": source_id},
            }
            for claim in claims
        ]
    return {"@context": context(language), "@graph": nodes}


def as_json(data):
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)


def graph_of(documents, graph=None):
    """The triples of JSON-LD ``documents`` (their context is inline: nothing is fetched)."""
    graph = graph if graph is not None else Graph()
    for item in documents:
        graph.parse(data=as_json(item), format="json-ld")
    return graph


def serialize(request, record, media_type):
    """``record`` in ``media_type`` (one of records.linked_data.RDF_FORMATS), as text."""
    data = document(request, record)
    if media_type == JSON_LD:
        return as_json(data)
    graph = graph_of([data])
    graph.bind("schema", SCHEMA, override=True, replace=True)  # rdflib binds "schema" to https://schema.org/
    return graph.serialize(format=RDF_FORMATS[media_type])


class SiteAddress:
    """What the builders ask a request for, from the site's address alone (the data package)."""

    def __init__(self, base_url):
        self.base_url = base_url.rstrip("/")

    def build_absolute_uri(self, location):
        return self.base_url + location


def kinds_with_data():
    """The kinds whose pages answer with RDF: those with a page and schema.org data."""
    return [kind for kind in kinds.with_pages() if kind.structured_data]


def published(kind):
    queryset = kind.model.objects.published().filter(**kind.published_within())
    if hasattr(queryset, "with_citations"):
        queryset = queryset.with_citations()
    return queryset.order_by("pk")


def dataset_graph(base_url, languages):
    """Every published record with a page, in each of ``languages``, as one graph."""
    request = SiteAddress(base_url)
    graph = Graph()
    for language in languages:
        with override(language):
            for kind in kinds_with_data():
                graph_of((document(request, record) for record in published(kind)), graph)
    return graph


def dataset_n_triples(base_url, languages):
    """:func:`dataset_graph` in N-Triples, one statement a line, sorted (the same data gives the same file)."""
    lines = dataset_graph(base_url, languages).serialize(format="nt").splitlines()
    return "".join(f"{line}\n" for line in sorted(line for line in lines if line.strip()))
