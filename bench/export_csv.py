"""Benchmark: a 1,000,000-row CSV export through the real view, against psql's \\copy.

Run on demand (not in CI), against a PostgreSQL database you can fill::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/allmep_bench .venv/bin/python bench/export_csv.py

It migrates the database, inserts ROWS published organizations (one SQL statement; benchmark
rows are marked by their slug and removed afterwards unless --keep), serves the site with
gunicorn (one sync worker), downloads /en/export/organizations.csv over HTTP while sampling the
worker's memory, then runs ``psql -c "\\copy (SELECT …) TO STDOUT CSV"`` with the very query
the view compiles, and prints rows/s for both, their ratio, and the worker's peak RSS. It also
times the pure-Python CSV writer in-process (the path SQLite uses) for comparison.
"""

import argparse
import csv
import io
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "allmep.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import translation  # noqa: E402

from exports import writers  # noqa: E402
from records.kinds import list_tables  # noqa: E402

PREFIX = "bench-"


def fill(rows):
    """ROWS published organizations with every column filled, in three languages."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM organizations_organization WHERE slug LIKE %s", [PREFIX + "%"])
        if cursor.fetchone()[0] == rows:
            return  # kept from an earlier run (--keep)
        cursor.execute("DELETE FROM organizations_organization WHERE slug LIKE %s", [PREFIX + "%"])
        cursor.execute(
            """
            INSERT INTO organizations_organization (
                status, edit_version, created_at, updated_at, slug, name, name_ar, name_en, name_he,
                short_name, short_name_en, kind, country, website, founded, formally_founded,
                summary, summary_ar, summary_en, summary_he, description, description_en)
            SELECT 'published', 1, now(), now(), %s || n, 'منظمة ' || n, 'منظمة ' || n,
                   'Organization ' || n, 'ארגון ' || n, 'O' || n, 'O' || n, 'ngo', 'IL',
                   'https://example.org/' || n,
                   (ARRAY['2003-36', '2004-02', '2016-08-18', '2006'])[1 + n %% 4], '2006',
                   '', 'ملخص ' || n, CASE WHEN n %% 1000 = 0 THEN '=1+1' ELSE 'Summary, "quoted" ' || n END,
                   'תקציר ' || n, '', 'A paragraph of prose about organization ' || n || E'.\\nSecond line.'
            FROM generate_series(1, %s) AS n
            """,
            [PREFIX, rows],
        )
        cursor.execute("ANALYZE organizations_organization")


def remove():
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM organizations_organization WHERE slug LIKE %s", [PREFIX + "%"])


def peak_rss_kib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def worker_pid(master):
    children = Path(f"/proc/{master}/task/{master}/children")
    for _ in range(100):
        pids = children.read_text().split() if children.exists() else []
        if pids:
            return int(pids[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


def serve(port):
    # Plain HTTP on loopback: without DJANGO_HTTPS=0 the readiness check is redirected to https.
    env = {**os.environ, "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "DJANGO_DEBUG": "0", "DJANGO_HTTPS": "0"}
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "allmep.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1", "--timeout", "900"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/", timeout=5)
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not answer: " + process.stderr.read().decode()[-2000:])


def download(url):
    rows = size = 0
    last = b""
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=900) as response:
        while chunk := response.read(1 << 16):
            size += len(chunk)
            # Records end with \r\n (line breaks inside prose are bare \n); one may straddle two reads.
            rows += chunk.count(b"\r\n") + (last == b"\r" and chunk[:1] == b"\n")
            last = chunk[-1:]
    return rows - 1, size, time.perf_counter() - started  # less the header line


def psql_copy():
    """The same SELECT as the view's, with parameters inlined, through psql's \\copy."""
    table = list_tables()["organizations"]
    with translation.override("en"):
        rows = table.rows(table.queryset(), "http://127.0.0.1")
        sql, params = rows.query.sql_with_params()
        with connection.cursor() as cursor:
            select = cursor.cursor.mogrify(sql, params)
    settings = connection.settings_dict
    command = [
        "psql", "-h", settings["HOST"] or "127.0.0.1", "-p", str(settings["PORT"] or 5432),
        "-U", settings["USER"], "-d", settings["NAME"], "-X", "-q",
        "-c", f"\\copy ({' '.join(select.split())}) TO STDOUT CSV",
    ]  # fmt: skip
    started = time.perf_counter()
    env = {**os.environ, "PGPASSWORD": settings["PASSWORD"] or ""}
    result = subprocess.run(command, capture_output=True, check=True, env=env)
    seconds = time.perf_counter() - started
    # Prose holds line breaks inside quoted fields: count records, not lines.
    rows = sum(1 for _row in csv.reader(io.StringIO(result.stdout.decode(), newline="")))
    return rows, len(result.stdout), seconds


def python_writer():
    table = list_tables()["organizations"]
    rows = size = 0
    started = time.perf_counter()
    with translation.override("en"):
        for chunk in writers.csv_lines(table, table.queryset(), "http://127.0.0.1", copy=False):
            size += len(chunk)
            rows += chunk.count(b"\r\n")
    return rows - 1, size, time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--port", type=int, default=8006)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark rows afterwards")
    parser.add_argument("--skip-python", action="store_true", help="do not time the in-process Python writer")
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: the benchmark compares with psql's \\copy.")

    call_command("migrate", verbosity=0)
    print(f"Inserting {options.rows:,} organizations…", flush=True)
    fill(options.rows)
    connection.close()
    server = serve(options.port)
    try:
        worker = worker_pid(server.pid)
        baseline = peak_rss_kib(worker)
        peak = [baseline]
        done = threading.Event()

        def sample():
            while not done.wait(0.05):
                peak[0] = max(peak[0], peak_rss_kib(worker))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        view_rows, view_bytes, view_seconds = download(f"http://127.0.0.1:{options.port}/en/export/organizations.csv")
        done.set()
        sampler.join()
        peak_kib = max(peak[0], peak_rss_kib(worker))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    copy_rows, copy_bytes, copy_seconds = psql_copy()
    report = [
        ("view (gunicorn, COPY, HTTP)", view_rows, view_bytes, view_seconds),
        ("psql \\copy, same SELECT", copy_rows, copy_bytes, copy_seconds),
    ]
    if not options.skip_python:
        report.append(("Python csv writer, in-process", *python_writer()))
    print(f"{'path':34} {'rows':>10} {'MB':>8} {'seconds':>8} {'rows/s':>10}")
    for name, rows, size, seconds in report:
        print(f"{name:34} {rows:>10,} {size / 1e6:>8.1f} {seconds:>8.2f} {rows / seconds:>10,.0f}")
    print(f"view / psql rows/s ratio: {(view_rows / view_seconds) / (copy_rows / copy_seconds):.2f}")
    print(f"gunicorn worker peak RSS: {peak_kib / 1024:.0f} MiB (idle before the download: {baseline / 1024:.0f} MiB)")
    if not options.keep:
        remove()


if __name__ == "__main__":
    main()
