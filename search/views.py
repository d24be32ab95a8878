"""The search page: /<lang>/search/?q=… in the reader's language."""

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import get_language, override

from .queries import MAX_QUERY_LENGTH, MAX_TERMS, matching, query_terms
from .snippets import highlight, snippet

RESULTS_PER_PAGE = 20
# Results counted and paged at most: a common word matches tens of thousands of documents, and
# counting them all costs as much as ranking them. Past the cap the page says "more than".
MAX_RESULTS = 1000
TEMPLATE = "search/results.html"


class CappedPaginator(Paginator):
    """Counts at most ``MAX_RESULTS + 1`` matches and pages through the first ``MAX_RESULTS``.

    The count reads the keys of ``matches`` (every match; by default the pages' own list), unranked
    and unsorted, and stops at the cap; a page number past the last capped page shows the last
    one (``get_page`` clamps as before).
    """

    def __init__(self, object_list, per_page, matches=None):
        super().__init__(object_list, per_page)
        self.matches = object_list if matches is None else matches

    @cached_property
    def found(self):
        return self.matches.order_by().values("pk")[: MAX_RESULTS + 1].count()

    @property
    def more(self):
        return self.found > MAX_RESULTS

    @cached_property
    def count(self):
        return min(self.found, MAX_RESULTS)


@dataclass(frozen=True)
class Result:
    title: str
    url: str
    kind: str
    snippet: str


def record_url(record):
    """The page showing a record: its own page, or the home page (the article) at a section."""
    try:
        if hasattr(record, "get_absolute_url"):
            return record.get_absolute_url()
        return f"{reverse('organizations:home')}#section-{record.pk}"
    except NoReverseMatch:
        return ""


def results(request):
    text = request.GET.get("q", "")
    context = {"query": text, "max_length": MAX_QUERY_LENGTH, "seo_noindex": True}
    if len(text) > MAX_QUERY_LENGTH:
        context["too_long"] = len(text)
        return render(request, TEMPLATE, context, status=400)
    terms = query_terms(text)
    context["truncated"] = len(terms) > MAX_TERMS and MAX_TERMS
    terms = terms[:MAX_TERMS]
    if not terms:
        context["blank" if not text.strip() else "no_words"] = True
        return render(request, TEMPLATE, context)

    language = get_language()
    # The pages rank only the best MAX_RESULTS; the count reads every match, up to the cap.
    best = matching(terms, language, best=MAX_RESULTS).select_related("content_type").prefetch_related("record")
    paginator = CappedPaginator(best, RESULTS_PER_PAGE, matches=matching(terms, language))
    page = paginator.get_page(request.GET.get("page"))
    context["page"] = page
    context["more_than"] = page.paginator.more and MAX_RESULTS
    context["results"] = [
        Result(
            title=highlight(document.title, terms),
            url=record_url(document.record),
            kind=capfirst(document.content_type.model_class()._meta.verbose_name),
            snippet=snippet(document.text, terms),
        )
        for document in page.object_list
        # A document outliving its record (or its publication) is never shown.
        if document.record is not None and document.record.is_published
    ]
    if not page.paginator.count:
        context["elsewhere"] = elsewhere(text, terms, language)
    return render(request, TEMPLATE, context)


def elsewhere(text, terms, language):
    """(language name, count, url, code) for the other languages that have results."""
    found = []
    for code, name in settings.LANGUAGES:
        if code == language:
            continue
        count = matching(terms, code).count()
        if count:
            with override(code):
                url = f"{reverse('search:results')}?{urlencode({'q': text})}"
            found.append((name, count, url, code))
    return found
