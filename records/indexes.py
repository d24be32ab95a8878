"""Indexes for what reader lists sort by: a translated field in the reader's language.

Reader lists sort by a translated field as the reader sees it, falling back to the other
languages where it is empty (:func:`in_reader_language`): an expression, which an
index on the plain columns cannot serve. :func:`reader_order_indexes` gives one index per reader
language on exactly that expression (then the primary key, the lists' tie-breaker), over
published rows only, as readers see no others. PostgreSQL then reads a page of a list from the
index instead of sorting the whole table; tests/records/test_indexes.py checks it does.
"""

from django.conf import settings
from django.db.models import F, Index, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language

from .models import PublicationStatus


def fallback_chain(language):
    """The reader's language, its fallbacks, then every other language."""
    chain = [language, *settings.MODELTRANSLATION_FALLBACK_LANGUAGES.get(language, ())]
    return chain + [code for code, _name in settings.LANGUAGES if code not in chain]


def translated_in(field_name, language):
    """``field_name`` as a reader of ``language`` sees it: the first non-empty column of the chain."""
    return Coalesce(*(NullIf(F(f"{field_name}_{code}"), Value("")) for code in fallback_chain(language)))


def reader_order_indexes(prefix, field_name):
    """One index per reader language on the translated field's sort expression and the key."""
    return [
        Index(
            translated_in(field_name, code),
            "id",
            name=f"{prefix}_published_{field_name}_{code}",
            condition=Q(status=PublicationStatus.PUBLISHED),
        )
        for code, _name in settings.LANGUAGES
    ]


def published_keys_index(prefix, *fields):
    """The keys of published rows (and ``fields``), so "is the record it points at published?"
    (citations of events and meetings, in the API, the exports and the timeline's count) is read
    from a small index instead of the whole table."""
    return Index(
        fields=["id", *fields], name=f"{prefix}_published_keys", condition=Q(status=PublicationStatus.PUBLISHED)
    )


def in_reader_language(field_name):
    """A translated column in the reader's language, falling back as modeltranslation does, so
    sorting by name works in Hebrew even where only the Arabic name is written: the expression
    the per-language indexes are built on."""
    return translated_in(field_name, (get_language() or settings.LANGUAGE_CODE)[:2])
