"""Reader pages: every published source, and where the record cites it."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from events.models import Event, EventParticipant, EventPartner, Meeting
from organizations.models import ArticleSection, Membership, Organization, Person, Proposal, ReportedFigure, Role
from records.models import PublicationStatus, Record

from . import prose
from .models import Citation, Source

PUBLISHED = PublicationStatus.PUBLISHED
PER_PAGE = 100
COALITION_SLUG = "allmep"

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
# Prose fields, whose {{ref|key}} markers cite sources too.
PROSE_FIELDS = {
    ArticleSection: ("body",),
    Organization: ("description",),
    Person: ("description",),
    Event: ("description",),
    Meeting: ("description",),
    Proposal: ("description", "outcome"),
}
LANGUAGES = ("ar", "en", "he")


@dataclass
class CitingPage:
    url: str
    record: object
    is_article: bool = False
    claims: list = field(default_factory=list)

    def add_claim(self, label):
        if label and label not in self.claims:
            self.claims.append(label)


def _published_rows(model, path):
    queryset = model._default_manager.all()
    if issubclass(model, Record):
        queryset = queryset.filter(status=PUBLISHED)
    if path:
        queryset = queryset.filter(**{f"{path}__status": PUBLISHED}).select_related(path)
    return queryset


def _page_of(row, path):
    record = getattr(row, path) if path else row
    if isinstance(row, ArticleSection) and record.slug == COALITION_SLUG:
        return reverse("organizations:home"), record, True
    return record.get_absolute_url(), record, False


def _claim_label(model, claim):
    if not claim or claim.startswith(Citation.PROSE_CLAIM_PREFIX):
        return _("text")
    try:
        return model._meta.get_field(claim).verbose_name
    except FieldDoesNotExist:
        return claim.replace("_", " ")


def citing_pages(sources):
    """{source pk: [CitingPage]}: the published pages that cite each source, by structured
    citation or by a prose marker. Queries: one for the citations, one per kind of citing record,
    one per kind of prose, whatever the number of sources."""
    sources = list(sources)
    pages = {source.pk: {} for source in sources}

    def add(source_pk, row, path, label):
        url, record, is_article = _page_of(row, path)
        page = pages[source_pk].setdefault(url, CitingPage(url, record, is_article))
        page.add_claim(label)

    citations = Citation.objects.filter(source__in=sources).order_by("content_type", "object_id", "position", "pk")
    by_type = {}
    for citation in citations:
        by_type.setdefault(citation.content_type_id, []).append(citation)
    for content_type_id, type_citations in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model not in PAGE_OF:
            continue
        path = PAGE_OF[model]
        rows = _published_rows(model, path).in_bulk({citation.object_id for citation in type_citations})
        for citation in type_citations:
            row = rows.get(citation.object_id)
            if row is not None:
                add(citation.source_id, row, path, _claim_label(model, citation.claim))

    by_key = {source.key: source.pk for source in sources}
    for model, field_names in PROSE_FIELDS.items():
        has_marker = Q()
        for name in field_names:
            for language in LANGUAGES:
                has_marker |= Q(**{f"{name}_{language}__contains": "{{ref|"})
        for row in _published_rows(model, PAGE_OF[model]).filter(has_marker):
            for name in field_names:
                for marker in prose.markers(getattr(row, name)):
                    if marker.key in by_key:
                        add(by_key[marker.key], row, PAGE_OF[model], _("text"))
    return {pk: list(found.values()) for pk, found in pages.items()}


def source_list(request):
    page = Paginator(Source.objects.published().order_by("key"), PER_PAGE).get_page(request.GET.get("page"))
    cited = citing_pages(page.object_list)
    for source in page.object_list:
        source.citing_pages = cited[source.pk]
    return render(request, "citations/source_list.html", {"page": page})


def source_detail(request, key):
    source = get_object_or_404(Source.objects.published(), key=key)
    return render(
        request,
        "citations/source_detail.html",
        {"source": source, "citing_pages": citing_pages([source])[source.pk]},
    )
