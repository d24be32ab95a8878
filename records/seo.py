"""OpenGraph tags and schema.org JSON-LD for reader pages.

Contract with the views (read by ``templates/includes/seo.html`` through ``{% seo_meta %}``):

- The record a page is about (Organization, Person, Event, Meeting, Source) is found by the
  page's URL name in ``PAGE_RECORDS``, which names the context variable its view already sets
  (``organization``, ``person``...). A new kind of record page either adds a line there or
  passes ``seo_object``, which always wins. Pages about no single record (lists, search) pass
  nothing.
- The home page (URL name ``organizations:home``) is about the coalition (its ``organization``)
  and gets WebSite + Article data.
- ``seo_title`` / ``seo_description`` (optional strings) override the title and description
  taken from the record; without either, the site's name and description are used.
- ``seo_noindex`` (optional, true) asks search engines not to index the page (history, errors).

The page's own <title> and meta description stay in base.html's ``title``/``description``
blocks; hreflang alternates are ``includes/alternates.html``. Structured data is built here as
plain dicts, one function per record type, and serialised with the same escaping as Django's
``json_script``, so no text in a record can close the <script> element.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from citations.prose import plain_text
from records.partial_dates import PartialDate

HOME_VIEW = "organizations:home"
# URL name of a record page → the context variable holding its record.
PAGE_RECORDS = {
    HOME_VIEW: "organization",
    "organizations:organization_detail": "organization",
    "organizations:person_detail": "person",
    "events:event_detail": "event",
    "events:meeting_detail": "meeting",
    "citations:source_detail": "source",
}
SITE_NAME = _("ALLMEP record")
SITE_DESCRIPTION = _(
    "The sourced record of the Alliance for Middle East Peace (ALLMEP): its members, events and meetings, "
    "with every fact tied to its source."
)
# OpenGraph wants language_TERRITORY.
OG_LOCALES = {"ar": "ar_AR", "en": "en_US", "he": "he_IL"}
DESCRIPTION_LENGTH = 300

# Characters that could end a <script> element or start markup, as django.utils.html.json_script escapes them.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}

ORGANIZATION_TYPES = {
    "coalition": "NGO",
    "grassroots": "NGO",
    "ngo": "NGO",
    "government_body": "GovernmentOrganization",
    "government_office": "GovernmentOrganization",
    "legislature": "GovernmentOrganization",
    "university": "CollegeOrUniversity",
    "media": "NewsMediaOrganization",
}


def json_ld_script(data):
    """``<script type="application/ld+json">`` holding ``data``, safe against "</script>" in any value."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def schema_date(value):
    """An ISO 8601 date as precise as known; "late 2003" becomes its year."""
    if not value:
        return None
    date = PartialDate.parse(value)
    return str(date.year) if date.part else date.edtf


def absolute_url(request, record):
    return request.build_absolute_uri(record.get_absolute_url())


def describe(record):
    """A one-line description of a record: its summary, else the start of its text."""
    text = getattr(record, "summary", "") or plain_text(getattr(record, "description", "") or "")
    return Truncator(" ".join(text.split())).chars(DESCRIPTION_LENGTH)  # paragraphs run on


def _compact(data):
    """Drop empty values: schema.org readers treat a missing property better than an empty one."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def _organization_ref(request, organization):
    if organization is None or not organization.is_published:
        return None
    return _compact({"@type": "Organization", "name": organization.name, "url": absolute_url(request, organization)})


def organization_data(request, organization):
    return _compact(
        {
            "@context": "https://schema.org",
            "@type": ORGANIZATION_TYPES.get(organization.kind, "Organization"),
            "@id": absolute_url(request, organization),
            "url": absolute_url(request, organization),
            "name": organization.name,
            "alternateName": organization.short_name,
            "description": describe(organization),
            "foundingDate": schema_date(organization.formally_founded or organization.founded),
            "sameAs": [organization.website] if organization.website else [],
            "parentOrganization": _organization_ref(request, organization.parent),
            "inLanguage": get_language(),
        }
    )


def person_data(request, person):
    return _compact(
        {
            "@context": "https://schema.org",
            "@type": "Person",
            "@id": absolute_url(request, person),
            "url": absolute_url(request, person),
            "name": person.name,
            "description": describe(person),
        }
    )


def event_data(request, event):
    place = None
    if event.place or event.country:
        address = {"@type": "PostalAddress", "addressCountry": event.country.code} if event.country else None
        place = _compact({"@type": "Place", "name": event.place or event.country.name, "address": address})
    parent = event.parent if event.parent_id and event.parent.is_published else None
    return _compact(
        {
            "@context": "https://schema.org",
            "@type": "Event",
            "@id": absolute_url(request, event),
            "url": absolute_url(request, event),
            "name": event.title,
            "description": describe(event),
            "startDate": schema_date(event.start),
            "endDate": schema_date(event.end),
            "location": place,
            "organizer": _organization_ref(request, event.organizer),
            "superEvent": _compact({"@type": "Event", "name": parent.title, "url": absolute_url(request, parent)})
            if parent
            else None,
        }
    )


def meeting_data(request, meeting):
    return _compact(
        {
            "@context": "https://schema.org",
            "@type": "Event",
            "@id": absolute_url(request, meeting),
            "url": absolute_url(request, meeting),
            "name": meeting.title,
            "description": describe(meeting),
            "startDate": schema_date(meeting.date),
            "organizer": _organization_ref(request, meeting.organization),
        }
    )


def source_data(request, source):
    return _compact(
        {
            "@context": "https://schema.org",
            "@type": "CreativeWork",
            "@id": absolute_url(request, source),
            "name": source.title,
            "alternateName": source.title_translation,
            "inLanguage": source.language,
            "author": [{"@type": "Person", "name": name.strip()} for name in source.authors.split(";") if name.strip()],
            "publisher": _compact({"@type": "Organization", "name": source.publisher}) if source.publisher else None,
            "datePublished": schema_date(source.publication_date),
            # The document itself; the record never invents one, so an unknown URL stays out.
            "url": source.url,
        }
    )


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
    article = _compact(
        {
            "@context": "https://schema.org",
            "@type": "Article",
            "url": home,
            "headline": coalition.name,
            "description": describe(coalition),
            "inLanguage": get_language(),
            "dateModified": coalition.updated_at,
            "license": settings.CONTENT_LICENSE["path"],
            "about": organization_data(request, coalition),
            "isPartOf": {"@id": website["@id"]},
        }
    )
    article["about"].pop("@context", None)
    return [website, article]


BUILDERS = {
    "organizations.organization": organization_data,
    "organizations.person": person_data,
    "events.event": event_data,
    "events.meeting": meeting_data,
    "citations.source": source_data,
}
OG_TYPES = {"organizations.person": "profile"}


def structured_data(request, record):
    """The JSON-LD dicts for a page about ``record`` (none for types without a builder)."""
    builder = BUILDERS.get(record._meta.label_lower)
    return [builder(request, record)] if builder else []


def record_title(record):
    return str(record)


def page_meta(context):
    """Everything ``includes/seo.html`` prints, from the template context of the page."""
    request = context.get("request")
    if request is None:
        return None
    match = request.resolver_match
    view_name = match.view_name if match is not None else ""
    is_home = view_name == HOME_VIEW
    record = context.get("seo_object") or context.get(PAGE_RECORDS.get(view_name, "seo_object"))
    if record is not None and not getattr(record, "is_published", False):
        record = None  # never describe a draft, even if a page hands one over
    language = get_language() or settings.LANGUAGE_CODE

    if is_home:
        og_type, data = "website", home_data(request, record)
    elif record is not None:
        og_type, data = OG_TYPES.get(record._meta.label_lower, "article"), structured_data(request, record)
    else:
        og_type, data = "website", []

    title = context.get("seo_title") or (record_title(record) if record is not None else SITE_NAME)
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
    }
