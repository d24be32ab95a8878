"""The search index: one document per published record and reader language."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """What a reader of ``language`` sees of one record, ready to be searched.

    Written only by :mod:`search.indexing`. ``terms`` holds the normalized words (see
    :mod:`search.normalize`) between spaces, so a word can be matched by its start with a
    plain ``LIKE`` on SQLite; on PostgreSQL ``vector`` holds the same words analysed with each
    text's language configuration, searched through a GIN index (created by migration 0002,
    on PostgreSQL only).
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=500)
    text = models.TextField(_("text"), blank=True, help_text=_("The rest of the record as plain text, for snippets."))
    title_terms = models.TextField(blank=True)
    terms = models.TextField(blank=True)
    vector = SearchVectorField(null=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "language"], name="search_document_unique")
        ]

    def __str__(self):
        return f"{self.title} ({self.language})"
