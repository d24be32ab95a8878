"""The API's base viewset: the list and the detail of one kind's table, in the reader's language."""

from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError

from .languages import LANGUAGE_CODES

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
        # Records that carry citations (citations.models.CitedQuerySet) list their sources.
        if hasattr(queryset, "with_citations"):
            queryset = queryset.with_citations()
        return queryset.order_by(*self.table.model._meta.ordering, "pk")

    @property
    def filterset_class(self):
        return self.table.filterset_class
