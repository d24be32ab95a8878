"""The link checker against a local HTTP server on 127.0.0.1: no test touches the internet."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import reversion
from django.contrib import messages
from django.core.management import call_command
from django.utils import translation
from reversion.models import Version

from citations import linkcheck
from citations.linkcheck import LinkChecker, check_sources, decide_link_status
from citations.management.commands.check_links import Command as CheckLinks
from citations.models import LinkCheck, LinkOverride, LinkStatus, Source
from records import versioning

PAGE = b"<html><head><title>%s</title></head><body>ALLMEP</body></html>"


class Handler(BaseHTTPRequestHandler):
    # Path -> (status, headers, title). HEAD and GET both answer from it unless said otherwise.
    routes = {
        "/": (200, {}, b"Home"),
        "/ok": (200, {}, b"Alliance for Middle East Peace"),
        "/missing": (404, {}, b"Not here"),
        "/gone": (410, {}, b"Gone"),
        "/error": (500, {}, b"Oops"),
        "/forbidden": (403, {}, b"Forbidden"),
        "/chain/1": (301, {"Location": "/chain/2"}, b""),
        "/chain/2": (302, {"Location": "http://127.0.0.1:{port}/chain/3"}, b""),
        "/chain/3": (200, {}, b"Arrived"),
        "/moved-home": (301, {"Location": "/"}, b""),
        "/old-page": (302, {"Location": "/errors/404.html"}, b""),
        "/errors/404.html": (200, {}, b"Sorry"),
        "/old-article": (302, {"Location": "/oops"}, b""),
        "/oops": (200, {}, b"Page not found - Example News"),
        "/loop": (302, {"Location": "/loop"}, b""),
        "/to-private": (302, {"Location": "http://10.0.0.1/internal"}, b""),
        "/to-ftp": (302, {"Location": "ftp://127.0.0.1/file"}, b""),
    }
    flaky_status = 200
    requests = []

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self.answer(send_body=False)

    def do_GET(self):
        self.answer(send_body=True)

    def answer(self, send_body):
        type(self).requests.append((self.command, self.path))
        port = self.server.server_address[1]
        if self.path == "/slow":
            time.sleep(1.5)
        if self.path == "/huge":
            return self.huge(send_body)
        if self.path == "/flaky":
            status, headers, title = type(self).flaky_status, {}, b"Flaky"
        elif self.path == "/head-refused" and not send_body:
            status, headers, title = 405, {}, b""
        else:
            status, headers, title = self.routes.get(self.path.split("?")[0], (200, {}, b"Page"))
        body = PAGE % title
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value.replace("{port}", str(port)))
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def huge(self, send_body):
        if not send_body:  # a server that refuses HEAD and then sends an endless body
            self.send_response(405)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.end_headers()
        try:
            for _ in range(10_000):  # 640 MB if nobody stops reading
                self.wfile.write(b"x" * 65536)
        except OSError:
            pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    Handler.requests = []
    Handler.flaky_status = 200
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def linkcheck_settings(settings):
    settings.LINKCHECK = {
        "PER_HOST_INTERVAL": 0,
        "ALLOW_LOOPBACK": True,
        "TIMEOUT": 0.5,
        "MAX_BODY_BYTES": 65536,
        "ARCHIVE": False,
        "CONCURRENCY": 4,
    }
    return settings


def fetch(url):
    with linkcheck.Fetcher() as fetcher:
        return fetcher.fetch(url)


def make_source(url, key="src", **fields):
    return Source.objects.create(key=key, title="A source", url=url, **fields)


# --- What one check finds ---------------------------------------------------------------------


def test_a_page_that_answers_is_live_with_head_only(server):
    result = fetch(f"{server}/ok")
    assert (result.outcome, result.status_code, result.method) == ("ok", 200, "HEAD")
    assert Handler.requests == [("HEAD", "/ok")]


@pytest.mark.parametrize(
    ("path", "outcome", "status"),
    [("/missing", "not_found", 404), ("/gone", "gone", 410), ("/error", "server_error", 500)],
)
def test_error_answers_are_confirmed_with_get(server, path, outcome, status):
    result = fetch(server + path)
    assert (result.outcome, result.status_code, result.method) == (outcome, status, "GET")
    assert Handler.requests == [("HEAD", path), ("GET", path)]
    assert result.is_failure


def test_head_refused_then_get_answers(server):
    result = fetch(f"{server}/head-refused")
    assert (result.outcome, result.method) == ("ok", "GET")


def test_hosts_known_to_answer_head_wrongly_get_get_at_once(server, settings):
    settings.LINKCHECK = {**settings.LINKCHECK, "GET_ONLY_HOSTS": ["127.0.0.1"]}
    result = fetch(f"{server}/ok")
    assert (result.outcome, result.method) == ("ok", "GET")
    assert Handler.requests == [("GET", "/ok")]


def test_a_site_refusing_robots_is_inconclusive(server):
    result = fetch(f"{server}/forbidden")
    assert result.outcome == "refused_by_site"
    assert not result.is_failure and not result.is_success


def test_timeout(server):
    result = fetch(f"{server}/slow")
    assert result.outcome == "timeout"


def test_redirect_chain_is_followed_and_recorded(server):
    result = fetch(f"{server}/chain/1")
    assert result.outcome == "ok"
    assert result.final_url == f"{server}/chain/3"
    assert result.redirects == [
        {"url": f"{server}/chain/1", "status": 301},
        {"url": f"{server}/chain/2", "status": 302},
    ]


@pytest.mark.parametrize("path", ["/moved-home", "/old-page", "/old-article"])
def test_soft_404_redirect_to_home_or_error_page(server, path):
    result = fetch(server + path)
    assert result.outcome == "soft_404"
    assert result.is_failure


def test_redirect_loop_fails(server):
    result = fetch(f"{server}/loop")
    assert result.outcome == "redirects"
    assert len(result.redirects) == 11


def test_connection_refused():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = fetch(f"http://127.0.0.1:{port}/page")
    assert result.outcome == "connection"


def test_tls_failure(server):
    # An https URL on a server that speaks plain HTTP: the handshake fails.
    result = fetch(server.replace("http://", "https://") + "/ok")
    assert result.outcome == "tls"


def test_dns_failure(monkeypatch):
    def no_such_host(host, port):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(linkcheck, "resolve", no_such_host)
    result = fetch("http://no-such-host.invalid/page")
    assert result.outcome == "dns"


def test_huge_body_is_read_up_to_the_cap(server):
    result = fetch(f"{server}/huge")
    assert (result.outcome, result.method) == ("ok", "GET")
    assert result.bytes_read == 65536


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/file", "file:///etc/passwd", "gopher://127.0.0.1/"])
def test_only_http_and_https_are_fetched(url):
    result = fetch(url)
    assert result.outcome == "not_checked"
    assert "http" in result.error


def test_redirect_to_another_scheme_is_refused(server):
    result = fetch(f"{server}/to-ftp")
    assert result.outcome == "not_checked"
    assert result.redirects == [{"url": f"{server}/to-ftp", "status": 302}]


def test_loopback_is_refused_unless_allowed(server, settings):
    settings.LINKCHECK = {**settings.LINKCHECK, "ALLOW_LOOPBACK": False}
    result = fetch(f"{server}/ok")
    assert result.outcome == "not_checked"
    assert "loopback" in result.error
    assert Handler.requests == []


@pytest.mark.parametrize("address", ["10.0.0.5", "192.168.1.1", "169.254.169.254", "224.0.0.1", "::ffff:10.0.0.1"])
def test_private_addresses_are_refused_after_resolving(monkeypatch, address):
    monkeypatch.setattr(linkcheck, "resolve", lambda host, port: ["93.184.216.34", address])
    result = fetch("http://intranet.example.org/page")
    assert result.outcome == "not_checked"


def test_redirect_hops_are_checked_again(server):
    result = fetch(f"{server}/to-private")
    assert result.outcome == "not_checked"
    assert "10.0.0.1" in result.error
    assert result.redirects == [{"url": f"{server}/to-private", "status": 302}]


def test_requests_go_to_the_checked_address_with_the_original_host(server, monkeypatch):
    port = server.rsplit(":", 1)[1]
    monkeypatch.setattr(linkcheck, "resolve", lambda host, port: ["127.0.0.1"])
    result = fetch(f"http://sources.example.test:{port}/ok")
    assert result.outcome == "ok"
    assert result.final_url == f"http://sources.example.test:{port}/ok"


def test_per_host_spacing_spaces_requests_to_one_host():
    spacing = linkcheck.HostSpacing(0.2)
    spacing.wait("a.example")
    started = time.monotonic()
    spacing.wait("b.example")  # another host: no wait
    assert time.monotonic() - started < 0.2
    spacing.wait("a.example")
    assert time.monotonic() - started >= 0.15


# --- When a link is dead ----------------------------------------------------------------------


class Check:
    def __init__(self, day, outcome):
        self.checked_at = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=day)
        self.outcome = outcome


def newest_first(*checks):
    return sorted((Check(day, outcome) for day, outcome in checks), key=lambda c: c.checked_at, reverse=True)


def test_dead_needs_three_failures_three_days_apart():
    close_together = newest_first((0, "not_found"), (1, "not_found"), (2, "not_found"), (2.5, "timeout"))
    assert decide_link_status("live", "", close_together) == "live"
    spread = newest_first((0, "not_found"), (1, "not_found"), (3, "timeout"), (5, "not_found"), (6, "not_found"))
    assert decide_link_status("live", "", spread) == "dead"


def test_one_good_answer_resets_the_count():
    checks = newest_first((0, "not_found"), (3, "not_found"), (4, "ok"), (7, "not_found"), (10, "not_found"))
    assert decide_link_status("live", "", checks) == "live"
    assert decide_link_status("dead", "", newest_first((0, "gone"), (3, "gone"), (6, "gone"), (7, "ok"))) == "live"


def test_inconclusive_checks_neither_kill_nor_revive():
    checks = newest_first((0, "not_found"), (3, "not_found"), (6, "not_found"), (7, "refused_by_site"))
    assert decide_link_status("live", "", checks) == "dead"
    assert decide_link_status("unknown", "", newest_first((0, "not_checked"))) == "unknown"


def test_overrides_and_usurped_win():
    dead_checks = newest_first((0, "gone"), (3, "gone"), (6, "gone"))
    assert decide_link_status("live", LinkOverride.LIVE, dead_checks) == "live"
    assert decide_link_status("live", LinkOverride.SUBSCRIPTION, dead_checks) == "live"
    assert decide_link_status("live", LinkOverride.DEAD, newest_first((0, "ok"))) == "dead"
    assert decide_link_status("usurped", "", newest_first((0, "ok"))) == "usurped"


@pytest.mark.django_db
def test_a_source_becomes_dead_only_after_failures_spread_over_days(server):
    source = make_source(f"{server}/flaky", link_status=LinkStatus.LIVE)
    Handler.flaky_status = 404
    start = datetime(2025, 3, 1, 9, tzinfo=UTC)
    for day in (0, 1, 2, 3, 5):
        check_sources([source], clock=lambda day=day: start + timedelta(days=day))
        source.refresh_from_db()
        assert source.link_status == LinkStatus.LIVE, day
    check_sources([source], clock=lambda: start + timedelta(days=6))
    source.refresh_from_db()
    assert source.link_status == LinkStatus.DEAD
    assert source.link_checks.count() == 6

    Handler.flaky_status = 200
    check_sources([source], clock=lambda: start + timedelta(days=7))
    source.refresh_from_db()
    assert source.link_status == LinkStatus.LIVE
    assert source.last_successful_check == start + timedelta(days=7)


@pytest.mark.django_db
def test_every_check_is_kept_with_its_details(server):
    source = make_source(f"{server}/chain/1")
    counts = check_sources([source])
    check = LinkCheck.objects.get(source=source)
    assert (check.outcome, check.status_code, check.method) == ("ok", 200, "GET")
    assert check.final_url == f"{server}/chain/3"
    assert [hop["status"] for hop in check.redirects] == [301, 302]
    assert check.url == source.url
    assert check.error == ""
    assert counts["checked"] == 1
    source.refresh_from_db()
    assert source.link_status == LinkStatus.LIVE


@pytest.mark.django_db
def test_an_unexpected_error_on_one_source_does_not_stop_the_others(server, monkeypatch):
    real_fetch = linkcheck.Fetcher.fetch

    def fetch_or_crash(self, url):
        if url.endswith("/crash"):
            raise ValueError("a bug")
        return real_fetch(self, url)

    monkeypatch.setattr(linkcheck.Fetcher, "fetch", fetch_or_crash)
    sources = [make_source(f"{server}/crash", key="crash"), make_source(f"{server}/ok", key="fine")]
    counts = check_sources(sources)
    assert (counts["errors"], counts["checked"]) == (1, 1)
    assert list(LinkCheck.objects.values_list("source__key", flat=True)) == ["fine"]


@pytest.mark.django_db
def test_checks_of_an_old_url_do_not_count_after_an_editor_fixes_it(server):
    source = make_source(f"{server}/missing")
    start = datetime(2025, 3, 1, tzinfo=UTC)
    for day in (0, 3):
        check_sources([source], clock=lambda day=day: start + timedelta(days=day))
    source.url = f"{server}/flaky"
    source.save()
    Handler.flaky_status = 404
    check_sources([source], clock=lambda: start + timedelta(days=6))
    source.refresh_from_db()
    assert source.link_status == LinkStatus.UNKNOWN


@pytest.mark.django_db
def test_editor_overrides_win_over_the_checker(server):
    live = make_source(f"{server}/ok", key="forced-dead", link_override=LinkOverride.DEAD)
    assert live.link_status == LinkStatus.DEAD  # the override applies on save, before any check
    paywalled = make_source(f"{server}/forbidden", key="paywalled", link_override=LinkOverride.SUBSCRIPTION)
    kept = make_source(f"{server}/gone", key="kept-live", link_override=LinkOverride.LIVE)
    start = datetime(2025, 3, 1, tzinfo=UTC)
    for day in (0, 3, 6, 9):
        check_sources([live, paywalled, kept], clock=lambda day=day: start + timedelta(days=day))
    statuses = dict(Source.objects.values_list("key", "link_status"))
    assert statuses == {"forced-dead": "dead", "paywalled": "live", "kept-live": "live"}
    assert paywalled.requires_subscription
    assert LinkCheck.objects.count() == 12  # still checked: editors see the history


@pytest.mark.django_db
def test_checker_changes_are_a_revision_by_link_checker(server):
    with versioning.revision("Add source"):
        source = make_source(f"{server}/ok")
    with translation.override("en"):  # the comment is written in the checker's language
        check_sources([source])
    source.refresh_from_db()
    versions = Version.objects.get_for_object(source)
    assert versions.count() == 2
    latest = versions.first()
    assert latest.revision.user.username == "link-checker"
    assert not latest.revision.user.has_usable_password()
    assert "link status" in latest.revision.get_comment().lower()
    assert latest.field_dict["link_status"] == "live"

    # A check that changes nothing makes no revision.
    check_sources([source])
    assert Version.objects.get_for_object(source).count() == 2

    # And the change can be reverted like any edit.
    versions.last().revision.revert()
    source.refresh_from_db()
    assert source.link_status == LinkStatus.UNKNOWN


@pytest.mark.django_db
def test_an_editor_save_during_the_check_is_not_overwritten(server):
    source = make_source(f"{server}/ok")
    checker = LinkChecker(linkcheck.config())
    job = linkcheck.Job(source.pk, source.url, None, False)
    with linkcheck.Fetcher(checker.options) as fetcher:
        work = checker._work(fetcher, None, job)
    editor_copy = Source.objects.get(pk=source.pk)
    editor_copy.title = "Edited while the check ran"
    editor_copy.save()
    checker.record(job, work)
    source.refresh_from_db()
    assert (source.title, source.link_status) == ("Edited while the check ran", LinkStatus.LIVE)


@pytest.mark.django_db
def test_link_health_annotation_reads_in_one_query(server, django_assert_num_queries):
    first = make_source(f"{server}/ok", key="first")
    make_source(f"{server}/missing", key="second")
    check_sources(Source.objects.all())
    with django_assert_num_queries(1):
        sources = list(Source.objects.with_link_health().order_by("key"))
        assert sources[0].last_successful_check is not None
        assert sources[1].last_successful_check is None
        assert sources[1].link_last_checked_at is not None
    assert first.last_successful_check == sources[0].link_last_ok_at


@pytest.mark.django_db
def test_preferred_url_is_the_archive_once_the_original_is_dead():
    source = make_source("https://example.org/a", archive_url="https://web.archive.org/web/2019/https://example.org/a")
    assert source.preferred_url == "https://example.org/a"
    source.link_status = LinkStatus.DEAD
    assert source.preferred_url == source.archive_url


@pytest.mark.django_db
def test_command_checks_stale_sources_only(server):
    fresh = make_source(f"{server}/ok", key="fresh")
    make_source(f"{server}/missing", key="stale")
    make_source("", key="no-url")
    check_sources([fresh])
    out = _call("check_links")
    assert "checked: 1" in out
    assert Handler.requests.count(("GET", "/missing")) == 1
    assert "checked: 2" in _call("check_links", "--stale-hours", "0")


@pytest.mark.django_db
def test_command_refuses_an_unknown_source_key():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="nope"):
        _call("check_links", "--source", "nope")


def _call(*args):
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def linkcheck_options_under(**env):
    """The link checker's options in a fresh process of the project's settings, under ``env``."""
    variables = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LINKCHECK_"))}
    script = "import json, django; django.setup(); from citations.linkcheck import config; print(json.dumps(config()))"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[2],
        env={**variables, "DJANGO_SETTINGS_MODULE": "allmep.settings", "DJANGO_SECRET_KEY": "x" * 50, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def concurrency_help():
    parser = CheckLinks().create_parser("manage.py", "check_links")
    option = next(action for action in parser._actions if "--concurrency" in action.option_strings)
    return option.help


def test_the_settings_leave_the_documented_defaults_to_the_link_checker(settings):
    # README: LINKCHECK_CONCURRENCY and LINKCHECK_PER_HOST_INTERVAL default to 8 checks and 1 second.
    defaults = linkcheck_options_under()
    assert (defaults["CONCURRENCY"], defaults["PER_HOST_INTERVAL"]) == (8, 1.0)
    assert {name: defaults[name] for name in linkcheck.DEFAULTS} == linkcheck.DEFAULTS
    tuned = linkcheck_options_under(LINKCHECK_CONCURRENCY="3", LINKCHECK_PER_HOST_INTERVAL="0.5")
    assert (tuned["CONCURRENCY"], tuned["PER_HOST_INTERVAL"]) == (3, 0.5)

    settings.LINKCHECK = {}
    assert concurrency_help().startswith("Parallel checks (default 8,")
    settings.LINKCHECK = {"CONCURRENCY": 3}
    assert concurrency_help().startswith("Parallel checks (default 3,")


def test_reversion_is_registered_for_sources():
    assert reversion.is_registered(Source)
    assert not reversion.is_registered(LinkCheck)


# --- Admin -------------------------------------------------------------------------------------


def changelist(client, **params):
    from django.urls import reverse

    response = client.get(reverse("admin:citations_source_changelist"), params)
    assert response.status_code == 200
    return {source.key for source in response.context["cl"].result_list}


@pytest.mark.django_db
def test_admin_filters_find_dead_links_without_archive_and_stale_checks(admin_client, server):
    make_source(f"{server}/a", key="dead-bare", link_status=LinkStatus.DEAD)
    make_source(f"{server}/b", key="dead-archived", link_status=LinkStatus.DEAD, archive_url="https://archive.ph/x")
    make_source(f"{server}/missing", key="failing", link_status=LinkStatus.LIVE)
    make_source(f"{server}/ok", key="fine", link_override=LinkOverride.SUBSCRIPTION)
    check_sources(Source.objects.filter(key__in=["failing", "fine"]))

    assert changelist(admin_client, link_health="dead-unarchived") == {"dead-bare"}
    assert changelist(admin_client, link_health="failing") == {"failing"}
    assert changelist(admin_client, link_health="never") == {"dead-bare", "dead-archived"}
    assert changelist(admin_client, link_health="overridden") == {"fine"}
    assert changelist(admin_client, last_check="week") == {"failing", "fine"}
    assert changelist(admin_client, last_check="never") == {"dead-bare", "dead-archived"}


@pytest.mark.django_db
def test_admin_check_now_action_records_a_revision_by_link_checker(admin_client, server):
    from django.urls import reverse

    with versioning.revision("Add sources"):
        first = make_source(f"{server}/ok", key="first")
        second = make_source(f"{server}/chain/1", key="second")
    with translation.override("en"):  # an English editor: the comment is written in English
        response = admin_client.post(
            reverse("admin:citations_source_changelist"),
            {"action": "check_links_now", "_selected_action": [first.pk, second.pk]},
            follow=True,
        )
    assert response.status_code == 200
    [message] = response.context["messages"]
    assert message.level == messages.SUCCESS
    assert LinkCheck.objects.count() == 2
    assert set(Source.objects.values_list("link_status", flat=True)) == {"live"}
    revision = Version.objects.get_for_object(first).first().revision
    assert revision.user.username == "link-checker"
    assert revision.version_set.count() == 2  # both sources, in the action's one revision
    assert revision.get_comment().lower().count("link status") == 2


@pytest.mark.django_db
def test_admin_check_now_refuses_too_many_sources(admin_client, settings):
    from django.urls import reverse

    settings.LINKCHECK = {**settings.LINKCHECK, "ADMIN_MAX_SOURCES": 1}
    ids = [make_source(f"https://example.org/{n}", key=f"s{n}").pk for n in range(2)]
    response = admin_client.post(
        reverse("admin:citations_source_changelist"),
        {"action": "check_links_now", "_selected_action": ids},
        follow=True,
    )
    [message] = response.context["messages"]
    assert message.level == messages.ERROR
    assert LinkCheck.objects.count() == 0


@pytest.mark.django_db
def test_admin_change_form_shows_the_check_history_read_only(client, server, django_user_model):
    from django.contrib.auth.models import Permission
    from django.urls import reverse

    editor = django_user_model.objects.create_user("editor", password="x" * 12, is_staff=True)
    editor.user_permissions.add(*Permission.objects.filter(codename__in=["view_source", "change_source"]))
    client.force_login(editor)
    source = make_source(f"{server}/chain/1")
    check_sources([source])
    response = client.get(reverse("admin:citations_source_change", args=[source.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"{server}/chain/3" in page
    assert "301" in page and "302" in page
    inline = next(f for f in response.context["inline_admin_formsets"] if f.opts.model is LinkCheck)
    assert not inline.has_change_permission and not inline.has_add_permission and not inline.has_delete_permission
    assert 'name="link_override"' in page


@pytest.mark.django_db
def test_admin_saves_an_override_with_the_history_inline_present(admin_client, server):
    from django.urls import reverse

    source = make_source(f"{server}/ok", link_status=LinkStatus.LIVE)
    check_sources([source])
    url = reverse("admin:citations_source_change", args=[source.pk])
    response = admin_client.get(url)
    data = {}
    for formset in [response.context["adminform"].form, *response.context["inline_admin_formsets"]]:
        form = formset if not hasattr(formset, "formset") else formset.formset.management_form
        for name in form.fields:
            value = form[name].value()
            if value is not None:
                data[form.add_prefix(name)] = value
    data["link_override"] = LinkOverride.DEAD
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    source.refresh_from_db()
    assert (source.link_override, source.link_status) == ("dead", "dead")
    assert source.link_checks.count() == 1
