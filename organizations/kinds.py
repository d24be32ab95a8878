"""The kinds of record of this app, for the rest of the site (see records.kinds)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from records.kinds import Endpoint, RecordKind, SearchFields

from . import api, structured_data, tables, views
from .models import COALITION_SLUG, ArticleSection, Membership, Organization, Person, Proposal, ReportedFigure, Role


def is_coalition(organization):
    """Whether an organization's page is the coalition's article (the home page)."""
    return organization.slug == COALITION_SLUG


KINDS = (
    RecordKind(
        Organization,
        name="organization",
        page="organizations:organization_detail",
        title_field="name",
        list_page="organizations:organization_list",
        sitemap_priority=0.8,
        citable=True,
        claim_labels={
            "member_kinds": _("kinds of members"),
            "contact_with_us_officials": _("contact with US officials"),
        },
        structured_data=structured_data.organization_data,
        search=SearchFields(title="name", names=("short_name",), fields=("summary",), prose=("description",)),
        history=True,
        version_page=views.organization_version,
        tables=(tables.ORGANIZATIONS,),
        api=(Endpoint("organizations", api.OrganizationViewSet, "organization", position=10),),
    ),
    RecordKind(
        Person,
        name="person",
        page="organizations:person_detail",
        title_field="name",
        list_page="organizations:person_list",
        citable=True,
        structured_data=structured_data.person_data,
        og_type="profile",
        search=SearchFields(title="name", fields=("summary",), prose=("description",)),
        history=True,
        version_page=views.person_version,
        tables=(tables.PEOPLE,),
        api=(Endpoint("people", api.PersonViewSet, "person", position=50),),
        # A person's roles are edited on the person's page: a version of the person holds them.
        follow=("roles",),
    ),
    RecordKind(
        Membership,
        page_of="member",
        tables=(tables.MEMBERSHIPS,),
        api=(Endpoint("memberships", api.MembershipViewSet, "membership", position=20),),
    ),
    RecordKind(
        ReportedFigure,
        page_of="organization",
        tables=(tables.FIGURES,),
        api=(Endpoint("figures", api.ReportedFigureViewSet, "figure", position=80),),
    ),
    RecordKind(
        Role,
        page_of="person",
        # A role's "title" is the position held, not a heading.
        claim_labels={"title": pgettext_lazy("a position a person held", "position")},
        tables=(tables.ROLES,),
    ),
    RecordKind(
        ArticleSection,
        page_of="organization",
        within="organization",
        is_article=is_coalition,
        search=SearchFields(title="title", prose=("body",)),
        history=True,
        version_page=views.section_version,
        tables=(tables.ARTICLE_SECTIONS,),
    ),
    RecordKind(Proposal, page_of="organization", tables=(tables.PROPOSALS,)),
)
