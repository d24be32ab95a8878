"""``{% history_link record %}``: the "View history" link of a record page (see records.views)."""

from django import template

from records.views import HISTORY_TYPES, history_url

register = template.Library()


@register.inclusion_tag("records/includes/history_link.html")
def history_link(record):
    url = ""
    if record is not None and record._meta.label_lower in HISTORY_TYPES and record.is_published:
        url = history_url(record)
    return {"history_url": url}
