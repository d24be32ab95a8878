"""Versions of a record and what changed between two of them.

This is the one diff mechanism of the project: the staff admin's compare view, its edit-conflict
message and the public history pages all describe changes with it.

A change is reported per stored column, so a translated field yields one change per language
(``name_ar``, ``name_en``, ``name_he``); the untranslated original column that modeltranslation
keeps beside them only mirrors the active language and is left out. Housekeeping columns
(primary key, edit counter, timestamps) are left out too.
"""

import datetime
import difflib
import json
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info, gettext
from django_countries import countries
from django_countries.fields import CountryField
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname
from reversion.models import Revision, Version

from .models import PublicationStatus
from .partial_dates import PartialDate
from .versioning import FOLLOWS, followed_in_revision

HOUSEKEEPING = frozenset({"edit_version", "created_at", "updated_at"})
# Words, runs of white space and single punctuation marks: the units an inline diff marks.
TOKENS = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class FieldChange:
    """One column whose value differs between two versions."""

    name: str  # the column, e.g. "name_en"
    label: str  # the field's verbose name, without the language
    language: str  # language code of a translated column, "" otherwise
    old: str  # the old value as text a reader understands
    new: str

    @property
    def language_name(self):
        return get_language_info(self.language)["name_translated"] if self.language else ""

    @property
    def direction(self):
        """Writing direction of the text, for the dir attribute of whatever shows it."""
        if not self.language:
            return "auto"
        return "rtl" if get_language_info(self.language)["bidi"] else "ltr"

    @property
    def html(self):
        return inline_diff(self.old, self.new)


@dataclass(frozen=True)
class CitationChange:
    """A citation of the record that was added, removed or edited between two versions."""

    action: str  # "added", "removed" or "changed"
    description: str  # source key, claim and locator, as an editor recognises the citation
    changes: list = field(default_factory=list)  # FieldChange list for "changed"


def versions_for(obj):
    """The saved versions of ``obj``, newest first, with their revision and its author."""
    return (
        Version.objects.get_for_object(obj).select_related("revision__user").order_by("-revision__date_created", "-pk")
    )


def was_published(version):
    """Whether the record was published in this version (read from the stored data, no query)."""
    if version.format == "json":
        fields = json.loads(version.serialized_data)[0]["fields"]
        return fields.get("status") == PublicationStatus.PUBLISHED
    return version.field_dict.get("status") == PublicationStatus.PUBLISHED


def public_versions(record):
    """The record's versions saved while it was published, newest first: all that readers may see
    of its history (its history page, its versions' pages, its TimeMap). Versions saved while it
    was a draft are drafts too."""
    return [version for version in versions_for(record) if was_published(version)]


def latest_public_version(record):
    """The version a reader of the record's page reads now: its latest one, if it was saved while
    the record was published (else None). Read from ``RecordQuerySet.with_latest_version()``'s
    annotations when the record has them (no query), else from the database."""
    if hasattr(record, "latest_version_id"):
        if record.latest_version_id is None:
            return None
        version = Version(
            pk=record.latest_version_id,
            format=record.latest_version_format,
            serialized_data=record.latest_version_data,
            revision=Revision(date_created=record.latest_version_at),
        )
    else:
        version = versions_for(record).first()
    return version if version is not None and was_published(version) else None


def version_in_force(versions, moment):
    """Of ``versions`` (newest first), the one in force at ``moment``: the last saved before the end
    of that second (HTTP dates have no fractions, and a version's own Memento-Datetime must find
    it again); the oldest one for a moment before them all. None if there are none."""
    limit = moment + datetime.timedelta(seconds=1)
    return next((version for version in versions if version.revision.date_created < limit), None) or (
        versions[-1] if versions else None
    )


def compared_versions(obj, from_id, to_id):
    """``(older, newer)``: the versions of ``obj`` numbered ``from_id`` and ``to_id``, oldest first.

    Without ``from_id``, or with the same number twice, ``to_id`` is compared with the version
    before it (None before the first one): what that version changed. Raises
    ``Version.DoesNotExist`` unless both numbers are versions of ``obj``.
    """
    versions = versions_for(obj)
    # Exact lookups, not IN: Django turns a number too large for the column into "no row".
    wanted = Q(pk=to_id) | Q(pk=from_id) if from_id is not None else Q(pk=to_id)
    found = {version.pk: version for version in versions.filter(wanted)}
    if to_id not in found or (from_id is not None and from_id not in found):
        raise Version.DoesNotExist
    newer = found[to_id]
    if from_id is None or from_id == to_id:
        date = newer.revision.date_created
        before = Q(revision__date_created__lt=date) | Q(revision__date_created=date, pk__lt=newer.pk)
        return versions.filter(before).first(), newer
    return tuple(sorted((found[from_id], newer), key=lambda version: (version.revision.date_created, version.pk)))


def diff(version_a, version_b, public=False):
    """What changed from ``version_a`` to ``version_b`` (two versions of one object).

    ``version_a`` may be None: everything in ``version_b`` is then new. With ``public``, records
    the diff names (related records, cited sources) appear only if they are published.
    """
    model = version_b._model
    old = version_a.field_dict if version_a is not None else {}
    return diff_values(model, old, version_b.field_dict, public=public)


def diff_values(model, old, new, public=False):
    """Compare two ``{attname: value}`` dicts of ``model`` as stored by django-reversion."""
    return [
        FieldChange(
            name=model_field.name,
            label=field_label(model_field),
            language=field_language(model_field),
            old=as_text(model_field, old.get(model_field.attname), public),
            new=as_text(model_field, new.get(model_field.attname), public),
        )
        for model_field in changed_fields(model, old, new)
    ]


def changed_fields(model, old, new):
    """The columns of ``model`` whose values differ between two ``{attname: value}`` dicts: the
    rows ``diff_values`` shows, found without reading anything they name (no query)."""
    return [
        model_field
        for model_field in tracked_fields(model)
        if comparable(old.get(model_field.attname)) != comparable(new.get(model_field.attname))
    ]


def field_label(model_field):
    """A column's field name as readers read it, without the language of a translated column."""
    return capfirst((getattr(model_field, "translated_field", None) or model_field).verbose_name)


def field_language(model_field):
    """The language code of a translated column ("" for any other column)."""
    return getattr(model_field, "language", "") if getattr(model_field, "translated_field", None) else ""


def values_of(obj):
    """The saved state of a live object, in the shape of ``Version.field_dict``."""
    values = {}
    for model_field in tracked_fields(type(obj)):
        if model_field.many_to_many:
            values[model_field.attname] = list(getattr(obj, model_field.name).values_list("pk", flat=True))
        else:
            values[model_field.attname] = getattr(obj, model_field.attname)
    return values


def citation_changes(version_a, version_b, public=False):
    """Citations of the object added, removed or edited from ``version_a`` to ``version_b``.

    A record's citations are saved in the same revision as the record (they are followed), so
    each version's revision holds the citations as they were.
    """
    citation_model, before, after = _compared_citations(version_a, version_b)
    if not before and not after:
        return []
    changes = []
    for pk, values in after.items():
        if pk not in before:
            changes.append(CitationChange("added", _describe_citation(citation_model, values, public)))
        else:
            field_changes = diff_values(citation_model, before[pk], values, public=public)
            if field_changes:
                changes.append(
                    CitationChange("changed", _describe_citation(citation_model, values, public), field_changes)
                )
    for pk, values in before.items():
        if pk not in after:
            changes.append(CitationChange("removed", _describe_citation(citation_model, values, public)))
    return changes


def changed_citation_columns(version_a, version_b):
    """``(count, columns)``: how many citations ``citation_changes`` would list, and the columns
    changed in the edited ones, without describing them (no query beyond the two revisions')."""
    citation_model, before, after = _compared_citations(version_a, version_b)
    count = len(before.keys() ^ after.keys())
    columns = []
    for pk in before.keys() & after.keys():
        changed = changed_fields(citation_model, before[pk], after[pk])
        count += bool(changed)
        columns += changed
    return count, columns


@dataclass(frozen=True)
class ChangedField:
    """A field an edit changed, and in which languages (none for an untranslated field)."""

    label: str
    languages: tuple = ()  # language codes, in the site's order

    @property
    def language_names(self):
        return [str(get_language_info(code)["name_translated"]) for code in self.languages]


def summarize(model, columns):
    """The columns an edit changed (names such as ``name_en``), as one ChangedField per field, in the
    model's order; columns the model no longer has are left out."""
    order = {code: position for position, (code, _name) in enumerate(settings.LANGUAGES)}
    fields = {}
    for model_field in tracked_fields(model):
        if model_field.name in columns:
            languages = fields.setdefault(str(field_label(model_field)), [])
            if field_language(model_field):
                languages.append(field_language(model_field))
    return [
        ChangedField(label, tuple(sorted(languages, key=lambda code: order.get(code, len(order)))))
        for label, languages in fields.items()
    ]


def tracked_fields(model):
    """The columns a diff compares, in the model's order."""
    try:
        originals = set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        originals = set()
    return [
        f
        for f in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if not f.primary_key
        and f.name not in HOUSEKEEPING
        and f.name not in originals
        and f.name not in ("content_type", "object_id")  # a citation's owner never changes
    ]


def as_text(model_field, value, public=False):
    """A stored value as a reader reads it: choice labels, names of related records, dates."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(model_field, CountryField):
        codes = value if isinstance(value, (list, tuple)) else [value]
        return ", ".join(str(countries.name(str(code)) or code) for code in codes if str(code))
    if model_field.is_relation:
        pks = value if isinstance(value, (list, tuple)) else [value]
        related = model_field.related_model._base_manager.filter(pk__in=pks)
        if public and hasattr(model_field.related_model, "status"):
            related = related.filter(status=PublicationStatus.PUBLISHED)
        names = {str(o.pk): str(o) for o in related}
        hidden = gettext("an unpublished record") if public else None
        return ", ".join(names.get(str(pk)) or hidden or f"#{pk}" for pk in pks)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, PartialDate):
        return value.format()
    if isinstance(value, datetime.datetime):
        return date_format(value, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    return str(value)


def inline_diff(old, new):
    """``old`` turned into ``new`` as escaped HTML, removed words in <del>, added ones in <ins>."""
    a, b = TOKENS.findall(old or ""), TOKENS.findall(new or "")
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))  # every piece of text above is escaped


def comparable(value):
    """One form per meaning: empty values alike, lists without order, values as text."""
    if value is None or value == "":
        return ""
    if isinstance(value, (list, tuple)):
        return sorted(str(item) for item in value)
    if isinstance(value, PartialDate):
        return value.edtf
    return str(value)


def _compared_citations(version_a, version_b):
    """The citation model and ``{pk: field_dict}`` of the citations in each version's revision."""
    before = _citations_in(version_a) if version_a is not None else {}
    after = _citations_in(version_b)
    # The citation model, reached through the record's followed relation: this module stands
    # below the citations app and knows it only through the ORM.
    citation_model = version_b._model._meta.get_field("citations").related_model if (before or after) else None
    return citation_model, before, after


def _citations_in(version):
    if "citations" not in FOLLOWS.get(version._model, ()):
        return {}  # a source, a citation: not cited itself
    return {citation.object_id: citation.field_dict for citation in followed_in_revision(version, "citations")}


def _describe_citation(citation_model, values, public=False):
    Source = citation_model._meta.get_field("source").related_model
    sources = Source.objects.published() if public else Source._base_manager.all()
    source = sources.filter(pk=values["source_id"]).first()
    if source is None and public:
        parts = [gettext("an unpublished source")]
    else:
        parts = [source.key if source else f"#{values['source_id']}"]
    claim_field = citation_model._meta.get_field("claim")
    if values.get("claim"):
        parts.append(f"{claim_field.verbose_name}: {values['claim']}")
    # The locator in the reader's language, else in the first language that has one.
    languages = sorted((code for code, _name in settings.LANGUAGES), key=lambda code: code != get_language())
    locator = next(filter(None, (values.get(build_localized_fieldname("locator", code)) for code in languages)), "")
    if locator:
        parts.append(locator)
    return " — ".join(parts)
