"""Two ways through a collection: numbered pages (``?page=N``, with a count) and cursor pages
(``?cursor=``, keyset pages in the order records were added, as cheap at the millionth row as
at the first).

Numbered pages are what the API always had; deep ones cost an OFFSET over every earlier row, and
their count reads the whole filtered collection. A client walking a whole collection starts with
an empty ``?cursor=`` and follows ``next`` links: each page is one index range read.
"""

import base64
import binascii
import re

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from records.pagination import NumberedPaginator

# A cursor names the row before ("n") or after ("p") the page it leads to, by primary key.
CURSOR_TOKEN = re.compile(r"(?P<direction>[np]):(?P<key>[1-9][0-9]{0,17})")
CURSOR_PATTERN = "^[A-Za-z0-9_-]*$"


def encode_cursor(direction, key):
    return base64.urlsafe_b64encode(f"{direction}:{key}".encode()).decode().rstrip("=")


def decode_cursor(value):
    """``(direction, key)``, ``None`` for an empty cursor (the first page); NotFound otherwise.

    Only the exact text this module writes is accepted, so a mangled cursor is refused with a
    message rather than read as some other position (or reaching the database as a bad number).
    """
    if value == "":
        return None
    try:
        decoded = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode("ascii")
    except (binascii.Error, ValueError):
        decoded = ""
    match = CURSOR_TOKEN.fullmatch(decoded)
    if match is None or encode_cursor(match["direction"], match["key"]) != value:
        raise NotFound(
            _("Invalid cursor: follow the next and previous links of a page, or send an empty cursor to start.")
        )
    return match["direction"], int(match["key"])


class Pagination(PageNumberPagination):
    """``?page=N`` (a page past the end is a 404) or ``?cursor=``, and ``?page_size=`` from 1 to 500.

    DRF quietly ignores a page size it cannot read; here it is a 400, so a client learns of
    its mistake instead of getting pages of another size than it asked for.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    cursor_query_param = "cursor"
    django_paginator_class = NumberedPaginator

    def paginate_queryset(self, queryset, request, view=None):
        self.cursor = None
        if self.cursor_query_param in request.query_params:
            # The page number is ignored then, but a number it must still be.
            self.check_page_number(request)
            return self.paginate_by_cursor(queryset, request)
        return super().paginate_queryset(queryset, request, view)

    def paginate_by_cursor(self, queryset, request):
        """One keyset page: the rows after (or before) the cursor's key, in key order.

        Checking for a row on the far side of the page costs one indexed EXISTS, so ``next``
        and ``previous`` are given only when they lead somewhere.
        """
        self.request = request
        size = self.get_page_size(request)
        cursor = decode_cursor(request.query_params[self.cursor_query_param])
        queryset = queryset.order_by("pk")
        if cursor is None or cursor[0] == "n":
            after = cursor[1] if cursor else 0
            rows = list(queryset.filter(pk__gt=after)[: size + 1])
            more_ahead, rows = len(rows) > size, rows[:size]
            more_behind = cursor is not None and queryset.filter(pk__lte=after).exists()
        else:
            before = cursor[1]
            rows = list(queryset.filter(pk__lt=before).order_by("-pk")[: size + 1])
            more_behind, rows = len(rows) > size, rows[:size][::-1]
            more_ahead = queryset.filter(pk__gte=before).exists()
        # With no row on the page, the cursor's own key still marks the place.
        last = rows[-1].pk if rows else (cursor[1] - (cursor[0] == "p") if cursor else 0)
        first = rows[0].pk if rows else last + 1
        self.cursor = {
            # Key 0 (before the first row) is written as the empty cursor, the first page.
            "next": self.cursor_link(encode_cursor("n", last) if last else "") if more_ahead else None,
            "previous": self.cursor_link(encode_cursor("p", first)) if more_behind else None,
        }
        return rows

    def cursor_link(self, token):
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, token)

    def get_paginated_response(self, data):
        if self.cursor is None:
            return super().get_paginated_response(data)
        # Cursor pages are not counted: the count would read the whole collection every page.
        return Response({"count": None, **self.cursor, "results": data})

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        try:
            size = int(value)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            message = _("Enter a whole number from 1 to %(max)s.") % {"max": self.max_page_size}
            raise ValidationError({self.page_size_query_param: [message]})
        return size

    def check_page_number(self, request):
        # DRF reads an empty ?page= as page 1; the description says a page is a number from 1.
        number = request.query_params.get(self.page_query_param)
        if number is None:
            return
        try:
            valid = number.isdigit() and int(number) >= 1
        except ValueError:  # "²" is a digit to str.isdigit, not to int()
            valid = False
        if not valid:
            raise NotFound(_("Invalid page."))

    def get_page_number(self, request, paginator):
        self.check_page_number(request)
        return super().get_page_number(request, paginator)

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"].update(
            nullable=True,
            description=_("Number of results on numbered pages; null on cursor pages, which are not counted."),
        )
        return response

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": self.max_page_size})
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        parameters.append(
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "allowEmptyValue": True,
                "description": _(
                    "Cursor paging, for walking a whole collection: send it empty for the first page, "
                    "then follow the next links. Records come in the order they were added, whatever "
                    "the sort parameter says; page is ignored. A cursor not taken from a link is a 404."
                ),
                "schema": {"type": "string", "pattern": CURSOR_PATTERN},
            }
        )
        return parameters
