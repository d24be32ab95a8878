"""Reader pages: the timeline of events, event pages, meetings."""

from itertools import groupby

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from citations.footnotes import Footnotes
from organizations.filters import filtered_page
from organizations.models import Organization, Person
from organizations.views import published_by_pk
from records import sections
from records.contents import contents
from records.indexes import in_reader_language
from records.previews import preview_context, viewable
from records.versioning import keys_as_they_were, rows_as_they_were

from .filters import EventFilter, MeetingFilter
from .models import Event, Meeting


def roles(event):
    # Role's own order (by person, then date), with a tie-break for the list's numbered pages.
    roles = event.roles.published().of_published_people().select_related("organization").with_citations()
    return roles.order_by("person", "start", "pk")


def meetings(event):
    # Meeting's own order (by date, then title), with a tie-break for the list's numbered pages.
    meetings = event.meetings.published().with_citations().with_published_counterparts()
    return meetings.order_by("date", "title", "pk")


# The lists of an event's page that may grow without bound (records.sections), each showing at
# most 50 rows there: what a list page shows, and more than any list of the ALLMEP record holds
# (at most 5). Participants and people in a role share the page's list of participants.
EVENT_SECTIONS = sections.sections(
    sections.Section(
        "participants",
        _("Participants"),
        "events/includes/participants.html",
        shown=50,
        rows=lambda event: event.participants.of_published_records(),
        items=True,
    ),
    sections.Section("roles", _("Participants"), "events/includes/roles.html", shown=50, rows=roles, items=True),
    sections.Section(
        "partners",
        _("Partners"),
        "events/includes/partners.html",
        shown=50,
        # One event's partners in their own order (the event's, then the row's).
        rows=lambda event: event.partners.of_published_organizations().order_by("pk"),
    ),
    sections.Section(
        "sessions",
        pgettext_lazy("parts of an event", "Sessions"),
        "events/includes/sessions.html",
        shown=50,
        rows=lambda event: event.sessions.published().with_citations().chronological(),
    ),
    sections.Section("meetings", _("Meetings"), "events/includes/meetings.html", shown=50, rows=meetings),
)


def event_list(request):
    """The timeline: events grouped by year in PartialDate order, their sessions nested."""
    queryset = (
        # Sessions are listed inside their event, unless that event is not published.
        Event.objects.published()
        .top_level()
        .select_related("organizer")
        .with_citations()
        .with_published_sessions()
        .order_by("start", in_reader_language("title").asc(), "pk")
    )
    filterset, page, status = filtered_page(request, EventFilter, queryset)
    years = [(year, list(events)) for year, events in groupby(page, key=lambda event: event.start and event.start.year)]
    # Undated events sort first as empty strings; readers expect them after the dated ones.
    years.sort(key=lambda item: item[0] is None)
    return render(
        request,
        "events/event_list.html",
        {"filterset": filterset, "page": page, "years": years, "footnotes": Footnotes()},
        status=status,
    )


def event_contents(context):
    """The headings of an event's page (or of a version of it), as the page shows them."""
    get = context.get
    return contents(
        ("participants", _("Participants"), get("participants") or get("roles")),
        ("partners", _("Partners"), get("partners")),
        ("sessions", pgettext_lazy("parts of an event", "Sessions"), get("sessions")),
        ("meetings", _("Meetings"), get("meetings")),
        ("references", _("References"), context["footnotes"].will_list(context["event"])),
    )


def event_detail(request, slug):
    events = Event.objects.select_related("organizer", "parent").with_citations().with_latest_version()
    event = get_object_or_404(viewable(request, events), slug=slug)
    context = {
        "event": event,
        "parent": event.parent if event.parent and event.parent.is_published else None,
        "organizer": event.organizer if event.organizer and event.organizer.is_published else None,
        **sections.first_rows_of(event, EVENT_SECTIONS, "events:event_section", event.slug),
        "figures": event.figures.published().with_citations(),
        "footnotes": Footnotes.for_texts(event.description),
        **preview_context(event),
    }
    context["contents"] = event_contents(context)
    return render(request, "events/event_detail.html", context)


def event_section(request, slug, section):
    """The numbered pages of one list of an event's page (its participants, its sessions...)."""
    section = sections.named(EVENT_SECTIONS, section)
    event = get_object_or_404(viewable(request, Event.objects.all()), slug=slug)
    return sections.section_page(request, event, section, footnotes=Footnotes())


def meeting_list(request):
    queryset = (
        Meeting.objects.published()
        .select_related("organization", "event")
        .with_citations()
        .with_published_counterparts()
        .chronological()
    )
    filterset, page, status = filtered_page(request, MeetingFilter, queryset)
    return render(
        request,
        "events/meeting_list.html",
        {"filterset": filterset, "page": page, "footnotes": Footnotes()},
        status=status,
    )


def meeting_contents(context):
    """The headings of a meeting's page (or of a version of it): its references, when it cites."""
    return contents(("references", _("References"), context["footnotes"].will_list(context["meeting"])))


def meeting_detail(request, slug):
    meetings = (
        Meeting.objects.select_related("organization", "event")
        .with_citations()
        .with_published_counterparts()
        .with_latest_version()
    )
    meeting = get_object_or_404(viewable(request, meetings), slug=slug)
    context = {
        "meeting": meeting,
        "figures": meeting.figures.published().with_citations(),
        "footnotes": Footnotes.for_texts(meeting.description),
        **preview_context(meeting),
    }
    context["contents"] = meeting_contents(context)
    return render(request, "events/meeting_detail.html", context)


# Pages as they were in a published version (allmep.views.record_version; see organizations.views):
# an event's participants and partners are saved with it, so they come from the version; its
# sessions, meetings, figures and roles are records of their own, left to the current page.


def event_version(event):
    participants = rows_as_they_were(event, "participants")
    partners = rows_as_they_were(event, "partners")
    people = published_by_pk(Person, [participant.person_id for participant in participants])
    organizations = published_by_pk(
        Organization,
        [event.organizer_id]
        + [participant.organization_id for participant in participants]
        + [partner.organization_id for partner in partners],
    )
    for tie in (*participants, *partners):
        tie.event = event
        tie.organization = organizations.get(tie.organization_id)
    for participant in participants:
        participant.person = people.get(participant.person_id)
    parent = published_by_pk(Event, [event.parent_id]).get(event.parent_id)
    context = {
        "event": event,
        "parent": parent,
        "organizer": organizations.get(event.organizer_id),
        # As the event's page shows them: through a published person, or, failing a person, a
        # published organization.
        "participants": sorted(
            (p for p in participants if p.person or (p.person_id is None and p.organization)),
            key=lambda participant: (participant.position, participant.pk),
        ),
        "partners": sorted((partner for partner in partners if partner.organization), key=lambda partner: partner.pk),
        "footnotes": Footnotes.for_texts(event.description),
    }
    return "events/event_detail.html", {**context, "contents": event_contents(context)}


def meeting_version(meeting):
    organizations = published_by_pk(
        Organization, [meeting.organization_id, *keys_as_they_were(meeting, "counterparts")]
    )
    counterparts = [organizations[key] for key in keys_as_they_were(meeting, "counterparts") if key in organizations]
    if meeting.organization_id in organizations:
        meeting.organization = organizations[meeting.organization_id]
    meeting.published_counterparts = counterparts
    meeting.event = published_by_pk(Event, [meeting.event_id]).get(meeting.event_id)
    context = {"meeting": meeting, "footnotes": Footnotes.for_texts(meeting.description)}
    return "events/meeting_detail.html", {**context, "contents": meeting_contents(context)}
