"""Seed the database from ``allmep.toml``; once a record exists, editors own it.

Every record of the file is looked up by its natural key and compared field by field (every
language column). Then:

- a record the database lacks is created, published and validated with ``full_clean()`` (which
  checks prose markers and links), unless an editor deleted it: a deleted record is not brought
  back;
- a record that differs from the file is updated only while the loader wrote its current version
  and nothing changed it since, not even outside a revision; otherwise the editor's version is
  kept and the disagreement reported;
- a record's publication state is never changed once it exists;
- rows that belong to a record an editor changed (its citations, participants, roles) are not
  added to it.

Each record is saved in a revision of its own, with the rows that belong to it, so that
reverting one record never touches another. A second run saves nothing. With ``dry_run`` the
load happens in a transaction that is rolled back, to report what it would do.
"""

import tomllib
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import translation
from reversion.models import Revision, Version

from citations.models import Citation, Source
from events.models import Event, EventParticipant, EventPartner, Meeting
from organizations.models import (
    ArticleSection,
    ArticleSectionKind,
    Organization,
    Person,
    Proposal,
    ReportedFigure,
    Role,
)
from records.languages import LANGUAGE_CODES
from records.models import PublicationStatus
from records.versioning import revision

DATASET = Path(__file__).with_name("allmep.toml")
SEED = Path(__file__).with_name("seed")
LANGUAGES = LANGUAGE_CODES  # ar, en, he
LOADER_USERNAME = "allmep-loader"
INITIAL_COMMENT = "ALLMEP dataset: initial import of the Arabic Wikipedia article (CC BY-SA 4.0)"
UPDATE_COMMENT = "ALLMEP dataset: update from dataset/allmep.toml"
PUBLISHED = {"status": PublicationStatus.PUBLISHED}
# The tables of the dataset file, in the order they are loaded.
TABLES = ("organizations", "sources", "people", "events", "meetings", "figures", "proposals", "sections")


class DatasetError(Exception):
    """The dataset is wrong; the message names the record and what to fix."""


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    KEPT = "kept"  # the database's version differs from the file and is not the loader's: it stays
    DELETED = "deleted"  # deleted by an editor: not brought back


@dataclass
class Difference:
    """One column, or one relation, where the database and the file disagree."""

    name: str
    database: object
    dataset: object


@dataclass
class Report:
    """What the loader did, or would do, with one record of the file that was not left unchanged."""

    label: str  # where it is in the file, e.g. "organizations.usaid"
    model: type
    pk: object
    outcome: Outcome
    reason: str = ""  # why the database's version stays
    differences: list[Difference] = field(default_factory=list)


@dataclass
class Summary:
    counts: dict = field(default_factory=dict)  # model label -> Counter of outcomes
    reports: list[Report] = field(default_factory=list)
    revisions: int = 0  # revisions written
    dry_run: bool = False

    def total(self, outcome):
        return sum(counter[outcome] for counter in self.counts.values())


def read_dataset(path=DATASET):
    with open(path, "rb") as file:
        try:
            return tomllib.load(file)
        except tomllib.TOMLDecodeError as error:
            raise DatasetError(f"{path}: {error}") from None


def loader_user():
    """The account the import is recorded under: no password, no admin access."""
    user_model = get_user_model()
    user = user_model._default_manager.filter(username=LOADER_USERNAME).first()
    if user is None:
        user = user_model(username=LOADER_USERNAME, is_staff=False, is_superuser=False)
        user.set_unusable_password()
        user.save()
    return user


class _DryRun(Exception):
    """Raised to roll a dry run back."""


def load(path=DATASET, dry_run=False):
    """Load the dataset in one transaction, a revision per record; return what was done.

    With ``dry_run`` nothing is kept: the summary says what a real load would do.
    """
    data = read_dataset(path)
    # The untranslated base columns take the default language, whatever the caller's language.
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        try:
            with transaction.atomic():
                latest = Revision.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
                loader = Loader(data, loader_user())
                loader.run()
                summary = Summary(counts=loader.counts, reports=loader.reports, dry_run=dry_run)
                summary.revisions = Revision.objects.filter(pk__gt=latest).count()
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
    return summary


@dataclass(frozen=True)
class NotLoaded:
    """A record the file defines but the database no longer has, because an editor deleted it."""

    slug: str


class Entry:
    """One record of the dataset file, read key by key so that a misspelt key is reported."""

    def __init__(self, label, data):
        if not isinstance(data, dict):
            raise DatasetError(f"{label}: expected a table")
        self.label = label
        self.data = data
        self.read = {"cite"}

    def get(self, name, default=""):
        self.read.add(name)
        return self.data.get(name, default)

    def per_language(self, name):
        """``name_ar``, ``name_en``, ``name_he`` from a table, or one text for every language."""
        value = self.get(name)
        if isinstance(value, str):
            value = dict.fromkeys(LANGUAGES, value)
        if not isinstance(value, dict) or set(value) - set(LANGUAGES):
            raise DatasetError(f"{self.label}: {name} must be a text or a table with keys ar, en, he")
        return {f"{name}_{language}": value.get(language, "").strip() for language in LANGUAGES}

    def ref(self, name, records):
        """The record a slug names, from those loaded so far; None when the key is absent."""
        slug = self.get(name)
        return self._record(name, slug, records) if slug else None

    def refs(self, name, records):
        return [self._record(name, slug, records) for slug in self.get(name, [])]

    def _record(self, name, slug, records):
        if slug not in records:
            raise DatasetError(f"{self.label}: {name} names {slug!r}, which is not defined above it")
        return records[slug] or NotLoaded(slug)

    def citations(self, sources):
        """(claim, source) pairs in the order written."""
        cite = self.data.get("cite", {})
        if not isinstance(cite, dict):
            raise DatasetError(f"{self.label}: cite must be a table of claim = [source keys]")
        pairs = []
        for claim, keys in cite.items():
            if not isinstance(keys, list):
                raise DatasetError(f"{self.label}: cite.{claim} must be a list of source keys")
            for key in keys:
                if key not in sources:
                    raise DatasetError(f"{self.label}: cite.{claim} names no source {key!r}")
                if (claim, sources[key]) in pairs:
                    raise DatasetError(f"{self.label}: cite.{claim} names {key!r} twice")
                pairs.append((claim, sources[key]))
        return pairs

    def finish(self):
        unknown = sorted(set(self.data) - self.read)
        if unknown:
            raise DatasetError(f"{self.label}: unknown key(s) {', '.join(unknown)}")


class Loader:
    def __init__(self, data, user):
        unknown = sorted(set(data) - set(TABLES))
        if unknown:
            raise DatasetError(f"unknown table(s) {', '.join(unknown)}")
        self.data = data
        self.user = user
        self.counts = {}
        self.reports = []
        self.organizations = {}
        self.sources = {}
        self.people = {}
        self.events = {}
        self.meetings = {}
        self.group = None
        self.deferred = {}  # dataset label -> the group of a record versioned once its rows are loaded
        self._deleted = {}

    def run(self):
        # Order matters: prose links and {{ref}} markers are validated against records already saved.
        self.load_organizations()
        self.load_sources()
        self.load_people()
        self.load_events()
        self.load_roles()
        self.load_meetings()
        self.load_figures()
        self.load_proposals()
        self.load_sections()

    def entries(self, table):
        for key, data in self.data.get(table, {}).items():
            yield key, Entry(f"{table}.{key}", data)

    # -- one kind of record at a time -------------------------------------------------------------

    def load_organizations(self):
        for slug, entry in self.entries("organizations"):
            values = {
                **PUBLISHED,
                "kind": entry.get("kind"),
                "parent": entry.ref("parent", self.organizations),
                "country": entry.get("country"),
                "website": entry.get("website"),
                "founded": entry.get("founded"),
                "formally_founded": entry.get("formally_founded"),
                **entry.per_language("name"),
                **entry.per_language("short_name"),
                **entry.per_language("summary"),
                **entry.per_language("description"),
            }
            # Citations come after the sources exist: organizations are cited, and versioned, in load_sources().
            entry.finish()
            with self.record(deferred=True) as group:
                self.organizations[slug] = self.sync(entry.label, Organization, {"slug": slug}, values)
            self.deferred[entry.label] = group

    def load_sources(self):
        for key, entry in self.entries("sources"):
            values = {
                **PUBLISHED,
                "kind": entry.get("kind"),
                "title": entry.get("title"),
                "language": entry.get("language"),
                "authors": entry.get("authors"),
                "publisher_organization": entry.ref("publisher_organization", self.organizations),
                "publication_date": entry.get("publication_date"),
                "url": entry.get("url"),
                "access_date": entry.get("access_date", None),
                "archive_url": entry.get("archive_url"),
                "archive_date": entry.get("archive_date", None),
                "archive_provider": entry.get("archive_provider"),
                "link_status": entry.get("link_status"),
                **entry.per_language("title_translation"),
                **entry.per_language("publisher"),
            }
            entry.finish()
            with self.record():
                self.sources[key] = self.sync(entry.label, Source, {"key": key}, values)
        for _slug, entry in self.entries("organizations"):
            citations = entry.citations(self.sources)
            with self.record(group=self.deferred.pop(entry.label)):
                self.sync_citations(entry.label, citations)

    def load_people(self):
        for slug, entry in self.entries("people"):
            entry.get("roles")  # loaded by load_roles(), once the events exist
            values = {
                **PUBLISHED,
                **entry.per_language("name"),
                **entry.per_language("summary"),
                **entry.per_language("description"),
            }
            entry.finish()
            citations = entry.citations(self.sources)
            # Roles come after the events exist: people are versioned, roles and all, in load_roles().
            with self.record(deferred=True) as group:
                self.people[slug] = self.sync(entry.label, Person, {"slug": slug}, values, citations)
            self.deferred[entry.label] = group

    def load_events(self):
        for slug, entry in self.entries("events"):
            values = {
                **PUBLISHED,
                "kind": entry.get("kind"),
                "start": entry.get("start"),
                "end": entry.get("end"),
                "country": entry.get("country"),
                "organizer": entry.ref("organizer", self.organizations),
                "parent": entry.ref("parent", self.events),
                "countries_represented": entry.get("countries_represented", []),
                **entry.per_language("title"),
                **entry.per_language("place"),
                **entry.per_language("summary"),
                **entry.per_language("description"),
            }
            participants = entry.get("participants", [])
            partners = entry.get("partners", [])
            entry.finish()
            with self.record():
                event = self.sync(entry.label, Event, {"slug": slug}, values, entry.citations(self.sources))
                self.events[slug] = event
                for index, data in enumerate(participants):
                    part = Entry(f"{entry.label}.participants[{index}]", data)
                    lookup = {
                        "event": event,
                        "person": part.ref("person", self.people),
                        "organization": part.ref("organization", self.organizations),
                    }
                    values = {"position": index, **part.per_language("role")}
                    part.finish()
                    self.sync(part.label, EventParticipant, lookup, values, part.citations(self.sources))
                for index, data in enumerate(partners):
                    part = Entry(f"{entry.label}.partners[{index}]", data)
                    lookup = {"event": event, "organization": part.ref("organization", self.organizations)}
                    values = part.per_language("role")
                    part.finish()
                    self.sync(part.label, EventPartner, lookup, values, part.citations(self.sources))

    def load_roles(self):
        # A role is identified by person, event, organization and country, so its title can be edited.
        # Roles belong to their person (a version of the person holds them): one revision per person.
        for slug, person_entry in self.entries("people"):
            with self.record(group=self.deferred.pop(person_entry.label)):
                for index, data in enumerate(person_entry.data.get("roles", [])):
                    entry = Entry(f"{person_entry.label}.roles[{index}]", data)
                    lookup = {
                        "person": self.people[slug],
                        "event": entry.ref("event", self.events),
                        "organization": entry.ref("organization", self.organizations),
                        "country": entry.get("country"),
                    }
                    values = {
                        **PUBLISHED,
                        "is_former": entry.get("is_former", False),
                        "start": entry.get("start"),
                        "end": entry.get("end"),
                        **entry.per_language("title"),
                    }
                    entry.finish()
                    self.sync(entry.label, Role, lookup, values, entry.citations(self.sources))

    def load_meetings(self):
        for slug, entry in self.entries("meetings"):
            values = {
                **PUBLISHED,
                "organization": entry.ref("organization", self.organizations),
                "date": entry.get("date"),
                "event": entry.ref("event", self.events),
                **entry.per_language("title"),
                **entry.per_language("description"),
            }
            counterparts = entry.refs("counterparts", self.organizations)
            entry.finish()
            with self.record():
                self.meetings[slug] = self.sync(
                    entry.label,
                    Meeting,
                    {"slug": slug},
                    values,
                    entry.citations(self.sources),
                    m2m={"counterparts": counterparts},
                )

    def load_figures(self):
        # A figure is identified by organization, metric, date, event and meeting.
        for index, data in enumerate(self.data.get("figures", [])):
            entry = Entry(f"figures[{index}]", data)
            lookup = {
                "organization": entry.ref("organization", self.organizations),
                "metric": entry.get("metric"),
                "as_of": entry.get("as_of"),
                "event": entry.ref("event", self.events),
                "meeting": entry.ref("meeting", self.meetings),
            }
            values = {
                **PUBLISHED,
                "value": str(entry.get("value")),
                "qualifier": entry.get("qualifier", "exact"),
                "unit": entry.get("unit", "count"),
                "compared_with": entry.get("compared_with"),
                **entry.per_language("note"),
            }
            entry.finish()
            with self.record():
                self.sync(entry.label, ReportedFigure, lookup, values, entry.citations(self.sources))

    def load_proposals(self):
        for slug, entry in self.entries("proposals"):
            values = {
                **PUBLISHED,
                "organization": entry.ref("organization", self.organizations),
                "modelled_on": entry.ref("modelled_on", self.organizations),
                "outcome_organization": entry.ref("outcome_organization", self.organizations),
                **entry.per_language("name"),
                **entry.per_language("description"),
                **entry.per_language("outcome"),
            }
            entry.finish()
            with self.record():
                self.sync(entry.label, Proposal, {"slug": slug}, values, entry.citations(self.sources))

    def load_sections(self):
        # Sections cite through the {{ref}} markers of their text, not through `cite`.
        for kind, entry in self.entries("sections"):
            if kind not in ArticleSectionKind.values:
                raise DatasetError(f"{entry.label}: not a kind of section ({', '.join(ArticleSectionKind.values)})")
            lookup = {"organization": entry.ref("organization", self.organizations), "kind": kind}
            values = {
                **PUBLISHED,
                "position": entry.get("position", 0),
                **entry.per_language("title"),
                **entry.per_language("body"),
            }
            entry.finish()
            with self.record():
                self.sync(entry.label, ArticleSection, lookup, values, entry.citations(self.sources))

    # -- the one way anything is written ----------------------------------------------------------

    @contextmanager
    def record(self, group=None, deferred=False):
        """One revision for one record and the rows that belong to it, written only if something was saved.

        The first record synced inside is the root. The root is added to the revision whole, with
        every row it follows, so that its version is complete even when only one of its citations
        changed. A record whose rows can only be loaded later (an organization's citations, a
        person's roles) is ``deferred``: its group is reopened then, and versioned once, whole.
        """
        group = group or Group()
        self.group = group
        try:
            if deferred:
                yield group
                return
            with revision(UPDATE_COMMENT, user=self.user):
                yield group
                if group.saved and group.root is not None:
                    if group.created:
                        reversion.set_comment(INITIAL_COMMENT)
                    reversion.add_to_revision(group.root)
        finally:
            self.group = None

    def sync(self, label, model, lookup, values, citations=(), m2m=None):
        """Create, update or keep one record found by its natural key; return it, or None if it is not there."""
        group = self.group
        is_root = group.root is None and not group.started
        group.started = True
        if group.skipped:
            return None  # its record is not in the database any more
        named = [
            *lookup.values(),
            *values.values(),
            *(target for targets in (m2m or {}).values() for target in targets),
        ]
        missing = [value.slug for value in named if isinstance(value, NotLoaded)]
        if missing:
            # A record it names is not in the database any more: leave it as it is.
            self.report(label, model, None, Outcome.KEPT, f"names {', '.join(missing)}, which an editor deleted")
            self.count(model, Outcome.KEPT)
            group.skipped = is_root
            return None
        instance = model._base_manager.filter(**lookup).first()
        if instance is None:
            return self.create(label, model, lookup, values, citations, m2m, is_root)
        if is_root:
            group.root = instance
        differences = self.differences(instance, values, m2m)
        reason = ""
        if not differences:
            outcome = Outcome.UNCHANGED
        else:
            reason = self.edited_since_loaded(instance, values, m2m)
            if reason:
                outcome = Outcome.KEPT
                self.report(label, model, instance.pk, outcome, reason, differences)
            else:
                outcome = Outcome.UPDATED
                for name, value in values.items():
                    if name not in PUBLISHED:  # publication is the editors' call once a record exists
                        setattr(instance, name, value)
                self.save(label, instance, m2m)
                self.report(label, model, instance.pk, outcome, "", differences)
        self.count(model, outcome)
        if is_root and outcome is not Outcome.UNCHANGED:
            group.root_edited = reason  # "" once the loader has updated it
        self.sync_citations(label, citations, instance)
        return instance

    def create(self, label, model, lookup, values, citations, m2m, is_root):
        group = self.group
        deleted = self.deleted_version(model, lookup)
        if deleted is not None:
            reason = f"deleted by an editor after {_when(deleted.revision)}"
            self.report(label, model, deleted.object_id, Outcome.DELETED, reason)
            self.count(model, Outcome.DELETED)
            group.skipped = group.skipped or is_root
            return None
        parent_edited = not is_root and group.root is not None and self.root_edited()
        if parent_edited:
            # Adding a row would change a record an editor owns.
            reason = f"not added to {group.root._meta.verbose_name} #{group.root.pk}, {parent_edited}"
            self.report(label, model, None, Outcome.KEPT, reason)
            self.count(model, Outcome.KEPT)
            return None
        instance = model(**lookup)
        for name, value in values.items():
            setattr(instance, name, value)
        self.save(label, instance, m2m)
        if is_root:
            group.root, group.created, group.root_edited = instance, True, ""
        differences = [Difference(name, None, value) for name, value in values.items() if value not in (None, "")]
        self.report(label, model, instance.pk, Outcome.CREATED, "", differences)
        self.count(model, Outcome.CREATED)
        self.sync_citations(label, citations, instance)
        return instance

    def save(self, label, instance, m2m):
        try:
            instance.full_clean()
        except ValidationError as error:
            raise DatasetError(f"{label}: {_describe(error)}") from None
        instance.save()
        for name, targets in (m2m or {}).items():
            getattr(instance, name).set(targets)
        self.group.saved = True

    def sync_citations(self, label, citations, instance=None):
        instance = instance or self.group.root
        if instance is None:
            return
        content_type = ContentType.objects.get_for_model(instance)
        for position, (claim, source) in enumerate(citations):
            lookup = {"content_type": content_type, "object_id": instance.pk, "claim": claim, "source": source}
            self.sync(f"{label} cite.{claim} {source.key}", Citation, lookup, {"position": position})

    # -- who owns a record ------------------------------------------------------------------------

    def differences(self, instance, values, m2m=None):
        found = [
            Difference(name, getattr(instance, instance._meta.get_field(name).attname), value)
            for name, value in values.items()
            if not _same(instance, name, value)
        ]
        for name, targets in (m2m or {}).items():
            stored = set(getattr(instance, name).values_list("pk", flat=True))
            if stored != {target.pk for target in targets}:
                found.append(Difference(name, sorted(stored), sorted(target.pk for target in targets)))
        return found

    def edited_since_loaded(self, instance, values, m2m=None):
        """Why the database's version of ``instance`` is not the loader's to change, or "" if it is.

        It is the loader's while the latest version is the loader's and the row still holds what
        that version holds: a change made outside a revision (an ``update()``, SQL) counts too.
        """
        latest = Version.objects.get_for_object(instance).select_related("revision__user").order_by("-pk").first()
        if latest is None:
            return "not written by the loader"
        if latest.revision.user_id != self.user.pk:
            return f"edited by {latest.revision.user or 'a script'} on {_when(latest.revision)}"
        stored = latest.field_dict
        for name in values:
            attname = instance._meta.get_field(name).attname
            if attname in stored and not _same(instance, name, stored[attname]):
                return f"changed outside the history since {_when(latest.revision)} ({name})"
        for name in m2m or {}:
            if set(getattr(instance, name).values_list("pk", flat=True)) != set(stored.get(name, [])):
                return f"changed outside the history since {_when(latest.revision)} ({name})"
        return ""

    def root_edited(self):
        group = self.group
        if group.root_edited is None:
            group.root_edited = self.edited_since_loaded(group.root, {})
        return group.root_edited

    def deleted_version(self, model, lookup):
        """The last version of a record with this natural key that is no longer in the database, if any."""
        if model not in self._deleted:
            self._deleted[model] = [(version, version.field_dict) for version in Version.objects.get_deleted(model)]
        wanted = {model._meta.get_field(name).attname: _key(value) for name, value in lookup.items()}
        for version, stored in self._deleted[model]:
            if all(_key(stored.get(attname)) == value for attname, value in wanted.items()):
                return version
        return None

    def report(self, label, model, pk, outcome, reason="", differences=()):
        self.reports.append(Report(label, model, pk, outcome, reason, list(differences)))

    def count(self, model, outcome):
        self.counts.setdefault(model._meta.label, Counter())[outcome] += 1


@dataclass
class Group:
    """The record a revision is about, and what happened inside it."""

    root: models.Model | None = None
    started: bool = False  # a record was synced: the first one is the root, unless given
    created: bool = False
    saved: bool = False
    skipped: bool = False  # the root is not in the database (deleted): nothing of it is loaded
    root_edited: str | None = None  # why an editor owns the root ("" if the loader does), once asked


def _key(value):
    """A natural key's part as stored: a related record by its key, everything as text."""
    if isinstance(value, models.Model):
        value = value.pk
    return "" if value is None else str(value)


def _when(revision):
    return revision.date_created.strftime("%Y-%m-%d %H:%M UTC")


def _same(instance, name, value):
    field = instance._meta.get_field(name)
    if field.is_relation:
        stored = getattr(instance, field.attname)
        return stored == (value.pk if isinstance(value, models.Model) else value)
    return _comparable(field, getattr(instance, field.attname)) == _comparable(field, value)


def _comparable(field, value):
    """The value as the database stores it, with NULL and empty text alike."""
    if value is None or value == "":
        return ""
    try:
        return field.get_prep_value(field.to_python(value))
    except ValidationError:
        return value  # differs from anything stored; full_clean() then says what is wrong


def _describe(error):
    if hasattr(error, "message_dict"):
        return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
    return " ".join(error.messages)
