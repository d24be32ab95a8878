"""The search page: /<lang>/search/?q=… in the reader's language."""

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import get_language, override

from .queries import MAX_QUERY_LENGTH, MAX_TERMS, matching, query_terms
from .snippets import highlight, snippet

RESULTS_PER_PAGE = 20
TEMPLATE = "search/results.html"


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
    documents = matching(terms, language).select_related("content_type").prefetch_related("record")
    page = Paginator(documents, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    context["page"] = page
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
