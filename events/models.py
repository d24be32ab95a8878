"""Events the coalition held or took part in, and its meetings with institutions."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from citations.models import Cited, CitedQuerySet, CitedRecord, CitedRecordQuerySet
from organizations.models import Organization
from records.addresses import page_url
from records.indexes import published_keys_index, reader_order_indexes
from records.models import PublicationStatus
from records.partial_dates import PartialDateField
from records.prose import ProseField

PUBLISHED = PublicationStatus.PUBLISHED
UNPUBLISHED = [status for status in PublicationStatus.values if status != PUBLISHED]


class EventKind(models.TextChoices):
    CONFERENCE = "conference", _("conference")
    PANEL = "panel", _("panel discussion")
    SUMMIT = "summit", _("summit")
    SCREENING = "screening", _("film screening")
    GATHERING = "gathering", _("gathering")
    ANNUAL_EVENT = "annual_event", _("annual event")


class EventQuerySet(CitedRecordQuerySet):
    def top_level(self):
        """Events the timeline lists at its top level: those that are no session, and the sessions
        of an event readers cannot see."""
        # A subquery on the few unpublished events (status IN, which the status index serves;
        # "<>" it cannot), not a join of events to themselves, so the paginator's COUNT stays on
        # the indexes.
        return self.filter(
            models.Q(parent__isnull=True)
            | models.Q(parent__in=Event.objects.filter(status__in=UNPUBLISHED).values("pk"))
        )

    def with_published_sessions(self):
        """Each event's published sessions as ``published_sessions``, in date order, with their citations."""
        sessions = Event.objects.published().with_citations().chronological()
        return self.prefetch_related(models.Prefetch("sessions", queryset=sessions, to_attr="published_sessions"))

    def chronological(self):
        return self.order_by("start", "pk")


class Event(CitedRecord):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices, db_index=True)
    start = PartialDateField(_("date"), blank=True, db_index=True)
    end = PartialDateField(_("end date"), blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True)
    organizer = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organizer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organized_events",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
    )
    countries_represented = CountryField(_("countries represented"), multiple=True, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = ProseField(_("description"))

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["start", "title"]
        permissions = [("publish_event", _("Can publish events"))]
        # The admin's country filter lists the countries in use: read from the index alone.
        indexes = [models.Index(fields=["country"], name="event_country"), published_keys_index("event", "parent")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return page_url("events:event_detail", "slug", self.slug)


class EventTieQuerySet(CitedQuerySet):
    """What participants and partners share: each ties an organization or a person to an event."""

    def at_published_events(self):
        """Ties to published events, with the event and the citations, in the events' order."""
        return (
            self.filter(event__status=PUBLISHED).select_related("event").with_citations().order_by("event__start", "pk")
        )


class EventParticipantQuerySet(EventTieQuerySet):
    def of_published_records(self):
        """Participants shown on their event's page: through a published person, or, failing a
        person, a published organization; with both and their citations, in the event's order."""
        return (
            self.filter(
                models.Q(person__status=PUBLISHED) | models.Q(person__isnull=True, organization__status=PUBLISHED)
            )
            .select_related("person", "organization")
            .with_citations()
            .order_by("position", "pk")
        )


class EventParticipant(Cited):
    """A person or an organization taking part in an event, in a role; published with it."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        "organizations.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="participations",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="participations",
    )
    role = models.CharField(_("role"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = EventParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["event", "position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(organization__isnull=False),
                name="participant_is_person_or_organization",
            )
        ]

    def __str__(self):
        return f"{self.person or self.organization} @ {self.event}"


class EventPartnerQuerySet(EventTieQuerySet):
    def of_published_organizations(self):
        """Partners shown on their event's page: published organizations, with their citations."""
        return self.filter(organization__status=PUBLISHED).select_related("organization").with_citations()


class EventPartner(Cited):
    """An organization that sponsors or co-presents an event."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="partners")
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="event_partnerships",
    )
    role = models.CharField(_("role"), max_length=200, blank=True)

    objects = EventPartnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["event", "pk"]

    def __str__(self):
        return f"{self.organization} — {self.event}"


class MeetingQuerySet(CitedRecordQuerySet):
    def involving(self, organization):
        """Meetings ``organization`` held or took part in as a counterpart."""
        # The ids it held or attended, each read from its foreign key index, rather than a join
        # over every meeting with DISTINCT (or an OR, which PostgreSQL answers by a scan).
        held = Meeting.objects.order_by().filter(organization=organization).values("pk")
        attended = Meeting.counterparts.through.objects.order_by().filter(organization=organization).values("meeting")
        return self.filter(pk__in=held.union(attended))

    def with_published_counterparts(self):
        """Each meeting's published counterparts as ``published_counterparts``."""
        counterparts = Organization.objects.published()
        return self.prefetch_related(
            models.Prefetch("counterparts", queryset=counterparts, to_attr="published_counterparts")
        )

    def chronological(self):
        return self.order_by("date", "pk")


class Meeting(CitedRecord):
    """A meeting of the coalition with institutions, possibly within an event."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=300)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("held by"),
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    counterparts = models.ManyToManyField(
        "organizations.Organization",
        verbose_name=_("met with"),
        blank=True,
        related_name="meetings_as_counterpart",
    )
    date = PartialDateField(_("date"), blank=True, db_index=True)
    event = models.ForeignKey(
        Event,
        verbose_name=_("in the context of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
    )
    description = ProseField(_("description"))

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["date", "title"]
        permissions = [("publish_meeting", _("Can publish meetings"))]
        indexes = [
            *reader_order_indexes("meeting", "title"),  # the meetings list's ?sort=title
            published_keys_index("meeting", "organization"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return page_url("events:meeting_detail", "slug", self.slug)
