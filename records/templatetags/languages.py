"""The language switcher and hreflang alternates: the same page in each reader language."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

from records.query_strings import carried_query

register = template.Library()

# Each language named in itself, as readers look for it (Django's Arabic name carries a shadda).
NAMES_IN_THEMSELVES = {"ar": "العربية", "en": "English", "he": "עברית"}


def _language_urls(request):
    """(code, url) for every reader language, keeping the reader on the same record and query."""
    if request is None:
        return []
    query = carried_query(request).urlencode()
    urls = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(request.path, code)
        urls.append((code, f"{url}?{query}" if query else url))
    return urls


@register.simple_tag(takes_context=True)
def language_links(context):
    """Links for the switcher: each language named in itself (العربية, English, עברית)."""
    current = (get_language() or settings.LANGUAGE_CODE)[:2]
    links = []
    for code, url in _language_urls(context.get("request")):
        info = get_language_info(code)
        links.append(
            {
                "code": code,
                "name": NAMES_IN_THEMSELVES.get(code, info["name_local"]),
                "url": url,
                "dir": "rtl" if info["bidi"] else "ltr",
                "current": code == current,
            }
        )
    return links


@register.simple_tag(takes_context=True)
def alternate_links(context):
    """Absolute hreflang alternates for <head>, and x-default as the sitemap gives it.

    x-default is the address without a language prefix, which sends each visitor to their
    language by Accept-Language (Arabic by default), as Django's i18n sitemaps write it.
    """
    request = context.get("request")
    urls = _language_urls(request)
    links = [(code, request.build_absolute_uri(url)) for code, url in urls]
    prefix = f"/{settings.LANGUAGE_CODE}/"
    default = dict(urls).get(settings.LANGUAGE_CODE, "")
    if default.startswith(prefix):
        links.append(("x-default", request.build_absolute_uri("/" + default[len(prefix) :])))
    return links


@register.filter
def language_name(code):
    """A language code's name in the reader's language; the code itself when Django does not know it."""
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code
