"""Citation formats: BibTeX (biblatex), RIS and CSL-JSON, from one CSL-JSON item.

A source, or a record's page, becomes a CSL-JSON item (:func:`source_item`, or
``exports.citing.page_item``); :func:`bibtex` and :func:`ris` write those items in their own
syntax, so the three formats always say the same. CSL-JSON has no field for an archived copy:
its address, date and the original link's status go in ``custom`` and, readably, in ``note``.
"""

import datetime
import json

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from records.partial_dates import PartialDate

# CSL item type → (BibTeX entry type, RIS reference type).
TYPES = {
    "webpage": ("online", "ELEC"),
    "article-newspaper": ("article", "NEWS"),
    "article": ("article", "GEN"),
    "report": ("report", "RPRT"),
    "entry-encyclopedia": ("online", "ELEC"),
}
# For these, the publisher is the website or newspaper the item appears in.
CONTAINED = {"webpage", "article-newspaper", "article", "entry-encyclopedia"}


def date_parts(value):
    """A date or PartialDate as CSL date-parts."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return {"date-parts": [[value.year, value.month, value.day]]}
    return PartialDate.parse(value).csl()


def names(authors):
    """ "Family, Given; Other" as CSL names; a name without a comma stays literal."""
    result = []
    for name in filter(None, (part.strip() for part in (authors or "").split(";"))):
        family, comma, given = name.partition(",")
        result.append({"family": family.strip(), "given": given.strip()} if comma else {"literal": name})
    return result


def archive_note(archive_url, archive_date, provider, link_status):
    parts = []
    if archive_url or archive_date:
        when = date_format(archive_date, "DATE_FORMAT") if archive_date else ""
        parts.append(
            _("Archived copy of %(date)s (%(archive)s): %(url)s")
            % {"date": when, "archive": provider or _("archive"), "url": archive_url or _("address not recorded")}
        )
    if link_status in {"dead", "usurped"}:
        parts.append(_("The original link is broken."))
    return " ".join(parts)


def source_item(source):
    """One published :class:`~citations.models.Source` as a CSL-JSON item."""
    item = {"id": source.key, "type": source.kind, "title": source.title, "language": source.language}
    if source.title_translation:
        item["translated-title"] = source.title_translation
    if source.authors:
        item["author"] = names(source.authors)
    if source.publisher:
        item["container-title" if source.kind in CONTAINED else "publisher"] = source.publisher
    if source.publication_date:
        item["issued"] = date_parts(source.publication_date)
    if source.url:
        item["URL"] = source.url
    if source.access_date:
        item["accessed"] = date_parts(source.access_date)
    provider = source.get_archive_provider_display() if source.archive_provider else ""
    if provider:
        item["archive"] = provider
    custom = {"link-status": source.link_status}
    if source.archive_url:
        custom["archive-url"] = source.archive_url
    if source.archive_date:
        custom["archive-date"] = source.archive_date.isoformat()
    item["custom"] = custom
    note = archive_note(source.archive_url, source.archive_date, provider, source.link_status)
    if note:
        item["note"] = note
    return item


# CSL-JSON -------------------------------------------------------------------------------------


def csl_json(items):
    return json.dumps(list(items), ensure_ascii=False, indent=2) + "\n"


# BibTeX (biblatex) --------------------------------------------------------------------------------

_BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def bibtex_escape(text):
    return "".join(_BIBTEX_SPECIALS.get(character, character) for character in str(text))


def _bibtex_url(url):
    # biblatex reads url verbatim; only braces would unbalance the entry.
    return url.replace("{", "%7B").replace("}", "%7D")


def _bibtex_name(name):
    if "literal" in name:
        return "{" + bibtex_escape(name["literal"]) + "}"
    return bibtex_escape(f"{name['family']}, {name['given']}" if name.get("given") else name["family"])


def _iso_parts(date):
    parts = date["date-parts"][0]
    return "-".join(f"{part:04d}" if index == 0 else f"{part:02d}" for index, part in enumerate(parts))


def bibtex_entry(item):
    entry_type = TYPES.get(item["type"], ("misc", "GEN"))[0]
    fields = [("title", bibtex_escape(item["title"]))]
    if "translated-title" in item:
        fields.append(("titleaddon", bibtex_escape(item["translated-title"])))
    if "author" in item:
        fields.append(("author", " and ".join(_bibtex_name(name) for name in item["author"])))
    if "container-title" in item:
        container = "journaltitle" if entry_type == "article" else "organization"
        fields.append((container, bibtex_escape(item["container-title"])))
    if "publisher" in item:
        fields.append(("institution" if entry_type == "report" else "publisher", bibtex_escape(item["publisher"])))
    if "issued" in item:
        parts = item["issued"]["date-parts"][0]
        fields.append(("date", _iso_parts(item["issued"])))
        fields.append(("year", str(parts[0])))
        if len(parts) > 1:
            fields.append(("month", str(parts[1])))
    if "URL" in item:
        fields.append(("url", _bibtex_url(item["URL"])))
    if "accessed" in item:
        fields.append(("urldate", _iso_parts(item["accessed"])))
    if "version" in item:
        fields.append(("version", bibtex_escape(item["version"])))
    custom = item.get("custom", {})
    if "archive-url" in custom:
        fields.append(("archiveurl", _bibtex_url(custom["archive-url"])))
    if "archive-date" in custom:
        fields.append(("archivedate", custom["archive-date"]))
    if "archive" in item:
        fields.append(("archive", bibtex_escape(item["archive"])))
    if "link-status" in custom:
        fields.append(("linkstatus", custom["link-status"]))
    if "language" in item:
        fields.append(("langid", bibtex_escape(item["language"])))
    if "note" in item:
        fields.append(("note", bibtex_escape(item["note"])))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{entry_type}{{{item['id']},\n{body}\n}}\n"


def bibtex(items):
    return "\n".join(bibtex_entry(item) for item in items)


# RIS --------------------------------------------------------------------------------------------


def _ris_date(date):
    parts = [*date["date-parts"][0], None, None][:3]
    year, month, day = parts
    return f"{year:04d}/{f'{month:02d}' if month else ''}/{f'{day:02d}' if day else ''}/"


def _ris_line(tag, value):
    return f"{tag}  - {' '.join(str(value).split())}"


def ris_entry(item):
    lines = [_ris_line("TY", TYPES.get(item["type"], ("misc", "GEN"))[1]), _ris_line("ID", item["id"])]
    lines.append(_ris_line("TI", item["title"]))
    if "translated-title" in item:
        lines.append(_ris_line("TT", item["translated-title"]))
    for name in item.get("author", []):
        lines.append(_ris_line("AU", name.get("literal") or f"{name['family']}, {name['given']}"))
    if "container-title" in item:
        lines.append(_ris_line("T2", item["container-title"]))
    if "publisher" in item:
        lines.append(_ris_line("PB", item["publisher"]))
    if "issued" in item:
        lines.append(_ris_line("PY", item["issued"]["date-parts"][0][0]))
        lines.append(_ris_line("DA", _ris_date(item["issued"])))
    if "URL" in item:
        lines.append(_ris_line("UR", item["URL"]))
    if "accessed" in item:
        lines.append(_ris_line("Y2", _ris_date(item["accessed"])))
    if "language" in item:
        lines.append(_ris_line("LA", item["language"]))
    custom = item.get("custom", {})
    if "archive-url" in custom:
        # Link to a copy (L4 is "figure" in some readers; the archive address goes in a note too).
        lines.append(_ris_line("L2", custom["archive-url"]))
    if "note" in item:
        lines.append(_ris_line("N1", item["note"]))
    lines.append("ER  - ")
    return "\r\n".join(lines) + "\r\n"


def ris(items):
    return "\r\n".join(ris_entry(item) for item in items)


# A readable reference, for the "cite this" box (prose without its markup is prose.plain_text) --


def reference_text(item):
    """A readable reference in the active language: title, container, dates, address."""
    parts = []
    if "author" in item:
        parts.append("; ".join(name.get("literal") or f"{name['family']}, {name['given']}" for name in item["author"]))
    parts.append(f"“{item['title']}”")
    for key in ("container-title", "publisher"):
        if key in item:
            parts.append(item[key])
    if "issued" in item:
        parts.append(_format_date(item["issued"]))
    if "URL" in item:
        parts.append(item["URL"])
    if "accessed" in item:
        parts.append(_("accessed %(date)s") % {"date": _format_date(item["accessed"])})
    text = ". ".join(part.rstrip(".") for part in parts) + "."
    if item.get("note"):
        text += " " + item["note"]
    return text


def _format_date(date):
    year, month, day = [*date["date-parts"][0], None, None][:3]
    if "literal" in date:
        return date["literal"]
    return PartialDate(year, month, day).format()
