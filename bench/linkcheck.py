"""Throughput of the link checker on 1,000 sources against local servers (run on demand).

    .venv/bin/python bench/linkcheck.py [--sources 1000] [--concurrency 16]

Prints requests (or sources) per second for:

- baseline: a bare sequential httpx loop (one client, keep-alive, HEAD each URL);
- the checker's fetching alone (address checks, pinned connections, thread pool), spacing off,
  also against a server that waits ``--latency`` seconds per answer, as remote servers do;
- the whole checker on Source rows in a throw-away SQLite database (checks recorded, statuses
  decided, revisions written on the first run), spacing off;
- per-host spacing on: the same URLs spread over loopback hosts 127.0.0.1 … 127.0.0.N, each
  host at most one request per interval, against the bound that spacing allows.

Everything stays on 127.0.0.0/8; nothing reaches the internet.
"""

import argparse
import multiprocessing
import os
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BODY = b"<!doctype html><html><head><title>A source</title></head><body>ALLMEP</body></html>"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real servers do

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self.answer(send_body=False)

    def do_GET(self):
        self.answer(send_body=True)

    def answer(self, send_body):
        if self.server.latency:
            time.sleep(self.server.latency)  # a remote server's round trip
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        if send_body:
            self.wfile.write(BODY)


def serve(hosts, ports, latency):
    """Serve on each loopback host (in another process: the client must not share its GIL)."""
    servers = []
    for host in hosts:
        server = ThreadingHTTPServer((host, 0), Handler)
        server.latency = latency
        server.daemon_threads = True
        server.request_queue_size = 256
        servers.append(server)
        ports.put((host, server.server_address[1]))
    for server in servers[1:]:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    servers[0].serve_forever()


def start_servers(hosts, latency=0.0):
    ports = multiprocessing.Queue()
    process = multiprocessing.Process(target=serve, args=(hosts, ports, latency), daemon=True)
    process.start()
    return process, [f"http://{host}:{port}" for host, port in (ports.get(timeout=10) for _ in hosts)]


def rate(count, seconds):
    return f"{count / seconds:8.1f}/s  ({count} in {seconds:.2f} s)"


def setup_django(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "allmep.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    settings.LINKCHECK = {
        **settings.LINKCHECK,
        "ALLOW_LOOPBACK": True,
        "PER_HOST_INTERVAL": 0,
        "ARCHIVE": False,
        "TIMEOUT": 10,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--hosts", type=int, default=20, help="loopback hosts for the spacing run")
    parser.add_argument("--interval", type=float, default=0.25, help="per-host spacing (s) for the spacing run")
    parser.add_argument("--spaced-sources", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.05, help="server delay (s) for the remote-like runs")
    parser.add_argument(
        "--database-url", help="a database to migrate and fill with bench sources (default: a throw-away SQLite file)"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        setup_django(args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        import httpx
        from django.conf import settings

        from citations import linkcheck
        from citations.models import Source

        hosts = ["127.0.0.1"] + [f"127.0.0.{n}" for n in range(2, args.hosts + 1)]
        process, bases = start_servers(hosts)
        base = bases[0]
        urls = [f"{base}/source/{n}" for n in range(args.sources)]
        print(f"{args.sources} URLs on {base}, checker concurrency {args.concurrency}, Python {sys.version.split()[0]}")

        started = time.perf_counter()
        with httpx.Client(trust_env=False) as client:
            for url in urls:
                client.head(url).raise_for_status()
        print("baseline, sequential httpx HEAD loop     ", rate(len(urls), time.perf_counter() - started))

        options = linkcheck.config()
        started = time.perf_counter()
        with linkcheck.Fetcher(options) as fetcher, ThreadPoolExecutor(args.concurrency) as pool:
            results = list(pool.map(fetcher.fetch, urls))
        assert all(result.is_success for result in results), {r.outcome for r in results}
        print("checker fetching, spacing off            ", rate(len(urls), time.perf_counter() - started))

        with linkcheck.Fetcher(options) as fetcher:
            started = time.perf_counter()
            for url in urls:
                fetcher.fetch(url)
        print("checker fetching, one thread             ", rate(len(urls), time.perf_counter() - started))

        # The same with a remote-like round trip: where concurrency pays.
        slow_process, slow_bases = start_servers(["127.0.0.1"], latency=args.latency)
        slow_urls = [f"{slow_bases[0]}/source/{n}" for n in range(args.sources)]
        started = time.perf_counter()
        with httpx.Client(trust_env=False) as client:
            for url in slow_urls[: args.sources // 10]:
                client.head(url).raise_for_status()
        print(
            f"baseline, sequential, {args.latency * 1000:.0f} ms server delay  ",
            rate(args.sources // 10, time.perf_counter() - started),
        )
        started = time.perf_counter()
        with linkcheck.Fetcher(options) as fetcher, ThreadPoolExecutor(args.concurrency) as pool:
            results = list(pool.map(fetcher.fetch, slow_urls))
        assert all(result.is_success for result in results)
        print(
            f"checker fetching, {args.latency * 1000:.0f} ms server delay     ",
            rate(len(slow_urls), time.perf_counter() - started),
        )
        slow_process.terminate()
        slow_process.join()

        bench_sources = Source.objects.filter(key__startswith="bench-")
        bench_sources.delete()
        Source.objects.bulk_create(Source(key=f"bench-{n}", title=f"Source {n}", url=url) for n, url in enumerate(urls))
        for run in ("first run (statuses set)", "second run (no change) "):
            started = time.perf_counter()
            counts = linkcheck.check_sources(bench_sources.all(), concurrency=args.concurrency)
            assert counts["ok"] == len(urls), counts
            print(f"whole checker with database, {run}", rate(len(urls), time.perf_counter() - started))

        spaced = [f"{bases[n % len(bases)]}/page/{n}" for n in range(args.spaced_sources)]
        settings.LINKCHECK = {**settings.LINKCHECK, "PER_HOST_INTERVAL": args.interval}
        per_host = args.spaced_sources / len(bases)
        floor = (per_host - 1) * args.interval
        started = time.perf_counter()
        with linkcheck.Fetcher(linkcheck.config()) as fetcher, ThreadPoolExecutor(args.concurrency) as pool:
            jobs = linkcheck.interleave_hosts(linkcheck.Job(0, url, None, False) for url in spaced)
            results = list(pool.map(lambda job: fetcher.fetch(job.url), jobs))
        elapsed = time.perf_counter() - started
        assert all(result.is_success for result in results)
        print(
            f"spacing {args.interval} s/host over {len(bases)} hosts      ",
            rate(len(spaced), elapsed),
            f"— spacing allows at most {len(bases) / args.interval:.0f}/s; ≥ {floor:.2f} s expected",
        )
        process.terminate()
        process.join()
        bench_sources.delete()


if __name__ == "__main__":
    main()
