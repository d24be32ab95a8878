"""Numbered pages of reader lists and the API that cost the same at page 1 and page 1,000."""

import hashlib

from django.core.cache import caches
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

from .caching import StampMemo, request_stamp, stamp_key


class NumberedPaginator(Paginator):
    """Numbered pages that cost little past the first ones.

    The count is kept in the default cache under the content stamp (as reader pages are), so the
    pages of one listing share one count until the next edit: counting citations reads every
    published record they may back. A deep page first picks its rows' keys, then reads those
    rows alone, so what a row costs beyond its sort key (joins, the cited record's identifier)
    is paid for the page, not for every row the OFFSET skips.
    """

    def __init__(self, object_list, per_page, stamp=None, **kwargs):
        """``stamp``: the content stamp the request already read, if it did (reader pages)."""
        super().__init__(object_list, per_page, **kwargs)
        self.stamp = stamp

    @cached_property
    def count(self):
        if not isinstance(self.object_list, QuerySet):
            return len(self.object_list)  # a sequence made in Python knows its length
        stamp = self.stamp or StampMemo.current()
        if stamp is None or self.object_list.query.is_empty():
            return self.object_list.count()
        sql, params = self.object_list.query.sql_with_params()
        key = f"list-count:{stamp_key(stamp)}:{hashlib.sha256(repr((sql, params)).encode()).hexdigest()}"
        cache = caches["default"]
        count = cache.get(key)
        if count is None:
            count = self.object_list.count()
            cache.set(key, count)
        return count

    # Rows an OFFSET may skip before a page is read in two steps (one query more).
    DEFER_FROM = 500

    def page(self, number):
        deep = (self.validate_number(number) - 1) * self.per_page >= self.DEFER_FROM
        self.deferred = deep and isinstance(self.object_list, QuerySet)
        return super().page(number)

    def _get_page(self, object_list, number, paginator):
        if not self.deferred:
            return super()._get_page(object_list, number, paginator)
        keys = list(object_list.values_list("pk", flat=True))
        rows = {row.pk: row for row in self.object_list.filter(pk__in=keys)} if keys else {}
        return super()._get_page([rows[key] for key in keys if key in rows], number, paginator)


def reader_page(request, queryset, per_page):
    """The page of a reader list that ``?page=`` asks for; a number that is not a page shows the
    nearest one (``get_page`` clamps). Its count is kept under the stamp the request has read.
    ``queryset`` may also be a sequence whose slices load only their rows (the pages citing a
    source, :mod:`citations.citing`)."""
    return NumberedPaginator(queryset, per_page, stamp=request_stamp(request)).get_page(request.GET.get("page"))
