"""The small markup editors write narrative text in.

    Paragraphs are separated by a blank line.
    ''emphasis'' and '''strong''' as on Wikipedia.
    [[organization:allmep|the coalition]] links to a record (organization, event, meeting,
    person or source) by its slug or key.
    {{ref|overview}} cites the source whose key is "overview"; {{ref|overview|p. 2}} adds a locator.

Everything else is text and is escaped: no HTML an editor types ever reaches a page.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_bidi, gettext
from django.utils.translation import gettext_lazy as _

from . import kinds

TOKEN = re.compile(
    r"(?P<ref>\{\{ref\|(?P<ref_key>[^|}]*)(?:\|(?P<ref_locator>[^}]*))?\}\})"
    r"|(?P<link>\[\[(?P<link_kind>[a-z]+):(?P<link_slug>[^|\]]*)(?:\|(?P<link_label>[^\]]*))?\]\])"
    r"|(?P<strong>''')|(?P<em>'')"
)


# Runs of text written in the other direction than the page: Latin words in Arabic or Hebrew
# text, Arabic or Hebrew words in English text. Each run starts and ends with a letter or digit,
# so the punctuation around it («(بالإنجليزية: Alliance for Middle East Peace)(ALLMEP)») stays in
# the paragraph's direction instead of being pulled into the foreign run and scrambled.
_LATIN = "A-Za-z\u00c0-\u024f"
_RTL = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc"
_LATIN_RUN = re.compile(f"[{_LATIN}](?:[{_LATIN}0-9 .,'’&:\\-]*[{_LATIN}0-9])?")
_RTL_RUN = re.compile(f"[{_RTL}](?:[{_RTL}0-9 .,'’:\\-،]*[{_RTL}0-9])?")


_PAGE_LETTER = {True: re.compile(f"[{_RTL}]"), False: re.compile(f"[{_LATIN}]")}


# Brackets that close and open again with no space between, as the article writes
# «…Peace)(ALLMEP)»: the record keeps its sources' text as written, the page sets them apart.
_TOUCHING_BRACKETS = re.compile(r"\)(?=\()")


def _isolate(text, isolate=True):
    """Escaped text with the runs of the other direction wrapped in <bdi>."""
    text = _TOUCHING_BRACKETS.sub(") ", text)
    if not isolate:
        return escape(text)
    run = _LATIN_RUN if get_language_bidi() else _RTL_RUN
    out = []
    position = 0
    for match in run.finditer(text):
        out.append(escape(text[position : match.start()]))
        out.append(f"<bdi>{escape(match.group())}</bdi>")
        position = match.end()
    out.append(escape(text[position:]))
    return "".join(out)


@dataclass(frozen=True)
class Marker:
    key: str
    locator: str


def markers(text):
    """The citation markers of a text, in order of appearance."""
    return [
        Marker(m["ref_key"].strip(), (m["ref_locator"] or "").strip()) for m in TOKEN.finditer(text or "") if m["ref"]
    ]


def links(text):
    return [(m["link_kind"], m["link_slug"].strip()) for m in TOKEN.finditer(text or "") if m["link"]]


def validate_prose(text):
    """Refuse markers that name no known source and links to records that do not exist."""
    errors = []
    keys = {marker.key for marker in markers(text)}
    sources = kinds.named("source").model
    known = set(sources._default_manager.filter(key__in=keys).values_list("key", flat=True))
    for key in sorted(keys - known):
        errors.append(
            ValidationError(
                gettext("{{ref|%(key)s}} names no known source. Use the key shown in the Sources list."),
                code="unknown_source",
                params={"key": key},
            )
        )
    for kind, slug in links(text):
        target = kinds.named(kind)
        if target is None or not target.page:
            errors.append(
                ValidationError(
                    gettext("[[%(kind)s:…]] is not a kind of record. Use one of: %(kinds)s."),
                    code="unknown_link_kind",
                    params={"kind": kind, "kinds": ", ".join(link_kinds())},
                )
            )
            continue
        if not target.model._default_manager.filter(**{target.lookup: slug}).exists():
            errors.append(
                ValidationError(
                    gettext("[[%(kind)s:%(slug)s]] links to no existing record."),
                    code="unknown_link_target",
                    params={"kind": kind, "slug": slug},
                )
            )
    if errors:
        raise ValidationError(errors)


class ProseField(models.TextField):
    """Narrative text in the prose markup; checked on save, rendered by :func:`render`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("blank", True)
        kwargs.setdefault(
            "help_text", _("''emphasis'', [[organization:slug|label]] links, {{ref|source-key}} citations.")
        )
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("help_text", None)
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if value:
            validate_prose(value)


def _inline(text, footnotes, isolate=True):
    out = []
    open_tags = []
    position = 0
    for match in TOKEN.finditer(text):
        out.append(_isolate(text[position : match.start()], isolate))
        position = match.end()
        if match["ref"]:
            out.append(footnotes.cite_key(match["ref_key"].strip(), (match["ref_locator"] or "").strip()))
        elif match["link"]:
            out.append(_link(match["link_kind"], match["link_slug"].strip(), match["link_label"]))
        else:
            tag = "strong" if match["strong"] else "em"
            if open_tags and open_tags[-1] == tag:
                open_tags.pop()
                out.append(f"</{tag}>")
            else:
                open_tags.append(tag)
                out.append(f"<{tag}>")
    out.append(_isolate(text[position:], isolate))
    # An unclosed '' at the end of a paragraph closes there, as on Wikipedia.
    out.extend(f"</{tag}>" for tag in reversed(open_tags))
    return "".join(str(part) for part in out)


def _link(kind, slug, label):
    label = (label or slug).strip()
    target = kinds.named(kind)
    if target is None or not target.page:
        return escape(label)
    try:
        url = reverse(target.page, kwargs={target.lookup: slug})
    except NoReverseMatch:
        return escape(label)
    return format_html('<a href="{}"><bdi>{}</bdi></a>', url, label)


def link_kinds():
    """The names a link may give a record by: the kinds with a page of their own."""
    return [kind.name for kind in kinds.with_pages()]


def paragraphs(text):
    return [block.strip() for block in re.split(r"\n\s*\n", (text or "").strip()) if block.strip()]


def render(text, footnotes, tail=""):
    """HTML for a prose text; citation markers become footnote references in ``footnotes``.

    ``tail`` (safe HTML: the references of the citations that back the whole text) closes the
    last paragraph, where Wikipedia puts a reference for a paragraph.
    """
    page_letter = _PAGE_LETTER[bool(get_language_bidi())]
    blocks = []
    for block in paragraphs(text):
        if page_letter.search(plain_text(block)):
            blocks.append(["<p>", _inline(block, footnotes)])
        else:
            # A paragraph wholly in another script (a fallback translation) keeps its own
            # direction as a whole, rather than being cut into isolated runs.
            blocks.append(['<p dir="auto">', _inline(block, footnotes, isolate=False)])
    if blocks and tail:
        blocks[-1][1] += str(tail)
    return mark_safe("".join(f"{opening}{html}</p>" for opening, html in blocks))


# Plain text is prose with its markup rewritten away by these rules, in order. They are regular
# expressions that Python's re and PostgreSQL's read alike, so the database computes for the
# exports (records.expressions.PlainText) the very plain text that plain_text() gives here.
PLAIN_TEXT_RULES = (
    (r"\{\{ref\|[^}]*\}\}", ""),  # citation markers
    (r"\[\[[a-z]+:[^|\]]*\|([^\]]+)\]\]", r"\1"),  # a link reads as its label...
    (r"\[\[[a-z]+:([^|\]]*)\|?\]\]", r"\1"),  # ...or, without one, as what it names
    (r"'{2,3}", ""),  # emphasis and strong
    (r"[ \t\r\f\v]+", " "),
    (r" ?\n ?", "\n"),
    (r"\n{2,}", "\n\n"),  # paragraphs, apart by a blank line
    (r"(?<!\n)\n(?!\n)", " "),  # a line break within a paragraph is a space, as on the page
)
PLAIN_TEXT_STRIP = " \n"
_PLAIN_TEXT_RULES = [(re.compile(pattern), replacement) for pattern, replacement in PLAIN_TEXT_RULES]


def plain_text(text):
    """The text without markup, for search, descriptions and exports: a link gives its label,
    citation markers and emphasis go, paragraphs are separated by a blank line."""
    text = text or ""
    for pattern, replacement in _PLAIN_TEXT_RULES:
        text = pattern.sub(replacement, text)
    return text.strip(PLAIN_TEXT_STRIP)
