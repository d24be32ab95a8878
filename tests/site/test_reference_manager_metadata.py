"""What Zotero and other reference managers read on every page: a typed item, in <meta> tags.

Zotero's "Embedded Metadata" translator reads ``z:itemType``, Highwire ``citation_*``, Dublin Core
and OpenGraph tags, never the JSON-LD; ``extruct`` reads the page as harvesters do (Dublin Core,
OpenGraph, JSON-LD, microdata), and the ``z:``/``citation_*`` tags, which extruct does not read, are
read from the parsed <head> as Zotero reads them.
"""

import datetime

import extruct
import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from citations.models import Citation, Source
from events.models import Event, Meeting
from exports.metadata import TITLE
from organizations.models import Organization, Person
from records.history import public_versions
from records.models import PublicationStatus
from records.versioning import revision
from tests.factories import build_record

pytestmark = pytest.mark.django_db

LANGUAGES = ("ar", "en", "he")
LICENCE = "https://creativecommons.org/licenses/by-sa/4.0/"
# Highwire tags that make Zotero override z:itemType (journal article, report, conference paper...).
TYPE_OVERRIDING_TAGS = {
    "citation_journal_title",
    "citation_technical_report_institution",
    "citation_conference_title",
    "citation_conference",
    "citation_book_title",
    "citation_inbook_title",
    "citation_dissertation_institution",
}
# (model, URL name, the field naming the record in its URL, its value) of every kind of record page.
RECORD_PAGES = {
    "article": (Organization, "organizations:home", None, "allmep"),
    "organization": (Organization, "organizations:organization_detail", "slug", "just-vision"),
    "person": (Person, "organizations:person_detail", "slug", "hazem-fahmy"),
    "event": (Event, "events:event_detail", "slug", "coexistence-conference-2005"),
    "meeting": (Meeting, "events:meeting_detail", "slug", "capitol-hill-2004"),
}


@pytest.fixture
def record():
    """The small record of the tests, saved in a published version, with a news item that has
    everything a source can have."""
    with revision("Created"):
        records = build_record()
        news = Source.objects.create(
            key="haaretz-2009",
            kind="article-newspaper",
            title="ארגוני שלום מתאחדים",
            title_translation_en="Peace groups join forces",
            language="he",
            authors="Levy, Gideon; Amira Hass",
            publisher_en="Haaretz",
            publisher_ar="هآرتس",
            publisher_he="הארץ",
            publication_date="2009-03",
            url="https://www.haaretz.example/news/1.2345",
            archive_url="https://web.archive.org/web/20090401000000/https://www.haaretz.example/news/1.2345",
            archive_date=datetime.date(2009, 4, 1),
            archive_provider="wayback",
            status=PublicationStatus.PUBLISHED,
        )
        Citation.objects.create(source=news, content_object=records["just_vision"], claim="name", position=1)
    return {**records, "news": news}


def page_url(name, lookup, value, language):
    with translation.override(language):
        return reverse(name, kwargs={lookup: value} if lookup else {})


def read(client, path):
    """(extruct's reading of the page, {meta name: [contents]} of its <head>)."""
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.content.decode()
    data = extruct.extract(
        html,
        base_url=f"http://testserver{path}",
        syntaxes=["dublincore", "opengraph", "json-ld", "microdata"],
        uniform=False,
    )
    meta = {}
    for element in lxml.html.fromstring(html).xpath("/html/head/meta[@name and @content]"):
        meta.setdefault(element.get("name"), []).append(element.get("content"))
    return data, meta


def dublin_core(data):
    """{DC.name or DCTERMS.name, lower-cased local name: [contents]} as extruct reads them."""
    (found,) = data["dublincore"]
    values = {}
    for entry in found["elements"] + found["terms"]:
        prefix, _dot, name = entry["name"].partition(".")
        if prefix in ("DC", "DCTERMS"):  # extruct also reads an unprefixed "description"
            values.setdefault(name.lower(), []).append(entry["content"])
    return values


def opengraph(data):
    (found,) = data["opengraph"]
    return dict(found["properties"])


def version_date_and_link(record, language):
    version = public_versions(record)[0]
    moment = timezone.localtime(version.revision.date_created)
    with translation.override(language):
        path = reverse(
            "records:version", kwargs={"label": record._meta.label_lower, "pk": record.pk, "version": version.pk}
        )
    return moment.date(), f"http://testserver{path}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", RECORD_PAGES)
def test_every_record_page_is_an_encyclopedia_article_of_the_version_shown(client, record, page, language):
    model, name, lookup, value = RECORD_PAGES[page]
    shown = model.objects.get(slug=value)
    data, meta = read(client, page_url(name, lookup, value, language))
    dc = dublin_core(data)
    date, permalink = version_date_and_link(shown, language)
    with translation.override(language):
        title, site = str(shown), str(TITLE)

    # Zotero: typed by z:itemType, which no Highwire tag overrides.
    assert meta["z:itemType"] == ["encyclopediaArticle"]
    assert not TYPE_OVERRIDING_TAGS & meta.keys()
    assert meta["citation_title"] == [title]
    assert meta["citation_date"] == [date.strftime("%Y/%m/%d")]
    assert meta["citation_language"] == [language]
    assert meta["citation_public_url"] == [permalink]
    assert meta["citation_publisher"] == [site]
    assert meta["prism.publicationName"] == [site]  # Zotero's encyclopedia title
    # A corporate author, which Zotero keeps whole as a family name.
    assert meta["citation_author"] == [f"{site},"]

    # Dublin Core, as harvesters read it.
    assert dc["title"] == [title]
    assert dc["date"] == [date.isoformat()]
    assert dc["language"] == [language]
    assert dc["publisher"] == [site]
    assert dc["creator"] == [site]
    assert dc["identifier"] == [permalink]
    assert dc["license"] == [LICENCE]
    assert dc["rights"] == ["Creative Commons Attribution-ShareAlike 4.0 International"]

    # OpenGraph and JSON-LD still there, for link previews and search engines.
    og = opengraph(data)
    assert og["og:title"] == title
    assert og["og:site_name"]
    assert data["json-ld"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_old_version_page_names_that_version(client, record, language):
    organization = record["just_vision"]
    with revision("Renamed"):
        organization.name_en = "Just Vision Inc."
        organization.name_ar = "جست فيجن المحدودة"
        organization.save()
    old = public_versions(organization)[1]
    with translation.override(language):
        path = reverse(
            "records:version", kwargs={"label": "organizations.organization", "pk": organization.pk, "version": old.pk}
        )
    data, meta = read(client, path)
    dc = dublin_core(data)

    assert meta["z:itemType"] == ["encyclopediaArticle"]
    assert dc["identifier"] == [f"http://testserver{path}"]
    assert meta["citation_public_url"] == [f"http://testserver{path}"]
    assert dc["date"] == [timezone.localtime(old.revision.date_created).date().isoformat()]
    assert dc["title"] == [{"ar": "جست فيجن", "en": "Just Vision", "he": "Just Vision"}[language]]
    assert dc["language"] == [language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_source_page_describes_the_source_itself(client, record, language):
    data, meta = read(client, page_url("citations:source_detail", "key", "haaretz-2009", language))
    dc = dublin_core(data)
    publisher = {"ar": "هآرتس", "en": "Haaretz", "he": "הארץ"}[language]
    original = "https://www.haaretz.example/news/1.2345"

    assert meta["z:itemType"] == ["newspaperArticle"]
    assert not TYPE_OVERRIDING_TAGS & meta.keys()
    assert meta["citation_title"] == ["ארגוני שלום מתאחדים"]
    assert meta["citation_author"] == ["Levy, Gideon", "Amira Hass"]
    assert meta["citation_date"] == ["2009/03"]
    assert meta["citation_language"] == ["he"]  # the source's language, not the page's
    assert meta["citation_public_url"] == [original]
    assert meta["prism.publicationName"] == [publisher]  # Zotero's newspaper title

    assert dc["title"] == ["ארגוני שלום מתאחדים"]
    assert dc["creator"] == ["Levy, Gideon", "Amira Hass"]
    assert dc["publisher"] == [publisher]
    assert dc["date"] == ["2009-03"]
    assert dc["language"] == ["he"]
    assert dc["identifier"] == [original]
    assert dc["hasversion"] == [record["news"].archive_url]
    # The source is the document: not the site's, and not under the site's licence.
    assert "license" not in dc
    assert "rights" not in dc


@pytest.mark.parametrize(
    ("key", "item_type"),
    [("stanford-coexistence", "report"), ("allmep-overview", "webpage"), ("haaretz-2009", "newspaperArticle")],
)
def test_each_kind_of_source_has_its_zotero_type(client, record, key, item_type):
    data, meta = read(client, page_url("citations:source_detail", "key", key, "en"))
    source = Source.objects.get(key=key)

    assert meta["z:itemType"] == [item_type]
    assert dublin_core(data)["title"] == [source.title]
    if source.authors:
        assert meta["citation_author"] == [name.strip() for name in source.authors.split(";")]


def test_magazine_articles_and_pages_without_a_record_carry_no_reference_item(client, record):
    with revision("Op-ed"):
        Source.objects.create(
            key="op-ed", kind="article", title="Why peace needs civil society", status=PublicationStatus.PUBLISHED
        )
    _data, meta = read(client, page_url("citations:source_detail", "key", "op-ed", "en"))
    assert meta["z:itemType"] == ["magazineArticle"]

    # A list describes no single item: nothing for a reference manager to save as one.
    _data, meta = read(client, page_url("organizations:organization_list", None, None, "en"))
    assert "z:itemType" not in meta
    assert "citation_title" not in meta
