"""Keep the search index in step with the records: every save and delete, raw saves of reverts included."""

from django.db.models.signals import post_delete, post_migrate, post_save

from . import indexing, queries


def update_index(sender, instance, **kwargs):
    indexing.index(instance)
    for dependent in indexing.dependents(instance):
        indexing.index(dependent)


def remove_from_index(sender, instance, **kwargs):
    indexing.remove(instance)


def connect():
    # A migration may have created or dropped the RUM index search orders by.
    post_migrate.connect(queries.forget_rum_index, dispatch_uid="search-forget-rum-index")
    for model in indexing.indexed_models():
        post_save.connect(update_index, sender=model, dispatch_uid=f"search-index-{model._meta.label}")
        post_delete.connect(remove_from_index, sender=model, dispatch_uid=f"search-remove-{model._meta.label}")
