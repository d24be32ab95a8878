"""Filters of the API's own collections (the others reuse the reader pages' FilterSets)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from citations.models import Citation, Source


class CitationFilter(django_filters.FilterSet):
    source = django_filters.ModelChoiceFilter(
        label=_("source"), to_field_name="key", queryset=lambda request=None: Source.objects.published()
    )
    claim = django_filters.CharFilter(label=_("claim"))

    class Meta:
        model = Citation
        fields = ["source", "claim"]
