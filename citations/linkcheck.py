"""The link checker: does each source's URL still answer, and since when has it not?

It works the way InternetArchiveBot does on Wikipedia. A check asks with HEAD, and confirms any
unhappy answer with GET (many servers answer HEAD wrongly); it follows redirects one hop at a
time, recording each; it takes a redirect to a site's home page or to a "not found" page for
the soft 404 it is. A link is declared dead only after repeated failures spread over days, and
one good answer brings it back. Editors' overrides always win.

Every check is kept as a :class:`~citations.models.LinkCheck` row (log data, not versioned).
Changes to a source (link status, archived copy) are saved in a revision by the system user
"link-checker", so they show in the history and can be reverted like any edit.

Safety: only http and https; every host is resolved and every address checked (no private,
loopback, link-local, multicast or reserved addresses), on every redirect hop; the request is
then sent to the checked address itself, so a second DNS answer cannot swap it. Bodies are read
in a stream and never past a size cap.

Network work runs in a thread pool; the database is only touched from the calling thread.
"""

import ipaddress
import logging
import re
import socket
import ssl
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import zip_longest

import httpx
import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections, transaction
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from django.utils.translation import gettext as _

from records import versioning

from .archives import ArchiveError, Wayback
from .models import (
    INCONCLUSIVE_OUTCOMES,
    OVERRIDE_STATUS,
    LinkCheck,
    LinkCheckOutcome,
    LinkStatus,
    Source,
)

logger = logging.getLogger(__name__)

# Every option of settings.LINKCHECK, with its default: the one place these are written.
DEFAULTS = {
    "CONCURRENCY": 8,
    # Seconds between two requests to one host: politeness, as IABot keeps it.
    "PER_HOST_INTERVAL": 1.0,
    "TIMEOUT": 15.0,  # connect, read, write: each
    "TOTAL_TIMEOUT": 30.0,  # stop reading a body that drips past this
    "MAX_REDIRECTS": 10,
    "MAX_BODY_BYTES": 256 * 1024,
    "DEAD_AFTER_FAILURES": 3,
    "DEAD_FAILURE_SPACING_DAYS": 3,
    # Browser-like, so sites serve what readers get; still says who asks.
    "USER_AGENT": (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 "
        "(compatible; ALLMEP-record-link-checker)"
    ),
    # Hosts known to answer HEAD wrongly: asked with GET at once.
    "GET_ONLY_HOSTS": [],
    # Tests run their servers on 127.0.0.1; nothing else should ever allow it.
    "ALLOW_LOOPBACK": False,
    "SYSTEM_USER": "link-checker",
    "ADMIN_MAX_SOURCES": 20,
    "ARCHIVE": True,  # look up Wayback snapshots for sources without an archived copy
    # Check a source's link (and look up its archived copy) in the background when a save adds or
    # changes its URL, rather than at the next sweep.
    "CHECK_ON_SAVE": True,
    "SOFT_404_TITLES": [
        r"\bpage not found\b",
        r"\b404\b.{0,20}\bnot found\b",
        r"^\s*(error\s*)?404\b",
        r"\bpage (cannot|can't|could not) be found\b",
        r"الصفحة غير موجودة",
        r"הדף (לא נמצא|המבוקש לא נמצא)",
    ],
}

# The count of snapshots not recorded because an editor dated the source's copy otherwise.
ARCHIVE_KEPT = "archive kept (editor's date differs)"

REDIRECT_STATUSES = {301, 302, 303, 307, 308}
# Sites that turn robots away say nothing about whether readers reach the page.
REFUSED_BY_SITE_STATUSES = {401, 403, 429, 999}
# A redirect here means "gone": the site's home, a language home, or an error page.
SOFT_404_ROOT = re.compile(r"^/?(?:[a-z]{2}(?:[-_][a-z]{2})?/?|index\.\w+|home/?|default\.aspx)?$", re.IGNORECASE)
SOFT_404_PATH = re.compile(r"(?:^|[/_.=-])(?:404|not[-_]?found|page[-_]?not[-_]?found|error)(?:$|[/_.?&=-])", re.I)
TITLE = re.compile(rb"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)


def config():
    return {**DEFAULTS, **settings.LINKCHECK}


class UnsafeURL(Exception):
    """A URL the checker refuses to fetch."""


class TooManyRedirects(Exception):
    pass


# --- Addresses -------------------------------------------------------------------------------


def resolve(host, port):
    """Every address ``host`` resolves to (a seam for tests: they never ask a real resolver)."""
    return [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def refusal(address, allow_loopback=False):
    """Why the checker must not connect to ``address``, or None when it may."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return None if allow_loopback else _("a loopback address")
    if ip.is_link_local:
        return _("a link-local address")
    if ip.is_multicast:
        return _("a multicast address")
    if ip.is_private or ip.is_reserved or ip.is_unspecified or not ip.is_global:
        return _("a private or reserved address")
    return None


def checked_address(url, allow_loopback=False):
    """The address to connect to for ``url``, once the URL and all its addresses pass.

    Raises :class:`UnsafeURL`, or :class:`socket.gaierror` when the host does not resolve.
    """
    if url.scheme not in ("http", "https"):
        raise UnsafeURL(_("only http and https links are checked"))
    host = url.raw_host.decode("ascii")
    if not host:
        raise UnsafeURL(_("the URL has no host"))
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        addresses = resolve(host, url.port or (443 if url.scheme == "https" else 80))
    if not addresses:
        raise socket.gaierror(_("no address"))
    for address in addresses:
        reason = refusal(address, allow_loopback)
        if reason:
            raise UnsafeURL(_("%(host)s resolves to %(reason)s") % {"host": host, "reason": reason})
    return addresses[0]


class HostSpacing:
    """Spaces requests to one host by ``interval`` seconds, across threads."""

    def __init__(self, interval):
        self.interval = interval
        self._next = {}
        self._lock = threading.Lock()

    def wait(self, host):
        if self.interval <= 0:
            return
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next.get(host, now))
            self._next[host] = slot + self.interval
        if slot > now:
            time.sleep(slot - now)


# --- One check -------------------------------------------------------------------------------


@dataclass
class CheckResult:
    url: str
    checked_at: datetime
    outcome: str = ""
    status_code: int | None = None
    method: str = ""
    final_url: str = ""
    redirects: list = field(default_factory=list)
    error: str = ""
    duration_ms: int = 0
    bytes_read: int = 0

    @property
    def is_success(self):
        return self.outcome == LinkCheckOutcome.OK

    @property
    def is_failure(self):
        return not self.is_success and self.outcome not in INCONCLUSIVE_OUTCOMES


@dataclass
class Answer:
    status: int
    url: httpx.URL
    hops: list
    title: bytes = b""
    bytes_read: int = 0


class Fetcher:
    """Asks one URL at a time, from any number of threads (each has its own HTTP client)."""

    def __init__(self, options=None, clock=timezone.now):
        self.options = options or config()
        self.clock = clock
        self.spacing = HostSpacing(self.options["PER_HOST_INTERVAL"])
        self._local = threading.local()
        self._clients = []
        self._clients_lock = threading.Lock()
        self._soft_404_titles = [re.compile(p, re.IGNORECASE) for p in self.options["SOFT_404_TITLES"]]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        with self._clients_lock:
            for client in self._clients:
                client.close()
            self._clients.clear()

    @property
    def client(self):
        client = getattr(self._local, "client", None)
        if client is None:
            timeout = self.options["TIMEOUT"]
            # trust_env off: a proxy from the environment would connect to addresses we never checked.
            client = httpx.Client(timeout=httpx.Timeout(timeout), trust_env=False, follow_redirects=False)
            self._local.client = client
            with self._clients_lock:
                self._clients.append(client)
        return client

    def fetch(self, url):
        """Check ``url``; never raises for anything the network or the URL can do."""
        result = CheckResult(url=url, checked_at=self.clock())
        started = time.monotonic()
        try:
            self._check(result)
        except UnsafeURL as error:
            result.outcome, result.error = LinkCheckOutcome.NOT_CHECKED, str(error)
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
            result.outcome, result.error = LinkCheckOutcome.NOT_CHECKED, str(error) or _("not a valid URL")
        except socket.gaierror as error:
            result.outcome, result.error = LinkCheckOutcome.DNS, str(error)
        except TooManyRedirects as error:
            result.outcome, result.error = LinkCheckOutcome.REDIRECTS, str(error)
        except httpx.TimeoutException as error:
            result.outcome, result.error = LinkCheckOutcome.TIMEOUT, str(error) or _("timed out")
        except httpx.HTTPError as error:
            tls = any(isinstance(e, ssl.SSLError | ssl.CertificateError) for e in _exception_chain(error))
            result.outcome = LinkCheckOutcome.TLS if tls else LinkCheckOutcome.CONNECTION
            result.error = str(error) or error.__class__.__name__
        finally:
            self.client.cookies.clear()
        result.duration_ms = round((time.monotonic() - started) * 1000)
        return result

    def _check(self, result):
        url = httpx.URL(result.url)
        method = "GET" if url.host in self.options["GET_ONLY_HOSTS"] else "HEAD"
        deadline = time.monotonic() + self.options["TOTAL_TIMEOUT"]
        result.method, result.redirects = method, []
        answer = self._follow(method, url, deadline, result.redirects)
        if method == "HEAD" and (answer.status >= 400 or answer.hops):
            # HEAD answers are often wrong (405, 403, 501, even 404): only GET is trusted to fail.
            # A redirected page is fetched too: its title may say the page is gone (soft 404).
            result.method, result.redirects = "GET", []
            answer = self._follow("GET", url, deadline, result.redirects)
        result.status_code = answer.status
        result.final_url = str(answer.url)
        result.bytes_read = answer.bytes_read
        result.outcome = self._outcome(url, answer)

    def _outcome(self, url, answer):
        status = answer.status
        if 200 <= status < 300:
            return LinkCheckOutcome.SOFT_404 if self._is_soft_404(url, answer) else LinkCheckOutcome.OK
        if status == 404:
            return LinkCheckOutcome.NOT_FOUND
        if status == 410:
            return LinkCheckOutcome.GONE
        if status in REFUSED_BY_SITE_STATUSES:
            return LinkCheckOutcome.REFUSED_BY_SITE
        if status >= 500:
            return LinkCheckOutcome.SERVER_ERROR
        return LinkCheckOutcome.HTTP_ERROR

    def _is_soft_404(self, url, answer):
        if answer.hops:
            final = answer.url
            if SOFT_404_ROOT.match(final.path) and not SOFT_404_ROOT.match(url.path):
                return True
            target = final.path + ("?" + final.query.decode("ascii", "replace") if final.query else "")
            if SOFT_404_PATH.search(target) and not SOFT_404_PATH.search(url.path):
                return True
        if answer.title:
            title = answer.title.decode("utf-8", "replace").strip()
            return any(pattern.search(title) for pattern in self._soft_404_titles)
        return False

    def _follow(self, method, url, deadline, hops):
        """Send ``method`` to ``url`` and follow redirects, checking every hop's addresses.

        Each redirect is appended to ``hops`` as it happens, so a failing chain is recorded too.
        """
        cookies = httpx.Cookies()  # per check: sites that set a cookie and redirect need it back
        for _hop in range(self.options["MAX_REDIRECTS"] + 1):
            response = self._send(method, url, cookies)
            try:
                location = response.headers.get("location")
                if response.status_code in REDIRECT_STATUSES and location:
                    hops.append({"url": str(url), "status": response.status_code})
                    try:
                        url = url.join(location.strip())
                    except httpx.InvalidURL as error:
                        raise UnsafeURL(_("the redirect target is not a valid URL")) from error
                    continue
                answer = Answer(status=response.status_code, url=url, hops=hops)
                if method == "GET":
                    self._read_head(response, answer, deadline)
                return answer
            finally:
                response.close()
        raise TooManyRedirects(_("more than %(count)d redirects") % {"count": self.options["MAX_REDIRECTS"]})

    def _send(self, method, url, cookies):
        address = checked_address(url, self.options["ALLOW_LOOPBACK"])
        self.spacing.wait(url.host)
        host = url.raw_host.decode("ascii")
        logical = httpx.Request(method, url)
        cookies.set_cookie_header(logical)
        headers = {
            "Host": url.netloc.decode("ascii"),
            "User-Agent": self.options["USER_AGENT"],
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Language": "en;q=0.9,ar;q=0.8,he;q=0.7,*;q=0.5",
            # Bodies are only sniffed for a title: uncompressed keeps the size cap honest.
            "Accept-Encoding": "identity",
        }
        if "cookie" in logical.headers:
            headers["Cookie"] = logical.headers["cookie"]
        if url.scheme == "https":
            # The connection pool is keyed by address: a TLS connection made for one host name
            # must not carry a request for another name served from the same address.
            headers["Connection"] = "close"
        # Connect to the address just checked; TLS still verifies the certificate for the name.
        request = httpx.Request(method, url.copy_with(host=address), headers=headers, extensions={"sni_hostname": host})
        response = self.client.send(request, stream=True)
        cookies.extract_cookies(httpx.Response(response.status_code, headers=response.headers, request=logical))
        return response

    def _read_head(self, response, answer, deadline):
        """Read the body up to the size cap (or the deadline), keeping an HTML title if any."""
        cap = self.options["MAX_BODY_BYTES"]
        head = bytearray()
        for chunk in response.iter_raw(chunk_size=16384):
            head += chunk
            if len(head) >= cap or time.monotonic() > deadline:
                break
        answer.bytes_read = min(len(head), cap)
        html = "html" in response.headers.get("content-type", "")
        identity = response.headers.get("content-encoding", "identity") == "identity"
        if html and identity:
            match = TITLE.search(bytes(head[:cap]))
            answer.title = match.group(1)[:500] if match else b""


def _exception_chain(error):
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


# --- Deciding a link's status ----------------------------------------------------------------


def decide_link_status(current, override, checks, failures_needed=3, spacing=timedelta(days=3)):
    """The link status after ``checks`` (newest first, each with ``checked_at`` and ``outcome``).

    Overrides win; "usurped" is an editor's finding no answer can disprove. The newest conclusive
    check decides "live". Failures since the last good answer make the link dead once there
    are ``failures_needed`` of them each at least ``spacing`` after the previous counted one;
    until then the status stays as it was.
    """
    if override:
        return OVERRIDE_STATUS[override]
    if current == LinkStatus.USURPED:
        return current
    streak = []
    for check in checks:
        if check.outcome in INCONCLUSIVE_OUTCOMES:
            continue
        if check.outcome == LinkCheckOutcome.OK:
            if not streak:
                return LinkStatus.LIVE
            break
        streak.append(check)
    counted, last = 0, None
    for check in reversed(streak):
        if last is None or check.checked_at - last >= spacing:
            counted, last = counted + 1, check.checked_at
    return LinkStatus.DEAD if counted >= failures_needed else current


# --- Checking sources ------------------------------------------------------------------------


def system_user(options=None):
    """The user "link-checker" that signs the checker's revisions; it cannot log in."""
    user_model = get_user_model()
    name = (options or config())["SYSTEM_USER"]
    user, created = user_model._default_manager.get_or_create(
        **{user_model.USERNAME_FIELD: name}, defaults={"is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@dataclass(frozen=True)
class Job:
    source_id: int
    url: str
    access_date: object
    wants_archive: bool


@dataclass
class Work:
    result: CheckResult
    snapshot: object = None
    archive_error: str = ""
    saved: bool = False


def interleave_hosts(jobs):
    """Round-robin over hosts, so spacing one host's requests does not idle every worker."""
    by_host = defaultdict(list)
    for job in jobs:
        by_host[httpx.URL(job.url).host if job.url.startswith(("http://", "https://")) else ""].append(job)
    return [job for group in zip_longest(*by_host.values()) for job in group if job is not None]


class LinkChecker:
    """Checks sources' links and looks up archived copies; records what it finds."""

    def __init__(self, options=None, wayback=None, clock=timezone.now, archive=None):
        self.options = options or config()
        self.clock = clock
        self.archive = self.options["ARCHIVE"] if archive is None else archive
        self.wayback = wayback
        self.counts = Counter()
        self.user = None  # the system user, fetched on the first change

    def check(self, sources, concurrency=None):
        """Check every source that has a URL; returns counts of what happened."""
        jobs = [
            Job(source.pk, source.url, source.access_date, self.archive and not source.archive_url)
            for source in sources
            if source.url
        ]
        workers = max(1, min(concurrency or self.options["CONCURRENCY"], len(jobs) or 1))
        with ExitStack() as stack:
            fetcher = stack.enter_context(Fetcher(self.options, clock=self.clock))
            wayback = self.wayback
            if wayback is None and any(job.wants_archive for job in jobs):
                wayback = stack.enter_context(Wayback())
            pool = ThreadPoolExecutor(workers)
            stack.callback(pool.shutdown, cancel_futures=True)  # on an error too: drop what is queued
            futures = {pool.submit(self._work, fetcher, wayback, job): job for job in interleave_hosts(jobs)}
            for future in as_completed(futures):
                job = futures[future]
                try:
                    work = future.result()
                except Exception:
                    # A bug met by one URL must not stop the run for the others.
                    logger.exception("Checking %s failed", job.url)
                    self.counts["errors"] += 1
                    continue
                self.record(job, work)
        return self.counts

    def _work(self, fetcher, wayback, job):
        """Network only (runs in a worker thread): the check, then the archive lookup."""
        work = Work(result=fetcher.fetch(job.url))
        if job.wants_archive and work.result.outcome != LinkCheckOutcome.NOT_CHECKED:
            try:
                work.snapshot = wayback.closest(job.url, job.access_date)
                if work.snapshot is None and work.result.is_success:
                    work.saved = wayback.save(job.url) is not None
            except ArchiveError as error:
                work.archive_error = str(error)
        return work

    def record(self, job, work):
        """Keep the check and apply what follows from it to the source (in the calling thread)."""
        result = work.result
        self.counts["checked"] += 1
        self.counts["ok" if result.is_success else "failed" if result.is_failure else "inconclusive"] += 1
        if work.archive_error:
            self.counts["archive errors"] += 1
            logger.warning("Wayback lookup for %s failed: %s", job.url, work.archive_error)
        if work.saved:
            self.counts["archive requested"] += 1
        with transaction.atomic():
            LinkCheck.objects.create(
                source_id=job.source_id,
                checked_at=result.checked_at,
                url=result.url[:1000],
                outcome=result.outcome,
                status_code=result.status_code,
                method=result.method,
                final_url=result.final_url[:2000],
                redirects=result.redirects,
                error=result.error[:2000],
                duration_ms=result.duration_ms,
            )
            # Re-read under a lock: an editor may have saved the source while we were away.
            source = Source.objects.select_for_update().filter(pk=job.source_id).first()
            if source is None or source.url != job.url:
                return
            comments = self._apply(source, work)
            if comments:
                # Inside a revision already open (the admin's "check now"), add to its comment.
                earlier = reversion.get_comment() if reversion.is_active() else ""
                comment = "; ".join(filter(None, [earlier, *comments]))
                if self.user is None:
                    self.user = system_user(self.options)
                with versioning.revision(comment, user=self.user):
                    source.save()

    def _apply(self, source, work):
        comments = []
        checks = source.link_checks.filter(url=source.url).only("source", "checked_at", "outcome")[:200]
        status = decide_link_status(
            source.link_status,
            source.link_override,
            checks,
            failures_needed=self.options["DEAD_AFTER_FAILURES"],
            spacing=timedelta(days=self.options["DEAD_FAILURE_SPACING_DAYS"]),
        )
        if status != source.link_status:
            comments.append(
                _("Link checker: link status %(old)s → %(new)s")
                % {"old": source.get_link_status_display(), "new": LinkStatus(status).label}
            )
            self.counts[f"now {status}"] += 1
            source.link_status = status
        snapshot = work.snapshot
        if snapshot is not None and not source.archive_url and source.archive_date not in (None, snapshot.captured):
            # An editor dated a copy the archive does not list on that day: their date stays, and
            # the counts (the command's summary, the admin's message) say that they disagree.
            logger.info(
                "Snapshot of %s dated %s, the editor's %s: kept", source.url, snapshot.captured, source.archive_date
            )
            self.counts[ARCHIVE_KEPT] += 1
            snapshot = None
        if snapshot is not None and not source.archive_url:  # an editor's archive is never replaced
            source.archive_url, source.archive_date = snapshot.url, snapshot.captured
            source.archive_provider = snapshot.provider
            comments.append(_("Link checker: archived copy of %(date)s") % {"date": snapshot.captured.isoformat()})
            self.counts["archived"] += 1
        return comments


def check_sources(sources, concurrency=None, **kwargs):
    """Check ``sources`` (an iterable of Source) now; returns the counts."""
    return LinkChecker(**kwargs).check(sources, concurrency=concurrency)


# --- Checking a new URL at once ----------------------------------------------------------------
#
# A save that adds or changes a source's URL (the admin, a publisher applying a reviewed change, an
# import, a revert) queues a check of that one source, which also looks up its archived copy: new
# sources get their snapshot without waiting for the daily sweep. It runs after the save commits,
# in one background thread per process, one source after the other, through the same checker
# (politeness, address checks, the editor's archive never replaced), so no save waits on the
# network. A queued check lost with its process (a restart) is not lost for good: a URL never
# checked is the first the next ``check_links`` sweep takes.

_background = None
_background_lock = threading.Lock()


def run_in_background(function, *args):
    """Run ``function(*args)`` in the process's one link-checking thread (a seam for tests)."""
    global _background
    with _background_lock:
        if _background is None:
            _background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="linkcheck")
    return _background.submit(_in_thread, function, *args)


def _in_thread(function, *args):
    try:
        return function(*args)
    finally:
        # The thread's own database connection: not left open between checks.
        connections.close_all()


def check_new_url(source_id, url):
    """Check the source's link and look up its archived copy, if its URL is still ``url``."""
    try:
        counts = check_sources(Source.objects.filter(pk=source_id, url=url), concurrency=1)
        logger.info("Checked the new URL of source %s: %s", source_id, dict(counts))
    except Exception:
        logger.exception("Checking the new URL of source %s failed", source_id)


def _remember_url(sender, instance, raw=False, **kwargs):
    # What the row held before this save: as it was read (Source.from_db), else one query.
    if raw or instance.pk is None:
        instance._url_before_save = None
    elif "_loaded_url" in instance.__dict__:
        instance._url_before_save = instance._loaded_url
    else:
        instance._url_before_save = sender._base_manager.filter(pk=instance.pk).values_list("url", flat=True).first()


def _queue_check(sender, instance, created, raw=False, **kwargs):
    source_id, url = instance.pk, instance.url
    instance._loaded_url = url  # a second save of the same object compares with this one
    if raw or not url or not config()["CHECK_ON_SAVE"]:
        return
    if not created and instance.__dict__.get("_url_before_save") == url:
        return
    transaction.on_commit(lambda: run_in_background(check_new_url, source_id, url), robust=True)


def connect():
    """Check every source whose URL a save adds or changes (``citations.apps``)."""
    pre_save.connect(_remember_url, sender=Source, dispatch_uid="linkcheck-url-before")
    post_save.connect(_queue_check, sender=Source, dispatch_uid="linkcheck-new-url")
