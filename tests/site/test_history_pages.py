"""Reader history: the published versions of a record, and what changed between two of them."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from reversion.models import Revision

from events.models import Event
from organizations.models import ArticleSection, Organization
from records.history import versions_for
from records.models import PublicationStatus
from records.versioning import revision

pytestmark = pytest.mark.django_db

PUBLISHED = PublicationStatus.PUBLISHED
DRAFT = PublicationStatus.DRAFT


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user(username="editor-rania", password="x" * 16, is_staff=True)


def create_organization(slug="peres-center", name="Peres Center", status=PUBLISHED, user=None):
    with revision("Created from the article", user=user):
        return Organization.objects.create(
            slug=slug, name_en=name, name_ar=name, kind="ngo", status=status, description_en="A member."
        )


def edit(record, comment, user=None, **values):
    with revision(comment, user=user):
        for name, value in values.items():
            setattr(record, name, value)
        record.save()
    return versions_for(record).first()


def history_url(record, language="en"):
    with translation.override(language):
        return reverse("records:history", kwargs={"label": record._meta.label_lower, "pk": record.pk})


def diff_url(record, language="en"):
    with translation.override(language):
        return reverse("records:diff", kwargs={"label": record._meta.label_lower, "pk": record.pk})


def test_history_lists_published_versions_newest_first_with_summaries(client, editor):
    organization = create_organization(user=editor)
    edit(organization, "Spelling of the name", user=editor, name_en="Peres Center for Peace")

    response = client.get(history_url(organization))

    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Spelling of the name") < page.index("Created from the article")
    assert 'lang="en"' in page
    # Readers see what changed and when, not who edited.
    assert "editor-rania" not in page


def test_staff_see_editor_names_in_history(client, editor):
    organization = create_organization(user=editor)
    client.force_login(editor)

    response = client.get(history_url(organization))

    assert "editor-rania" in response.content.decode()


def test_history_of_a_draft_is_not_found(client):
    draft = create_organization(status=DRAFT)

    assert client.get(history_url(draft)).status_code == 404


def test_versions_saved_while_a_draft_are_not_shown(client):
    organization = create_organization(status=DRAFT)
    draft_version = versions_for(organization).first()
    edit(organization, "Draft wording", name_en="Secret working title")
    published = edit(organization, "Published", status=PUBLISHED, name_en="Peres Center")

    response = client.get(history_url(organization))

    page = response.content.decode()
    assert "Published" in page
    assert "Draft wording" not in page
    assert "Secret working title" not in page
    assert client.get(diff_url(organization), {"from": draft_version.pk, "to": published.pk}).status_code == 404


def test_diff_shows_removed_and_added_words(client):
    organization = create_organization()
    old = versions_for(organization).first()
    new = edit(organization, "Fuller name", name_en="Peres Center for Peace and Innovation")

    response = client.get(diff_url(organization), {"from": old.pk, "to": new.pk})

    assert response.status_code == 200
    page = response.content.decode()
    assert "<ins>" in page
    assert "Innovation" in page
    assert "Fuller name" in page


def test_diff_without_from_compares_with_the_version_before(client):
    organization = create_organization()
    edit(organization, "First fix", name_en="Peres Centre")
    latest = edit(organization, "Second fix", name_en="Peres Center for Peace")

    response = client.get(diff_url(organization), {"to": latest.pk})

    assert response.status_code == 200
    page = response.content.decode()
    assert "<del>Centre</del>" in page
    assert "Second fix" in page


def test_diff_of_the_first_version_shows_everything_as_new(client):
    organization = create_organization()
    first = versions_for(organization).first()

    response = client.get(diff_url(organization), {"to": first.pk})

    assert response.status_code == 200
    assert "<ins>Peres Center</ins>" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({}, "lacks"),
        ({"to": "abc"}, "is not a version number"),
        ({"to": "1", "from": "-3"}, "is not a version number"),
        ({"to": "١٢"}, "is not a version number"),
    ],
)
def test_bad_diff_parameters_get_a_400_with_a_message(client, query, message):
    organization = create_organization()

    response = client.get(diff_url(organization), query)

    assert response.status_code == 400
    assert message in response.content.decode()


def test_bad_page_number_gets_a_400_and_a_missing_page_a_404(client):
    organization = create_organization()

    assert client.get(history_url(organization), {"page": "x"}).status_code == 400
    assert client.get(history_url(organization), {"page": "99"}).status_code == 404


def test_a_version_of_another_record_is_not_found(client):
    organization = create_organization()
    other = create_organization(slug="combatants-for-peace", name="Combatants for Peace")
    own = versions_for(organization).first()
    foreign = versions_for(other).first()

    assert client.get(diff_url(organization), {"from": own.pk, "to": foreign.pk}).status_code == 404
    assert client.get(diff_url(organization), {"to": 999999}).status_code == 404


def test_unknown_record_type_or_number_is_not_found(client):
    organization = create_organization()

    assert client.get(f"/en/history/auth.user/{organization.pk}/").status_code == 404
    assert client.get("/en/history/organizations.organization/999999/").status_code == 404
    assert client.get("/en/history/no-dot/1/").status_code == 404


def test_article_section_history_only_while_its_organization_is_published(client):
    organization = create_organization()
    with revision("Lead written"):
        section = ArticleSection.objects.create(
            organization=organization, kind="lead", status=PUBLISHED, body_en="A coalition."
        )

    assert client.get(history_url(section)).status_code == 200

    edit(organization, "Withdrawn for review", status=DRAFT)
    assert client.get(history_url(section)).status_code == 404


def test_event_history_page(client):
    with revision("Conference added"):
        event = Event.objects.create(
            slug="coexistence-conference-2005", title_en="Coexistence conference", kind="conference", status=PUBLISHED
        )

    response = client.get(history_url(event, "he"))

    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()


def test_history_pages_are_not_indexed(client):
    organization = create_organization()

    assert '<meta name="robots" content="noindex">' in client.get(history_url(organization)).content.decode()


def test_history_page_queries_do_not_grow_with_versions(client):
    organization = create_organization()
    edit(organization, "one", name_en="A")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(history_url(organization)).status_code == 200
        return len(queries)

    before = count()
    for name in ("B", "C", "D", "E"):
        edit(organization, f"rename to {name}", name_en=name)
    assert count() == before


def test_history_link_tag_links_published_records_only():
    organization = create_organization()
    draft = create_organization(slug="draft-org", name="Draft org", status=DRAFT)
    template = Template("{% load history_links %}{% history_link record %}")

    with translation.override("en"):
        rendered = template.render(Context({"record": organization}))
        assert f'href="{history_url(organization)}"' in rendered
        assert "View history" in rendered
        assert template.render(Context({"record": draft})).strip() == ""


def test_history_and_diff_of_the_loaded_coalition(client):
    from io import StringIO

    from django.core.management import call_command

    call_command("load_allmep", stdout=StringIO())
    coalition = Organization.objects.get(slug="allmep")
    loaded = versions_for(coalition).first()

    response = client.get(history_url(coalition, "ar"))

    assert response.status_code == 200
    assert loaded.revision.comment in response.content.decode()
    assert client.get(diff_url(coalition, "ar"), {"to": loaded.pk}).status_code == 200


def test_a_reader_diff_does_not_name_a_draft_parent(client, admin_client):
    secret = create_organization(slug="secret-office", name="Secret Office", status=DRAFT)
    organization = create_organization()
    old = versions_for(organization).first()
    new = edit(organization, "Now a unit", parent=secret)

    page = client.get(diff_url(organization), {"from": old.pk, "to": new.pk}).content.decode()

    assert "Secret Office" not in page
    assert "an unpublished record" in page


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("/en/", "organizations.organization"),
        ("/en/organizations/allmep/", "organizations.organization"),
        ("/en/people/hazem-fahmy/", "organizations.person"),
        ("/en/events/", None),
    ],
)
def test_record_pages_link_to_their_history(client, path, label):
    from io import StringIO

    from django.core.management import call_command

    call_command("load_allmep", stdout=StringIO())
    page = client.get(path).content.decode()
    if label is None:
        assert "/history/" not in page
    else:
        assert f"/en/history/{label}/" in page


@pytest.mark.parametrize(
    ("language", "when"),
    [("ar", "3 ديسمبر 2026، 07:05"), ("he", "3 בדצמבר 2026, 07:05"), ("en", "3 December 2026, 07:05")],
)
def test_history_dates_read_in_each_languages_order_with_minutes(client, admin_client, language, when):
    organization = create_organization()
    first = versions_for(organization).get()
    Revision.objects.filter(pk=first.revision_id).update(date_created=datetime(2026, 12, 3, 7, 5, tzinfo=UTC))
    with translation.override(language):
        admin_history = reverse("admin:organizations_organization_history", args=[organization.pk])
        compare = reverse("admin:organizations_organization_compare", args=[organization.pk])
    pages = {
        "reader history": client.get(history_url(organization, language)),
        "reader diff": client.get(diff_url(organization, language), {"to": first.pk}),
        "admin history": admin_client.get(admin_history),
        "admin compare": admin_client.get(compare, {"to": first.pk}),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert when in response.content.decode(), name
