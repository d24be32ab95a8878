"""The read-only API's events and meetings (see records.serializers)."""

from django.db.models import Prefetch
from rest_framework import serializers

from organizations.models import Organization
from records.serializers import (
    PartialDateField,
    PermalinkField,
    PlainTextField,
    PlainTextTranslationsField,
    PublishedRefField,
    RecordSerializer,
    SourceKeysField,
    TranslatedField,
    TranslationsField,
    with_translations,
)
from records.viewsets import IDENTIFIER, RecordViewSet

from . import tables
from .models import Event, Meeting


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


class EventViewSet(RecordViewSet):
    table = tables.EVENTS
    serializer_class = EventSerializer
    lookup_field = "slug"
    lookup_value_regex = IDENTIFIER
    related = ("organizer", "parent")


class MeetingViewSet(RecordViewSet):
    table = tables.MEETINGS
    serializer_class = MeetingSerializer
    lookup_field = "slug"
    lookup_value_regex = IDENTIFIER
    related = ("organization", "event")

    def get_queryset(self):
        counterparts = Organization.objects.published().order_by("slug")
        return super().get_queryset().prefetch_related(Prefetch("counterparts", queryset=counterparts))
