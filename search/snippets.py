"""Titles and text excerpts with the words that answered the query in <mark>.

Highlighting runs on the record's own text, as written (with its tashkeel and clitics): each
word is normalized like the index and compared with the query terms, so a reader who typed
"احمد" sees "أحمد" marked. Everything else is escaped.
"""

import re

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from .normalize import terms

# Word characters plus the marks and tatweel that sit inside Arabic and Hebrew words.
WORD = re.compile(r"[\w\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06ed\u200c\u200d]+")
SNIPPET_LENGTH = 240


def answers(word, term):
    """Whether a normalized word answers a query term.

    Terms match words by their start, as in the index; a long term also marks a word it shares
    all but its last letter with, roughly as the stemmer relates "منظمة" and "منظمات".
    """
    if word.startswith(term):
        return True
    return len(term) >= 5 and word.startswith(term[:-1])


def is_hit(word, query_terms):
    return any(answers(part, term) for part in terms(word) for term in query_terms)


def highlight(text, query_terms):
    """``text`` escaped, with each word answering a query term in <mark>."""
    out = []
    position = 0
    for match in WORD.finditer(text):
        if is_hit(match.group(), query_terms):
            out.append(escape(text[position : match.start()]))
            out.append(format_html("<mark>{}</mark>", match.group()))
            position = match.end()
    out.append(escape(text[position:]))
    return mark_safe("".join(out))


def snippet(text, query_terms, length=SNIPPET_LENGTH):
    """An excerpt of about ``length`` characters around the first hit, highlighted.

    The document's texts (a summary, a place, a description) are on lines of their own; they
    are run together with a middle dot between them.
    """
    text = " · ".join(" ".join(line.split()) for line in text.splitlines() if line.strip())
    if len(text) <= length:
        return highlight(text, query_terms)
    first = next((match.start() for match in WORD.finditer(text) if is_hit(match.group(), query_terms)), 0)
    start = 0
    if first > length // 3:
        start = text.find(" ", first - length // 3) + 1
    end = min(len(text), start + length)
    if end < len(text):
        end = text.rfind(" ", start, end) if " " in text[start:end] else end
    excerpt = highlight(text[start:end].strip(), query_terms)
    return format_html("{}{}{}", "… " if start > 0 else "", excerpt, " …" if end < len(text) else "")
