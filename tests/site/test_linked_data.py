"""Linked data: a record's page address answers with the record as RDF when asked (content negotiation),
the HTML page stays the default, and the page cache never gives one for the other. Every format is read
back with rdflib, as a linked-data client would read it."""

import uuid

import pytest
from django.contrib.auth.models import User
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from organizations.models import Organization, Person
from tests.factories import build_record

pytestmark = pytest.mark.django_db

SCHEMA = Namespace("http://schema.org/")
SITE = "http://testserver"
FORMATS = {"application/ld+json": "json-ld", "text/turtle": "turtle", "application/n-triples": "nt"}
ALLMEP = "/en/organizations/allmep/"
MEMORY = "records.bounded_cache.BoundedMemoryCache"


@pytest.fixture
def record():
    return build_record()


def rdf(client, path, media_type, **headers):
    response = client.get(path, headers={"accept": media_type, **headers})
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].split(";")[0] == media_type
    graph = Graph()
    graph.parse(data=response.content.decode(), format=FORMATS[media_type])
    return response, graph


def vary(response):
    return {value.strip().lower() for value in response.get("Vary", "").split(",")}


@pytest.mark.parametrize("media_type", FORMATS)
def test_an_organization_as_rdf_in_every_format(client, record, media_type):
    response, graph = rdf(client, ALLMEP, media_type)
    me = URIRef(SITE + ALLMEP)

    assert "accept" in vary(response)
    assert (me, RDF.type, SCHEMA.NGO) in graph
    assert (me, SCHEMA.name, Literal("Alliance for Middle East Peace", lang="en")) in graph
    assert (me, SCHEMA.alternateName, Literal("ALLMEP", lang="en")) in graph
    assert (me, SCHEMA.url, me) in graph
    assert (me, SCHEMA.foundingDate, Literal("2006")) in graph  # formally founded, untagged
    # The record cites its published sources, each described as on its own page; never a draft source.
    overview, stanford = (
        URIRef(SITE + "/en/sources/allmep-overview/"),
        URIRef(SITE + "/en/sources/stanford-coexistence/"),
    )
    assert set(graph.objects(me, SCHEMA.citation)) == {overview, stanford}
    assert (stanford, RDF.type, SCHEMA.CreativeWork) in graph
    assert (stanford, SCHEMA.name, Literal("Promoting People-to-People Coexistence in the Middle East", lang="en")) in (
        graph
    )
    assert (stanford, SCHEMA.datePublished, Literal("2009-03-19")) in graph
    assert "draft-source" not in response.content.decode()
    # The claim "founded" is backed by the overview: a schema:Claim about the record, appearing in it.
    claims = list(graph.subjects(RDF.type, SCHEMA.Claim))
    assert len(claims) == 1
    assert (claims[0], SCHEMA.about, me) in graph
    assert (claims[0], SCHEMA.appearance, overview) in graph
    assert (claims[0], SCHEMA.name, Literal("founded", lang="en")) in graph
    # No Wikidata item unless one is recorded.
    assert not any("wikidata" in str(value) for value in graph.objects(me, SCHEMA.sameAs))


def test_names_are_in_the_language_of_the_page(client, record):
    response, graph = rdf(client, "/he/organizations/allmep/", "text/turtle")
    assert "@prefix schema: <http://schema.org/> ." in response.content.decode()  # readable Turtle
    me = URIRef(SITE + "/he/organizations/allmep/")
    assert (me, SCHEMA.name, Literal("הברית לשלום במזרח התיכון", lang="he")) in graph
    # A source's title stays in the source's own language on every page.
    stanford = URIRef(SITE + "/he/sources/stanford-coexistence/")
    assert (stanford, SCHEMA.name, Literal("Promoting People-to-People Coexistence in the Middle East", lang="en")) in (
        graph
    )


@pytest.mark.parametrize(
    ("path", "kind", "name"),
    [
        ("/en/people/hazem-fahmy/", SCHEMA.Person, "Hazem Fahmy"),
        ("/en/events/coexistence-conference-2005/", SCHEMA.Event, "Coexistence conference"),
        ("/en/events/meetings/capitol-hill-2004/", SCHEMA.Event, "First meeting"),
        (
            "/en/sources/stanford-coexistence/",
            SCHEMA.CreativeWork,
            "Promoting People-to-People Coexistence in the Middle East",
        ),
    ],
)
@pytest.mark.parametrize("media_type", FORMATS)
def test_every_kind_of_page_answers_with_rdf(client, record, path, kind, name, media_type):
    response, graph = rdf(client, path, media_type)
    me = URIRef(SITE + path)
    assert (me, RDF.type, kind) in graph
    assert (me, SCHEMA.name, Literal(name, lang="en")) in graph
    assert "accept" in vary(response)


def test_an_event_links_to_its_organizers_page(client, record):
    _response, graph = rdf(client, "/en/events/coexistence-conference-2005/", "application/n-triples")
    event = URIRef(SITE + "/en/events/coexistence-conference-2005/")
    assert (event, SCHEMA.organizer, URIRef(SITE + ALLMEP)) in graph
    assert (event, SCHEMA.startDate, Literal("2005-06")) in graph


@pytest.mark.parametrize("media_type", FORMATS)
def test_a_wikidata_item_is_published_as_same_as(client, record, media_type):
    # An id made up for the test (Q0 is no item); the dataset records none that a source does not give.
    Person.objects.filter(slug="hazem-fahmy").update(wikidata="Q987654321")
    Organization.objects.filter(slug="just-vision").update(wikidata="Q123456789")
    _response, graph = rdf(client, "/en/people/hazem-fahmy/", media_type)
    assert (
        URIRef(SITE + "/en/people/hazem-fahmy/"),
        SCHEMA.sameAs,
        URIRef("https://www.wikidata.org/entity/Q987654321"),
    ) in graph
    _response, graph = rdf(client, "/en/organizations/just-vision/", media_type)
    assert (
        URIRef(SITE + "/en/organizations/just-vision/"),
        SCHEMA.sameAs,
        URIRef("https://www.wikidata.org/entity/Q123456789"),
    ) in graph


def test_the_pages_json_ld_carries_the_wikidata_item(client, record):
    Person.objects.filter(slug="hazem-fahmy").update(wikidata="Q987654321")
    html = client.get("/en/people/hazem-fahmy/").content.decode()
    assert '"sameAs": ["https://www.wikidata.org/entity/Q987654321"]' in html


@pytest.mark.parametrize(
    "accept",
    [
        None,
        "*/*",
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",  # Firefox
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,"
        "application/signed-exchange;v=b3;q=0.7",  # Chromium
        "text/*",
        "text/html;q=0.9, text/turtle;q=0.9",
    ],
)
def test_html_stays_the_default(client, record, accept):
    response = client.get(ALLMEP, headers={"accept": accept} if accept else {})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "<html" in response.content.decode()
    assert "accept" in vary(response)


def test_the_preferred_format_wins(client, record):
    response = client.get(ALLMEP, headers={"accept": "text/html;q=0.5, text/turtle"})
    assert response["Content-Type"].startswith("text/turtle")
    response = client.get(
        ALLMEP, headers={"accept": 'application/ld+json; profile="http://www.w3.org/ns/json-ld#compacted"'}
    )
    assert response["Content-Type"].startswith("application/ld+json")


@pytest.mark.parametrize("accept", ["application/xml", "image/png", "text/html;q=0, application/rdf+xml"])
def test_an_unsupported_format_is_a_406_that_says_what_is_offered(client, record, accept):
    response = client.get(ALLMEP, headers={"accept": accept})
    assert response.status_code == 406
    text = response.content.decode()
    assert "text/turtle" in text and "application/ld+json" in text and "text/html" in text
    assert "accept" in vary(response)


def test_a_406_is_translated(client, record):
    response = client.get("/ar/organizations/allmep/", headers={"accept": "image/png"})
    assert response.status_code == 406
    assert "text/turtle" in response.content.decode()
    assert "This address offers" not in response.content.decode()


@pytest.mark.parametrize("media_type", [*FORMATS, "text/html"])
@pytest.mark.parametrize(
    "path",
    [
        "/en/organizations/hidden-org/",
        "/en/people/draft-person/",
        "/en/events/secret-event/",
        "/en/sources/draft-source/",
        "/en/organizations/no-such-organization/",
    ],
)
def test_drafts_are_404_in_every_format(client, record, path, media_type):
    assert client.get(path, headers={"accept": media_type}).status_code == 404


def test_staff_previews_are_html_only(client, record):
    client.force_login(User.objects.create_superuser("boss", "boss@example.org", "not-used-here-1234"))
    assert client.get("/en/organizations/hidden-org/").status_code == 200  # the preview
    assert client.get("/en/organizations/hidden-org/", headers={"accept": "text/turtle"}).status_code == 404


@pytest.fixture
def page_cache(settings):
    prefix = f"test-linked-data-{uuid.uuid4().hex}"
    caches_ = {key: value for key, value in settings.CACHES.items() if key != "pages-local"}
    settings.CACHES = {**caches_, "pages": {"BACKEND": MEMORY, "LOCATION": prefix, "KEY_PREFIX": prefix, "TIMEOUT": 60}}


def test_the_page_cache_keeps_each_format_apart(client, record, page_cache):
    def get(accept=None):
        response = client.get(ALLMEP, headers={"accept": accept} if accept else {})
        assert response.status_code == 200
        return response

    html = get()
    turtle = get("text/turtle")
    assert turtle["Content-Type"].startswith("text/turtle")
    assert get()["Content-Type"].startswith("text/html")  # now served from the cache
    assert get("text/turtle").content == turtle.content  # and so is the Turtle
    assert get("application/n-triples")["Content-Type"].startswith("application/n-triples")
    assert get("*/*").content == html.content
    # Each representation has its own validator: the HTML page's never confirms a stored Turtle copy.
    assert html["ETag"] != turtle["ETag"]
    response = client.get(ALLMEP, headers={"accept": "text/turtle", "if-none-match": html["ETag"]})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/turtle")
    response = client.get(ALLMEP, headers={"accept": "text/turtle", "if-none-match": turtle["ETag"]})
    assert response.status_code == 304
    assert "accept" in vary(response)
    response = client.get(ALLMEP, headers={"if-none-match": turtle["ETag"]})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_pages_that_are_no_record_do_not_negotiate(client, record):
    response = client.get("/en/organizations/", headers={"accept": "text/turtle"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "accept" not in vary(response)
