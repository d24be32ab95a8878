"""Reader pages: the coalition's article (the home page), organizations and people."""

from urllib.parse import urlencode

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from citations.footnotes import Footnotes
from records import sections
from records.contents import contents
from records.indexes import in_reader_language
from records.pagination import reader_page
from records.previews import preview_context, viewable
from records.versioning import rows_as_they_were

from . import charts
from .filters import OrganizationFilter, filtered_page
from .models import COALITION_SLUG, ArticleSectionKind, FigureMetric, Organization, OrganizationKind, Person, Role

PER_PAGE = 50


def members(organization):
    members = organization.member_records.published().between_published().with_member().with_citations()
    return members.order_by("joined", in_reader_language("member__name").asc(), "pk")


def meetings(organization):
    meetings = organization.meetings.model.objects  # events.Meeting: organizations may not import events
    return meetings.published().involving(organization).with_citations().chronological()


def people(organization):
    return organization.roles.published().of_published_people().with_citations().chronological()


# The lists of an organization's and a person's page that may grow without bound
# (records.sections), each showing at most 50 rows there: what a list page shows, and more than
# any list of the ALLMEP record holds (at most 5). An organization's events it organized, took
# part in and was a partner of share the page's list of events.
ORGANIZATION_SECTIONS = sections.sections(
    sections.Section("members", _("Members"), "organizations/includes/members.html", shown=50, rows=members),
    sections.Section(
        "organized-events",
        _("Events it organized"),
        "organizations/includes/organized_events.html",
        shown=50,
        rows=lambda organization: organization.organized_events.published().with_citations().chronological(),
        items=True,
    ),
    sections.Section(
        "participations",
        _("Events it took part in"),
        "organizations/includes/participations.html",
        shown=50,
        rows=lambda organization: organization.participations.at_published_events(),
        items=True,
    ),
    sections.Section(
        "partnerships",
        _("Events it was a partner of"),
        "organizations/includes/partnerships.html",
        shown=50,
        rows=lambda organization: organization.event_partnerships.at_published_events(),
        items=True,
    ),
    sections.Section("meetings", _("Meetings"), "organizations/includes/meetings.html", shown=50, rows=meetings),
    sections.Section("people", _("People"), "organizations/includes/people.html", shown=50, rows=people),
)

PERSON_SECTIONS = sections.sections(
    sections.Section(
        "roles",
        _("Roles over time"),
        "organizations/includes/person_roles.html",
        shown=50,
        rows=lambda person: (
            person.roles.published().select_related("organization", "event").with_citations().chronological()
        ),
    ),
    sections.Section(
        "events",
        _("Events"),
        "organizations/includes/person_events.html",
        shown=50,
        rows=lambda person: person.participations.at_published_events(),
    ),
)


def members_in_directory(organization):
    """The organizations directory filtered to a coalition's members, where its filter reaches
    (published coalitions); else None."""
    if organization.kind != OrganizationKind.COALITION or not organization.is_published:
        return None
    return f"{reverse('organizations:organization_list')}?{urlencode({'member_of': organization.slug})}"


def article_sections(sections, website, chart):
    """The article's sections by where the page shows them, and the one the chart closes."""
    body = [section for section in sections if section.kind != ArticleSectionKind.EXTERNAL_LINKS]
    history = [section for section in body if section.kind == ArticleSectionKind.HISTORY]
    # The chart closes the history section, where the membership figures are told.
    chart_section = history[-1] if history and chart else None
    # A section shows only with something under its heading (the article's own "External links"
    # is empty): its text, the chart it closes, or the organization's website.
    shown = [section for section in body if section.body or section == chart_section]
    return {
        "lead": [section for section in shown if section.kind == ArticleSectionKind.LEAD],
        "sections": [section for section in shown if section.kind != ArticleSectionKind.LEAD],
        "external_links": [
            section
            for section in sections
            if section.kind == ArticleSectionKind.EXTERNAL_LINKS and (section.body or website)
        ],
        "chart_section": chart_section,
    }


def article_contents(context):
    """The article's headings: its sections, the references, its external links."""
    return contents(
        *((section.pk, section.title or section.get_kind_display(), True) for section in context["sections"]),
        ("references", _("References"), True),
        *((section.pk, section.title or section.get_kind_display(), True) for section in context["external_links"]),
    )


def home(request):
    """The coalition's encyclopedia article: lead, infobox, sections, chart, references."""
    # Its latest version dates and links the article's metadata (allmep.seo), read with it.
    coalition = get_object_or_404(
        Organization.objects.published().with_citations().with_latest_version(), slug=COALITION_SLUG
    )
    sections = list(coalition.article_sections.published().with_citations().in_reading_order())
    figures = list(coalition.figures.published().member_counts().with_citations().chronological())
    chart = charts.line_chart(figures)
    context = {
        "organization": coalition,
        **article_sections(sections, coalition.website, chart),
        "latest_members": charts.latest(figures),
        # The infobox links the member organizations only when the record names some.
        "names_members": coalition.member_records.published().between_published().exists(),
        "chart": chart,
        "footnotes": Footnotes.for_texts(coalition.description, *(section.body for section in sections)),
    }
    context["contents"] = article_contents(context)
    # Each section with its heading, for the template.
    for name in ("sections", "external_links"):
        context[name] = [(section, context["contents"][section.pk]) for section in context[name]]
    return render(request, "organizations/home.html", context)


def organization_list(request):
    queryset = (
        Organization.objects.published().with_published_memberships().order_by(in_reader_language("name").asc(), "pk")
    )
    filterset, page, status = filtered_page(request, OrganizationFilter, queryset, PER_PAGE)
    return render(
        request,
        "organizations/organization_list.html",
        {"filterset": filterset, "page": page, "footnotes": Footnotes()},
        status=status,
    )


def organization_contents(context):
    """The headings of an organization's page (or of a version of it), as the page shows them."""
    get = context.get
    return contents(
        ("units", _("Units"), get("units")),
        ("memberships", _("Memberships"), get("coalitions")),
        ("members", _("Members"), get("members")),
        ("figures", _("Figures"), get("figures")),
        ("events", _("Events"), get("organized_events") or get("participations") or get("partnerships")),
        ("meetings", _("Meetings"), get("meetings")),
        ("people", _("People"), get("people")),
        ("proposals", _("Proposals"), get("proposals")),
        ("references", _("References"), context["footnotes"].will_list(context["organization"], *get("proposals", ()))),
    )


def organization_detail(request, slug):
    organization = get_object_or_404(
        viewable(request, Organization.objects.with_parent().with_citations().with_latest_version()), slug=slug
    )
    proposals = list(organization.proposals.published().with_organizations().with_citations())
    proposal_texts = [text for proposal in proposals for text in (proposal.description, proposal.outcome)]
    figures = list(organization.figures.published().select_related("event", "meeting").with_citations().by_metric())
    member_counts = [figure for figure in figures if figure.metric == FigureMetric.MEMBER_ORGANIZATIONS]
    lists = sections.first_rows_of(
        organization,
        ORGANIZATION_SECTIONS,
        "organizations:organization_section",
        organization.slug,
        members=lambda: members_in_directory(organization),
    )
    context = {
        "organization": organization,
        "parent": organization.parent if organization.parent and organization.parent.is_published else None,
        "units": organization.units.published(),
        "coalitions": organization.memberships.published().between_published().with_coalition().with_citations(),
        "figures": figures,
        "latest_members": charts.latest(member_counts),
        "chart": charts.line_chart(member_counts),
        **lists,
        "proposals": proposals,
        "has_article": organization.article_sections.published().exists(),
        "is_coalition_article": organization.slug == COALITION_SLUG,
        "footnotes": Footnotes.for_texts(organization.description, *proposal_texts),
        **preview_context(organization),
    }
    context["contents"] = organization_contents(context)
    return render(request, "organizations/organization_detail.html", context)


def organization_section(request, slug, section):
    """The numbered pages of one list of an organization's page (its meetings, its events...)."""
    section = sections.named(ORGANIZATION_SECTIONS, section)
    organization = get_object_or_404(viewable(request, Organization.objects.all()), slug=slug)
    return sections.section_page(request, organization, section, footnotes=Footnotes())


def person_list(request):
    queryset = Person.objects.published().with_published_roles().order_by(in_reader_language("name").asc(), "pk")
    page = reader_page(request, queryset, PER_PAGE)
    return render(request, "organizations/person_list.html", {"page": page, "footnotes": Footnotes()})


def person_contents(context):
    """The headings of a person's page (or of a version of it), as the page shows them."""
    return contents(
        ("roles", _("Roles over time"), context.get("roles")),
        ("events", _("Events"), context.get("events")),
        ("references", _("References"), context["footnotes"].will_list(context["person"])),
    )


def person_detail(request, slug):
    person = get_object_or_404(viewable(request, Person.objects.with_citations().with_latest_version()), slug=slug)
    context = {
        "person": person,
        **sections.first_rows_of(person, PERSON_SECTIONS, "organizations:person_section", person.slug),
        "footnotes": Footnotes.for_texts(person.description),
        **preview_context(person),
    }
    context["contents"] = person_contents(context)
    return render(request, "organizations/person_detail.html", context)


def person_section(request, slug, section):
    """The numbered pages of one list of a person's page (their roles, their events)."""
    section = sections.named(PERSON_SECTIONS, section)
    person = get_object_or_404(viewable(request, Person.objects.all()), slug=slug)
    return sections.section_page(request, person, section, footnotes=Footnotes())


# Pages as they were in a published version (allmep.views.record_version): the record's own fields
# and the rows it followed then (a person's roles) with their citations, from the version; the
# records they name (a parent, a role's organization) as they are now, and only if published.
# Lists of other records, each with a history of its own (members, figures, events), are not
# part of a version and are left to the current page.


def published_by_pk(model, keys):
    """{pk: record} of the published records of ``model`` among ``keys`` (one query, none for no keys)."""
    keys = {key for key in keys if key is not None}
    return model.objects.published().in_bulk(keys) if keys else {}


def organization_version(organization):
    parent = published_by_pk(Organization, [organization.parent_id]).get(organization.parent_id)
    context = {
        "organization": organization,
        "parent": parent,
        "is_coalition_article": organization.slug == COALITION_SLUG,
        "footnotes": Footnotes.for_texts(organization.description),
    }
    return "organizations/organization_detail.html", {**context, "contents": organization_contents(context)}


def person_version(person):
    roles = [role for role in rows_as_they_were(person, "roles") if role.is_published]
    organizations = published_by_pk(Organization, [role.organization_id for role in roles])
    # events.Event, through the role's key: this app may not import events.
    events = published_by_pk(Role._meta.get_field("event").related_model, [role.event_id for role in roles])
    for role in roles:
        role.organization = organizations.get(role.organization_id)
        role.event = events.get(role.event_id)
    roles.sort(key=lambda role: (str(role.start or ""), role.pk))
    context = {"person": person, "roles": roles, "footnotes": Footnotes.for_texts(person.description)}
    return "organizations/person_detail.html", {**context, "contents": person_contents(context)}


def section_version(section):
    """A section of an article read on its own (a section has no page of its own: the article is
    made of every section as it is now)."""
    return "organizations/section_version.html", {
        "section": section,
        "organization": Organization.objects.published().filter(pk=section.organization_id).first(),
        "footnotes": Footnotes.for_texts(section.body),
    }
