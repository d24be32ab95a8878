"""OpenGraph tags and schema.org JSON-LD for reader pages.

Contract with the views (read by ``templates/includes/seo.html`` through ``{% seo_meta %}``):

- The record a page is about is found by the page's URL name: the kind registered with that
  page (:mod:`records.kinds`) names the context variable its view sets, the model's own name
  (``organization``, ``person``...). A page may pass ``seo_object`` instead, which always wins.
  Pages about no single record (lists, search) pass nothing.
- The home page (URL name ``organizations:home``) is about the coalition (its ``organization``)
  and gets WebSite + Article data.
- ``seo_title`` / ``seo_description`` (optional strings) override the title and description
  taken from the record; without either, the site's name and description are used.
- ``seo_noindex`` (optional, true) asks search engines not to index the page (history, errors).
- ``old_version`` (a version's page, allmep.views.record_version): the version the page shows.

Reference managers (Zotero, Mendeley...) read none of the JSON-LD: they read ``<meta>`` tags
(:mod:`citations.embedded`). A source's page describes the source itself, as its citation
downloads do; the page of any other citable record, and the coalition's article at the home page,
describe the page as an encyclopedia article by the site, dated and linked by the version shown,
as "cite this" names it (:func:`exports.citing.shown_page_item`).

The page's own <title> and meta description stay in base.html's ``title``/``description``
blocks; hreflang alternates are ``includes/alternates.html``. Structured data is built by each kind
(``<app>/structured_data.py``) and serialised here with the same escaping as Django's
``json_script``, so no text in a record can close the <script> element.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from citations import embedded, formats
from citations.models import Source
from exports.citing import shown_page_item
from records import kinds
from records.structured_data import compact, describe

HOME_VIEW = "organizations:home"
SITE_NAME = _("ALLMEP record")
SITE_DESCRIPTION = _(
    "The sourced record of the Alliance for Middle East Peace (ALLMEP): its members, events and meetings, "
    "with every fact tied to its source."
)
# OpenGraph wants language_TERRITORY.
OG_LOCALES = {"ar": "ar_AR", "en": "en_US", "he": "he_IL"}

# Characters that could end a <script> element or start markup, as django.utils.html.json_script escapes them.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(data):
    """``<script type="application/ld+json">`` holding ``data``, safe against "</script>" in any value."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def home_data(request, coalition):
    """The home page: the website, and the article about the coalition that it opens with."""
    home = request.build_absolute_uri(request.path)
    website = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "@id": request.build_absolute_uri("/"),
        "url": home,
        "name": str(SITE_NAME),
        "inLanguage": [code for code, _name in settings.LANGUAGES],
        "license": settings.CONTENT_LICENSE["path"],
    }
    if coalition is None:
        return [website]
    article = compact(
        {
            "@context": "https://schema.org",
            "@type": "Article",
            "url": home,
            "headline": coalition.name,
            "description": describe(coalition),
            "inLanguage": get_language(),
            "dateModified": coalition.updated_at,
            "license": settings.CONTENT_LICENSE["path"],
            "about": kinds.kind_of(coalition).structured_data(request, coalition),
            "isPartOf": {"@id": website["@id"]},
        }
    )
    article["about"].pop("@context", None)
    return [website, article]


def page_record_name(view_name):
    """The context variable holding the record of the page named ``view_name``: the home page
    is about the coalition, an organization; a kind's page about one of its records."""
    if view_name == HOME_VIEW:
        return "organization"
    kind = next((kind for kind in kinds.with_pages() if kind.page == view_name), None)
    return kind.model._meta.model_name if kind else "seo_object"


def structured_data(request, record):
    """The JSON-LD dicts for a page about ``record`` (none for kinds without a builder)."""
    kind = kinds.kind_of(record)
    return [kind.structured_data(request, record)] if kind and kind.structured_data else []


def reference_meta(request, record, old_version=None):
    """The ``(name, content)`` of the <meta> tags a reference manager reads on ``record``'s page."""
    if record is None:
        return []
    if isinstance(record, Source):
        return embedded.meta_tags(formats.source_item(record))
    kind = kinds.kind_of(record)
    if kind is None or not kind.citable:
        return []
    item = shown_page_item(record, old_version, request.build_absolute_uri)
    # An article of the site's encyclopedia, which writes and publishes it.
    site = item["container-title"]
    item = {**item, "type": "entry-encyclopedia", "publisher": site}
    return embedded.meta_tags(
        item,
        corporate_author=site,
        licence=settings.CONTENT_LICENSE,
        modified=item["custom"].get("version-datetime", ""),
    )


def shown_record(context, record):
    """``(record, old_version)``: the record a reader reads on the page, as it is shown (on a
    version's page, as it was in that version, named by its model in the context), or None."""
    old_version = context.get("old_version")
    if old_version and record is None:
        kind = kinds.kind_of(old_version["record"])
        record = (context.get(kind.model._meta.model_name) if kind else None) or old_version["record"]
    if record is None or not getattr(record, "is_published", False):
        return None, old_version
    return record, old_version


def page_meta(context):
    """Everything ``includes/seo.html`` prints, from the template context of the page."""
    request = context.get("request")
    if request is None:
        return None
    match = request.resolver_match
    view_name = match.view_name if match is not None else ""
    is_home = view_name == HOME_VIEW
    record = context.get("seo_object") or context.get(page_record_name(view_name))
    if record is not None and not getattr(record, "is_published", False):
        record = None  # never describe a draft, even if a page hands one over
    language = get_language() or settings.LANGUAGE_CODE

    if is_home:
        og_type, data = "website", home_data(request, record)
    elif record is not None:
        kind = kinds.kind_of(record)
        og_type, data = kind.og_type if kind else "article", structured_data(request, record)
    else:
        og_type, data = "website", []

    reference = reference_meta(request, *shown_record(context, record))
    title = context.get("seo_title") or (str(record) if record is not None else SITE_NAME)
    description = context.get("seo_description") or (describe(record) if record is not None else "")
    return {
        "title": title,
        "description": description or SITE_DESCRIPTION,
        "type": og_type,
        "url": request.build_absolute_uri(request.path),
        "canonical": record is not None or is_home,
        "site_name": SITE_NAME,
        "locale": OG_LOCALES.get(language, language),
        "locale_alternates": [OG_LOCALES.get(code, code) for code, _name in settings.LANGUAGES if code != language],
        "json_ld": [json_ld_script(item) for item in data],
        "noindex": bool(context.get("seo_noindex")),
        "dublin_core_schemas": embedded.DUBLIN_CORE_SCHEMAS.items() if reference else (),
        "reference": reference,
    }
