"""A page's table of contents: the headings of its sections, each with an id a reader can read.

The view lists the sections its page shows, in the page's order (:func:`contents`); the template
writes each heading with its ``id`` and ``label`` from that list (``{{ contents.members.id }}``),
and ``includes/table_of_contents.html`` links to them. One list, so the table and the headings
cannot disagree.

An id is the heading's own text in the reader's language, as Wikipedia's are (``#الأعضاء``,
``#members``, ``#חברים``): readable in the address bar, the same every time the page is read in
that language, and unique on the page (a second "Events" is ``events-2``).
"""

from dataclasses import dataclass

from django.utils.text import slugify

# A page gets a table of contents from its third heading on, References included: one section
# and its references fit on a screen or two. (MediaWiki's rule is the fourth heading; the
# coalition's article, two sections and its references, is the page readers most need one on.)
MINIMUM_HEADINGS = 3

# Ids the page already gives other elements (base.html's <main>, the table's own title).
TAKEN = frozenset({"content", "toc-title"})


@dataclass(frozen=True)
class Heading:
    id: str
    label: str


def heading_id(label, taken):
    """The heading's text as an id: letters of any script, digits and hyphens for spaces."""
    base = slugify(str(label), allow_unicode=True) or "section"
    found, number = base, 2
    while found in taken:
        found, number = f"{base}-{number}", number + 1
    return found


class Contents:
    """The headings of a page's sections, in order, by the key the template names them with."""

    def __init__(self, entries):
        taken = set(TAKEN)
        self._headings = {}
        for key, label in entries:
            heading = Heading(id=heading_id(label, taken), label=str(label))
            taken.add(heading.id)
            self._headings[key] = heading

    def __getitem__(self, key):
        return self._headings[key]

    def __iter__(self):
        return iter(self._headings.values())

    def __len__(self):
        return len(self._headings)

    @property
    def shown(self):
        """Whether the page shows its table of contents."""
        return len(self._headings) >= MINIMUM_HEADINGS


def contents(*entries):
    """The :class:`Contents` of the ``(key, label, present)`` entries whose section the page
    shows (``present`` is true)."""
    return Contents((key, label) for key, label, present in entries if present)
