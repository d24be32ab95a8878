from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter
from modeltranslation.admin import TranslationTabularInline

from citations.admin import CitationInline
from records.admin import RecordAdmin, WidgetsMixin, in_all_languages

from .models import Event, EventParticipant, EventPartner, Meeting


class EventParticipantInline(WidgetsMixin, TranslationTabularInline):
    model = EventParticipant
    fields = ("position", "person", "organization", "role")
    autocomplete_fields = ("person", "organization")
    ordering = ("position", "pk")
    extra = 0


class EventPartnerInline(WidgetsMixin, TranslationTabularInline):
    model = EventPartner
    fields = ("organization", "role")
    autocomplete_fields = ("organization",)
    extra = 0


@admin.register(Event)
class EventAdmin(RecordAdmin):
    list_display = ("title", "kind", "start", "place", "country", "organizer", "status")
    list_filter = ("status", "kind", ("country", CountryFilter))
    list_select_related = ("organizer",)
    search_fields = ("slug", *in_all_languages("title", "place", "summary"))
    autocomplete_fields = ("organizer", "parent")
    inlines = [EventParticipantInline, EventPartnerInline, CitationInline]
    fieldsets = [
        (None, {"fields": ("title", "slug", "kind", "status", "organizer", "parent")}),
        (_("When and where"), {"fields": ("start", "end", "place", "country", "countries_represented")}),
        (_("Text"), {"fields": ("summary", "description")}),
    ]


@admin.register(Meeting)
class MeetingAdmin(RecordAdmin):
    list_display = ("title", "organization", "date", "event", "status")
    list_filter = ("status",)
    list_select_related = ("organization", "event")
    search_fields = ("slug", *in_all_languages("title", "description"))
    autocomplete_fields = ("organization", "counterparts", "event")
    fields = ("title", "slug", "status", "organization", "counterparts", "date", "event", "description")
    inlines = [CitationInline]
