"""Sources and the citations that tie each published fact to them."""

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from records.addresses import page_url
from records.models import PublicationStatus, Record, RecordQuerySet
from records.partial_dates import PartialDateField
from records.versioning import rows_as_they_were

from .claims import PROSE_CLAIM_PREFIX, claim_label


class LinkStatus(models.TextChoices):
    LIVE = "live", _("live")
    DEAD = "dead", _("dead")
    UNKNOWN = "unknown", _("unknown")
    USURPED = "usurped", _("usurped")


class LinkOverride(models.TextChoices):
    """An editor's verdict on a link, which the link checker never overrules."""

    NONE = "", _("none: the link checker decides")
    DEAD = "dead", _("permanently dead")
    LIVE = "live", _("permanently live")
    SUBSCRIPTION = "subscription", _("subscription or paywall (live)")


# The link status each override stands for.
OVERRIDE_STATUS = {
    LinkOverride.DEAD: LinkStatus.DEAD,
    LinkOverride.LIVE: LinkStatus.LIVE,
    LinkOverride.SUBSCRIPTION: LinkStatus.LIVE,
}


class ArchiveProvider(models.TextChoices):
    WAYBACK = "wayback", _("Wayback Machine")
    ARCHIVE_TODAY = "archive_today", _("archive.today")
    OTHER = "other", _("other archive")


class SourceKind(models.TextChoices):
    # Values are CSL item types, so citation exports need no mapping table.
    WEBPAGE = "webpage", _("web page")
    NEWS_ARTICLE = "article-newspaper", _("news article")
    ARTICLE = "article", _("article")
    REPORT = "report", _("report")


class SourceQuerySet(RecordQuerySet):
    def with_link_health(self):
        """Annotate when the current URL was last checked and last found answering (one query).

        :attr:`Source.last_successful_check` reads the annotation instead of querying per source.
        """
        checks = LinkCheck.objects.filter(source=OuterRef("pk"), url=OuterRef("url")).order_by("-checked_at")
        return self.annotate(
            link_last_checked_at=Subquery(checks.values("checked_at")[:1]),
            link_last_ok_at=Subquery(checks.filter(outcome=LinkCheckOutcome.OK).values("checked_at")[:1]),
        )


class Source(Record):
    """A published document that backs facts of the record.

    The title stays in the source's own language, as reference lists print it; an optional
    translated title helps readers of the other languages. A URL that is not known stays empty:
    the record never guesses one.
    """

    key = models.SlugField(
        _("key"),
        max_length=80,
        unique=True,
        help_text=_("Used in prose as {{ref|key}}. Lower-case letters, digits and hyphens."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices, default=SourceKind.WEBPAGE)
    title = models.CharField(_("title (in the source's language)"), max_length=500)
    title_translation = models.CharField(_("translated title"), max_length=500, blank=True)
    language = models.CharField(
        _("language of the source"), max_length=16, default="en", help_text=_("A language code, e.g. en, ar, he.")
    )
    authors = models.CharField(
        _("authors"),
        max_length=500,
        blank=True,
        help_text=_("As printed by the source, “Family, Given” separated by semicolons."),
    )
    publisher = models.CharField(_("publisher or website"), max_length=300, blank=True)
    publisher_organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("publisher as a record"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="published_sources",
    )
    publication_date = PartialDateField(_("publication date"), blank=True)
    url = models.URLField(_("URL"), max_length=1000, blank=True, help_text=_("Leave empty when unknown."))
    access_date = models.DateField(_("access date"), null=True, blank=True)
    archive_url = models.URLField(_("archive URL"), max_length=1000, blank=True)
    archive_date = models.DateField(_("archive date"), null=True, blank=True)
    archive_provider = models.CharField(_("archive"), max_length=20, choices=ArchiveProvider.choices, blank=True)
    link_status = models.CharField(
        _("link status"), max_length=10, choices=LinkStatus.choices, default=LinkStatus.UNKNOWN, db_index=True
    )
    link_override = models.CharField(
        _("link status override"),
        max_length=20,
        choices=LinkOverride.choices,
        blank=True,
        default=LinkOverride.NONE,
        help_text=_("Set when you know better than the link checker; it then never changes the link status."),
    )

    objects = SourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["key"]
        permissions = [("publish_source", _("Can publish sources"))]
        # The admin's language filter lists the languages in use: read from the index alone.
        indexes = [models.Index(fields=["language"], name="source_language")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return page_url("citations:source_detail", "key", self.key)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if "url" in instance.__dict__:
            # The URL as read, so a save can tell whether it changed (citations.linkcheck checks a new one).
            instance._loaded_url = instance.url
        return instance

    def save(self, *args, **kwargs):
        # An editor's override decides the status at once, not at the next run of the checker.
        forced = OVERRIDE_STATUS.get(self.link_override)
        if forced:
            self.link_status = forced
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "link_override" in update_fields:
                kwargs["update_fields"] = {*update_fields, "link_status"}
        super().save(*args, **kwargs)

    @property
    def is_dead(self):
        return self.link_status in {LinkStatus.DEAD, LinkStatus.USURPED}

    @property
    def has_archive(self):
        return bool(self.archive_date or self.archive_url)

    @property
    def requires_subscription(self):
        return self.link_override == LinkOverride.SUBSCRIPTION

    @property
    def preferred_url(self):
        """The address a reader should follow: the archived copy once the original is dead."""
        if self.archive_url and (self.is_dead or not self.url):
            return self.archive_url
        return self.url

    @property
    def last_successful_check(self):
        """When the link checker last found the current URL answering; None if it never did.

        Reads the annotation of ``Source.objects.with_link_health()`` when present, else queries.
        """
        if hasattr(self, "link_last_ok_at"):
            return self.link_last_ok_at
        if not self.pk or not self.url:
            return None
        checks = self.link_checks.filter(url=self.url, outcome=LinkCheckOutcome.OK).order_by("-checked_at")
        return checks.values_list("checked_at", flat=True).first()


class LinkCheckOutcome(models.TextChoices):
    OK = "ok", _("answered")
    SOFT_404 = "soft_404", _("redirected to a home or error page")
    NOT_FOUND = "not_found", _("not found (404)")
    GONE = "gone", _("gone (410)")
    HTTP_ERROR = "http_error", _("error answer")
    SERVER_ERROR = "server_error", _("server error (5xx)")
    TIMEOUT = "timeout", _("timed out")
    CONNECTION = "connection", _("connection failed")
    DNS = "dns", _("host name not found")
    TLS = "tls", _("secure connection failed")
    REDIRECTS = "redirects", _("too many redirects")
    # Inconclusive: they say nothing about whether readers can reach the page.
    REFUSED_BY_SITE = "refused_by_site", _("the site refused robots (401, 403, 429)")
    NOT_CHECKED = "not_checked", _("not checked: address or scheme not allowed")


INCONCLUSIVE_OUTCOMES = frozenset({LinkCheckOutcome.REFUSED_BY_SITE, LinkCheckOutcome.NOT_CHECKED})


class LinkCheck(models.Model):
    """One visit of the link checker to a source's URL: log data, kept but not versioned."""

    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="link_checks")
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)
    url = models.URLField(_("URL checked"), max_length=1000)
    outcome = models.CharField(_("outcome"), max_length=20, choices=LinkCheckOutcome.choices)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=4, blank=True)
    final_url = models.URLField(_("final URL"), max_length=2000, blank=True)
    redirects = models.JSONField(_("redirects"), default=list, blank=True, help_text=_("Each hop: URL and status."))
    error = models.TextField(_("error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        verbose_name = _("link check")
        verbose_name_plural = _("link checks")
        ordering = ["-checked_at", "-pk"]
        indexes = [models.Index(fields=["source", "-checked_at"])]

    def __str__(self):
        return f"{self.url} {self.checked_at:%Y-%m-%d %H:%M} {self.outcome}"

    @property
    def is_success(self):
        return self.outcome == LinkCheckOutcome.OK

    @property
    def is_failure(self):
        return not self.is_success and self.outcome not in INCONCLUSIVE_OUTCOMES


class Citation(models.Model):
    """One use of a source backing one record, or one claim of it."""

    PROSE_CLAIM_PREFIX = PROSE_CLAIM_PREFIX

    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="citations")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    claim = models.CharField(
        _("claim"),
        max_length=100,
        blank=True,
        help_text=_("The field or statement this citation backs; empty for the record as a whole."),
    )
    locator = models.CharField(_("locator"), max_length=100, blank=True, help_text=_("Page, section or paragraph."))
    quote = models.TextField(_("quote"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        ordering = ["content_type", "object_id", "position", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "claim"])]

    def __str__(self):
        # As an editor names it: the source's title and what the citation backs («Overview — founded»).
        title = Truncator(self.source.title).chars(80)
        model = ContentType.objects.get_for_id(self.content_type_id).model_class()
        if not self.claim or model is None:
            return title
        return f"{title} — {claim_label(model, self.claim)}"


PREFETCHED_CITATIONS = "prefetched_citations"


def citations_prefetch(lookup="citations"):
    """What ``cite_all(record.citations_for(claim))`` reads, in one query per lookup: the
    citations of every record in a list with their published sources.

    They are kept as a plain list (``to_attr``), read by :meth:`Cited.citation_list`: a
    prefetch into the related manager builds a filtered queryset for every row, which cost more
    than the query itself on list pages.
    """
    return models.Prefetch(
        lookup,
        queryset=Citation.objects.filter(source__status=PublicationStatus.PUBLISHED).select_related("source"),
        to_attr=PREFETCHED_CITATIONS,
    )


def attach_citations_as_they_were(instances):
    """Give records built from a version (``records.versioning.as_it_was``) the citations they had
    in its revision, with those citations' sources as published now, in one query: what their
    footnotes read, as ``with_citations()`` gives live records. A citation of a source that is no
    longer published is left out, as it is on live pages."""
    cited = [
        (instance, rows_as_they_were(instance, "citations")) for instance in instances if isinstance(instance, Cited)
    ]
    source_ids = {citation.source_id for _instance, rows in cited for citation in rows}
    sources = Source.objects.published().in_bulk(source_ids) if source_ids else {}
    for instance, rows in cited:
        kept = []
        for citation in sorted(rows, key=lambda citation: (citation.position, citation.pk)):
            source = sources.get(citation.source_id)
            if source is not None:
                citation.source = source
                kept.append(citation)
        setattr(instance, PREFETCHED_CITATIONS, kept)


class CitedQuerySet(models.QuerySet):
    def with_citations(self):
        """Each row's citations with their published sources, in one query: what its footnotes read."""
        return self.prefetch_related(citations_prefetch())


class CitedRecordQuerySet(RecordQuerySet, CitedQuerySet):
    pass


class Cited(models.Model):
    """Anything whose facts carry citations."""

    citations = GenericRelation(Citation)

    class Meta:
        abstract = True

    def citation_list(self):
        """This record's citations, with their sources: the prefetched ones (``with_citations``,
        published sources only) when there are, else all of them from the database."""
        try:
            return getattr(self, PREFETCHED_CITATIONS)
        except AttributeError:
            return list(self.citations.select_related("source"))

    def citations_for(self, claim):
        """This record's citations for one claim; uses prefetched citations when there are."""
        return [citation for citation in self.citation_list() if citation.claim == claim]


class CitedRecord(Record, Cited):
    """A record of its own (published or draft) whose facts carry citations."""

    class Meta:
        abstract = True


class ProseReference(models.Model):
    """A source key that a record's prose cites with a {{ref|key}} marker, in any language.

    Derived from the prose, like the search index, so not versioned: written by
    :mod:`citations.references` whenever a record is saved (reverts included) and rebuilt by
    ``manage.py rebuild_prose_references`` after a bulk load. Drafts keep theirs too; readers'
    pages filter by publication when they read them, as they do citations. Keyed by the key
    rather than the source, as the markers are: a marker cites whichever source holds its key.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    key = models.CharField(_("key"), max_length=80, db_index=True)

    class Meta:
        verbose_name = _("prose reference")
        verbose_name_plural = _("prose references")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "key"], name="prose_reference_unique")
        ]

    def __str__(self):
        return f"{self.key} ← {self.content_type.model}:{self.object_id}"
