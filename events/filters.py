"""FilterSets of the event timeline and the meetings list (reused by exports and the API)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from organizations.filters import TranslatedOrderingFilter
from organizations.models import Organization

from .models import Event, EventKind, Meeting

ANY = _("any")


def year_filter(field_name):
    """Records dated within a year: EDTF strings of a year sort between "YYYY" and "YYYY+1"."""

    def filter_year(queryset, name, value):
        year = int(value)
        return queryset.filter(**{f"{field_name}__gte": f"{year:04d}", f"{field_name}__lt": f"{year + 1:04d}"})

    return django_filters.NumberFilter(label=_("Year"), method=filter_year, min_value=1900, max_value=2100)


class EventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(empty_label=ANY, label=_("Kind"), choices=EventKind.choices)
    year = year_filter("start")
    organizer = django_filters.ModelChoiceFilter(
        empty_label=ANY,
        label=_("Organizer"),
        to_field_name="slug",
        queryset=Organization.objects.published().filter(organized_events__isnull=False).distinct(),
    )

    class Meta:
        model = Event
        fields = ["kind", "year", "organizer"]


class MeetingFilter(django_filters.FilterSet):
    year = year_filter("date")
    counterpart = django_filters.ModelChoiceFilter(
        empty_label=ANY,
        label=_("Met with"),
        field_name="counterparts",
        to_field_name="slug",
        queryset=Organization.objects.published().filter(meetings_as_counterpart__isnull=False).distinct(),
    )
    sort = TranslatedOrderingFilter(
        label=_("Sort by"),
        empty_label=_("usual order"),
        fields=(("date", "date"), ("title", "title")),
        field_labels={
            "date": _("date"),
            "-date": _("date (latest first)"),
            "title": _("title"),
            "-title": _("title (Z–A)"),
        },
        translated_fields=("title",),
    )

    class Meta:
        model = Meeting
        fields = ["year", "counterpart"]
