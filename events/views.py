"""Reader pages: the timeline of events, event pages, meetings."""

from itertools import groupby

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from citations.footnotes import Footnotes
from organizations.filters import filtered_page
from records import sections
from records.indexes import in_reader_language
from records.previews import preview_context, viewable

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


def event_detail(request, slug):
    events = Event.objects.select_related("organizer", "parent").with_citations()
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


def meeting_detail(request, slug):
    meetings = Meeting.objects.select_related("organization", "event").with_citations().with_published_counterparts()
    meeting = get_object_or_404(viewable(request, meetings), slug=slug)
    context = {
        "meeting": meeting,
        "figures": meeting.figures.published().with_citations(),
        "footnotes": Footnotes.for_texts(meeting.description),
        **preview_context(meeting),
    }
    return render(request, "events/meeting_detail.html", context)
