"""Reader pages: the timeline of events, event pages, meetings."""

from itertools import groupby

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, render

from citations.footnotes import Footnotes, citations_prefetch
from organizations.filters import filtered_page, translated
from organizations.models import Organization, ReportedFigure, Role
from records.models import PublicationStatus
from records.previews import preview_context, viewable

from .filters import EventFilter, MeetingFilter
from .models import Event, EventParticipant, EventPartner, Meeting

PUBLISHED = PublicationStatus.PUBLISHED
UNPUBLISHED = [status for status in PublicationStatus.values if status != PUBLISHED]


def event_list(request):
    """The timeline: events grouped by year in PartialDate order, their sessions nested."""
    sessions = Prefetch(
        "sessions",
        queryset=Event.objects.published().prefetch_related(citations_prefetch()).order_by("start", "pk"),
        to_attr="published_sessions",
    )
    queryset = (
        Event.objects.published()
        # Sessions are listed inside their event, unless that event is not published: a subquery
        # on the few unpublished events (status IN, which the status index serves; "<>" it cannot),
        # not a join of events to themselves, so the paginator's COUNT stays on the indexes.
        .filter(Q(parent__isnull=True) | Q(parent__in=Event.objects.filter(status__in=UNPUBLISHED).values("pk")))
        .select_related("organizer")
        .prefetch_related(citations_prefetch(), sessions)
        .order_by("start", translated("title").asc(), "pk")
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
    event = get_object_or_404(
        viewable(request, Event.objects.select_related("organizer", "parent").prefetch_related(citations_prefetch())),
        slug=slug,
    )
    participants = (
        EventParticipant.objects.filter(event=event)
        # A participant is shown only through a published person or organization.
        .filter(Q(person__status=PUBLISHED) | Q(person__isnull=True, organization__status=PUBLISHED))
        .select_related("person", "organization")
        .prefetch_related(citations_prefetch())
        .order_by("position", "pk")
    )
    partners = (
        EventPartner.objects.filter(event=event, organization__status=PUBLISHED)
        .select_related("organization")
        .prefetch_related(citations_prefetch())
    )
    meetings = (
        Meeting.objects.published()
        .filter(event=event)
        .prefetch_related(
            citations_prefetch(),
            Prefetch("counterparts", queryset=Organization.objects.published(), to_attr="published_counterparts"),
        )
    )
    sessions = (
        Event.objects.published().filter(parent=event).prefetch_related(citations_prefetch()).order_by("start", "pk")
    )
    figures = ReportedFigure.objects.published().filter(event=event).prefetch_related(citations_prefetch())
    roles = (
        Role.objects.published()
        .filter(event=event, person__status=PUBLISHED)
        .select_related("person", "organization")
        .prefetch_related(citations_prefetch())
    )
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "parent": event.parent if event.parent and event.parent.is_published else None,
            "organizer": event.organizer if event.organizer and event.organizer.is_published else None,
            "participants": participants,
            "partners": partners,
            "meetings": meetings,
            "sessions": sessions,
            "figures": figures,
            "roles": roles,
            "footnotes": Footnotes.for_texts(event.description),
            **preview_context(event),
        },
    )


def _meetings():
    return Meeting.objects.select_related("organization", "event")


def meeting_list(request):
    queryset = (
        _meetings()
        .published()
        .prefetch_related(
            citations_prefetch(),
            Prefetch("counterparts", queryset=Organization.objects.published(), to_attr="published_counterparts"),
        )
        .order_by("date", "pk")
    )
    filterset, page, status = filtered_page(request, MeetingFilter, queryset)
    return render(
        request,
        "events/meeting_list.html",
        {"filterset": filterset, "page": page, "footnotes": Footnotes()},
        status=status,
    )


def meeting_detail(request, slug):
    meeting = get_object_or_404(
        viewable(
            request,
            _meetings().prefetch_related(
                citations_prefetch(),
                Prefetch("counterparts", queryset=Organization.objects.published(), to_attr="published_counterparts"),
            ),
        ),
        slug=slug,
    )
    figures = ReportedFigure.objects.published().filter(meeting=meeting).prefetch_related(citations_prefetch())
    return render(
        request,
        "events/meeting_detail.html",
        {
            "meeting": meeting,
            "figures": figures,
            "footnotes": Footnotes.for_texts(meeting.description),
            **preview_context(meeting),
        },
    )
