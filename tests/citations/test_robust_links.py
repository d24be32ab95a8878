"""Cited links that survive: Robust Links (data-originalurl, data-versionurl, data-versiondate) on
every link to a source with an archived copy, the archived copy as a link wherever the archive
line is shown, and a dead original that yields to its copy."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from citations.models import LinkStatus, Source
from tests.factories import make_record

MEMBERS = "ALLMEP adds 3 new members, bringing coalition to 97"
ORIGINAL = "https://allmep.example/news/97-members"
COPY = "https://web.archive.org/web/20161129000000/https://allmep.example/news/97-members"
ROBUST = ("data-originalurl", "data-versionurl", "data-versiondate")


@pytest.fixture
def record(db):
    return make_record()


@pytest.fixture
def members(record):
    """The members news item: its original address and its archived copy of 29 November 2016."""
    source = record["sources"]["members"]
    source.url, source.archive_url, source.link_status = ORIGINAL, COPY, LinkStatus.LIVE
    source.save()
    return source


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Element:
    """An element of a page as a browser reads it: what these tests ask of it, nothing more."""

    def __init__(self, name, attrs, parent=None):
        self.name, self.attrs, self.parent, self.children = name, dict(attrs), parent, []

    def __getitem__(self, name):
        return self.attrs[name]

    def get(self, name):
        return self.attrs.get(name)

    def matches(self, name=None, class_=None, id=None):
        classes = (self.attrs.get("class") or "").split()
        return (
            (name is None or self.name == name)
            and (class_ is None or class_ in classes)
            and (id is None or self.attrs.get("id") == id)
        )

    def elements(self):
        return [child for child in self.children if isinstance(child, Element)]

    def find_all(self, name=None, class_=None, id=None):
        found = []
        for child in self.elements():
            if child.matches(name, class_, id):
                found.append(child)
            found += child.find_all(name, class_, id)
        return found

    def find(self, name=None, class_=None, id=None):
        return next(iter(self.find_all(name, class_, id)), None)

    def find_parent(self, name=None, class_=None):
        parent = self.parent
        while parent is not None and not parent.matches(name, class_):
            parent = parent.parent
        return parent

    def find_next_sibling(self, class_=None):
        siblings = self.parent.elements()
        return next((e for e in siblings[siblings.index(self) + 1 :] if e.matches(class_=class_)), None)

    def get_text(self):
        return "".join(child if isinstance(child, str) else child.get_text() for child in self.children)


class Page(HTMLParser):
    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Element("#document", {})
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_endtag(self, tag):
        open_element = self.current
        while open_element is not None and open_element.name != tag:
            open_element = open_element.parent
        if open_element is not None and open_element.parent is not None:
            self.current = open_element.parent

    def handle_data(self, data):
        self.current.children.append(data)


def soup(response):
    assert response.status_code == 200
    return Page(response.content.decode()).root


def reference_texts(page):
    return [text for ol in page.find_all("ol", class_="references") for text in ol.find_all(class_="reference-text")]


def reference(page, title):
    """The ``.reference-text`` of the article's reference to ``title``."""
    for item in reference_texts(page):
        if title in item.find("cite").get_text():
            return item
    raise AssertionError(f"no reference to {title}")


def source_links(element):
    """Every link in ``element`` to a source's original or archived address (not the site's own pages)."""
    return [a for a in element.find_all("a") if a["href"].startswith("http")]


def robust(link):
    return {name: link.get(name) for name in ROBUST}


EXPECTED = {"data-originalurl": ORIGINAL, "data-versionurl": COPY, "data-versiondate": "2016-11-29"}


def test_every_link_of_an_archived_reference_is_a_robust_link(client, members):
    item = reference(soup(client.get("/en/")), MEMBERS)
    title, copy = source_links(item)
    # The original answers: the title leads there, the archived-copy line to the copy; both carry
    # the original, the copy and the copy's date, whichever they lead to.
    assert title["href"] == ORIGINAL and title.find_parent("cite")
    assert copy["href"] == COPY
    assert copy.get_text() == "Archived copy of 29 November 2016 on the Wayback Machine"
    assert copy.find_parent(class_="archive")
    assert robust(title) == robust(copy) == EXPECTED


def test_a_reference_without_an_archived_copy_has_no_robust_attributes(client, members):
    summit = Source.objects.get(key="allmep-summit-2009")
    summit.url, summit.archive_date = "https://allmep.example/summit", None
    summit.save()
    item = reference(soup(client.get("/en/")), "2009 ALLMEP Summit")
    [title] = source_links(item)
    assert title["href"] == "https://allmep.example/summit"
    assert robust(title) == dict.fromkeys(ROBUST)
    assert not item.find_all(class_="archive")


@pytest.mark.parametrize(
    ("language", "dead", "original"),
    [
        ("ar", "[وصلة مكسورة]", "العنوان الأصلي:"),
        ("en", "[dead link]", "Original address:"),
        ("he", "[קישור שבור]", "כתובת מקורית:"),
    ],
)
def test_a_dead_original_leads_with_its_archived_copy_and_follows_marked_dead(
    client, members, language, dead, original
):
    members.link_status = LinkStatus.DEAD
    members.save()
    page = soup(client.get(f"/{language}/"))
    item = reference(page, MEMBERS)
    title, copy, first = source_links(item)
    # The title leads to the copy, in the source's own language; the copy is a link in the archive line.
    assert title["href"] == COPY and title.find_parent("cite")["lang"] == "en"
    assert copy["href"] == COPY and copy.find_parent(class_="archive")
    # Then the original, still a link, its address left to right, followed by the dead-link mark.
    assert first["href"] == ORIGINAL and first.find("bdi")["dir"] == "ltr"
    note = first.find_parent(class_="original-url")
    assert note.get_text().startswith(original)
    assert note.find_next_sibling(class_="dead-link").get_text() == dead
    assert len(item.find_all(class_="dead-link")) == 1
    assert robust(title) == robust(copy) == robust(first) == EXPECTED


def source_page(source):
    with translation.override("en"):
        return source.get_absolute_url()


def test_the_source_page_links_original_and_copy_as_robust_links(client, members):
    page = soup(client.get(source_page(members)))
    links = source_links(page.find("article"))
    # The citation at the top (title, archived-copy line), then the two addresses of the facts.
    assert [a["href"] for a in links] == [ORIGINAL, COPY, ORIGINAL, COPY]
    assert all(robust(a) == EXPECTED for a in links)
    copy = page.find("dl", class_="facts").find_all("a")[-1]
    assert copy.get_text() == "Archived copy of 29 November 2016 on the Wayback Machine"


def test_the_source_page_shows_no_robust_attributes_without_an_archived_copy(client, members):
    members.archive_url, members.archive_date = "", None
    members.save()
    page = soup(client.get(source_page(members)))
    links = source_links(page.find("article"))
    assert [a["href"] for a in links] == [ORIGINAL, ORIGINAL]
    assert all(robust(a) == dict.fromkeys(ROBUST) for a in links)


def test_the_sources_list_carries_robust_links(client, members):
    with translation.override("en"):
        url = reverse("citations:source_list")
    page = soup(client.get(url))
    item = page.find(id=f"source-{members.key}")
    links = source_links(item)
    assert [a["href"] for a in links] == [ORIGINAL, COPY]
    assert all(robust(a) == EXPECTED for a in links)
    items = page.find("ol", class_="source-list").find_all("li")
    others = [a for li in items if li is not item for a in source_links(li)]
    assert not any(a.get("data-versionurl") for a in others)


def test_the_date_of_a_wayback_copy_without_an_archive_date_is_read_from_its_address(client, members):
    members.archive_date = None
    members.save()
    title, copy = source_links(reference(soup(client.get("/en/")), MEMBERS))
    assert title["data-versiondate"] == copy["data-versiondate"] == "2016-11-29"
