"""Finding documents for a query, on PostgreSQL by full-text search, elsewhere by word starts."""

import operator
from functools import reduce

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, FloatField, Func, Q, Value, When

from .indexing import CONFIGS, DEFAULT_CONFIG, rum_index_definition, uses_full_text_search
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


_rum_present = {}  # database name -> whether it has the RUM index, asked once per process


def has_rum_index():
    """Whether this database orders matches with the RUM index: asked once per process and database.

    Forgotten after ``migrate`` (see :func:`forget_rum_index`); a RUM index created or dropped by
    hand is seen by workers started afterwards.
    """
    name = connection.settings_dict["NAME"]
    if name not in _rum_present:
        with connection.cursor() as cursor:
            _rum_present[name] = rum_index_definition(cursor) is not None
    return _rum_present[name]


def forget_rum_index(**kwargs):
    """Ask again on the next search (connected to ``post_migrate``)."""
    _rum_present.clear()


class RumDistance(Func):
    """RUM's distance between a document and a query, ``vector <=> query``: smaller is better.

    It is ``1 / rum_ts_score``, which weighs A–D as ``ts_rank`` does (1, 0.4, 0.2, 0.1) and orders a
    one-word query's matches as ``ts_rank`` does; for several words it is a cover-density score,
    rewarding the words close together (as ``ts_rank_cd``). Ordering by it is what lets
    PostgreSQL read the best matches from the RUM index instead of ranking every match.
    """

    arg_joiner = " <=> "
    template = "(%(expressions)s)"
    output_field = FloatField()


def matching(query_terms, language, best=None):
    """Documents for readers of ``language`` containing every term, best first; with ``best``,
    only the first ``best`` of them are promised (a reader pages through no more).

    On PostgreSQL, ranked by full-text search: a one-word query with the RUM index by RUM's
    distance, which orders its matches as ``ts_rank`` does; otherwise by ``ts_rank``. Elsewhere
    by where the terms are found. Ties go by title, then key, so every page of results follows
    from one order.

    With the RUM index and ``best``, PostgreSQL reads the best ``best`` from the index in order,
    then sorts just them, instead of ranking every match (a common word matches tens of
    thousands of documents). It does so only when the distance is the whole ORDER BY, and ties
    then come in whatever order the index keeps them, hence the two steps: the same ``best``
    documents for every page of a search, and one order among them. Several words are ranked
    with ``ts_rank`` even then: RUM scores them by how close together they stand, not by how
    often each occurs, and measured no faster (18-140 ms against 15-140 ms at full synthetic
    scale; sometimes twice as slow).
    """
    documents = SearchDocument.objects.filter(language=language)
    if uses_full_text_search():
        query = full_text_query(query_terms)
        documents = documents.filter(vector=query)
        if len(query_terms) == 1 and has_rum_index():
            distance = RumDistance(F("vector"), query)
            if best is not None:
                nearest = documents.order_by(distance.asc()).values("pk")[:best]
                documents = SearchDocument.objects.filter(pk__in=nearest)
            return documents.order_by(distance.asc(), "title", "pk")
        rank = SearchRank(F("vector"), query)
    else:
        # Every term starts a word of the document; a term in the title counts three times as much.
        documents = documents.filter(reduce(operator.and_, [Q(terms__contains=f" {term}") for term in query_terms]))
        score = [
            Case(When(title_terms__contains=f" {term}", then=Value(3.0)), default=Value(1.0)) for term in query_terms
        ]
        rank = reduce(operator.add, score, Value(0.0, output_field=FloatField()))
    return documents.order_by(rank.desc(), "title", "pk")


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
