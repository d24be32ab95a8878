from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone

from .models import Record


@receiver(pre_save)
def count_edit(sender, instance, raw, **kwargs):
    """Bump the edit counter and the change time on every save of a record.

    django-reversion restores objects with raw saves, which skip ``save()`` and ``auto_now``;
    a revert is an edit too, so this runs for raw saves as well and reads the counter from the
    database rather than trusting the restored value.
    """
    if not isinstance(instance, Record):
        return
    current = None
    if instance.pk is not None:
        current = sender._base_manager.filter(pk=instance.pk).values_list("edit_version", flat=True).first()
    instance.edit_version = (current or 0) + 1
    instance.updated_at = timezone.now()
