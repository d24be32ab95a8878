"""Who may do what: researchers only read the admin, editors write drafts but never publish nor
manage accounts, and anonymous readers see published records only, in every channel the site
has (pages, search, sitemap, downloads, the API, history and diffs)."""

import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import translation
from reversion.models import Version

from citations.models import Citation, Source
from events.models import Event, EventParticipant, EventPartner, Meeting
from organizations.models import (
    ArticleSection,
    Membership,
    Organization,
    Person,
    Proposal,
    ReportedFigure,
    Role,
)
from records.kinds import list_tables
from records.models import ContentStamp, ProposedChange, PublicationStatus
from records.partial_dates import PartialDate
from records.versioning import revision
from tests.answers import assert_saved, change_form_data, change_url, errors_of
from tests.factories import staff_member

LANGUAGES = ("ar", "en", "he")
PUBLISHED = PublicationStatus.PUBLISHED
DRAFT = PublicationStatus.DRAFT
# Written into every draft (slugs, keys and texts); lower case, as search may fold case.
MARKER = "xqzdraft"
PASSWORD = "a long enough passphrase 42"
# A second word of every draft text, to search for without the search box echoing the marker.
SEARCH_WORD = "quokkaville"


def draft_text(what):
    return f"{MARKER} {what} {SEARCH_WORD}"


def translated(field, what):
    return {f"{field}_{code}": draft_text(f"{what} {code}") for code in LANGUAGES}


@pytest.fixture
def record(db):
    """Published records, a draft of every kind (some attached to published ones), and a
    published person whose first versions were drafts. Returns {name: object}."""
    with revision("Published records"):
        coalition = Organization.objects.create(
            slug="allmep", name_en="The coalition", name_ar="التحالف", kind="coalition", status=PUBLISHED
        )
        member = Organization.objects.create(slug="member", name_en="A member", kind="ngo", status=PUBLISHED)
        Membership.objects.create(member=member, coalition=coalition, joined="2004", status=PUBLISHED)
        source = Source.objects.create(key="published-source", title="A published source", status=PUBLISHED)
        event = Event.objects.create(
            slug="published-event", title_en="A published event", kind="summit", start="2009", status=PUBLISHED
        )
        meeting = Meeting.objects.create(
            slug="published-meeting",
            title_ar="اجتماع",
            title_en="A published meeting",
            organization=coalition,
            status=PUBLISHED,
        )
        Citation.objects.create(source=source, content_object=coalition, claim="founded")

    with revision("Drafts"):
        draft_org = Organization.objects.create(
            slug=f"{MARKER}-organization",
            kind="coalition",  # a coalition: the member_of menus must not offer it either
            website=f"https://{MARKER}.example.org/",
            **translated("name", "organization"),
            **translated("summary", "organization summary"),
            **translated("description", "organization description"),
        )
        draft_person = Person.objects.create(slug=f"{MARKER}-person", **translated("name", "person"))
        draft_event = Event.objects.create(
            slug=f"{MARKER}-event", kind="summit", start="2010", **translated("title", "event")
        )
        draft_meeting = Meeting.objects.create(
            slug=f"{MARKER}-meeting", organization=coalition, **translated("title", "meeting")
        )
        draft_source = Source.objects.create(
            key=f"{MARKER}-source",
            title=draft_text("source"),
            url=f"https://{MARKER}.example.org/source",
            **translated("publisher", "publisher"),
        )
        # Drafts hanging on published records, and published rows pointing at drafts.
        Membership.objects.create(member=member, coalition=coalition, joined="2005", **translated("note", "membership"))
        Membership.objects.create(member=draft_org, coalition=coalition, joined="2006", status=PUBLISHED)
        ReportedFigure.objects.create(
            organization=coalition,
            metric="member_organizations",
            value=Decimal("12345"),
            as_of=PartialDate.parse("2012"),
            **translated("note", "figure"),
        )
        published_person = Person.objects.create(slug="published-person", name_en="Someone", status=PUBLISHED)
        Role.objects.create(person=published_person, organization=coalition, **translated("title", "role"))
        Role.objects.create(person=published_person, organization=draft_org, title_en="Partner", status=PUBLISHED)
        ArticleSection.objects.create(
            organization=coalition, kind="history", **translated("title", "section"), **translated("body", "section")
        )
        Proposal.objects.create(organization=coalition, slug=f"{MARKER}-proposal", **translated("name", "proposal"))
        Citation.objects.create(source=draft_source, content_object=coalition, **translated("locator", "locator"))
        EventParticipant.objects.create(event=event, person=draft_person, **translated("role", "participant"))
        EventPartner.objects.create(event=event, organization=draft_org, **translated("role", "partner"))
        meeting.counterparts.add(draft_org)

    # A person drafted with the marker, then published without it: readers see only the
    # versions saved while published.
    with revision("First draft"):
        drafted = Person.objects.create(slug="drafted-then-published", name_en="Drafted", **translated("summary", "v1"))
    with revision("Still a draft"):
        drafted.summary_en = draft_text("v2")
        drafted.save()
    with revision("Published"):
        for code in LANGUAGES:
            setattr(drafted, f"summary_{code}", "Published summary")
        drafted.status = PUBLISHED
        drafted.save()

    return {
        "coalition": coalition,
        "member": member,
        "source": source,
        "event": event,
        "meeting": meeting,
        "published_person": published_person,
        "drafted": drafted,
        "drafts": [draft_org, draft_person, draft_event, draft_meeting, draft_source],
    }


def body_of(response):
    """A response's content as text, whatever its format (streamed, XLSX, ZIP)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] != b"PK":
        return content.decode()
    archive = zipfile.ZipFile(io.BytesIO(content))
    if "xl/workbook.xml" in archive.namelist():
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row if cell
        )
    return "\n".join(archive.read(name).decode() for name in archive.namelist())


def assert_no_marker(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, f"{url} answered {response.status_code}"
    text = body_of(response).lower()
    position = text.find(MARKER)
    assert position < 0, f"{url} shows a draft: …{text[max(position - 150, 0) : position + 150]}…"
    return text


def reader_urls(record):
    urls = ["/sitemap.xml", "/robots.txt"]
    for code in LANGUAGES:
        with translation.override(code):
            urls += [
                reverse("organizations:home"),
                reverse("organizations:organization_list"),
                reverse("organizations:organization_list") + "?member_of=allmep&sort=-name",
                reverse("organizations:organization_detail", kwargs={"slug": "allmep"}),
                reverse("organizations:organization_detail", kwargs={"slug": "member"}),
                reverse("organizations:person_list"),
                reverse("organizations:person_detail", kwargs={"slug": "published-person"}),
                reverse("organizations:person_detail", kwargs={"slug": "drafted-then-published"}),
                reverse("events:event_list"),
                reverse("events:event_detail", kwargs={"slug": "published-event"}),
                reverse("events:meeting_list"),
                reverse("events:meeting_detail", kwargs={"slug": "published-meeting"}),
                reverse("citations:source_list"),
                reverse("citations:source_detail", kwargs={"key": "published-source"}),
                reverse("search:results") + f"?q={SEARCH_WORD}",
                reverse("search:results") + "?q=draft",
                reverse("exports:index"),
                reverse("recent_changes"),
                reverse("recent_changes") + "?kind=organizations.person&language=en",
                reverse("recent_changes_feed"),
                reverse("recent_changes_feed") + "?language=he",
            ]
            for published in (record["coalition"], record["drafted"], record["source"], record["meeting"]):
                urls.append(reverse("records:feed", kwargs={"label": published._meta.label_lower, "pk": published.pk}))
    return urls


def test_readers_pages_search_and_sitemap_show_no_draft(client, record):
    for url in reader_urls(record):
        assert_no_marker(client, url)


def test_search_finds_no_draft_in_any_language(client, record):
    for code in LANGUAGES:
        with translation.override(code):
            response = client.get(reverse("search:results"), {"q": SEARCH_WORD})
        assert response.status_code == 200
        assert response.context["results"] == []
        assert not response.context.get("elsewhere")


# The public page of each kind of record that can be a draft: its URL name and the field in its address.
DRAFT_PAGES = {
    Organization: ("organizations:organization_detail", "slug"),
    Person: ("organizations:person_detail", "slug"),
    Event: ("events:event_detail", "slug"),
    Meeting: ("events:meeting_detail", "slug"),
    Source: ("citations:source_detail", "key"),
}


def test_a_drafts_page_its_history_and_its_citations_are_not_found(client, record):
    for draft in record["drafts"]:
        name, key = DRAFT_PAGES[type(draft)]
        label = draft._meta.label_lower
        for code in LANGUAGES:
            with translation.override(code):
                urls = [
                    reverse(name, kwargs={key: getattr(draft, key)}),
                    reverse("records:history", kwargs={"label": label, "pk": draft.pk}),
                    reverse("records:diff", kwargs={"label": label, "pk": draft.pk}) + "?to=1",
                ]
                if isinstance(draft, Source):
                    urls.append(reverse("exports:source_citation", kwargs={"key": draft.key, "format": "bib"}))
                else:
                    kind = draft._meta.model_name
                    urls.append(f"/{code}/export/citations/{kind}/{draft.slug}.bib")
            for url in urls:
                assert client.get(url).status_code == 404, url


def test_history_and_diffs_show_only_versions_saved_while_published(client, record):
    drafted = record["drafted"]
    label = drafted._meta.label_lower
    history = reverse("records:history", kwargs={"label": label, "pk": drafted.pk})
    assert_no_marker(client, history)
    versions = list(Version.objects.get_for_object(drafted).order_by("pk"))
    assert len(versions) == 3
    diff = reverse("records:diff", kwargs={"label": label, "pk": drafted.pk})
    published = versions[-1]
    assert_no_marker(client, f"{diff}?to={published.pk}")
    for draft_version in versions[:2]:
        assert client.get(f"{diff}?to={draft_version.pk}").status_code == 404
        assert client.get(f"{diff}?to={published.pk}&from={draft_version.pk}").status_code == 404


def test_recent_changes_and_feeds_show_only_versions_saved_while_published(client, record):
    """The drafted person's first two versions (drafts) are neither listed nor in a feed; the
    drafts of every kind are not either, even once they have versions."""
    drafted = record["drafted"]
    feed = reverse("records:feed", kwargs={"label": drafted._meta.label_lower, "pk": drafted.pk})
    for url in ("/en/recent-changes/", "/en/recent-changes/feed/", feed):
        text = assert_no_marker(client, url)
        assert "still a draft" not in text, url
        assert "first draft" not in text, url
    assert "Published" in client.get(feed).content.decode()
    for draft in record["drafts"]:
        with revision("Edited while a draft"):
            draft.save()
        label = draft._meta.label_lower
        assert client.get(reverse("records:feed", kwargs={"label": label, "pk": draft.pk})).status_code == 404
    for url in ("/en/recent-changes/", "/en/recent-changes/feed/", "/ar/recent-changes/?language=ar"):
        assert "edited while a draft" not in assert_no_marker(client, url), url


def test_downloads_hold_no_draft(client, record):
    urls = ["/en/export/datapackage.zip"]
    for format in ("bib", "ris", "json"):
        urls.append(reverse("exports:all_sources_citation", kwargs={"format": format}))
    for code in LANGUAGES:
        for table in list_tables():
            for format in ("csv", "json", "xlsx"):
                urls.append(f"/{code}/export/{table}.{format}")
    for url in urls:
        assert_no_marker(client, url)


def test_the_api_serves_no_draft(client, record):
    endpoints = ["organizations", "memberships", "events", "meetings", "people", "sources", "citations", "figures"]
    assert_no_marker(client, "/api/schema/")
    for endpoint in endpoints:
        for code in LANGUAGES:
            assert_no_marker(client, f"/api/{endpoint}/?lang={code}")
    for draft in record["drafts"]:
        endpoint = {Organization: "organizations", Person: "people", Event: "events", Meeting: "meetings"}.get(
            type(draft), "sources"
        )
        identifier = draft.key if isinstance(draft, Source) else draft.slug
        assert client.get(f"/api/{endpoint}/{identifier}/").status_code == 404
    for model, endpoint in ((Membership, "memberships"), (ReportedFigure, "figures")):
        for draft in model.objects.filter(status=DRAFT):
            assert client.get(f"/api/{endpoint}/{draft.pk}/").status_code == 404


def test_the_marker_check_sees_a_record_once_it_is_published(client, record):
    """The checks above can fail: publishing one draft puts its marker on pages and in the API."""
    draft_org = record["drafts"][0]
    with revision("Publish"):
        draft_org.status = PUBLISHED
        draft_org.save()
    for url in ("/en/organizations/", "/api/organizations/", "/en/export/organizations.csv"):
        assert MARKER in body_of(client.get(url)).lower(), url


# Staff permissions in the admin.


def content_admins():
    return {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in {"organizations", "events", "citations"}
    }


def admin_url(model, view, *args, language="en"):
    opts = model._meta
    return f"/{language}" + reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)[3:]


def snapshot():
    """Every row of every content model, to compare before and after (in one language: modeltranslation
    reads an untranslated column name as the active language's)."""
    with translation.override("en"):
        return {model: list(model._base_manager.order_by("pk").values()) for model in content_admins()}


def admin_actions(model_admin):
    """The action names a superuser is offered on a changelist."""
    return [*(model_admin.actions or ()), "delete_selected"]


def test_a_researcher_can_read_the_admin_but_change_nothing(client, record):
    client.force_login(staff_member("researcher", "Researchers"))
    before = snapshot()
    for model, model_admin in content_admins().items():
        obj = model._base_manager.first()
        if obj is None:
            continue
        assert client.get(admin_url(model, "changelist")).status_code == 200, model
        assert client.get(admin_url(model, "change", obj.pk)).status_code == 200, model
        assert client.get(admin_url(model, "add")).status_code == 403, model
        assert client.post(admin_url(model, "add"), {"slug": "new", "name_ar": "x"}).status_code == 403, model
        assert client.post(admin_url(model, "change", obj.pk), {"status": PUBLISHED}).status_code == 403, model
        assert client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403, model
        for action in admin_actions(model_admin):
            # Actions the user may not run are refused, or answered without running them.
            client.post(admin_url(model, "changelist"), {"action": action, "_selected_action": [obj.pk], "post": "yes"})
        versions = Version.objects.get_for_object(obj)
        if versions:
            revert = admin_url(model, "revision", obj.pk, versions.last().pk)
            assert client.post(revert, {}).status_code == 403, model
    assert snapshot() == before


def test_an_editor_cannot_publish_by_form_inline_action_or_revert(client, record):
    editor = staff_member("editor", "Editors")
    client.force_login(editor)
    draft_person = Person.objects.get(slug=f"{MARKER}-person")

    # The change form: a forged status field is ignored.
    url = change_url(draft_person)
    data = change_form_data(client.get(url))
    data["status"] = [PUBLISHED]
    assert_saved(client.post(url, data))

    # The add form: a new record is a draft whatever the POST says.
    data = change_form_data(client.get(admin_url(Event, "add")))
    data.update(
        slug=["forged"], title_ar=["حدث"], title_en=["Forged"], kind=["summit"], start=["2011"], status=[PUBLISHED]
    )
    assert_saved(client.post(admin_url(Event, "add"), data))
    assert Event.objects.get(slug="forged").status == DRAFT

    # An inline row (a person's roles) with a forged status.
    url = change_url(draft_person)
    data = change_form_data(client.get(url))
    prefix = next(name[: -len("-TOTAL_FORMS")] for name in data if name.endswith("-TOTAL_FORMS") and "role" in name)
    data[f"{prefix}-TOTAL_FORMS"] = ["1"]
    data.update(
        {f"{prefix}-0-title_ar": ["دور"], f"{prefix}-0-title_en": ["Forged role"], f"{prefix}-0-status": [PUBLISHED]}
    )
    assert_saved(client.post(url, data))
    assert Role.objects.get(title_en="Forged role").status == DRAFT

    # The publish action.
    for model in (Person, Organization, Source):
        drafts = model.objects.filter(status=DRAFT)
        client.post(admin_url(model, "changelist"), {"action": "publish_selected", "_selected_action": list(drafts)})
        assert not model.objects.filter(pk__in=drafts).exclude(status=DRAFT).exists(), model
    draft_person.refresh_from_db()
    assert draft_person.status == DRAFT

    # Reverting to a version saved while the record was published keeps today's draft state.
    coalition = record["coalition"]
    with revision("Withdrawn"):
        coalition.status = DRAFT
        coalition.save()
    published_version = Version.objects.get_for_object(coalition).order_by("pk").first()
    url = admin_url(Organization, "revision", coalition.pk, published_version.pk)
    response = client.get(url)
    assert response.status_code == 200
    data = change_form_data(response)
    data["status"] = [PUBLISHED]
    assert_saved(client.post(url, data))
    coalition.refresh_from_db()
    assert coalition.status == DRAFT


def test_an_editor_recovers_a_deleted_published_record_as_a_draft(client, record):
    meeting = record["meeting"]
    client.force_login(staff_member("editor", "Editors"))
    # Deleting a published record takes it from readers: a publisher's decision.
    assert client.post(admin_url(Meeting, "delete", meeting.pk), {"post": "yes"}).status_code == 403
    client.force_login(staff_member("publisher", "Publishers"))
    response = client.post(admin_url(Meeting, "delete", meeting.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    client.force_login(staff_member("editor-2", "Editors"))
    version = Version.objects.get_deleted(Meeting).get(object_id=str(meeting.pk))
    url = admin_url(Meeting, "recover", version.pk)
    data = change_form_data(client.get(url))
    data["status"] = [PUBLISHED]
    assert_saved(client.post(url, data))
    assert Meeting.objects.get(pk=meeting.pk).status == DRAFT


def test_an_editor_cannot_manage_accounts_groups_or_login_lockouts(client, record):
    editor = staff_member("editor", "Editors")
    client.force_login(editor)
    for model in (User, Group):
        assert client.get(admin_url(model, "changelist")).status_code == 403
        assert client.get(admin_url(model, "add")).status_code == 403
    assert (
        client.post(admin_url(User, "add"), {"username": "new", "password1": "x", "password2": "x"}).status_code == 403
    )
    response = client.post(admin_url(User, "change", editor.pk), {"username": "editor", "is_superuser": "on"})
    assert response.status_code == 403
    assert client.get("/en/admin/axes/accessattempt/").status_code == 403
    editor.refresh_from_db()
    assert not editor.is_superuser
    assert not User.objects.filter(username="new").exists()
    # The admin index offers none of them.
    index = client.get("/en/admin/").content.decode()
    assert "/admin/auth/" not in index
    assert "/admin/axes/" not in index


# Staff preview drafts on their public pages; readers never see them, nor anything staff were shown.

PREVIEW_BANNER = {
    "ar": "معاينة مسودة: لا يرى القراء هذه الصفحة حتى تُنشر.",
    "en": "Preview of a draft: readers do not see this page until it is published.",
    "he": "תצוגה מקדימה של טיוטה: הקוראים לא רואים את הדף הזה עד שיפורסם.",
}


def draft_page_urls(record):
    urls = []
    for draft in record["drafts"]:
        name, key = DRAFT_PAGES[type(draft)]
        for code in LANGUAGES:
            with translation.override(code):
                urls.append((code, draft, reverse(name, kwargs={key: getattr(draft, key)})))
    return urls


@pytest.mark.parametrize("group", ["Editors", "Researchers"])
def test_staff_preview_a_draft_on_its_public_page_marked_as_a_preview(client, record, group):
    urls = draft_page_urls(record)
    for _code, _draft, url in urls:
        assert client.get(url).status_code == 404, url
    client.force_login(staff_member("staff", group))
    for code, draft, url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert MARKER in page.lower(), url
        assert PREVIEW_BANNER[code] in page, url
        assert reverse(f"admin:{draft._meta.app_label}_{draft._meta.model_name}_change", args=[draft.pk])[3:] in page
        assert '<meta name="robots" content="noindex">' in page
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    client.logout()
    for _code, _draft, url in urls:
        assert client.get(url).status_code == 404, url


def test_the_admins_view_on_site_link_opens_the_preview(client, record):
    client.force_login(staff_member("editor", "Editors"))
    for draft in record["drafts"]:
        change_page = client.get(change_url(draft, "ar")).content.decode()
        view_on_site = re.search(r'<a href="([^"]+)" class="viewsitelink"', change_page).group(1)
        response = client.get(view_on_site, follow=True)
        assert response.status_code == 200, view_on_site
        assert PREVIEW_BANNER["ar"] in response.content.decode()


def test_a_published_page_shows_staff_no_preview_banner(client, record):
    client.force_login(staff_member("editor", "Editors"))
    for code in LANGUAGES:
        with translation.override(code):
            url = reverse("organizations:organization_detail", kwargs={"slug": "allmep"})
        assert PREVIEW_BANNER[code] not in client.get(url).content.decode()


def test_staff_who_may_not_view_a_kind_of_record_get_404_for_its_drafts(client, record):
    client.force_login(User.objects.create_user("intern", password=PASSWORD, is_staff=True))
    for _code, _draft, url in draft_page_urls(record):
        assert client.get(url).status_code == 404, url


def test_nothing_staff_were_shown_reaches_readers_through_the_page_cache(client, record, settings):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "previews"},
    }
    from django.core.cache import caches

    pages = caches["pages"]
    pages.clear()
    client.force_login(staff_member("editor", "Editors"))
    for _code, _draft, url in draft_page_urls(record):
        assert client.get(url).status_code == 200, url
    for url in reader_urls(record):
        client.get(url)
    assert pages._cache == {}, "a page shown to staff was kept for readers"

    client.logout()
    for _twice in range(2):  # rendered for a reader, then served from the cache
        for url in reader_urls(record):
            assert_no_marker(client, url)
        for _code, _draft, url in draft_page_urls(record):
            assert client.get(url).status_code == 404, url
    assert pages._cache, "readers' pages are kept"


# Proposed changes: an editor's change to a published record waits for review and, until a
# publisher accepts it, reaches no channel a reader can reach: not even the page cache.


def propose_marked_changes(client, record):
    """An editor proposes, through the admin, changes carrying the marker to a published record of
    every kind with a form of its own, one of them with a citation added inline."""
    client.force_login(staff_member("proposer", "Editors"))
    changes = (
        (record["coalition"], ("name_en", "summary_en")),
        (record["published_person"], ("name_en", "name_ar")),
        (record["event"], ("title_en", "title_ar")),
        (record["meeting"], ("title_en",)),
        (record["source"], ("title",)),
    )
    for obj, fields in changes:
        url = change_url(obj)
        data = change_form_data(client.get(url))
        for name in fields:
            data[name] = [draft_text(name)]
        for name, values in data.items():  # inline rows the fixture made without their Arabic
            if name.endswith("-title_ar") and values == [""]:
                data[name] = ["دور"]
        if obj is record["coalition"]:
            prefix = next(
                name[: -len("-TOTAL_FORMS")] for name in data if name.endswith("-TOTAL_FORMS") and "citation" in name
            )
            count = int(data[f"{prefix}-TOTAL_FORMS"][0])
            data[f"{prefix}-TOTAL_FORMS"] = [str(count + 1)]
            data[f"{prefix}-{count}-source"] = [str(record["source"].pk)]
            data[f"{prefix}-{count}-locator_en"] = [draft_text("locator")]
            data[f"{prefix}-{count}-position"] = ["9"]
        response = client.post(url, data)
        assert response.status_code == 302, (obj, errors_of(response))
    client.logout()
    assert ProposedChange.objects.filter(state="pending").count() == len(changes)


def test_proposed_changes_reach_no_reader_channel(client, record):
    stamp = ContentStamp.current()
    propose_marked_changes(client, record)
    assert ContentStamp.current() == stamp  # nothing a cached page depends on moved
    for url in reader_urls(record):
        assert_no_marker(client, url)
    for published in (
        record["coalition"],
        record["published_person"],
        record["event"],
        record["meeting"],
        record["source"],
    ):
        label = published._meta.label_lower
        for url in (
            reverse("records:history", kwargs={"label": label, "pk": published.pk}),
            reverse("records:feed", kwargs={"label": label, "pk": published.pk}),
        ):
            assert_no_marker(client, url)
    urls = ["/en/export/datapackage.zip", "/api/schema/"]
    urls += [f"/en/export/{table}.csv" for table in list_tables()]
    urls += [
        f"/api/{endpoint}/?lang={code}"
        for endpoint in ("organizations", "events", "meetings", "people", "sources", "citations")
        for code in LANGUAGES
    ]
    for url in urls:
        assert_no_marker(client, url)
    response = client.get("/en/organizations/allmep/", HTTP_ACCEPT_DATETIME="Thu, 31 Dec 2099 00:00:00 GMT")
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert_no_marker(client, response["Location"])


def test_the_proposal_check_sees_a_proposal_once_it_is_accepted(client, record):
    """The check above can fail: accepting the coalition's proposal puts the marker on its page."""
    propose_marked_changes(client, record)
    client.force_login(staff_member("publisher", "Publishers"))
    proposal = ProposedChange.objects.get(object_id=str(record["coalition"].pk), content_type__model="organization")
    url = reverse("admin:records_proposedchange_change", args=[proposal.pk])
    review = client.get(url)
    assert MARKER in review.content.decode()
    assert (
        client.post(url, {"decision": "accept", "edit_version_seen": review.context["edit_version"]}).status_code == 302
    )
    client.logout()
    assert MARKER in client.get("/en/organizations/allmep/").content.decode().lower()
    assert MARKER in body_of(client.get("/en/export/organizations.csv")).lower()


def test_no_editor_path_publishes_a_change_to_a_published_record(client, record):
    """Form, inline rows, revert, action, delete, the citations' own admin, import and the API:
    an editor changes nothing readers see."""
    editor = staff_member("editor", "Editors")
    client.force_login(editor)
    before = snapshot()
    coalition = record["coalition"]

    # The form and its inline rows: a proposal (above); the revert: a proposal too.
    with revision("Renamed by a publisher"):
        coalition.name_en = "Renamed"
        coalition.save()
    before = snapshot()
    first = Version.objects.get_for_object(coalition).order_by("pk").first()
    url = admin_url(Organization, "revision", coalition.pk, first.pk)
    assert client.post(url, change_form_data(client.get(url))).status_code == 302
    # Delete, by the form and by the action.
    assert client.post(admin_url(Organization, "delete", coalition.pk), {"post": "yes"}).status_code == 403
    client.post(
        admin_url(Meeting, "changelist"),
        {"action": "delete_selected", "_selected_action": [record["meeting"].pk], "post": "yes"},
    )
    # The citations' own admin: a citation of a published record is read-only; a new one refused.
    citation = Citation.objects.filter(object_id=coalition.pk, content_type__model="organization").first()
    data = change_form_data(client.get(admin_url(Citation, "add")))
    data.update(
        source=[str(record["source"].pk)],
        content_type=[str(citation.content_type_id)],
        object_id=[str(coalition.pk)],
        locator_en=[draft_text("x")],
    )
    assert client.post(admin_url(Citation, "add"), data).status_code == 200
    assert client.post(admin_url(Citation, "change", citation.pk), {"locator_en": draft_text("x")}).status_code == 403
    assert client.post(admin_url(Citation, "delete", citation.pk), {"post": "yes"}).status_code == 403
    # The API is read-only.
    for method in (client.post, client.put, client.patch, client.delete):
        assert method("/api/organizations/allmep/", {"name_en": draft_text("api")}).status_code in (403, 405)
    after = snapshot()
    for model, rows in before.items():
        assert after[model] == rows, (
            model,
            [{k: (a[k], b[k]) for k in a if a[k] != b[k]} for a, b in zip(rows, after[model], strict=False) if a != b],
        )
    assert ProposedChange.objects.filter(author=editor).count() == 1
