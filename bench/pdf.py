"""PDF downloads (exports/pdf.py): how long WeasyPrint takes to print a page, against the page itself.

Run on demand (not in CI), on the ALLMEP dataset in a database of your choice (by default the
SQLite db.sqlite3 that bin/serve loads)::

    DJANGO_DEBUG=1 .venv/bin/python -m bench.pdf [--rounds 5]

In this process, through Django's test client: for the article and one page of each kind, in
Arabic, English and Hebrew, the page's HTML and its PDF (rendered every time: the PDF cache is
emptied before each request), in interleaved rounds; then the PDF from the cache. Printed: the
medians in ms, the PDF's size, and the PDF's time as a multiple of its page's. No asserts.
"""

import argparse
import os
import statistics
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "allmep.settings")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.cache import caches
    from django.test import Client

    client = Client()
    pages = [
        ("article", "/{lang}/", "/{lang}/export/pdf/article.pdf"),
        ("organization", "/{lang}/organizations/allmep/", "/{lang}/export/pdf/organization/allmep.pdf"),
        ("person", "/{lang}/people/hazem-fahmy/", "/{lang}/export/pdf/person/hazem-fahmy.pdf"),
        ("event", "/{lang}/events/summer-conference-2005/", "/{lang}/export/pdf/event/summer-conference-2005.pdf"),
        (
            "meeting",
            "/{lang}/events/meetings/summit-meetings-2009/",
            "/{lang}/export/pdf/meeting/summit-meetings-2009.pdf",
        ),
        ("source", "/{lang}/sources/allmep-overview/", "/{lang}/export/pdf/source/allmep-overview.pdf"),
    ]
    rows = [
        (name, lang, page.format(lang=lang), pdf.format(lang=lang))
        for name, page, pdf in pages
        for lang in ("ar", "en", "he")
    ]
    times = {row: {"page": [], "pdf": [], "hit": []} for row in rows}
    sizes = {}

    def timed(url):
        started = time.perf_counter()
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200, (url, response.status_code)
        return (time.perf_counter() - started) * 1000, body

    for row in rows:  # warm up: imports, fonts, templates
        caches["pages"].clear()
        timed(row[2])
        timed(row[3])
    for _round in range(options.rounds):
        for row in rows:
            caches["pages"].clear()
            times[row]["page"].append(timed(row[2])[0])
            caches["pages"].clear()
            elapsed, body = timed(row[3])
            times[row]["pdf"].append(elapsed)
            sizes[row] = len(body)
            times[row]["hit"].append(timed(row[3])[0])
    print(f"{'page':<14}{'lang':<6}{'HTML ms':>9}{'PDF ms':>9}{'ratio':>8}{'cached ms':>11}{'PDF kB':>8}")
    for row in rows:
        page, pdf, hit = (statistics.median(times[row][key]) for key in ("page", "pdf", "hit"))
        print(f"{row[0]:<14}{row[1]:<6}{page:>9.1f}{pdf:>9.0f}{pdf / page:>8.0f}{hit:>11.2f}{sizes[row] / 1024:>8.0f}")


if __name__ == "__main__":
    main()
