"""The address of a record's page, without a full ``reverse()`` per record.

A list page links a hundred records or more; ``reverse()`` walks the URL resolver for each one,
which was a sixth of the sources list. The address of a page differs between two records of a
kind only by their slug, so it is reversed once per view, language and URL configuration, with a
placeholder, and the slug is put in its place.
"""

import functools
from urllib.parse import quote

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

PLACEHOLDER = "record-slug-placeholder"
# What reverse() leaves unquoted in a path (django.urls.resolvers).
SAFE = "!$&'()*+,;=/~:@"


@functools.lru_cache(maxsize=512)
def _around_slug(view_name, lookup, language, script_prefix, urlconf):
    before, _placeholder, after = reverse(view_name, kwargs={lookup: PLACEHOLDER}, urlconf=urlconf).partition(
        PLACEHOLDER
    )
    return before, after


def page_url(view_name, lookup, slug):
    """``reverse(view_name, kwargs={lookup: slug})`` for a view whose one argument is a slug."""
    before, after = _around_slug(
        view_name, lookup, get_language(), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF
    )
    return before + quote(slug, safe=SAFE) + after
