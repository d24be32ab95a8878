"""FilterSets for the downloadable lists that have no reader page filter of their own.

Where a reader page defines a FilterSet (organizations/filters.py, events/filters.py…), the
exports and the API use that one: see ``Table.filterset_path``.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from citations.models import LinkStatus, Source, SourceKind
from organizations.filters import in_any_language
from organizations.models import FigureMetric, Membership, Person, ReportedFigure


class MembershipFilter(django_filters.FilterSet):
    member = django_filters.CharFilter(field_name="member__slug", label=_("member"))
    coalition = django_filters.CharFilter(field_name="coalition__slug", label=_("coalition"))
    joined = django_filters.NumberFilter(label=_("Year joined"), method="filter_year", min_value=1900, max_value=2100)

    class Meta:
        model = Membership
        fields = ["member", "coalition", "joined"]

    def filter_year(self, queryset, name, value):
        year = int(value)
        return queryset.filter(**{f"{name}__gte": f"{year:04d}", f"{name}__lt": f"{year + 1:04d}"})


class PersonFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("name"), method="filter_name", max_length=200)

    class Meta:
        model = Person
        fields = ["name"]

    def filter_name(self, queryset, name, value):
        # Part of the name, in whichever language it is written.
        return queryset.filter(in_any_language("name", value, "icontains"))


class ReportedFigureFilter(django_filters.FilterSet):
    organization = django_filters.CharFilter(field_name="organization__slug", label=_("organization"))
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
