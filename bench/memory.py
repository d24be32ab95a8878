"""Memory of one gunicorn worker under reader requests with random query strings.

Run on demand (not in CI)::

    .venv/bin/python bench/memory.py [--requests 100000] [--every 5000] [--cache-url redis://…]

The server is bench/run.py's (production settings, DEBUG off, static files collected into a
temporary STATIC_ROOT, plain HTTP), with one sync worker, on the ALLMEP dataset: a fresh SQLite
database in a temporary folder, migrated and loaded with ``load_allmep``, unless DATABASE_URL
names one that already holds it. Every request asks for one of a mix of reader pages (every page
type, in ar, en and he) with a query string no view reads (``?<name>=<random>``, as a cache-buster
or a crawler's tracking parameters make), so every request misses the page cache and its page is
stored. The worker's resident memory (VmRSS in /proc/PID/status) is printed after start-up, after
one request to each page (the baseline), then every ``--every`` requests, with its peak (VmHWM);
last, the page cache's bound in bytes as the settings give it.
"""

import argparse
import io
import os
import random
import shutil
import string
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import configure, fetch, serve

MIB = 1 << 20
NOISE_NAMES = ("v", "_", "nocache", "utm_source", "ref", "cb")


def reader_pages():
    """Every reader page type in each language, with a few records of each kind."""
    from events.models import Event, Meeting
    from organizations.models import Organization

    organizations = list(Organization.objects.published().order_by("slug").values_list("slug", flat=True)[:6])
    events = list(Event.objects.published().order_by("slug").values_list("slug", flat=True)[:4])
    meetings = list(Meeting.objects.published().order_by("pk")[:2])
    paths = []
    for language in ("ar", "en", "he"):
        prefix = f"/{language}"
        paths += [f"{prefix}/", f"{prefix}/organizations/", f"{prefix}/events/", f"{prefix}/events/meetings/"]
        paths += [f"{prefix}/sources/", f"{prefix}/search/?q=peace"]
        paths += [f"{prefix}/organizations/{slug}/" for slug in organizations]
        paths += [f"{prefix}/events/{slug}/" for slug in events]
        for meeting in meetings:
            path = meeting.get_absolute_url()
            paths.append(prefix + path[path.index("/", 1) :])
    return paths


def noisy(path, rng):
    """The address with one parameter no view reads, as a cache-buster adds."""
    value = "".join(rng.choices(string.ascii_lowercase + string.digits, k=rng.randint(4, 16)))
    separator = "&" if "?" in path else "?"
    return f"{path}{separator}{urllib.parse.urlencode({rng.choice(NOISE_NAMES): value})}"


def worker_pid(master):
    """The one worker gunicorn started (the master's child)."""
    for _ in range(100):
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise SystemExit("gunicorn started no worker")


def memory(pid):
    """(VmRSS, VmHWM) of a process, in MiB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    return tuple(int(fields[name].split()[0]) / 1024 for name in ("VmRSS", "VmHWM"))


def load(base, paths, count, clients, seed, failures):
    """``count`` requests, shared by ``clients`` threads, each with a query string of its own."""

    def client(index):
        rng = random.Random(seed * 1000 + index)
        for _ in range(count // clients + (index < count % clients)):
            status = fetch(base + noisy(rng.choice(paths), rng))[0]
            if status != 200:
                failures.append(status)

    threads = [threading.Thread(target=client, args=(index,)) for index in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000, help="requests in all (default 100,000)")
    parser.add_argument("--every", type=int, default=0, help="print memory every N requests (default: 20 times)")
    parser.add_argument("--clients", type=int, default=2, help="concurrent client threads (default 2)")
    parser.add_argument("--port", type=int, default=8041)
    parser.add_argument("--cache-url", default="", help="Redis URL for the page cache (default: process memory)")
    parser.add_argument(
        "--max-bytes", type=int, help="DJANGO_PAGE_CACHE_MAX_BYTES for the server (default: the settings')"
    )
    parser.add_argument("--seed", type=int, default=12)
    options = parser.parse_args()
    every = options.every or max(1, options.requests // 20)

    work = Path(tempfile.mkdtemp(prefix="allmep-bench-memory-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{work / 'db.sqlite3'}")
    configure(work / "static", options.cache_url)
    if options.max_bytes is not None:
        os.environ["DJANGO_PAGE_CACHE_MAX_BYTES"] = str(options.max_bytes)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from organizations.models import Organization

    call_command("migrate", verbosity=0)
    if not Organization.objects.exists():
        call_command("load_allmep", verbosity=0, stdout=io.StringIO())
    call_command("collectstatic", interactive=False, verbosity=0)
    paths = reader_pages()
    caches = {alias: settings.CACHES[alias] for alias in ("pages", "pages-local") if alias in settings.CACHES}
    connection.close()

    base = f"http://127.0.0.1:{options.port}"
    log = open(work / "gunicorn.log", "w+")  # noqa: SIM115 (open while the server runs)
    server = serve(options.port, 1, log)
    try:
        pid = worker_pid(server.pid)
        print(f"{len(paths)} reader pages; worker {pid}; {options.clients} clients.", flush=True)
        print(f"{'requests':>9} {'RSS MiB':>8} {'peak MiB':>9} {'req/s':>7}", flush=True)
        print(f"{'start':>9} {memory(pid)[0]:8.1f} {memory(pid)[1]:9.1f}", flush=True)
        for path in paths:
            status = fetch(base + path)[0]
            if status != 200:
                log.seek(0)
                raise SystemExit(f"{path} answered {status}; the server's log ends:\n{log.read()[-4000:]}")
        baseline = memory(pid)[0]
        print(f"{'baseline':>9} {baseline:8.1f} {memory(pid)[1]:9.1f}", flush=True)
        failures, done, step = [], 0, 0
        while done < options.requests:
            count = min(every, options.requests - done)
            started = time.perf_counter()
            load(base, paths, count, options.clients, options.seed + step, failures)
            if server.poll() is not None:
                log.seek(0)
                raise SystemExit(f"the server stopped after {done:,} requests; its log ends:\n{log.read()[-4000:]}")
            rate = count / (time.perf_counter() - started)
            done, step = done + count, step + 1
            rss, peak = memory(pid)
            print(f"{done:9,} {rss:8.1f} {peak:9.1f} {rate:7.1f}", flush=True)
        rss, peak = memory(pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()

    print(f"\nAfter {options.requests:,} requests: RSS {rss:.1f} MiB, {rss - baseline:+.1f} MiB over the baseline")
    print(f"({baseline:.1f} MiB), peak {peak:.1f} MiB; {len(failures)} answers other than 200.")
    for alias, cache in caches.items():
        options_ = cache.get("OPTIONS", {})
        bound = options_.get("MAX_BYTES")
        stated = f"{bound / MIB:g} MiB" if bound is not None else "none in bytes"
        entries = options_.get("MAX_ENTRIES", "")
        print(f"Cache {alias!r}: {cache['BACKEND']}, bound {stated}, MAX_ENTRIES {entries}.")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
