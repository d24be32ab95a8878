"""Rebuilding the search index in bulk: the same documents as indexing record by record, at a cost
that does not grow with the number of records."""

import math

import pytest
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import Value
from django.test.utils import CaptureQueriesContext

from citations.models import Source
from events.models import Event, Meeting
from organizations.models import ArticleSection, Organization, Person
from search import indexing
from search.models import SearchDocument

FIELDS = ("content_type_id", "object_id", "language", "title", "text", "title_terms", "terms", "vector")


def documents():
    """Every document of the index, as comparable rows (the vector too, on PostgreSQL)."""
    return sorted(SearchDocument.objects.values_list(*FIELDS))


def index_one_by_one():
    """The index as saving each record leaves it: ``index()`` of every record, drafts included."""
    SearchDocument.objects.all().delete()
    for model in indexing.indexed_models():
        for record in model.objects.all():
            indexing.index(record)
    return documents()


@pytest.fixture
def every_kind(db):
    """A record of each searched kind in three languages, with fallbacks, untitled sections and drafts."""
    coalition = Organization.objects.create(
        slug="coalition",
        kind="coalition",
        status="published",
        name_ar="تحالف السَّلام",
        name_en="Peace Coalition",
        short_name_en="PC",
        summary_he="קואליציה",
        description_ar="يضمّ أكثر من ٩٠ منظمة. {{ref|report}}",
        description_en="It brings together ''ninety'' organizations.",
    )
    hidden = Organization.objects.create(slug="hidden", kind="ngo", status="draft", name_en="Hidden organization")
    Person.objects.create(slug="ahmad", status="published", name_ar="أحمد سليم", name_en="Ahmad Salim")
    Person.objects.create(slug="draft-person", status="draft", name_en="Draft person")
    event = Event.objects.create(
        slug="summit",
        kind="summit",
        status="published",
        title_ar="مُؤْتَمَرُ التَّعَايُشِ",
        title_en="Coexistence summit",
        place_he="ירושלים",
        summary_en="A summit.",
        description_ar="لقاء من أجل ٱلسلام.",
    )
    Event.objects.create(slug="untitled", kind="conference", status="published")  # no text at all
    Meeting.objects.create(
        slug="hill", status="published", title_en="Hill meeting", organization=coalition, event=event
    )
    Meeting.objects.create(slug="secret", status="draft", title_en="Secret meeting", organization=coalition)
    Source.objects.create(
        key="report",
        status="published",
        title="تقرير السلام",
        language="ar",
        title_translation_en="Peace report",
        authors="Doe, Jane",
        publisher_he="הוצאה",
    )
    Source.objects.create(key="draft-source", status="draft", title="Draft source")
    # Sections shown within an organization: titled, untitled (named after the organization),
    # a draft, and published ones within a draft organization (not searchable until it is).
    ArticleSection.objects.create(
        organization=coalition, kind="history", status="published", title_en="History", body_en="It grew."
    )
    ArticleSection.objects.create(organization=coalition, kind="lead", status="published", body_ar="نص عن التعايش")
    ArticleSection.objects.create(organization=coalition, kind="other", status="draft", body_en="Unfinished")
    ArticleSection.objects.create(organization=hidden, kind="lead", status="published", body_en="Hidden lead")
    ArticleSection.objects.create(organization=hidden, kind="other", status="published", title_en="Hidden part")
    return coalition


def test_rebuild_writes_exactly_the_documents_indexing_each_record_writes(every_kind):
    expected = index_one_by_one()
    SearchDocument.objects.all().delete()
    assert indexing.rebuild() == len(expected)
    assert documents() == expected
    # What readers could notice: every published kind is there, drafts and hidden sections are not.
    titles = {title for _type, _id, _language, title, *_rest in expected}
    assert {"Peace Coalition", "Ahmad Salim", "Coexistence summit", "Hill meeting", "تقرير السلام", "History"} <= titles
    assert not titles & {"Hidden organization", "Draft person", "Secret meeting", "Draft source", "Hidden part"}
    assert not any("Hidden lead" in text or "Unfinished" in text for *_head, text, _t, _terms, _v in expected)
    # The coalition's untitled lead is named after it.
    lead = ArticleSection.objects.get(kind="lead", organization=every_kind)
    assert SearchDocument.objects.get(object_id=lead.pk, content_type__model="articlesection", language="ar").title == (
        "تحالف السَّلام"
    )
    if connection.vendor == "postgresql":
        assert all(vector for *_rest, vector in expected)


def test_rebuild_replaces_whatever_the_index_held(every_kind):
    expected = index_one_by_one()
    stale = SearchDocument.objects.filter(language="en").first()
    stale.title = "stale"
    stale.save()
    Organization.objects.filter(slug="hidden").update(status="published")  # no signal: not indexed yet
    indexing.rebuild()
    rebuilt = documents()
    assert "stale" not in {row[3] for row in rebuilt}
    assert {"Hidden organization", "Hidden part"} <= {row[3] for row in rebuilt}
    assert set(expected) < set(rebuilt)


def add_records(count, start):
    Organization.objects.bulk_create(
        Organization(slug=f"org-{n}", kind="ngo", status="published", name_en=f"Harmony {n}", description_en="Text")
        for n in range(start, start + count)
    )
    organizations = list(Organization.objects.filter(slug__startswith="org-"))
    ArticleSection.objects.bulk_create(
        ArticleSection(organization=organizations[n % len(organizations)], kind="lead", status="published", body_en="B")
        for n in range(count)
    )
    Event.objects.bulk_create(
        Event(slug=f"event-{n}", kind="summit", status="published", title_ar=f"لقاء {n}")
        for n in range(start, start + count)
    )


def rebuild_queries():
    """(documents written, queries writing them, other queries) of one rebuild."""
    with CaptureQueriesContext(connection) as queries:
        written = indexing.rebuild()
    # Batches are written by INSERT, or on PostgreSQL by COPY into a table then one INSERT.
    writes = sum(query["sql"].startswith(("INSERT", "COPY")) for query in queries)
    return written, writes, len(queries) - writes


def test_rebuild_queries_do_not_grow_with_the_records(every_kind, monkeypatch):
    # Batches SQLite writes in one INSERT too (it takes at most 124 documents per statement).
    monkeypatch.setattr(indexing, "REBUILD_BATCH", 100)
    add_records(10, 0)
    few, few_writes, few_other = rebuild_queries()
    add_records(20, 10)
    many, many_writes, many_other = rebuild_queries()
    assert many > 2 * few
    # The same reads and the one delete, and a write per batch of documents.
    assert many_other == few_other
    assert few_writes <= math.ceil(few / 100) + 1
    assert many_writes <= math.ceil(many / 100) + 1


def test_documents_are_the_same_in_batches_of_any_size(every_kind, monkeypatch):
    add_records(30, 0)
    expected = index_one_by_one()
    for size in (1, 7, 5000):
        monkeypatch.setattr(indexing, "REBUILD_BATCH", size)
        monkeypatch.setattr(indexing, "REBUILD_CHUNK", size)
        assert indexing.rebuild() == len(expected)
        assert documents() == expected


def test_vectors_are_those_django_search_vectors_write(postgres_only, every_kind):
    # Each piece analysed with its language's configuration and weighted, in order, as
    # SearchVector(...) + SearchVector(...) writes it (the Hebrew summary is not shown in English).
    document = SearchDocument.objects.get(object_id=every_kind.pk, content_type__model="organization", language="en")
    pieces = [
        ("peace coalition", "english", "A"),
        ("pc", "english", "A"),
        ("it brings together ninety organizations", "english", "C"),
    ]
    vectors = [SearchVector(Value(words), config=config, weight=weight) for words, config, weight in pieces]
    expected = SearchDocument.objects.annotate(expected=sum(vectors[1:], vectors[0])).values("expected")[:1]
    assert document.vector == expected.get()["expected"]
    assert "'organ':8C" in document.vector
