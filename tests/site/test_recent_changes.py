"""Recent changes: the public versions of published records, newest first, filtered, paged, and
their Atom feeds (site-wide and per record), in Arabic, English and Hebrew."""

import re
from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from citations.models import Citation, Source
from events.models import Event
from organizations.models import ArticleSection, Organization
from records.history import versions_for
from records.models import Change, PublicationStatus
from records.versioning import revision

pytestmark = pytest.mark.django_db

PUBLISHED = PublicationStatus.PUBLISHED
DRAFT = PublicationStatus.DRAFT


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user(username="editor-rania", password="x" * 16, is_staff=True)


def create_organization(slug="peres-center", name="Peres Center", status=PUBLISHED, user=None, comment="Created"):
    with revision(comment, user=user):
        return Organization.objects.create(slug=slug, name_en=name, name_ar=name, kind="ngo", status=status)


def edit(record, comment, user=None, **values):
    with revision(comment, user=user):
        for name, value in values.items():
            setattr(record, name, value)
        record.save()
    return versions_for(record).first()


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def page_of(client, lang="en", **query):
    response = client.get(url("recent_changes", lang), query)
    assert response.status_code == 200, response.content.decode()[:2000]
    return response.content.decode()


def feed_of(client, path, **query):
    response = client.get(path, query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def diff_link(record, version, language="en"):
    label = record._meta.label_lower
    return url("records:diff", language, label=label, pk=record.pk) + f"?to={version.pk}"


def test_changes_are_listed_newest_first_with_title_diff_link_summary_and_comment(client, editor):
    organization = create_organization(user=editor, comment="Created from the article")
    renamed = edit(organization, "Hebrew name added", user=editor, name_he="מרכז פרס", website="https://p.org/")

    page = page_of(client)

    assert page.index("Hebrew name added") < page.index("Created from the article")
    assert f'href="{organization.get_absolute_url()}"' in page
    assert "<bdi>Peres Center</bdi>" in page
    assert f'href="{diff_link(organization, renamed)}"' in page
    assert "Name (Hebrew) · Website" in page
    assert "2 changes" in page
    # Readers see what changed and when, not who edited (as on the history pages).
    assert "editor-rania" not in page


def test_the_changes_link_of_a_row_shows_that_change(client):
    organization = create_organization()
    edit(organization, "Fuller name", name_en="Peres Center for Peace")
    page = page_of(client)
    first_row = page[page.index('<ol class="changes">') :]
    link = re.search(r'<a href="([^"]+)" rel="nofollow">changes</a>', first_row).group(1).replace("&amp;", "&")

    response = client.get(link)

    assert response.status_code == 200
    diff = response.content.decode()
    assert "Peace</ins>" in diff
    assert "Fuller name" in diff


def test_staff_see_editor_names(client, editor):
    create_organization(user=editor)
    client.force_login(editor)

    assert "editor-rania" in page_of(client)


def test_times_read_in_each_language_with_the_sites_date_format(client):
    organization = create_organization()
    first = versions_for(organization).get()
    moment = datetime(2026, 12, 3, 7, 5, tzinfo=UTC)
    type(first.revision).objects.filter(pk=first.revision_id).update(date_created=moment)

    assert "3 ديسمبر 2026، 07:05" in page_of(client, "ar")
    assert "3 בדצמבר 2026, 07:05" in page_of(client, "he")
    assert "3 December 2026, 07:05" in page_of(client, "en")


def test_drafts_and_versions_saved_while_unpublished_never_appear(client):
    create_organization(slug="secret-office", name="Secret Office", status=DRAFT, comment="Secret draft")
    organization = create_organization(status=DRAFT, comment="First draft")
    edit(organization, "Still drafting", name_en="Working title xq")
    edit(organization, "Published at last", status=PUBLISHED, name_en="Peres Center")

    page = page_of(client)

    assert "Published at last" in page
    for hidden in ("Secret Office", "Secret draft", "First draft", "Still drafting", "Working title xq"):
        assert hidden not in page
    assert "1 change" in page

    # Withdrawn: none of its changes is listed any longer.
    edit(organization, "Withdrawn", status=DRAFT)
    page = page_of(client)
    assert "Published at last" not in page
    assert "No change matches these filters." in page


def test_sections_are_listed_only_while_their_organization_is_published(client):
    organization = create_organization()
    with revision("Lead written"):
        ArticleSection.objects.create(organization=organization, kind="lead", status=PUBLISHED, body_en="A coalition.")

    page = page_of(client)
    assert "Lead written" in page
    assert "Peres Center — " in page

    edit(organization, "Withdrawn", status=DRAFT)
    assert "Lead written" not in page_of(client)


def test_filter_by_kind_and_by_language(client):
    organization = create_organization()
    edit(organization, "Hebrew name", name_he="מרכז פרס")
    edit(organization, "English summary", summary_en="A centre for peace.")
    with revision("Conference added"):
        Event.objects.create(slug="summit", title_en="Summit", kind="summit", status=PUBLISHED)

    events = page_of(client, kind="events.event")
    assert "Conference added" in events
    assert "Hebrew name" not in events

    hebrew = page_of(client, language="he")
    assert "Hebrew name" in hebrew
    assert "English summary" not in hebrew
    assert "Conference added" not in hebrew

    english_organizations = page_of(client, kind="organizations.organization", language="en")
    assert "English summary" in english_organizations
    assert "Created" in english_organizations  # the first version wrote the English name
    assert "Conference added" not in english_organizations
    assert "Hebrew name" not in english_organizations


@pytest.mark.parametrize(
    "query",
    [
        {"kind": "auth.user"},
        {"kind": "organizations.role"},
        {"language": "fr"},
        {"language": "EN"},
        {"kind": "x" * 300},
    ],
)
def test_bad_filters_get_a_400_with_a_message(client, query):
    create_organization()

    for path in (url("recent_changes"), url("recent_changes_feed")):
        response = client.get(path, query)
        assert response.status_code == 400, path
        assert "Select a valid choice" in response.content.decode(), path


def test_bad_filters_get_a_400_in_arabic_too(client):
    response = client.get(url("recent_changes", "ar"), {"language": "fr"})

    assert response.status_code == 400
    assert "انتق خياراً صحيحاً" in response.content.decode()


def test_changes_come_in_pages(client):
    organization = create_organization()
    for number in range(55):
        edit(organization, f"Edit number {number}", name_en=f"Name {number}")

    first = page_of(client)
    second = page_of(client, page="2")

    assert "56 changes" in first
    assert "Edit number 54" in first
    assert "Edit number 4<" not in first
    assert "Edit number 4<" in second
    assert 'rel="next"' in first
    assert "Created" in second
    # A page number that is not a page shows the nearest page, as on the other lists.
    assert "Created" in page_of(client, page="99")


def test_page_queries_do_not_grow_with_rows(client, django_assert_max_num_queries):
    """Each kind of record on a page costs one query for its records, however many rows."""
    organization = create_organization()
    with revision("Conference added"):
        event = Event.objects.create(slug="summit", title_en="Summit", kind="summit", status=PUBLISHED)

    def count():
        caches["default"].clear()  # as a first reader gets it: the page count is not kept yet
        with CaptureQueriesContext(connection) as queries:
            page_of(client)
        return len(queries)

    count()  # the process's content types, read once
    few = count()
    for number in range(20):
        edit(organization, f"Organization edit {number}", name_en=f"Name {number}")
        edit(event, f"Event edit {number}", title_en=f"Title {number}")
    with revision("Other organization"):
        Organization.objects.create(slug="other", name_en="Other", kind="ngo", status=PUBLISHED)
    many = count()

    assert "Event edit 19" in page_of(client)
    assert many == few
    # The stamp, the count, the rows and one query per kind shown (two here).
    caches["default"].clear()
    with django_assert_max_num_queries(5):
        page_of(client)


def test_feed_queries_do_not_grow_with_entries(client):
    organization = create_organization()
    site_feed = url("recent_changes_feed")
    record_feed = url("records:feed", label="organizations.organization", pk=organization.pk)

    def count(path):
        with CaptureQueriesContext(connection) as queries:
            feed_of(client, path)
        return len(queries)

    for path in (site_feed, record_feed):
        count(path)  # the process's content types, read once
    few = {path: count(path) for path in (site_feed, record_feed)}
    for number in range(20):
        edit(organization, f"Organization edit {number}", name_en=f"Name {number}")

    assert {path: count(path) for path in (site_feed, record_feed)} == few
    assert len(feed_of(client, record_feed).entries) == 21


def test_recent_changes_are_not_indexed_and_linked_from_every_page_and_from_history(client):
    organization = create_organization()
    history = url("records:history", label="organizations.organization", pk=organization.pk)
    feed = url("records:feed", label="organizations.organization", pk=organization.pk)

    assert '<meta name="robots" content="noindex">' in page_of(client)
    home = client.get(url("organizations:organization_detail", slug=organization.slug)).content.decode()
    assert f'href="{url("recent_changes")}"' in home
    history_page = client.get(history).content.decode()
    assert f'href="{url("recent_changes")}"' in history_page
    assert f'<link rel="alternate" type="application/atom+xml" href="{feed}"' in history_page
    assert f'<link rel="alternate" type="application/atom+xml" href="{url("recent_changes_feed")}"' in page_of(client)


def test_the_page_links_the_feed_with_its_filters(client):
    create_organization()

    page = page_of(client, kind="organizations.organization", language="en")

    assert f"{url('recent_changes_feed')}?kind=organizations.organization&amp;language=en" in page


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("he", "rtl"), ("en", "ltr")])
def test_the_page_reads_in_each_language(client, language, direction):
    organization = create_organization()
    edit(organization, "Hebrew name", name_he="מרכז פרס")

    page = page_of(client, language)

    assert f'<html lang="{language}" dir="{direction}">' in page
    titles = {"ar": "أحدث التغييرات", "he": "שינויים אחרונים", "en": "Recent changes"}
    names = {"ar": "الاسم (العبرية)", "he": "שם (עברית)", "en": "Name (Hebrew)"}
    assert f"<h1>{titles[language]}</h1>" in page
    assert names[language] in page


def test_the_site_feed_is_valid_atom_with_entries_links_and_dates(client):
    organization = create_organization(comment="Created from the article")
    renamed = edit(organization, "Hebrew name added", name_he="מרכז פרס")

    feed = feed_of(client, url("recent_changes_feed"))

    assert feed.version == "atom10"
    assert feed.feed.title == "Recent changes — ALLMEP record"
    assert feed.feed.link == "http://testserver" + url("recent_changes")
    assert feed.feed.author == "ALLMEP record"
    assert len(feed.entries) == 2
    assert feed.entries[0].link == "http://testserver" + diff_link(organization, renamed)
    assert feed.entries[0].title == "Peres Center: Name (Hebrew)"
    assert feed.entries[1].title == "Peres Center: first published version"
    assert "Hebrew name added" in feed.entries[0].summary
    assert feed.entries[0].id != feed.entries[1].id
    updated = datetime(*feed.entries[0].updated_parsed[:6], tzinfo=UTC)
    assert abs(updated - renamed.revision.date_created) < timedelta(seconds=1)
    assert feed.feed.updated_parsed == feed.entries[0].updated_parsed


def test_the_site_feed_takes_the_pages_filters(client):
    organization = create_organization()
    edit(organization, "Hebrew name added", name_he="מרכז פרס")
    with revision("Conference added"):
        Event.objects.create(slug="summit", title_en="Summit", kind="summit", status=PUBLISHED)

    hebrew = feed_of(client, url("recent_changes_feed"), language="he")
    events = feed_of(client, url("recent_changes_feed"), kind="events.event")

    assert [entry.summary.count("Hebrew name added") for entry in hebrew.entries] == [1]
    assert len(events.entries) == 1
    assert "Conference added" in events.entries[0].summary


def test_a_records_feed_lists_its_public_versions_only(client):
    organization = create_organization(status=DRAFT, comment="First draft")
    first_public = edit(organization, "Published", status=PUBLISHED)
    renamed = edit(organization, "Renamed", name_en="Peres Center for Peace")
    create_organization(slug="other", name="Other", comment="Someone else")
    path = url("records:feed", "he", label="organizations.organization", pk=organization.pk)

    feed = feed_of(client, path)

    assert feed.feed.language == "he"
    assert feed.feed.link == "http://testserver" + url(
        "records:history", "he", label="organizations.organization", pk=organization.pk
    )
    assert [entry.link for entry in feed.entries] == [
        "http://testserver" + diff_link(organization, renamed, "he"),
        "http://testserver" + diff_link(organization, first_public, "he"),
    ]
    text = str(feed)
    assert "First draft" not in text
    assert "Someone else" not in text


def test_a_feed_of_a_draft_or_unknown_record_is_not_found(client):
    draft = create_organization(status=DRAFT)

    assert client.get(url("records:feed", label="organizations.organization", pk=draft.pk)).status_code == 404
    assert client.get(url("records:feed", label="auth.user", pk=1)).status_code == 404
    assert client.get(url("records:feed", label="organizations.organization", pk=999999)).status_code == 404


def test_a_feed_never_names_editors(client, editor):
    create_organization(user=editor)
    client.force_login(editor)

    assert "editor-rania" not in client.get(url("recent_changes_feed")).content.decode()


def test_citation_changes_are_counted(client):
    with revision("Source"):
        source = Source.objects.create(key="stanford", title="Stanford", status=PUBLISHED)
    organization = create_organization()
    with revision("Cited Stanford"):
        Citation.objects.create(source=source, content_object=organization, claim="founded")
        organization.save()

    page = page_of(client, kind="organizations.organization")

    assert "1 citation" in page
    assert Change.objects.filter(citations=1).count() == 1


def test_the_loaded_dataset_is_listed_in_every_language(client):
    from io import StringIO

    from django.core.management import call_command

    call_command("load_allmep", stdout=StringIO())

    for language in ("ar", "en", "he"):
        page = page_of(client, language)
        assert "<bdi>" in page
        assert feed_of(client, url("recent_changes_feed", language)).entries
