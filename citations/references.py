"""The {{ref|key}} markers of every record's prose, kept as :class:`~citations.models.ProseReference`
rows so the sources pages find where a source is cited in prose without reading any prose.

Every save rewrites the record's rows, raw saves of reverts and fixtures included; a delete
removes them. ``bulk_create`` and ``QuerySet.update()`` send no signal: after a bulk load run
``manage.py rebuild_prose_references``.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from modeltranslation.fields import TranslationField

from records.prose import ProseField, markers

from .models import ProseReference

KEY_LENGTH = ProseReference._meta.get_field("key").max_length


def prose_columns(model):
    """The columns readers see of a model's prose: one per language of each ProseField."""
    return [
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, ProseField) and isinstance(field, TranslationField)
    ]


def prose_models():
    return [model for model in apps.get_models() if prose_columns(model)]


def keys_in(texts):
    """The distinct source keys the texts' markers name, in order of appearance.

    A key longer than a source key can be names no source, and is left out.
    """
    keys = (marker.key for text in texts for marker in markers(text))
    return [key for key in dict.fromkeys(keys) if key and len(key) <= KEY_LENGTH]


def keys_of(record):
    return keys_in(getattr(record, column) for column in prose_columns(type(record)))


def write(record):
    """Bring the rows of one record in line with its prose (one query when nothing changed)."""
    content_type = ContentType.objects.get_for_model(record)
    rows = ProseReference.objects.filter(content_type=content_type, object_id=record.pk)
    stored = set(rows.values_list("key", flat=True))
    keys = keys_of(record)
    if stale := stored - set(keys):
        rows.filter(key__in=stale).delete()
    ProseReference.objects.bulk_create(
        [ProseReference(content_type=content_type, object_id=record.pk, key=key) for key in keys if key not in stored],
        ignore_conflicts=True,
    )


def remove(record):
    content_type = ContentType.objects.get_for_model(record)
    ProseReference.objects.filter(content_type=content_type, object_id=record.pk).delete()


def rebuild():
    """Write every record's rows from scratch; returns the number of rows."""
    ProseReference.objects.all().delete()
    count = 0
    for model in prose_models():
        content_type = ContentType.objects.get_for_model(model)
        columns = prose_columns(model)
        has_marker = Q()
        for column in columns:
            has_marker |= Q(**{f"{column}__contains": "{{ref|"})
        rows = model._default_manager.order_by().filter(has_marker).values_list("pk", *columns)
        batch = []
        for pk, *texts in rows.iterator(chunk_size=2000):
            batch += [ProseReference(content_type=content_type, object_id=pk, key=key) for key in keys_in(texts)]
            if len(batch) >= 2000:
                count += len(ProseReference.objects.bulk_create(batch))
                batch = []
        count += len(ProseReference.objects.bulk_create(batch))
    return count


def _saved(sender, instance, update_fields=None, **kwargs):
    # A save limited to other fields (update_fields) leaves the prose as it was.
    prose_names = {field.name for field in sender._meta.concrete_fields if isinstance(field, ProseField)}
    if update_fields is None or prose_names & set(update_fields):
        write(instance)


def _deleted(sender, instance, **kwargs):
    remove(instance)


def connect():
    for model in prose_models():
        label = model._meta.label
        post_save.connect(_saved, sender=model, dispatch_uid=f"prose-references-{label}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"prose-references-remove-{label}")
