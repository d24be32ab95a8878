"""The read-only API's sources and citations (see records.serializers)."""

from rest_framework import serializers

from records.serializers import (
    PartialDateField,
    PermalinkField,
    PublishedRefField,
    RecordSerializer,
    TranslatedField,
    TranslationsField,
    with_translations,
)
from records.viewsets import IDENTIFIER, RecordViewSet

from . import tables
from .filters import CitationFilter
from .models import Citation, Source


class SourceSerializer(RecordSerializer):
    id = serializers.SlugField(source="key", read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:source-detail", lookup_field="key")
    permalink = PermalinkField()
    title_translation = TranslatedField()
    title_translation_translations = TranslationsField()
    publisher = TranslatedField()
    publisher_translations = TranslationsField()
    publisher_organization = PublishedRefField()
    publication_date = PartialDateField()
    source_url = serializers.CharField(source="url", read_only=True, help_text="The source's own address, if known.")

    class Meta:
        model = Source
        fields = [
            "id",
            "url",
            "permalink",
            "kind",
            "title",
            *with_translations("title_translation"),
            "language",
            "authors",
            *with_translations("publisher"),
            "publisher_organization",
            "publication_date",
            "source_url",
            "access_date",
            "archive_url",
            "archive_date",
            "archive_provider",
            "link_status",
        ]


class CitationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:citation-detail")
    source = PublishedRefField(key="key")
    record_type = serializers.CharField(read_only=True, help_text="The collection of the cited record.")
    record_id = serializers.CharField(read_only=True, help_text="The cited record's identifier.")
    locator = TranslatedField()
    locator_translations = TranslationsField()

    class Meta:
        model = Citation
        fields = [
            "id",
            "url",
            "source",
            "record_type",
            "record_id",
            "claim",
            *with_translations("locator"),
            "quote",
            "position",
        ]


class SourceViewSet(RecordViewSet):
    table = tables.SOURCES
    serializer_class = SourceSerializer
    lookup_field = "key"
    lookup_value_regex = IDENTIFIER
    related = ("publisher_organization",)


class CitationViewSet(RecordViewSet):
    table = tables.CITATIONS
    serializer_class = CitationSerializer
    lookup_value_regex = "[0-9]+"
    related = ("source",)

    @property
    def filterset_class(self):
        return CitationFilter

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .annotate(record_type=tables.cited_table_name(), record_id=tables.cited_record_identifier())
        )
