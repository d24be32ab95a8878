"""Staff-only «عدل» / "edit" links from a reader page to the record's admin change form."""

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.inclusion_tag("includes/edit_link.html", takes_context=True)
def edit_link(context, record):
    request = context.get("request")
    url = ""
    user = getattr(request, "user", None)
    if record is not None and user is not None and user.is_staff:
        meta = record._meta
        try:
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])
        except NoReverseMatch:
            url = ""
    return {"edit_url": url, "record": record}
