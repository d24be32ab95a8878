"""What every kind's API serializer is built from: the base class and the fields all records share
(languages, dates, sources).

The API (the ``api`` app) lists what each kind registers (``RecordKind.api``); each app writes
its kinds' serializers and viewsets in ``<app>/api.py`` from these and :mod:`records.viewsets`.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .languages import LANGUAGE_CODES, per_language
from .models import PublicationStatus
from .prose import plain_text


@extend_schema_field({"type": "string", "description": "In the requested language (or its fallback)."})
class TranslatedField(serializers.Field):
    """A translated field in the active language, with modeltranslation's fallbacks."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance):
        return getattr(instance, self.field_name) or ""


@extend_schema_field(
    {
        "type": "object",
        "description": "The value in each language, empty where not translated.",
        "properties": {language: {"type": "string"} for language in LANGUAGE_CODES},
        "required": LANGUAGE_CODES,
    }
)
class TranslationsField(serializers.Field):
    """``<name>_translations``: ``{"ar": …, "en": …, "he": …}`` without fallbacks."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance):
        name = self.field_name.removesuffix("_translations")
        return {language: getattr(instance, f"{name}_{language}") or "" for language in LANGUAGE_CODES}


PLAIN_TEXT = (
    "as plain text: the site's editing markup is left out (a link reads as its label, citation markers and "
    "emphasis go), paragraphs are separated by a blank line."
)


@extend_schema_field({"type": "string", "description": f"In the requested language (or its fallback), {PLAIN_TEXT}"})
class PlainTextField(TranslatedField):
    """A translated prose field in the active language, without its markup."""

    def to_representation(self, instance):
        return plain_text(super().to_representation(instance))


@extend_schema_field(
    {
        "type": "object",
        "description": f"The value in each language, empty where not translated, {PLAIN_TEXT}",
        "properties": {language: {"type": "string"} for language in LANGUAGE_CODES},
        "required": LANGUAGE_CODES,
    }
)
class PlainTextTranslationsField(TranslationsField):
    """``<name>_translations`` of a prose field, without its markup."""

    def to_representation(self, instance):
        return {language: plain_text(text) for language, text in super().to_representation(instance).items()}


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "description": "A partial date: EDTF, the first and last day it can mean, and a label in the language.",
        "properties": {
            "edtf": {"type": "string"},
            "earliest": {"type": "string", "format": "date"},
            "latest": {"type": "string", "format": "date"},
            "label": {"type": "string"},
        },
        "required": ["edtf", "earliest", "latest", "label"],
    }
)
class PartialDateField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return {
            "edtf": value.edtf,
            "earliest": value.lower.isoformat(),
            "latest": value.upper.isoformat(),
            "label": value.format(),
        }

    def get_attribute(self, instance):
        # A missing date is null rather than an object of empty strings.
        value = super().get_attribute(instance)
        return value or None


@extend_schema_field({"type": "string", "nullable": True, "description": "Identifier of a published record."})
class PublishedRefField(serializers.Field):
    """The identifier of a related record, or null when it is missing or not published."""

    def __init__(self, key="slug", **kwargs):
        self.key = key
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        related = super().get_attribute(instance)
        if related is None or related.status != PublicationStatus.PUBLISHED:
            return None
        return getattr(related, self.key)

    def to_representation(self, value):
        return value


@extend_schema_field({"type": "array", "items": {"type": "string"}, "description": "Keys of the sources."})
class SourceKeysField(serializers.Field):
    """Keys of the published sources cited for the record (its prefetched ``citation_list()``)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance):
        return sorted({citation.source.key for citation in instance.citation_list()})


@extend_schema_field(OpenApiTypes.URI)
class PermalinkField(serializers.Field):
    """The record's page in the requested language."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance):
        url = instance.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


def api_fields(model, names):
    """The API's field names for the model's fields ``names``: a translated field gives its value
    in the reader's language and ``<field>_translations``."""
    return per_language(model, names, lambda name: [name, f"{name}_translations"])


def with_translations(*names):
    """Field names for translated ``names``: the value, and the value per language."""
    return [field for name in names for field in (name, f"{name}_translations")]


class RecordSerializer(serializers.HyperlinkedModelSerializer):
    serializer_url_field = serializers.HyperlinkedIdentityField
