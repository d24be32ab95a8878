"""Finding documents for a query, on PostgreSQL by full-text search, elsewhere by word starts."""

import operator
from functools import reduce

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Case, F, FloatField, Q, Value, When

from .indexing import CONFIGS, DEFAULT_CONFIG, uses_full_text_search
from .models import SearchDocument
from .normalize import terms

MAX_QUERY_LENGTH = 500  # characters; longer is refused with a 400
MAX_TERMS = 10  # words searched for; the rest are ignored, and the reader told so
MAX_TERM_LENGTH = 64  # no word is longer; a longer one is matched by its start


def query_terms(text):
    """The distinct normalized terms of a query, in the order typed."""
    return list(dict.fromkeys(term[:MAX_TERM_LENGTH] for term in terms(text)))


def full_text_query(query_terms):
    """Every term, each matching words that start with it, analysed in every language's configuration.

    A document's text is analysed in the language it is written in, which need not be the
    reader's (a Hebrew page may show English text), so the query is tried in each. Terms are
    letters and digits only (see :mod:`search.normalize`), so quoting them is safe.
    """
    raw = " & ".join(f"'{term}':*" for term in query_terms)
    configs = dict.fromkeys([*CONFIGS.values(), DEFAULT_CONFIG])
    return reduce(operator.or_, [SearchQuery(raw, config=config, search_type="raw") for config in configs])


def matching(query_terms, language):
    """Documents for readers of ``language`` containing every term, best first, annotated with ``rank``."""
    documents = SearchDocument.objects.filter(language=language)
    if uses_full_text_search():
        query = full_text_query(query_terms)
        documents = documents.filter(vector=query).annotate(rank=SearchRank(F("vector"), query))
    else:
        # Every term starts a word of the document; a term in the title counts three times as much.
        documents = documents.filter(reduce(operator.and_, [Q(terms__contains=f" {term}") for term in query_terms]))
        score = [
            Case(When(title_terms__contains=f" {term}", then=Value(3.0)), default=Value(1.0)) for term in query_terms
        ]
        documents = documents.annotate(rank=reduce(operator.add, score, Value(0.0, output_field=FloatField())))
    return documents.order_by("-rank", "title", "pk")


def titles_starting_with(query_terms, model):
    """Keys of ``model``'s records whose title, in any language, has a word starting with every
    term: how name suggestions match as search does («احمد» finds «أحمد»)."""
    if not query_terms:
        return SearchDocument.objects.none().values("object_id")
    opts = model._meta
    documents = SearchDocument.objects.filter(
        content_type__app_label=opts.app_label, content_type__model=opts.model_name
    )
    for term in query_terms:
        documents = documents.filter(title_terms__contains=f" {term}")
    return documents.values("object_id")
