"""FilterSets of the reader directories; exports and the API reuse them, so they depend on no
request and read only published rows."""

import django_filters
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from records.indexes import in_reader_language
from records.pagination import reader_page
from records.widgets import CompactSelect

from .models import FigureMetric, Membership, Organization, OrganizationKind, Person, ReportedFigure

# The empty choice of a filter's menu.
ANY = _("any")


def in_any_language(field_name, value, lookup="exact"):
    """``field_name`` matches ``value`` in one of the languages' columns, whichever."""
    conditions = Q()
    for code, _name in settings.LANGUAGES:
        conditions |= Q(**{f"{field_name}_{code}__{lookup}": value})
    return conditions


class TranslatedOrderingFilter(django_filters.OrderingFilter):
    """OrderingFilter that sorts translated fields with their language fallbacks."""

    def __init__(self, *args, translated_fields=(), **kwargs):
        self.translated_fields = set(translated_fields)
        super().__init__(*args, **kwargs)

    def get_ordering_value(self, param):
        value = super().get_ordering_value(param)
        name = value.lstrip("-")
        if name not in self.translated_fields:
            return value
        expression = in_reader_language(name)
        return expression.desc() if value.startswith("-") else expression.asc()

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            # A stable order across pages when the sort key ties (two undated records).
            qs = qs.order_by(*qs.query.order_by, "pk")
        return qs


def filtered_page(request, filterset_class, queryset, per_page=50):
    """A reader list's FilterSet, page and response status. Bad filter input is a 400 that shows
    the form's messages; a page number that is not a page shows the nearest one (get_page clamps)."""
    filterset = filterset_class(request.GET or None, queryset=queryset)
    valid = not filterset.is_bound or filterset.is_valid()
    page = reader_page(request, filterset.qs if valid else queryset.none(), per_page)
    return filterset, page, 200 if valid else 400


def country_choices():
    # Country names in the reader's language, looked up when the form is built.
    return list(countries)


class OrganizationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(empty_label=ANY, label=_("Kind"), choices=OrganizationKind.choices)
    country = django_filters.ChoiceFilter(
        empty_label=ANY, label=_("Country"), choices=country_choices, widget=CompactSelect
    )
    member_of = django_filters.ModelChoiceFilter(
        empty_label=ANY,
        label=_("Member of"),
        to_field_name="slug",
        queryset=Organization.objects.published().filter(kind=OrganizationKind.COALITION),
        method="filter_member_of",
    )
    joined = django_filters.NumberFilter(label=_("Year joined"), method="filter_joined", min_value=1900, max_value=2100)
    sort = TranslatedOrderingFilter(
        label=_("Sort by"),
        empty_label=_("usual order"),
        fields=(("name", "name"), ("founded", "founded")),
        field_labels={
            "name": _("name"),
            "-name": _("name (Z–A)"),
            "founded": _("founded"),
            "-founded": _("founded (latest first)"),
        },
        translated_fields=("name",),
    )

    class Meta:
        model = Organization
        fields = ["kind", "country", "member_of", "joined"]

    def filter_member_of(self, queryset, name, value: Organization):
        # The hint tells drf-spectacular the parameter is not a number (a coalition's slug).
        return queryset.filter(
            pk__in=Membership.objects.published().between_published().filter(coalition=value).values("member")
        )

    def filter_joined(self, queryset, name, value):
        """Members that joined in a year (of the coalition chosen in member_of, if any)."""
        year = int(value)
        memberships = (
            Membership.objects.published()
            .between_published()
            .filter(joined__gte=f"{year:04d}", joined__lt=f"{year + 1:04d}")
        )
        coalition = self.form.cleaned_data.get("member_of")
        if coalition is not None:
            memberships = memberships.filter(coalition=coalition)
        return queryset.filter(pk__in=memberships.values("member"))


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
