"""Database outages: the health check, the 503 page in the reader's language, recovery, JSON logs."""

import json
import logging
import socket
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.contrib.auth.models import User
from django.db import close_old_connections, connection
from django.db.utils import OperationalError
from django.template import loader
from django.test import Client
from django.utils import translation

from allmep.logs import JsonFormatter
from organizations.models import Organization
from records.versioning import revision
from tests.answers import change_form_data, change_url

DIRECTIONS = [("ar", "rtl"), ("en", "ltr"), ("he", "rtl")]
HOME_LINK_AR = "اذهب إلى الصفحة الرئيسية"  # a string the Arabic catalogue already translates


def refuse(*args, **kwargs):
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")


@pytest.fixture
def database_down(monkeypatch):
    """Every new query fails as with a stopped server, on SQLite and PostgreSQL alike."""
    monkeypatch.setattr(connection, "ensure_connection", refuse)
    return monkeypatch


@pytest.fixture
def reader():
    return Client(raise_request_exception=False)


@pytest.fixture
def json_log():
    """What the root logger's JSON handler writes during the test."""
    handler = next(h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter))
    stream = StringIO()
    previous = handler.setStream(stream)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    handler.setStream(previous)


@pytest.fixture
def organization(db):
    with revision("Seed for the outage tests"):
        return Organization.objects.create(
            slug="peace-now", name_ar="سلام الآن", name_en="Peace Now", kind="ngo", status="published"
        )


# The health check


def test_healthz_answers_with_one_query_and_is_never_cached(reader, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = reader.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_the_orchestrator_whatever_host_it_names(reader, db):
    # Probes use the container's own address, which ALLOWED_HOSTS need not list.
    response = reader.get("/healthz", HTTP_HOST="10.1.2.3:8000")

    assert response.status_code == 200


def test_healthz_reports_an_unreachable_database(reader, database_down):
    response = reader.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable"}
    assert int(response["Retry-After"]) > 0


def test_the_web_container_is_health_checked_on_healthz():
    compose = yaml.safe_load((Path(__file__).resolve().parents[2] / "docker-compose.yml").read_text())
    probe = " ".join(compose["services"]["web"]["healthcheck"]["test"])

    assert "http://127.0.0.1:8000/healthz" in probe


# Readers during an outage


@pytest.mark.parametrize(("language", "direction"), DIRECTIONS)
def test_readers_get_the_503_page_in_their_language(reader, database_down, language, direction):
    response = reader.get(f"/{language}/organizations/")

    assert response.status_code == 503
    page = response.content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in page
    assert '<meta name="robots" content="noindex">' in page
    assert f'href="/{language}/"' in page
    assert "Traceback" not in page and "OperationalError" not in page
    assert int(response["Retry-After"]) > 0
    assert "no-store" in response["Cache-Control"]


def test_the_arabic_503_page_reads_in_arabic(reader, database_down):
    page = reader.get("/ar/organizations/").content.decode()

    assert "<title>غير متاح مؤقتًا" in page
    assert HOME_LINK_AR in page


@pytest.mark.parametrize(("language", "direction"), DIRECTIONS)
def test_the_503_template_renders_without_request_or_database(db, language, direction, django_assert_num_queries):
    with translation.override(language), django_assert_num_queries(0):
        html = loader.get_template("503.html").render({"sent": []})

    assert f'<html lang="{language}" dir="{direction}">' in html


def test_the_content_stamp_read_before_the_view_gives_the_503_page(reader, db, monkeypatch):
    # records.caching's middleware reads the content stamp before any view runs.
    from records import caching

    monkeypatch.setattr(caching.ContentStamp, "current", refuse)

    response = reader.get("/en/organizations/")

    assert response.status_code == 503
    assert '<html lang="en" dir="ltr">' in response.content.decode()


def test_the_api_answers_json_during_an_outage(reader, database_down):
    response = reader.get("/api/organizations/")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


def test_other_errors_keep_the_500_page(reader, db, monkeypatch):
    from allmep import views

    monkeypatch.setattr(views, "published_record", lambda label, pk: 1 / 0)

    response = reader.get("/en/history/organizations.organization/1/")

    assert response.status_code == 500
    assert "Retry-After" not in response


def test_the_site_recovers_when_the_database_returns(reader, organization, monkeypatch):
    monkeypatch.setattr(connection, "ensure_connection", refuse)
    assert reader.get("/en/organizations/peace-now/").status_code == 503

    monkeypatch.undo()

    assert reader.get("/en/organizations/peace-now/").status_code == 200
    assert reader.get("/healthz").status_code == 200


# Editors during an outage


@pytest.fixture
def editor(organization):
    user = User.objects.create_superuser("editor", "editor@example.org", "not-used-here-1234")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_an_edit_sent_during_an_outage_is_refused_and_given_back(editor, organization, monkeypatch):
    data = change_form_data(editor.get(change_url(organization)))
    data["summary_en"] = ["A summary typed while the database was down"]

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    response = editor.post(change_url(organization), data)
    monkeypatch.undo()

    assert response.status_code == 503
    page = response.content.decode()
    assert "Your changes were not saved" in page
    assert "A summary typed while the database was down" in page
    assert "csrfmiddlewaretoken" not in page
    organization.refresh_from_db()
    assert not organization.summary_en
    # Once the database is back, the same form data saves.
    assert editor.post(change_url(organization), data).status_code == 302
    organization.refresh_from_db()
    assert organization.summary_en == "A summary typed while the database was down"


def test_a_reader_post_is_not_echoed_without_the_csrf_check(database_down):
    # Only a form that passed the CSRF check is given back.
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    response = client.post("/en/search/", {"q": "<b>hello</b>"})

    assert "hello" not in response.content.decode()


# JSON log lines


def test_a_crash_is_logged_as_one_json_line_with_its_traceback(editor, json_log, monkeypatch):
    from allmep import views

    def crash(label, pk):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "published_record", crash)
    editor.get("/he/history/organizations.organization/1/")

    (entry,) = [e for e in json_log() if e["logger"] == "django.request"]
    assert entry["level"] == "ERROR"
    assert entry["status"] == 500
    assert entry["method"] == "GET"
    assert entry["path"] == "/he/history/organizations.organization/1/"
    assert entry["user_id"] == User.objects.get(username="editor").pk
    assert entry["exc_type"] == "builtins.RuntimeError"
    assert entry["exc_message"] == "boom"
    assert "Traceback" in entry["traceback"] and "crash" in entry["traceback"]
    assert entry["time"].endswith("+00:00")


def test_an_outage_is_logged_as_a_503_with_the_database_error(reader, database_down, json_log):
    reader.get("/ar/organizations/")

    (entry,) = [e for e in json_log() if e["logger"] == "django.request"]
    assert entry["level"] == "ERROR"
    assert entry["status"] == 503
    assert entry["path"] == "/ar/organizations/"
    assert "user_id" not in entry
    assert entry["exc_type"] == "django.db.utils.OperationalError"
    assert "Connection refused" in entry["traceback"]


# Real outages on PostgreSQL: the server drops the connection, or stops answering.


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def terminate_this_connection():
    """Kill our server process from a second connection, as a server restart does."""
    pid = connection.connection.info.backend_pid
    with connection.get_new_connection(connection.get_connection_params()) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.fixture
def pg_organization(postgres_only, transactional_db):
    with revision("Seed for the outage tests"):
        organization = Organization.objects.create(
            slug="peace-now", name_ar="سلام الآن", name_en="Peace Now", kind="ngo", status="published"
        )
    yield organization
    close_old_connections()  # a connection a test broke is not the next test's


def test_a_dropped_connection_is_replaced_at_the_next_request(pg_organization):
    reader = Client(raise_request_exception=False)
    assert reader.get("/en/organizations/peace-now/").status_code == 200

    terminate_this_connection()
    # What a request starts with under gunicorn (the test client skips it): with
    # conn_health_checks the dead connection is found and replaced before the page is built.
    close_old_connections()

    assert reader.get("/en/organizations/peace-now/").status_code == 200


def test_a_connection_dropped_mid_request_gives_a_503_then_recovers(pg_organization):
    reader = Client(raise_request_exception=False)
    reader.get("/en/organizations/peace-now/")

    terminate_this_connection()
    dropped = reader.get("/he/organizations/peace-now/")
    close_old_connections()  # what a request ends with under gunicorn: the broken connection goes

    assert dropped.status_code == 503
    assert '<html lang="he" dir="rtl">' in dropped.content.decode()
    assert reader.get("/he/organizations/peace-now/").status_code == 200


def test_a_stopped_server_gives_503s_until_it_answers_again(pg_organization):
    editor = Client(raise_request_exception=False)
    editor.force_login(User.objects.create_superuser("editor", "e@example.org", "not-used-here-1234"))
    data = change_form_data(editor.get(change_url(pg_organization)))
    data["summary_en"] = ["Saved before the outage"]
    assert editor.post(change_url(pg_organization), data).status_code == 302

    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = free_port()  # nothing listens there
    try:
        reader = Client(raise_request_exception=False)
        outage = [reader.get(f"/{language}/organizations/peace-now/") for language, _ in DIRECTIONS]
        health = reader.get("/healthz")
        refused_edit = editor.post(change_url(pg_organization), {**data, "summary_en": ["Sent during the outage"]})
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port

    assert [response.status_code for response in outage] == [503, 503, 503]
    for (language, direction), response in zip(DIRECTIONS, outage, strict=True):
        assert f'<html lang="{language}" dir="{direction}">' in response.content.decode()
    assert health.status_code == 503
    assert refused_edit.status_code == 503
    assert "Sent during the outage" in refused_edit.content.decode()
    # Back: pages answer, the accepted edit is there, the refused one is not.
    assert reader.get("/en/organizations/peace-now/").status_code == 200
    assert reader.get("/healthz").json()["database"] == "ok"
    pg_organization.refresh_from_db()
    assert pg_organization.summary_en == "Saved before the outage"
