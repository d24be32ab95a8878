"""Template side of the one footnote renderer (``citations.footnotes.Footnotes``).

A view puts one ``footnotes`` collector in the context; these tags cite into it as the page
renders, top to bottom, so sources are numbered in order of first use on the page, and
``{% references %}`` at the end lists them.
"""

from django import template

from citations import footnotes as cite_style
from citations.footnotes import Footnotes

register = template.Library()


def _footnotes(context):
    footnotes = context.get("footnotes")
    if footnotes is None:
        # A page that forgot to make one still renders, with its references listed.
        footnotes = Footnotes()
        context.dicts[0]["footnotes"] = footnotes
    return footnotes


@register.simple_tag(takes_context=True)
def prose(context, text, record=None, claim=None):
    """Prose markup as HTML; its {{ref|…}} markers become footnote references.

    ``{% prose event.description event "description" %}`` also cites the record's citations
    of that claim at the end of the last paragraph.
    """
    footnotes = _footnotes(context)
    tail = ""
    if record is not None and claim is not None and text:
        tail = footnotes.cite_all(record.citations_for(claim))
    return footnotes.render(text, tail)


@register.simple_tag(takes_context=True)
def cite(context, record, *claims):
    """Footnote references for a record's citations.

    ``{% cite figure %}`` cites every citation of the record (a figure, a membership, a role is
    one fact); ``{% cite organization "founded" %}`` only those of one claim ("" = the record as
    a whole), ``{% cite event "place" "country" %}`` those of claims shown together. Reads
    prefetched citations (``citations_prefetch``).
    """
    if record is None:
        return ""
    if claims:
        citations = [citation for claim in claims for citation in record.citations_for(claim)]
    else:
        citations = record.citation_list()
    return _footnotes(context).cite_all(citations)


@register.simple_tag(takes_context=True)
def cite_uncited(context, record):
    """The record's citations not yet cited on the page (claims with no place of their own)."""
    if record is None:
        return ""
    return _footnotes(context).cite_uncited(record.citation_list())


@register.simple_tag(takes_context=True)
def references(context):
    """The page's reference list, numbered as cited so far."""
    return cite_style.reference_list(_footnotes(context).references)


@register.simple_tag
def source_citation(source):
    """A source as its reference prints it, without backlinks (source pages)."""
    return cite_style.source_citation(source)


@register.simple_tag
def archive_line(source):
    """The archived-copy line under a reference, in the reader's language."""
    return cite_style.archive_line(source)


@register.simple_tag
def archive_link(source):
    """The archived-copy line as a Robust Link to the copy (plain text when only its date is known)."""
    return cite_style.archive_link(source)


@register.simple_tag
def original_link(source):
    """The source's original address as a Robust Link."""
    return cite_style.original_link(source)


@register.simple_tag
def dead_link_mark(source):
    return cite_style.dead_link_mark() if source.is_dead else ""
