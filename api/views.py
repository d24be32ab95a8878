"""Read-only endpoints over the published record, filtered with the reader pages' FilterSets."""

from django.conf import settings
from django.db.models import Prefetch
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError

from citations.models import citations_prefetch
from citations.tables import cited_record_identifier, cited_table_name
from organizations.models import Organization
from records import kinds

from . import serializers
from .filters import CitationFilter

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
# A slug or key in a path: no slash, and no NUL, which no identifier holds and PostgreSQL
# refuses in a query (such a path gets the JSON 404 of any unknown address).
IDENTIFIER = "[^/\\x00]+"


class RecordViewSet(viewsets.ReadOnlyModelViewSet):
    """The list and the detail of one table; ``?lang=`` or Accept-Language picks the language."""

    table = None
    related = ()

    def initial(self, request, *args, **kwargs):
        language = request.query_params.get("lang")
        if language is not None:
            if language not in LANGUAGE_CODES:
                raise ValidationError({"lang": _("Choose one of: %(codes)s.") % {"codes": ", ".join(LANGUAGE_CODES)}})
            translation.activate(language)
            request.LANGUAGE_CODE = language
        super().initial(request, *args, **kwargs)

    def get_queryset(self):
        queryset = self.table.queryset().select_related(*self.related)
        if hasattr(self.table.model, "citations"):
            queryset = queryset.prefetch_related(citations_prefetch())
        return queryset.order_by(*self.table.model._meta.ordering, "pk")

    @property
    def filterset_class(self):
        return self.table.filterset_class


class OrganizationViewSet(RecordViewSet):
    table = kinds.list_tables()["organizations"]
    serializer_class = serializers.OrganizationSerializer
    lookup_field = "slug"
    lookup_value_regex = IDENTIFIER
    related = ("parent",)


class MembershipViewSet(RecordViewSet):
    table = kinds.list_tables()["memberships"]
    serializer_class = serializers.MembershipSerializer
    lookup_value_regex = "[0-9]+"
    related = ("member", "coalition")


class ReportedFigureViewSet(RecordViewSet):
    table = kinds.list_tables()["figures"]
    serializer_class = serializers.ReportedFigureSerializer
    lookup_value_regex = "[0-9]+"
    related = ("organization", "event", "meeting")


class PersonViewSet(RecordViewSet):
    table = kinds.list_tables()["people"]
    serializer_class = serializers.PersonSerializer
    lookup_field = "slug"
    lookup_value_regex = IDENTIFIER


class EventViewSet(RecordViewSet):
    table = kinds.list_tables()["events"]
    serializer_class = serializers.EventSerializer
    lookup_field = "slug"
    lookup_value_regex = IDENTIFIER
    related = ("organizer", "parent")


class MeetingViewSet(RecordViewSet):
    table = kinds.list_tables()["meetings"]
    serializer_class = serializers.MeetingSerializer
    lookup_field = "slug"
    lookup_value_regex = IDENTIFIER
    related = ("organization", "event")

    def get_queryset(self):
        counterparts = Organization.objects.published().order_by("slug")
        return super().get_queryset().prefetch_related(Prefetch("counterparts", queryset=counterparts))


class SourceViewSet(RecordViewSet):
    table = kinds.list_tables()["sources"]
    serializer_class = serializers.SourceSerializer
    lookup_field = "key"
    lookup_value_regex = IDENTIFIER
    related = ("publisher_organization",)


class CitationViewSet(RecordViewSet):
    table = kinds.package_tables()["citations"]
    serializer_class = serializers.CitationSerializer
    lookup_value_regex = "[0-9]+"
    related = ("source",)

    @property
    def filterset_class(self):
        return CitationFilter

    def get_queryset(self):
        return super().get_queryset().annotate(record_type=cited_table_name(), record_id=cited_record_identifier())


def not_found(request, path=""):
    """Any other address under /api/ answers in JSON, like the API itself."""
    return JsonResponse({"detail": _("Not found.")}, status=404)
