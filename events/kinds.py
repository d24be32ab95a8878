"""The kinds of record of this app, for the rest of the site (see records.kinds)."""

from records.kinds import Endpoint, RecordKind, SearchFields

from . import api, structured_data, tables, views
from .models import Event, EventParticipant, EventPartner, Meeting

KINDS = (
    RecordKind(
        Event,
        name="event",
        page="events:event_detail",
        title_field="title",
        list_page="events:event_list",
        citable=True,
        structured_data=structured_data.event_data,
        search=SearchFields(title="title", fields=("summary", "place"), prose=("description",)),
        history=True,
        version_page=views.event_version,
        tables=(tables.EVENTS,),
        api=(Endpoint("events", api.EventViewSet, "event", position=30),),
        follow=("participants", "partners"),
    ),
    RecordKind(EventParticipant, page_of="event", tables=(tables.EVENT_PARTICIPANTS,)),
    RecordKind(EventPartner, page_of="event", tables=(tables.EVENT_PARTNERS,)),
    RecordKind(
        Meeting,
        name="meeting",
        page="events:meeting_detail",
        title_field="title",
        list_page="events:meeting_list",
        citable=True,
        structured_data=structured_data.meeting_data,
        search=SearchFields(title="title", prose=("description",)),
        history=True,
        version_page=views.meeting_version,
        tables=(tables.MEETINGS, tables.MEETING_COUNTERPARTS),
        api=(Endpoint("meetings", api.MeetingViewSet, "meeting", position=40),),
    ),
)
