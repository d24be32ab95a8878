"""Wayback lookups against a local fake of the Availability API and Save Page Now."""

import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from reversion.models import Version

from citations.archives import ArchiveError, Wayback
from citations.linkcheck import check_sources
from citations.models import ArchiveProvider, LinkStatus, Source
from records import versioning


def snapshot(stamp, original="http://example.org/a"):
    return {
        "archived_snapshots": {
            "closest": {
                "available": True,
                "url": f"http://web.archive.org/web/{stamp}/{original}",
                "timestamp": stamp,
                "status": "200",
            }
        }
    }


NONE = {"archived_snapshots": {}}


class FakeArchive(BaseHTTPRequestHandler):
    # closest direction -> JSON-able answer, raw bytes, or an int status.
    answers = {}
    save_answer = (200, {"url": "http://example.org/a", "job_id": "spn2-1234"})
    page_status = 200
    requests = []

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self.page()

    def do_GET(self):
        parts = urlsplit(self.path)
        if parts.path != "/wayback/available":
            return self.page()
        params = {key: values[0] for key, values in parse_qs(parts.query).items()}
        type(self).requests.append(("available", params))
        answer = type(self).answers.get(params.get("closest"), NONE)
        if isinstance(answer, int):
            return self.reply(answer, b"Service Unavailable", "text/plain")
        body = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
        self.reply(200, body, "application/json")

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        form = {key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()}
        type(self).requests.append(("save", {**form, "authorization": self.headers.get("Authorization")}))
        status, answer = type(self).save_answer
        self.reply(status, json.dumps(answer).encode(), "application/json")

    def page(self):
        type(self).requests.append(("page", self.path))
        self.reply(type(self).page_status, b"<title>Page</title>", "text/html")

    def reply(self, status, body, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture
def archive(settings):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeArchive)
    httpd.daemon_threads = True
    FakeArchive.answers, FakeArchive.requests, FakeArchive.page_status = {}, [], 200
    FakeArchive.save_answer = (200, {"url": "http://example.org/a", "job_id": "spn2-1234"})
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    settings.LINKCHECK = {"PER_HOST_INTERVAL": 0, "ALLOW_LOOPBACK": True, "TIMEOUT": 2, "ARCHIVE": True}
    settings.WAYBACK = {"AVAILABILITY_URL": f"{base}/wayback/available", "SAVE_URL": f"{base}/save"}
    yield base
    httpd.shutdown()
    httpd.server_close()


def lookups():
    return [params for kind, params in FakeArchive.requests if kind == "available"]


def make_source(base, **fields):
    fields.setdefault("access_date", date(2016, 8, 18))
    return Source.objects.create(key="allmep-about", title="About ALLMEP", url=f"{base}/page", **fields)


@pytest.mark.django_db
def test_closest_snapshot_before_the_access_date_is_recorded(archive):
    FakeArchive.answers = {"before": snapshot("20160301120000")}
    source = make_source(archive)
    counts = check_sources([source])
    source.refresh_from_db()
    assert source.archive_url == "https://web.archive.org/web/20160301120000/http://example.org/a"
    assert source.archive_date == date(2016, 3, 1)
    assert source.archive_provider == ArchiveProvider.WAYBACK
    assert counts["archived"] == 1
    assert lookups() == [{"url": f"{archive}/page", "closest": "before", "timestamp": "20160818"}]


@pytest.mark.django_db
def test_falls_back_to_the_closest_snapshot_after(archive):
    FakeArchive.answers = {"before": NONE, "after": snapshot("20170105000000")}
    source = make_source(archive)
    check_sources([source])
    source.refresh_from_db()
    assert source.archive_date == date(2017, 1, 5)
    assert [params["closest"] for params in lookups()] == ["before", "after"]


@pytest.mark.django_db
def test_a_before_answer_that_is_after_the_access_date_yields_to_the_after_lookup(archive):
    FakeArchive.answers = {"before": snapshot("20200101000000"), "after": snapshot("20161001000000")}
    source = make_source(archive)
    check_sources([source])
    source.refresh_from_db()
    assert source.archive_date == date(2016, 10, 1)


@pytest.mark.django_db
def test_no_snapshot_writes_nothing(archive):
    source = make_source(archive)
    check_sources([source])
    source.refresh_from_db()
    assert (source.archive_url, source.archive_date, source.archive_provider) == ("", None, "")
    assert len(lookups()) == 2


@pytest.mark.parametrize(
    "answer",
    [
        503,
        b"<html>Wayback is down</html>",
        b'["not", "an", "object"]',
        {"archived_snapshots": "closest"},
        {"archived_snapshots": {"closest": ["x"]}},
        {"archived_snapshots": {"closest": {**snapshot("2016")["archived_snapshots"]["closest"], "timestamp": "2016"}}},
        {"archived_snapshots": {"closest": {"available": True, "status": "200", "timestamp": "20160301120000"}}},
        {
            "archived_snapshots": {
                "closest": {
                    "available": True,
                    "status": "200",
                    "timestamp": "20160301120000",
                    "url": "https://evil.example/web/20160301120000/x",
                }
            }
        },
    ],
    ids=["503", "html", "list", "snapshots-string", "closest-list", "short-timestamp", "no-url", "foreign-url"],
)
@pytest.mark.django_db
def test_a_failing_or_garbled_archive_service_writes_nothing(archive, answer):
    FakeArchive.answers = {"before": answer, "after": answer}
    with versioning.revision("Add source"):
        source = make_source(archive)
    counts = check_sources([source])
    source.refresh_from_db()
    assert (source.archive_url, source.archive_date, source.archive_provider) == ("", None, "")
    assert counts["archive errors"] == 1
    # The link check itself still counts: the source is live, and only that is in the revision.
    assert source.link_status == LinkStatus.LIVE
    assert "archived" not in Version.objects.get_for_object(source).first().revision.get_comment()


@pytest.mark.django_db
def test_an_editor_set_archive_is_never_looked_up_or_replaced(archive):
    FakeArchive.answers = {"before": snapshot("20160301120000")}
    source = make_source(archive, archive_url="https://archive.ph/abcde", archive_date=date(2016, 9, 1))
    check_sources([source])
    source.refresh_from_db()
    assert source.archive_url == "https://archive.ph/abcde"
    assert lookups() == []


@pytest.mark.django_db
def test_the_archive_change_is_a_revision_by_link_checker(archive):
    FakeArchive.answers = {"before": snapshot("20160301120000")}
    with versioning.revision("Add source"):
        source = make_source(archive, link_status=LinkStatus.LIVE)
    check_sources([source])
    latest = Version.objects.get_for_object(source).first()
    assert latest.revision.user.username == "link-checker"
    assert "2016-03-01" in latest.revision.get_comment()
    assert latest.field_dict["archive_url"].startswith("https://web.archive.org/web/20160301120000/")


@pytest.mark.django_db
def test_save_page_now_is_off_by_default(archive):
    source = make_source(archive)
    counts = check_sources([source])
    assert [kind for kind, _ in FakeArchive.requests if kind == "save"] == []
    assert counts["archive requested"] == 0


@pytest.mark.django_db
def test_save_page_now_captures_a_live_page_without_a_copy(archive, settings):
    settings.WAYBACK = {**settings.WAYBACK, "SAVE_ENABLED": True, "ACCESS_KEY": "key", "SECRET_KEY": "secret"}
    source = make_source(archive)
    counts = check_sources([source])
    saves = [params for kind, params in FakeArchive.requests if kind == "save"]
    assert saves == [{"url": f"{archive}/page", "authorization": "LOW key:secret"}]
    assert counts["archive requested"] == 1
    source.refresh_from_db()
    assert source.archive_url == ""  # the capture is picked up by a later lookup


@pytest.mark.django_db
def test_save_page_now_is_not_asked_for_a_dead_page(archive, settings):
    settings.WAYBACK = {**settings.WAYBACK, "SAVE_ENABLED": True, "ACCESS_KEY": "key", "SECRET_KEY": "secret"}
    FakeArchive.page_status = 404
    check_sources([make_source(archive)])
    assert [kind for kind, _ in FakeArchive.requests if kind == "save"] == []


def test_save_page_now_errors_raise(archive, settings):
    FakeArchive.save_answer = (429, {"message": "You have already reached the limit of active sessions"})
    options = {**Wayback().options, "SAVE_ENABLED": True, "ACCESS_KEY": "k", "SECRET_KEY": "s"}
    with Wayback(options) as wayback, pytest.raises(ArchiveError, match="limit"):
        wayback.save("http://example.org/a")


def test_lookup_without_an_access_date_asks_for_the_newest(archive):
    FakeArchive.answers = {"before": snapshot("20240101000000")}
    with Wayback() as wayback:
        found = wayback.closest("http://example.org/a")
    assert found.captured == date(2024, 1, 1)
    assert "timestamp" not in lookups()[0]


def test_a_snapshot_of_an_error_page_is_no_copy(archive):
    answer = snapshot("20160301120000")
    answer["archived_snapshots"]["closest"]["status"] = "404"
    FakeArchive.answers = {"before": answer, "after": NONE}
    with Wayback() as wayback:
        assert wayback.closest("http://example.org/a", date(2016, 8, 18)) is None
