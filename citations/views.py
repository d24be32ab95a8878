"""Reader pages: every published source, and where the record cites it."""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import CharField, F, Value
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from events.models import Event, EventParticipant, EventPartner, Meeting
from organizations.models import ArticleSection, Membership, Organization, Person, Proposal, ReportedFigure, Role
from records.models import PublicationStatus, Record
from records.previews import preview_context, viewable

from .claims import TEXT, claim_label
from .models import Citation, ProseReference, Source

PUBLISHED = PublicationStatus.PUBLISHED
PER_PAGE = 100
# The sources list shows a source's first citing pages; its own page lists them all.
CITING_PAGES_SHOWN = 10
COALITION_SLUG = "allmep"
# What a link to a citing page needs: its address and its name in every language (a source may
# be cited on thousands of pages, so their other columns are not loaded).
LINK_COLUMNS = {
    model: ("slug", name, *(f"{name}_{code}" for code, _language in settings.LANGUAGES))
    for model, name in ((Organization, "name"), (Person, "name"), (Event, "title"), (Meeting, "title"))
}

# Where a reader finds a cited record: on its own page, or on the page of the record it belongs to.
PAGE_OF = {
    Organization: "",
    Person: "",
    Event: "",
    Meeting: "",
    Membership: "member",
    ReportedFigure: "organization",
    Role: "person",
    ArticleSection: "organization",
    Proposal: "organization",
    EventParticipant: "event",
    EventPartner: "event",
}


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


def _published_rows(model, path):
    # Unordered: the rows are combined with UNION, which refuses ORDER BY in its parts.
    queryset = model._default_manager.order_by()
    if issubclass(model, Record):
        queryset = queryset.filter(status=PUBLISHED)
    if path:
        queryset = queryset.filter(**{f"{path}__status": PUBLISHED})
    return queryset


def _page_model(model):
    path = PAGE_OF[model]
    return model._meta.get_field(path).related_model if path else model


def _located(model, queryset):
    """Rows of one kind of record as (kind, pk, page pk), to be UNIONed with other kinds."""
    path = PAGE_OF[model]
    return queryset.annotate(
        row_kind=Value(model._meta.label_lower, output_field=CharField()),
        page_pk=F(path or "pk"),
    ).values_list("row_kind", "pk", "page_pk")


def citing_pages(sources):
    """{source pk: [CitingPage]}: the published pages that cite each source, by a structured
    citation or by a {{ref|key}} marker in prose.

    The cost depends on neither the number of sources and citations nor the amount of prose:
    one query for the citations, one for the prose references (kept at save time by
    :mod:`citations.references`), one UNION locating the cited records on their pages, and one
    per kind of page (organization, person, event, meeting).
    """
    sources = list(sources)
    models = {model._meta.label_lower: model for model in PAGE_OF}
    by_key = {source.key: source.pk for source in sources}
    uses = []  # (source pk, kind of record, record pk, claim label)

    citations = Citation.objects.filter(source__in=sources).order_by(
        "source", "content_type", "object_id", "position", "pk"
    )
    for source_pk, content_type_id, object_id, claim in citations.values_list(
        "source_id", "content_type_id", "object_id", "claim"
    ):
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model in PAGE_OF:
            uses.append((source_pk, model._meta.label_lower, object_id, claim_label(model, claim)))
    references = ProseReference.objects.filter(key__in=by_key).order_by("content_type", "object_id", "pk")
    for key, content_type_id, object_id in references.values_list("key", "content_type_id", "object_id"):
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model in PAGE_OF:
            uses.append((by_key[key], model._meta.label_lower, object_id, TEXT))

    cited_ids = {}
    for _source, kind, pk, _label in uses:
        cited_ids.setdefault(models[kind], set()).add(pk)
    located = [
        _located(model, _published_rows(model, PAGE_OF[model]).filter(pk__in=ids)) for model, ids in cited_ids.items()
    ]
    page_of_row = {}
    if located:
        page_of_row = {(kind, pk): page_pk for kind, pk, page_pk in located[0].union(*located[1:], all=True)}

    wanted = {}
    for _source, kind, pk, _label in uses:
        if (kind, pk) in page_of_row:
            wanted.setdefault(_page_model(models[kind]), set()).add(page_of_row[(kind, pk)])
    page_records = {
        model: model._default_manager.filter(status=PUBLISHED).only(*LINK_COLUMNS[model]).in_bulk(pks)
        for model, pks in wanted.items()
    }

    pages = {source.pk: {} for source in sources}
    for source_pk, kind, pk, label in uses:
        model = models[kind]
        record = page_records.get(_page_model(model), {}).get(page_of_row.get((kind, pk)))
        if record is None:
            continue
        is_article = model is ArticleSection and record.slug == COALITION_SLUG
        where = (type(record), record.pk, is_article)  # one page, however many of its parts cite the source
        pages[source_pk].setdefault(where, CitingPage(record, is_article)).add_claim(label)
    return {pk: list(found.values()) for pk, found in pages.items()}


def source_list(request):
    page = Paginator(Source.objects.published().order_by("key"), PER_PAGE).get_page(request.GET.get("page"))
    cited = citing_pages(page.object_list)
    for source in page.object_list:
        source.citing_pages = cited[source.pk]
    return render(request, "citations/source_list.html", {"page": page, "shown": CITING_PAGES_SHOWN})


def source_detail(request, key):
    source = get_object_or_404(viewable(request, Source.objects.all()), key=key)
    return render(
        request,
        "citations/source_detail.html",
        {"source": source, "citing_pages": citing_pages([source])[source.pk], **preview_context(source)},
    )
