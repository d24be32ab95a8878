"""Reader pages: the timeline of events, event pages, meetings."""

from itertools import groupby

from django.shortcuts import get_object_or_404, render

from citations.footnotes import Footnotes
from organizations.filters import filtered_page
from records.indexes import in_reader_language
from records.previews import preview_context, viewable

from .filters import EventFilter, MeetingFilter
from .models import Event, Meeting


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
        "participants": event.participants.of_published_records(),
        "partners": event.partners.of_published_organizations(),
        "meetings": event.meetings.published().with_citations().with_published_counterparts(),
        "sessions": event.sessions.published().with_citations().chronological(),
        "figures": event.figures.published().with_citations(),
        "roles": event.roles.published().of_published_people().select_related("organization").with_citations(),
        "footnotes": Footnotes.for_texts(event.description),
        **preview_context(event),
    }
    return render(request, "events/event_detail.html", context)


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
