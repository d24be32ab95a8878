"""Load benchmark of every page type on the large synthetic dataset, served as in production.

Run on demand (not in CI), after filling the database once with bench/generate.py::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/allmep_bench .venv/bin/python bench/generate.py
    .venv/bin/python bench/run.py [--duration 10] [--workers 2] [--connections 2] [--cache-url redis://…]

DATABASE_URL defaults to that allmep_bench database. The script migrates it, collects the static
files into a temporary STATIC_ROOT, and starts gunicorn on 127.0.0.1 with DEBUG off, a fresh
DJANGO_SECRET_KEY, plain HTTP (DJANGO_HTTPS=0: loopback has no TLS) and bench/settings.py, which
is production's settings plus bench/urls.py's trivial view. Then, for each page, wrk (one client
thread, ``--connections`` connections, ``--duration`` seconds; ``apt-get install wrk``) measures
requests/s and the 50th/95th/99th latency percentiles, printed next to the trivial view's, from
the same server in the same run:

* "uncached": every request misses the page cache (wrk adds a ``nocache=<n>`` parameter no view
  reads), so the page is rendered from the database, and stored, each time;
* "304": a conditional request whose If-None-Match matches (the content stamp alone);
* "cached": the same address again and again, served from the page cache.

Aims: uncached pages at least 0.5× the trivial view's requests/s; 304 and cached at least 0.9×.
Search is then compared with the bare SQL query (the same tsquery against search_searchdocument,
ordered as search orders it: with the RUM index where there is one, else by ts_rank; through psycopg,
sequentially for ``--duration`` seconds): its p95 within 3× of it. Last, EXPLAIN
ANALYZE shows the plans, and the indexes they use, of the search, the heaviest list filters and
sorts, the API and the admin changelists: each page's two heaviest queries and its page of rows.
Every row of the table is a separate 2-second warm-up then the timed run; the machine should be
otherwise idle, as other processes share its cores.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/allmep_bench"
SEARCH_TEXT = "السَّلامُ"  # with tashkeel: the normalization makes it match «السلام», «والسلام», «للسلام»…
SEARCH_LANGUAGE = "ar"

WRK_SCRIPT = r"""
local counter = 0
local bust = os.getenv("BENCH_BUST") == "1"
request = function()
  if not bust then
    return wrk.format(nil, wrk.path)
  end
  counter = counter + 1
  local separator = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. separator .. "nocache=" .. counter)
end
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '\nBENCH {"requests": %d, "duration_us": %d, "socket_errors": %d, "status_errors": %d, '
      .. '"p50": %d, "p95": %d, "p99": %d}\n',
    summary.requests, summary.duration, errors.connect + errors.read + errors.write + errors.timeout,
    errors.status, latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def configure(static_root, cache_url):
    """The environment of production, for this process and the server it starts."""
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        BENCH_STATIC_ROOT=str(static_root),
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
    )
    os.environ.pop("CACHE_URL", None)
    os.environ.pop("REDIS_URL", None)
    if cache_url:
        os.environ["CACHE_URL"] = cache_url


def serve(port, workers, log):
    """gunicorn as docker-compose.yml runs it, access log included; its output goes to ``log``."""
    command = [
        str(ROOT / ".venv/bin/gunicorn"), "allmep.wsgi", "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers), "--timeout", "120", "--access-logfile", "-",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=log)
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/trivial/", timeout=5)
            return process
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"gunicorn did not answer; see {log.name}")


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wrk(url, duration, connections, bust=False, headers=()):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "30s", "-s", script.name]
    for header in headers:
        command += ["-H", header]
    env = {**os.environ, "BENCH_BUST": "1" if bust else "0"}
    try:
        output = subprocess.run([*command, url], capture_output=True, text=True, check=True, env=env).stdout
    finally:
        os.unlink(script.name)
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    result = json.loads(line[len("BENCH ") :])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def bare_search(duration):
    """p50/p95/p99 (µs) of the search's own ranked query, straight through psycopg."""
    import psycopg
    from django.db import connection

    from search.indexing import CONFIGS, DEFAULT_CONFIG
    from search.queries import has_rum_index, query_terms
    from search.views import MAX_RESULTS

    terms = query_terms(SEARCH_TEXT)
    raw = " & ".join(f"'{term}':*" for term in terms)
    configs = list(dict.fromkeys([*CONFIGS.values(), DEFAULT_CONFIG]))
    tsquery = " || ".join(f"to_tsquery('{config}', %(raw)s)" for config in configs)
    rum = len(terms) == 1 and has_rum_index()
    if rum:
        # search.queries.matching of one word with the RUM index: the best MAX_RESULTS read from
        # the index in order, then just they sorted with their ties.
        sql = f"""
            SELECT id, title FROM search_searchdocument
            WHERE id IN (
                SELECT id FROM search_searchdocument
                WHERE language = %(language)s AND vector @@ ({tsquery})
                ORDER BY vector <=> ({tsquery}) LIMIT {MAX_RESULTS}
            )
            ORDER BY vector <=> ({tsquery}), title, id
            LIMIT 20
        """
    else:
        sql = f"""
            SELECT id, title, ts_rank(vector, query) AS rank
            FROM search_searchdocument, ({"SELECT " + tsquery + " AS query"}) AS q
            WHERE language = %(language)s AND vector @@ query
            ORDER BY rank DESC, title, id
            LIMIT 20
        """
    settings = connection.settings_dict
    conninfo = {
        "host": settings["HOST"] or "127.0.0.1",
        "port": settings["PORT"] or 5432,
        "dbname": settings["NAME"],
        "user": settings["USER"],
        "password": settings["PASSWORD"] or None,
    }
    latencies = []
    with psycopg.connect(**{key: value for key, value in conninfo.items() if value is not None}) as bare:
        parameters = {"raw": raw, "language": SEARCH_LANGUAGE}
        rows = bare.execute(sql, parameters).fetchall()
        count = bare.execute(
            f"SELECT count(*) FROM search_searchdocument, (SELECT {tsquery} AS query) AS q "
            "WHERE language = %(language)s AND vector @@ query",
            parameters,
        ).fetchone()[0]
        stop = time.perf_counter() + duration
        while time.perf_counter() < stop:
            started = time.perf_counter()
            bare.execute(sql, parameters).fetchall()
            latencies.append((time.perf_counter() - started) * 1e6)
    return {
        "p50": percentile(latencies, 0.50),
        "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99),
        "rps": len(latencies) / duration,
        "rows": len(rows),
        "matches": count,
        "raw": raw,
        "ranking": "RUM index, best first" if rum else "ts_rank of every match",
    }


INDEX_USE = re.compile(r"(?:Index(?: Only)? Scan(?: Backward)? using|Bitmap Index Scan on) (\S+)")
SEQ_SCAN = re.compile(r"Seq Scan on (\S+)")
PAGE_OF_LIST = re.compile(r"ORDER BY .* LIMIT \d\d+")  # a sorted page of 10 rows or more
READS = ("SELECT", "DECLARE", "WITH")  # what EXPLAIN ANALYZE may run; savepoints and writes are left out


def analyzed(cursor, sql):
    """EXPLAIN ANALYZE of one statement: (execution ms, plan lines)."""
    cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) " + sql)
    plan = [row[0] for row in cursor.fetchall()]
    execution = next(line for line in reversed(plan) if line.startswith("Execution Time"))
    return float(execution.split(":")[1].split()[0]), plan


def explain(paths, login=False, top=2):
    """For each address, its ``top`` heaviest queries (by EXPLAIN ANALYZE) and its sorted page of rows.

    Every query of the page is analysed, so menus read through a cursor (DECLARE, whose own
    time says nothing) are ranked by what they cost. The page cache is off; nothing is kept.
    """
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    reports = []
    dummy = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    with (
        override_settings(ALLOWED_HOSTS=["testserver"], CACHES={**settings.CACHES, "pages": dummy}),
        transaction.atomic(),
    ):
        client = Client()
        if login:
            user = get_user_model().objects.create_superuser(username="bench-explain", password=secrets.token_hex())
            client.force_login(user)
        for path in paths:
            client.get(path)  # warm the content-type cache
            with CaptureQueriesContext(connection) as queries:
                status = client.get(path).status_code
            with connection.cursor() as cursor:
                reads = [query["sql"] for query in queries.captured_queries]
                plans = [(*analyzed(cursor, sql), sql) for sql in reads if sql.lstrip("( ").startswith(READS)]
            plans.sort(key=lambda item: item[0], reverse=True)
            # The heaviest, and the page of the list itself however light its index makes it.
            shown = [item for index, item in enumerate(plans) if index < top or PAGE_OF_LIST.search(item[2])]
            reports.append((path, status, len(plans), sum(item[0] for item in plans), shown))
        transaction.set_rollback(True)
    return reports


def print_plans(reports):
    for path, status, count, total, heaviest in reports:
        print(f"\n=== {path}  ({status}; {count} queries, {total:.1f} ms executing in PostgreSQL)")
        for milliseconds, plan, sql in heaviest:
            text = " ".join(sql.split())
            print(f"--- {milliseconds:.1f} ms: {text[:400]}{' …' if len(text) > 400 else ''}")
            for line in plan:
                print("    " + line)
            indexes = sorted(set(INDEX_USE.findall("\n".join(plan))))
            scans = sorted(set(SEQ_SCAN.findall("\n".join(plan))))
            scanned = f"; sequential scans: {', '.join(scans)}" if scans else ""
            print(f"    indexes used: {', '.join(indexes) or 'none'}{scanned}")


def dataset_size():
    from citations.models import Citation, Source
    from events.models import Event, Meeting
    from organizations.models import Organization
    from search.models import SearchDocument

    counts = {
        "organizations": Organization.objects.count(),
        "events": Event.objects.count(),
        "meetings": Meeting.objects.count(),
        "sources": Source.objects.count(),
        "citations": Citation.objects.count(),
        "search documents": SearchDocument.objects.count(),
    }
    return ", ".join(f"{count:,} {name}" for name, count in counts.items())


def pages():
    """(label, path, mode) of every row; mode is trivial, uncached, 304 or cached."""
    from events.models import Event
    from organizations.models import Organization

    organizations = (
        Organization.objects.published()
        .filter(slug__startswith="synthetic-org-")
        .exclude(kind="coalition")
        .order_by("slug")
    )
    organization = organizations[min(100, organizations.count() - 1)]  # the last one on a small dataset
    event = (
        Event.objects.published()
        .filter(slug__startswith="synthetic-event-", sessions__isnull=False)
        .order_by("slug")
        .first()
    )
    deep = max(1, Organization.objects.published().count() // 50 - 5)
    search = "/ar/search/?" + urllib.parse.urlencode({"q": SEARCH_TEXT})
    return [
        ("trivial Django view", "/bench/trivial/", "trivial"),
        ("home (coalition article)", "/ar/", "uncached"),
        ("organizations, page 1", "/ar/organizations/", "uncached"),
        (f"organizations, page {deep}", f"/ar/organizations/?page={deep}", "uncached"),
        ("organization detail", f"/ar/organizations/{organization.slug}/", "uncached"),
        ("event timeline", "/ar/events/", "uncached"),
        ("event detail", f"/ar/events/{event.slug}/", "uncached"),
        ("meetings", "/ar/events/meetings/", "uncached"),
        ("sources", "/ar/sources/", "uncached"),
        ("search", search, "uncached"),
        ("API organizations list", "/api/organizations/", "uncached"),
        ("API citations, cursor page", "/api/citations/?cursor=", "uncached"),
        ("home, If-None-Match", "/ar/", "304"),
        ("organizations p1, If-None-Match", "/ar/organizations/", "304"),
        ("home, cached", "/ar/", "cached"),
        ("organizations p1, cached", "/ar/organizations/", "cached"),
        ("event timeline, cached", "/ar/events/", "cached"),
        ("sources, cached", "/ar/sources/", "cached"),
        ("search, cached", search, "cached"),
    ]


EXPLAIN_PATHS = [
    "/ar/search/?" + urllib.parse.urlencode({"q": SEARCH_TEXT}),
    "/ar/organizations/",
    "/ar/organizations/?page=190",
    "/en/organizations/?sort=-founded",
    "/he/organizations/?kind=ngo&country=IL&sort=name",
    "/ar/organizations/?member_of=synthetic-org-000003&joined=2010",
    "/ar/events/",
    "/ar/events/?year=2004&kind=conference",
    "/en/events/meetings/?sort=-title",
    "/ar/events/meetings/?year=2015",
    "/ar/sources/?page=300",
    "/api/organizations/?page=150",
    "/api/citations/?source=synthetic-source-000123",
    "/api/events/?page=1000",
]
ADMIN_PATHS = [
    "/en/admin/citations/citation/",
    "/en/admin/events/event/",
    "/en/admin/organizations/organization/?kind__exact=ngo",
]


def prepare_synthetic_site():
    """Set Django up on the synthetic PostgreSQL database, migrated, with static files collected;
    exit with a message if the database is not one ``bench/generate.py`` filled."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from organizations.models import Organization

    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database (default: allmep_bench).")
    call_command("migrate", verbosity=0)
    if not Organization.objects.filter(slug__startswith="synthetic-").exists():
        sys.exit("No synthetic dataset: run bench/generate.py against this database first.")
    call_command("collectstatic", interactive=False, verbosity=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page (default 10)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--connections", type=int, default=2, help="wrk connections, one thread (default 2)")
    parser.add_argument("--port", type=int, default=8040)
    parser.add_argument("--cache-url", default="", help="Redis URL for the page cache (default: process memory)")
    parser.add_argument("--skip-explain", action="store_true")
    parser.add_argument(
        "--only", default="", help="only the rows whose label contains this text (and the trivial view)"
    )
    options = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")

    static_root = Path(tempfile.mkdtemp(prefix="allmep-bench-static-"))
    configure(static_root, options.cache_url)
    prepare_synthetic_site()
    from django.db import connection

    rows = [row for row in pages() if row[2] == "trivial" or options.only in row[0]]
    size = dataset_size()
    connection.close()

    base = f"http://127.0.0.1:{options.port}"
    log = open(static_root / "gunicorn.log", "w+")  # noqa: SIM115 (open while the server runs)
    server = serve(options.port, options.workers, log)
    results = []
    try:
        for label, path, mode in rows:
            status, headers, _body = fetch(base + path)
            if status != 200:
                log.seek(0)
                raise SystemExit(f"{path} answered {status}; the server's log ends:\n{log.read()[-4000:]}")
            wrk_headers = []
            if mode == "304":
                wrk_headers = [f"If-None-Match: {headers['ETag']}"]
                assert fetch(base + path, {"If-None-Match": headers["ETag"]})[0] == 304
            print(f"  {label}…", file=sys.stderr, flush=True)
            # Untimed first: every worker renders (and, cached, stores) the page once.
            wrk(base + path, 2, options.connections, mode == "uncached", wrk_headers)
            result = wrk(base + path, options.duration, options.connections, mode == "uncached", wrk_headers)
            results.append((label, path, mode, result))
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()

    bare = bare_search(options.duration)

    print(f"\nDataset: {size}.")
    cache = "Redis " + options.cache_url if options.cache_url else "process memory (one per worker)"
    print(
        f"Server: gunicorn, {options.workers} sync workers, 127.0.0.1, DEBUG off, whitenoise; page cache in {cache}."
        f"\nLoad: wrk, 1 thread, {options.connections} connections, {options.duration} s per row, on {os.cpu_count()}"
        " cores shared by wrk, gunicorn and PostgreSQL.\n"
    )
    trivial = results[0][3]["rps"]
    columns = f"{'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'× trivial':>9} {'aim':>5}"
    print(f"{'page':34} {'mode':9} {columns}  errors")
    for label, _path, mode, result in results:
        ratio = result["rps"] / trivial
        aim = {"uncached": 0.5, "304": 0.9, "cached": 0.9}.get(mode)
        verdict = "" if aim is None else ("ok" if ratio >= aim else f"<{aim}")
        errors = result["socket_errors"] + result["status_errors"]
        print(
            f"{label:34} {mode:9} {result['rps']:8.1f} {result['p50'] / 1000:7.2f} {result['p95'] / 1000:7.2f}"
            f" {result['p99'] / 1000:7.2f} {ratio:9.2f} {verdict:>5}  {errors or ''}"
        )
    search = next((result for label, _path, mode, result in results if label == "search" and mode == "uncached"), None)
    if search is not None:
        print(
            f"\nSearch «{SEARCH_TEXT}» ({bare['matches']:,} matching documents in {SEARCH_LANGUAGE};"
            f" tsquery {bare['raw']}; {bare['ranking']}):"
            f"\n  page p95 {search['p95'] / 1000:.2f} ms (under load, {options.connections} connections)"
            f" against the bare ranked SQL p95 {bare['p95'] / 1000:.2f} ms"
            f" (p50 {bare['p50'] / 1000:.2f} ms, sequential, psycopg):"
            f" {search['p95'] / bare['p95']:.2f}× (aim: within 3×)"
        )
    if not options.skip_explain:
        print("\nEXPLAIN ANALYZE of each page's two heaviest queries and its page of rows (page cache off):")
        print_plans(explain(EXPLAIN_PATHS))
        print_plans(explain(ADMIN_PATHS, login=True))
    shutil.rmtree(static_root, ignore_errors=True)


if __name__ == "__main__":
    main()
