"""Error pages in the reader's language and writing direction."""

import pytest
from django.template import loader
from django.test import Client
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("en", "ltr"), ("he", "rtl")])
def test_missing_record_gives_the_localized_404(client, language, direction):
    response = client.get(f"/{language}/organizations/no-such-organization/")

    assert response.status_code == 404
    page = response.content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in page
    assert '<meta name="robots" content="noindex">' in page
    assert f'href="/{language}/"' in page  # the way home stays in the reader's language


def test_missing_history_record_gives_the_404_page(client):
    response = client.get("/he/history/organizations.person/424242/")

    assert response.status_code == 404
    assert '<html lang="he" dir="rtl">' in response.content.decode()


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("en", "ltr"), ("he", "rtl")])
def test_500_template_renders_without_request_or_database(language, direction, django_assert_num_queries):
    with translation.override(language), django_assert_num_queries(0):
        html = loader.get_template("500.html").render()

    assert f'<html lang="{language}" dir="{direction}">' in html
    assert f'href="/{language}/"' in html


def test_a_crashing_view_gives_the_500_page(monkeypatch):
    from allmep import views

    def crash(label, pk):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "published_record", crash)
    client = Client(raise_request_exception=False)

    response = client.get("/he/history/organizations.organization/1/")

    assert response.status_code == 500
    assert '<html lang="he" dir="rtl">' in response.content.decode()


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/ar/search/?q=", 400),
        ("/ar/organizations/?kind=", 400),
        ("/ar/organizations/no-such-organization/?q=", 404),
        ("/ar/no-such-page/?q=", 404),
    ],
)
def test_a_very_long_query_is_not_repeated_on_the_page_that_refuses_it(client, path, status):
    """An oversized query (10,000 Arabic letters, 60 kB once encoded) gets a page of the usual size: the
    language links, alternates and download links do not carry it, and a message quotes it once at most."""
    from urllib.parse import quote

    response = client.get(path + quote("ب" * 10_000))
    assert response.status_code == status
    page = response.content.decode()
    assert page.count("ب" * 10_000) + page.count(quote("ب" * 10_000)) <= 1, path
    assert len(response.content) < 50_000, f"{path}: {len(response.content)} bytes"


def test_a_query_of_the_usual_length_still_goes_to_the_other_languages(client):
    page = client.get("/ar/search/?q=" + "ب" * 500).content.decode()
    assert 'href="/he/search/?q=' + "%D8%A8" * 500 + '"' in page
