from modeltranslation.translator import TranslationOptions, register

from .models import Event, EventParticipant, EventPartner, Meeting


@register(Event)
class EventTranslationOptions(TranslationOptions):
    fields = ("title", "place", "summary", "description")


@register(EventParticipant)
class EventParticipantTranslationOptions(TranslationOptions):
    fields = ("role",)


@register(EventPartner)
class EventPartnerTranslationOptions(TranslationOptions):
    fields = ("role",)


@register(Meeting)
class MeetingTranslationOptions(TranslationOptions):
    fields = ("title", "description")
