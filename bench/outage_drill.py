"""Outage drill: stop PostgreSQL under traffic, start it again, and count what readers and editors got.

Run on demand (not in CI), on a machine whose PostgreSQL cluster you may stop for a few seconds
(every other client of the cluster loses its connections too)::

    .venv/bin/python bench/outage_drill.py [--port 8030] [--outage 10] [--mode fast|immediate]

It (re)creates a scratch database (``--database``, default allmep_drill), migrates it, loads the
dataset, collects static files and serves the site with gunicorn. Reader threads then request
pages, the API and /healthz in a loop, and an editor thread logs in to the admin and saves the
coalition's English summary again and again: from a freshly loaded form when the site gives one,
from the form already open otherwise. After a warm-up the cluster is stopped with
``pg_ctlcluster --skip-systemctl-redirect <version> main stop``, kept down for ``--outage``
seconds and started again (always, in a ``finally`` block, even on Ctrl-C).

It prints the status codes by when requests were sent (up, stopping, down, starting, up again;
expected: 200s, then 503s and never a 500, then 200s), how long the site took to answer 503 after
the stop command and 200 after the start command, and checks every edit: each one
answered with a redirect (saved) must be in the database afterwards, in the history and the last
one as the current text; each one refused must have got the 503 page with the editor's text on
it, and must not be in the database.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv/bin/python")
READER_PATHS = [
    "/ar/",
    "/en/organizations/",
    "/he/events/",
    "/en/sources/",
    "/ar/organizations/allmep/",
    "/api/organizations/",
    "/healthz",
]
EDITOR = ("drill-editor", "drill-editor-password-1234")


def cluster():
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    return [version, "main"]


def pg_ctl(action, *extra):
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", *cluster(), action, *extra], check=True)


def pg_ready():
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"]).returncode == 0


def ensure_postgres_running():
    if pg_ready():
        return
    print("Starting PostgreSQL again…", flush=True)
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", *cluster(), "start"])
    for _ in range(60):
        if pg_ready():
            return
        time.sleep(0.5)
    print("!! PostgreSQL did not come back: start it by hand (pg_ctlcluster … start)", flush=True)


def psql(sql, database="postgres"):
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-tAc", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def manage(*args, env):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def prepare(database, env):
    psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{database}"')
    manage("collectstatic", "--no-input", env=env)  # first: the system checks refuse to run without it
    manage("migrate", "--no-input", env=env)
    manage("load_allmep", env=env)
    superuser = ("createsuperuser", "--no-input", "--username", EDITOR[0], "--email", "drill@example.org")
    manage(*superuser, env={**env, "DJANGO_SUPERUSER_PASSWORD": EDITOR[1]})


def serve(port, env, log):
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "allmep.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--timeout", "30"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    import httpx

    for _ in range(100):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.terminate()
    raise RuntimeError("gunicorn did not answer /healthz")


class Drill:
    def __init__(self, base):
        self.base = base
        self.stop = threading.Event()
        self.requests = []  # (sent at, answered at, status)
        self.edits = []  # (sent at, text, status)
        self.lock = threading.Lock()

    def record(self, sent, status):
        with self.lock:
            self.requests.append((sent, time.monotonic(), status))

    def reader(self, offset):
        import httpx

        with httpx.Client(base_url=self.base, timeout=10) as client:
            n = offset
            while not self.stop.is_set():
                path = READER_PATHS[n % len(READER_PATHS)]
                n += 1
                sent = time.monotonic()
                try:
                    status = client.get(path).status_code
                except httpx.HTTPError as error:
                    status = type(error).__name__
                self.record(sent, status)
                time.sleep(0.02)

    def editor(self, change_path):
        import httpx

        from tests.answers import change_form_data

        with httpx.Client(base_url=self.base, timeout=10) as client:
            while not self.stop.is_set():
                try:
                    self.log_in(client)
                    break
                except httpx.HTTPError:
                    time.sleep(0.5)
            number, data = 0, None
            while not self.stop.is_set():
                time.sleep(0.1)
                try:
                    form = client.get(change_path)
                    if form.status_code == 200:
                        data = change_form_data(form)
                except httpx.HTTPError:
                    pass
                if data is None:
                    continue
                # Without a fresh form (the outage), the editor saves the one already open.
                number += 1
                text = f"Drill edit {number} ({time.strftime('%H:%M:%S')})"
                data.update(summary_en=[text], edit_summary=[f"outage drill {number}"], _save=["Save"])
                sent = time.monotonic()
                try:
                    response = client.post(change_path, data=data, headers={"Referer": self.base + change_path})
                    status = response.status_code
                    if status == 503 and text not in response.text:
                        status = "503 without the editor's text"
                except httpx.HTTPError as error:
                    status = type(error).__name__
                with self.lock:
                    self.edits.append((sent, text, status))

    def log_in(self, client):
        from html.parser import HTMLParser

        page = client.get("/en/admin/login/")

        class Token(HTMLParser):
            value = ""

            def handle_starttag(self, tag, attrs):
                attrs = dict(attrs)
                if attrs.get("name") == "csrfmiddlewaretoken":
                    Token.value = attrs["value"]

        Token().feed(page.text)
        response = client.post(
            "/en/admin/login/?next=/en/admin/",
            data={"username": EDITOR[0], "password": EDITOR[1], "csrfmiddlewaretoken": Token.value},
            headers={"Referer": self.base + "/en/admin/login/"},
        )
        if response.status_code != 302:
            raise RuntimeError(f"could not log in: {response.status_code}")


def first(requests, since, status):
    times = [t for t, _, s in requests if t >= since and s == status]
    return min(times) - since if times else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8030)
    parser.add_argument("--database", default="allmep_drill")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of traffic before the stop")
    parser.add_argument("--outage", type=float, default=10.0, help="seconds PostgreSQL stays down")
    parser.add_argument("--after", type=float, default=8.0, help="seconds of traffic after the start")
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--mode", choices=["fast", "immediate"], default="fast", help="pg_ctl shutdown mode")
    parser.add_argument("--wait-quiet", type=float, default=300.0, help="longest wait for other clients to idle")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database afterwards")
    options = parser.parse_args()

    url = f"postgres://postgres@127.0.0.1:5432/{options.database}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_HTTPS": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECRET_KEY": "outage-drill-only-" + "x" * 40,
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    print(f"Preparing {options.database} (migrate, dataset, static files)…", flush=True)
    prepare(options.database, env)

    os.environ.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="allmep.settings", DJANGO_HTTPS="0")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import close_old_connections
    from reversion.models import Version

    from organizations.models import Organization

    coalition = Organization.objects.get(slug="allmep")
    change_path = f"/en/admin/organizations/organization/{coalition.pk}/change/"

    log_path = Path(tempfile.gettempdir()) / "allmep_outage_drill.log"  # gunicorn's stderr
    base = f"http://127.0.0.1:{options.port}"
    drill = Drill(base)
    with log_path.open("w") as log:
        server = serve(options.port, env, log)
        threads = [threading.Thread(target=drill.reader, args=(n,)) for n in range(options.readers)]
        threads.append(threading.Thread(target=drill.editor, args=(change_path,)))
        marks = {}  # stop: stop command issued; down: it returned; start: start command issued; ready
        try:
            for thread in threads:
                thread.start()
            time.sleep(options.warmup)
            waited = wait_for_quiet(options.database, options.wait_quiet)
            print(f"Stopping PostgreSQL ({options.mode}) after {waited:.0f}s waiting for other clients…", flush=True)
            marks["stop"] = time.monotonic()
            pg_ctl("stop", "-m", options.mode)
            marks["down"] = time.monotonic()
            time.sleep(max(0.0, options.outage - (time.monotonic() - marks["stop"])))
        finally:
            marks["start"] = time.monotonic()
            ensure_postgres_running()
            marks["ready"] = time.monotonic()
        try:
            time.sleep(options.after)
        finally:
            drill.stop.set()
            for thread in threads:
                thread.join(timeout=30)
            server.terminate()
            server.wait(timeout=30)

    close_old_connections()
    report(drill, coalition, marks, log_path, Version)
    if not options.keep:
        from django.db import connections

        connections.close_all()
        psql(f'DROP DATABASE IF EXISTS "{options.database}" WITH (FORCE)')


def wait_for_quiet(database, limit):
    """Give other clients of the cluster a chance to finish before pulling the plug: wait (up to
    ``limit`` seconds) for five quiet seconds in a row, with no test session connected (pytest's
    test_* databases) and no other client in a query or a transaction."""
    started = quiet_since = time.monotonic()
    sql = (
        "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' "
        f"AND pid <> pg_backend_pid() AND datname <> '{database}' "
        "AND (state <> 'idle' OR datname LIKE 'test%')"
    )
    while time.monotonic() - started < limit:
        if int(psql(sql) or 0) > 0:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= 5:
            break
        time.sleep(0.5)
    return time.monotonic() - started


WINDOWS = [
    ("up", None, "stop"),
    ("stopping", "stop", "down"),
    ("down", "down", "start"),
    ("starting", "start", "ready"),
    ("up again", "ready", None),
]


def window(marks, sent):
    """The window a request was sent in (stop/start commands issued, stop returned, server ready)."""
    for name, begin, end in WINDOWS:
        if (begin is not None and begin not in marks) or (end is not None and end not in marks):
            continue
        if (begin is None or sent >= marks[begin]) and (end is None or sent < marks[end]):
            return name
    return "up"  # the drill never stopped the server


def by_window(marks, events):
    counts = {name: Counter() for name, _, _ in WINDOWS}
    for sent, status in events:
        counts[window(marks, sent)][status] += 1
    for name, tally in counts.items():
        print(f"  {name:9} {dict(sorted(tally.items(), key=str))}")
    return counts


def first_answer(requests, since, status):
    times = [answered for sent, answered, s in requests if sent >= since and s == status]
    return min(times) - since if times else None


def report(drill, coalition, marks, log_path, Version):
    print("\nReader requests by when they were sent (status: count)")
    counts = by_window(marks, [(sent, status) for sent, _, status in drill.requests])
    fives = sum(tally[500] for tally in counts.values())
    if "down" in marks:
        stopping, down = marks["down"] - marks["stop"], marks["start"] - marks["down"]
        print(f"  stop command took {stopping:.1f}s; server down for {down:.1f}s")
        to_503 = first_answer(drill.requests, marks["stop"], 503)
        print(f"  first 503 {to_503:.2f}s after the stop command" if to_503 is not None else "  no 503 seen")
    to_200 = first_answer(drill.requests, marks["start"], 200)
    print(f"  start command returned after {marks['ready'] - marks['start']:.1f}s (server ready)")
    print(f"  first 200 {to_200:.2f}s after the start command" if to_200 is not None else "  no 200 after the start")
    failed_after_ready = sum(1 for sent, _, s in drill.requests if sent >= marks["ready"] and s != 200)
    print(f"  requests sent once the server was ready not answered 200: {failed_after_ready}")

    coalition.refresh_from_db()
    history = [version.field_dict.get("summary_en") for version in Version.objects.get_for_object(coalition)]
    accepted = [text for _, text, status in drill.edits if status == 302]
    refused = [(text, status) for _, text, status in drill.edits if status != 302]
    lost = [text for text in accepted if text not in history]
    leaked = [text for text, status in refused if text in history]
    print("\nEdits by when they were sent (status: count)")
    by_window(marks, [(sent, status) for sent, _, status in drill.edits])
    print(f"  accepted: {len(accepted)}, all in the history: {not lost}; lost: {lost}")
    print(f"  current text is the last accepted edit: {coalition.summary_en == (accepted[-1] if accepted else None)}")
    print(f"  refused edits found saved anyway: {leaked}")
    unexpected = [status for _, _, status in drill.edits if status not in (302, 503)]
    print(f"  refused with the 503 page and the editor's text: {sum(s == 503 for _, s in refused)}")
    print(f"  other answers to edits: {unexpected}")

    log_lines = [json.loads(line) for line in log_path.read_text().splitlines() if line.startswith("{")]
    statuses = Counter(line.get("status") for line in log_lines if line.get("logger") == "django.request")
    exceptions = Counter(line.get("exc_type") for line in log_lines if line.get("exc_type"))
    print(f"\nJSON log lines from gunicorn: {len(log_lines)}; django.request by status {dict(statuses)}")
    print(f"  exception types: {dict(exceptions)}")
    passed = not fives and not lost and not leaked and not unexpected and to_200 is not None
    print(f"\nRESULT: {'PASS' if passed else 'FAIL'}")


if __name__ == "__main__":
    main()
