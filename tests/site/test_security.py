"""Production security: `check --deploy` is clean, HTTPS and cookies follow the environment, every
response carries the security headers and a strict Content-Security-Policy that no page breaks
(checked in Chromium too), and admin logins are throttled."""

import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from records.history import versions_for
from records.versioning import revision
from tests.answers import pages
from tests.factories import collected_static_root, edit_a_person, make_record

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
    "DJANGO_ALLOWED_HOSTS": "example.org",
}
CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
LOGIN = "/en/admin/login/"
PASSWORD = "a long enough passphrase 42"


def project_env(**values):
    """The environment of a manage.py run: this one without the project's variables, plus ``values``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "allmep.settings"
    return {**env, **values}


def manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=project_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_has_nothing_to_say_with_production_settings(tmp_path):
    # drf-spectacular's deploy check builds the API description, which reads the database.
    env = {
        **PRODUCTION,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_STATIC_ROOT": collected_static_root(tmp_path / "static"),
    }
    migrated = manage("migrate", "--no-input", "-v0", **env)
    assert migrated.returncode == 0, migrated.stderr
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


SHOW_SETTINGS = """
import json
from django.conf import settings
names = ["DEBUG", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
         "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SECURE_PROXY_SSL_HEADER",
         "AXES_FAILURE_LIMIT", "AXES_IPWARE_PROXY_COUNT", "AXES_IPWARE_META_PRECEDENCE_ORDER"]
print(json.dumps({name: getattr(settings, name, None) for name in names}))
"""


def settings_under(**env):
    import json

    result = subprocess.run(
        [sys.executable, "-c", SHOW_SETTINGS],
        cwd=BASE_DIR,
        env=project_env(DJANGO_SECRET_KEY="x" * 50, **env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_is_the_default_and_debug_serves_plain_http():
    production = settings_under(DJANGO_DEBUG="0")
    assert (
        production["SECURE_SSL_REDIRECT"] and production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]
    )
    assert production["SESSION_COOKIE_HTTPONLY"]
    assert production["SECURE_HSTS_SECONDS"] >= 31536000
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and production["SECURE_HSTS_PRELOAD"]
    assert production["SECURE_PROXY_SSL_HEADER"] is None

    # bin/serve: DEBUG on http://127.0.0.1, no redirect, cookies sent over plain HTTP, no HSTS.
    local = settings_under(DJANGO_DEBUG="1")
    assert not local["SECURE_SSL_REDIRECT"] and not local["SESSION_COOKIE_SECURE"] and not local["CSRF_COOKIE_SECURE"]
    assert local["SECURE_HSTS_SECONDS"] == 0


def test_proxy_header_hsts_and_login_limit_come_from_the_environment():
    tuned = settings_under(
        DJANGO_DEBUG="0",
        DJANGO_SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
        DJANGO_SECURE_HSTS_SECONDS="600",
        DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="0",
        DJANGO_SECURE_HSTS_PRELOAD="0",
        DJANGO_LOGIN_FAILURE_LIMIT="10",
        DJANGO_FORWARDED_PROXY_COUNT="0",
    )
    assert tuned["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert tuned["SECURE_HSTS_SECONDS"] == 600
    assert not tuned["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and not tuned["SECURE_HSTS_PRELOAD"]
    assert tuned["AXES_FAILURE_LIMIT"] == 10
    assert tuned["AXES_IPWARE_PROXY_COUNT"] == 0
    assert tuned["AXES_IPWARE_META_PRECEDENCE_ORDER"][0] == "HTTP_X_FORWARDED_FOR"


def csp_directives(response):
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def test_every_kind_of_response_has_the_security_headers_and_the_strict_policy(client, db):
    make_record()
    for url in ("/en/", "/ar/organizations/", LOGIN, "/api/organizations/", "/sitemap.xml", "/en/no-such-page/"):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert csp_directives(response) == CSP, url
        assert response["X-Frame-Options"] == "DENY", url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
        policy = response["Permissions-Policy"]
        assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy, url


def test_https_redirect_and_hsts_behind_a_proxy(client, db):
    make_record()
    proxy = {"SECURE_SSL_REDIRECT": True, "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https")}
    with override_settings(**proxy, SECURE_HSTS_SECONDS=31536000):
        response = client.get("/en/", headers={"host": "localhost"})
        assert response.status_code == 301
        assert response["Location"] == "https://localhost/en/"
        response = client.get("/en/", headers={"x-forwarded-proto": "https"})
        assert response.status_code == 200
        assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_api_docs_mark_their_inline_script_and_style_with_the_nonce(client, db):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    directives = csp_directives(response)
    nonce = re.fullmatch(r"'self' 'nonce-([A-Za-z0-9+/=]+)'", directives["script-src"]).group(1)
    assert directives["style-src"] == f"'self' 'nonce-{nonce}'"
    html = response.content.decode()
    inline = re.findall(r"<(script|style)(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline and all(f'nonce="{nonce}"' in attributes for _tag, attributes in inline)
    # A new nonce every time.
    assert nonce not in client.get("/api/docs/")["Content-Security-Policy"]


class InlineCode(HTMLParser):
    """Inline scripts (other than JSON data blocks), <style> elements, style and on* attributes."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/ld+json":
            self.found.append(f"inline <script {attrs}>")
        if tag == "style":
            self.found.append("<style> element")
        for name in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}={attrs[name]!r}>")


def inline_code(html):
    parser = InlineCode()
    parser.feed(html)
    return parser.found


PAGES = [
    ("organizations:home", {}),
    ("organizations:organization_list", {}),
    ("organizations:organization_detail", {"slug": "allmep"}),
    ("organizations:person_list", {}),
    ("organizations:person_detail", {"slug": "hazem-fahmy"}),
    ("events:event_list", {}),
    ("events:event_detail", {"slug": "summer-conference-2005"}),
    ("events:meeting_list", {}),
    ("events:meeting_detail", {"slug": "summit-meetings-2009"}),
    ("citations:source_list", {}),
    ("citations:source_detail", {"key": "stanford-coexistence"}),
    ("exports:index", {}),
]


def test_reader_and_admin_pages_hold_no_inline_script_style_or_event_handler(client, db):
    """What the policy would block, found in the HTML itself (the browser test below sees it happen)."""
    record = make_record()
    person = record["person"]
    for summary in ("First summary", "Second summary"):
        with revision(summary):
            person.summary_en = summary
            person.save()
    label, latest = person._meta.label_lower, versions_for(person).first()
    found = {}
    for language in ("ar", "en", "he"):
        with translation.override(language):
            urls = [reverse(name, kwargs=kwargs) for name, kwargs in PAGES]
            urls += [reverse("search:results") + "?q=ALLMEP", reverse("organizations:home") + "no-such-page/"]
            urls += [
                reverse("records:history", kwargs={"label": label, "pk": person.pk}),
                reverse("records:diff", kwargs={"label": label, "pk": person.pk}) + f"?to={latest.pk}",
            ]
        for url in urls:
            found[url] = inline_code(client.get(url).content.decode())
    client.force_login(User.objects.create_superuser("boss", "boss@example.org", PASSWORD))
    organization = record["coalition"]
    for url in (
        "/en/admin/",
        "/en/admin/organizations/organization/",
        f"/en/admin/organizations/organization/{organization.pk}/change/",
        f"/ar/admin/organizations/organization/{organization.pk}/history/",
        "/en/admin/events/event/add/",
        "/en/admin/citations/source/",
    ):
        found[url] = inline_code(client.get(url).content.decode())
    assert not {url: problems for url, problems in found.items() if problems}


# Logging in: django-axes throttles failures per username and address.


@pytest.fixture
def staff(db):
    return User.objects.create_user("staffer", "staffer@example.org", PASSWORD, is_staff=True, is_superuser=True)


def log_in(client, username, password, address="192.0.2.1"):
    data = {"username": username, "password": password, "next": "/en/admin/"}
    return client.post(LOGIN, data, REMOTE_ADDR=address)


def logged_in(response):
    return response.status_code == 302 and response["Location"] == "/en/admin/"


def test_the_admin_login_form_works(client, staff):
    assert logged_in(log_in(client, "staffer", PASSWORD))
    assert client.get("/en/admin/").status_code == 200


def test_force_login_still_works(client, staff):
    client.force_login(staff)
    assert client.get("/en/admin/").status_code == 200


@override_settings(AXES_FAILURE_LIMIT=3)
def test_failed_logins_lock_out_that_username_from_that_address(client, staff):
    for _ in range(3):
        response = log_in(client, "staffer", "wrong password")
        assert response.status_code in (200, 429)
    locked = log_in(client, "staffer", PASSWORD)
    assert locked.status_code == 429
    assert not client.session.get("_auth_user_id")
    # The same person from another address, and another user from this address, still log in.
    assert logged_in(log_in(client, "staffer", PASSWORD, address="198.51.100.7"))
    client.logout()
    User.objects.create_user("colleague", "c@example.org", PASSWORD, is_staff=True)
    assert logged_in(log_in(client, "colleague", PASSWORD))


@override_settings(
    AXES_FAILURE_LIMIT=3,
    AXES_IPWARE_PROXY_COUNT=0,
    AXES_IPWARE_META_PRECEDENCE_ORDER=("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
)
def test_behind_a_proxy_the_lockout_follows_the_forwarded_client_address(client, staff):
    def through_proxy(password, client_address):
        data = {"username": "staffer", "password": password, "next": "/en/admin/"}
        return client.post(LOGIN, data, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=client_address)

    for _ in range(3):
        through_proxy("wrong password", "203.0.113.5")
    response = through_proxy(PASSWORD, "203.0.113.5")
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    # Another client behind the same proxy is not locked out.
    assert logged_in(through_proxy(PASSWORD, "203.0.113.6"))


@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_successful_login_resets_the_count(client, staff):
    for _ in range(2):
        log_in(client, "staffer", "wrong password")
    assert logged_in(log_in(client, "staffer", PASSWORD))
    client.logout()
    for _ in range(2):
        log_in(client, "staffer", "wrong password")
    assert logged_in(log_in(client, "staffer", PASSWORD))


def test_only_staff_log_in_to_the_admin(client, db):
    User.objects.create_user("reader", "reader@example.org", PASSWORD)
    response = log_in(client, "reader", PASSWORD)
    assert response.status_code == 200
    assert not client.session.get("_auth_user_id")


def test_session_and_csrf_cookies_are_secure_and_the_session_cookie_http_only(client, staff):
    response = log_in(client, "staffer", PASSWORD)
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    assert response.cookies["csrftoken"]["secure"] or client.cookies["csrftoken"]["secure"]


@pytest.mark.parametrize("password", ["short1", "password1234", "12345678901234", "staffer-example"])
def test_weak_passwords_are_refused(staff, password):
    with pytest.raises(ValidationError):
        validate_password(password, staff)


# In Chromium: no page, the admin or the API docs trips the policy.

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => window.__violations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`));
"""


@pytest.fixture
def watched_page(browser):
    """A tab that records CSP violations (the DOM event, and Chromium's console message)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_VIOLATIONS)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    tab.console_violations = []
    tab.on(
        "console",
        lambda message: "Content Security Policy" in message.text and tab.console_violations.append(message.text),
    )
    yield tab
    context.close()


def violations(page):
    return page.evaluate("window.__violations") + page.console_violations


@pytest.mark.browser
def test_no_page_admin_form_or_api_docs_violates_the_policy_in_chromium(allmep_site, watched_page):
    from playwright.sync_api import expect

    page = watched_page
    base = allmep_site.url
    person = edit_a_person()
    found = {}
    for language in ("ar", "en", "he"):
        for what, path, status in pages(language, person):
            response = page.goto(base + path)
            assert response.status == status, path
            found[f"{what} {path}"] = violations(page)

    page.goto(base + "/api/docs/")
    expect(page.locator(".opblock").first).to_be_visible()
    found["api docs"] = violations(page)

    User.objects.create_superuser("boss", "boss@example.org", PASSWORD)
    page.goto(base + LOGIN)
    page.fill("#id_username", "boss")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(base + "/en/admin/")
    found["admin index"] = violations(page)

    from organizations.models import Organization

    organization = Organization.objects.get(slug="allmep")
    for url in (
        "/en/admin/organizations/organization/",
        "/en/admin/citations/source/",
        "/en/admin/events/event/add/",
        f"/ar/admin/organizations/organization/{organization.pk}/history/",
    ):
        page.goto(base + url)
        found[url] = violations(page)

    # The change form's translation tabs are built by script: they must still work. The English
    # admin opens the English tab; the Arabic one shows the Arabic name.
    page.goto(f"{base}/en/admin/organizations/organization/{organization.pk}/change/")
    arabic_name, english_name = page.locator("#id_name_ar"), page.locator("#id_name_en")
    expect(english_name).to_be_visible()
    expect(arabic_name).to_be_hidden()
    page.locator('.ui-tabs-nav a[href="#tab_id_name_ar"]').click()
    expect(arabic_name).to_be_visible()
    expect(arabic_name).to_have_value(organization.name_ar)
    expect(english_name).to_be_hidden()
    found["change form"] = violations(page)

    assert not {where: problems for where, problems in found.items() if problems}
