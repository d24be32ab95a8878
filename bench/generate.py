"""A large SYNTHETIC dataset for benchmarks: never part of the ALLMEP record.

Run on demand, against a database of its own (it refuses the default SQLite database that
``bin/serve`` uses, and nothing loads it but this script). It migrates the database and loads the
ALLMEP dataset first (idempotent), so the real record's pages are there too::

    createdb -h 127.0.0.1 -U postgres allmep_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/allmep_bench .venv/bin/python bench/generate.py [--scale 0.1]

At ``--scale 1`` it writes 10,000 organizations (with memberships of 20 synthetic coalitions),
100,000 events and meetings (60,000 events, a tenth of them sessions of another, with
participants and partners; 40,000 meetings with counterparts), 50,000 sources, 300,000
citations and 2,000 people with roles, in Arabic, English and Hebrew. Arabic text is written
with tashkeel, every hamza form of alef, tatweel, Arabic-Indic digits and و/ال/بال/لل prefixes, so
the search normalization (search/normalize.py) is exercised. A few percent are drafts.

Every row is marked: slugs and keys start with ``synthetic-``, and each record says in its
summary, description, quote or note (in each language) that it is synthetic benchmark data.
``--remove`` deletes them all (and their search documents) again.

Rows are written with COPY (like ``bulk_create``, it saves no revision and sends no signal). That is
acceptable HERE ONLY: these are throwaway benchmark rows that must not have a history, and the
project's rule (README, "Editing and history") stays for every real import. The search index is
then rebuilt with the project's own indexing (``search.indexing.rebuild``, what
``manage.py rebuild_search_index`` runs), and timed, and so is the table of prose markers
(``manage.py rebuild_prose_references``); the content stamp is bumped once so cached
pages are not served stale.
"""

import argparse
import io
import os
import random
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "allmep.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from citations.models import Citation, Source, SourceKind  # noqa: E402
from events.models import Event, EventKind, EventParticipant, EventPartner, Meeting  # noqa: E402
from organizations.models import Membership, Organization, OrganizationKind, Person, Role  # noqa: E402
from records.models import ContentStamp, PublicationStatus  # noqa: E402
from search import indexing  # noqa: E402
from search.models import SearchDocument  # noqa: E402

PREFIX = "synthetic-"
FULL_SIZE = {
    "organizations": 10_000,
    "events": 60_000,
    "meetings": 40_000,
    "sources": 50_000,
    "citations": 300_000,
    "people": 2_000,
}
COALITIONS = 20
DRAFT_SHARE = 0.03

NOTE = {
    "ar": "سجلّ اصطناعيّ لقياس الأداء، ليس من سجلّ التحالف.",
    "en": "Synthetic benchmark record, not part of the ALLMEP record.",
    "he": "רשומה סינתטית למדידת ביצועים, אינה חלק מהרשומה של ALLMEP.",
}

# Arabic words as editors type them: with and without tashkeel, every alef form, tatweel,
# ta marbuta, alef maqsura, and the clitics (و، ال، بال، لل) the normalization strips.
AR_NOUNS = [
    "مُنَظَّمَة", "منظمة", "جَمْعِيَّة", "مُؤَسَّسَة", "مؤسسة", "مَرْكَز", "مُنْتَدى", "مُبادَرَة", "شَبَكَة", "إِتِّحاد",
    "أَكاديميّة", "آفاق", "لِقاء", "مُؤْتَمَر", "نَدْوَة", "قِمَّة", "حِوار", "إِئْتِلاف", "مَـنـتـدى",
]  # fmt: skip
AR_QUALIFIERS = [
    "السَّلام", "السلام", "والسَّلام", "للسلام", "بالحِوار", "الأَمَل", "الإِنْسان", "الشَّباب", "والشباب", "للتَّعايُش",
    "المُصالَحَة", "التَّعاوُن", "والتعاون", "الإِسْرائيليّة", "الفِلَسْطينيّة", "المُشْتَرَك", "للتنمية", "بالمدارس",
    "الأُمَّهات", "الأطباء", "المُهَنْدِسين", "البيئة", "والمياه", "القُدْس", "حَيْفا", "يافا", "النَّقَب", "الجَليل",
]  # fmt: skip
AR_PLACES = ["القُدْس", "رام الله", "حيفا", "يافا", "بيت لحم", "النّاصرة", "غزّة", "عمّان", "واشنطن", "لندن"]
EN_NOUNS = ["Forum", "Center", "Initiative", "Network", "Association", "Institute", "Alliance", "Circle", "Academy"]
EN_QUALIFIERS = [
    "Peace", "Hope", "Dialogue", "Youth", "Coexistence", "Reconciliation", "Cooperation", "Water", "Environment",
    "Mothers", "Doctors", "Engineers", "Jerusalem", "Haifa", "Jaffa", "Negev", "Galilee", "Shared Society",
]  # fmt: skip
EN_PLACES = [
    "Jerusalem",
    "Ramallah",
    "Haifa",
    "Jaffa",
    "Bethlehem",
    "Nazareth",
    "Gaza",
    "Amman",
    "Washington",
    "London",
]
HE_NOUNS = ["פורום", "מרכז", "יוזמה", "רשת", "עמותת", "מכון", "ברית", "מעגל", "אקדמיה"]
HE_QUALIFIERS = [
    "שלום", "תקווה", "דיאלוג", "נוער", "דו-קיום", "פיוס", "שיתוף פעולה", "מים", "סביבה", "אמהות", "רופאים",
    "ירושלים", "חיפה", "יפו", "נגב", "גליל", "חברה משותפת",
]  # fmt: skip
HE_PLACES = ["ירושלים", "רמאללה", "חיפה", "יפו", "בית לחם", "נצרת", "עזה", "עמאן", "וושינגטון", "לונדון"]
COUNTRIES = ["IL", "PS", "US", "GB", "JO", "EG", "DE", "FR", "CA", ""]
EVENT_WORDS = {
    "ar": ["مُؤْتَمَر", "نَدْوَة", "لِقاء", "قِمَّة", "أُمْسِيَة", "وَرْشَة"],
    "en": ["Conference", "Panel", "Meeting", "Summit", "Evening", "Workshop"],
    "he": ["כנס", "פאנל", "מפגש", "פסגה", "ערב", "סדנה"],
}
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def partial_date(rng, first=1990, last=2025):
    """An EDTF partial date: a year, a month, a day or a season/quarter (``2003-36`` = late 2003)."""
    year = rng.randint(first, last)
    shape = rng.random()
    if shape < 0.25:
        return str(year)
    if shape < 0.35:
        return f"{year}-{rng.choice([33, 36])}"  # early or late in the year
    if shape < 0.65:
        return f"{year}-{rng.randint(1, 12):02d}"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


class Names:
    """Three-language names from a few word lists; numbers keep them apart."""

    def __init__(self, rng):
        self.rng = rng

    def organization(self, n):
        rng = self.rng
        noun, qualifier = rng.randrange(len(EN_NOUNS)), rng.randrange(len(EN_QUALIFIERS))
        number = str(n)
        arabic_number = rng.choice([number, number.translate(ARABIC_INDIC)])
        return {
            "ar": f"{rng.choice(AR_NOUNS)} {rng.choice(AR_QUALIFIERS)} {arabic_number}",
            "en": f"{EN_QUALIFIERS[qualifier]} {EN_NOUNS[noun]} {number}",
            "he": f"{HE_NOUNS[noun % len(HE_NOUNS)]} {HE_QUALIFIERS[qualifier % len(HE_QUALIFIERS)]} {number}",
        }

    def event(self, n):
        rng = self.rng
        kind, place = rng.randrange(6), rng.randrange(len(EN_PLACES))
        return {
            "ar": f"{EVENT_WORDS['ar'][kind]} {rng.choice(AR_QUALIFIERS)} في {AR_PLACES[place]} {n}",
            "en": f"{EVENT_WORDS['en'][kind]} on {rng.choice(EN_QUALIFIERS)} in {EN_PLACES[place]} {n}",
            "he": f"{EVENT_WORDS['he'][kind]} {rng.choice(HE_QUALIFIERS)} ב{HE_PLACES[place]} {n}",
        }, {"ar": AR_PLACES[place], "en": EN_PLACES[place], "he": HE_PLACES[place]}

    def prose(self, name, source_keys):
        """A description per language in the prose markup, citing some sources by marker."""
        rng = self.rng
        refs = "".join("{{ref|" + key + "}}" for key in rng.sample(source_keys, k=min(2, len(source_keys))))
        if rng.random() > 0.2:
            refs = ""  # most descriptions cite through structured citations only
        return {
            "ar": f"''{name['ar']}'' {rng.choice(AR_NOUNS)} تعمل مِنْ أَجْلِ {rng.choice(AR_QUALIFIERS)} "
            f"و{rng.choice(AR_QUALIFIERS)}.{refs}\n\n{NOTE['ar']}",
            "en": f"''{name['en']}'' works for {rng.choice(EN_QUALIFIERS).lower()} and "
            f"{rng.choice(EN_QUALIFIERS).lower()}.{refs}\n\n{NOTE['en']}",
            "he": f"''{name['he']}'' פועלת למען {rng.choice(HE_QUALIFIERS)}.{refs}\n\n{NOTE['he']}",
        }


def translated(field, values):
    """{"name": {"ar": …}} → name=… (the default language's, as modeltranslation stores it), name_ar=…"""
    return {field: values[settings.MODELTRANSLATION_DEFAULT_LANGUAGE]} | {
        f"{field}_{code}": value for code, value in values.items()
    }


def status(rng):
    return PublicationStatus.DRAFT if rng.random() < DRAFT_SHARE else PublicationStatus.PUBLISHED


@contextmanager
def timed(label, timings):
    started = time.perf_counter()
    print(f"{label}…", end=" ", flush=True)
    yield
    timings[label] = time.perf_counter() - started
    print(f"{timings[label]:.1f} s", flush=True)


def new_keys(model, count):
    """``count`` primary keys drawn from the table's sequence, in order."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s) ORDER BY 1",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [key for (key,) in cursor.fetchall()]


def create(model, rows, keys=None):
    """Write ``rows`` (dicts of field names and values) into ``model``'s table; returns their keys.

    Synthetic benchmark rows only: written with COPY, so without revisions or signals (see the
    module docstring), and without building a model instance per row,
    which took more time than PostgreSQL did. Keys are drawn from the table's sequence first
    (or given, from :func:`new_keys`), so rows can refer to each other (a session to its event).
    A field a row leaves out holds what a new instance would save (its default; now, for
    timestamps).
    """
    rows = list(rows)
    keys = keys or new_keys(model, len(rows))
    table = model._meta.db_table
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    template = model()
    defaults = {field: field.get_db_prep_save(field.pre_save(template, add=True), connection) for field in fields}
    with connection.cursor() as cursor:
        columns = ", ".join(
            connection.ops.quote_name(column) for column in [model._meta.pk.column, *(f.column for f in fields)]
        )
        with cursor.copy(f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN") as copy:
            for key, row in zip(keys, rows, strict=True):
                copy.write_row(
                    [
                        key,
                        *(
                            field.get_db_prep_save(row[field.attname], connection)
                            if field.attname in row
                            else defaults[field]
                            for field in fields
                        ),
                    ]
                )
    return keys


def generate(size, rng, timings):
    names = Names(rng)
    with timed(f"{size['sources']:,} sources", timings):
        sources = []
        for n in range(1, size["sources"] + 1):
            language = rng.choice(["ar", "en", "he"])
            title = names.organization(n)
            sources.append(
                {
                    "key": f"{PREFIX}source-{n:06d}",
                    "kind": rng.choice(SourceKind.values),
                    "title": f"{title[language]} [synthetic]",
                    "language": language,
                    "authors": rng.choice(["", "Doe, Jane", "حداد، سلمى", "כהן, דנה; Doe, Jane"]),
                    "publication_date": partial_date(rng),
                    "status": status(rng),
                    **translated("title_translation", {code: f"{text} [synthetic]" for code, text in title.items()}),
                    **translated("publisher", {"ar": "ناشر اصطناعيّ", "en": "Synthetic Press", "he": "הוצאה סינתטית"}),
                }
            )
        source_keys = [source["key"] for source in sources[:2_000]]
        sources = create(Source, sources)

    with timed(f"{size['organizations']:,} organizations and their memberships", timings):
        organizations = []
        for n in range(1, size["organizations"] + 1):
            name = names.organization(n)
            coalition = n <= COALITIONS
            organizations.append(
                {
                    "slug": f"{PREFIX}org-{n:06d}",
                    "kind": OrganizationKind.COALITION if coalition else rng.choice(OrganizationKind.values[1:]),
                    "country": rng.choice(COUNTRIES),
                    "founded": partial_date(rng, 1948, 2024),
                    "formally_founded": rng.choice(["", partial_date(rng, 1948, 2024)]),
                    "status": PublicationStatus.PUBLISHED if coalition else status(rng),
                    **translated("name", name),
                    **translated("short_name", dict.fromkeys(name, f"S{n}")),
                    **translated("summary", NOTE),
                    **translated("description", names.prose(name, source_keys)),
                }
            )
        statuses = [organization["status"] for organization in organizations]
        organizations = create(Organization, organizations)
        coalitions = organizations[:COALITIONS]
        create(
            Membership,
            (
                {
                    "member_id": member,
                    "coalition_id": rng.choice(coalitions),
                    "joined": partial_date(rng, 2000, 2024),
                    "status": member_status,
                    **translated("note", NOTE),
                }
                for member, member_status in zip(organizations[COALITIONS:], statuses[COALITIONS:], strict=True)
            ),
        )

    with timed(f"{size['people']:,} people and their roles", timings):
        people = []
        for n in range(1, size["people"] + 1):
            name = names.organization(n)
            people.append(
                {
                    "slug": f"{PREFIX}person-{n:06d}",
                    "status": status(rng),
                    **translated("name", {code: f"{text} ({code})" for code, text in name.items()}),
                    **translated("summary", NOTE),
                    **translated("description", NOTE),
                }
            )
        statuses = [person["status"] for person in people]
        people = create(Person, people)
        create(
            Role,
            (
                {
                    "person_id": person,
                    "organization_id": rng.choice(organizations),
                    "start": partial_date(rng),
                    "status": person_status,
                    **translated("title", {"ar": "مُديرة", "en": "Director", "he": "מנהלת"}),
                }
                for person, person_status in zip(people, statuses, strict=True)
            ),
        )

    with timed(f"{size['events']:,} events with participants and partners", timings):
        events = []
        for n in range(1, size["events"] + 1):
            title, place = names.event(n)
            start = partial_date(rng)
            events.append(
                {
                    "slug": f"{PREFIX}event-{n:06d}",
                    "kind": rng.choice(EventKind.values),
                    "start": start,
                    "end": rng.choice(["", start]),
                    "country": rng.choice(COUNTRIES),
                    "organizer_id": rng.choice(organizations) if rng.random() < 0.8 else None,
                    "countries_represented": rng.sample(COUNTRIES[:-1], k=rng.randint(0, 3)),
                    "status": status(rng),
                    **translated("title", title),
                    **translated("place", place),
                    **translated("summary", NOTE),
                    **translated("description", names.prose(title, source_keys)),
                }
            )
        # A tenth are sessions of an earlier event (the timeline nests them); keys are known
        # before the rows are written, so a session names its event from the start.
        keys = new_keys(Event, len(events))
        sessions = [event for event in events[len(events) // 10 :] if rng.random() < 0.11]
        for session in sessions:
            session["parent_id"] = keys[rng.randrange(len(events) // 10)]
        events = create(Event, events, keys)
        role = {"ar": "مُتَحَدِّث", "en": "speaker", "he": "דובר"}
        create(
            EventParticipant,
            (
                {
                    "event_id": event,
                    "organization_id": rng.choice(organizations),
                    "position": 0,
                    **translated("role", role),
                }
                for event in events[::2]
            ),
        )
        create(
            EventPartner,
            ({"event_id": event, "organization_id": rng.choice(organizations)} for event in events[::5]),
        )

    with timed(f"{size['meetings']:,} meetings with counterparts", timings):
        meetings = []
        for n in range(1, size["meetings"] + 1):
            title, _place = names.event(n)
            meetings.append(
                {
                    "slug": f"{PREFIX}meeting-{n:06d}",
                    "organization_id": rng.choice(organizations),
                    "date": partial_date(rng),
                    "event_id": rng.choice(events) if rng.random() < 0.3 else None,
                    "status": status(rng),
                    **translated("title", title),
                    **translated("description", names.prose(title, source_keys)),
                }
            )
        meetings = create(Meeting, meetings)
        create(
            Meeting.counterparts.through,
            (
                {"meeting_id": meeting, "organization_id": organization}
                for meeting in meetings
                for organization in rng.sample(organizations, k=rng.randint(1, 3))
            ),
        )

    with timed(f"{size['citations']:,} citations", timings):
        # Spread over the cited kinds in proportion to their rows: events and meetings take most.
        cited = [
            (ContentType.objects.get_for_model(Organization), organizations, ["", "founded", "name"]),
            (ContentType.objects.get_for_model(Event), events, ["", "start", "place"]),
            (ContentType.objects.get_for_model(Meeting), meetings, ["", "date"]),
        ]
        rows = sum(len(pks) for _type, pks, _claims in cited)
        locator = {"ar": "ص. ٣", "en": "p. 3", "he": "עמ' 3"}
        citations = []
        for content_type, pks, claims in cited:
            share = round(size["citations"] * len(pks) / rows)
            for n in range(share):
                citations.append(
                    {
                        "source_id": sources[rng.randrange(len(sources))],
                        "content_type_id": content_type.pk,
                        "object_id": pks[n % len(pks)],
                        "claim": rng.choice(claims),
                        "position": n // len(pks),
                        "quote": NOTE["en"],
                        **translated("locator", locator),
                    }
                )
        create(Citation, citations)


# Synthetic records by table and the column carrying the prefix; rows that depend on them follow.
SYNTHETIC_TABLES = [
    (Organization, "slug"),
    (Person, "slug"),
    (Event, "slug"),
    (Meeting, "slug"),
    (Source, "key"),
]
DEPENDENT_ROWS = [
    ("citations_citation", "source_id IN (SELECT id FROM citations_source WHERE key LIKE %s)"),
    ("events_meeting_counterparts", "meeting_id IN (SELECT id FROM events_meeting WHERE slug LIKE %s)"),
    ("events_eventparticipant", "event_id IN (SELECT id FROM events_event WHERE slug LIKE %s)"),
    ("events_eventpartner", "event_id IN (SELECT id FROM events_event WHERE slug LIKE %s)"),
    ("organizations_role", "person_id IN (SELECT id FROM organizations_person WHERE slug LIKE %s)"),
    ("organizations_membership", "member_id IN (SELECT id FROM organizations_organization WHERE slug LIKE %s)"),
]


def remove():
    """Delete every synthetic row and its search documents with plain SQL (no signal per row).

    Foreign keys are checked at commit (Django creates them deferrable), so the order of the
    record tables does not matter within the transaction.
    """
    like = PREFIX + "%"
    with transaction.atomic(), connection.cursor() as cursor:
        for model, column in SYNTHETIC_TABLES:
            table = model._meta.db_table
            cursor.execute(
                "DELETE FROM search_searchdocument WHERE content_type_id = %s"
                f" AND object_id IN (SELECT id FROM {table} WHERE {column} LIKE %s)",
                [ContentType.objects.get_for_model(model).pk, like],
            )
        for table, condition in DEPENDENT_ROWS:
            cursor.execute(f"DELETE FROM {table} WHERE {condition}", [like])
        for model, column in SYNTHETIC_TABLES:
            cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE {column} LIKE %s", [like])
        ContentStamp.bump()


def analyze():
    """Statistics and the visibility map, as autovacuum keeps them on a live database."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full size (default 1)")
    parser.add_argument("--seed", type=int, default=2003)
    parser.add_argument("--remove", action="store_true", help="delete the synthetic rows and stop")
    parser.add_argument("--skip-index", action="store_true", help="do not rebuild the search index")
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL to a database of its own (e.g. allmep_bench): never the one bin/serve uses.")
    if connection.vendor != "postgresql":
        sys.exit("The synthetic dataset is written with PostgreSQL's COPY: set DATABASE_URL to a PostgreSQL database.")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_allmep", stdout=io.StringIO())  # the real record beside the synthetic one (idempotent)
    if options.remove:
        remove()
        print("Synthetic rows removed.")
        return
    if Organization.objects.filter(slug__startswith=PREFIX).exists():
        sys.exit("Synthetic rows exist already: run with --remove first.")

    size = {name: max(1, round(count * options.scale)) for name, count in FULL_SIZE.items()}
    size["organizations"] = max(size["organizations"], COALITIONS + 1)
    timings = {}
    with transaction.atomic():
        generate(size, random.Random(options.seed), timings)
        ContentStamp.bump()
    # COPY sends no signal, so the sources pages' table of prose markers is rebuilt too.
    with timed("prose references rebuilt", timings):
        call_command("rebuild_prose_references", verbosity=0)
    if not options.skip_index:
        with timed("search index rebuilt by search.indexing.rebuild()", timings):
            documents = indexing.rebuild()
        print(f"  {documents:,} search documents")
    with timed("VACUUM ANALYZE", timings):
        analyze()
    total = time.perf_counter() - started
    print(f"Total {total:.1f} s (migrations and the ALLMEP dataset included).")
    print(f"Search documents: {SearchDocument.objects.count():,}")


if __name__ == "__main__":
    main()
