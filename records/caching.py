"""Conditional GET for reader pages: ETag and Last-Modified from one content change stamp.

Every save or delete of a content record (any model versioned with django-reversion, which
includes every ``Record``, citations and event participants and partners, and raw saves made by
reverts) bumps :class:`records.models.ContentStamp`. ``migrate``, run at every deploy, bumps it
too, so pages rendered by older templates are not revalidated as fresh.

:class:`ReaderPagesMiddleware` answers a reader's conditional GET from that one row before the
view runs. It applies to every GET/HEAD under a language prefix except
the admin, so new reader views get it without doing anything. Logged-in users (editors) always
get a fresh, uncacheable page, and so does any page whose form used a CSRF token.

Each process reads the stamp at most once every ``PAGE_STAMP_SECONDS`` (settings; 0 reads it on
every request), so a 304 or a stored page costs no database query at all. The process that saves
an edit forgets its copy at once; other processes (other gunicorn workers) see the edit within
those seconds. That is the one staleness readers can meet, and editors never do.

The same middleware keeps anonymous readers' pages in the ``pages`` cache (``CACHES`` in the
settings: process memory, or Redis when ``CACHE_URL`` is set, with each worker's own copy of
the pages it served in front of it; what a worker keeps in its memory is bounded in bytes,
records.bounded_cache). A page is stored under the content
stamp, the language and its full address, query string included (:func:`page_cache_key`): an
edit changes the stamp, so every stored page becomes unreachable at once and nothing needs
deleting (old entries expire). A stored page is answered before the address is resolved or
any view runs: one cache read. Only what every
anonymous reader would get is stored: a 200 to a GET, not streamed, setting no cookie, not
private, with no CSRF token or CSP nonce in it. Logged-in users neither read nor fill the cache.

A record's page answers ``Accept`` with the page or the record as RDF (records.linked_data): the
representation asked for is part of the stored page's key and of the ETag, so a stored page is
never the answer to a request for RDF, nor the reverse, and no 304 confirms one for the other.

A request with ``Accept-Datetime`` (Memento's datetime negotiation, allmep.memento) asks for the
page as it was, not as it is: it neither reads nor fills the cache and is never answered 304
from the stamp, which says nothing about the past.
"""

import hashlib
import time

import reversion
from django.apps import apps as global_apps
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date
from django.utils.translation import get_language, get_language_from_path

from . import linked_data
from .models import ContentStamp, Record

SKIPPED_NAMESPACES = {"admin"}
PAGE_CACHE = "pages"  # the CACHES alias
LOCAL_PAGE_CACHE = "pages-local"  # the worker's copy in front of a shared "pages" cache, if configured
STORED_PAGE_MAX_BYTES = 1 << 20  # larger responses (big downloads) are not kept, whatever the bound


def is_content(model):
    return issubclass(model, Record) or reversion.is_registered(model)


class StampMemo:
    """This process's last reading of the content stamp, and when it was read."""

    stamp = None
    read_at = float("-inf")

    @classmethod
    def current(cls):
        """The content stamp, from the database at most once every PAGE_STAMP_SECONDS."""
        now = time.monotonic()
        if cls.stamp is None or now - cls.read_at >= settings.PAGE_STAMP_SECONDS:
            cls.stamp, cls.read_at = ContentStamp.current(), now
        return cls.stamp

    @classmethod
    def forget(cls):
        cls.stamp = None


def request_stamp(request):
    """The content stamp for this request, read once however many times it is asked for."""
    if not hasattr(request, "_content_stamp"):
        request._content_stamp = StampMemo.current()
    return request._content_stamp


def bump():
    ContentStamp.bump()
    # Now, in case the transaction is rolled back, and again once it commits, in case another
    # thread of this process read the old stamp meanwhile.
    StampMemo.forget()
    transaction.on_commit(StampMemo.forget, robust=True)


@receiver(post_save)
@receiver(post_delete)
def bump_on_change(sender, **kwargs):
    if is_content(sender):
        bump()


@receiver(m2m_changed)
def bump_on_relation_change(sender, instance, action, **kwargs):
    if action.startswith("post_") and is_content(type(instance)):
        bump()


@receiver(post_migrate)
def bump_on_migrate(sender, apps=None, **kwargs):
    # `flush` (and so every transactional test's teardown) sends post_migrate without `apps`.
    if sender.name != "records":
        return
    try:
        (apps or global_apps).get_model("records", "ContentStamp")
    except LookupError:  # migrated back to zero
        return
    bump()


def validators(stamp, now=None, variant=""):
    """``(etag, last_modified)`` for the active language from ``(version, changed_at)``, and for
    the representation asked for (``variant``: "" for the page, else the RDF format).

    Last-Modified has one-second resolution: it is only given once the second of the last change
    is over, so a reader who fetched a page in that same second cannot be told "not modified"
    about a second edit made within it. The ETag alone covers that second.
    """
    _version, changed_at = stamp
    now = now or timezone.now()
    etag = f'W/"{stamp_key(stamp)}-{get_language()}{f"-{variant}" if variant else ""}"'
    changed_second = int(changed_at.timestamp())
    last_modified = changed_second if int(now.timestamp()) > changed_second else None
    return etag, last_modified


def negotiates_datetime(request):
    """Whether the request asks for a page as it was at some time (Memento's Accept-Datetime)."""
    return "HTTP_ACCEPT_DATETIME" in request.META


def is_reader_request(request):
    match = request.resolver_match
    return (
        request.method in ("GET", "HEAD")
        and get_language_from_path(request.path_info) is not None
        and match is not None
        and not SKIPPED_NAMESPACES.intersection(match.namespaces)
    )


def stamp_key(stamp):
    """The stamp as text for validators and cache keys: the version and the time of the change,
    since versions alone repeat (a restored backup, a flushed database, two sites on one Redis)."""
    version, changed_at = stamp
    return f"{version}-{int(changed_at.timestamp() * 1_000_000):x}"


def page_cache_key(stamp, request):
    """The stamp, the language, the absolute address (host, path and query string) and the
    representation asked for (the page or RDF: records.linked_data)."""
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"reader-page:{stamp_key(stamp)}:{get_language()}:{address}:{linked_data.variant(request)}"


def is_storable(request, response):
    """Whether every anonymous reader of this address would get this very response."""
    cache_control = response.get("Cache-Control", "")
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        # A per-request CSP nonce (django-csp sets _csp_nonce once a template uses it) must not be replayed.
        and not isinstance(getattr(request, "_csp_nonce", None), str)
        and not getattr(getattr(request, "session", None), "modified", False)
        and "private" not in cache_control
        and "no-store" not in cache_control
        and len(response.content) <= STORED_PAGE_MAX_BYTES
    )


def keeps_pages():
    """Whether pages are kept at all: a pages cache TIMEOUT of 0 (DJANGO_PAGE_CACHE_SECONDS=0) keeps
    none, where Django's memory cache would still hold each expired page until culled."""
    return caches[PAGE_CACHE].default_timeout != 0


def local_page_cache():
    """The worker's own copy of the pages cache when that cache is shared (Redis), else None."""
    return caches[LOCAL_PAGE_CACHE] if LOCAL_PAGE_CACHE in settings.CACHES else None


def read_page(key):
    local = local_page_cache()
    entry = local.get(key) if local is not None else None
    if entry is None:
        entry = caches[PAGE_CACHE].get(key)
        if entry is not None and local is not None:
            local.set(key, entry)
    return entry


def store_page(key, response):
    store_entry(key, (response.content, dict(response.headers)))


def store_entry(key, entry):
    """Keep ``entry`` in the pages cache, and in the worker's copy in front of it, if any (a page,
    or what is derived from one under the content stamp, such as its PDF: exports.pdf)."""
    caches[PAGE_CACHE].set(key, entry)
    if (local := local_page_cache()) is not None:
        local.set(key, entry)


class ReaderPagesMiddleware:
    """Place after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.stored_response(request) or self.get_response(request)
        mode = getattr(request, "_reader_cache", None)
        if mode == "private":
            add_never_cache_headers(response)
            patch_vary_headers(response, ("Cookie",))
        elif mode is not None:
            etag, last_modified = mode
            if response.status_code == 200 and request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
                # The page holds a CSRF token: a stored copy must not outlive the reader's cookie.
                add_never_cache_headers(response)
            elif response.status_code in (200, 304):
                response.headers.setdefault("ETag", etag)
                if last_modified is not None:
                    response.headers.setdefault("Last-Modified", http_date(last_modified))
                # Stored copies are revalidated on every use, so an edit shows at once.
                patch_cache_control(response, no_cache=True)
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
            key = getattr(request, "_reader_page_key", None)
            if key is not None and is_storable(request, response):
                store_page(key, response)
        return response

    def stored_response(self, request):
        """A stored page, before the address is even resolved.

        Only an address whose page is stored under the current stamp is answered here: being
        stored proves it is a reader page that answered 200 to anonymous readers. A conditional
        request that matches is left to process_view, which answers the 304 from the stamp alone,
        with no cache read (a round trip with Redis).
        """
        if request.method != "GET" or get_language_from_path(request.path_info) is None:
            return None
        if request.user.is_authenticated or negotiates_datetime(request):
            return None
        stamp = request_stamp(request)
        if stamp is None:
            return None
        etag, last_modified = validators(stamp, variant=linked_data.variant(request))
        if get_conditional_response(request, etag=etag, last_modified=last_modified) is not None:
            return None
        entry = read_page(page_cache_key(stamp, request)) if keeps_pages() else None
        if entry is None:
            return None
        request._reader_cache = (etag, last_modified)
        content, headers = entry
        return HttpResponse(content, headers=headers)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not is_reader_request(request):
            return None
        if request.user.is_authenticated:
            request._reader_cache = "private"
            return None
        if negotiates_datetime(request):
            return None
        stamp = request_stamp(request)
        if stamp is None:
            return None
        etag, last_modified = request._reader_cache = validators(stamp, variant=linked_data.variant(request))
        response = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if response is None and request.method == "GET" and keeps_pages():
            # Not stored (stored_response looked): filled on the way out, if the page may be shared.
            request._reader_page_key = page_cache_key(stamp, request)
        return response
