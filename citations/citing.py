"""Where the record cites a source: the published pages that cite it, with what they cite it for."""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, F, Value
from django.urls import reverse

from records import kinds
from records.models import PublicationStatus, Record

from .claims import TEXT, claim_label
from .models import Citation, ProseReference

PUBLISHED = PublicationStatus.PUBLISHED


@dataclass
class CitingPage:
    record: object
    is_article: bool = False
    claims: list = field(default_factory=list)

    @property
    def url(self):
        # Reversed when shown: the sources list shows a few of a source's pages, not all.
        return reverse("organizations:home") if self.is_article else self.record.get_absolute_url()


def _link_columns(kind):
    """What a link to a page needs: its address and its name in every language (a source may be
    cited on thousands of pages, so their other columns are not loaded)."""
    name = kind.title_field
    return (kind.lookup, name, *(f"{name}_{code}" for code, _language in settings.LANGUAGES))


def _published_rows(kind):
    # Unordered: the rows are combined with UNION, which refuses ORDER BY in its parts.
    queryset = kind.model._default_manager.order_by()
    if issubclass(kind.model, Record):
        queryset = queryset.filter(status=PUBLISHED)
    if kind.page_of:
        queryset = queryset.filter(**{f"{kind.page_of}__status": PUBLISHED})
    return queryset


def _located(kind, pks):
    """Published rows of one kind as (kind, pk, page pk), to be UNIONed with other kinds."""
    return (
        _published_rows(kind)
        .filter(pk__in=pks)
        .annotate(row_kind=Value(kind.label, output_field=CharField()), page_pk=F(kind.page_of or "pk"))
        .values_list("row_kind", "pk", "page_pk")
    )


def _shown_on_pages(model):
    """The kind of ``model`` if its records are read on a page (their own or another record's)."""
    kind = kinds.kind_of(model)
    return kind if kind is not None and (kind.page or kind.page_of) else None


def _uses(sources):
    """(source pk, kind, record pk, claim label) for every citation and prose marker of ``sources``."""
    by_key = {source.key: source.pk for source in sources}
    citations = Citation.objects.filter(source__in=sources).order_by(
        "source", "content_type", "object_id", "position", "pk"
    )
    for source_pk, content_type_id, object_id, claim in citations.values_list(
        "source_id", "content_type_id", "object_id", "claim"
    ):
        kind = _shown_on_pages(ContentType.objects.get_for_id(content_type_id).model_class())
        if kind is not None:
            yield source_pk, kind, object_id, claim_label(kind.model, claim)
    references = ProseReference.objects.filter(key__in=by_key).order_by("content_type", "object_id", "pk")
    for key, content_type_id, object_id in references.values_list("key", "content_type_id", "object_id"):
        kind = _shown_on_pages(ContentType.objects.get_for_id(content_type_id).model_class())
        if kind is not None:
            yield by_key[key], kind, object_id, TEXT


def _pages_of_rows(uses):
    """{(kind label, record pk): (page model, page pk)} for the cited rows on published pages."""
    cited_ids = {}
    for _source, kind, pk, _label in uses:
        cited_ids.setdefault(kind, set()).add(pk)
    located = [_located(kind, pks) for kind, pks in cited_ids.items()]
    if not located:
        return {}
    return {
        (label, pk): (kinds.kind_of_label(label).page_model(), page_pk)
        for label, pk, page_pk in located[0].union(*located[1:], all=True)
    }


def _load(wanted):
    """{(page model, page pk): record} of the published pages ``wanted``, with only what a link needs."""
    by_model = {}
    for model, pk in wanted:
        by_model.setdefault(model, set()).add(pk)
    return {
        (model, pk): record
        for model, pks in by_model.items()
        for pk, record in model._default_manager.filter(status=PUBLISHED)
        .only(*_link_columns(kinds.kind_of(model)))
        .in_bulk(pks)
        .items()
    }


def citing_pages(sources, shown=None):
    """{source pk: (the first ``shown`` (all if None) CitingPages, how many there are)}: the
    published pages that cite each source, by a structured citation or by a {{ref|key}} marker
    in prose.

    The cost depends on neither the number of sources and citations nor the amount of prose:
    one query for the citations, one for the prose references (kept at save time by
    :mod:`citations.references`), one UNION locating the cited records on their pages (all of
    them published), and one per kind of page (organization, person, event, meeting) loading
    only the pages shown: a source may be cited on thousands of pages.
    """
    sources = list(sources)
    uses = list(_uses(sources))
    page_of_row = _pages_of_rows(uses)
    # (source pk, page, whether the use can make the page the article, claim label), in order.
    on_pages = [
        (source_pk, page_of_row[(kind.label, pk)], kind.is_article, label)
        for source_pk, kind, pk, label in uses
        if (kind.label, pk) in page_of_row
    ]
    # The records to load: whatever may be the article (that depends on the page itself), and
    # each source's first ``shown`` pages, which hold its first ``shown`` entries.
    first_pages = {source.pk: {} for source in sources}
    for source_pk, page, _is_article, _label in on_pages:
        first_pages[source_pk].setdefault(page, None)
    wanted = {page for _source, page, is_article, _label in on_pages if is_article is not None}
    wanted.update(page for pages in first_pages.values() for page in list(pages)[:shown])
    records = _load(wanted)
    entries = {source.pk: {} for source in sources}
    for source_pk, page, is_article, label in on_pages:
        is_article = is_article is not None and is_article(records[page])
        # One entry per page, however many of its parts cite the source.
        labels = entries[source_pk].setdefault((*page, is_article), [])
        if label and label not in labels:
            labels.append(label)
    return {
        source_pk: (
            [
                CitingPage(records[(model, pk)], is_article, labels)
                for (model, pk, is_article), labels in list(found.items())[:shown]
            ],
            len(found),
        )
        for source_pk, found in entries.items()
    }
