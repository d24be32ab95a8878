"""Archived copies of sources from the Wayback Machine.

:meth:`Wayback.closest` asks the Availability API for the snapshot closest before the date the
source was read (its access date), and failing that the closest after; :meth:`Wayback.save`
asks Save Page Now to capture a live page (off unless keys are set). Endpoints and keys come
from ``settings.WAYBACK``, so tests point them at a local server.

Anything unexpected from the service raises :class:`ArchiveError`, and callers then write
nothing: a failed lookup must never clear or invent an archive link.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from .models import ArchiveProvider

# Every option of settings.WAYBACK, with its default: the one place these are written.
DEFAULTS = {
    "AVAILABILITY_URL": "https://archive.org/wayback/available",
    "SAVE_URL": "https://web.archive.org/save",
    "SAVE_ENABLED": False,
    "ACCESS_KEY": "",
    "SECRET_KEY": "",
    "TIMEOUT": 30.0,
    # Snapshot links the API may hand back; stored with https.
    "SNAPSHOT_PREFIXES": ["https://web.archive.org/web/", "http://web.archive.org/web/"],
    "USER_AGENT": "ALLMEP-record-link-checker (Wayback lookups)",
}

TIMESTAMP = re.compile(r"^\d{14}$")


def config():
    return {**DEFAULTS, **settings.WAYBACK}


class ArchiveError(Exception):
    """The archive service failed or answered something we cannot trust."""


@dataclass(frozen=True)
class Snapshot:
    url: str
    captured: date
    provider: str = ArchiveProvider.WAYBACK


class Wayback:
    """A client of the Wayback Machine; safe to share between threads."""

    def __init__(self, options=None):
        self.options = options or config()
        self.client = httpx.Client(
            timeout=httpx.Timeout(self.options["TIMEOUT"]),
            headers={"User-Agent": self.options["USER_AGENT"]},
            trust_env=False,
        )

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self.client.close()

    def closest(self, url, when=None):
        """The snapshot of ``url`` closest before ``when`` (a date), else closest after; or None."""
        before = self._available(url, when, "before")
        if before is not None and (when is None or before.captured <= when):
            return before
        return self._available(url, when, "after") or before

    def _available(self, url, when, direction):
        params = {"url": url, "closest": direction}
        if when is not None:
            params["timestamp"] = when.strftime("%Y%m%d")
        try:
            response = self.client.get(self.options["AVAILABILITY_URL"], params=params)
        except httpx.HTTPError as error:
            raise ArchiveError(str(error) or error.__class__.__name__) from error
        if response.status_code != 200:
            raise ArchiveError(_("the archive answered %(status)d") % {"status": response.status_code})
        try:
            data = response.json()
        except ValueError as error:
            raise ArchiveError(_("the archive's answer is not JSON")) from error
        snapshots = data.get("archived_snapshots") if isinstance(data, dict) else None
        if not isinstance(snapshots, dict):
            raise ArchiveError(_("the archive's answer has no snapshot list"))
        closest = snapshots.get("closest")
        if closest is None:
            return None
        if not isinstance(closest, dict):
            raise ArchiveError(_("the archive's answer is malformed"))
        if closest.get("available") is not True or str(closest.get("status", "200")) != "200":
            return None  # a capture of an error page is no copy of the source
        return self._snapshot(closest)

    def _snapshot(self, closest):
        link, stamp = closest.get("url"), str(closest.get("timestamp", ""))
        if not TIMESTAMP.match(stamp):
            raise ArchiveError(_("the archive's snapshot has no valid timestamp"))
        try:
            captured = datetime.strptime(stamp, "%Y%m%d%H%M%S").date()
        except ValueError as error:
            raise ArchiveError(_("the archive's snapshot has no valid timestamp")) from error
        if not isinstance(link, str) or not link.startswith(tuple(self.options["SNAPSHOT_PREFIXES"])):
            raise ArchiveError(_("the archive's snapshot link is not a Wayback link"))
        if link.startswith("http://"):
            link = "https://" + link.removeprefix("http://")
        if len(link) > 1000 or any(char.isspace() for char in link):
            raise ArchiveError(_("the archive's snapshot link is not usable"))
        return Snapshot(url=link, captured=captured)

    def save(self, url):
        """Ask Save Page Now to capture ``url``; returns its job id, or None when saving is off.

        The capture is found by the next :meth:`closest` lookup, so nothing is recorded here.
        """
        access, secret = self.options["ACCESS_KEY"], self.options["SECRET_KEY"]
        if not (self.options["SAVE_ENABLED"] and access and secret):
            return None
        try:
            response = self.client.post(
                self.options["SAVE_URL"],
                data={"url": url},
                headers={"Accept": "application/json", "Authorization": f"LOW {access}:{secret}"},
            )
            data = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise ArchiveError(str(error) or error.__class__.__name__) from error
        job = data.get("job_id") if isinstance(data, dict) else None
        if response.status_code != 200 or not isinstance(job, str):
            message = data.get("message") if isinstance(data, dict) else None
            raise ArchiveError(message or _("Save Page Now answered %(status)d") % {"status": response.status_code})
        return job
