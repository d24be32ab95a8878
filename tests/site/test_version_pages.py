"""Permanent links to the versions of a record's page: the page as it was, with its footnotes then,
marked as an old version, never indexed; drafts never reachable."""

import json
import re

import bibtexparser
import jsonschema
import pytest
import rispy
from django.urls import reverse
from django.utils import translation

from citations.models import Citation, Source
from events.models import Event, EventParticipant, Meeting
from organizations.models import ArticleSection, Organization, Person, Role
from records.history import versions_for
from records.models import PublicationStatus
from records.versioning import revision
from tests.answers import CSL_SCHEMA, render_bibliography

pytestmark = pytest.mark.django_db

PUBLISHED = PublicationStatus.PUBLISHED
DRAFT = PublicationStatus.DRAFT
# A version page: the content stamp, the record, its versions, the rows of the version's revision, the
# sources they cite; a person's adds the organizations of its roles. (A parent, sources cited in
# prose and sources with an address add one query each, whatever their number.)
VERSION_PAGE_QUERIES = 5
PERSON_VERSION_QUERIES = 6
NOINDEX = '<meta name="robots" content="noindex">'


def version_url(record, version, language="en"):
    with translation.override(language):
        return reverse(
            "records:version", kwargs={"label": record._meta.label_lower, "pk": record.pk, "version": version.pk}
        )


def history_url(record, language="en"):
    with translation.override(language):
        return reverse("records:history", kwargs={"label": record._meta.label_lower, "pk": record.pk})


def references(html):
    """The titles in the page's reference list, in order."""
    listed = re.search(r'<ol class="references">(.*?)</ol>', html, re.S)
    return re.findall(r'<bdi dir="auto">(?:<a [^>]*>)?"([^"<]+)"', listed.group(1)) if listed else []


@pytest.fixture
def sources():
    with revision("Sources"):
        return {
            key: Source.objects.create(key=key, title=title, status=PUBLISHED, language="en")
            for key, title in [
                ("overview", "ALLMEP overview"),
                ("annual-report", "Annual report 2016"),
                ("newsletter", "Newsletter of 2009"),
            ]
        }


@pytest.fixture
def organization(sources):
    """An organization in two published versions: the name, the founding year, the description's
    marker and the citation of its name all changed in the second."""
    with revision("Created"):
        organization = Organization.objects.create(
            slug="peres-center",
            name_en="Peres Center",
            name_ar="مركز بيريس",
            name_he="מרכז פרס",
            kind="ngo",
            founded="1996",
            status=PUBLISHED,
            description_en="Founded by Shimon Peres.{{ref|newsletter}}",
        )
        Citation.objects.create(source=sources["overview"], content_object=organization, claim="name", position=1)
    with revision("Renamed and re-sourced"):
        citation = organization.citations.get()
        citation.source = sources["annual-report"]
        citation.save()
        organization.name_en = "Peres Center for Peace and Innovation"
        organization.founded = "1997"
        organization.description_en = "A centre for peace and innovation."
        organization.save()
    return organization


def test_a_version_shows_the_page_as_it_was_with_its_footnotes_then(client, organization):
    old, new = reversed(versions_for(organization))

    response = client.get(version_url(organization, old))

    assert response.status_code == 200
    page = response.content.decode()
    assert "<bdi>Peres Center</bdi>" in page
    article = page.split("</div>", 1)[1].split('class="cite-this"')[0]  # after the banner, before the cite box
    assert "Peres Center for Peace and Innovation" not in article
    assert "Founded by Shimon Peres." in page
    assert '<time datetime="1996">1996</time>' in page
    # The footnotes of that version: its citation's source and its description's marker.
    assert references(page) == ["ALLMEP overview", "Newsletter of 2009"]

    current = client.get(version_url(organization, new)).content.decode()
    assert "Peres Center for Peace and Innovation" in current
    assert references(current) == ["Annual report 2016"]


def test_a_version_is_marked_as_old_links_to_the_current_page_and_is_not_indexed(client, organization):
    old, new = reversed(versions_for(organization))

    page = client.get(version_url(organization, old)).content.decode()

    assert NOINDEX in page
    assert 'class="old-version-banner"' in page
    assert "This is an old version of this page, as it was saved on" in page
    assert f'<time datetime="{old.revision.date_created.isoformat(timespec="seconds")}">' in page
    assert 'href="/en/organizations/peres-center/">Read the current page</a>' in page
    assert f'href="{version_url(organization, new)}" rel="next nofollow"' in page
    assert "(old version) — ALLMEP record</title>" in page
    assert '<link rel="canonical"' not in page


def test_the_history_page_links_each_row_to_its_version(client, organization):
    page = client.get(history_url(organization)).content.decode()

    for version in versions_for(organization):
        assert f'<a href="{version_url(organization, version)}"' in page


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("en", "ltr"), ("he", "rtl")])
def test_a_version_reads_in_each_language(client, organization, language, direction):
    old = versions_for(organization).last()

    page = client.get(version_url(organization, old, language)).content.decode()

    assert f'<html lang="{language}" dir="{direction}">' in page
    assert {"ar": "مركز بيريس", "en": "Peres Center", "he": "מרכז פרס"}[language] in page
    assert {
        "ar": "هذه نسخة قديمة من هذه الصفحة",
        "en": "This is an old version of this page",
        "he": "זוהי גרסה ישנה של הדף",
    }[language] in page


def test_draft_versions_and_unpublished_records_are_never_reachable(client, sources):
    with revision("Draft"):
        organization = Organization.objects.create(
            slug="secret", name_en="Working title", kind="ngo", status=DRAFT, description_en=""
        )
    draft = versions_for(organization).get()
    with revision("Published"):
        organization.status = PUBLISHED
        organization.name_en = "Public name"
        organization.save()
    published = versions_for(organization).first()

    response = client.get(version_url(organization, draft))
    assert response.status_code == 404
    assert "This record has no published version with that number." in response.content.decode()
    assert client.get(version_url(organization, published)).status_code == 200

    with revision("Withdrawn"):
        organization.status = DRAFT
        organization.save()
    assert client.get(version_url(organization, published)).status_code == 404


def test_staff_cannot_open_a_draft_version_either(admin_client, sources):
    with revision("Draft"):
        organization = Organization.objects.create(slug="secret", name_en="Working title", kind="ngo", status=DRAFT)
    with revision("Published"):
        organization.status = PUBLISHED
        organization.save()

    assert admin_client.get(version_url(organization, versions_for(organization).last())).status_code == 404


def test_bad_version_numbers_are_not_found(client, organization):
    other = Organization.objects.create(slug="other", name_en="Other", kind="ngo", status=PUBLISHED)
    with revision("Other"):
        other.save()
    base = history_url(organization)
    label = organization._meta.label_lower

    for url in [
        f"{base}versions/999999999/",
        f"{base}versions/99999999999999999999999999/",
        version_url(organization, versions_for(other).get()),  # another record's version
        f"/en/history/{label}/999999/versions/1/",
        "/en/history/auth.user/1/versions/1/",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
    for url in [f"{base}versions/abc/", f"{base}versions/-1/", f"{base}versions/١٢/"]:
        assert client.get(url).status_code == 404, url


def test_a_version_of_a_person_shows_the_roles_saved_with_it(client, sources):
    office = Organization.objects.create(
        slug="embassy", name_en="Embassy of Egypt", kind="government", status=PUBLISHED
    )
    with revision("Person added"):
        person = Person.objects.create(slug="hazem", name_en="Hazem Fahmy", status=PUBLISHED)
        role = Role.objects.create(person=person, title_en="Ambassador", organization=office, status=PUBLISHED)
        Citation.objects.create(source=sources["newsletter"], content_object=role)
        Role.objects.create(person=person, title_en="Unpublished role", status=DRAFT)
        person.save()
    old = versions_for(person).get()
    with revision("Role corrected"):
        role.title_en = "Consul"
        role.save()
        role.citations.all().delete()
        person.save()

    page = client.get(version_url(person, old)).content.decode()

    assert "Ambassador" in page
    assert "Consul" not in page
    assert "Unpublished role" not in page
    assert '<a href="/en/organizations/embassy/"><bdi>Embassy of Egypt</bdi></a>' in page
    assert references(page) == ["Newsletter of 2009"]


def test_a_version_of_an_event_shows_its_participants_then_and_hides_drafts_it_names(client, sources):
    draft = Organization.objects.create(slug="draft-org", name_en="Draft partner", kind="ngo", status=DRAFT)
    member = Organization.objects.create(slug="member", name_en="Member organization", kind="ngo", status=PUBLISHED)
    with revision("Event added"):
        event = Event.objects.create(
            slug="summit", title_en="Summit 2009", kind="summit", status=PUBLISHED, organizer=draft
        )
        EventParticipant.objects.create(event=event, organization=member, role_en="speaker")
        EventParticipant.objects.create(event=event, organization=draft)
        event.save()
    old = versions_for(event).get()
    with revision("Participants changed"):
        event.participants.all().delete()
        event.title_en = "ALLMEP Summit 2009"
        event.save()

    page = client.get(version_url(event, old)).content.decode()

    assert "<bdi>Summit 2009</bdi>" in page
    assert "Member organization" in page
    assert "speaker" in page
    assert "Draft partner" not in page


def test_a_version_of_a_meeting_shows_the_counterparts_it_named(client, sources):
    coalition = Organization.objects.create(slug="allmep", name_en="ALLMEP", kind="coalition", status=PUBLISHED)
    congress = Organization.objects.create(slug="congress", name_en="US Congress", kind="government", status=PUBLISHED)
    with revision("Meeting added"):
        meeting = Meeting.objects.create(slug="hill-day", title_en="Hill day", organization=coalition, status=PUBLISHED)
        meeting.counterparts.set([congress])
        meeting.save()
    old = versions_for(meeting).get()
    with revision("Counterparts removed"):
        meeting.counterparts.clear()
        meeting.save()

    page = client.get(version_url(meeting, old)).content.decode()

    assert "US Congress" in page
    assert '<a href="/en/organizations/allmep/"><bdi>ALLMEP</bdi></a>' in page


def test_a_version_of_a_source_and_of_an_article_section(client, sources):
    source = sources["overview"]
    old_source = versions_for(source).get()
    with revision("Retitled"):
        source.title = "Overview of ALLMEP"
        source.save()
    coalition = Organization.objects.create(slug="allmep", name_en="ALLMEP", kind="coalition", status=PUBLISHED)
    with revision("Lead written"):
        section = ArticleSection.objects.create(
            organization=coalition, kind="lead", status=PUBLISHED, body_en="A coalition.{{ref|overview}}"
        )
    old_section = versions_for(section).get()
    with revision("Lead rewritten"):
        section.body_en = "A coalition of 160 organizations."
        section.save()

    source_page = client.get(version_url(source, old_source)).content.decode()
    section_page = client.get(version_url(section, old_section)).content.decode()

    assert "ALLMEP overview" in source_page
    assert "Where the record cites it" not in source_page
    assert NOINDEX in source_page
    assert "A coalition." in section_page
    assert "160 organizations" not in section_page
    assert references(section_page) == ["Overview of ALLMEP"]  # sources are cited as they are now
    assert NOINDEX in section_page


# Cite this version.


def cite_box(html):
    return re.search(r'<details class="cite-this">(.*?)</details>', html, re.S).group(1)


@pytest.mark.parametrize("language", ["ar", "en", "he"])
def test_cite_this_version_offers_the_permanent_link_and_date_in_every_format(client, organization, language):
    old, _new = reversed(versions_for(organization))
    permalink = "http://testserver" + version_url(organization, old, language)
    day = old.revision.date_created.date()

    box = cite_box(client.get(version_url(organization, old, language)).content.decode())

    assert permalink in box
    with translation.override(language):
        current = "http://testserver" + organization.get_absolute_url()
    assert current in box  # the current page is offered too
    links = [url for url, _format in re.findall(r'<a href="([^"]+\.(bib|ris|json))"', box)]
    version_links = [url for url in links if f"/versions/{old.pk}." in url]
    assert len(version_links) == 3
    urls = {url.rsplit(".", 1)[1]: url for url in version_links}

    items = json.loads(client.get(urls["json"]).content)
    jsonschema.validate(items, CSL_SCHEMA)
    [item] = items
    assert item["URL"] == permalink
    assert item["issued"] == {"date-parts": [[day.year, day.month, day.day]]}
    assert item["version"] == str(old.pk)
    assert item["title"] == {"ar": "مركز بيريس", "en": "Peres Center", "he": "מרכז פרס"}[language]
    assert render_bibliography(items)[0].startswith(item["title"])

    library = bibtexparser.parse_string(client.get(urls["bib"]).content.decode())
    assert library.failed_blocks == []
    [entry] = library.entries
    assert entry["url"] == permalink
    assert entry["date"] == day.isoformat()
    assert entry["version"] == str(old.pk)

    [ris] = rispy.loads(client.get(urls["ris"]).content.decode())
    assert ris["urls"] == [permalink]
    assert ris["date"] == day.strftime("%Y/%m/%d/")
    assert ris["title"] == item["title"]


def test_the_current_page_offers_its_latest_version_to_cite(client, organization):
    latest = versions_for(organization).first()

    box = cite_box(client.get("/en/organizations/peres-center/").content.decode())

    assert "http://testserver" + version_url(organization, latest) in box
    assert f"/en/export/citations/organization/peres-center/versions/{latest.pk}.bib" in box
    assert "/en/export/citations/organization/peres-center.bib" in box


def test_a_draft_version_cannot_be_cited(client, sources):
    with revision("Draft"):
        organization = Organization.objects.create(slug="secret", name_en="Working title", kind="ngo", status=DRAFT)
    draft = versions_for(organization).get()
    with revision("Published"):
        organization.status = PUBLISHED
        organization.save()
    published = versions_for(organization).first()

    def url(version):
        with translation.override("en"):
            return reverse(
                "exports:version_citation",
                kwargs={"kind": "organization", "identifier": "secret", "version": version, "format": "bib"},
            )

    assert client.get(url(draft.pk)).status_code == 404
    assert client.get(url(999999999)).status_code == 404
    assert client.get(url(published.pk)).status_code == 200


# Query counts.


def add_citations(record, sources, count):
    """``count`` more citations of the record, saved with it in a new version."""
    with revision(f"{count} more citations"):
        for n in range(count):
            source = Source.objects.create(key=f"extra-{record.pk}-{n}-{count}", title=f"Extra {n}", status=PUBLISHED)
            Citation.objects.create(source=source, content_object=record, claim="name", position=10 + n)
        record.save()
    return versions_for(record).first()


def test_a_version_page_costs_the_same_queries_with_more_citations_and_versions(
    client, organization, sources, django_assert_num_queries
):
    few = add_citations(organization, sources, 2)
    client.get(version_url(organization, few))  # warm the content-type cache, as any running site has
    with django_assert_num_queries(VERSION_PAGE_QUERIES):
        assert client.get(version_url(organization, few)).status_code == 200

    many = add_citations(organization, sources, 40)
    for n in range(10):
        with revision(f"edit {n}"):
            organization.summary_en = f"Summary {n}"
            organization.save()
    with django_assert_num_queries(VERSION_PAGE_QUERIES):
        response = client.get(version_url(organization, many))
    assert response.status_code == 200
    assert len(references(response.content.decode())) == 43  # the name's 42 sources and the description's marker


def test_a_person_version_costs_the_same_queries_with_more_roles(client, sources, django_assert_num_queries):
    def person_with_roles(slug, count):
        with revision("Person"):
            person = Person.objects.create(slug=slug, name_en=slug, status=PUBLISHED)
            for n in range(count):
                office = Organization.objects.create(
                    slug=f"{slug}-office-{n}", name_en=f"Office {n}", kind="government", status=PUBLISHED
                )
                role = Role.objects.create(person=person, title_en=f"Role {n}", organization=office, status=PUBLISHED)
                Citation.objects.create(source=sources["newsletter"], content_object=role)
            person.save()
        return person, versions_for(person).get()

    small, small_version = person_with_roles("few", 1)
    large, large_version = person_with_roles("many", 30)
    client.get(version_url(small, small_version))

    with django_assert_num_queries(PERSON_VERSION_QUERIES):
        client.get(version_url(small, small_version))
    with django_assert_num_queries(PERSON_VERSION_QUERIES):
        page = client.get(version_url(large, large_version)).content.decode()
    assert page.count("Office ") == 30
