"""Filters of the API's own collections (the others reuse the reader pages' FilterSets)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from citations.models import Citation


class CitationFilter(django_filters.FilterSet):
    source = django_filters.CharFilter(field_name="source__key", label=_("source key"))
    claim = django_filters.CharFilter(label=_("claim"))

    class Meta:
        model = Citation
        fields = ["source", "claim"]
