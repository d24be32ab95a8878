"""What every record of the encyclopedia shares: a publication state and an edit counter."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class RecordQuerySet(models.QuerySet):
    def published(self):
        """The only records readers, search, sitemaps, exports and the API may ever see."""
        return self.filter(status=PublicationStatus.PUBLISHED)


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
