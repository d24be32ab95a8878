"""Registration with django-reversion, revisions for code that edits outside the admin, and reverts.

Models are registered from each app's ``AppConfig.ready()``: by then modeltranslation has
added its ``_ar``/``_en``/``_he`` columns, so every language is in every version. (The
``@reversion.register`` decorator would run at import time, before those columns exist.)

``QuerySet.update()`` and ``bulk_create()`` bypass ``save()`` and create no revision: scripts
and imports must save each object inside :func:`revision` instead, one revision per record.

A revision may hold many records (a bulk action, an old import). django-reversion's
``Revision.revert()`` restores all of them; :func:`revert_record` restores one record and what
it follows (its citations, participants, roles), whatever else shares the revision.

Whenever a revision is saved, :mod:`records.translation_status` notes which languages of each
translated field changed in it (django-reversion's ``post_revision_commit``, which that module
connects itself).
"""

from collections import deque
from contextlib import contextmanager

import reversion
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, models, router, transaction
from django.db.models import CASCADE
from django.db.models.deletion import Collector
from django.utils.translation import gettext
from reversion.errors import RevertError

from .models import Record

# The save counter guards against edit conflicts; restoring an old value would defeat it.
NOT_VERSIONED = ("edit_version",)

# model -> names of the relations whose rows belong to it and are versioned with it.
FOLLOWS = {}


def register(model, follow=()):
    """Version ``model`` with its citations and whatever else belongs to it."""
    fields = {f.name: f for f in model._meta.get_fields()}
    # Its own citations (a GenericRelation); a source's "citations" are the rows citing it, which
    # belong to the records they back, not to the source.
    cited = isinstance(fields.get("citations"), GenericRelation)
    follow = tuple(follow) + (("citations",) if cited else ())
    exclude = tuple(name for name in NOT_VERSIONED if name in fields)
    reversion.register(model, follow=follow, exclude=exclude)
    FOLLOWS[model] = follow


@contextmanager
def revision(comment, user=None):
    """Group the saves of one record (and what belongs to it) into a revision with an author and an edit summary."""
    with reversion.create_revision():
        reversion.set_comment(comment)
        if user is not None:
            reversion.set_user(user)
        yield


def record_versions(version):
    """``version`` and the versions of what it follows in the same revision, parents before their rows."""
    found = [version]
    pending = deque([version])
    others = list(version.revision.version_set.exclude(pk=version.pk).select_related("content_type"))
    while pending:
        parent = pending.popleft()
        for name in FOLLOWS.get(parent._model, ()):
            for row in followed_in_revision(parent, name, others):
                if row not in found:
                    found.append(row)
                    pending.append(row)
    return found


def as_it_was(version):
    """The record of ``version`` and the rows it follows, as they were then: unsaved instances built
    from the stored data of the version's revision, for reading (a version's page).

    Nothing is written and no revert is made; the record's own table is not read. Each instance
    gets the rows it followed in that revision (:func:`rows_as_they_were`, e.g. a person's roles,
    a record's citations) and the keys of its many-to-many fields (:func:`keys_as_they_were`).
    Relations to other records (an event's organizer) still lead to those records as they are now.
    Returns ``(record, instances)``: the record, and every instance built, the record first.
    """
    versions = record_versions(version)
    instances = {}
    for item in versions:
        stored = item._object_version
        instance = stored.object
        instance._rows_as_they_were = {}
        instance._keys_as_they_were = dict(stored.m2m_data or {})
        instances[item.pk] = instance
    for item in versions:
        parent = instances[item.pk]
        for name in FOLLOWS.get(item._model, ()):
            parent._rows_as_they_were[name] = [
                instances[row.pk] for row in followed_in_revision(item, name, versions) if row.pk in instances
            ]
    return instances[version.pk], list(instances.values())


def rows_as_they_were(instance, name):
    """The rows ``instance`` (built by :func:`as_it_was`) followed through ``name`` in its revision."""
    return getattr(instance, "_rows_as_they_were", {}).get(name, [])


def keys_as_they_were(instance, name):
    """The keys of ``instance``'s many-to-many field ``name`` in its version (built by :func:`as_it_was`)."""
    return list(getattr(instance, "_keys_as_they_were", {}).get(name, []))


def followed_in_revision(version, name, candidates=None):
    """The versions, in ``version``'s revision, of the rows it follows through the relation ``name``.

    They are found from the stored data: a citation belongs to the record its ``content_type`` and
    ``object_id`` name, a participant to the event its ``event`` key names.
    """
    if candidates is None:
        candidates = version.revision.version_set.exclude(pk=version.pk)
    relation = version._model._meta.get_field(name)
    related = ContentType.objects.get_for_model(relation.related_model).pk
    candidates = [candidate for candidate in candidates if candidate.content_type_id == related]
    if isinstance(relation, GenericRelation):
        owner_type = ContentType.objects.get_for_model(version._model).pk
        type_field = relation.related_model._meta.get_field(relation.content_type_field_name).attname
        id_field = relation.object_id_field_name
        return [
            candidate
            for candidate in candidates
            if str(candidate.field_dict[id_field]) == version.object_id
            and candidate.field_dict[type_field] == owner_type
        ]
    if relation.one_to_many or (relation.one_to_one and relation.auto_created):
        # A reverse foreign key: the row's own key names the parent.
        attname = relation.field.attname
        return [candidate for candidate in candidates if str(candidate.field_dict[attname]) == version.object_id]
    # A foreign key of the parent's own.
    target = str(version.field_dict.get(relation.attname))
    return [candidate for candidate in candidates if candidate.object_id == target]


def revert_record(version, delete=True):
    """Restore the record of ``version``, and the rows it follows, as they were in ``version``.

    Nothing else in the version's revision is touched. With ``delete``, rows the record follows
    now but did not then (a citation added later) are deleted, as django-reversion does for a
    whole revision.
    """
    versions = record_versions(version)
    using = version.db
    with transaction.atomic(using=router.db_for_write(version._model)):
        if delete:
            current = version._model._base_manager.using(using).filter(pk=version.object_id).first()
            if current is not None:
                kept = {(v.content_type_id, v.object_id) for v in versions}
                added = [
                    row
                    for row in followed_rows(current)
                    if (ContentType.objects.get_for_model(row).pk, str(row.pk)) not in kept
                ]
                collector = Collector(using=using)
                collector.collect(added)
                collector.delete()
        for item in versions:  # parents first, so each row's key finds its parent
            try:
                with transaction.atomic(using=using):
                    item.revert()
            except (IntegrityError, ObjectDoesNotExist) as error:
                raise RevertError(
                    gettext("Could not save %(object_repr)s version - missing dependency.")
                    % {"object_repr": item.object_repr}
                ) from error


def followed_rows(obj):
    """The rows ``obj`` follows now, and theirs in turn (not ``obj`` itself)."""
    rows = []
    pending = deque([obj])
    while pending:
        parent = pending.popleft()
        for name in FOLLOWS.get(type(parent), ()):
            related = getattr(parent, name)
            children = related.all() if isinstance(related, models.Manager) else [related] if related else []
            for child in children:
                if child not in rows:
                    rows.append(child)
                    pending.append(child)
    return rows


def owners_of(row):
    """``(model, key)`` of each record ``row`` belongs to (a citation's record, a role's person): a
    record that follows it and whose deletion deletes it. (A source follows the citations citing
    it, for its history, but they are not its rows: they are edited with the records they back.)"""
    for owner, names in FOLLOWS.items():
        for name in names:
            relation = owner._meta.get_field(name)
            if relation.related_model is not type(row):
                continue
            if isinstance(relation, GenericRelation):
                content_type = getattr(row, relation.content_type_field_name + "_id", None)
                if content_type == ContentType.objects.get_for_model(owner).pk:
                    yield owner, getattr(row, relation.object_id_field_name)
            elif relation.one_to_many and relation.field.remote_field.on_delete is CASCADE:
                yield owner, getattr(row, relation.field.attname)


def is_followed(model):
    """Whether rows of ``model`` belong to records (citations, roles, participants…)."""
    return any(owner._meta.get_field(name).related_model is model for owner, names in FOLLOWS.items() for name in names)


def record_of(row):
    """The record ``row`` belongs to, up through rows of rows (a participant's citation: its
    event), or ``row`` itself if it is a record; None for a row of no record."""
    while row is not None and not isinstance(row, Record):
        owner = next(iter(owners_of(row)), None)
        if owner is None or owner[1] is None:
            return None
        model, key = owner
        row = model._base_manager.filter(pk=key).first()
    return row
