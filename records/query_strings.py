"""The reader's query string: numbers read from it, and as a page's links pass it on (to the same
page in another language, to the downloads of the list it filters)."""

from django.http import QueryDict
from django.utils.translation import gettext as _

# Longer than any query a reader page accepts (a search is at most 500 characters, filters are
# short): a longer one is bad input, and is not copied into every link of the page refusing it.
MAX_CARRIED_LENGTH = 1000


def carried_query(request, drop=()):
    """A copy of the request's query without the parameters in ``drop``; empty if too long for any page."""
    query = request.GET.copy()
    if sum(len(key) + len(value) for key, values in query.lists() for value in values) > MAX_CARRIED_LENGTH:
        return QueryDict(mutable=True)
    for name in drop:
        query.pop(name, None)
    return query


class BadRequest(Exception):
    """A parameter the reader can fix; shown as a 400 page with the message."""


def int_parameter(request, name, required=True):
    value = request.GET.get(name, "").strip()
    if not value:
        if required:
            raise BadRequest(_("The address lacks the “%(name)s” version number.") % {"name": name})
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 18:  # no version has a longer number
        raise BadRequest(_("“%(value)s” is not a version number.") % {"value": value[:50]})
    return int(value)
