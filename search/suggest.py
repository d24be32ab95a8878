"""Organization suggestions for the search boxes of the event and meeting filters
(events.filters.OrganizationField, static/js/organization-suggest.js)."""

from django import forms
from django.db.models import Q
from django.http import JsonResponse
from django.views.decorators.http import require_safe

from organizations.filters import in_any_language
from organizations.models import Organization
from records.indexes import in_reader_language

from .queries import MAX_TERMS, query_terms, titles_starting_with

# Enough to pick from; a longer list says "type more" better than a scrollbar.
MAX_SUGGESTIONS = 20


class SuggestForm(forms.Form):
    # The longest name; Django's field also refuses the NUL character PostgreSQL cannot compare.
    q = forms.CharField(max_length=300, required=False)


@require_safe
def organization_suggest(request):
    """At most MAX_SUGGESTIONS published organizations whose name in any language, or whose
    identifier, contains ``q``: their identifiers, which the filters take, and their names in the
    reader's language, sorted by those names."""
    form = SuggestForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"results": [], "errors": form.errors}, status=400)
    query = form.cleaned_data["q"]
    if not query:
        return JsonResponse({"results": []})
    matches = (
        Q(slug__icontains=query)
        | in_any_language("name", query, "icontains")
        # Also as the search normalizes words: without hamza, tashkeel or clitics.
        | Q(pk__in=titles_starting_with(query_terms(query)[:MAX_TERMS], Organization))
    )
    organizations = (
        Organization.objects.published()
        .filter(matches)
        .only("slug", "name_ar", "name_en", "name_he")
        .order_by(in_reader_language("name").asc(), "pk")[:MAX_SUGGESTIONS]
    )
    # organization.name: the reader's language with modeltranslation's fallbacks, as on the pages.
    return JsonResponse({"results": [{"slug": o.slug, "name": o.name} for o in organizations]})
