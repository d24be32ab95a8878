"""The tables events and meetings contribute to the data package."""

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from citations.tables import sources_column
from records.expressions import published_q, published_ref, text
from records.tables import INTEGER, Column, Table, partial_date_columns, per_language, prose_columns, record_columns

from .filters import EventFilter, MeetingFilter
from .models import Event, EventParticipant, EventPartner, Meeting


def event_columns(base_url):
    return [
        *record_columns(base_url, "slug", "events:event_detail", "slug", "api:event-detail"),
        *per_language("title", "title"),
        Column("kind", F("kind")),
        *partial_date_columns("start", "date"),
        *partial_date_columns("end", "end date"),
        *per_language("place", "place"),
        Column("country", text("country"), description="ISO 3166-1 alpha-2 code"),
        Column("organizer", published_ref("organizer"), references=("organizations", "id")),
        Column("parent", published_ref("parent"), references=("events", "id")),
        Column(
            "countries_represented",
            text("countries_represented"),
            description="ISO 3166-1 alpha-2 codes, comma-separated",
        ),
        *per_language("summary", "summary"),
        *prose_columns("description", "description"),
        sources_column(Event),
    ]


def meeting_columns(base_url):
    return [
        *record_columns(base_url, "slug", "events:meeting_detail", "slug", "api:meeting-detail"),
        *per_language("title", "title"),
        Column("organization", F("organization__slug"), references=("organizations", "id")),
        *partial_date_columns("date", "date"),
        Column("event", published_ref("event"), references=("events", "id")),
        *prose_columns("description", "description"),
        sources_column(Meeting),
    ]


def participant_columns(base_url):
    return [
        Column("id", text("pk"), description="stable identifier"),
        Column("event", F("event__slug"), references=("events", "id")),
        Column("person", F("person__slug"), references=("people", "id")),
        Column("organization", F("organization__slug"), references=("organizations", "id")),
        *per_language("role", "role"),
        Column("position", F("position"), INTEGER),
        sources_column(EventParticipant),
    ]


def partner_columns(base_url):
    return [
        Column("id", text("pk"), description="stable identifier"),
        Column("event", F("event__slug"), references=("events", "id")),
        Column("organization", F("organization__slug"), references=("organizations", "id")),
        *per_language("role", "role"),
        sources_column(EventPartner),
    ]


def counterpart_columns(base_url):
    return [
        Column("meeting", F("meeting__slug"), references=("meetings", "id")),
        Column("organization", F("organization__slug"), references=("organizations", "id")),
    ]


def _participant_published():
    return (
        published_q("event")
        & (Q(person__isnull=True) | published_q("person"))
        & (Q(organization__isnull=True) | published_q("organization"))
    )


EVENTS = Table("events", _("Events"), Event, event_columns, position=30, filterset_class=EventFilter, downloadable=True)
MEETINGS = Table(
    "meetings",
    _("Meetings"),
    Meeting,
    meeting_columns,
    position=40,
    published=lambda: published_q("organization"),
    filterset_class=MeetingFilter,
    downloadable=True,
)
EVENT_PARTICIPANTS = Table(
    "event_participants",
    _("Event participants"),
    EventParticipant,
    participant_columns,
    position=110,
    published=_participant_published,
)
EVENT_PARTNERS = Table(
    "event_partners",
    _("Event partners"),
    EventPartner,
    partner_columns,
    position=120,
    published=lambda: published_q("event") & published_q("organization"),
)
MEETING_COUNTERPARTS = Table(
    "meeting_counterparts",
    _("Meeting counterparts"),
    Meeting.counterparts.through,
    counterpart_columns,
    position=130,
    published=lambda: published_q("meeting") & published_q("organization") & published_q("meeting__organization"),
)
