"""Search at scale: a common word is counted up to a cap, and the pages within it still work."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organizations.models import Organization
from search import views
from search.indexing import indexed_models
from tests.answers import found, plain, search


@pytest.fixture
def harmony(db):
    for number in range(9):
        Organization.objects.create(
            slug=f"harmony-{number}", name_en=f"Harmony {number}", kind="ngo", status="published"
        )


@pytest.fixture
def small_cap(monkeypatch):
    monkeypatch.setattr(views, "MAX_RESULTS", 5)
    monkeypatch.setattr(views, "RESULTS_PER_PAGE", 2)


def test_more_matches_than_the_cap_say_more_than(client, harmony, small_cap):
    response = search(client, "harmony", "en")
    html = response.content.decode()
    assert "More than 5 results for" in html
    assert "9 results" not in html
    assert "Page 1 of 3" in html


def test_pages_within_the_cap_show_every_capped_result_once(client, harmony, small_cap):
    pages = [search(client, "harmony", "en", page=number) for number in (1, 2, 3)]
    titles = [title for page in pages for title in plain(found(page))]
    assert len(titles) == 5 == len(set(titles))
    assert 'rel="next"' not in pages[-1].content.decode()
    # A page past the cap shows the last one, as any page number past the end does.
    assert search(client, "harmony", "en", page=4).context["page"].number == 3
    assert search(client, "harmony", "en", page="abc").context["page"].number == 1


def test_at_most_the_cap_is_an_exact_count(client, harmony, monkeypatch):
    monkeypatch.setattr(views, "MAX_RESULTS", 9)
    html = search(client, "harmony", "en").content.decode()
    assert "9 results for" in html
    assert "More than" not in html


@pytest.mark.parametrize("language", ["ar", "en", "he"])
def test_the_cap_is_said_in_every_language(client, harmony, small_cap, language):
    response = search(client, "harmony", language)
    assert response.status_code == 200
    assert response.context["more_than"] == 5
    if language == "en":
        assert "More than 5 results" in response.content.decode()


def test_the_count_stops_at_the_cap_and_queries_stay_bounded(client, harmony, small_cap):
    with CaptureQueriesContext(connection) as queries:
        response = search(client, "harmony", "en")
    assert response.status_code == 200
    # The content stamp, the capped count, the page, then at most one query per indexed model.
    assert len(queries) <= 3 + len(indexed_models())
    counts = [query["sql"] for query in queries if "COUNT(" in query["sql"].upper()]
    assert len(counts) == 1
    assert "LIMIT 6" in counts[0]
    # Counting needs no ranking: the count reads matching keys only.
    assert "ts_rank" not in counts[0]
