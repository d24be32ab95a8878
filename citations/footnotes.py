"""Footnotes as MediaWiki's Cite extension numbers them: the one renderer every page uses.

A page makes one :class:`Footnotes`, cites sources from prose markers and from structured
facts as it renders, then lists ``footnotes.references``. Sources are numbered in order of first
use on the page; a reused source keeps its number and each use gets a backlink letter in the
reader's language.
"""

import functools
import re
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, get_language_info, gettext, pgettext

from records import prose
from records.partial_dates import PartialDate

from .embedded import coins
from .formats import source_item
from .models import ArchiveProvider, LinkOverride, LinkStatus, Source

BACKLINK_LETTERS = {
    "ar": "أبتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "he": "אבגדהוזחטיכלמנסעפצקרשת",
    "en": "abcdefghijklmnopqrstuvwxyz",
}


# How each language's Wikipedia words the archived-copy line and the broken-link mark under a
# reference. Like the backlink letters these are the citation style of the reference list, which
# must read exactly as the article's language prints it, so they live here beside the renderer.
CITE_STYLE = {
    "ar": {
        "archived": "نسخة محفوظة {date} على موقع {archive}",
        "archived_undated": "نسخة محفوظة على موقع {archive}",
        "dead_link": "[وصلة مكسورة]",
        "archives": {ArchiveProvider.WAYBACK: "واي باك مشين"},
    },
    "en": {
        "archived": "Archived copy of {date} on the {archive}",
        "archived_undated": "Archived copy on the {archive}",
        "dead_link": "[dead link]",
        "archives": {ArchiveProvider.WAYBACK: "Wayback Machine"},
    },
    "he": {
        "archived": "עותק בארכיון מ־{date} באתר {archive}",
        "archived_undated": "עותק בארכיון באתר {archive}",
        "dead_link": "[קישור שבור]",
        "archives": {ArchiveProvider.WAYBACK: "Wayback Machine"},
    },
}


def cite_style(language=None):
    return CITE_STYLE.get((language or get_language() or "ar")[:2], CITE_STYLE["en"])


def archive_line(source, language=None):
    """«نسخة محفوظة 29 نوفمبر 2016 على موقع واي باك مشين» / "Archived copy of … on the Wayback Machine"."""
    if not source.has_archive:
        return ""
    style = cite_style(language)
    provider = source.archive_provider or ArchiveProvider.WAYBACK
    archive = style["archives"].get(provider) or source.get_archive_provider_display() or ""
    if source.archive_date:
        return style["archived"].format(date=PartialDate.parse(source.archive_date).format(), archive=archive)
    return style["archived_undated"].format(archive=archive)


def dead_link_mark(language=None):
    return cite_style(language)["dead_link"]


# --- Links to a source: the one place they are written -----------------------------------------
#
# Every link to a cited source (the title in a reference, the archived-copy line, the addresses on
# a source's page) is a Robust Link (https://robustlinks.mementoweb.org/spec/) once an archived
# copy is known: whichever address ``href`` holds, the link also carries the original's address
# (data-originalurl), the snapshot's (data-versionurl) and the date of the snapshot
# (data-versiondate, ISO 8601), so a reader's tool, or a reader, can still reach the page as it
# was cited when one of the two addresses dies. Plain attributes: no script is needed.

# The capture time a Wayback snapshot's address carries: /web/20161129000000/…
WAYBACK_TIMESTAMP = re.compile(r"/web/(\d{4})(\d{2})(\d{2})\d{0,8}(?:[a-z]{2}_)?/")


def version_date(source):
    """The date of the source's archived copy as ISO 8601 (YYYY-MM-DD), or "" when unknown: the
    archive date an editor or the link checker recorded, else the one in a Wayback address."""
    if source.archive_date:
        return source.archive_date.isoformat()
    match = WAYBACK_TIMESTAMP.search(source.archive_url or "")
    return "-".join(match.groups()) if match else ""


def robust_link_attributes(source):
    """The Robust Links attributes of a link to ``source`` (with a leading space), or "" when
    it has no archived copy at an address, or no original address to pair it with."""
    if not (source.url and source.archive_url):
        return ""
    versiondate = version_date(source)
    return format_html(
        ' data-originalurl="{}" data-versionurl="{}"{}',
        source.url,
        source.archive_url,
        format_html(' data-versiondate="{}"', versiondate) if versiondate else "",
    )


def source_link(source, href, text, css_class="external"):
    """A link to the original or to the archived copy of ``source``, as every page writes it."""
    return format_html(
        '<a class="{}" href="{}" rel="nofollow"{}>{}</a>', css_class, href, robust_link_attributes(source), text
    )


def title_href(source):
    """Where a reference's title leads: the original while it answers; the archived copy once the
    checker (or an editor) found the original dead or usurped, or when only the copy is known."""
    if source.archive_url and (source.is_dead or not source.url):
        return source.archive_url
    if source.url and not source.is_dead:
        return source.url
    return ""


def archive_link(source, language=None):
    """The archived-copy line, a link to the copy when its address is known; "" without a copy."""
    archived = archive_line(source, language)
    if archived and source.archive_url:
        return source_link(source, source.archive_url, archived)
    return archived


def original_link(source):
    """The original address as a link, its text the address itself (left to right in every language)."""
    # "url": it reads as its address, so print (static/css/print.css) adds none after it.
    return source_link(source, source.url, format_html('<bdi dir="ltr">{}</bdi>', source.url), "external url")


def backlink_label(index, language=None):
    """The label of the index-th use (0-based): أ ب ت … in Arabic, a b c … in English."""
    letters = BACKLINK_LETTERS.get((language or get_language() or "ar")[:2], BACKLINK_LETTERS["en"])
    if index < len(letters):
        return letters[index]
    return letters[index // len(letters) - 1] + letters[index % len(letters)]


@dataclass
class Use:
    anchor: str
    locator: str


@dataclass
class Reference:
    number: int
    source: Source
    uses: list = field(default_factory=list)

    @property
    def anchor(self):
        return f"cite_note-{self.number}"

    @property
    def text_id(self):
        """The id of the reference's text in the list, which describes each of its markers."""
        return f"cite_note-{self.number}-text"

    @property
    def backlinks(self):
        return [(use.anchor, backlink_label(index)) for index, use in enumerate(self.uses)]

    @property
    def locators(self):
        return [use.locator for use in self.uses if use.locator]


class Footnotes:
    def __init__(self, sources=()):
        self._sources = {source.key: source for source in sources}
        self._references = {}
        self._cited = set()  # pks of the Citation rows already cited on the page

    @classmethod
    def for_texts(cls, *texts):
        """A collector that already knows every published source the texts cite (one query)."""
        keys = {marker.key for text in texts for marker in prose.markers(text)}
        return cls(Source.objects.published().filter(key__in=keys) if keys else ())

    def cite(self, source, locator=""):
        """The superscript reference for one use of ``source``; registers the use."""
        reference = self._references.get(source.pk)
        if reference is None:
            reference = Reference(number=len(self._references) + 1, source=source)
            self._references[source.pk] = reference
        anchor = f"cite_ref-{reference.number}-{len(reference.uses)}"
        reference.uses.append(Use(anchor=anchor, locator=locator))
        # aria-describedby: a screen reader reads the reference's text in the list with the marker,
        # with or without JavaScript (reference-previews.js shows it to sighted readers in a card).
        return format_html(
            '<sup class="reference" id="{}"><a href="#{}" aria-describedby="{}">[{}]</a></sup>',
            anchor,
            reference.anchor,
            reference.text_id,
            reference.number,
        )

    def cite_key(self, key, locator=""):
        source = self._sources.get(key)
        if source is None:
            # A draft or deleted source: readers see no reference rather than a broken one.
            return ""
        return self.cite(source, locator)

    def cite_all(self, citations):
        """References for the citations of a structured fact, in their order; a source cited
        twice for the same fact (two of its claims shown together) is referenced once."""
        html = []
        seen = set()
        for citation in citations:
            if not citation.source.is_published:
                continue
            self._cited.add(citation.pk)
            if (citation.source_id, citation.locator) not in seen:
                seen.add((citation.source_id, citation.locator))
                html.append(self.cite(citation.source, citation.locator))
        return mark_safe("".join(html))

    def cite_uncited(self, citations):
        """References for those of ``citations`` the page has not shown yet (claims with no place
        of their own on the page), so that every citation of a record reaches its reference list."""
        return self.cite_all([citation for citation in citations if citation.pk not in self._cited])

    def render(self, text, tail=""):
        return prose.render(text, self, tail)

    def will_list(self, *records):
        """Whether the page's reference list will hold something, known before the page renders
        (for its table of contents): a published source named in the texts it was made for, or a
        published source of one of ``records``, whose every citation its page cites."""
        return bool(self._sources) or any(
            citation.source.is_published for record in records if record for citation in record.citation_list()
        )

    @property
    def references(self):
        references = list(self._references.values())
        _attach_link_health([reference.source for reference in references])
        return references


def _attach_link_health(sources):
    """Give each source the times its link was last checked and last found answering, in one query
    for the page."""
    unknown = {source.pk: source for source in sources if source.url and not hasattr(source, "link_last_ok_at")}
    if not unknown:
        return
    health = (
        Source.objects.filter(pk__in=unknown)
        .with_link_health()
        .values_list("pk", "link_last_checked_at", "link_last_ok_at")
    )
    for pk, last_checked, last_ok in health:
        unknown[pk].link_last_checked_at = last_checked
        unknown[pk].link_last_ok_at = last_ok


# The reference list is written here, in Python, rather than by a template included once per
# reference: pages list up to hundreds of references, and re-entering the template engine for
# each was most of their rendering time. The markup is MediaWiki's cite web style.


def reference_list(references):
    """The ``<ol class="references">`` of a page's references, or "" if it cites nothing."""
    if not references:
        return ""
    items = "".join(f"{reference_item(reference)}\n  " for reference in references)
    return mark_safe(f'<ol class="references">\n  {items}\n</ol>\n')


def reference_item(reference):
    """One reference as a list item: its backlinks (^ or ^ a b …), then the source's citation."""
    back = gettext("Back to the text")
    if len(reference.uses) == 1:
        backlinks = format_html('<a href="#{}" title="{}">^</a>', reference.uses[0].anchor, back)
    else:
        letters = format_html_join(
            "",
            '<a href="#{}" title="{}"><sup><i><b>{}</b></i></sup></a> ',
            ((a, back, label) for a, label in reference.backlinks),
        )
        backlinks = format_html("^ {}", letters)
    return format_html(
        '<li id="{}"><span class="backlinks">{}</span> {}{}{}</li>',
        reference.anchor,
        backlinks,
        source_citation(reference.source, reference.locators, text_id=reference.text_id),
        coins_span(reference.source),
        reference_card(reference),
    )


def coins_span(source):
    """The source as a COinS span (citations.embedded.coins), which a reader's reference manager
    picks up from the list: empty, so nothing shows, and hidden from screen readers."""
    key = tuple(getattr(source, name) for name in _source_attnames())
    span = _coins_spans.get(key)
    if span is None:
        if len(_coins_spans) >= CITATION_TEXTS_KEPT:
            _coins_spans.clear()
        span = _coins_spans[key] = format_html(
            '<span class="Z3988" title="{}" aria-hidden="true"></span>', coins(source_item(source))
        )
    return span


def source_citation(source, locators=(), text_id=""):
    """The source as a reference prints it: "Title" [translation]. Publisher. Date. [dead link]
    Archived copy of … on the Wayback Machine. Link checked …; with the page numbers or other
    ``locators`` of its uses, in brackets. ``text_id`` is its id in a reference list."""
    last_checked = source.last_successful_check if source.url and not source.is_dead else None
    key = (get_language(), last_checked, *(getattr(source, name) for name in _source_attnames()))
    text = _citation_texts.get(key)
    if text is None:
        if len(_citation_texts) >= CITATION_TEXTS_KEPT:
            _citation_texts.clear()
        text = _citation_texts[key] = _citation_text(source, last_checked)
    if locators:
        separator = conditional_escape(pgettext("list separator", ", "))
        listed = separator.join(format_html("<bdi>{}</bdi>", locator) for locator in locators)
        text = format_html('{} <span class="locator">({})</span>', text, mark_safe(listed))
    if text_id:
        return format_html('<span class="reference-text" id="{}">{}</span>', text_id, text)
    return format_html('<span class="reference-text">{}</span>', text)


# The text of a source's reference, by language and the value of every field it is written from:
# a list page cites a hundred sources and many pages cite the same ones, so each is formatted once
# per version. Bounded: emptied when full.
CITATION_TEXTS_KEPT = 2000
_citation_texts = {}
# Their COinS spans, by the same values (they are in no language of their own).
_coins_spans = {}


@functools.cache
def _source_attnames():
    return tuple(field.attname for field in Source._meta.concrete_fields)


def _citation_text(source, last_checked):
    parts = []
    if source.authors:
        parts.append(format_html("<bdi>{}</bdi>{} ", source.authors, "" if source.authors.endswith(".") else "."))
    href = title_href(source)
    title = format_html('"{}"', source.title)
    if href:
        title = source_link(source, href, title)
    parts.append(
        format_html('<cite class="cite-title" lang="{}"><bdi dir="auto">{}</bdi></cite>', source.language, title)
    )
    if source.title_translation and source.language != get_language():
        parts.append(format_html(' [<bdi dir="auto">{}</bdi>]', source.title_translation))
    parts.append(".")
    if source.publisher:
        parts.append(format_html(" <bdi>{}</bdi>.", source.publisher))
    if source.publication_date:
        parts.append(format_html(" {}.", source.publication_date.format()))
    # A dead original with its archived copy at hand: the title leads to the copy, the archived-copy
    # line follows, then the original, still a link, marked dead (Wikipedia's url-status=dead).
    dead_original = source.is_dead and source.url and source.archive_url
    if source.is_dead and not dead_original:
        parts.append(format_html(' <span class="dead-link">{}</span>', dead_link_mark()))
    archived = archive_link(source)
    if archived:
        parts.append(format_html(' <span class="archive">{}.</span>', archived))
    if dead_original:
        parts.append(
            format_html(
                ' <span class="original-url">{} {}</span> <span class="dead-link">{}</span>',
                gettext("Original address:"),
                original_link(source),
                dead_link_mark(),
            )
        )
    if source.url and not source.is_dead and last_checked:
        checked = date_format(template_localtime(last_checked), "DATE_FORMAT")
        text = gettext("Link checked %(date)s.") % {"date": conditional_escape(checked)}
        parts.append(format_html(' <span class="link-checked">{}</span>', mark_safe(text)))
    if source.requires_subscription:
        parts.append(format_html(' <span class="subscription">{}</span>', gettext("(subscription required)")))
    if source.url and source.is_dead and not source.archive_url:
        parts.append(
            # Dead, and no archived copy stands in for it: the address is printed, not linked.
            format_html(
                ' <span class="original-url">{} <bdi dir="ltr">{}</bdi></span>',
                gettext("Original address:"),
                source.url,
            )
        )
    return mark_safe("".join(parts))


# --- Reference previews -------------------------------------------------------------------------
#
# Each reference in the list carries its card: what a reader sees on hovering, focusing or tapping
# one of its markers (static/js/reference-previews.js), as Wikipedia's Reference Previews show it.
# It is written here with the list, so the page holds it already (no request, no second renderer),
# inside a <template>: inert, so it is neither shown, nor read by a screen reader (the marker's
# aria-describedby reads the reference's own text), nor printed, until the script clones it.

# The card of a source, by language and the value of every field and link check it is written from.
_card_texts = {}


def reference_card(reference):
    """The reference's preview card, a ``<template class="reference-card-content">``."""
    source = reference.source
    if source.url and not hasattr(source, "link_last_checked_at"):
        _attach_link_health([source])
    return format_html(
        '<template class="reference-card-content">{}'
        '<p class="reference-card__more"><a href="#{}">{}</a></p></template>',
        _card(source),
        reference.anchor,
        gettext("Go to the reference in the list"),
    )


@functools.cache
def language_direction(code):
    """ltr or rtl for a language code ("auto" for one Django does not know)."""
    try:
        return "rtl" if get_language_info(code)["bidi"] else "ltr"
    except KeyError:
        return "auto"


def _card(source):
    last_checked = getattr(source, "link_last_checked_at", None) if source.url else None
    last_ok = getattr(source, "link_last_ok_at", None) if source.url else None
    key = (get_language(), last_checked, last_ok, *(getattr(source, name) for name in _source_attnames()))
    card = _card_texts.get(key)
    if card is None:
        if len(_card_texts) >= CITATION_TEXTS_KEPT:
            _card_texts.clear()
        card = _card_texts[key] = _card_text(source, last_checked, last_ok)
    return card


def _card_text(source, last_checked, last_ok):
    parts = [format_html('<p class="reference-card__kind">{}</p>', source.get_kind_display())]
    # The title in the source's own language and direction: an English title reads left to right
    # inside an Arabic page.
    href = title_href(source)
    title = source_link(source, href, source.title) if href else source.title
    parts.append(
        format_html(
            '<p class="reference-card__title"><cite lang="{}" dir="{}">{}</cite></p>',
            source.language,
            language_direction(source.language),
            title,
        )
    )
    if source.title_translation and source.language != get_language():
        parts.append(format_html('<p class="reference-card__translation"><bdi>{}</bdi></p>', source.title_translation))
    byline = [format_html("<bdi>{}</bdi>", value) for value in (source.authors, source.publisher) if value]
    if source.publication_date:
        byline.append(format_html("<span>{}</span>", source.publication_date.format()))
    if byline:
        parts.append(format_html('<p class="reference-card__byline">{}</p>', mark_safe(" · ".join(byline))))
    archived = archive_link(source)
    if archived:
        parts.append(format_html('<p class="reference-card__archive">{}</p>', archived))
    parts.append(format_html('<p class="reference-card__health">{}</p>', link_health(source, last_checked, last_ok)))
    return mark_safe("".join(parts))


def link_health(source, last_checked, last_ok):
    """What is known of the original address: the checker's or an editor's verdict first, then what
    the last check found."""
    if source.link_status == LinkStatus.USURPED:
        return gettext("The original address now belongs to another site.")
    if source.is_dead:
        return gettext("The original link is dead.")
    if not source.url:
        return gettext("No address of the original is known.")
    if source.link_override in {LinkOverride.LIVE, LinkOverride.SUBSCRIPTION}:
        return gettext("An editor marked the original as live.")
    if last_checked is None:
        return gettext("The link checker has not checked the original yet.")

    def day(moment):
        return date_format(template_localtime(moment), "DATE_FORMAT")

    if last_ok == last_checked:
        return gettext("The original answered the last check, on %(date)s.") % {"date": day(last_checked)}
    text = gettext("The original did not answer the last check, on %(date)s.") % {"date": day(last_checked)}
    if last_ok:
        text += " " + gettext("It last answered on %(date)s.") % {"date": day(last_ok)}
    return text
