"""The reader languages, as code reads them, and which fields of a model are written in each.

Settings name the languages once (``LANGUAGES``); everything else reads the codes from here.
"""

from django.conf import settings
from modeltranslation.translator import NotRegistered, translator

# "ar", "en", "he": the languages of the pages and of every translated field's columns.
LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


def translated_fields(model):
    """The names of the fields of ``model`` written once per language (``name`` for ``name_ar``…)."""
    try:
        return set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return set()


def per_language(model, names, translated):
    """``names`` in order, each translated field replaced by ``translated(name)`` (a list of names)."""
    fields = translated_fields(model)
    return [expanded for name in names for expanded in (translated(name) if name in fields else [name])]
