"""FilterSets for the downloadable lists that have no reader page filter of their own.

Where a reader page defines a FilterSet (organizations/filters.py, events/filters.py…), the
exports and the API use that one: see ``Table.filterset_paths``.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from citations.models import LinkStatus, Source, SourceKind
from organizations.models import FigureMetric, Membership, Organization, OrganizationKind, ReportedFigure


def published_organizations(request=None):
    return Organization.objects.published()


class MembershipFilter(django_filters.FilterSet):
    member = django_filters.ModelChoiceFilter(label=_("member"), to_field_name="slug", queryset=published_organizations)
    coalition = django_filters.ModelChoiceFilter(
        label=_("coalition"),
        to_field_name="slug",
        queryset=lambda request=None: Organization.objects.published().filter(kind=OrganizationKind.COALITION),
    )
    joined = django_filters.NumberFilter(label=_("Year joined"), method="filter_year", min_value=1900, max_value=2100)

    class Meta:
        model = Membership
        fields = ["member", "coalition", "joined"]

    def filter_year(self, queryset, name, value):
        year = int(value)
        return queryset.filter(**{f"{name}__gte": f"{year:04d}", f"{name}__lt": f"{year + 1:04d}"})


class ReportedFigureFilter(django_filters.FilterSet):
    organization = django_filters.ModelChoiceFilter(
        label=_("organization"), to_field_name="slug", queryset=published_organizations
    )
    metric = django_filters.ChoiceFilter(choices=FigureMetric.choices, label=_("metric"))

    class Meta:
        model = ReportedFigure
        fields = ["organization", "metric"]


class SourceFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=SourceKind.choices, label=_("kind"))
    link_status = django_filters.ChoiceFilter(choices=LinkStatus.choices, label=_("link status"))
    language = django_filters.CharFilter(label=_("language"))

    class Meta:
        model = Source
        fields = ["kind", "link_status", "language"]
