"""What each kind of record contributes to the search index, and keeping the index current.

Every published record gets one :class:`~search.models.SearchDocument` per reader language,
holding the text that reader sees: the language's own columns, falling back as the pages do
(see ``MODELTRANSLATION_FALLBACK_LANGUAGES``). Each piece of text is analysed by PostgreSQL
with the configuration of the language it is written in, after :func:`search.normalize.terms`.
Drafts have no documents, so search can never show one.
"""

import functools
from contextlib import contextmanager

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.db import connection, transaction
from django.db.models import Expression
from django.utils import translation
from modeltranslation.utils import build_localized_fieldname, resolution_order

from records import kinds
from records.languages import translated_fields
from records.prose import plain_text

from .models import SearchDocument
from .normalize import terms

# PostgreSQL text search configuration per language; anything else is matched word for word.
CONFIGS = {"ar": "arabic", "en": "english", "he": "simple"}
DEFAULT_CONFIG = "simple"
ANALYSED = {*CONFIGS.values(), DEFAULT_CONFIG}
WEIGHTS = ("A", "B", "C", "D")
# The RUM index on the vector (migration 0003), where PostgreSQL has the rum extension: search
# reads the best matches from it in order (search.queries).
RUM_INDEX = "search_document_vector_rum"


def searched_kinds():
    """The kinds of record search reads (registered with their ``search`` fields)."""
    return [kind for kind in kinds.all_kinds() if kind.search is not None]


def indexed_models():
    return [kind.model for kind in searched_kinds()]


def uses_full_text_search():
    return connection.vendor == "postgresql"


def read(record, field, language):
    """The text a reader of ``language`` sees in ``field``, and the language it is written in.

    An untranslated field is taken to be in the record's own ``language`` when it has one (a
    source's title); otherwise its language is unknown ("").
    """
    columns = translations(type(record), field, language)
    if columns is not None:
        for column, code in columns:
            value = getattr(record, column, "")
            if value:
                return value, code
        return "", language
    return getattr(record, field) or "", getattr(record, "language", "") or ""


@functools.cache
def translations(model, field, language):
    """Where a reader of ``language`` reads a translated field, in order: ((column, language), …),
    the language's own column then its fallbacks; None for a field that is not translated.
    Remembered: a rebuild asks it several times per document."""
    if field not in translated_fields(model):
        return None
    return tuple((build_localized_fieldname(field, code), code) for code in resolution_order(language))


def config_for(language):
    return CONFIGS.get(language.split("-")[0].lower(), DEFAULT_CONFIG)


def build_document(record, language, content_type):
    """The unsaved document of ``record`` for readers of ``language``, or None if it has no text.

    The one way a document is built: :func:`index` (one record) and :func:`rebuild` (all of them)
    both call it.
    """
    kind = kinds.kind_of(record)
    spec = kind.search
    title, title_language = read(record, spec.title, language)
    if not title:
        title, title_language = untitled(record, kind, language)
    pieces = [(title, title_language, "A")]
    pieces += [(*read(record, field, language), "A") for field in spec.names]
    pieces += [(*read(record, field, language), "B") for field in spec.fields]
    for field in spec.prose:
        text, text_language = read(record, field, language)
        pieces.append((plain_text(text), text_language, "C"))
    # Each piece's words once: normalizing is most of the Python time of a rebuild.
    pieces = [(text, text_language, weight, terms(text)) for text, text_language, weight in pieces if text]
    if not pieces:
        return None
    document = SearchDocument(
        content_type_id=content_type.pk,
        object_id=record.pk,
        language=language,
        title=title[:500],
        text="\n".join(text for text, _language, weight, _words in pieces if weight != "A"),
        title_terms=spaced(words for _text, _language, weight, words in pieces if weight == "A"),
        terms=spaced(words for _text, _language, _weight, words in pieces),
    )
    if uses_full_text_search():
        document.vector = WeightedVector(
            [(config_for(text_language), " ".join(words), weight) for _text, text_language, weight, words in pieces]
        )
    return document


class WeightedVector(Expression):
    """The pieces of a document analysed by PostgreSQL and weighted, in order, as one tsvector:
    ``setweight(to_tsvector(config, words), weight) || …``.

    What a sum of ``SearchVector(Value(words), config=…, weight=…)`` writes, without an expression
    tree to resolve and compile per piece, which took most of a rebuild's time. The configuration
    and the weight are written into the SQL (they come from two short fixed lists), so a batch of
    a thousand documents is one parameter per piece to bind rather than three.
    """

    output_field = SearchVectorField()
    PIECE = "setweight(to_tsvector({config}, {words}), {weight})"

    def __init__(self, pieces):
        super().__init__()
        for config, _words, weight in pieces:
            if config not in ANALYSED or weight not in WEIGHTS:
                raise ValueError(f"Unknown text search configuration or weight: {config!r}, {weight!r}")
        self.pieces = pieces  # [(configuration, words, weight)]

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        return self  # nothing in it refers to a column

    def as_sql(self, compiler, connection):
        sql = " || ".join(
            self.PIECE.format(config=f"'{config}'::regconfig", words="%s", weight=f"'{weight}'")
            for config, _words, weight in self.pieces
        )
        return sql, [words for _config, words, _weight in self.pieces]


def untitled(record, kind, language):
    """A title for a record without one: the title of the record it is shown within (an
    article's lead is titled with the article's name), else its own description of itself."""
    within = getattr(record, kind.within, None) if kind.within else None
    if within is not None:
        title, title_language = read(within, kinds.kind_of(within).search.title, language)
        if title:
            return title, title_language
    with translation.override(language):
        return str(record), language


def spaced(word_lists):
    """Normalized words with a space before each, so " word" matches a word by its start."""
    words = " ".join(word for words in word_lists for word in words)
    return f" {words} " if words else ""


def is_searchable(record):
    if not record.is_published:
        return False
    within = kinds.kind_of(record).within
    if within:
        field = record._meta.get_field(within)
        return field.related_model.objects.published().filter(pk=getattr(record, field.attname)).exists()
    return True


def documents_of(record, content_type):
    """The unsaved documents of a searchable record, one per reader language that has text."""
    documents = (build_document(record, language, content_type) for language, _name in settings.LANGUAGES)
    return [document for document in documents if document is not None]


def index(record):
    """Bring the documents of one record up to date: one per language if it is searchable, else none."""
    content_type = ContentType.objects.get_for_model(record)
    remove(record, content_type)
    if not is_searchable(record):
        return 0
    documents = documents_of(record, content_type)
    SearchDocument.objects.bulk_create(documents)
    return len(documents)


def remove(record, content_type=None):
    content_type = content_type or ContentType.objects.get_for_model(record)
    SearchDocument.objects.filter(content_type=content_type, object_id=record.pk).delete()


def dependents(record):
    """Records shown within ``record`` (an organization's article sections): they follow its status."""
    for kind in searched_kinds():
        if kind.within and kind.model._meta.get_field(kind.within).related_model is type(record):
            yield from kind.model.objects.filter(**{kind.within: record})


# A rebuild reads records in chunks and writes documents in batches: memory and the number of
# queries stay bounded however many records there are.
REBUILD_CHUNK = 2000  # records per fetch
REBUILD_BATCH = 2000  # documents per write


def searchable_records(kind):
    """Every searchable record of ``kind`` (what :func:`is_searchable` says of each), in one query.

    The record it is shown within is fetched with it (it names the untitled ones).
    """
    records = kind.model.objects.published()
    if kind.within:
        records = records.filter(**kind.published_within()).select_related(kind.within)
    return records.order_by("pk").iterator(chunk_size=REBUILD_CHUNK)


def batches():
    """The documents of every searchable record, in lists of about ``REBUILD_BATCH``."""
    batch = []
    for kind in searched_kinds():
        content_type = ContentType.objects.get_for_model(kind.model)
        for record in searchable_records(kind):
            batch += documents_of(record, content_type)
            if len(batch) >= REBUILD_BATCH:
                yield batch
                batch = []
    if batch:
        yield batch


def clear():
    """Delete every document in one statement.

    A queryset's ``delete()`` would read every document first, to send the delete signals some
    receivers listen to for every model; none of them is about search documents.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(SearchDocument._meta.db_table)}")


def rebuild():
    """Index every searchable record from scratch; returns the number of documents.

    The same documents as :func:`index` of each record (both come from :func:`build_document`),
    written in batches: through COPY on PostgreSQL, with ``bulk_create`` elsewhere. Readers keep
    searching the previous index until the rebuild commits (with a RUM index, until its last
    step: see :func:`rum_index_built_after`).
    """
    with transaction.atomic():
        clear()
        if uses_full_text_search():
            return copy_documents(batches())
        return sum(len(SearchDocument.objects.bulk_create(batch)) for batch in batches())


# The columns of SearchDocument a rebuild writes (the vector aside).
COLUMNS = ("content_type_id", "object_id", "language", "title", "text", "title_terms", "terms")
STAGING = "search_rebuild"


def copy_documents(batches):
    """Write the documents on PostgreSQL: COPY them into a temporary table, vectors still as
    pieces, then analyse every piece in one INSERT … SELECT.

    Building a document costs Python more than writing it through COPY; a multi-row INSERT cost
    as much again (compiling and binding a parameter per value). Piece n of a document's
    WeightedVector is held in three plain columns (config_n, words_n, weight_n), which COPY
    writes faster than arrays.
    """
    table = connection.ops.quote_name(SearchDocument._meta.db_table)
    columns = ", ".join(COLUMNS)
    size = max(
        1 + len(kind.search.names) + len(kind.search.fields) + len(kind.search.prose) for kind in searched_kinds()
    )
    numbers = range(1, size + 1)
    pieces = ", ".join(f'config_{n} regconfig, words_{n} text, weight_{n} "char"' for n in numbers)
    # Past a document's last piece, an empty vector: adding it changes nothing.
    vector = " || ".join(
        WeightedVector.PIECE.format(
            config=f"coalesce(config_{n}, 'simple')",
            words=f"coalesce(words_{n}, '')",
            weight=f"coalesce(weight_{n}, 'D')",
        )
        for n in numbers
    )
    width = len(COLUMNS) + 3 * size
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGING} (content_type_id integer, object_id bigint, language varchar(8),"
            f" title varchar(500), text text, title_terms text, terms text, {pieces})"
        )
        # One COPY per batch: the records' cursor cannot fetch while a COPY is under way.
        for batch in batches:
            with cursor.copy(f"COPY {STAGING} FROM STDIN") as copy:
                for document in batch:
                    row = [getattr(document, column) for column in COLUMNS]
                    for piece in document.vector.pieces:
                        row += piece
                    copy.write_row(row + [None] * (width - len(row)))
        with rum_index_built_after(cursor):
            cursor.execute(f"INSERT INTO {table} ({columns}, vector) SELECT {columns}, {vector} FROM {STAGING}")
            count = cursor.rowcount
        cursor.execute(f"DROP TABLE {STAGING}")
    return count


@contextmanager
def rum_index_built_after(cursor):
    """Drop the RUM index, if there is one, and create it again afterwards, as it was.

    RUM takes each row twenty times as long to write as GIN (471,756 documents: 278 s against
    14 s); building the index afresh takes 9-13 s. Dropping it locks the table until the rebuild
    commits: searches wait for the documents' INSERT and the index build instead of reading the
    previous index meanwhile.
    """
    definition = rum_index_definition(cursor)
    if definition is not None:
        cursor.execute(f"DROP INDEX {RUM_INDEX}")
    yield
    if definition is not None:
        # The rows' deferred foreign-key checks run now: an index cannot be built over pending ones.
        connection.check_constraints()
        cursor.execute(definition)


def rum_index_definition(cursor):
    """The CREATE INDEX statement of the RUM index, or None where there is none (PostgreSQL only)."""
    cursor.execute(
        "SELECT indexdef FROM pg_indexes WHERE indexname = %s AND schemaname = current_schema()", [RUM_INDEX]
    )
    row = cursor.fetchone()
    return row and row[0]
