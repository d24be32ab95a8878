"""Reader pages: the coalition's article (the home page), organizations and people."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from citations.footnotes import Footnotes, citations_prefetch
from events.models import Event, EventParticipant, EventPartner, Meeting
from records.models import PublicationStatus
from records.previews import preview_context, viewable

from . import charts
from .filters import OrganizationFilter, filtered_page, published_memberships, translated
from .models import (
    ArticleSection,
    ArticleSectionKind,
    FigureMetric,
    Organization,
    Person,
    Proposal,
    ReportedFigure,
    Role,
)

COALITION_SLUG = "allmep"
PUBLISHED = PublicationStatus.PUBLISHED
PER_PAGE = 50


def member_figures(organization):
    return (
        ReportedFigure.objects.published()
        .filter(organization=organization, metric=FigureMetric.MEMBER_ORGANIZATIONS)
        .prefetch_related(citations_prefetch())
        .order_by("as_of", "pk")
    )


def home(request):
    """The coalition's encyclopedia article: lead, infobox, sections, chart, references."""
    coalition = get_object_or_404(
        Organization.objects.published().prefetch_related(citations_prefetch()), slug=COALITION_SLUG
    )
    sections = list(
        ArticleSection.objects.published()
        .filter(organization=coalition)
        .prefetch_related(citations_prefetch())
        .order_by("position", "pk")
    )
    figures = list(member_figures(coalition))
    chart = charts.line_chart(figures)
    body_sections = [section for section in sections if section.kind != ArticleSectionKind.EXTERNAL_LINKS]
    history = [section for section in body_sections if section.kind == ArticleSectionKind.HISTORY]
    # The chart closes the history section, where the membership figures are told.
    chart_section = history[-1] if history and chart else None
    # A section shows only with something under its heading (the article's own "External links"
    # is empty): its text, the chart it closes, or the organization's website.
    shown = [section for section in body_sections if section.body or section == chart_section]
    external_links = [
        section
        for section in sections
        if section.kind == ArticleSectionKind.EXTERNAL_LINKS and (section.body or coalition.website)
    ]
    return render(
        request,
        "organizations/home.html",
        {
            "organization": coalition,
            "lead": [section for section in shown if section.kind == ArticleSectionKind.LEAD],
            "sections": [section for section in shown if section.kind != ArticleSectionKind.LEAD],
            "external_links": external_links,
            "latest_members": charts.latest(figures),
            # The infobox links the member organizations only when the record names some.
            "names_members": published_memberships().filter(coalition=coalition).exists(),
            "chart": chart,
            "chart_section": chart_section,
            "footnotes": Footnotes.for_texts(coalition.description, *(section.body for section in sections)),
        },
    )


def organization_list(request):
    memberships = Prefetch(
        "memberships",
        queryset=published_memberships().select_related("coalition").prefetch_related(citations_prefetch()),
        to_attr="published_memberships",
    )
    queryset = Organization.objects.published().prefetch_related(memberships).order_by(translated("name").asc(), "pk")
    filterset, page, status = filtered_page(request, OrganizationFilter, queryset, PER_PAGE)
    return render(
        request,
        "organizations/organization_list.html",
        {"filterset": filterset, "page": page, "footnotes": Footnotes()},
        status=status,
    )


def organization_detail(request, slug):
    organization = get_object_or_404(
        viewable(request, Organization.objects.select_related("parent").prefetch_related(citations_prefetch())),
        slug=slug,
    )
    proposals = list(
        Proposal.objects.published()
        .filter(organization=organization)
        .select_related("modelled_on", "outcome_organization")
        .prefetch_related(citations_prefetch())
    )
    figures = list(
        ReportedFigure.objects.published()
        .filter(organization=organization)
        .select_related("event", "meeting")
        .prefetch_related(citations_prefetch())
        .order_by("metric", "as_of", "pk")
    )
    member_figures_ = [figure for figure in figures if figure.metric == FigureMetric.MEMBER_ORGANIZATIONS]
    participations = (
        EventParticipant.objects.filter(organization=organization, event__status=PUBLISHED)
        .select_related("event")
        .prefetch_related(citations_prefetch())
        .order_by("event__start", "pk")
    )
    partnerships = (
        EventPartner.objects.filter(organization=organization, event__status=PUBLISHED)
        .select_related("event")
        .prefetch_related(citations_prefetch())
        .order_by("event__start", "pk")
    )
    meetings = (
        Meeting.objects.published()
        # The ids it organized or attended, each read from its foreign key index, rather than a
        # join over every meeting with DISTINCT (or an OR, which PostgreSQL answers by a scan).
        .filter(
            pk__in=Meeting.objects.order_by()
            .filter(organization=organization)
            .values("pk")
            .union(Meeting.counterparts.through.objects.order_by().filter(organization=organization).values("meeting"))
        )
        .prefetch_related(citations_prefetch())
        .order_by("date", "pk")
    )
    context = {
        "organization": organization,
        "parent": organization.parent if organization.parent and organization.parent.is_published else None,
        "units": Organization.objects.published().filter(parent=organization),
        "coalitions": published_memberships()
        .filter(member=organization)
        .select_related("coalition")
        .prefetch_related(citations_prefetch()),
        "members": published_memberships()
        .filter(coalition=organization)
        .select_related("member")
        .prefetch_related(citations_prefetch())
        .order_by("joined", translated("member__name").asc()),
        "figures": figures,
        "latest_members": charts.latest(member_figures_),
        "chart": charts.line_chart(member_figures_),
        "organized_events": Event.objects.published()
        .filter(organizer=organization)
        .prefetch_related(citations_prefetch())
        .order_by("start", "pk"),
        "participations": participations,
        "partnerships": partnerships,
        "meetings": meetings,
        "roles": Role.objects.published()
        .filter(organization=organization, person__status=PUBLISHED)
        .select_related("person")
        .prefetch_related(citations_prefetch())
        .order_by("start", "pk"),
        "proposals": proposals,
        "has_article": ArticleSection.objects.published().filter(organization=organization).exists(),
        "is_coalition_article": organization.slug == COALITION_SLUG,
        "footnotes": Footnotes.for_texts(
            organization.description,
            *(text for proposal in proposals for text in (proposal.description, proposal.outcome)),
        ),
        **preview_context(organization),
    }
    return render(request, "organizations/organization_detail.html", context)


def person_list(request):
    roles = Prefetch(
        "roles",
        queryset=Role.objects.published().select_related("organization").prefetch_related(citations_prefetch()),
        to_attr="published_roles",
    )
    queryset = Person.objects.published().prefetch_related(roles).order_by(translated("name").asc(), "pk")
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "organizations/person_list.html", {"page": page, "footnotes": Footnotes()})


def person_detail(request, slug):
    person = get_object_or_404(viewable(request, Person.objects.prefetch_related(citations_prefetch())), slug=slug)
    roles = (
        Role.objects.published()
        .filter(person=person)
        .select_related("organization", "event")
        .prefetch_related(citations_prefetch())
        .order_by("start", "pk")
    )
    participations = (
        EventParticipant.objects.filter(person=person, event__status=PUBLISHED)
        .select_related("event")
        .prefetch_related(citations_prefetch())
        .order_by("event__start", "pk")
    )
    return render(
        request,
        "organizations/person_detail.html",
        {
            "person": person,
            "roles": roles,
            "participations": participations,
            "footnotes": Footnotes.for_texts(person.description),
            **preview_context(person),
        },
    )
