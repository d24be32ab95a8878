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
    from records import views

    def crash(label, pk):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "published_record", crash)
    client = Client(raise_request_exception=False)

    response = client.get("/he/history/organizations.organization/1/")

    assert response.status_code == 500
    assert '<html lang="he" dir="rtl">' in response.content.decode()
