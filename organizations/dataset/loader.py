"""Bring the database in line with ``allmep.toml``, saving only what differs.

Every record is looked up by its natural key, compared field by field (every language column),
validated with ``full_clean()`` (which checks prose markers and links) and saved only when it is
new or differs. A second run therefore saves nothing: no new row, no edit-version bump, and no
revision, since django-reversion writes none when nothing was saved. Nothing is ever deleted:
records and citations an editor added beside the dataset stay.
"""

import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from reversion.models import Revision

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
from records.models import PublicationStatus
from records.versioning import revision

DATASET = Path(__file__).with_name("allmep.toml")
SEED = Path(__file__).with_name("seed")
LANGUAGES = tuple(settings.MODELTRANSLATION_LANGUAGES)  # ar, en, he
LOADER_USERNAME = "allmep-loader"
INITIAL_COMMENT = "ALLMEP dataset: initial import of the Arabic Wikipedia article (CC BY-SA 4.0)"
UPDATE_COMMENT = "ALLMEP dataset: update from organizations/dataset/allmep.toml"
PUBLISHED = {"status": PublicationStatus.PUBLISHED}
# The tables of the dataset file, in the order they are loaded.
TABLES = ("organizations", "sources", "people", "events", "meetings", "figures", "proposals", "sections")


class DatasetError(Exception):
    """The dataset is wrong; the message names the record and what to fix."""


@dataclass
class Summary:
    counts: dict = field(default_factory=dict)  # model label -> Counter(created/updated/unchanged)
    revision: Revision | None = None

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


def load(path=DATASET):
    """Load the dataset in one transaction and one revision; return what was done."""
    data = read_dataset(path)
    # The untranslated base columns take the default language, whatever the caller's language.
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE), transaction.atomic():
        user = loader_user()
        first_run = not Organization._base_manager.filter(slug__in=list(data.get("organizations", {}))).exists()
        latest = Revision.objects.order_by("-pk").values_list("pk", flat=True).first()
        loader = Loader(data)
        with revision(INITIAL_COMMENT if first_run else UPDATE_COMMENT, user=user):
            loader.run()
        summary = Summary(counts=loader.counts)
        summary.revision = Revision.objects.filter(pk__gt=latest or 0).order_by("pk").first()
    return summary


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

    def translated(self, name):
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
        return records[slug]

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
    def __init__(self, data):
        unknown = sorted(set(data) - set(TABLES))
        if unknown:
            raise DatasetError(f"unknown table(s) {', '.join(unknown)}")
        self.data = data
        self.counts = {}
        self.organizations = {}
        self.sources = {}
        self.people = {}
        self.events = {}
        self.meetings = {}

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
                **entry.translated("name"),
                **entry.translated("short_name"),
                **entry.translated("summary"),
                **entry.translated("description"),
            }
            # Citations come after the sources exist; organizations are cited in load_sources().
            entry.finish()
            self.organizations[slug] = self.sync(entry.label, Organization, {"slug": slug}, values)

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
                **entry.translated("title_translation"),
                **entry.translated("publisher"),
            }
            entry.finish()
            self.sources[key] = self.sync(entry.label, Source, {"key": key}, values)
        for slug, entry in self.entries("organizations"):
            self.sync_citations(entry.label, self.organizations[slug], entry.citations(self.sources))

    def load_people(self):
        for slug, entry in self.entries("people"):
            entry.get("roles")  # loaded by load_roles(), once the events exist
            values = {
                **PUBLISHED,
                **entry.translated("name"),
                **entry.translated("summary"),
                **entry.translated("description"),
            }
            entry.finish()
            self.people[slug] = self.sync(entry.label, Person, {"slug": slug}, values, entry.citations(self.sources))

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
                **entry.translated("title"),
                **entry.translated("place"),
                **entry.translated("summary"),
                **entry.translated("description"),
            }
            participants = entry.get("participants", [])
            partners = entry.get("partners", [])
            entry.finish()
            event = self.sync(entry.label, Event, {"slug": slug}, values, entry.citations(self.sources))
            self.events[slug] = event
            for index, data in enumerate(participants):
                part = Entry(f"{entry.label}.participants[{index}]", data)
                lookup = {
                    "event": event,
                    "person": part.ref("person", self.people),
                    "organization": part.ref("organization", self.organizations),
                }
                values = {"position": index, **part.translated("role")}
                part.finish()
                self.sync(part.label, EventParticipant, lookup, values, part.citations(self.sources))
            for index, data in enumerate(partners):
                part = Entry(f"{entry.label}.partners[{index}]", data)
                lookup = {"event": event, "organization": part.ref("organization", self.organizations)}
                values = part.translated("role")
                part.finish()
                self.sync(part.label, EventPartner, lookup, values, part.citations(self.sources))

    def load_roles(self):
        # A role is identified by person, event, organization and country, so its title can be edited.
        for slug, person_entry in self.entries("people"):
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
                    **entry.translated("title"),
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
                **entry.translated("title"),
                **entry.translated("description"),
            }
            counterparts = entry.refs("counterparts", self.organizations)
            entry.finish()
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
                **entry.translated("note"),
            }
            entry.finish()
            self.sync(entry.label, ReportedFigure, lookup, values, entry.citations(self.sources))

    def load_proposals(self):
        for slug, entry in self.entries("proposals"):
            values = {
                **PUBLISHED,
                "organization": entry.ref("organization", self.organizations),
                "modelled_on": entry.ref("modelled_on", self.organizations),
                "outcome_organization": entry.ref("outcome_organization", self.organizations),
                **entry.translated("name"),
                **entry.translated("description"),
                **entry.translated("outcome"),
            }
            entry.finish()
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
                **entry.translated("title"),
                **entry.translated("body"),
            }
            entry.finish()
            self.sync(entry.label, ArticleSection, lookup, values, entry.citations(self.sources))

    # -- the one way anything is written ----------------------------------------------------------

    def sync(self, label, model, lookup, values, citations=(), m2m=None):
        """Create or update one record from its natural key, saving only when something differs."""
        instance = model._base_manager.filter(**lookup).first()
        created = instance is None
        if created:
            instance = model(**lookup)
        changed = {name: value for name, value in values.items() if not _same(instance, name, value)}
        if created or changed:
            for name, value in changed.items():
                setattr(instance, name, value)
            try:
                instance.full_clean()
            except ValidationError as error:
                raise DatasetError(f"{label}: {_describe(error)}") from None
            instance.save()
        relations_changed = False
        for name, targets in (m2m or {}).items():
            manager = getattr(instance, name)
            if set(manager.values_list("pk", flat=True)) != {target.pk for target in targets}:
                manager.set(targets)
                relations_changed = True
        outcome = "created" if created else "updated" if changed or relations_changed else "unchanged"
        self.counts.setdefault(model._meta.label, Counter())[outcome] += 1
        self.sync_citations(label, instance, citations)
        return instance

    def sync_citations(self, label, instance, citations):
        content_type = ContentType.objects.get_for_model(instance)
        for position, (claim, source) in enumerate(citations):
            lookup = {"content_type": content_type, "object_id": instance.pk, "claim": claim, "source": source}
            self.sync(f"{label} cite.{claim} {source.key}", Citation, lookup, {"position": position})


def _same(instance, name, value):
    field = instance._meta.get_field(name)
    if field.is_relation:
        return getattr(instance, field.attname) == (value.pk if value is not None else None)
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
