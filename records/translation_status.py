"""Whether the Arabic, English and Hebrew of each translated field move in step, from the history.

For every translated field of a versioned record, and every language, a
:class:`~records.models.TranslationState` row says when that language's value last changed and
whether it is in step with the others:

- a language is **behind** when another one moved on without it: an editor changed the English
  of a field whose Arabic and Hebrew were in step, and left them as they were;
- it catches up when its own value changes next (a translator carries the change over), without
  putting the others behind: a change made by a language that was behind, or missing, is taken
  as a translation of the others;
- it is **missing** while its value is empty and another language's is not.

Values are compared as :mod:`records.history` compares them (the one diff mechanism), hashed.
The rows are written whenever django-reversion saves a revision (``post_revision_commit``, in the
revision's transaction): one query reads the stored rows of the records in the revision, and
only rows whose state changed are written. A record with no rows yet (saved before this table
existed, or recovered after a delete, which removes its rows) is replayed from its whole history.
``manage.py rebuild_translation_status`` replays every record's history from scratch.
"""

import functools
import hashlib
from dataclasses import dataclass
from itertools import groupby

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.db.models.signals import post_delete
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language_info, gettext, pgettext
from modeltranslation.utils import build_localized_fieldname
from reversion.errors import RevertError
from reversion.models import Version
from reversion.signals import post_revision_commit

from . import kinds
from .history import comparable
from .languages import LANGUAGE_CODES, translated_fields
from .models import TranslationState
from .partial_dates import PartialDate
from .versioning import FOLLOWS

CURRENT = TranslationState.State.CURRENT
BEHIND = TranslationState.State.BEHIND
MISSING = TranslationState.State.MISSING
BATCH = 2000


@functools.cache
def tracked_fields(model):
    """The translated fields of ``model``, in the model's order (``name``, ``summary``…)."""
    names = translated_fields(model)
    return tuple(f.name for f in model._meta.concrete_fields if f.name in names)


def fingerprint(value):
    """A short fixed-length stand-in for a stored value; "" for an empty one."""
    value = comparable(value)
    if value == "":
        return ""
    return hashlib.md5(str(value).encode(), usedforsecurity=False).hexdigest()


# The rule, for one field of one record: its rows by language, moved on by one version's values.


def advance(rows, prints, when, make, exempt=frozenset()):
    """Move the rows of one field (``{language: row or None}``) on to the values of a new version.

    ``prints`` holds each language's fingerprint in the new version, ``when`` is the revision's
    time, ``make(language)`` builds a missing row, ``exempt`` names the languages the field needs
    no value in. Returns the rows whose state changed.
    """
    before = {code: _state_of(row) for code, row in rows.items()}
    changed = [code for code in LANGUAGE_CODES if rows.get(code) is None or rows[code].fingerprint != prints[code]]
    # Only a language that was in step, with a value, and still has one moves on without the others.
    moved_on = any(
        code not in exempt
        and rows.get(code) is not None
        and rows[code].state == CURRENT
        and rows[code].filled
        and prints[code]
        for code in changed
    )
    for code in changed:
        row = rows.get(code) or make(code)
        rows[code] = row
        row.fingerprint, row.changed_at, row.state, row.behind_since = prints[code], when, CURRENT, None
    if moved_on:
        for code in LANGUAGE_CODES:
            if code not in changed and code not in exempt and rows[code].filled:
                rows[code].state, rows[code].behind_since = BEHIND, when
    _settle(rows, exempt)
    return [row for code, row in rows.items() if _state_of(row) != before.get(code)]


def _settle(rows, exempt):
    """Empty values are missing beside filled ones; nothing is behind when no filled language leads;
    a language the field needs no value in is neither."""
    counted = [row for code, row in rows.items() if code not in exempt]
    filled = [row for row in counted if row.filled]
    for code, row in rows.items():
        if code in exempt:
            row.state, row.behind_since = CURRENT, None
        elif not row.filled:
            row.state, row.behind_since = (MISSING if filled else CURRENT), None
    if not any(row.state == CURRENT for row in filled):
        for row in filled:
            row.state, row.behind_since = CURRENT, None


def _state_of(row):
    if row is None:
        return None
    return (row.fingerprint, row.changed_at, row.state, row.behind_since)


def prints_of(model, field_dict):
    """{field: {language: fingerprint}} of one version's (or one object's) stored values."""
    return {
        name: {code: fingerprint(field_dict.get(build_localized_fieldname(name, code))) for code in LANGUAGE_CODES}
        for name in tracked_fields(model)
    }


class _Record:
    """The rows of one record, by field and language, moved on version by version."""

    def __init__(self, content_type_id, object_id, rows=()):
        self.content_type_id, self.object_id = content_type_id, object_id
        self.rows = {}
        for row in rows:
            self.rows.setdefault(row.field, {})[row.language] = row

    def apply(self, model, field_dict, when):
        changed = []
        kind = kinds.kind_of(model)
        exempt = kind.untranslated(field_dict) if kind is not None and kind.untranslated else {}
        for name, prints in prints_of(model, field_dict).items():
            rows = self.rows.setdefault(name, {})

            def make(code, name=name):
                return TranslationState(
                    content_type_id=self.content_type_id, object_id=self.object_id, field=name, language=code
                )

            changed += advance(rows, prints, when, make, exempt.get(name, frozenset()))
        return changed


def _save(rows, using):
    """Write the changed rows, new or stored, in one INSERT … ON CONFLICT DO UPDATE.

    (Django's ``bulk_update`` builds a CASE per column and row, several times the cost; a delete
    reads the rows first, as every model's deletes send signals here.)
    """
    for row in rows:
        row.pk = None
    TranslationState.objects.using(using).bulk_create(
        rows,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["content_type", "object_id", "field", "language"],
        update_fields=["state", "fingerprint", "changed_at", "behind_since"],
    )


# Keeping the rows as revisions are saved.


def revision_saved(sender, revision, versions, **kwargs):
    """django-reversion saved ``revision``: move the translated records in it on (post_revision_commit)."""
    by_model = {}
    for version in versions:
        model = version._model
        if tracked_fields(model) and version.object_id.isdigit():
            by_model.setdefault(model, []).append(version)
    using = revision._state.db
    for model, model_versions in by_model.items():
        content_type = ContentType.objects.db_manager(using).get_for_model(model)
        ids = [int(version.object_id) for version in model_versions]
        stored = TranslationState.objects.using(using).filter(content_type=content_type, object_id__in=ids)
        records = {
            object_id: _Record(content_type.pk, object_id, rows)
            for object_id, rows in groupby(stored.order_by("object_id"), key=lambda row: row.object_id)
        }
        changed = []
        for version in model_versions:
            record = records.get(int(version.object_id))
            if record is not None:
                changed += record.apply(model, version.field_dict, revision.date_created)
        unknown = [object_id for object_id in ids if object_id not in records]
        if unknown:
            # No rows yet: replay the record's whole history, this revision included.
            history = Version.objects.using(using).filter(
                content_type=content_type, object_id__in=[str(object_id) for object_id in unknown]
            )
            changed += _replay(model, content_type.pk, history)
        _save(changed, using)


def _replay(model, content_type_id, versions):
    """The rows of the records whose ``versions`` are given, from their first version to their last."""
    versions = versions.select_related("revision").order_by("object_id", "revision__date_created", "pk")
    rows = []
    for object_id, own in groupby(versions.iterator(chunk_size=BATCH), key=lambda version: version.object_id):
        record = _Record(content_type_id, int(object_id))
        for version in own:
            try:
                field_dict = version.field_dict
            except RevertError:  # a version of an older schema that no longer reads
                continue
            record.apply(model, field_dict, version.revision.date_created)
        rows += [row for languages in record.rows.values() for row in languages.values()]
    return rows


def rebuild(models, using="default"):
    """Replay the history of every existing record of ``models``; returns the number of rows written."""
    TranslationState.objects.using(using).all().delete()
    count = 0
    for model in models:
        if not tracked_fields(model):
            continue
        content_type = ContentType.objects.db_manager(using).get_for_model(model)
        existing = model._base_manager.using(using).order_by("pk").values_list("pk", flat=True)
        last = None
        while ids := list(existing.filter(pk__gt=last)[:BATCH] if last is not None else existing[:BATCH]):
            last = ids[-1]
            history = Version.objects.using(using).filter(
                content_type=content_type, object_id__in=[str(pk) for pk in ids]
            )
            rows = _replay(model, content_type.pk, history)
            TranslationState.objects.using(using).bulk_create(rows, batch_size=BATCH)
            count += len(rows)
    return count


def forget(sender, instance, using, **kwargs):
    """A deleted record's rows go with it (a recovered one is replayed from its history)."""
    if not reversion.is_registered(sender) or not tracked_fields(sender):
        return
    content_type = ContentType.objects.db_manager(using).get_for_model(sender)
    TranslationState.objects.using(using).filter(content_type=content_type, object_id=instance.pk).delete()


# Connected for every model, not per versioned model as it is registered: records.versioning, below
# this module, then need not know of it (records.apps imports this module to connect both).
post_delete.connect(forget, dispatch_uid="translation-status-delete")
post_revision_commit.connect(revision_saved, dispatch_uid="translation-status")


# Reading the rows: what editors are told.


def needing(language):
    """The rows of fields behind, or missing, in ``language`` (read through the partial index: not in step)."""
    return TranslationState.objects.filter(language=language).exclude(state=CURRENT)


def ids_needing(model, language):
    """A subquery of the keys of ``model``'s records with a field behind or missing in ``language``."""
    content_type = ContentType.objects.get_for_model(model)
    return needing(language).filter(content_type=content_type).values("object_id")


@dataclass(frozen=True)
class LanguageStatus:
    language: str
    state: str
    changed_at: object  # a datetime
    filled: bool

    @property
    def language_name(self):
        return get_language_info(self.language)["name_translated"]

    @property
    def state_label(self):
        return TranslationState.State(self.state).label

    @property
    def changed_on(self):
        return format_day(self.changed_at)


@dataclass(frozen=True)
class FieldStatus:
    name: str
    label: str
    languages: list  # LanguageStatus, in the order of settings.LANGUAGES
    message: str

    @property
    def state(self):
        """The field's worst state: missing, then behind, then in step."""
        states = {status.state for status in self.languages}
        return next((state for state in (MISSING, BEHIND) if state in states), CURRENT)


def format_day(moment):
    """A moment of the history as the day it was, in the active language, by the one date formatter."""
    return PartialDate.parse(timezone.localdate(moment)).format()


def names(codes):
    """Language names in the active language, joined: "Arabic", "Arabic and Hebrew"."""
    named = [str(get_language_info(code)["name_translated"]) for code in codes]
    if len(named) < 2:
        return "".join(named)
    first = pgettext("list separator", ", ").join(named[:-1])
    return gettext("%(languages)s and %(last)s") % {"languages": first, "last": named[-1]}


def describe(rows):
    """What an editor is told of one field, from its rows by language."""
    present = [rows[code] for code in LANGUAGE_CODES if code in rows]
    behind = [row.language for row in present if row.state == BEHIND]
    missing = [row.language for row in present if row.state == MISSING]
    sentences = []
    if behind:
        since = rows[behind[0]].behind_since
        leaders = [row.language for row in present if row.state == CURRENT and row.filled and row.changed_at == since]
        if leaders:
            sentences.append(
                gettext("%(languages)s changed on %(date)s after the %(behind)s.")
                % {"languages": names(leaders), "date": format_day(since), "behind": names(behind)}
            )
        else:
            sentences.append(
                gettext("%(behind)s behind since %(date)s.") % {"behind": names(behind), "date": format_day(since)}
            )
    if missing:
        sentences.append(gettext("Missing in %(languages)s.") % {"languages": names(missing)})
    if not sentences:
        if any(row.filled for row in present):
            sentences.append(gettext("In step."))
        else:
            sentences.append(gettext("Empty in every language."))
    return " ".join(sentences)


def statuses(obj):
    """The translation status of each translated field of ``obj`` (one query), in the model's order."""
    model = type(obj)
    content_type = ContentType.objects.get_for_model(model)
    rows = {}
    for row in TranslationState.objects.filter(content_type=content_type, object_id=obj.pk):
        rows.setdefault(row.field, {})[row.language] = row
    return field_statuses(model, rows)


@dataclass(frozen=True)
class RowStatus:
    """A row edited with a record (a citation, a participant, a role) with a field not in step."""

    relation: str  # what the record calls its rows ("participants")
    row: object
    fields: list  # FieldStatus of its fields not in step


def followed_statuses(obj):
    """The rows ``obj`` follows (versioned with it) whose translated fields are not in step.

    One query per followed relation of a translated model, and one more for the rows of each
    relation that has some to show.
    """
    model = type(obj)
    found = []
    for name in FOLLOWS.get(model, ()):
        relation = model._meta.get_field(name)
        related_model = relation.related_model
        if not (relation.one_to_many or relation.many_to_many) or not tracked_fields(related_model):
            continue  # a key of the record's own, or rows with nothing translated
        content_type = ContentType.objects.get_for_model(related_model)
        keys = getattr(obj, name).order_by().values("pk")
        by_row = {}
        for row in TranslationState.objects.filter(content_type=content_type, object_id__in=keys):
            by_row.setdefault(row.object_id, {}).setdefault(row.field, {})[row.language] = row
        needing = {
            object_id: {field: rows for field, rows in fields.items() if any(r.state != CURRENT for r in rows.values())}
            for object_id, fields in by_row.items()
        }
        needing = {object_id: fields for object_id, fields in needing.items() if fields}
        if not needing:
            continue
        keys = [f.name for f in related_model._meta.concrete_fields if f.many_to_one]
        rows = related_model._base_manager.select_related(*keys).in_bulk(list(needing))
        label = capfirst(relation.related_model._meta.verbose_name_plural)
        for object_id in sorted(rows):
            found.append(RowStatus(label, rows[object_id], field_statuses(related_model, needing[object_id])))
    return found


def field_statuses(model, rows):
    """FieldStatus of each field of ``model`` that has rows in ``{field: {language: row}}``."""
    result = []
    for name in tracked_fields(model):
        languages = rows.get(name)
        if not languages:
            continue
        result.append(
            FieldStatus(
                name=name,
                label=capfirst(model._meta.get_field(name).verbose_name),
                languages=[
                    LanguageStatus(code, row.state, row.changed_at, row.filled)
                    for code in LANGUAGE_CODES
                    if (row := languages.get(code)) is not None
                ],
                message=describe(languages),
            )
        )
    return result


def rows_of(pairs):
    """{(content_type_id, object_id): {field: {language: row}}} of the records named (one query)."""
    pairs = list(pairs)
    if not pairs:
        return {}
    wanted = Q()
    for content_type_id, ids in groupby(sorted(pairs), key=lambda pair: pair[0]):
        wanted |= Q(content_type_id=content_type_id, object_id__in=[object_id for _type, object_id in ids])
    found = {}
    for row in TranslationState.objects.filter(wanted):
        found.setdefault((row.content_type_id, row.object_id), {}).setdefault(row.field, {})[row.language] = row
    return found


def untracked_history(using="default"):
    """Whether revisions of translated records exist but no status was ever derived from them.

    That is a database from before the status was kept: ``rebuild`` derives it (the dataset loader
    does, on its next start). Two cheap queries.
    """
    if TranslationState.objects.using(using).exists():
        return False
    models = [model for model in reversion.get_registered_models() if tracked_fields(model)]
    content_types = ContentType.objects.db_manager(using).get_for_models(*models).values()
    return Version.objects.using(using).filter(content_type__in=list(content_types)).exists()
