"""The FilterSets of the sources list (downloads and API) and of the API's citations."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Citation, LinkStatus, Source, SourceKind


class SourceFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=SourceKind.choices, label=_("kind"))
    link_status = django_filters.ChoiceFilter(choices=LinkStatus.choices, label=_("link status"))
    language = django_filters.CharFilter(label=_("language"))

    class Meta:
        model = Source
        fields = ["kind", "link_status", "language"]


class CitationFilter(django_filters.FilterSet):
    source = django_filters.CharFilter(field_name="source__key", label=_("source key"))
    claim = django_filters.CharFilter(label=_("claim"))

    class Meta:
        model = Citation
        fields = ["source", "claim"]
