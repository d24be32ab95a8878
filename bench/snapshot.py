"""Snapshot of every reader-visible answer, to check that a restructuring changes none of them.

Run on demand (not in CI). Save the answers of one checkout, save them again from another, and
compare the two, on the very same rows (a prepared SQLite database, copied before each save)::

    .venv/bin/python -m bench.snapshot save /work/snap/before --database /work/snap/allmep.sqlite3
    .venv/bin/python -m bench.snapshot save /work/snap/after --database /work/snap/allmep.sqlite3
    .venv/bin/python -m bench.snapshot compare /work/snap/before /work/snap/after

With ``--site CHECKOUT``, the code of another checkout answers (one that lacks this file, say),
while this file's own checkout only runs the tool.

The database is made once (``DATABASE_URL=sqlite:///PATH manage.py migrate`` then ``load_allmep``);
``save`` never migrates or writes it: it copies the file to a temporary one and reads that.

``save`` runs the site in this process with Django's test client, with production's settings
(DEBUG off, static files collected into a temporary STATIC_ROOT and served through their
manifest, plain HTTP as bench/run.py serves it), the page cache off so every page is rendered,
and the content stamp read on every request so each request's query count is the same whatever
came before it. What it fetches, every answer as an anonymous reader gets it:

* the addresses of the URL confs that take no parameter, in each language (home, lists, search,
  downloads, the API root and schema, sitemap.xml, robots.txt…), with the query strings of
  ``QUERIES`` and, on list pages, one query per option of each menu of the filter form (the
  first ``MENU_OPTIONS`` of each menu);
* every address sitemap.xml lists (every published record's page in every language);
* every address of this site linked from an HTML page fetched under a language prefix (history
  and diff pages, downloads with their filters, citations, pagination…), and every API address
  an API answer links (the list pages, every record's detail);
* a few answers that are errors on purpose (404, 400), since readers get those too.

Every URL pattern should be reached; those that are not are listed on stderr and in the index.
For each answer, the snapshot keeps the status, the headers, the body (for a zip or XLSX file,
each member's bytes, since the archive's own dates vary) and the number of SQL queries, after
the normalisation of ``NORMALISATIONS`` (what varies from one run to the next on the same rows).

``compare`` prints each address whose answer differs, with a short diff, and each whose query
count grew (and shrank), then a summary line; it exits with 1 if any answer differs or any query
count grew.
"""

import argparse
import difflib
import hashlib
import html.parser
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock
from urllib.parse import urlencode, urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent  # the checkout whose site is saved, unless --site says another

LANGUAGES = ["ar", "en", "he"]
HOST = "testserver"  # the test client's

# The clock the site reads (django.utils.timezone.now, and so localdate()) during a save: the
# data package's "created" and its file name, a cited page's "accessed" date (in its citations
# and in the "Cite this page" box of every record page) are "now". A fixed instant makes them the
# same on any day; it is later than any prepared database, so Last-Modified is always given.
CLOCK = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)

# Query strings fetched on top of the bare address, by URL name (in each language for reader
# pages). The organization and source identifiers come from the ALLMEP dataset.
QUERIES = {
    "organizations:organization_list": [
        "sort=-name",
        "sort=-founded",
        "kind=ngo&sort=founded",
        "member_of=allmep&joined=2010",
        "page=2",
        "page=last",
        "kind=nonsense",  # 400
        "joined=1800",  # 400
    ],
    "organizations:person_list": ["page=2"],
    # Named "organizations:organization_suggest" before issue 11 moved it to search/, same address.
    "organization_suggest": [
        "q=peace",
        "q=سلام",
        "q=%D8%A7%D9%84%D8%B3%D9%8E%D9%91%D9%84%D8%A7%D9%85",  # «السَّلام»: with tashkeel
        "q=al",
        "q=" + "x" * 301,  # 400: longer than any name
    ],
    "organizations:organization_suggest": [
        "q=peace",
        "q=سلام",
        "q=%D8%A7%D9%84%D8%B3%D9%8E%D9%91%D9%84%D8%A7%D9%85",
        "q=al",
        "q=" + "x" * 301,
    ],
    "events:event_list": ["year=2004", "kind=conference", "organizer=allmep", "organizer=nobody-at-all", "page=2"],
    "events:meeting_list": ["sort=-date", "sort=title", "year=2006", "counterpart=allmep", "year=x"],
    "citations:source_list": ["page=2", "page=0"],
    "search:results": [
        "q=السلام",
        "q=%D8%A7%D9%84%D8%B3%D9%8E%D9%91%D9%84%D8%A7%D9%85",  # «السَّلام»: with tashkeel
        "q=الإسرائيلي",
        "q=peace",
        "q=Peace+Now",
        "q=alliance+middle+east",
        "q=שלום",
        "q=zzzxxyq",  # nothing found
        "q=",
        "q=peace&page=2",
    ],
    "api:organization-list": ["kind=ngo", "page=2", "page_size=5", "page_size=5&cursor=", "page_size=0", "lang=en"],
    "api:event-list": ["lang=he", "year=2004", "page=99"],
    "api:citation-list": ["page_size=10&cursor=", "claim=name"],
    "api:schema": ["format=json"],
}
# Each reader list page is also fetched with one option of each menu of its filter form.
MENU_OPTIONS = 2
# Addresses that are answered with an error on purpose, in each language where they start with /{lang}/.
ERRORS = [
    "/{lang}/no-such-page/",
    "/{lang}/organizations/no-such-organization/",
    "/{lang}/organizations/allmep/no-such-list/",
    "/{lang}/history/organizations.organization/999999/",
    "/{lang}/history/auth.user/1/",
    "/{lang}/export/nothing.csv",
    "/{lang}/export/organizations.pdf",
    "/{lang}/export/citations/sources.doc",
    "/api/no-such-endpoint/",
    "/api/organizations/no-such-organization/",
    "/api/memberships/1/",  # the dataset has no membership: the detail pattern answers 404
]
# Other answers no page links to: the numbered pages of a record page's lists (records.sections),
# which its page links only when it does not show every row, and no list of the ALLMEP record is that long.
EXTRA = [
    "/",
    "/api/",
    "/favicon.ico",
    "/i18n/setlang/",
    "/ar/organizations/allmep/meetings/",
    "/en/organizations/allmep/organized-events/",
    "/he/people/firas-bin-raad/roles/",
    "/ar/events/panel-2005/participants/",
    "/en/events/summer-conference-2005/sessions/?page=2",
    "/he/sources/allmep-overview/pages/",
]
# Requests with another Accept-Language (the API and the root redirect follow it).
WITH_LANGUAGE = [("/", "en"), ("/", "he"), ("/api/organizations/", "en"), ("/api/events/", "he")]

# Addresses never fetched: staff only, or not an answer of this site.
SKIPPED_PREFIXES = ["/static/", "/ar/admin/", "/en/admin/", "/he/admin/"]
SKIPPED_NAMES = {"admin", "set_language"}  # namespaces and names; set_language is fetched from EXTRA
MAX_ANSWERS = 20000  # a crawl that grows beyond this has found a loop, not pages

# What varies between two saves of the same code on the same database, and is replaced before
# the answer is stored: (name, applies to, pattern, replacement). Each says why.
NORMALISATIONS = [
    # A CSRF token is random per request (masked anew each time); forms that post carry it.
    ("csrf-field", "body", re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+(")'), rb"\1[csrf]\2"),
    ("csrf-cookie", "Set-Cookie", re.compile(r"(csrftoken=)[^;]+"), r"\1[csrf]"),
    # The API docs page (Swagger UI) also writes the token into its script, for requests that post.
    ("csrf-script", "body", re.compile(rb'(request\.headers\["X-CSRFTOKEN"\] = ")[^"]+(")'), rb"\1[csrf]\2"),
    # django-csp's nonce is random per request, in the header and in the page that uses it.
    ("csp-nonce-header", "Content-Security-Policy", re.compile(r"'nonce-[^']+'"), "'nonce-[nonce]'"),
    ("csp-nonce-body", "body", re.compile(rb'( nonce=")[^"]+(")'), rb"\1[nonce]\2"),
    # django-csp writes the directives in the order of a set, which changes with each process's
    # string hash seed; their order means nothing, so they are sorted.
    ("csp-directive-order", "Content-Security-Policy", re.compile(r".+"), lambda match: sorted_directives(match[0])),
    # openpyxl writes the time the workbook was written into its properties (not the site's clock).
    (
        "xlsx-written-at",
        "docProps/core.xml",
        re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)"),
        rb"\1[written at]\2",
    ),
]
# The length of a zip or XLSX file follows how well its members compress, dates included.
ARCHIVE_LENGTH = "[length of the archive]"
# Also normalised, by construction: zip and XLSX files are kept as their members' names and bytes,
# without the archive's own dates (the time each member was written) and compression.


def configure(database, static_root):
    """Production's environment (as bench/run.py sets it), on a copy of the database."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="allmep.settings",
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="0",
        # Fixed, so that nothing signed with it can vary between runs; no reader answer is signed.
        DJANGO_SECRET_KEY="bench-snapshot-" + "k" * 50,
        DJANGO_ALLOWED_HOSTS=HOST,
        DJANGO_STATIC_ROOT=str(static_root),
        # Read the content stamp on every request: otherwise whether a request reads it depends
        # on the time since the previous one, and so does its query count.
        DJANGO_PAGE_STAMP_SECONDS="0",
        DJANGO_LOG_LEVEL="ERROR",
    )
    for name in ("CACHE_URL", "REDIS_URL", "DJANGO_SITE_URL"):
        os.environ.pop(name, None)


class Links(html.parser.HTMLParser):
    """The href of every <a> and <link>, and the GET forms' menus: [(field, [values])]."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs = []
        self.menus = []
        self.in_get_form = False
        self.menu = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("a", "link") and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        elif tag == "form":
            self.in_get_form = (attrs.get("method") or "get").lower() == "get"
        elif tag == "select" and self.in_get_form and attrs.get("name"):
            self.menu = (attrs["name"], [])
            self.menus.append(self.menu)
        elif tag == "option" and self.menu is not None and attrs.get("value"):
            self.menu[1].append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_get_form = False
        elif tag == "select":
            self.menu = None


def local_address(href, base):
    """The site-relative address (path and query, no fragment) of a link, or None if elsewhere."""
    parts = urlsplit(urljoin(f"http://{HOST}{base}", href))
    if parts.scheme not in ("http", "https") or parts.netloc != HOST:
        return None
    address = parts.path + (f"?{parts.query}" if parts.query else "")
    if any(address.startswith(prefix) for prefix in SKIPPED_PREFIXES):
        return None
    return address


def api_links(data):
    """Every address of this site in a JSON answer (DRF's hyperlinks: url, next, previous…)."""
    if isinstance(data, dict):
        for value in data.values():
            yield from api_links(value)
    elif isinstance(data, list):
        for value in data:
            yield from api_links(value)
    elif isinstance(data, str) and data.startswith(f"http://{HOST}/api/"):
        yield data


def sitemap_links(body):
    return re.findall(r'<(?:loc>|xhtml:link [^>]*href=")(http://[^<"]+)', body.decode())


def url_patterns():
    """(name with its namespaces, route, whether it takes parameters) of every URL pattern."""
    from django.urls import URLPattern, URLResolver, get_resolver

    found = []

    def walk(patterns, namespace, route):
        for pattern in patterns:
            text = route + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner, text)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}{pattern.name}" if pattern.name else None
                takes_parameters = bool(pattern.pattern.regex.groups)
                found.append((name, text, takes_parameters))

    walk(get_resolver().url_patterns, "", "")
    return found


def skipped(name):
    return name is None or bool(SKIPPED_NAMES.intersection(name.split(":")))


def with_query(address, query):
    return f"{address}{'&' if '?' in address else '?'}{query}" if query else address


def is_archive(body):
    return body[:4] == b"PK\x03\x04"


def sorted_directives(policy):
    return "; ".join(sorted(directive.strip() for directive in policy.split(";")))


def normalise_headers(headers, archive):
    normalised = {}
    for name, value in headers.items():
        for _rule, applies_to, pattern, replacement in NORMALISATIONS:
            if applies_to == name:
                value = pattern.sub(replacement, value)
        normalised[name] = value
    if archive and "Content-Length" in normalised:
        normalised["Content-Length"] = ARCHIVE_LENGTH
    return normalised


def normalise_body(body, member=None):
    for _rule, applies_to, pattern, replacement in NORMALISATIONS:
        if applies_to == "body" or (member is not None and applies_to == member):
            body = pattern.sub(replacement, body)
    return body


def body_files(body):
    """{name: bytes}: the members of a zip or XLSX file, else the body alone as "body"."""
    if not is_archive(body):
        return {"body": normalise_body(body)}
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return {
            f"member/{info.filename}": normalise_body(archive.read(info), member=info.filename)
            for info in archive.infolist()
        }


class Snapshot:
    """Fetches addresses in order, each once, and writes what they answered into ``directory``."""

    def __init__(self, directory):
        from django.test import Client

        self.directory = directory
        self.client = Client(raise_request_exception=False)
        self.answers = []
        self.seen = set()
        self.queue = []
        self.resolved = set()
        self.errors = 0

    def add(self, address, found_on, language=None):
        key = (address, language)
        if key not in self.seen:
            self.seen.add(key)
            self.queue.append((address, found_on, language))

    def run(self):
        while self.queue:
            if len(self.answers) >= MAX_ANSWERS:
                raise SystemExit(f"More than {MAX_ANSWERS} answers: the crawl has found a loop.")
            address, found_on, language = self.queue.pop(0)
            self.fetch(address, found_on, language)

    def fetch(self, address, found_on, language):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from django.urls import Resolver404, resolve

        extra = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(address, **extra)
            # A streamed answer (CSV, JSON exports) runs its queries while it is read.
            body = b"".join(response.streaming_content) if response.streaming else response.content
            response.close()
        if response.status_code >= 500:
            self.errors += 1
            print(f"  {response.status_code} {address}", file=sys.stderr)
        try:
            match = resolve(urlsplit(address).path)
            self.resolved.add(match.view_name)
        except Resolver404:
            pass
        number = len(self.answers)
        files = body_files(body)
        stored = {}
        for name, content in files.items():
            relative = f"answers/{number:05d}/{name}"
            path = self.directory / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            stored[name] = relative
        self.answers.append(
            {
                "address": address,
                "accept_language": language,
                "found_on": found_on,
                "status": response.status_code,
                "headers": normalise_headers(dict(response.headers), is_archive(body)),
                "files": stored,
                "queries": len(queries.captured_queries),
            }
        )
        self.follow(address, response, body)

    def follow(self, address, response, body):
        content_type = response.headers.get("Content-Type", "")
        if response.status_code in (301, 302) and "Location" in response.headers:
            target = local_address(response.headers["Location"], address)
            if target:
                self.add(target, address)
        elif content_type.startswith("text/html") and address.split("/")[1] in LANGUAGES:
            parser = Links()
            parser.feed(body.decode())
            for href in parser.hrefs:
                target = local_address(href, address)
                if target:
                    self.add(target, address)
        elif content_type.startswith("application/json") and address.startswith("/api/"):
            for href in api_links(json.loads(body)):
                target = local_address(href, address)
                if target:
                    self.add(target, address)
        elif address == "/sitemap.xml":
            for href in sitemap_links(body):
                target = local_address(href, address)
                if target:
                    self.add(target, address)

    def menus(self, address):
        """One address per option (the first MENU_OPTIONS) of each menu of a page's GET forms."""
        answer = next(answer for answer in self.answers if answer["address"] == address)
        parser = Links()
        parser.feed((self.directory / answer["files"]["body"]).read_text())
        for field, values in parser.menus:
            for value in values[:MENU_OPTIONS]:
                yield with_query(address, urlencode({field: value}))

    def write_index(self, meta):
        index = {"meta": meta, "answers": self.answers}
        (self.directory / "index.json").write_text(json.dumps(index, ensure_ascii=False, indent=1) + "\n")


def plan(snapshot):
    """Seed the snapshot with the URL confs' addresses, then crawl from them."""
    from django.urls import reverse
    from django.utils import translation

    patterns = url_patterns()
    list_pages = []
    for name, _route, takes_parameters in patterns:
        if skipped(name) or takes_parameters:
            continue
        for language in LANGUAGES:
            with translation.override(language):
                address = reverse(name)
            queries = QUERIES.get(name, [])
            for query in ["", *queries]:
                snapshot.add(with_query(address, query), "urlconf")
            if address.split("/")[1] in LANGUAGES and name.endswith("_list"):
                list_pages.append(address)
            if address.split("/")[1] not in LANGUAGES:
                break  # one address in every language
    for address in EXTRA:
        snapshot.add(address, "extra")
    for address, language in WITH_LANGUAGE:
        snapshot.add(address, "extra", language)
    for template in ERRORS:
        for language in LANGUAGES:
            snapshot.add(template.format(lang=language), "error")
    # Everything above and what they link to (sitemap.xml: every record's page, in each language).
    snapshot.run()

    # The lists again with their filter menus, and the exports with filters.
    for address in list_pages:
        for filtered in snapshot.menus(address):
            snapshot.add(filtered, f"menu of {address}")
    for language in LANGUAGES:
        for table, queries in (("organizations", ["kind=ngo", "kind=nonsense"]), ("events", ["year=2004"])):
            for format in ("csv", "json", "xlsx"):
                for query in queries:
                    snapshot.add(f"/{language}/export/{table}.{format}?{query}", "filtered export")
    snapshot.run()
    return [(name, route) for name, route, _ in patterns if not skipped(name) and name not in snapshot.resolved]


def collect_static(static_root):
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    if not (static_root / "staticfiles.json").exists():
        raise SystemExit("collectstatic wrote no manifest")


def git_commit(site):
    result = subprocess.run(["git", "rev-parse", "HEAD"], cwd=site, capture_output=True, text=True, check=True)
    # This tool and the worktree's .venv link are not the site: their changes are not counted.
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)bench"],
        cwd=site,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")


def save(options):
    site = Path(options.site).resolve()
    if not (site / "allmep" / "settings.py").is_file():
        raise SystemExit(f"{site} is not a checkout of the site")
    sys.path.insert(0, str(site))
    directory = Path(options.directory).resolve()
    source = Path(options.database).resolve()
    if not source.is_file():
        raise SystemExit(f"No database at {source}")
    if directory.exists() and any(directory.iterdir()):
        raise SystemExit(f"{directory} is not empty")
    directory.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="allmep-snapshot-"))
    try:
        database = work / "allmep.sqlite3"
        # The copy is what the site reads (and may write: sessions, none expected); the source stays as it was.
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as original, sqlite3.connect(database) as copy:
            original.backup(copy)
        configure(database, work / "static")
        import django

        import allmep

        if Path(allmep.__file__).resolve().parent.parent != site:
            raise SystemExit(f"The site's code was imported from {allmep.__file__}, not from {site}")
        django.setup()
        from django.conf import settings
        from django.test.utils import override_settings

        collect_static(work / "static")
        dummy = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
        snapshot = Snapshot(directory)
        # The page cache off: every answer is rendered, with its queries (the API's counts too).
        with (
            override_settings(CACHES={**settings.CACHES, "pages": dummy}),
            mock.patch("django.utils.timezone.now", return_value=CLOCK),
        ):
            uncovered = plan(snapshot)
        meta = {
            "site": str(site),
            "commit": git_commit(site),
            "database": str(source),
            "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "normalisations": [
                f"clock fixed at {CLOCK.isoformat()}",
                *(rule[0] for rule in NORMALISATIONS),
                "archive-length",
                "archive-members-without-dates",
            ],
            "answers": len(snapshot.answers),
            "url_patterns_not_reached": [f"{name} ({route})" for name, route in uncovered],
        }
        snapshot.write_index(meta)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    statuses = {}
    for answer in snapshot.answers:
        statuses[answer["status"]] = statuses.get(answer["status"], 0) + 1
    summary = ", ".join(f"{count} × {status}" for status, count in sorted(statuses.items()))
    print(f"Saved {len(snapshot.answers)} answers into {directory} ({summary}).")
    for name, route in uncovered:
        print(f"  URL pattern not reached: {name} ({route})", file=sys.stderr)
    if snapshot.errors:
        print(f"  {snapshot.errors} answers were server errors (5xx).", file=sys.stderr)


def load(directory):
    index = json.loads((Path(directory) / "index.json").read_text())
    answers = {}
    for answer in index["answers"]:
        answers[(answer["address"], answer["accept_language"])] = answer
    return index["meta"], answers


def read_files(directory, answer):
    return {name: (Path(directory) / path).read_bytes() for name, path in answer["files"].items()}


LONG_LINE = 300
BREAKS = re.compile(r"(?<=[>,])")  # where a long line of XML (XLSX members) or JSON is cut


def text_lines(content):
    # Minified JSON, XLSX's XML, JSON-LD: a long line is cut after each tag and comma, to show where it differs.
    return [
        part
        for line in content.decode().splitlines()
        for part in (BREAKS.split(line) if len(line) > LONG_LINE else [line])
    ]


def text_diff(before, after, name, limit=40):
    try:
        old, new = text_lines(before), text_lines(after)
    except UnicodeDecodeError:
        digest = hashlib.sha256
        return [f"  {name}: binary, {digest(before).hexdigest()[:12]} → {digest(after).hexdigest()[:12]}"]
    lines = list(difflib.unified_diff(old, new, "before", "after", n=2, lineterm=""))
    shown = [f"    {line[:LONG_LINE]}" for line in lines[:limit]]
    if len(lines) > limit:
        shown.append(f"    … {len(lines) - limit} more lines of diff")
    return [f"  {name}:", *shown]


def compare(options):
    meta_before, before = load(options.before)
    meta_after, after = load(options.after)
    print(f"before: {options.before} ({meta_before['commit']}, {meta_before['answers']} answers)")
    print(f"after:  {options.after} ({meta_after['commit']}, {meta_after['answers']} answers)")
    differ = identical = grew = shrank = 0
    for key in sorted(before.keys() | after.keys(), key=lambda key: (key[0], key[1] or "")):
        label = key[0] + (f" [Accept-Language: {key[1]}]" if key[1] else "")
        if key not in after or key not in before:
            differ += 1
            print(f"\nDIFFERS {label}: only {'before' if key in before else 'after'}")
            continue
        old, new = before[key], after[key]
        report = []
        if old["status"] != new["status"]:
            report.append(f"  status {old['status']} → {new['status']}")
        for name in sorted(old["headers"].keys() | new["headers"].keys()):
            if old["headers"].get(name) != new["headers"].get(name):
                report.append(f"  header {name}: {old['headers'].get(name)!r} → {new['headers'].get(name)!r}")
        old_files, new_files = read_files(options.before, old), read_files(options.after, new)
        for name in sorted(old_files.keys() | new_files.keys()):
            if old_files.get(name) != new_files.get(name):
                report.extend(text_diff(old_files.get(name, b""), new_files.get(name, b""), name))
        if report:
            differ += 1
            print(f"\nDIFFERS {label}")
            print("\n".join(report))
        else:
            identical += 1
        if new["queries"] > old["queries"]:
            grew += 1
            print(f"QUERIES GREW {label}: {old['queries']} → {new['queries']}")
        elif new["queries"] < old["queries"]:
            shrank += 1
            print(f"queries shrank {label}: {old['queries']} → {new['queries']}")
    total = len(before.keys() | after.keys())
    print(
        f"\n{total} answers compared, {identical} identical, {differ} differ;"
        f" query counts grew on {grew}, shrank on {shrank}."
    )
    return 1 if differ or grew else 0


def main():
    parser = argparse.ArgumentParser(prog="python -m bench.snapshot", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    saving = commands.add_parser("save", help="save every answer into DIRECTORY")
    saving.add_argument("directory")
    saving.add_argument("--database", required=True, help="the prepared SQLite file (copied, never written)")
    saving.add_argument(
        "--site", default=str(ROOT), help="the checkout whose code answers (default: this tool's own, %(default)s)"
    )
    comparing = commands.add_parser("compare", help="compare two saved snapshots")
    comparing.add_argument("before")
    comparing.add_argument("after")
    options = parser.parse_args()
    if options.command == "save":
        save(options)
    else:
        sys.exit(compare(options))


if __name__ == "__main__":
    main()
