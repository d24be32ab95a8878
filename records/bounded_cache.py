"""Django's process-memory cache, bounded in bytes as well as in entries.

``LocMemCache`` bounds only the number of entries (``MAX_ENTRIES``), so the memory it holds is
that number times whatever each entry weighs: with pages of up to a megabyte, hundreds of
megabytes per worker, filled by nothing more than new query strings. ``BoundedMemoryCache`` also
counts the bytes it keeps (each entry's pickled value and its key) and, before storing an entry,
drops the least recently used ones until the new one fits under ``OPTIONS["MAX_BYTES"]``. An
entry bigger than the whole budget is not stored (and an older value under its key is dropped,
as a failed ``set`` does with memcached), so the bound always holds.

Python's own bookkeeping (the dictionaries holding the entries, the objects around the bytes)
is not counted: some hundred bytes per entry, which ``MAX_ENTRIES`` bounds.
"""

import pickle

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache

DEFAULT_MAX_BYTES = 32 << 20


class Usage:
    """The bytes one cache holds: per key, and their sum."""

    def __init__(self):
        self.sizes = {}
        self.total = 0


# Per cache name, shared like LocMemCache's own stores by every thread's instance of the cache.
_usage = {}


class BoundedMemoryCache(LocMemCache):
    def __init__(self, name, params):
        super().__init__(name, params)
        self.max_bytes = int(params.get("OPTIONS", {}).get("MAX_BYTES", DEFAULT_MAX_BYTES))
        self._usage = _usage.setdefault(name, Usage())

    def _set(self, key, value, timeout=DEFAULT_TIMEOUT):
        # Called with the lock held, ``value`` pickled.
        self._delete(key)
        size = len(key) + len(value)
        if size > self.max_bytes:
            return
        while self._cache and self._usage.total + size > self.max_bytes:
            self._pop_oldest()
        super()._set(key, value, timeout)
        self._usage.sizes[key] = size
        self._usage.total += size

    def incr(self, key, delta=1, version=None):
        # LocMemCache.incr writes the new value in place; keep its size counted (and its expiry).
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._delete(key)
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(self._cache[key]) + delta
            expiry = self._expire_info[key]
            self._set(key, pickle.dumps(value, self.pickle_protocol))
            if key in self._cache:
                self._expire_info[key] = expiry
        return value

    def _pop_oldest(self):
        # Entries are kept most recently used first (LocMemCache moves each one read or written
        # to the front), so the last one is the least recently used.
        key, _value = self._cache.popitem()
        del self._expire_info[key]
        self._usage.total -= self._usage.sizes.pop(key)

    def _cull(self):
        if self._cull_frequency == 0:
            self._clear()
        else:
            for _ in range(len(self._cache) // self._cull_frequency):
                self._pop_oldest()

    def _delete(self, key):
        deleted = super()._delete(key)
        if deleted:
            self._usage.total -= self._usage.sizes.pop(key)
        return deleted

    def _clear(self):
        self._cache.clear()
        self._expire_info.clear()
        self._usage.sizes.clear()
        self._usage.total = 0

    def clear(self):
        with self._lock:
            self._clear()
