"""The reader pages: every page type in Arabic, English and Hebrew, the language switcher,
drafts, staff edit links, filters and pagination."""

import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from tests.factories import make_record


@pytest.fixture
def record(db):
    return make_record()


LANGUAGES = [("ar", "rtl"), ("en", "ltr"), ("he", "rtl")]
PAGES = [
    ("organizations:home", {}),
    ("organizations:organization_list", {}),
    ("organizations:organization_detail", {"slug": "allmep"}),
    ("organizations:organization_detail", {"slug": "just-vision"}),
    ("organizations:person_list", {}),
    ("organizations:person_detail", {"slug": "hazem-fahmy"}),
    ("events:event_list", {}),
    ("events:event_detail", {"slug": "summer-conference-2005"}),
    ("events:event_detail", {"slug": "panel-2005"}),
    ("events:meeting_list", {}),
    ("events:meeting_detail", {"slug": "summit-meetings-2009"}),
    ("citations:source_list", {}),
    ("citations:source_detail", {"key": "stanford-coexistence"}),
]


def url(name, language, **kwargs):
    from django.utils import translation

    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def html_tag(page):
    return re.search(r"<html[^>]*>", page).group()


@pytest.mark.parametrize(("language", "direction"), LANGUAGES)
@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_every_page_answers_in_every_language_with_its_direction(client, record, name, kwargs, language, direction):
    response = client.get(url(name, language, **kwargs))
    assert response.status_code == 200
    page = response.content.decode()
    assert html_tag(page) == f'<html lang="{language}" dir="{direction}">'
    assert page.count("<h1") == 1


def test_language_switcher_names_each_language_in_itself_and_keeps_the_record(client, record):
    page = client.get("/en/events/summer-conference-2005/").content.decode()
    nav = re.search(r'<nav class="language-switcher".*?</nav>', page, re.S).group()
    links = re.findall(r'<a href="([^"]+)" hreflang="(\w+)"[^>]*>([^<]+)</a>', nav)
    assert links == [
        ("/ar/events/summer-conference-2005/", "ar", "العربية"),
        ("/en/events/summer-conference-2005/", "en", "English"),
        ("/he/events/summer-conference-2005/", "he", "עברית"),
    ]
    assert 'hreflang="en" lang="en" dir="ltr" aria-current="page"' in nav


def test_language_switcher_keeps_the_filters_of_a_list(client, record):
    page = client.get("/ar/organizations/?kind=ngo").content.decode()
    assert 'href="/he/organizations/?kind=ngo"' in page


def test_head_lists_reciprocal_hreflang_alternates_and_x_default(client, record):
    for language in ("ar", "en", "he"):
        page = client.get(f"/{language}/people/hazem-fahmy/").content.decode()
        alternates = dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', page))
        assert alternates == {
            "ar": "http://testserver/ar/people/hazem-fahmy/",
            "en": "http://testserver/en/people/hazem-fahmy/",
            "he": "http://testserver/he/people/hazem-fahmy/",
            "x-default": "http://testserver/people/hazem-fahmy/",
        }
    # x-default (as in the sitemap) sends a visitor to their own language.
    response = client.get("/people/hazem-fahmy/", HTTP_ACCEPT_LANGUAGE="he")
    assert response.status_code == 302
    assert response["Location"] == "/he/people/hazem-fahmy/"


def test_header_has_a_search_form_and_the_footer_credits_the_source_article(client, record):
    page = client.get("/en/").content.decode()
    search = re.search(r'<form class="search-form"[^>]*>', page).group()
    assert 'method="get"' in search
    assert f'action="{url("search:results", "en")}"' in search
    assert 'name="q"' in page
    assert "an Arabic Wikipedia article" in page
    assert 'href="https://creativecommons.org/licenses/by-sa/4.0/"' in page
    assert "BSD-3-Clause" in page


def test_home_page_is_the_coalition_article(client, record):
    page = client.get("/en/").content.decode()
    assert "<h1><bdi>Alliance for Middle East Peace</bdi>" in page
    # Sections in position order (in the article: the table of contents before it names them too),
    # references before the external links.
    article = page[page.index('<article class="article">') :]
    order = [article.index(text) for text in ("A coalition of more than 90 NGOs", "Agenda and proposals", "History")]
    assert order == sorted(order)
    assert "External links" not in page  # empty: no heading (tests below show it once it has a link)
    infobox = re.search(r'<table class="infobox">.*?</table>', page, re.S).group()
    assert "late 2003" in infobox
    assert "2006" in infobox
    assert re.search(r"97\s*\(<time datetime=\"2016-08\">August 2016</time>\)<sup", infobox)
    assert "coalition" in infobox


def test_drafts_are_absent_from_lists_and_their_pages_are_404(client, record):
    lists = ["/en/", "/en/organizations/", "/en/people/", "/en/events/", "/en/events/meetings/", "/en/sources/"]
    for path in lists:
        page = client.get(path).content.decode()
        for secret in ("Secret", "secret-", "Not yet published", "draft-source"):
            assert secret not in page, (path, secret)
    for path in [
        "/en/organizations/secret-org/",
        "/en/people/secret-person/",
        "/en/events/secret-event/",
        "/en/events/meetings/secret-meeting/",
        "/en/sources/draft-source/",
    ]:
        assert client.get(path).status_code == 404, path


def test_staff_see_edit_links_to_the_admin_and_readers_do_not(client, record):
    section = record["sections"][1]
    edit_url = reverse("admin:organizations_articlesection_change", args=[section.pk])
    anonymous = client.get("/en/").content.decode()
    assert "/admin/" not in anonymous
    assert 'class="edit-link"' not in anonymous

    client.force_login(User.objects.create_user("editor", is_staff=True))
    page = client.get("/en/").content.decode()
    assert f'href="{edit_url}"' in page
    assert reverse("admin:organizations_organization_change", args=[record["coalition"].pk]) in page
    heading = re.search(rf'<section id="section-{section.pk}"[^>]*>\s*<h2 id="[^"]+">.*?</h2>', page, re.S).group()
    assert ">edit</a>]" in heading
    event_page = client.get("/en/events/summer-conference-2005/").content.decode()
    assert reverse("admin:events_event_change", args=[record["conference"].pk]) in event_page


def test_a_logged_in_non_staff_user_sees_no_edit_link(client, record):
    client.force_login(User.objects.create_user("reader"))
    assert 'class="edit-link"' not in client.get("/en/").content.decode()


def listed_names(page):
    return re.findall(r'<li>\s*<a href="[^"]+"><bdi>([^<]+)</bdi></a>', page)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Alliance for Middle East Peace", "Just Vision"]),
        ("?kind=ngo", ["Just Vision"]),
        ("?kind=coalition", ["Alliance for Middle East Peace"]),
        ("?country=US", ["Just Vision"]),
        ("?member_of=allmep", ["Just Vision"]),
        ("?joined=2005", ["Just Vision"]),
        ("?member_of=allmep&joined=2004", []),  # the member that joined in 2004 is a draft
        ("?sort=-name", ["Just Vision", "Alliance for Middle East Peace"]),
    ],
)
def test_organization_filters(client, record, query, expected):
    response = client.get(f"/en/organizations/{query}")
    assert response.status_code == 200
    assert listed_names(response.content.decode()) == expected


def coalition_menu(page):
    menu = re.search(r'<select name="member_of"[^>]*>(.*?)</select>', page, re.S).group(1)
    return re.findall(r"<option[^>]*>([^<]+)</option>", menu)


def test_the_filter_form_follows_the_readers_choices_and_the_record(client, record):
    """The form is kept between requests: it still shows each reader's own choices, and a new
    coalition joins its menu as soon as it is published."""
    assert "Peace Coalition" not in coalition_menu(client.get("/en/organizations/").content.decode())
    page = client.get("/en/organizations/?kind=ngo").content.decode()
    assert '<option value="ngo" selected>' in page
    assert '<option value="ngo" selected>' not in client.get("/en/organizations/?page=1").content.decode()
    type(record["coalition"]).objects.create(
        slug="peace-coalition", name_en="Peace Coalition", kind="coalition", status="published"
    )
    assert "Peace Coalition" in coalition_menu(client.get("/en/organizations/?page=1").content.decode())
    assert "<summary>סינון ומיון</summary>" in client.get("/he/organizations/").content.decode()


def test_sorting_by_name_follows_the_reader_language_with_fallbacks(client, record):
    # Just Vision has no Hebrew name: it sorts by its English one, not as an empty string.
    page = client.get("/he/organizations/?sort=name").content.decode()
    assert listed_names(page) == ["Just Vision", "הברית לשלום במזרח התיכון"]


@pytest.mark.parametrize("query", ["?kind=planet", "?joined=abc", "?member_of=nobody", "?sort=secret", "?country=XX"])
def test_bad_filter_input_is_a_400_with_a_message(client, record, query):
    response = client.get(f"/en/organizations/{query}")
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_event_and_meeting_filters(client, record):
    page = client.get("/en/events/?kind=conference").content.decode()
    assert "Summer conference on coexistence" in page
    assert client.get("/en/events/?year=2009").content.decode().count('class="timeline-year"') == 0
    assert "Summit meetings" in client.get("/en/events/meetings/?year=2009").content.decode()
    assert "Summit meetings" not in client.get("/en/events/meetings/?year=2005").content.decode()
    assert client.get("/en/events/?year=twenty").status_code == 400


def test_timeline_groups_events_by_year_with_sessions_inside_their_event(client, record):
    page = client.get("/en/events/").content.decode()
    years = re.findall(r'<h2 id="year-(\w+)">', page)
    assert years == ["2005"]
    conference = page.index("Summer conference on coexistence")
    session = page.index("Panel discussion")
    assert conference < session
    assert page[conference:session].count('class="sessions"') == 1


# The page a page number shows, of three: a number past either end shows the last page (Django's
# Paginator.get_page), and one that is not a number the first.
SHOWN_PAGE = {"2": 2, "999": 3, "0": 3, "-1": 3, "abc": 1, "": 1}


@pytest.mark.parametrize("page_number", ["2", "999", "0", "-1", "abc", ""])
def test_pagination_never_fails(client, record, page_number):
    from organizations.models import Organization

    # The record's two published organizations and 118 more: pages of 50, 50 and 20.
    Organization.objects.bulk_create(
        Organization(slug=f"ngo-{number:03d}", name_en=f"NGO {number:03d}", kind="ngo", status="published")
        for number in range(118)
    )
    pages = [client.get(f"/en/organizations/?page={number}").content.decode() for number in (1, 2, 3)]
    assert [len(listed_names(page)) for page in pages] == [50, 50, 20]
    response = client.get(f"/en/organizations/?page={page_number}")
    assert response.status_code == 200
    shown = SHOWN_PAGE[page_number]
    page = response.content.decode()
    assert f"Page {shown} of 3" in page
    assert listed_names(page) == listed_names(pages[shown - 1])


def test_pagination_pages_through_a_long_list_keeping_the_filters(client, db):
    from organizations.models import Organization

    for number in range(120):
        Organization.objects.create(
            slug=f"ngo-{number:03d}", name_en=f"NGO {number:03d}", kind="ngo", status="published"
        )
    first = client.get("/en/organizations/?kind=ngo").content.decode()
    assert len(listed_names(first)) == 50
    assert "Page 1 of 3" in first
    assert 'href="?kind=ngo&amp;page=2"' in first
    last = client.get("/en/organizations/?kind=ngo&page=3").content.decode()
    assert listed_names(last) == [f"NGO {number:03d}" for number in range(100, 120)]
    # Past the end: the last page, not an error.
    assert listed_names(client.get("/en/organizations/?kind=ngo&page=40").content.decode()) == listed_names(last)


def test_event_page_shows_date_place_participants_countries_and_sessions(client, record):
    page = client.get("/ar/events/summer-conference-2005/").content.decode()
    assert '<time datetime="2005-06">يونيو 2005</time>' in page
    # django-countries names in the reader's language.
    assert "السويد" in page and "اليمن" in page
    assert "حلقة نقاش" in page  # the session
    panel = client.get("/en/events/panel-2005/").content.decode()
    assert "Hazem Fahmy" in panel and "Egyptian ambassador" in panel and "panellist" in panel
    assert "Summer conference on coexistence" in panel  # part of


def test_person_page_lists_roles_over_time(client, record):
    page = client.get("/en/people/hazem-fahmy/").content.decode()
    assert "Roles over time" in page
    assert "Egyptian ambassador" in page
    assert "Egypt" in page
    assert "Panel discussion" in page


def test_source_pages_list_where_each_source_is_cited(client, record):
    page = client.get("/en/sources/").content.decode()
    cohen = page[page.index('id="source-cohen-op-ed-2009"') :]
    cohen = cohen[: cohen.index("</li>\n  \n  <li") if "</li>\n  \n  <li" in cohen else len(cohen)]
    assert 'href="/en/"' in cohen  # the article cites it in prose
    assert 'href="/en/events/meetings/summit-meetings-2009/"' in cohen  # a structured citation
    detail = client.get("/en/sources/allmep-overview/").content.decode()
    assert 'href="/en/people/hazem-fahmy/"' in detail  # through the role
    assert 'href="/en/events/panel-2005/"' in detail  # through a participant
    assert 'href="/en/organizations/just-vision/"' in detail  # through the membership
    assert "Archived copy of 2 July 2016 on the Wayback Machine" in detail


def test_every_reader_page_of_the_dataset_answers(client, db):
    call_command("load_allmep", stdout=StringIO())
    from citations.models import Source
    from events.models import Event, Meeting
    from organizations.models import Organization, Person

    paths = ["/", "/organizations/", "/people/", "/events/", "/events/meetings/", "/sources/"]
    for model in (Organization, Person, Event, Meeting, Source):
        paths += [published.get_absolute_url()[3:] for published in model.objects.published()]
    for language in ("ar", "en", "he"):
        for path in paths:
            response = client.get(f"/{language}{path}")
            assert response.status_code == 200, (language, path)


def test_lists_offer_their_downloads_with_the_filters_and_record_pages_a_cite_box(client, record):
    page = client.get("/en/organizations/?kind=ngo&page=1").content.decode()
    assert 'href="/en/export/organizations.csv?kind=ngo"' in page
    event = client.get("/en/events/summer-conference-2005/").content.decode()
    assert '<details class="cite-this">' in event


# What readers found missing or wrong on the pages (issue 10).


@pytest.fixture
def dataset(db):
    call_command("load_allmep", stdout=StringIO())


def footer(page):
    return re.search(r'<footer class="site-footer">.*?</footer>', page, re.S).group()


@pytest.mark.parametrize("language", ["ar", "en", "he"])
def test_every_page_links_the_downloads_and_the_api_docs_and_every_list_its_downloads(client, record, language):
    downloads = url("exports:index", language)
    for name, kwargs in PAGES:
        page = client.get(url(name, language, **kwargs)).content.decode()
        assert f'href="{downloads}"' in footer(page), name
        assert 'href="/api/docs/"' in footer(page), name
    lists = ["organizations:organization_list", "organizations:person_list", "events:event_list"]
    lists += ["events:meeting_list", "citations:source_list"]
    for name in lists:
        page = client.get(url(name, language)).content.decode()
        line = re.search(r'<p class="downloads">.*?</p>', page, re.S).group()
        assert f'href="{downloads}"' in line, name
    page = client.get(downloads).content.decode()
    assert 'href="/api/docs/"' in page.split('<footer class="site-footer">')[0]


@pytest.mark.parametrize(
    ("language", "described"),
    [("ar", "سفير أمريكي سابق"), ("en", "former US ambassador"), ("he", "שגריר ארצות הברית לשעבר")],
)
def test_a_former_office_holder_is_described_in_each_language_s_own_order(client, dataset, language, described):
    for path in ("/people/philip-wilcox/", "/events/panel-2005/", "/people/"):
        page = client.get(f"/{language}{path}").content.decode()
        assert described in page, path


@pytest.mark.parametrize("language", ["ar", "en", "he"])
def test_the_article_has_no_empty_section(client, dataset, language):
    from organizations.models import Organization

    page = client.get(f"/{language}/").content.decode()
    sections = re.findall(r"<section [^>]*>(.*?)</section>", page, re.S)
    assert len(sections) == 3  # agenda, history, references
    for section in sections:
        heading = re.search(r"<h2[^>]*>.*?</h2>", section, re.S).group()
        assert re.sub(r"<[^>]+>|\s", "", section.replace(heading, "")), f"empty section: {heading}"

    # With something to show, the section is there.
    Organization.objects.filter(slug="allmep").update(website="https://www.allmep.org/")
    page = client.get(f"/{language}/").content.decode()
    external = re.findall(r'<section id="section-\d+"[^>]*>(.*?)</section>', page, re.S)[-1]
    assert 'href="https://www.allmep.org/"' in external
    assert page.index('<ol class="references">') < page.index(external)


def infobox(page):
    return re.search(r'<table class="infobox">.*?</table>', page, re.S).group()


def test_the_infobox_links_the_member_organizations_only_when_the_record_names_some(client, dataset):
    for language, none_named in [
        ("ar", "لا تذكر المصادر أسماء المنظمات الأعضاء"),
        ("en", "The sources do not name the member organizations"),
        ("he", "המקורות אינם מציינים את שמות הארגונים החברים"),
    ]:
        box = infobox(client.get(f"/{language}/").content.decode())
        assert "member_of=" not in box
        assert none_named in box


def test_the_infobox_links_the_member_organizations_the_record_names(client, record):
    box = infobox(client.get("/en/").content.decode())
    link = re.search(r'<a href="([^"]*member_of=allmep)">Member organizations</a>', box).group(1)
    assert "Just Vision" in client.get(link).content.decode()


def test_the_lead_sets_the_english_name_and_the_abbreviation_apart(client, dataset):
    page = client.get("/ar/").content.decode()
    lead = re.sub(r"<[^>]+>", "", re.search(r'<div class="lead".*?</div>', page, re.S).group())
    assert "(بالإنجليزية: Alliance for Middle East Peace) (ALLMEP)" in lead


def test_every_page_names_its_icon_and_the_icon_is_served(client, record):
    for language in ("ar", "en", "he"):
        page = client.get(f"/{language}/").content.decode()
        icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page).group(1)
    response = client.get(icon)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in b"".join(response.streaming_content)
    # Browsers and crawlers that ask for /favicon.ico are sent to it.
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == icon
