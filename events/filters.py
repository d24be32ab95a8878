"""FilterSets of the event timeline and the meetings list (reused by exports and the API)."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from organizations.filters import TranslatedOrderingFilter, in_any_language
from organizations.models import Organization

from .models import Event, EventKind, Meeting

ANY = _("any")


def year_filter(field_name):
    """Records dated within a year: EDTF strings of a year sort between "YYYY" and "YYYY+1"."""

    def filter_year(queryset, name, value):
        year = int(value)
        return queryset.filter(**{f"{field_name}__gte": f"{year:04d}", f"{field_name}__lt": f"{year + 1:04d}"})

    return django_filters.NumberFilter(label=_("Year"), method=filter_year, min_value=1900, max_value=2100)


class OrganizationSearchInput(forms.TextInput):
    """A search box for one organization. static/js/organization-suggest.js offers suggestions
    from the address in data-suggest; without script the reader types an identifier or a name."""

    input_type = "search"

    def __init__(self, attrs=None):
        super().__init__(
            {
                # Lazy: the address carries the reader's language, known only when rendering.
                "data-suggest": reverse_lazy("organization_suggest"),
                "placeholder": _("name or identifier"),
                "autocomplete": "off",
                "spellcheck": "false",
                "dir": "auto",
                **(attrs or {}),
            }
        )


class OrganizationField(forms.CharField):
    """An organization given by its identifier (slug) or its exact name in any language, cleaned
    to the primary keys of the published organizations it names: one query on the slug and name
    indexes, whatever the number of organizations (a menu of them all does not scale)."""

    widget = OrganizationSearchInput

    def __init__(self, *, help_text="", **kwargs):
        # The help text is for the OpenAPI description, which reads it from the filter; the page's
        # form shows none (its placeholder says the same), so no aria-describedby points nowhere.
        kwargs.setdefault("max_length", 300)  # the longest name
        super().__init__(**kwargs)

    def clean(self, value):
        # After the text checks (length, no NUL character, which PostgreSQL refuses to compare).
        value = super().clean(value)
        if not value:
            return None
        names = Q(slug=value) | in_any_language("name", value)
        # A name two organizations share names both; list() runs the query once, while cleaning.
        organizations = list(Organization.objects.published().filter(names).values_list("pk", flat=True)[:20])
        if not organizations:
            raise ValidationError(
                _("No organization in the record is called “%(value)s”: type its exact name or its identifier."),
                code="invalid_choice",
                params={"value": value},
            )
        return organizations


class OrganizationNameFilter(django_filters.CharFilter):
    """Records related to the organization a reader names (``OrganizationField``). A string in the
    OpenAPI description, as a CharFilter."""

    field_class = OrganizationField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", _("An organization's identifier (slug), or its exact name in any language."))
        super().__init__(*args, lookup_expr="in", **kwargs)


class EventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(empty_label=ANY, label=_("Kind"), choices=EventKind.choices)
    year = year_filter("start")
    organizer = OrganizationNameFilter(label=_("Organizer"))

    class Meta:
        model = Event
        fields = ["kind", "year", "organizer"]


class MeetingFilter(django_filters.FilterSet):
    year = year_filter("date")
    counterpart = OrganizationNameFilter(label=_("Met with"), method="filter_counterpart")
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

    def filter_counterpart(self, queryset, name, value):
        # Through the link table's index, and no join on the list itself: a meeting with two
        # counterparts of one name is listed once, without DISTINCT over the whole list.
        meetings = Meeting.counterparts.through.objects.filter(organization__in=value).values("meeting")
        return queryset.filter(pk__in=meetings)
