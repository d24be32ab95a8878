"""What every record of the encyclopedia shares: a publication state and an edit counter; and the
tables derived from the history of all of them."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, router
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from reversion.models import Version


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


# What with_latest_version() annotates, from the record's latest version.
LATEST_VERSION_FIELDS = {
    "latest_version_id": "pk",
    "latest_version_at": "revision__date_created",
    "latest_version_format": "format",
    "latest_version_data": "serialized_data",
}


class RecordQuerySet(models.QuerySet):
    def published(self):
        """The only records readers, search, sitemaps, exports and the API may ever see."""
        return self.filter(status=PublicationStatus.PUBLISHED)

    def with_latest_version(self):
        """Each record's latest saved version, in the same query (``records.history.
        latest_public_version`` reads it): a record's page cites the version it shows at no cost."""
        versions = Version.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model),
            db=router.db_for_write(self.model),
            object_id=Cast(models.OuterRef("pk"), output_field=models.CharField()),
        ).order_by("-revision__date_created", "-pk")
        return self.annotate(
            **{name: models.Subquery(versions.values(column)[:1]) for name, column in LATEST_VERSION_FIELDS.items()}
        )


class Record(models.Model):
    """Abstract base of every content model.

    ``edit_version`` counts saves. The admin form remembers the count it was opened at and
    refuses a save when the row has moved on since (see ``records.admin``), so a colleague's
    concurrent edit is never overwritten silently. It is maintained by a ``pre_save`` signal
    (``records.signals``) so that reverts, which save without calling ``save()``, count too.
    """

    status = models.CharField(
        _("publication status"),
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        db_index=True,
    )
    edit_version = models.PositiveIntegerField(_("edit version"), default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True, db_index=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_published(self):
        return self.status == PublicationStatus.PUBLISHED


class ContentStamp(models.Model):
    """One row that changes whenever any content record is saved or deleted.

    Reader pages use it as their HTTP validator (``records.caching``): one cheap query tells
    whether anything a page could show has changed since the reader's copy. It is bumped by
    signals (``records.signals``), so reverts and scripts count as well as the admin.
    """

    ROW_ID = 1

    version = models.PositiveBigIntegerField(_("version"), default=0)
    changed_at = models.DateTimeField(_("changed"))

    class Meta:
        verbose_name = _("content change stamp")
        verbose_name_plural = _("content change stamps")

    def __str__(self):
        return f"{self.version} @ {self.changed_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def bump(cls):
        """Mark that content changed now; in the caller's transaction, so a rollback undoes it."""
        now = timezone.now()
        if not cls.objects.filter(pk=cls.ROW_ID).update(version=models.F("version") + 1, changed_at=now):
            # The row is made by the migration; a flushed test database may lack it.
            cls.objects.bulk_create([cls(pk=cls.ROW_ID, version=1, changed_at=now)], ignore_conflicts=True)

    @classmethod
    def current(cls):
        """``(version, changed_at)`` in one query, or None before any row exists."""
        return cls.objects.filter(pk=cls.ROW_ID).values_list("version", "changed_at").first()


class TranslationState(models.Model):
    """When one language of one translated field of a record last changed, and whether it is in step.

    Derived from the revision history, like the search index from the records, so not versioned:
    written by :mod:`records.translation_status` whenever django-reversion saves a revision, and
    rebuilt from the whole history by ``manage.py rebuild_translation_status``. One row per record,
    translated field and language; the changelist filter and the report per language read the
    rows that are not in step, through a partial index, without reading any version.
    """

    class State(models.TextChoices):
        CURRENT = "current", _("in step")
        BEHIND = "behind", _("behind")
        MISSING = "missing", _("missing")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    field = models.CharField(_("field"), max_length=64)
    language = models.CharField(_("language"), max_length=8)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.CURRENT)
    # What the value was, as records.history compares values, hashed; "" while it is empty.
    fingerprint = models.CharField(max_length=32, blank=True)
    changed_at = models.DateTimeField(_("last changed"))
    # When another language last moved on without this one (only while it is behind).
    behind_since = models.DateTimeField(_("behind since"), null=True, blank=True)

    class Meta:
        verbose_name = _("translation state")
        verbose_name_plural = _("translation states")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language"], name="translation_state_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["language", "content_type", "object_id"],
                condition=~models.Q(state="current"),
                name="translation_state_needed",
            )
        ]

    def __str__(self):
        return f"{self.content_type_id}:{self.object_id} {self.field}_{self.language} {self.state}"

    @property
    def filled(self):
        return bool(self.fingerprint)


class Change(models.Model):
    """What one version of a record changed, for the recent changes page and the feeds.

    A derived table (``records.changes``): a row is written for each version saved while its record
    was published (what the record's public history lists) when its revision is saved, and
    ``manage.py rebuild_recent_changes`` writes them all again. It holds no text of the record:
    only which columns changed, so a filter by language is a query and a list of changes reads no
    version's data. Whether readers see a row is decided when it is read: its record must still be
    published (records.changes.public_changes).
    """

    version = models.OneToOneField(
        "reversion.Version", verbose_name=_("version"), on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    # The public version before it, which the diff page compares it with; None for the first one.
    previous = models.ForeignKey(
        "reversion.Version", verbose_name=_("previous version"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The version's record and revision date, copied so that a list is read from this table alone.
    content_type = models.ForeignKey("contenttypes.ContentType", verbose_name=_("kind"), on_delete=models.CASCADE)
    object_id = models.CharField(_("record"), max_length=191)
    date = models.DateTimeField(_("date"))
    # The changed columns (``name_en``, ``status``), and the languages of the translated ones as
    # " ar en " (spaces around each code, so a filter is a "contains ' en '").
    columns = models.JSONField(_("changed columns"), default=list)
    languages = models.CharField(_("languages"), max_length=100, default=" ")
    citations = models.PositiveIntegerField(_("citations changed"), default=0)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        indexes = [
            models.Index(fields=["-date", "-version"], name="change_newest"),
            models.Index(fields=["content_type", "object_id", "-date"], name="change_record"),
        ]

    def __str__(self):
        return f"{self.content_type_id}/{self.object_id} @ {self.date:%Y-%m-%d %H:%M:%S}"


class ProposedChange(models.Model):
    """An editor's change to a published record, kept beside the record until a publisher reviews it.

    Readers, search, exports, the API and the feeds read only the records' own tables and their
    versions, so a change that waits here reaches none of them. ``base`` holds the record and the
    rows it follows (citations, roles, participants) as they were when the change was proposed,
    ``proposed`` as the editor left them: each a list of entries in django-reversion's serialized
    form, parents first (``records.proposals``). Accepting saves ``proposed`` as a new version;
    rejecting keeps it here, with the reviewer's comment.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("waiting for review")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    content_type = models.ForeignKey(ContentType, verbose_name=_("kind"), on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(_("record"), max_length=191)
    object_repr = models.CharField(_("record"), max_length=300)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="proposed_changes",
    )
    created_at = models.DateTimeField(_("proposed on"), default=timezone.now)
    summary = models.CharField(_("edit summary"), max_length=500, blank=True)
    # The record's edit counter when the change was proposed: a different one now means the
    # record moved on since, which the reviewer is shown.
    base_edit_version = models.PositiveIntegerField(default=0)
    base = models.JSONField(default=list)
    proposed = models.JSONField(default=list)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed on"), null=True, blank=True)
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    # The revision that published it, once accepted.
    revision = models.ForeignKey(
        "reversion.Revision", verbose_name=_("revision"), on_delete=models.SET_NULL, null=True, blank=True
    )
    # Whether its author has been told the outcome (an admin message, once).
    author_told = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("proposed change")
        verbose_name_plural = _("proposed changes")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "state"], name="proposed_change_record"),
            models.Index(fields=["state", "-created_at"], name="proposed_change_queue"),
            models.Index(
                fields=["author"],
                condition=models.Q(author_told=False) & ~models.Q(state="pending"),
                name="proposed_change_untold",
            ),
        ]

    def __str__(self):
        return self.object_repr

    @property
    def model(self):
        return ContentType.objects.get_for_id(self.content_type_id).model_class()

    @property
    def is_pending(self):
        return self.state == self.State.PENDING
