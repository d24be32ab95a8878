"""records.bounded_cache: Django's memory cache, holding at most MAX_BYTES of keys and values."""

import uuid

from records.bounded_cache import BoundedMemoryCache


def bounded(max_bytes, **options):
    return BoundedMemoryCache(uuid.uuid4().hex, {"OPTIONS": {"MAX_BYTES": max_bytes, **options}})


def held(cache):
    return sum(len(key) + len(value) for key, value in cache._cache.items())


def test_the_least_recently_used_entries_make_room():
    cache = bounded(3_500)
    for name in "abc":
        cache.set(name, name * 1_000)
    cache.get("a")  # read: now the most recently used

    cache.set("d", "d" * 1_000)

    assert held(cache) <= 3_500
    assert cache.get("b") is None
    assert [cache.get(name) for name in "acd"] == ["a" * 1_000, "c" * 1_000, "d" * 1_000]


def test_an_entry_bigger_than_the_bound_is_not_kept_nor_its_older_value():
    cache = bounded(2_000)
    cache.set("page", "small")
    cache.set("other", "kept")

    cache.set("page", "x" * 5_000)

    assert cache.get("page") is None
    assert cache.get("other") == "kept"
    assert held(cache) <= 2_000


def test_the_count_follows_deletes_culls_clears_and_increments():
    cache = bounded(2_000, MAX_ENTRIES=4, CULL_FREQUENCY=2)
    for index in range(10):  # culled by entries as well as by bytes
        cache.set(f"key-{index}", "v" * 300)
    assert len(cache._cache) <= 4
    cache.delete("key-9")
    cache.set("count", 1)
    cache.incr("count", 10**3000)  # a number of some 1,250 bytes once pickled
    assert cache.get("count") == 1 + 10**3000
    assert held(cache) <= 2_000

    cache.clear()
    for index in range(6):
        cache.set(f"again-{index}", "w" * 300)
    assert held(cache) <= 2_000
    assert len(cache._cache) >= 3  # the space clear() freed is counted as free
