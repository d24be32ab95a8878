"""``{% history_link record %}``: the "View history" link of a record page (see allmep.views)."""

from django import template

from allmep.views import has_public_history, history_url

register = template.Library()


@register.inclusion_tag("records/includes/history_link.html")
def history_link(record):
    url = ""
    if record is not None and has_public_history(record):
        url = history_url(record)
    return {"history_url": url}
