"""Proposed changes: an editor's edit of a published record, kept apart until a publisher accepts it.

An editor without the publish permission who saves a published record through the admin (its
form, its inline rows, a revert) does not change it. The admin runs the save as usual inside a
transaction, reads the record and the rows it follows as the save left them, and rolls the
transaction back (:mod:`records.admin`); what was read is kept as a :class:`ProposedChange`.
Nothing readers see is touched, so no public channel can show it.

A state (the record and its rows) is a list of entries in django-reversion's serialized form,
parents first, each read back as an unsaved :class:`reversion.models.Version`, so the one diff
mechanism (:mod:`records.history`) compares them. Accepting saves the proposed state as a new
revision by the editor who proposed it; it is refused if the record moved on after the reviewer
looked at it, so what is published is exactly what was reviewed.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, router, transaction
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.translation import gettext
from reversion.models import Version
from reversion.revisions import _get_options

from . import history, versioning
from .models import ProposedChange

State = ProposedChange.State


def may_publish(user, model):
    """Whether ``user`` publishes records of ``model`` directly (and reviews others' changes to them)."""
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")


class ReviewError(Exception):
    """A review that cannot be done as asked; the message says why, for the reviewer."""


@dataclass(frozen=True)
class RowChange:
    """A row edited with the record (a citation, a role, a participant) added, removed or changed."""

    action: str  # "added", "removed" or "changed"
    kind: str  # the row's kind, as editors call it ("citation")
    description: str
    changes: list = field(default_factory=list)  # FieldChange list for "changed"


@dataclass(frozen=True)
class Comparison:
    """What differs between two states of a record: its own fields, and its rows."""

    changes: list
    row_changes: list

    def __bool__(self):
        return bool(self.changes or self.row_changes)


def entry(obj):
    """One object as django-reversion would store it in a version."""
    options = _get_options(type(obj))
    return {
        "content_type": ContentType.objects.get_for_model(obj).pk,
        "object_id": str(obj.pk),
        "data": serializers.serialize(options.format, (obj,), fields=options.fields),
    }


def state_of(record):
    """The record and the rows it follows (its citations, roles…), as saved now, parents first."""
    return [entry(obj) for obj in (record, *versioning.followed_rows(record))]


def as_version(item):
    """An entry as an unsaved Version, which the history module reads like a saved one."""
    content_type = ContentType.objects.get_for_id(item["content_type"])
    return Version(
        content_type=content_type,
        object_id=item["object_id"],
        db=router.db_for_write(content_type.model_class()),
        format="json",
        serialized_data=item["data"],
    )


def _keyed(state):
    # Rows new in a proposal are keyed apart: the key they had in the rolled-back save may be
    # given to another row since (SQLite reuses them).
    return {
        (item["content_type"], ("new:" if item.get("new") else "") + item["object_id"]): as_version(item)
        for item in state
    }


def compare(before, after):
    """What changes from one state of a record to another."""
    if not before or not after:
        return Comparison([], [])
    changes = history.diff(as_version(before[0]), as_version(after[0]))
    old, new = _keyed(before[1:]), _keyed(after[1:])
    rows = []
    for key, version in new.items():
        if key not in old:
            rows.append(RowChange("added", _kind(version), _describe(version)))
        else:
            field_changes = history.diff(old[key], version)
            if field_changes:
                rows.append(RowChange("changed", _kind(version), _describe(version), field_changes))
    rows += [RowChange("removed", _kind(version), _describe(version)) for key, version in old.items() if key not in new]
    return Comparison(changes, rows)


def _kind(version):
    return str(version._model._meta.verbose_name)


def _describe(version):
    return str(version._object_version.object)


def propose(record, base, proposed, author, summary, base_edit_version):
    """Keep ``proposed`` (read from a save that was rolled back) as a change waiting for review.

    Returns the proposal, or None when the save changed nothing readers would see.
    """
    existing = {(item["content_type"], item["object_id"]) for item in base}
    for item in proposed:
        item["new"] = (item["content_type"], item["object_id"]) not in existing
    if not compare(base, proposed):
        return None
    return ProposedChange.objects.create(
        content_type=ContentType.objects.get_for_model(record),
        object_id=str(record.pk),
        object_repr=str(record)[:300],
        author=author,
        summary=summary,
        base_edit_version=base_edit_version,
        base=base,
        proposed=proposed,
    )


def proposed_for(record):
    """Every change proposed to the record, newest first, with its author."""
    return ProposedChange.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=str(record.pk)
    ).select_related("author")


def pending_for(record):
    """The record's proposals waiting for review, oldest first."""
    return proposed_for(record).filter(state=State.PENDING).order_by("created_at", "pk")


def current_record(proposal, lock=False):
    """The proposal's record as saved now, or None once it is deleted."""
    records = proposal.model._base_manager.filter(pk=proposal.object_id)
    return (records.select_for_update() if lock else records).first()


def accept(proposal, reviewer, comment, edit_version_seen):
    """Publish exactly the proposed state, as a revision by the editor who proposed it.

    ``edit_version_seen`` is the record's edit counter when the reviewer opened the review: if
    it moved on, the reviewer has not seen what accepting would overwrite, and nothing is saved.
    """
    model = proposal.model
    try:
        return _accept(proposal, model, reviewer, comment, edit_version_seen)
    except (IntegrityError, ObjectDoesNotExist) as error:
        # A row the proposal points at (a cited source, a counterpart) was deleted since: found
        # while saving, or by the database when the transaction commits.
        raise ReviewError(
            gettext("Something this change refers to was deleted since it was proposed: it cannot be accepted.")
        ) from error


def _accept(proposal, model, reviewer, comment, edit_version_seen):
    with transaction.atomic(using=router.db_for_write(model)):
        proposal = ProposedChange.objects.select_for_update().get(pk=proposal.pk)
        if not proposal.is_pending:
            raise ReviewError(gettext("This change was already reviewed."))
        record = current_record(proposal, lock=True)
        if record is None:
            raise ReviewError(gettext("The record was deleted since this change was proposed."))
        if record.edit_version != edit_version_seen:
            raise ReviewError(
                gettext("The record was saved again while you were reviewing: look at the changes again.")
            )
        summary = proposal.summary or gettext("Proposed change accepted")
        with versioning.revision(summary, user=proposal.author):
            _save_state(proposal.proposed, record)
        proposal.revision = history.versions_for(record).first().revision
        _close(proposal, State.ACCEPTED, reviewer, comment)
    return proposal


def reject(proposal, reviewer, comment):
    """Close the proposal unpublished; it stays in the record's history with the comment."""
    with transaction.atomic(using=router.db_for_write(ProposedChange)):
        proposal = ProposedChange.objects.select_for_update().get(pk=proposal.pk)
        if not proposal.is_pending:
            raise ReviewError(gettext("This change was already reviewed."))
        _close(proposal, State.REJECTED, reviewer, comment)
    return proposal


def _close(proposal, state, reviewer, comment):
    proposal.state = state
    proposal.reviewer = reviewer
    proposal.reviewed_at = timezone.now()
    proposal.review_comment = comment
    proposal.save()


def _save_state(state, record):
    """Make the record and its rows what ``state`` holds: rows it follows now and ``state`` does
    not are deleted, new rows saved under new keys, changed rows saved; rows the proposal left as
    they are now are not touched. Publication states are not part of a proposal: the record and
    its rows keep theirs."""
    current = {(item["content_type"], item["object_id"]): as_version(item) for item in state_of(record)}
    kept = {(item["content_type"], item["object_id"]) for item in state[1:] if not item.get("new")}
    removed = [
        row
        for row in versioning.followed_rows(record)
        if (ContentType.objects.get_for_model(row).pk, str(row.pk)) not in kept
    ]
    if removed:
        collector = Collector(using=router.db_for_write(type(record)))
        collector.collect(removed)
        collector.delete()
    new_keys = {}
    for position, item in enumerate(state):
        version = as_version(item)
        now = None if item.get("new") else current.get((item["content_type"], item["object_id"]))
        if position > 0 and now is not None and not history.diff(now, version):
            continue
        stored = version._object_version
        obj = stored.object
        if now is not None and "status" in now.field_dict:
            obj.status = now.field_dict["status"]
        if item.get("new"):
            new_keys[(item["content_type"], item["object_id"])] = obj
            obj.pk = None
            obj._state.adding = True
        _point_at_new_rows(obj, new_keys)
        obj.save()
        for name, keys in (stored.m2m_data or {}).items():
            getattr(obj, name).set(keys)


def _point_at_new_rows(obj, new_keys):
    """A row of a row new in the proposal points at that row's new key."""
    if not new_keys:
        return
    for model_field in obj._meta.concrete_fields:
        if model_field.is_relation and model_field.related_model is not None:
            related_type = ContentType.objects.get_for_model(model_field.related_model).pk
            parent = new_keys.get((related_type, str(getattr(obj, model_field.attname))))
            if parent is not None:
                setattr(obj, model_field.attname, parent.pk)
    if hasattr(obj, "content_type_id") and hasattr(obj, "object_id"):
        parent = new_keys.get((obj.content_type_id, str(obj.object_id)))
        if parent is not None:
            obj.object_id = parent.pk


def tell_authors(request):
    """Tell an editor, once, on their next admin page, how their proposals were reviewed."""
    if not request.user.is_authenticated:
        return
    reviewed = ProposedChange.objects.filter(author=request.user, author_told=False).exclude(state=State.PENDING)
    told = []
    for proposal in reviewed.order_by("reviewed_at", "pk")[:20]:
        if proposal.state == State.ACCEPTED:
            text = gettext("Your change to “%(record)s” was accepted and published.")
        else:
            text = gettext("Your change to “%(record)s” was rejected.")
        text %= {"record": proposal.object_repr}
        if proposal.review_comment:
            text += " " + gettext("Comment: “%(comment)s”") % {"comment": proposal.review_comment}
        messages.info(request, text)
        told.append(proposal.pk)
    if told:
        ProposedChange.objects.filter(pk__in=told).update(author_told=True)
