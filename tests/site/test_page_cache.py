"""Anonymous readers' pages are kept and served from the page cache, per language and address, and
an edit shows at once; editors never read from it nor fill it; pages with a form are never kept.

Each test runs with the in-process memory cache and again with Redis when one answers (CACHE_URL,
REDIS_URL or 127.0.0.1:6379), each under its own key prefix.
"""

import json
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.template import RequestContext, Template
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse
from django.utils import translation

from allmep.urls import urlpatterns as site_urlpatterns
from organizations.models import Organization
from records.models import PublicationStatus
from records.versioning import revision

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PUBLISHED = PublicationStatus.PUBLISHED
LIST = "/en/organizations/"
MEMORY = "records.bounded_cache.BoundedMemoryCache"  # the settings' process-memory cache
views_run = []


def form_page(request):
    """A page holding a CSRF token, like any page with a POST form."""
    views_run.append(request.path)
    return HttpResponse(Template("<form method='post'>{% csrf_token %}</form>").render(RequestContext(request)))


def cookie_page(request):
    views_run.append(request.path)
    response = HttpResponse("<p>hello</p>")
    response.set_cookie("seen", "1")
    return response


def nonce_page(request):
    """A page with an inline script allowed by this request's CSP nonce."""
    views_run.append(request.path)
    return HttpResponse(f'<script nonce="{request.csp_nonce}">var ready = true;</script>')


# The site's own URLs, plus reader pages only these tests need.
urlpatterns = [
    *site_urlpatterns,
    *i18n_patterns(
        path("test-form/", form_page),
        path("test-cookie/", cookie_page),
        path("test-nonce/", nonce_page),
        prefix_default_language=True,
    ),
]


def redis_url():
    url = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    address = urlsplit(url)
    try:
        socket.create_connection((address.hostname or "127.0.0.1", address.port or 6379), timeout=0.5).close()
    except OSError:
        pytest.skip(f"no Redis answers at {url}")
    return url


@pytest.fixture(params=["locmem", "redis"])
def page_cache(request, settings):
    """The page cache on, with a key prefix of this test's own (Redis may be shared)."""
    prefix = f"test-pages-{uuid.uuid4().hex}"
    caches_ = {key: value for key, value in settings.CACHES.items() if key != "pages-local"}
    if request.param == "redis":
        backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url()}
        # As the settings have it with Redis: the worker's own copy in front.
        caches_["pages-local"] = {"BACKEND": MEMORY, "LOCATION": prefix}
    else:
        backend = {"BACKEND": MEMORY, "LOCATION": prefix}
    settings.CACHES = {**caches_, "pages": {**backend, "KEY_PREFIX": prefix, "TIMEOUT": 60}}
    views_run.clear()
    return caches["pages"]


@pytest.fixture
def organizations():
    with revision("Created"):
        return [
            Organization.objects.create(
                slug="parents-circle",
                name_en="Parents Circle",
                name_ar="منتدى العائلات",
                name_he="פורום המשפחות",
                kind="ngo",
                status=PUBLISHED,
            ),
            Organization.objects.create(
                slug="hope-coalition",
                name_en="Hope Coalition",
                name_ar="ائتلاف الأمل",
                name_he="קואליציית התקווה",
                kind="coalition",
                status=PUBLISHED,
            ),
        ]


def test_the_second_anonymous_request_is_served_from_the_cache(
    client, page_cache, organizations, django_assert_num_queries
):
    first = client.get(LIST)
    assert first.status_code == 200

    with django_assert_num_queries(1):  # the content stamp only
        second = client.get(LIST)

    assert second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert "no-cache" in second["Cache-Control"]
    assert "Parents Circle" in second.content.decode()


def test_a_stored_page_and_its_304_carry_the_headers_of_a_rendered_one(client, page_cache, organizations):
    first = client.get(LIST)
    stored = client.get(LIST)
    not_modified = client.get(LIST, headers={"if-none-match": first["ETag"]})
    head = client.head(LIST)

    for name in ("ETag", "Cache-Control", "Vary", "Content-Type", "Content-Security-Policy", "X-Frame-Options"):
        assert stored[name] == first[name], name
    assert not_modified.status_code == 304
    for name in ("ETag", "Cache-Control", "Vary"):
        assert not_modified[name] == first[name], name
    assert head.status_code == 200 and head.content == b""


def test_an_edit_shows_at_once(client, page_cache, organizations):
    client.get(LIST)
    organization = organizations[0]

    with revision("Renamed"):
        organization.name_en = "The Parents Circle – Families Forum"
        organization.save()

    page = client.get(LIST).content.decode()
    assert "The Parents Circle – Families Forum" in page


def test_each_language_is_kept_apart(client, page_cache, organizations, django_assert_num_queries):
    pages = {language: client.get(f"/{language}/organizations/").content.decode() for language in ("ar", "en", "he")}

    for language, name in (("ar", "منتدى العائلات"), ("en", "Parents Circle"), ("he", "פורום המשפחות")):
        with django_assert_num_queries(1):
            page = client.get(f"/{language}/organizations/").content.decode()
        assert page == pages[language]
        assert f'lang="{language}"' in page
        assert name in page


def test_query_strings_are_kept_apart(client, page_cache, organizations, django_assert_num_queries):
    client.get(LIST + "?kind=coalition")
    client.get(LIST + "?kind=ngo")

    with django_assert_num_queries(1):
        coalitions = client.get(LIST + "?kind=coalition").content.decode()
    with django_assert_num_queries(1):
        ngos = client.get(LIST + "?kind=ngo").content.decode()

    coalition, ngo = 'href="/en/organizations/hope-coalition/"', 'href="/en/organizations/parents-circle/"'
    assert coalition in coalitions
    assert ngo not in coalitions
    assert ngo in ngos
    assert coalition not in ngos


def test_editors_never_read_the_cache(client, page_cache, organizations, django_user_model):
    client.get(LIST)
    editor = django_user_model.objects.create_user(username="editor", password="x" * 16, is_staff=True)
    client.force_login(editor)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST)

    assert response.status_code == 200
    assert len(queries) > 1, "a logged-in editor got the stored page"
    assert "private" in response["Cache-Control"]


def test_editors_never_fill_the_cache(client, page_cache, organizations, django_user_model):
    """The history page names editors to staff only: a staff copy must never reach a reader."""
    organization = organizations[0]
    editor = django_user_model.objects.create_user(username="night-editor", password="x" * 16, is_staff=True)
    with revision("Renamed", user=editor):
        organization.name_en = "Parents Circle Forum"
        organization.save()
    with translation.override("en"):
        history = reverse("records:history", kwargs={"label": "organizations.organization", "pk": organization.pk})
    client.force_login(editor)
    assert "night-editor" in client.get(history).content.decode()

    client.logout()
    for _ in range(2):  # the first anonymous request, then what it stored
        assert "night-editor" not in client.get(history).content.decode()


@pytest.mark.urls(__name__)
def test_pages_holding_a_csrf_token_are_not_kept(client, page_cache):
    first = client.get("/en/test-form/")
    second = client.get("/en/test-form/")

    assert "csrfmiddlewaretoken" in first.content.decode()
    assert "csrftoken" in first.cookies
    assert views_run == ["/en/test-form/", "/en/test-form/"]
    assert "no-store" in second["Cache-Control"]


@pytest.mark.urls(__name__)
def test_responses_setting_cookies_are_not_kept(client, page_cache):
    client.get("/en/test-cookie/")
    response = client.get("/en/test-cookie/")

    assert response.cookies["seen"].value == "1"
    assert views_run == ["/en/test-cookie/", "/en/test-cookie/"]


@pytest.mark.urls(__name__)
def test_pages_using_a_csp_nonce_are_not_kept(client, page_cache):
    first = client.get("/en/test-nonce/")
    second = client.get("/en/test-nonce/")

    assert views_run == ["/en/test-nonce/", "/en/test-nonce/"]
    assert first.content != second.content  # a fresh nonce each time, matching its own header
    assert "nonce-" in second["Content-Security-Policy"]


def test_conditional_requests_still_answer_304(client, page_cache, organizations, django_assert_num_queries):
    etag = client.get(LIST)["ETag"]

    with django_assert_num_queries(1):
        response = client.get(LIST, headers={"if-none-match": etag})

    assert response.status_code == 304


def test_error_pages_are_not_kept(client, page_cache, organizations):
    missing = "/en/organizations/no-such-organization/"
    assert client.get(missing).status_code == 404

    with CaptureQueriesContext(connection) as queries:
        assert client.get(missing).status_code == 404

    assert len(queries) > 1, "the 404 was served from the cache"


@pytest.fixture
def stamp_kept(settings, monkeypatch):
    """The content stamp trusted for 30 s, on a clock the test moves."""
    from records import caching

    settings.PAGE_STAMP_SECONDS = 30
    clock = [1000.0]
    monkeypatch.setattr(caching.time, "monotonic", lambda: clock[0])
    caching.StampMemo.forget()
    yield clock
    caching.StampMemo.forget()


def test_a_kept_stamp_serves_304s_and_stored_pages_without_a_query(
    client, page_cache, organizations, stamp_kept, django_assert_num_queries
):
    first = client.get(LIST)

    with django_assert_num_queries(0):
        assert client.get(LIST, headers={"if-none-match": first["ETag"]}).status_code == 304
        stored = client.get(LIST)

    assert stored.content == first.content


def test_an_edit_in_this_process_shows_at_once_with_a_kept_stamp(client, page_cache, organizations, stamp_kept):
    first = client.get(LIST)

    with revision("Renamed"):
        organizations[0].name_en = "The Parents Circle – Families Forum"
        organizations[0].save()

    response = client.get(LIST, headers={"if-none-match": first["ETag"]})
    assert response.status_code == 200
    assert "The Parents Circle – Families Forum" in response.content.decode()


def test_an_edit_made_by_another_process_shows_once_the_stamp_is_read_again(
    client, page_cache, organizations, stamp_kept
):
    from records.models import ContentStamp

    etag = client.get(LIST)["ETag"]
    # Another worker's edit: the rows change and the stamp is bumped, but not through this process.
    Organization.objects.filter(pk=organizations[0].pk).update(name_en="Renamed elsewhere")
    ContentStamp.bump()

    stamp_kept[0] += 29
    assert client.get(LIST, headers={"if-none-match": etag}).status_code == 304  # still trusted
    stamp_kept[0] += 1
    response = client.get(LIST, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert "Renamed elsewhere" in response.content.decode()


def settings_caches(**env):
    """CACHES as the settings read them from this environment, in a fresh interpreter."""
    env = {key: value for key, value in os.environ.items() if key not in ("CACHE_URL", "REDIS_URL")} | env
    code = "import json; from allmep import settings; print(json.dumps(settings.CACHES))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    return result.returncode, result.stdout, result.stderr


def test_pages_stay_in_process_memory_unless_a_cache_url_is_set():
    returncode, output, _errors = settings_caches()
    assert returncode == 0
    assert json.loads(output)["pages"]["BACKEND"] == MEMORY

    returncode, output, _errors = settings_caches(REDIS_URL="redis://cache.internal:6379/1")
    assert returncode == 0
    assert json.loads(output)["pages"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert json.loads(output)["pages-local"]["BACKEND"] == MEMORY


def test_with_redis_a_worker_serves_pages_from_its_own_memory_first(
    client, settings, organizations, monkeypatch, django_assert_num_queries
):
    prefix = f"test-pages-{uuid.uuid4().hex}"
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url(),
                  "KEY_PREFIX": prefix, "TIMEOUT": 60},
        "pages-local": {"BACKEND": MEMORY, "LOCATION": prefix},
    }  # fmt: skip
    first = client.get(LIST)
    shared, local = caches["pages"], caches["pages-local"]

    # Another worker's copy, in Redis only, is served (the stamp is the one query) and kept here.
    local.clear()
    with django_assert_num_queries(1):
        assert client.get(LIST).content == first.content
    # From then on this worker does not ask Redis for it.
    monkeypatch.setattr(shared, "get", lambda *args, **kwargs: pytest.fail("Redis was read"))
    with django_assert_num_queries(1):
        assert client.get(LIST).content == first.content


def test_a_cache_url_that_is_not_redis_is_refused():
    returncode, _output, errors = settings_caches(CACHE_URL="memcached://127.0.0.1:11211")
    assert returncode != 0
    assert "CACHE_URL must be a Redis URL" in errors


@pytest.mark.parametrize("backend", ["locmem", "redis"])
def test_a_page_cache_of_zero_seconds_keeps_nothing(client, settings, organizations, backend):
    """DJANGO_PAGE_CACHE_SECONDS=0 gives the page caches a TIMEOUT of 0: no page is kept, so none
    sits in a worker's memory (Django's memory cache holds an expired entry until it is culled)."""
    prefix = f"test-pages-{uuid.uuid4().hex}"
    memory = {"BACKEND": MEMORY, "LOCATION": prefix, "TIMEOUT": 0}
    caches_ = {key: value for key, value in settings.CACHES.items() if not key.startswith("pages")}
    if backend == "redis":
        shared = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url(), "TIMEOUT": 0}
        settings.CACHES = {**caches_, "pages": {**shared, "KEY_PREFIX": prefix}, "pages-local": memory}
        in_memory = caches["pages-local"]
    else:
        settings.CACHES = {**caches_, "pages": {**memory, "KEY_PREFIX": prefix}}
        in_memory = caches["pages"]

    for query in ("", "?page=1", "?sort=name", "?cache-buster=1"):
        assert client.get(LIST + query).status_code == 200
    assert not in_memory._cache
