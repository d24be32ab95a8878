"""Injection: what editors type is text, never markup. A corpus of XSS payloads is saved, through
model validation, into every text field of every kind of record (each language column, source
titles, quotes, locators, and addresses that stay valid URLs), then every reader page and the
admin's lists and forms are read: in the HTML, no payload becomes an element, an attribute or a
script, and JSON-LD stays data; in Chromium, with the Content-Security-Policy switched off so
escaping alone is tested, no payload runs and no dialog opens. ``javascript:`` addresses are
refused wherever an address is saved, and never become a link."""

import json
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import translation

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
from records.history import versions_for
from records.partial_dates import PartialDateField
from records.versioning import revision
from tests.answers import change_form_data

PAYLOADS = [
    "<script>window.__xss=1</script>",
    '"><img src=x onerror="window.__xss=1">',
    "'><svg onload=window.__xss=1>",
    "<img src=x onerror=alert(1)>",
    "</script><script>window.__xss=1</script>",
    "javascript:window.__xss=1",
    '<a href="javascript:window.__xss=1">x</a>',
    "<iframe src=javascript:window.__xss=1>",
    '" onmouseover="window.__xss=1" x="',
    "\u202e<b>reversed</b>\u202c \u2067isolated\u2069",
    "{{7*7}} {% now 'Y' %} ${7*7}",
    "&lt;script&gt;window.__xss=1&lt;/script&gt;",
    "<style>body{display:none}</style>",
]
# The prose markup's own syntax around payloads: link labels, citation locators, emphasis.
PROSE_PAYLOADS = [
    "[[organization:allmep|<img src=x onerror=window.__xss=1>]]",
    "{{ref|xss-source|<svg onload=window.__xss=1>}}",
    "''<script>window.__xss=1</script>''",
    "'''\"><img src=x onerror=window.__xss=1>'''",
]
# Valid web addresses that try to break out of an href attribute.
URL_PAYLOAD = 'https://example.org/"><img/src=x/onerror=window.__xss=1>'
JAVASCRIPT_URLS = [
    "javascript:window.__xss=1",
    "JaVaScRiPt:window.__xss=1",
    " javascript:window.__xss=1",
    "java\tscript:window.__xss=1",
    "data:text/html,<script>window.__xss=1</script>",
    "vbscript:msgbox(1)",
]


def payload_text(max_length, offset):
    """As many payloads as fit in ``max_length``, starting at a different one for each field."""
    rotated = PAYLOADS[offset % len(PAYLOADS) :] + PAYLOADS[: offset % len(PAYLOADS)]
    text = rotated[0][:max_length]
    for payload in rotated[1:]:
        if len(text) + 1 + len(payload) > max_length:
            break
        text += " " + payload
    return text


def fill_text_fields(obj, offset=0):
    """Every free-text column of ``obj`` (each language's), not identifiers, choices, dates or URLs."""
    from records.prose import ProseField

    names = {field.name for field in obj._meta.concrete_fields}
    for field in obj._meta.concrete_fields:
        if (
            not isinstance(field, (models.CharField, models.TextField))
            or isinstance(field, (models.SlugField, models.URLField, PartialDateField))
            or field.choices
            or field.name in {"status", "language"}
            or any(isinstance(validator, RegexValidator) for validator in field.validators)  # an identifier
            or f"{field.name}_ar" in names  # modeltranslation's own field: its columns are filled
        ):
            continue
        offset += 1
        if isinstance(field, ProseField):
            value = "\n\n".join(PAYLOADS + PROSE_PAYLOADS)
        elif isinstance(field, models.TextField):
            value = " ".join(PAYLOADS)
        else:
            value = payload_text(field.max_length, offset)
        setattr(obj, field.name, value)
    return offset


def save_validated(obj, offset=0):
    fill_text_fields(obj, offset)
    obj.full_clean()
    obj.save()
    return obj


def make_payload_records():
    """One published record of every kind, every text field full of payloads, all validated."""
    published = "published"
    with revision("XSS payloads"):
        source = Source(key="xss-source", title="x", url=URL_PAYLOAD, archive_url=URL_PAYLOAD, status=published)
        save_validated(source, 1)
        coalition = Organization.objects.create(slug="allmep", name_ar="x", kind="coalition", status=published)
        coalition.website = URL_PAYLOAD
        save_validated(coalition, 2)
        member = save_validated(Organization(slug="member", name_ar="x", kind="ngo", status=published), 3)
        person = save_validated(Person(slug="person", name_ar="x", status=published), 4)
        event = save_validated(
            Event(slug="event", title_ar="x", kind="summit", start="2009", organizer=coalition, status=published), 5
        )
        meeting = save_validated(
            Meeting(slug="meeting", title_ar="x", organization=coalition, event=event, status=published), 6
        )
        meeting.counterparts.add(member)
        records = [
            Membership(member=member, coalition=coalition, joined="2004", status=published),
            ReportedFigure(
                organization=coalition,
                metric="member_organizations",
                value=Decimal("97"),
                as_of="2016-08",
                status=published,
            ),
            Role(person=person, title_ar="x", organization=member, start="2005", status=published),
            ArticleSection(organization=coalition, kind="lead", status=published),
            ArticleSection(organization=coalition, kind="history", position=1, title_ar="x", status=published),
            Proposal(organization=coalition, slug="proposal", name_ar="x", status=published),
            EventParticipant(event=event, person=person),
            EventPartner(event=event, organization=member),
        ]
        for offset, obj in enumerate(records, start=7):
            save_validated(obj, offset)
        for offset, record in enumerate((coalition, member, person, event, meeting), start=20):
            save_validated(Citation(source=source, content_object=record, claim=""), offset)
    # A second version, so history and diff pages have payloads on both sides.
    with revision("XSS payloads, again"):
        save_validated(coalition, 30)
        save_validated(person, 31)
    return {"coalition": coalition, "person": person, "source": source}


def history(record):
    return reverse("records:history", kwargs={"label": record._meta.label_lower, "pk": record.pk})


def diff(record):
    url = reverse("records:diff", kwargs={"label": record._meta.label_lower, "pk": record.pk})
    return f"{url}?to={versions_for(record).first().pk}"


def reader_urls(records):
    person, coalition = records["person"], records["coalition"]
    urls = []
    for language in ("ar", "en", "he"):
        with translation.override(language):
            urls += [
                reverse("organizations:home"),
                reverse("organizations:organization_list"),
                reverse("organizations:organization_detail", kwargs={"slug": "allmep"}),
                reverse("organizations:organization_detail", kwargs={"slug": "member"}),
                reverse("organizations:person_list"),
                reverse("organizations:person_detail", kwargs={"slug": "person"}),
                reverse("events:event_list"),
                reverse("events:event_detail", kwargs={"slug": "event"}),
                reverse("events:meeting_list"),
                reverse("events:meeting_detail", kwargs={"slug": "meeting"}),
                reverse("citations:source_list"),
                reverse("citations:source_detail", kwargs={"key": "xss-source"}),
                reverse("exports:index"),
                history(person),
                diff(person),
                history(coalition),
                diff(coalition),
                # Titles, edit summaries and what changed, and the filters' errors.
                reverse("recent_changes"),
                reverse("recent_changes") + '?kind="><svg onload=window.__xss=1>&language=<x>',
                # Payloads in the address: reflected by the search box, filter errors and the 404 page.
                reverse("search:results") + "?q=window.__xss",
                reverse("search:results") + "?q=%3Cscript%3Ewindow.__xss%3D1%3C%2Fscript%3E",
                reverse("organizations:organization_list") + '?kind="><svg onload=window.__xss=1>&sort=<x>',
                reverse("organizations:home") + "%3Cscript%3Ewindow.__xss=1%3C%2Fscript%3E/",
            ]
    return urls


def admin_urls(records):
    urls = ["/en/admin/", "/en/admin/organizations/organization/?q=%3Cscript%3Ewindow.__xss%3D1%3C%2Fscript%3E"]
    models_ = [Organization, Membership, ReportedFigure, Person, Role, ArticleSection, Proposal, Event, Meeting, Source]
    for model in models_:
        obj = model.objects.first()
        prefix = f"/en/admin/{model._meta.app_label}/{model._meta.model_name}/"
        urls += [prefix, f"{prefix}{obj.pk}/change/"]
    coalition = records["coalition"]
    older, newer = list(versions_for(coalition))[1::-1]
    prefix = f"/ar/admin/organizations/organization/{coalition.pk}/history/"
    urls += [prefix, f"{prefix}compare/?from={older.pk}&to={newer.pk}"]
    return urls


class Injected(HTMLParser):
    """Elements and attributes that only injected markup would bring."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.json_ld = []
        self._script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"iframe", "svg"} and "onload" in str(attrs):
            self.found.append(f"<{tag} {attrs}>")
        if tag == "img" and attrs.get("src") == "x":
            self.found.append(f"<img {attrs}>")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in {"href", "src", "action", "formaction"} and re.sub(r"[\s\x00-\x1f]", "", value or "").lower()[
                :11
            ] in {"javascript:", "vbscript:"}:
                self.found.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            self._script = attrs
            if "src" not in attrs and attrs.get("type") != "application/ld+json":
                self.found.append(f"inline <script {attrs}>")
        if tag == "style":
            self.found.append("<style>")

    def handle_data(self, data):
        if self._script is not None and self._script.get("type") == "application/ld+json":
            self.json_ld.append(data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None


def injected(html):
    parser = Injected()
    parser.feed(html)
    problems = list(parser.found)
    for block in parser.json_ld:
        try:
            json.loads(block)
        except ValueError as error:
            problems.append(f"JSON-LD that is not JSON ({error}): {block[:200]}")
    return problems, parser.json_ld


@pytest.fixture
def payload_records(db):
    return make_payload_records()


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("boss", "boss@example.org", "a long enough passphrase 42")


def test_payloads_are_escaped_on_every_reader_and_admin_page(client, payload_records, superuser):
    problems = {}
    json_ld = []
    for url in reader_urls(payload_records):
        response = client.get(url)
        assert response.status_code in (200, 400, 404), url
        found, blocks = injected(response.content.decode())
        json_ld += blocks
        if found:
            problems[url] = found
    client.force_login(superuser)
    for url in admin_urls(payload_records):
        response = client.get(url)
        assert response.status_code == 200, url
        found, _blocks = injected(response.content.decode())
        if found:
            problems[url] = found
    assert not problems
    # The payloads are there, as text: the person's description holds all of them.
    person_page = client.get(reverse("organizations:person_detail", kwargs={"slug": "person"})).content.decode()
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in person_page
    assert "&lt;img src=x onerror=window.__xss=1&gt;" in person_page  # a link label from the markup
    # JSON-LD keeps the payloads as data: what an editor typed comes back from the JSON intact.
    decoded = " ".join(json.dumps(json.loads(block), ensure_ascii=False) for block in json_ld)
    assert "<script>window.__xss=1</script>" in decoded


def test_the_prose_markup_refuses_links_to_addresses(payload_records):
    organization = payload_records["coalition"]
    for text in ("[[organization:javascript:window.__xss=1|x]]", "[[javascript:window.__xss=1|x]]"):
        organization.description_en = text
        with pytest.raises(ValidationError):
            organization.full_clean()


@pytest.mark.parametrize("address", JAVASCRIPT_URLS)
def test_a_script_address_cannot_be_saved_as_a_website_source_or_archive(payload_records, address):
    organization, source = payload_records["coalition"], payload_records["source"]
    for obj, field in ((organization, "website"), (source, "url"), (source, "archive_url")):
        setattr(obj, field, address)
        with pytest.raises(ValidationError) as refused:
            obj.full_clean()
        assert field in refused.value.message_dict


def test_the_admin_refuses_a_script_address(client, payload_records, superuser):
    client.force_login(superuser)
    organization = payload_records["coalition"]
    url = f"/en/admin/organizations/organization/{organization.pk}/change/"
    for address in JAVASCRIPT_URLS:
        data = change_form_data(client.get(url))
        data["website"] = [address]
        response = client.post(url, data)
        assert response.status_code == 200, address
        assert "website" in response.context["adminform"].form.errors, address
    organization.refresh_from_db()
    assert organization.website == URL_PAYLOAD


CHECK_PAGE = """() => [
    typeof window.__xss,
    [...document.querySelectorAll('[onerror], [onload], [onmouseover], iframe, img[src="x"], style, '
        + 'script:not([src]):not([type="application/ld+json"])')].map(e => e.outerHTML.slice(0, 120)),
    [...document.querySelectorAll('[href], [src], [action]')]
        .map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action'))
        .filter(v => /^\\s*(javascript|vbscript|data):/i.test(v)),
]"""


@pytest.mark.browser
def test_no_payload_runs_in_chromium_even_without_the_content_security_policy(live_server, browser):
    records = make_payload_records()
    User.objects.create_superuser("boss", "boss@example.org", "a long enough passphrase 42")
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))

    def visit(path):
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        ran, elements, addresses = page.evaluate(CHECK_PAGE)
        return [*(["window.__xss was set"] if ran != "undefined" else []), *elements, *addresses]

    problems = {}
    for path in reader_urls(records):
        problems[path] = visit(path)
    page.goto(live_server.url + "/en/admin/login/?next=/en/admin/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "a long enough passphrase 42")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/en/admin/")
    for path in admin_urls(records):
        problems[path] = visit(path)
    context.close()
    assert not {path: found for path, found in problems.items() if found}
    assert not dialogs
