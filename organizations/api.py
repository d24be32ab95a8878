"""The read-only API's organizations, memberships, reported figures and people (see records.serializers)."""

from rest_framework import serializers

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
    api_fields,
    with_translations,
)
from records.viewsets import IDENTIFIER, RecordViewSet

from . import tables
from .models import MEMBERSHIP_FIELDS, ORGANIZATION_FIELDS, Membership, Organization, Person, ReportedFigure


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
        fields = ["id", "url", "permalink", *api_fields(Organization, ORGANIZATION_FIELDS), "sources"]


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
        fields = ["id", "url", *api_fields(Membership, MEMBERSHIP_FIELDS), "sources"]


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
        fields = ["id", "url", "permalink", *with_translations("name", "summary", "description"), "wikidata", "sources"]


class OrganizationViewSet(RecordViewSet):
    table = tables.ORGANIZATIONS
    serializer_class = OrganizationSerializer
    lookup_field = "slug"
    lookup_value_regex = IDENTIFIER
    related = ("parent",)


class MembershipViewSet(RecordViewSet):
    table = tables.MEMBERSHIPS
    serializer_class = MembershipSerializer
    lookup_value_regex = "[0-9]+"
    related = ("member", "coalition")


class ReportedFigureViewSet(RecordViewSet):
    table = tables.FIGURES
    serializer_class = ReportedFigureSerializer
    lookup_value_regex = "[0-9]+"
    related = ("organization", "event", "meeting")


class PersonViewSet(RecordViewSet):
    table = tables.PEOPLE
    serializer_class = PersonSerializer
    lookup_field = "slug"
    lookup_value_regex = IDENTIFIER
