"""The filter form of a reader list, rendered once per filter values, language and content."""

import hashlib

from django import template
from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from records.caching import request_stamp

register = template.Library()

FORM_TEMPLATE = "includes/filters.html"


@register.simple_tag(takes_context=True)
def filter_form(context, filterset):
    """``{% filter_form filterset %}``: the list's "Filter and sort" form.

    Rendering a form re-enters the template engine for every field and widget: a third of an
    uncached directory page, and the same HTML for every reader of a language with the same
    filter values. It is kept in the default cache under those values (only the form's own
    fields, so a stray parameter adds nothing), the language and the content stamp (menus list
    published records).
    """
    request = context.get("request")
    form = filterset.form
    if request is None:
        return render_to_string(FORM_TEMPLATE, {"filterset": filterset})
    values = sorted((name, request.GET.getlist(name)) for name in form.fields if name in request.GET)
    identity = repr((request_stamp(request), type(filterset).__qualname__, get_language(), values))
    key = f"filter-form:{type(filterset).__module__}:{hashlib.sha256(identity.encode()).hexdigest()}"
    cache = caches["default"]
    html = cache.get(key)
    if html is None:
        html = render_to_string(FORM_TEMPLATE, {"filterset": filterset})
        cache.set(key, html)
    return mark_safe(html)
