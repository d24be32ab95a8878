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

    def add_claim(self, label):
        if label and label not in self.claims:
            self.claims.append(label)


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


def _page_records(uses):
    """{(kind label, record pk): the published record whose page shows it}."""
    cited_ids = {}
    for _source, kind, pk, _label in uses:
        cited_ids.setdefault(kind, set()).add(pk)
    located = [_located(kind, pks) for kind, pks in cited_ids.items()]
    page_of_row = {}
    if located:
        page_of_row = {(label, pk): page_pk for label, pk, page_pk in located[0].union(*located[1:], all=True)}
    wanted = {}
    for _source, kind, pk, _label in uses:
        if (kind.label, pk) in page_of_row:
            wanted.setdefault(kind.page_model(), set()).add(page_of_row[(kind.label, pk)])
    records = {
        model: model._default_manager.filter(status=PUBLISHED).only(*_link_columns(kinds.kind_of(model))).in_bulk(pks)
        for model, pks in wanted.items()
    }
    return {
        (label, pk): records[model][page_pk]
        for (label, pk), page_pk in page_of_row.items()
        for model in [kinds.kind_of_label(label).page_model()]
        if page_pk in records.get(model, {})
    }


def citing_pages(sources):
    """{source pk: [CitingPage]}: the published pages that cite each source, by a structured
    citation or by a {{ref|key}} marker in prose.

    The cost depends on neither the number of sources and citations nor the amount of prose:
    one query for the citations, one for the prose references (kept at save time by
    :mod:`citations.references`), one UNION locating the cited records on their pages, and one
    per kind of page (organization, person, event, meeting).
    """
    sources = list(sources)
    uses = list(_uses(sources))
    page_records = _page_records(uses)
    pages = {source.pk: {} for source in sources}
    for source_pk, kind, pk, label in uses:
        record = page_records.get((kind.label, pk))
        if record is None:
            continue
        is_article = kind.is_article is not None and kind.is_article(record)
        where = (type(record), record.pk, is_article)  # one page, however many of its parts cite the source
        pages[source_pk].setdefault(where, CitingPage(record, is_article)).add_claim(label)
    return {pk: list(found.values()) for pk, found in pages.items()}
