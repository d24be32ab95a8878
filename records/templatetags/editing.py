"""Staff-only «عدل» / "edit" links from a reader page to the record's admin change form."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import pgettext

register = template.Library()


@register.simple_tag(takes_context=True)
def edit_link(context, record):
    # A simple tag, not an inclusion tag: list pages call it once per row, and for readers (nearly
    # every request) it prints nothing, which should cost nothing.
    request = context.get("request")
    user = getattr(request, "user", None)
    if record is None or user is None or not user.is_staff:
        return ""
    meta = record._meta
    try:
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])
    except NoReverseMatch:
        return ""
    return format_html(
        '<span class="edit-link">[<a href="{}" rel="nofollow">{}</a>]</span>',
        url,
        pgettext("edit link beside a section", "edit"),
    )
