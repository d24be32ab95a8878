"""Sources and the citations that tie each published fact to them."""

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from records.models import Record
from records.partial_dates import PartialDateField


class LinkStatus(models.TextChoices):
    LIVE = "live", _("live")
    DEAD = "dead", _("dead")
    UNKNOWN = "unknown", _("unknown")
    USURPED = "usurped", _("usurped")


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

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["key"]
        permissions = [("publish_source", _("Can publish sources"))]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("citations:source_detail", kwargs={"key": self.key})

    @property
    def is_dead(self):
        return self.link_status in {LinkStatus.DEAD, LinkStatus.USURPED}

    @property
    def has_archive(self):
        return bool(self.archive_date or self.archive_url)


class Citation(models.Model):
    """One use of a source backing one record, or one claim of it."""

    PROSE_CLAIM_PREFIX = "prose:"

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
        return f"{self.source.key} → {self.content_type.model}:{self.object_id} {self.claim}".strip()


class Cited(models.Model):
    """Anything whose facts carry citations."""

    citations = GenericRelation(Citation)

    class Meta:
        abstract = True

    def citations_for(self, claim):
        """This record's citations for one claim; uses prefetched citations when there are."""
        return [citation for citation in self.citations.all() if citation.claim == claim]


class CitedRecord(Record, Cited):
    """A record of its own (published or draft) whose facts carry citations."""

    class Meta:
        abstract = True
