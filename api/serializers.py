"""Read-only representations of the published record.

Every record has ``id`` (its stable identifier: a slug, a source key, or a number), ``url``
(its API address), translated fields in the requested language plus ``<field>_translations``,
partial dates as EDTF with bounds, and ``sources``: the keys of the sources that back it.
Prose (descriptions) is plain text: the API is for reading, and the markup editors write is
in the downloads, where the import reads it back.
"""

from rest_framework import serializers

from citations.models import Citation, Source
from events.models import Event, Meeting
from organizations.models import Membership, Organization, Person, ReportedFigure

from .fields import (
    PartialDateField,
    PermalinkField,
    PlainTextField,
    PlainTextTranslationsField,
    PublishedRefField,
    SourceKeysField,
    TranslatedField,
    TranslationsField,
)


def with_translations(*names):
    """Field names for translated ``names``: the value, and the value per language."""
    return [field for name in names for field in (name, f"{name}_translations")]


class RecordSerializer(serializers.HyperlinkedModelSerializer):
    serializer_url_field = serializers.HyperlinkedIdentityField


class OrganizationSerializer(RecordSerializer):
    id = serializers.SlugField(source="slug", read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:organization-detail", lookup_field="slug")
    permalink = PermalinkField()
    name = TranslatedField()
    name_translations = TranslationsField()
    short_name = TranslatedField()
    short_name_translations = TranslationsField()
    summary = TranslatedField()
    summary_translations = TranslationsField()
    description = PlainTextField()
    description_translations = PlainTextTranslationsField()
    parent = PublishedRefField()
    country = serializers.CharField(read_only=True)
    founded = PartialDateField()
    formally_founded = PartialDateField()
    sources = SourceKeysField()

    class Meta:
        model = Organization
        fields = [
            "id",
            "url",
            "permalink",
            *with_translations("name", "short_name"),
            "kind",
            "parent",
            "country",
            "website",
            "founded",
            "formally_founded",
            *with_translations("summary", "description"),
            "sources",
        ]


class MembershipSerializer(RecordSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:membership-detail")
    member = PublishedRefField()
    coalition = PublishedRefField()
    joined = PartialDateField()
    left = PartialDateField()
    note = TranslatedField()
    note_translations = TranslationsField()
    sources = SourceKeysField()

    class Meta:
        model = Membership
        fields = ["id", "url", "member", "coalition", "joined", "left", *with_translations("note"), "sources"]


class ReportedFigureSerializer(RecordSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:figure-detail")
    organization = PublishedRefField()
    value = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False, read_only=True)
    display = serializers.CharField(source="__str__", read_only=True)
    as_of = PartialDateField()
    compared_with = PartialDateField()
    event = PublishedRefField()
    meeting = PublishedRefField()
    note = TranslatedField()
    note_translations = TranslationsField()
    sources = SourceKeysField()

    class Meta:
        model = ReportedFigure
        fields = [
            "id",
            "url",
            "organization",
            "metric",
            "value",
            "qualifier",
            "unit",
            "display",
            "as_of",
            "compared_with",
            "event",
            "meeting",
            *with_translations("note"),
            "sources",
        ]


class PersonSerializer(RecordSerializer):
    id = serializers.SlugField(source="slug", read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:person-detail", lookup_field="slug")
    permalink = PermalinkField()
    name = TranslatedField()
    name_translations = TranslationsField()
    summary = TranslatedField()
    summary_translations = TranslationsField()
    description = PlainTextField()
    description_translations = PlainTextTranslationsField()
    sources = SourceKeysField()

    class Meta:
        model = Person
        fields = ["id", "url", "permalink", *with_translations("name", "summary", "description"), "sources"]


class EventSerializer(RecordSerializer):
    id = serializers.SlugField(source="slug", read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:event-detail", lookup_field="slug")
    permalink = PermalinkField()
    title = TranslatedField()
    title_translations = TranslationsField()
    place = TranslatedField()
    place_translations = TranslationsField()
    summary = TranslatedField()
    summary_translations = TranslationsField()
    description = PlainTextField()
    description_translations = PlainTextTranslationsField()
    start = PartialDateField()
    end = PartialDateField()
    country = serializers.CharField(read_only=True)
    countries_represented = serializers.SerializerMethodField()
    organizer = PublishedRefField()
    parent = PublishedRefField()
    sources = SourceKeysField()

    class Meta:
        model = Event
        fields = [
            "id",
            "url",
            "permalink",
            *with_translations("title"),
            "kind",
            "start",
            "end",
            *with_translations("place"),
            "country",
            "countries_represented",
            "organizer",
            "parent",
            *with_translations("summary", "description"),
            "sources",
        ]

    def get_countries_represented(self, event) -> list[str]:
        return [country.code for country in event.countries_represented]


class MeetingSerializer(RecordSerializer):
    id = serializers.SlugField(source="slug", read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:meeting-detail", lookup_field="slug")
    permalink = PermalinkField()
    title = TranslatedField()
    title_translations = TranslationsField()
    description = PlainTextField()
    description_translations = PlainTextTranslationsField()
    organization = PublishedRefField()
    counterparts = serializers.SerializerMethodField()
    date = PartialDateField()
    event = PublishedRefField()
    sources = SourceKeysField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "url",
            "permalink",
            *with_translations("title"),
            "organization",
            "counterparts",
            "date",
            "event",
            *with_translations("description"),
            "sources",
        ]

    def get_counterparts(self, meeting) -> list[str]:
        # Prefetched with only the published organizations (see MeetingViewSet).
        return [organization.slug for organization in meeting.counterparts.all()]


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
