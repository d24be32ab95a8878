"""Download as PDF: the article and every record page, printed on the server by WeasyPrint with the
print stylesheet; kept under the content stamp; nothing fetched from the network.

WeasyPrint takes 0.3-1 s a page here, so these tests render as few PDFs as they can (eight in
the first test, one or two in the others) and check several things on each.
"""

import html
import re
import shutil
import socket
import subprocess
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import translation

from exports import pdf
from organizations.models import Organization
from records.versioning import revision
from tests.conftest import missing_tool
from tests.factories import build_record

pytestmark = pytest.mark.django_db

TITLE_AR = "التحالف من أجل السلام في الشرق الأوسط"
LEAD_AR = "يعمل التحالف على تعزيز المصالحة بين الإسرائيليين والفلسطينيين، وبين العرب واليهود في الشرق الأوسط."
PAGES_CACHE = {
    "BACKEND": "records.bounded_cache.BoundedMemoryCache",
    "LOCATION": "pdf-tests",
    "OPTIONS": {"MAX_ENTRIES": 50, "MAX_BYTES": 8 * 1024 * 1024},
}


@pytest.fixture
def record(db):
    built = build_record()
    built["overview"].url = "https://allmep.example/overview"
    built["overview"].save()
    allmep = built["allmep"]
    allmep.description_ar = LEAD_AR + "{{ref|allmep-overview}}"
    allmep.save()
    return built


@pytest.fixture
def renders(monkeypatch):
    """The HTML of every PDF rendered, in order (WeasyPrint still runs)."""
    rendered = []
    real = pdf.render

    def counting(html, base_url):
        rendered.append(html)
        return real(html, base_url)

    monkeypatch.setattr(pdf, "render", counting)
    return rendered


@pytest.fixture
def pages_cache():
    from django.core.cache import caches

    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}, "pages": PAGES_CACHE}
    ):
        caches["pages"].clear()
        yield caches["pages"]
        caches["pages"].clear()


def pdftotext(document):
    if shutil.which("pdftotext") is None:
        missing_tool("no pdftotext: apt-get install poppler-utils (bin/test does it as root)")
    result = subprocess.run(["pdftotext", "-", "-"], input=document, capture_output=True, check=True)
    return " ".join(re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", result.stdout.decode()).split())


def as_written(text):
    """pdftotext's Arabic with the one reordering poppler gets wrong put back: it moves the space after
    an Arabic comma (U+060C, a neutral for the bidi algorithm) in front of it ("والفلسطينيين ،وبين"). The PDF
    has them in order: pdfminer reads "، " there (checked by hand). Nothing else is changed."""
    return re.sub(" ،(?=\\S)", "، ", text)


def heading(page):
    """The text of the page's <h1>, as a reader sees it."""
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", h1)).split())


# The article in every language, and each kind's page in one language each.
DOWNLOADS = [
    ("exports:article_pdf", {}, "ar", "allmep-article-ar.pdf"),
    ("exports:article_pdf", {}, "en", "allmep-article-en.pdf"),
    ("exports:article_pdf", {}, "he", "allmep-article-he.pdf"),
    ("exports:page_pdf", {"kind": "organization", "identifier": "just-vision"}, "ar", None),
    ("exports:page_pdf", {"kind": "person", "identifier": "hazem-fahmy"}, "he", None),
    ("exports:page_pdf", {"kind": "event", "identifier": "coexistence-conference-2005"}, "en", None),
    ("exports:page_pdf", {"kind": "meeting", "identifier": "capitol-hill-2004"}, "ar", None),
    ("exports:page_pdf", {"kind": "source", "identifier": "allmep-overview"}, "he", None),
]
PAGE_URLS = {
    "organization": "organizations:organization_detail",
    "person": "organizations:person_detail",
    "event": "events:event_detail",
    "meeting": "events:meeting_detail",
    "source": "citations:source_detail",
}
LINK_TEXT = {"ar": "تنزيل بصيغة PDF", "en": "Download as PDF", "he": "הורדה כ־PDF"}


def test_the_article_and_every_kind_of_record_page_download_as_pdf(client, record, renders):
    timings = []
    for name, kwargs, language, filename in DOWNLOADS:
        with translation.override(language):
            url = reverse(name, kwargs=kwargs)
            if name == "exports:article_pdf":
                page_url = reverse("organizations:home")
            else:
                lookup = "key" if kwargs["kind"] == "source" else "slug"
                page_url = reverse(PAGE_URLS[kwargs["kind"]], kwargs={lookup: kwargs["identifier"]})
        page = client.get(page_url).content.decode()
        # The page offers it, by a visible link in the reader's language.
        assert f'href="{url}"' in page, page_url
        assert LINK_TEXT[language] in page
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/pdf"
        document = b"".join(response.streaming_content)
        assert document.startswith(b"%PDF-")
        expected = filename or f"allmep-{kwargs['kind']}-{kwargs['identifier']}-{language}.pdf"
        assert response["Content-Disposition"] == f'attachment; filename="{expected}"'
        # The page's own HTML, in its language and direction, with its print stylesheet.
        rendered = renders[-1]
        assert f'<html lang="{language}" dir="{"ltr" if language == "en" else "rtl"}">' in rendered
        assert 'href="/static/css/print.css" media="print"' in rendered
        assert "pdf.css" not in page  # WeasyPrint's own sheet: browsers keep the site's fonts
        # Its text layer: the page's title, copied out of the PDF, is the title as written.
        assert heading(page) in pdftotext(document), (url, heading(page))
    assert len(renders) == len(DOWNLOADS)
    print(f"PDF renders: {', '.join(f'{seconds:.2f}' for seconds in timings)} s")


def test_the_arabic_pdf_is_set_in_the_sites_fonts_with_its_references_addresses(client, record):
    document = b"".join(client.get("/ar/export/pdf/article.pdf").streaming_content)
    fonts = subprocess.run(["pdffonts", "-"], input=document, capture_output=True).stdout.decode()
    text = pdftotext(document)
    names = {line.split()[0].partition("+")[2] for line in fonts.splitlines()[2:]}
    # Arabic in the PDF's own Noto Naskh Arabic 2.004 (static/css/pdf.css), never the screen's 2.021.
    assert {"Noto-Naskh-Arabic-PDF", "Noto-Naskh-Arabic-PDF-Bold", "Noto-Sans"} <= names, fonts
    assert not {"Noto-Naskh-Arabic", "Noto-Naskh-Arabic-Bold"} & names, fonts
    # The references, expanded, with the address after the link and the archived copy's.
    squeezed = text.replace(" ", "")
    assert "<https://allmep.example/overview>" in squeezed
    assert "<https://web.archive.org/web/20160702000000/allmep.example/overview" in squeezed
    # No chrome: the language switcher, the link to this very PDF.
    assert "English" not in text and "PDF" not in text


def test_the_hebrew_pdf_text_reads_back_in_logical_order(client, record):
    text = pdftotext(b"".join(client.get("/he/export/pdf/article.pdf").streaming_content))
    assert "הברית לשלום במזרח התיכון" in text


def test_the_arabic_pdf_text_reads_back_as_written(client, record):
    # Copied out of the PDF, Arabic is the text of the page, letter for letter, lam-alef included
    # (Kozea/WeasyPrint#2841 garbled it with the screen's Noto Naskh Arabic 2.021: static/css/pdf.css).
    text = as_written(pdftotext(b"".join(client.get("/ar/export/pdf/article.pdf").streaming_content)))
    assert TITLE_AR in text
    assert LEAD_AR in text  # the whole first sentence, full stop included


def test_a_pdf_is_kept_under_the_content_stamp_and_an_edit_makes_a_new_one(client, record, renders, pages_cache):
    url = "/en/export/pdf/organization/allmep.pdf"
    with CaptureQueriesContext(connection) as first_queries:
        first = b"".join(client.get(url).streaming_content)
    assert len(renders) == 1
    with CaptureQueriesContext(connection) as page:
        client.get("/en/organizations/allmep/")
    # The record's lookup and the stamp, besides the page's own queries.
    assert len(first_queries) <= len(page) + 2, [q["sql"] for q in first_queries]

    # Again, and with a query string that would bust a page cache: read from the cache, rendered never.
    for again in (url, url + "?utm=1"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(again)
        assert b"".join(response.streaming_content) == first
        assert len(renders) == 1
        assert len(queries) == 1, [q["sql"] for q in queries]  # the content stamp, nothing else

    allmep = Organization.objects.get(slug="allmep")
    with revision("Rename"):
        allmep.name_en = "Alliance for Middle East Peace (renamed)"
        allmep.save()
    second = b"".join(client.get(url).streaming_content)
    assert len(renders) == 2
    assert "Alliance for Middle East Peace (renamed)" in renders[-1]
    assert second != first


@pytest.mark.parametrize(
    "url",
    [
        "/en/export/pdf/organization/hidden-org.pdf",  # a draft
        "/en/export/pdf/event/secret-event.pdf",  # a draft
        "/en/export/pdf/person/draft-person.pdf",  # a draft
        "/en/export/pdf/source/draft-source.pdf",  # a draft
        "/en/export/pdf/organization/no-such-organization.pdf",
        "/en/export/pdf/planet/earth.pdf",  # no such kind
        "/en/export/pdf/membership/1.pdf",  # a kind with no page of its own
    ],
)
def test_no_pdf_of_a_page_readers_cannot_read(client, record, renders, url):
    response = client.get(url)
    assert response.status_code == 404
    assert renders == []


def test_no_pdf_of_a_draft_for_staff_either_nor_of_the_article_of_a_draft_coalition(
    admin_client, client, record, renders
):
    assert admin_client.get("/en/export/pdf/organization/hidden-org.pdf").status_code == 404
    allmep = Organization.objects.get(slug="allmep")
    with revision("Unpublish"):
        allmep.status = "draft"
        allmep.save()
    assert client.get("/ar/export/pdf/article.pdf").status_code == 404
    assert renders == []


def test_without_weasyprint_or_pango_the_download_says_so_with_a_503(client, record, monkeypatch):
    monkeypatch.setattr(pdf, "weasyprint", lambda: pdf.Unavailable("cannot load library 'libpango-1.0-0'"))
    response = client.get("/he/export/pdf/article.pdf")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert "PDF" in response.content.decode()
    assert client.get("/en/export/pdf/organization/no-such-organization.pdf").status_code == 503


def test_printing_fetches_only_static_files_from_disk_and_nothing_from_the_network(monkeypatch):
    connections = []
    real_connect = socket.socket.connect

    def connect(self, address):
        connections.append(address)
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    fetcher = pdf.fetcher_class()()
    css = fetcher.fetch("http://testserver/static/css/print.css")
    assert b"@page" in css.read()
    assert css.url == "http://testserver/static/css/print.css"  # its fonts are read against it, here again
    for url in (
        "http://127.0.0.1:9/static/css/../../allmep/settings.py",
        "http://testserver/static/%2e%2e/manage.py",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.org/style.css",
        "file:///etc/passwd",
        "ftp://example.org/x",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    # A whole page that names other sites' files renders without asking for any of them.
    document = pdf.render(
        '<link rel="stylesheet" href="http://127.0.0.1:9/x.css"><img src="https://example.org/a.png">'
        '<p style="background: url(http://10.0.0.1/b.png)">ok</p>',
        "http://testserver/en/",
    )
    assert document.startswith(b"%PDF-")
    assert connections == []


def test_bdi_content_is_isolated_for_the_pdf_renderer():
    html = '<p>(<bdi>Alliance</bdi>) <bdi dir="ltr">http://x</bdi> <bdi dir="rtl">א</bdi> <bdi dir="auto">y</bdi></p>'
    assert pdf.isolate_bidi(html) == (
        '<p>(<bdi>\u2068Alliance\u2069</bdi>) <bdi dir="ltr">\u2066http://x\u2069</bdi> '
        '<bdi dir="rtl">\u2067א\u2069</bdi> <bdi dir="auto">\u2068y\u2069</bdi></p>'
    )
