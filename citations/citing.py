"""Where the record cites a source: the published pages that cite it, with what they cite it for."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, F, Value
from django.urls import reverse
from django.utils.functional import cached_property

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


def _on_pages(sources):
    """(source pk, page, whether the use can make the page the article, claim label) of every use
    of ``sources`` on a published page, in order: one query for the citations, one for the prose
    references, one UNION locating the cited rows on their pages."""
    uses = list(_uses(sources))
    page_of_row = _pages_of_rows(uses)
    return [
        (source_pk, page_of_row[(kind.label, pk)], kind.is_article, label)
        for source_pk, kind, pk, label in uses
        if (kind.label, pk) in page_of_row
    ]


def _citing(source_pks, on_pages, start=0, stop=None, records=None):
    """{source pk: (its CitingPages from ``start`` to ``stop``, how many there are)} from the uses
    ``on_pages``, loading the pages shown (and those that may be the article) into ``records``."""
    records = {} if records is None else records
    # Whatever may be the article is loaded: whether it is depends on the page itself. A page
    # has one entry, or two when it is also the article, so the entries from ``start`` on are
    # on the pages from ``start`` less the number of those that may be the article.
    may_be_article = {page for _source, page, is_article, _label in on_pages if is_article is not None}
    first_pages = {source_pk: {} for source_pk in source_pks}
    for source_pk, page, _is_article, _label in on_pages:
        first_pages[source_pk].setdefault(page, None)
    wanted = set(may_be_article)
    wanted.update(
        page for pages in first_pages.values() for page in list(pages)[max(0, start - len(may_be_article)) : stop]
    )
    records.update(_load(wanted - records.keys()))
    entries = {source_pk: {} for source_pk in source_pks}
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
                for (model, pk, is_article), labels in list(found.items())[start:stop]
            ],
            len(found),
        )
        for source_pk, found in entries.items()
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
    return _citing([source.pk for source in sources], _on_pages(sources), stop=shown)


class PagesCiting(Sequence):
    """Every published page that cites ``source``, for a record page's list and its numbered
    pages (records.sections): its length is their number, and a slice loads only the pages in it.
    What locates them (three queries, the citations' and markers' keys, not the pages) is read
    once; then one query per kind of page for each slice."""

    def __init__(self, source):
        self.source = source
        self._records = {}

    @cached_property
    def _on_pages(self):
        return _on_pages([self.source])

    def _slice(self, start, stop):
        return _citing([self.source.pk], self._on_pages, start, stop, self._records)[self.source.pk]

    def __len__(self):
        return self._slice(0, 0)[1]

    def __getitem__(self, index):
        if not isinstance(index, slice) or (index.start or 0) < 0 or (index.stop or 0) < 0 or index.step:
            raise TypeError("PagesCiting is read a slice at a time, counted from its start")
        return self._slice(index.start or 0, index.stop)[0]
