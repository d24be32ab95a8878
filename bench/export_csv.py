"""Benchmark: a 1,000,000-row CSV export through the real view, against psql copying the same data.

Run on demand (not in CI)::

    .venv/bin/python bench/export_csv.py

It uses a PostgreSQL database of its own, ``allmep_csv`` on 127.0.0.1 (created when missing;
``DATABASE_URL`` names another), migrates it, inserts ROWS published organizations (one SQL
statement; benchmark rows are marked by their slug and removed afterwards unless --keep), serves
the site with gunicorn (one sync worker) and then, in interleaved rounds (the order alternates):

- downloads /en/export/organizations.csv over HTTP, sampling the worker's memory;
- runs ``psql -c "COPY (…) TO STDOUT WITH (FORMAT csv)"`` with the very statement the view runs
  (its query, its base URL and its formula neutralisation: the bytes it gets are the view's, less
  the byte-order mark, the header and the \\r before each record's \\n). That is what ``\\copy …
  TO STDOUT`` sends; ``\\copy`` itself takes one line, and the query's text literals hold line
  breaks;
- and psql copying the table's SELECT alone, without the neutralisation: what the view was first
  measured against (issue 12).

Both are read by this script the same way (64 KiB reads written to a file); each round checks the
two files hold the same records. It prints every round, the medians with their spread, rows/s,
their ratio, the CPU seconds each side spends outside PostgreSQL, and the worker's peak RSS. It
also times the pure-Python CSV writer in-process (the path SQLite uses) for comparison.
"""

import argparse
import hashlib
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "allmep.settings")
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/allmep_csv"


def ensure_default_database():
    """Without DATABASE_URL: the benchmark's own database, created when missing."""
    if os.environ.get("DATABASE_URL"):
        return
    os.environ["DATABASE_URL"] = DEFAULT_DATABASE
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = 'allmep_csv'").fetchone():
            connection.execute("CREATE DATABASE allmep_csv")


ensure_default_database()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import translation  # noqa: E402

from exports import writers  # noqa: E402
from records.kinds import list_tables  # noqa: E402

PREFIX = "bench-"
READ_BYTES = 1 << 16


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


def cpu_seconds(pid):
    """User and system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


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


def receive(stream, path):
    """Write what ``stream`` gives to ``path`` as it comes: both sides are read this one way."""
    with open(path, "wb") as out:
        while block := stream.read(READ_BYTES):
            out.write(block)


def download(url, path):
    """Seconds to fetch ``url`` into ``path``, and the CPU seconds this process spent on it."""
    cpu = time.process_time()
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=900) as response:
        receive(response, path)
    return time.perf_counter() - started, time.process_time() - cpu


def copy_commands(base_url):
    """psql running the COPY statement the view runs for the same address, and psql copying the
    table's SELECT alone (what the issue measured against: no formula neutralisation, so not quite
    the same bytes)."""
    table = list_tables()["organizations"]
    with translation.override("en"):
        rows, columns = table.rows(table.queryset(), base_url), table.columns(base_url)
        statement, params = writers.copy_statement(rows, columns)
        select, select_params = rows.query.sql_with_params()
        with connection.cursor() as cursor:
            statement = cursor.cursor.mogrify(statement, params)
            select = cursor.cursor.mogrify(select, select_params)
    settings = connection.settings_dict
    psql = [
        "psql", "-h", settings["HOST"] or "127.0.0.1", "-p", str(settings["PORT"] or 5432),
        "-U", settings["USER"], "-d", settings["NAME"], "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c",
    ]  # fmt: skip
    env = {**os.environ, "PGPASSWORD": settings["PASSWORD"] or ""}
    return {
        "psql": ([*psql, statement], env),
        "select": ([*psql, f"COPY ({select}) TO STDOUT WITH (FORMAT csv)"], env),
    }


def psql_copy(command, env, path):
    """Seconds psql takes to stream the rows into ``path`` through this process, and the CPU seconds
    spent outside PostgreSQL (psql's and this process's)."""
    cpu = time.process_time() + children_cpu_seconds()
    started = time.perf_counter()
    with subprocess.Popen(command, stdout=subprocess.PIPE, env=env) as process:
        receive(process.stdout, path)
    seconds = time.perf_counter() - started
    if process.returncode:
        raise RuntimeError(f"psql failed ({process.returncode})")
    return seconds, time.process_time() + children_cpu_seconds() - cpu


def records_as_copied(path):
    """The view's CSV as COPY writes it (no BOM, no header, records ending with \\n), and how many
    records it has. The benchmark's rows hold bare \\n inside fields and never \\r\\n."""
    digest = hashlib.sha256()
    records = 0
    with open(path, "rb") as data:
        data.readline()  # the byte-order mark and the header
        carry = b""
        while block := data.read(1 << 20):
            block = carry + block
            carry = block[-1:] if block.endswith(b"\r") else b""
            block = block[: len(block) - len(carry)]
            records += block.count(b"\r\n")
            digest.update(block.replace(b"\r\n", b"\n"))
        digest.update(carry)
    return records, digest.hexdigest()


def file_digest(path):
    digest = hashlib.sha256()
    with open(path, "rb") as data:
        while block := data.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def python_writer():
    table = list_tables()["organizations"]
    rows = size = 0
    started = time.perf_counter()
    with translation.override("en"):
        for chunk in writers.csv_lines(table, table.queryset(), "http://127.0.0.1", copy=False):
            size += len(chunk)
            rows += chunk.count(b"\r\n")
    return rows - 1, size, time.perf_counter() - started


def spread(values, unit=""):
    return f"{statistics.median(values):.2f}{unit} [{min(values):.2f}–{max(values):.2f}]"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of both downloads (default 3)")
    parser.add_argument("--port", type=int, default=8006)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark rows afterwards")
    parser.add_argument("--skip-python", action="store_true", help="do not time the in-process Python writer")
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: the benchmark compares with psql's COPY.")

    call_command("migrate", verbosity=0)
    print(f"Inserting {options.rows:,} organizations…", flush=True)
    fill(options.rows)
    base_url = f"http://127.0.0.1:{options.port}"
    commands = copy_commands(base_url)
    connection.close()
    sides = {
        "view": "view (gunicorn, COPY, HTTP)",
        "psql": "psql, the same COPY",
        "select": "psql, the SELECT alone",
    }
    results = {side: [] for side in sides}
    sizes = {}
    server = serve(options.port)
    try:
        worker = worker_pid(server.pid)
        baseline = peak_rss_kib(worker)
        peak = [baseline]

        def view(path):
            done = threading.Event()

            def sample():
                while not done.wait(0.05):
                    peak[0] = max(peak[0], peak_rss_kib(worker))

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            worker_cpu = cpu_seconds(worker)
            seconds, client_cpu = download(f"{base_url}/en/export/organizations.csv", path)
            cpu = cpu_seconds(worker) - worker_cpu + client_cpu
            done.set()
            sampler.join()
            peak[0] = max(peak[0], peak_rss_kib(worker))
            return seconds, cpu

        with tempfile.TemporaryDirectory(prefix="allmep-export-bench-") as work:
            files = {side: Path(work, f"{side}.csv") for side in sides}
            print(f"{'round':>5} {'path':28} {'seconds':>8} {'rows/s':>10} {'CPU s outside PostgreSQL':>25}")
            for round in range(1, options.rounds + 1):
                order = list(sides) if round % 2 else list(reversed(sides))
                for side in order:
                    if side == "view":
                        seconds, cpu = view(files[side])
                    else:
                        seconds, cpu = psql_copy(*commands[side], files[side])
                    results[side].append((seconds, cpu))
                    rate = options.rows / seconds
                    print(f"{round:>5} {sides[side]:28} {seconds:>8.2f} {rate:>10,.0f} {cpu:>25.2f}", flush=True)
                records, digest = records_as_copied(files["view"])
                if records != options.rows or digest != file_digest(files["psql"]):
                    sys.exit(f"round {round}: the view and psql wrote different records ({records:,} from the view)")
                for side, path in files.items():
                    sizes[side] = path.stat().st_size
                    path.unlink()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    print(f"\nmedians of {options.rounds} rounds [lowest–highest], {options.rows:,} records each:")
    print(f"{'path':34} {'MB':>7} {'seconds':>20} {'rows/s':>10} {'CPU s outside PostgreSQL':>26}")
    for side, name in sides.items():
        seconds = [s for s, _cpu in results[side]]
        cpus = [c for _s, c in results[side]]
        rate = options.rows / statistics.median(seconds)
        print(f"{name:34} {sizes[side] / 1e6:>7.1f} {spread(seconds):>20} {rate:>10,.0f} {spread(cpus):>26}")
    if not options.skip_python:
        rows, size, seconds = python_writer()
        print(f"{'Python csv writer, in-process':34} {size / 1e6:>7.1f} {seconds:>20.2f} {rows / seconds:>10,.0f}")
    for side in ("psql", "select"):
        ratios = [theirs[0] / ours[0] for ours, theirs in zip(results["view"], results[side], strict=True)]
        print(f"view / {sides[side]}, rows/s ratio per round: {spread(ratios)}")
    print(
        "(the view's records equal the same COPY's in every round; the SELECT alone lacks the formula neutralisation)"
    )
    print(f"gunicorn worker peak RSS: {peak[0] / 1024:.0f} MiB (idle before the downloads: {baseline / 1024:.0f} MiB)")
    if not options.keep:
        remove()


if __name__ == "__main__":
    main()
