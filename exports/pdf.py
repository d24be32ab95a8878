"""A page as PDF: the reader's page itself, printed on the server by WeasyPrint.

There is one print mechanism: the page's own HTML, as its view renders it for an anonymous reader,
laid out with its own stylesheets for the ``print`` medium (static/css/print.css after site.css),
which is also what a browser's "Print" uses. No second set of templates.

WeasyPrint shapes text with Pango and HarfBuzz (Arabic letters joined, right-to-left lines from the
page's ``dir``) in the site's own fonts (static/fonts, by site.css's ``@font-face``), but Arabic in an
older Noto Naskh Arabic, whose letters WeasyPrint's text layer maps right (static/css/pdf.css, added
to every PDF; Kozea/WeasyPrint#2841). Everything it
loads is read from disk through :class:`StaticFilesFetcher`: the page's stylesheets and fonts under
``STATIC_URL``, and ``data:`` URLs. Nothing is fetched over the network, whatever address a page or
a source holds (no SSRF).

The PDF of a page in a language depends on nothing but the published record, so it is kept in the
page cache under the content stamp (records.caching): the next request for it, by anyone, is one
cache read, and any edit makes a new one.
"""

import copy
import functools
import logging
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.http import QueryDict
from django.templatetags.static import static
from django.urls import Resolver404, resolve
from django.utils.translation import get_language

from records import caching

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/pdf"
# Only for WeasyPrint: the Arabic face whose text layer reads back right (see the sheet's comment).
PDF_STYLESHEET = "css/pdf.css"
TYPES = {".css": "text/css", ".woff2": "font/woff2", ".woff": "font/woff", ".svg": "image/svg+xml", ".png": "image/png"}


class Unavailable(Exception):
    """WeasyPrint, or the Pango it needs, is not installed on this machine."""


@functools.cache
def weasyprint():
    """The weasyprint module, or Unavailable saying why (imported on the first PDF asked for:
    its import loads Pango through cffi, which fails with OSError where Pango is missing)."""
    try:
        import weasyprint
    except (ImportError, OSError) as error:
        logger.warning("PDF downloads are unavailable: %s", error)
        return Unavailable(str(error))
    return weasyprint


def module():
    found = weasyprint()
    if isinstance(found, Unavailable):
        raise found
    return found


def static_path(url):
    """The file on disk behind an address under STATIC_URL (any host), or None.

    The collected, hashed file when the manifest storage has it (production), else the file the
    finders find (DEBUG, tests). Paths that climb out of the static folders are refused.
    """
    path = unquote(urlsplit(url).path)
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    if not path.startswith(prefix):
        return None
    name = posixpath.normpath(path.removeprefix(prefix))
    if name.startswith(("..", "/")) or name == ".":
        return None
    try:
        if staticfiles_storage.exists(name):
            return Path(staticfiles_storage.path(name))
    except (NotImplementedError, SuspiciousFileOperation, ValueError):
        pass  # a storage without local paths, or a name it refuses: the finders decide
    found = finders.find(name)
    return Path(found) if found else None


def fetcher_class():
    base = module().URLFetcher

    class StaticFilesFetcher(base):
        """Reads static files from disk and ``data:`` URLs; refuses every other address."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = static_path(url) if url.startswith(("http:", "https:")) else None
            if path is None or not path.is_file():
                raise ValueError(f"not fetched (only the site's static files are): {url}")
            content_type = TYPES.get(path.suffix, "application/octet-stream")
            # Answered under its own address, so that the addresses in a stylesheet (its fonts)
            # are read against it, and through this fetcher again.
            return module().urls.URLFetcherResponse(url, path.read_bytes(), headers={"Content-Type": content_type})

    return StaticFilesFetcher


def page_html(request, path):
    """The HTML of the reader's page at ``path`` as an anonymous reader gets it, or None when that
    page answers anything but 200 (a draft, a record removed meanwhile)."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    page_request = copy.copy(request)
    page_request.path = page_request.path_info = path
    page_request.META = {**request.META, "PATH_INFO": path, "QUERY_STRING": ""}
    page_request.GET = QueryDict()
    page_request.user = AnonymousUser()
    page_request.resolver_match = match
    response = match.func(page_request, *match.args, **match.kwargs)
    if getattr(response, "render", None) and not getattr(response, "is_rendered", True):
        response.render()
    if response.status_code != 200 or response.streaming:
        return None
    return response.content.decode(response.charset)


BDI = re.compile(r"<bdi\b([^>]*)>|</bdi>")
ISOLATES = {"ltr": "\u2066", "rtl": "\u2067"}  # LRI, RLI; FSI (U+2068) for dir="auto" or none
PDI = "\u2069"


def isolate_bidi(html):
    """``html`` with the content of each ``<bdi>`` between the Unicode isolate marks that say the
    same (LRI, RLI or FSI … PDI). WeasyPrint lays out inline text with Pango, which knows those
    marks, but not CSS's ``unicode-bidi``: without them a name in another script could drag the
    punctuation around it to the wrong side. Browsers isolate ``<bdi>`` themselves."""

    def mark(match):
        if match.group(0) == "</bdi>":
            return PDI + match.group(0)
        direction = re.search(r"""\bdir=["']?(ltr|rtl)""", match.group(1) or "")
        return match.group(0) + ISOLATES.get(direction.group(1) if direction else "", "\u2068")

    return BDI.sub(mark, html)


def render(html, base_url):
    """The PDF of ``html`` (bytes), its relative addresses read against ``base_url``, with
    static/css/pdf.css after the page's own stylesheets."""
    weasy = module()
    fetcher = fetcher_class()()
    # One font configuration for the page's @font-face rules and the PDF sheet's.
    fonts = weasy.text.fonts.FontConfiguration()
    pdf_sheet = weasy.CSS(url=urljoin(base_url, static(PDF_STYLESHEET)), url_fetcher=fetcher, font_config=fonts)
    document = weasy.HTML(string=isolate_bidi(html), base_url=base_url, url_fetcher=fetcher, media_type="print")
    return document.write_pdf(stylesheets=[pdf_sheet], font_config=fonts)


def cache_key(request, name):
    stamp = caching.request_stamp(request)
    if stamp is None or not caching.keeps_pages():
        return None
    return f"page-pdf:{caching.stamp_key(stamp)}:{get_language()}:{name}"


def page_pdf(request, name, page_path):
    """The PDF of a page (bytes), kept under ``name`` and the content stamp, or None if there is
    no page an anonymous reader may read. ``page_path()`` gives the page's address, or None; it
    is not called when the PDF is at hand (a PDF is only kept when its page was public under
    that very stamp). Raises Unavailable without WeasyPrint."""
    key = cache_key(request, name)
    if key is not None and (document := caching.read_page(key)) is not None:
        return document
    module()  # Unavailable before any query or rendering
    path = page_path()
    html = page_html(request, path) if path is not None else None
    if html is None:
        return None
    document = render(html, request.build_absolute_uri(path))
    if key is not None:
        caching.store_entry(key, document)
    return document
