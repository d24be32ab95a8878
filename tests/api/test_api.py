"""The read-only API: published records only, languages, filters, pagination, errors, OpenAPI."""

import pytest
import yaml

from organizations.models import Organization
from records.partial_dates import PartialDate
from tests.answers import get_json
from tests.factories import PLAIN_AR, PLAIN_EN, PUBLISHED, build_record


@pytest.fixture
def record(db):
    return build_record()


@pytest.mark.parametrize(
    ("collection", "identifiers"),
    [
        ("organizations", ["allmep", "just-vision"]),
        ("events", ["coexistence-conference-2005"]),
        ("meetings", ["capitol-hill-2004"]),
        ("people", ["hazem-fahmy"]),
        ("sources", ["allmep-overview", "stanford-coexistence"]),
    ],
)
def test_collections_list_only_published_records_by_stable_identifier(client, record, collection, identifiers):
    data = get_json(client, f"/api/{collection}/")
    assert [item["id"] for item in data["results"]] == identifiers
    assert data["count"] == len(identifiers)
    detail = get_json(client, data["results"][0]["url"])
    assert detail["id"] == identifiers[0]


def test_memberships_figures_and_citations_leave_out_drafts(client, record):
    memberships = get_json(client, "/api/memberships/")["results"]
    assert [(item["member"], item["coalition"]) for item in memberships] == [("just-vision", "allmep")]
    figures = get_json(client, "/api/figures/")["results"]
    assert [(item["metric"], item["value"]) for item in figures] == [("member_organizations", 97)]
    citations = get_json(client, "/api/citations/")["results"]
    assert {(item["record_type"], item["record_id"], item["source"]) for item in citations} == {
        ("organizations", "allmep", "allmep-overview"),
        ("organizations", "allmep", "stanford-coexistence"),
        ("memberships", str(memberships[0]["id"]), "allmep-overview"),
    }


def test_drafts_are_not_found(client, record):
    get_json(client, "/api/organizations/hidden-org/", status=404)
    get_json(client, "/api/people/draft-person/", status=404)
    get_json(client, "/api/sources/draft-source/", status=404)


def test_language_by_parameter_or_header_with_every_translation(client, record):
    url = "/api/organizations/allmep/"
    assert get_json(client, url + "?lang=he")["name"] == "הברית לשלום במזרח התיכון"
    assert get_json(client, url, HTTP_ACCEPT_LANGUAGE="en")["name"] == "Alliance for Middle East Peace"
    data = get_json(client, url + "?lang=ar", HTTP_ACCEPT_LANGUAGE="en")
    assert data["name"] == "التحالف من أجل السلام في الشرق الأوسط"
    assert data["name_translations"] == {
        "ar": "التحالف من أجل السلام في الشرق الأوسط",
        "en": "Alliance for Middle East Peace",
        "he": "הברית לשלום במזרח התיכון",
    }
    assert data["permalink"] == "http://testserver/ar/organizations/allmep/"
    assert data["founded"] == {
        "edtf": "2003-36",
        "earliest": "2003-10-01",
        "latest": "2003-12-31",
        "label": PartialDate.parse("2003-36").format_in("ar"),
    }
    assert data["sources"] == ["allmep-overview", "stanford-coexistence"]


def test_missing_translation_falls_back(client, record):
    # Just Vision has no Hebrew name: Hebrew readers get the English one.
    assert get_json(client, "/api/organizations/just-vision/?lang=he")["name"] == "Just Vision"


def test_an_unknown_language_is_a_400(client, record):
    data = get_json(client, "/api/organizations/?lang=fr", status=400)
    assert "lang" in data["errors"]


def test_filters_are_the_list_pages(client, record):
    data = get_json(client, "/api/organizations/?kind=ngo")
    assert [item["id"] for item in data["results"]] == ["just-vision"]
    data = get_json(client, "/api/organizations/?kind=nope", status=400)
    assert "kind" in data["errors"]
    assert data["detail"]


def test_people_filter_by_part_of_a_name_in_any_language(client, record):
    assert [item["id"] for item in get_json(client, "/api/people/?name=fahmy")["results"]] == ["hazem-fahmy"]
    assert [item["id"] for item in get_json(client, "/api/people/?name=حازم")["results"]] == ["hazem-fahmy"]
    assert get_json(client, "/api/people/?name=nobody")["results"] == []
    data = get_json(client, f"/api/people/?name={'x' * 201}", status=400)
    assert "name" in data["errors"]


def test_pagination(client, record):
    for index in range(5):
        Organization.objects.create(slug=f"org-{index}", name_en=f"Org {index}", kind="ngo", status=PUBLISHED)
    first = get_json(client, "/api/organizations/?page_size=3")
    assert first["count"] == 7
    assert len(first["results"]) == 3
    assert "page=2" in first["next"]
    third = get_json(client, first["next"].replace("page=2", "page=3"))
    assert len(third["results"]) == 1
    assert third["next"] is None
    pages = [get_json(client, f"/api/organizations/?page_size=3&page={page}") for page in (1, 2, 3)]
    seen = [item["id"] for page in pages for item in page["results"]]
    assert len(set(seen)) == 7
    get_json(client, "/api/organizations/?page=99", status=404)
    get_json(client, "/api/organizations/?page=abc", status=404)
    assert "page_size" in get_json(client, "/api/organizations/?page_size=0", status=400)["errors"]
    assert "page_size" in get_json(client, "/api/organizations/?page_size=501", status=400)["errors"]


def test_list_query_count_does_not_grow_with_rows(client, record, django_assert_max_num_queries):
    for index in range(20):
        Organization.objects.create(slug=f"org-{index}", name_en=f"Org {index}", kind="ngo", status=PUBLISHED)
    with django_assert_max_num_queries(4):
        get_json(client, "/api/organizations/?page_size=100")
    with django_assert_max_num_queries(5):
        get_json(client, "/api/meetings/")


def test_unknown_addresses_answer_json(client, db):
    assert get_json(client, "/api/nothing/here/", status=404)["detail"]
    get_json(client, "/api/memberships/abc/", status=404)


def test_openapi_description_at_a_stable_address(client, db):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    collections = ("organizations", "memberships", "events", "meetings", "people", "sources", "citations", "figures")
    for collection in collections:
        assert f"/api/{collection}/" in paths
        parameters = {parameter["name"] for parameter in paths[f"/api/{collection}/"]["get"]["parameters"]}
        assert {"lang", "page", "page_size"} <= parameters
    organization_filters = {p["name"] for p in paths["/api/organizations/"]["get"]["parameters"]}
    assert "kind" in organization_filters
    assert set(paths["/api/organizations/{slug}/"]["get"]["responses"]) == {"200", "400", "404"}


def test_docs_page_uses_no_cdn(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert "/api/schema/" in html


def strings(value):
    """Every text in a JSON document."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def test_prose_is_plain_text_in_the_language_and_in_every_translation(client, record):
    data = get_json(client, "/api/organizations/allmep/?lang=en")
    assert data["description"] == PLAIN_EN
    assert data["description_translations"] == {"ar": PLAIN_AR, "en": PLAIN_EN, "he": ""}
    assert get_json(client, "/api/organizations/allmep/?lang=ar")["description"] == PLAIN_AR


@pytest.mark.parametrize("language", ["ar", "en", "he"])
def test_no_answer_carries_the_editing_markup_for_the_allmep_dataset(client, db, language):
    import io

    from django.core.management import call_command

    call_command("load_allmep", stdout=io.StringIO())
    collections = ("organizations", "memberships", "events", "meetings", "people", "sources", "citations", "figures")
    for collection in collections:
        data = get_json(client, f"/api/{collection}/?lang={language}&page_size=500")
        assert data["next"] is None
        for text in strings(data["results"]):
            assert not [mark for mark in ("[[", "]]", "''", "{{", "}}") if mark in text], (collection, text)
    event = get_json(client, f"/api/events/first-coexistence-conference-2004/?lang={language}")
    assert event["description_translations"]["en"].startswith("The Alliance for Middle East Peace, then")


def test_openapi_description_says_prose_is_plain_text(client, db):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    for component in ("Organization", "Person", "Event", "Meeting"):
        properties = schema["components"]["schemas"][component]["properties"]
        assert "plain text" in properties["description"]["description"], component
        assert "plain text" in properties["description_translations"]["description"], component
    assert "plain text" not in schema["components"]["schemas"]["Organization"]["properties"]["name"]["description"]
