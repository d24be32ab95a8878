"""Search engines and link previews: sitemap.xml, robots.txt, OpenGraph and schema.org JSON-LD."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.test import RequestFactory
from django.urls import resolve
from django.utils import translation

from allmep.seo import json_ld_script, page_meta
from citations.models import Source
from events.models import Event, Meeting
from events.structured_data import event_data
from organizations.models import Organization, Person
from organizations.structured_data import organization_data, person_data
from records.models import PublicationStatus

pytestmark = pytest.mark.django_db

PUBLISHED = PublicationStatus.PUBLISHED
DRAFT = PublicationStatus.DRAFT
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def organization(slug="allmep", name="Alliance for Middle East Peace", status=PUBLISHED, **values):
    values.setdefault("kind", "coalition")
    return Organization.objects.create(slug=slug, name_en=name, name_ar=name, status=status, **values)


def request_for(path):
    request = RequestFactory().get(path)
    request.resolver_match = resolve(path)
    return request


def json_ld(page):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return [json.loads(block) for block in blocks]


def og(page, name):
    return re.findall(rf'<meta property="og:{name}" content="([^"]*)">', page)


# sitemap.xml and robots.txt


def sitemap_urls(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {
        url.findtext(f"{SITEMAP}loc"): {
            link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link[@rel='alternate']")
        }
        for url in root.findall(f"{SITEMAP}url")
    }


def test_sitemap_lists_published_records_in_every_language_with_alternates(client):
    organization(slug="peres-center", name="Peres Center", kind="ngo")
    Person.objects.create(slug="hazem-fahmy", name_en="Hazem Fahmy", status=PUBLISHED)
    Event.objects.create(slug="conference-2005", title_en="Coexistence conference", kind="conference", status=PUBLISHED)
    Source.objects.create(key="allmep-97", title="ALLMEP adds 3 new members", status=PUBLISHED)

    urls = sitemap_urls(client)

    for language in ("ar", "en", "he"):
        for path in ("organizations/peres-center/", "people/hazem-fahmy/"):
            assert f"http://testserver/{language}/{path}" in urls
    alternates = urls["http://testserver/he/organizations/peres-center/"]
    assert alternates["ar"] == "http://testserver/ar/organizations/peres-center/"
    assert alternates["en"] == "http://testserver/en/organizations/peres-center/"
    assert "x-default" in alternates
    assert any("conference-2005" in url for url in urls)
    assert any("allmep-97" in url for url in urls)
    assert "http://testserver/ar/" in urls


def test_drafts_never_appear_in_the_sitemap(client):
    organization(slug="draft-org", name="Draft organization", status=DRAFT)
    Person.objects.create(slug="draft-person", name_en="Draft person", status=DRAFT)
    Event.objects.create(slug="draft-event", title_en="Draft event", kind="panel", status=DRAFT)
    holder = organization(slug="holder", name="Holder", kind="ngo")
    Meeting.objects.create(slug="draft-meeting", title_en="Draft meeting", organization=holder, status=DRAFT)
    Source.objects.create(key="draft-source", title="Draft source", status=DRAFT)

    text = client.get("/sitemap.xml").content.decode()

    assert "holder" in text
    for slug in ("draft-org", "draft-person", "draft-event", "draft-meeting", "draft-source"):
        assert slug not in text


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /*/admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


# JSON-LD built in Python


def test_organization_data_is_a_schema_org_organization():
    parent = organization(slug="parent", name="Parent body", kind="ngo")
    coalition = organization(
        founded="2003-36", formally_founded="2006", website="https://www.allmep.org", short_name_en="ALLMEP"
    )
    coalition.parent = parent

    with translation.override("en"):
        data = organization_data(request_for("/en/organizations/allmep/"), coalition)

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NGO"
    assert data["name"] == "Alliance for Middle East Peace"
    assert data["alternateName"] == "ALLMEP"
    assert data["foundingDate"] == "2006"
    assert data["url"] == "http://testserver/en/organizations/allmep/"
    assert data["sameAs"] == ["https://www.allmep.org"]
    assert data["parentOrganization"]["name"] == "Parent body"


def test_a_part_of_a_year_becomes_its_year_and_drafts_are_not_referenced():
    draft_parent = organization(slug="hidden", name="Hidden parent", status=DRAFT)
    informal = organization(founded="2003-36", parent=draft_parent)

    with translation.override("en"):
        data = organization_data(request_for("/en/"), informal)

    assert data["foundingDate"] == "2003"
    assert "parentOrganization" not in data


def test_event_and_person_data():
    organizer = organization()
    event = Event.objects.create(
        slug="summer-conference",
        title_en="Summer conference on coexistence",
        kind="conference",
        start="2005-06",
        place_en="Washington, D.C.",
        country="US",
        organizer=organizer,
        status=PUBLISHED,
    )
    person = Person.objects.create(
        slug="philip-wilcox", name_en="Philip Wilcox", summary_en="Former US ambassador", status=PUBLISHED
    )

    with translation.override("en"):
        request = request_for("/en/")
        event_ld = event_data(request, event)
        person_ld = person_data(request, person)

    assert event_ld["@type"] == "Event"
    assert event_ld["startDate"] == "2005-06"
    assert event_ld["location"]["address"]["addressCountry"] == "US"
    assert event_ld["organizer"]["name"] == "Alliance for Middle East Peace"
    assert person_ld == {
        "@context": "https://schema.org",
        "@type": "Person",
        "@id": "http://testserver/en/people/philip-wilcox/",
        "url": "http://testserver/en/people/philip-wilcox/",
        "name": "Philip Wilcox",
        "description": "Former US ambassador",
    }


def test_json_ld_cannot_break_out_of_its_script_element():
    name = 'Evil </script><script>alert("x")</script> & co'

    html = json_ld_script({"name": name})

    assert html.count("</script>") == 1
    assert "<script>" not in html.removeprefix('<script type="application/ld+json">')
    assert json_ld(html)[0]["name"] == name


def test_a_draft_handed_to_the_template_is_never_described():
    draft = organization(slug="draft", name="Draft name", status=DRAFT)

    with translation.override("en"):
        meta = page_meta({"request": request_for("/en/organizations/draft/"), "seo_object": draft})

    assert meta["json_ld"] == []
    assert "Draft name" not in meta["title"]


# The tags on pages


def test_record_page_has_opengraph_and_json_ld(client):
    organization(slug="peres-center", name="Peres Center", kind="ngo", summary_en="An Israeli NGO.")

    page = client.get("/en/organizations/peres-center/").content.decode()

    assert og(page, "title") == ["Peres Center"]
    assert og(page, "description") == ["An Israeli NGO."]
    assert og(page, "url") == ["http://testserver/en/organizations/peres-center/"]
    assert og(page, "locale") == ["en_US"]
    assert sorted(og(page, "locale:alternate")) == ["ar_AR", "he_IL"]
    assert og(page, "type") == ["article"]
    assert '<link rel="canonical" href="http://testserver/en/organizations/peres-center/">' in page
    assert [item["@type"] for item in json_ld(page)] == ["NGO"]


def test_a_name_with_script_markup_does_not_break_the_page(client):
    organization(slug="evil", name="Evil </script><script>alert(1)</script>", kind="ngo")

    page = client.get("/en/organizations/evil/").content.decode()

    assert "<script>alert(1)" not in page
    assert json_ld(page)[0]["name"] == "Evil </script><script>alert(1)</script>"


def test_person_page_is_an_opengraph_profile(client):
    Person.objects.create(slug="hazem-fahmy", name_en="Hazem Fahmy", status=PUBLISHED)

    page = client.get("/en/people/hazem-fahmy/").content.decode()

    assert og(page, "type") == ["profile"]
    assert json_ld(page)[0]["@type"] == "Person"


def test_home_page_is_a_website_with_the_coalition_article(client):
    organization()

    page = client.get("/ar/").content.decode()

    website, article = json_ld(page)
    assert website["@type"] == "WebSite"
    assert article["@type"] == "Article"
    assert article["about"]["name"] == "Alliance for Middle East Peace"
    assert og(page, "type") == ["website"]
    assert og(page, "locale") == ["ar_AR"]


@pytest.fixture
def dataset():
    from io import StringIO

    from django.core.management import call_command

    call_command("load_allmep", stdout=StringIO())


def test_every_page_in_the_sitemap_of_the_dataset_is_served(client, dataset):
    urls = sitemap_urls(client)

    published = Organization.objects.published().count()
    assert len([url for url in urls if "/organizations/" in url and url.count("/") == 6]) == 3 * published
    for url in urls:
        response = client.get(url.removeprefix("http://testserver"))
        assert response.status_code == 200, url


def test_home_page_of_the_dataset_describes_the_coalition(client, dataset):
    page = client.get("/en/").content.decode()

    _website, article = json_ld(page)
    assert article["about"]["@type"] == "NGO"
    assert article["about"]["foundingDate"] == "2006"
