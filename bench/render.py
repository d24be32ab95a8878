"""In-process render benchmark: every uncached page type of bench/run.py, rendered by Django itself.

Run on demand (not in CI), after filling a database with bench/generate.py::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/allmep_bench .venv/bin/python -m bench.render \\
        [--rounds 15] [--only TEXT]

DATABASE_URL defaults to that allmep_bench database (the full-scale dataset; ``--scale 0.01`` in
allmep_bench1 is the 1% one). The pages are bench/run.py's ``pages()``, its trivial view and its
"uncached" rows, requested through Django's test client in this process: the whole middleware
stack and view, no server, no network, no load generator. Production settings (bench/settings.py),
DEBUG off, static files collected into a temporary directory (their manifest is what
``{% static %}`` reads in production), and the page cache off (DJANGO_PAGE_CACHE_SECONDS=0: no
page is read from or stored in it). The content stamp is read once for the whole run
(DJANGO_PAGE_STAMP_SECONDS), as a busy worker reads it once a second, so what is timed is the page.

Each page is requested once untimed (warming Django's caches), then ``--rounds`` interleaved
rounds time each page in turn. Printed per page: the median and 95th percentile of the wall time
in ms; the median of this process's CPU time plus its time waiting on PostgreSQL ("CPU+SQL",
which other processes on the machine disturb less); the number of queries (counted on one more
request); and the wall-time median as a multiple of the trivial view's in the same run. The
machine should be otherwise idle.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run  # noqa: E402

ROUNDS = 15


def configure(static_root):
    """bench/run.py's production environment, in this process, with the page cache off."""
    run.configure(static_root, cache_url="")
    os.environ.update(
        DJANGO_ALLOWED_HOSTS="testserver", DJANGO_PAGE_CACHE_SECONDS="0", DJANGO_PAGE_STAMP_SECONDS="3600"
    )


def get(client, path):
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    return response


class SQLClock:
    """The wall time and this process's CPU time spent in queries (an execute wrapper)."""

    def __init__(self):
        self.wall = self.cpu = 0.0

    def __call__(self, execute, sql, params, many, context):
        cpu, started = time.process_time(), time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.wall += time.perf_counter() - started
            self.cpu += time.process_time() - cpu


def measure(rows, rounds):
    """Per row: wall seconds and CPU-plus-SQL seconds per round, and the number of queries;
    rounds interleaved across the pages."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    queries = []
    for _label, path in rows:
        get(client, path)  # untimed: templates, URL resolvers, content types and the stamp cached
        with CaptureQueriesContext(connection) as captured:
            get(client, path)
        queries.append(len(captured))
    wall = [[] for _row in rows]
    busy = [[] for _row in rows]
    clock = SQLClock()
    with connection.execute_wrapper(clock):
        for number in range(rounds):
            print(f"  round {number + 1}/{rounds}", file=sys.stderr, flush=True)
            for index, (_label, path) in enumerate(rows):
                clock.wall = clock.cpu = 0.0
                cpu, started = time.process_time(), time.perf_counter()
                get(client, path)
                wall[index].append(time.perf_counter() - started)
                # CPU time outside the queries, wall time inside them.
                busy[index].append(time.process_time() - cpu - clock.cpu + clock.wall)
    return wall, busy, queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS, help=f"timed rounds per page (default {ROUNDS})")
    parser.add_argument(
        "--only", default="", help="only the rows whose label contains this text (and the trivial view)"
    )
    options = parser.parse_args()
    if options.rounds < 1:
        parser.error("--rounds must be at least 1")

    static_root = Path(tempfile.mkdtemp(prefix="allmep-bench-static-"))
    try:
        configure(static_root)
        run.prepare_synthetic_site()
        from django.db import connection

        rows = [
            (label, path)
            for label, path, mode in run.pages()
            if mode == "trivial" or (mode == "uncached" and options.only in label)
        ]
        size = run.dataset_size()
        wall, busy, queries = measure(rows, options.rounds)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)

    print(f"\nDataset: {size} ({connection.settings_dict['NAME']}).")
    print(
        f"In-process: Django's test client, DEBUG off, page cache off; {options.rounds} interleaved rounds;"
        f" wall time per request on {os.cpu_count()} cores.\n"
    )
    trivial = statistics.median(wall[0])
    print(f"{'page':34} {'median ms':>9} {'p95 ms':>7} {'CPU+SQL ms':>10} {'queries':>7} {'× trivial':>9}")
    for (label, _path), times, cpu, count in zip(rows, wall, busy, queries, strict=True):
        median = statistics.median(times)
        print(
            f"{label:34} {median * 1000:9.2f} {run.percentile(times, 0.95) * 1000:7.2f}"
            f" {statistics.median(cpu) * 1000:10.2f} {count:7} {median / trivial:9.1f}"
        )


if __name__ == "__main__":
    main()
