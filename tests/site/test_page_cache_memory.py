"""The pages a worker keeps in its own memory stay under DJANGO_PAGE_CACHE_MAX_BYTES, however many
addresses readers (or cache-busting crawlers) ask for: the ``pages`` cache in process memory, and
with Redis the worker's own copy in front of it (``pages-local``).

The caches are configured as the settings configure them, from the environment, in a fresh
interpreter (tests/site/test_page_cache.py's ``settings_caches``).
"""

import json
import random
import uuid

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organizations.models import Organization
from records.models import PublicationStatus
from records.versioning import revision
from tests.site.test_page_cache import LIST, redis_url, settings_caches

pytestmark = pytest.mark.django_db

BOUND = 100_000  # bytes: a few pages of the test data (an organization list is some 15 kB)


@pytest.fixture
def organization():
    with revision("Created"):
        return Organization.objects.create(
            slug="parents-circle", name_en="Parents Circle", kind="ngo", status=PublicationStatus.PUBLISHED
        )


def stored_bytes(cache):
    """What a memory cache holds: its keys and pickled values."""
    return sum(len(key) + len(value) for key, value in cache._cache.items())


@pytest.fixture(params=["memory", "redis"])
def worker_cache(request, settings):
    """Configure the page caches as the settings do with a bound of ``bound`` bytes; returns the
    worker's memory cache (``pages``, or ``pages-local`` in front of Redis)."""

    def configure(bound):
        env = {"DJANGO_PAGE_CACHE_MAX_BYTES": str(bound)}
        if request.param == "redis":
            env["REDIS_URL"] = redis_url()
        returncode, output, errors = settings_caches(**env)
        assert returncode == 0, errors
        configured = json.loads(output)
        prefix = f"test-pages-{uuid.uuid4().hex}"
        caches_ = {key: value for key, value in settings.CACHES.items() if not key.startswith("pages")}
        if request.param == "redis":
            caches_["pages"] = {**configured["pages"], "LOCATION": redis_url(), "KEY_PREFIX": prefix}
            caches_["pages-local"] = {**configured["pages-local"], "LOCATION": prefix}
        else:
            caches_["pages"] = {**configured["pages"], "LOCATION": prefix}
        settings.CACHES = caches_
        return caches["pages-local" if request.param == "redis" else "pages"]

    return configure


def test_random_query_strings_keep_the_worker_under_its_bound(
    client, worker_cache, organization, django_assert_num_queries
):
    cache = worker_cache(BOUND)
    detail = organization.get_absolute_url()
    rng = random.Random(12)

    for _ in range(200):
        address = f"{rng.choice((LIST, detail))}?v={rng.getrandbits(64):x}"
        assert client.get(address).status_code == 200
        assert stored_bytes(cache) <= BOUND

    # Pages that fit are still served from memory (the content stamp is the one query): the last
    # address asked for, and a page asked for again.
    with django_assert_num_queries(1):
        assert client.get(address).status_code == 200
    page = client.get(LIST).content
    assert len(page) < BOUND // 3
    with django_assert_num_queries(1):
        assert client.get(LIST).content == page
    assert stored_bytes(cache) <= BOUND


def test_a_page_bigger_than_the_bound_is_not_kept(client, worker_cache, organization):
    cache = worker_cache(1_000)

    assert client.get(LIST).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST).status_code == 200

    assert stored_bytes(cache) == 0
    if cache is caches["pages"]:  # with Redis, the second request may read Redis's copy
        assert len(queries) > 1, "the page was served from memory"


def test_the_bound_is_stated_in_the_settings():
    returncode, output, errors = settings_caches()
    assert returncode == 0, errors
    assert json.loads(output)["pages"]["OPTIONS"]["MAX_BYTES"] == 32 * 1024 * 1024
