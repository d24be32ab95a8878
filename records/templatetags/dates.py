"""Partial dates on pages: PartialDate.format() (the one date formatter) in a <time> element."""

import re

from django import template
from django.utils.html import format_html

from records.partial_dates import PartialDate

register = template.Library()

# HTML's <time datetime> takes YYYY, YYYY-MM and YYYY-MM-DD, not EDTF's quarter codes.
_HTML_DATETIME = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@register.simple_tag
def partial_date(value):
    if not value:
        return ""
    value = PartialDate.parse(value)
    edtf = value.edtf
    datetime = edtf if _HTML_DATETIME.match(edtf) and not value.part else str(value.year)
    return format_html('<time datetime="{}">{}</time>', datetime, value.format())


@register.simple_tag
def date_range(start, end=None):
    """«فبراير 2004» or «5 – 7 يونيو 2005» style ranges, each end formatted on its own."""
    if not start:
        return partial_date(end)
    if not end or end == start:
        return partial_date(start)
    return format_html("{} – {}", partial_date(start), partial_date(end))
