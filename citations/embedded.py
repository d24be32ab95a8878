"""What reference managers read in a page: ``<meta>`` tags in its head and COinS in its references.

Zotero's generic translator ("Embedded Metadata"), Mendeley, Citavi and harvesters read a page's
``<meta>`` tags only: Zotero's own ``z:itemType``, Highwire ``citation_*`` and Dublin Core
(``DC.*``/``DCTERMS.*``); none of them reads the JSON-LD the pages carry for search engines. Both
the tags and the COinS spans are written here from a CSL-JSON item, the one the citation formats
write their downloads from (:mod:`citations.formats`), so a page, its downloads and its reference
list always say the same.

Zotero's traps, as its translator reads tags: a ``citation_title`` without ``z:itemType`` makes it
guess a journal article, and ``citation_journal_title``, ``citation_technical_report_institution``,
``citation_conference_title``, ``citation_book_title`` and ``citation_dissertation_institution``
override even ``z:itemType``; none of those is written here.
"""

from urllib.parse import quote, urlencode

# CSL item type (a source's kind) → Zotero item type.
ZOTERO_TYPES = {
    "webpage": "webpage",
    "article-newspaper": "newspaperArticle",
    # An op-ed or feature published by a magazine or a site, not a news report.
    "article": "magazineArticle",
    "report": "report",
    "entry-encyclopedia": "encyclopediaArticle",
}

# Declared with <link rel="schema.DC" ...> so that readers resolve the prefixes of the DC tags.
DUBLIN_CORE_SCHEMAS = {
    "schema.DC": "http://purl.org/dc/elements/1.1/",
    "schema.DCTERMS": "http://purl.org/dc/terms/",
}


def zotero_type(item):
    return ZOTERO_TYPES.get(item["type"], "webpage")


def iso_date(date):
    """CSL date-parts as an ISO 8601 date as precise as known ("2009", "2009-03", "2009-03-19")."""
    parts = date["date-parts"][0]
    return "-".join(f"{part:04d}" if index == 0 else f"{part:02d}" for index, part in enumerate(parts))


def highwire_date(date):
    """CSL date-parts as Highwire Press (Google Scholar) writes dates: "2009/03/19", "2009"."""
    return iso_date(date).replace("-", "/")


def name_text(name):
    """A CSL name as written in "Family, Given" order; a literal name as it is."""
    if "literal" in name:
        return name["literal"]
    return f"{name['family']}, {name['given']}" if name.get("given") else name["family"]


def meta_tags(item, *, corporate_author="", licence=None, modified=""):
    """The ``(name, content)`` pairs of the ``<meta>`` tags describing ``item``, in page order.

    ``corporate_author``: an organisation that is the author (the site, for its own pages); Zotero
    splits a personal name at its last space, so the Highwire tag writes it with a comma, which it
    reads as "Family, Given" with no given name, keeping the whole name as one. ``licence``: a dict
    with the ``title`` and ``path`` of the content's licence, for pages whose content is the site's
    own. ``modified``: when the item was last changed, an ISO 8601 moment.
    """
    tags = [("z:itemType", zotero_type(item)), ("citation_title", item["title"]), ("DC.title", item["title"])]
    if item.get("translated-title"):
        tags.append(("DCTERMS.alternative", item["translated-title"]))
    if corporate_author:
        tags += [("citation_author", f"{corporate_author},"), ("DC.creator", corporate_author)]
    for name in item.get("author", []):
        tags += [("citation_author", name_text(name)), ("DC.creator", name_text(name))]
    # The newspaper, magazine, website or encyclopedia the item appears in (Zotero's publication title).
    if item.get("container-title"):
        tags.append(("prism.publicationName", item["container-title"]))
    publisher = item.get("publisher") or item.get("container-title")
    if publisher:
        tags += [("citation_publisher", publisher), ("DC.publisher", publisher)]
    if item.get("issued"):
        tags += [("citation_date", highwire_date(item["issued"])), ("DC.date", iso_date(item["issued"]))]
    if modified:
        tags.append(("DCTERMS.modified", modified))
    if item.get("language"):
        tags += [("citation_language", item["language"]), ("DC.language", item["language"])]
    if item.get("URL"):
        tags += [("citation_public_url", item["URL"]), ("DC.identifier", item["URL"])]
    archive_url = item.get("custom", {}).get("archive-url")
    if archive_url:
        # The archived copy of the document, kept by a web archive.
        tags.append(("DCTERMS.hasVersion", archive_url))
    if licence:
        tags += [("DC.rights", licence["title"]), ("DCTERMS.license", licence["path"])]
    return tags


def coins(item):
    """The OpenURL ContextObject (Z39.88-2004, KEV) of a COinS span describing ``item``.

    As Zotero writes items that are no journal article, book or report: Dublin Core format, with
    the Zotero item type as ``rft.type`` so that a reader's tool files it as what it is.
    """
    pairs = [
        ("ctx_ver", "Z39.88-2004"),
        ("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc"),
        ("rft.type", zotero_type(item)),
        ("rft.title", item["title"]),
    ]
    pairs += [("rft.au", name_text(name)) for name in item.get("author", [])]
    if item.get("container-title"):
        pairs.append(("rft.source", item["container-title"]))
    if item.get("publisher"):
        pairs.append(("rft.publisher", item["publisher"]))
    if item.get("issued"):
        pairs.append(("rft.date", iso_date(item["issued"])))
    if item.get("URL"):
        pairs.append(("rft.identifier", item["URL"]))
    if item.get("language"):
        pairs.append(("rft.language", item["language"]))
    return urlencode(pairs, quote_via=quote)
