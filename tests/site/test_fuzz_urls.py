"""Bad input never makes a 500: hypothesis sends any text (any Unicode but surrogates, NULs and
control characters included) to every public address and query parameter (list filters and
pages, search, record slugs and keys, history numbers, export tables and formats, the API's
parameters, language prefixes) and every answer is below 500."""

from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_record

FUZZ = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Any text but lone surrogates (which no URL can carry), and often the characters that trip
# parsers and databases: NUL, line breaks, URL syntax, quotes, non-ASCII digits, bidi controls.
TRICKY = ["\x00", "\n", "\t", "/", "%", "?", "#", ".", "..", "<", '"', "'", " ", "٣", "²", "\u202e", "😀", "a", "1"]
any_text = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.lists(st.sampled_from(TRICKY), max_size=8).map("".join),
)
numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["", "0", "1", "2", "999999", "1e3", "1.5", "-1", "٣", "²", "NaN", "inf", "0x10", " 1"]),
)
languages = st.sampled_from(["ar", "en", "he"])
# A parameter's value: any text, a number-like string, or a value the form would accept.
KNOWN = ["allmep", "coalition", "ngo", "summit", "US", "IL", "PS", "name", "-name", "founded", "-start", "2004", ""]
values = st.one_of(any_text, numbers, st.sampled_from(KNOWN))


def in_language(language, name, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def record(db):
    return make_record()


def assert_no_server_error(response, what):
    assert response.status_code < 500, f"{what} answered {response.status_code}"


LISTS = {
    "organizations:organization_list": ["kind", "country", "member_of", "joined", "sort", "page"],
    "organizations:person_list": ["page"],
    "events:event_list": ["kind", "year", "organizer", "page"],
    "events:meeting_list": ["year", "counterpart", "sort", "page"],
    "citations:source_list": ["page"],
    "search:results": ["q", "page"],
    "organization_suggest": ["q"],
    "exports:index": [],
}


@FUZZ
@given(
    name=st.sampled_from(sorted(LISTS)),
    language=languages,
    data=st.data(),
)
def test_list_pages_and_search_take_any_parameters(client, record, name, language, data):
    parameters = data.draw(st.dictionaries(st.sampled_from([*LISTS[name], "unknown"]), values, max_size=5))
    url = in_language(language, name)
    assert_no_server_error(client.get(url, parameters), f"{url} {parameters!r}")


@FUZZ
@given(query=any_text, page=values, language=languages)
def test_search_takes_any_text(client, record, query, page, language):
    url = in_language(language, "search:results")
    assert_no_server_error(client.get(url, {"q": query, "page": page}), f"search {query!r} page {page!r}")
    url = in_language(language, "organization_suggest")
    assert_no_server_error(client.get(url, {"q": query}), f"suggestions {query!r}")


DETAILS = [
    ("organizations:organization_detail", "slug"),
    ("organizations:person_detail", "slug"),
    ("events:event_detail", "slug"),
    ("events:meeting_detail", "slug"),
    ("citations:source_detail", "key"),
]
API_LISTS = ["organizations", "memberships", "events", "meetings", "people", "sources", "citations", "figures"]


@FUZZ
@given(identifier=any_text, language=languages, kind=st.sampled_from(DETAILS), endpoint=st.sampled_from(API_LISTS))
def test_any_slug_key_or_identifier_in_a_path(client, record, identifier, language, kind, endpoint):
    segment = quote(identifier, safe="") or "x"
    name, _key = kind
    prefix = in_language(language, name, **{_key: "placeholder"}).replace("placeholder/", "")
    for url in (
        f"{prefix}{segment}/",
        f"/api/{endpoint}/{segment}/",
        f"/{language}/export/citations/source/{segment}.bib",
    ):
        assert_no_server_error(client.get(url), url)


@FUZZ
@given(
    label=st.one_of(any_text, st.sampled_from(["organizations.organization", "organizations.person", "events.event"])),
    pk=st.one_of(st.integers(min_value=0, max_value=2**70), st.just(1)),
    parameters=st.dictionaries(st.sampled_from(["to", "from", "page"]), values, max_size=3),
    language=languages,
)
def test_history_and_diff_take_any_label_number_and_versions(client, record, label, pk, parameters, language):
    label = quote(label, safe="") or "x"
    for url in (f"/{language}/history/{label}/{pk}/", f"/{language}/history/{label}/{pk}/diff/"):
        assert_no_server_error(client.get(url, parameters), f"{url} {parameters!r}")


EXPORT_TABLES = ["organizations", "memberships", "events", "meetings", "people", "sources", "figures"]
EXPORT_FILTERS = ["kind", "country", "member_of", "joined", "sort", "year", "organizer", "counterpart", "member"]
EXPORT_FILTERS += ["coalition", "organization", "metric", "link_status", "language"]


@FUZZ
@given(
    table=st.one_of(st.sampled_from(EXPORT_TABLES), any_text),
    format=st.one_of(st.sampled_from(["csv", "json", "xlsx", "bib", "ris"]), any_text),
    parameters=st.dictionaries(st.sampled_from(EXPORT_FILTERS), values, max_size=4),
    language=languages,
)
def test_exports_take_any_table_format_and_filters(client, record, table, format, parameters, language):
    table, format = quote(table, safe="") or "x", quote(format, safe="") or "x"
    for url in (
        f"/{language}/export/{table}.{format}",
        f"/{language}/export/citations/sources.{format}",
        f"/{language}/export/citations/{table}/allmep.{format}",
    ):
        response = client.get(url, parameters)
        if response.streaming:
            b"".join(response.streaming_content)  # a streamed body can still fail half way
        assert_no_server_error(response, f"{url} {parameters!r}")


API_PARAMETERS = ["lang", "page", "page_size", "source", "claim", *EXPORT_FILTERS]


@FUZZ
@given(
    endpoint=st.sampled_from([*API_LISTS, "schema", "docs"]),
    parameters=st.dictionaries(st.sampled_from(API_PARAMETERS), values, max_size=4),
)
def test_the_api_takes_any_parameters(client, record, endpoint, parameters):
    assert_no_server_error(client.get(f"/api/{endpoint}/", parameters), f"/api/{endpoint}/ {parameters!r}")


@FUZZ
@given(
    prefix=any_text,
    rest=st.sampled_from(["", "organizations/", "search/", "admin/login/", "export/"]),
    accept_language=any_text.filter(lambda text: text.isprintable() and text.isascii()),
    next_url=any_text,
)
def test_any_language_prefix_header_and_redirect_target(client, record, prefix, rest, accept_language, next_url):
    url = f"/{quote(prefix, safe='')}/{rest}"
    response = client.get(url, headers={"accept-language": accept_language})
    assert_no_server_error(response, f"{url} Accept-Language {accept_language!r}")
    response = client.post("/i18n/setlang/", {"language": prefix, "next": next_url})
    assert_no_server_error(response, f"setlang {prefix!r} next {next_url!r}")
    assert_no_server_error(client.get("/en/admin/login/", {"next": next_url}), f"login next {next_url!r}")
    assert_no_server_error(client.get("/sitemap.xml", {"p": next_url}), f"sitemap p {next_url!r}")
