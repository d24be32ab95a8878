from django.db.models import F
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from .models import Record
from .versioning import is_followed, owners_of


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


@receiver(post_save)
@receiver(post_delete)
def count_edit_of_owner(sender, instance, **kwargs):
    """A row edited with a record (a citation, a role) changes the record: its edit counter moves
    on, so a colleague's form opened before is refused, wherever the row was changed."""
    for owner, key in owners_of(instance):
        if key is None:
            continue
        if issubclass(owner, Record):
            owner._base_manager.filter(pk=key).update(edit_version=F("edit_version") + 1)
        if is_followed(owner):  # a row of a row (a role's citation): its record's record too
            row = owner._base_manager.filter(pk=key).first()
            if row is not None:
                count_edit_of_owner(owner, row)
