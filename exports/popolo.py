"""The published record in the Popolo data specification (https://www.popoloproject.com/), one
JSON file per language: organizations, the coalition's memberships (an organization as a member,
through ``member``), people, the posts they held and their roles as memberships, and events.

Names and labels are in the file's language (falling back as pages do); identifiers are the same
in every language. Every object carries its ``sources``: Popolo links to the documents the cited
published sources are (their URL, else their archived copy; a source with neither is left out:
the record never invents an address). Partial dates are Popolo's reduced ISO dates (YYYY, YYYY-MM,
YYYY-MM-DD): "late 2003" becomes "2003". What a date can mean is kept in an extension,
``allmep:date_bounds`` (:data:`DATE_BOUNDS`), documented in the file's ``meta`` and on the
Downloads page.

Popolo's classes are fixed by the specification, so this module maps the models that fill them;
which rows are public it reads from each kind's table in the registry (``records.kinds``), as the
data package does. The file is read in a fixed number of queries: one per collection, and one for
every citation they carry.
"""

from collections import defaultdict
from itertools import chain

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from citations.models import Citation
from events.models import Event
from organizations.models import Membership, Organization, Person, Role
from records import kinds
from records.models import PublicationStatus

from .metadata import TITLE, license_info
from .writers import CHUNK_SIZE, json_collections

SPECIFICATION = "https://www.popoloproject.com/specs/"
DATE_BOUNDS = "allmep:date_bounds"
DATE_BOUNDS_DESCRIPTION = _(
    "Popolo dates are reduced ISO dates (YYYY, YYYY-MM or YYYY-MM-DD). The object's "
    "“allmep:date_bounds” keeps, for each of its dates, the date as the record states it (EDTF, "
    "e.g. 2003-36 for late 2003) and the first and last day it can mean: "
    "{“start_date”: {“edtf”: …, “earliest”: YYYY-MM-DD, “latest”: YYYY-MM-DD}}."
)
SOURCES_DESCRIPTION = _(
    "Each object's “sources” are the published sources cited for it: the document's address, or "
    "its archived copy when the record knows no address, or else the source's page in this record "
    "(which gives what is known of it: title, publisher, date, archive date)."
)
LANGUAGES = ("ar", "en", "he")


def _published(model):
    """The model's public rows, as its table in the data package holds them."""
    table = next(table for table in kinds.kind_of(model).tables if table.model is model)
    return table.queryset()


def _is_published(record):
    return record is not None and record.status == PublicationStatus.PUBLISHED


def reduced(date):
    """A partial date as a Popolo date: its EDTF text, a part of a year ("2003-36") as the year."""
    return f"{date.year:04d}" if date.part else date.edtf


def _dates(**dates):
    """Popolo's date properties and their bounds in :data:`DATE_BOUNDS`, for the known dates."""
    values, bounds = {}, {}
    for name, date in dates.items():
        if date is None:
            continue
        values[name] = reduced(date)
        bounds[name] = {"edtf": date.edtf, "earliest": date.lower.isoformat(), "latest": date.upper.isoformat()}
    if bounds:
        values[DATE_BOUNDS] = bounds
    return values


class SourceLinks:
    """Every public citation of the exported kinds, read in one query: Popolo ``sources`` by record."""

    MODELS = (Organization, Membership, Person, Role, Event)

    def __init__(self, language, base_url=""):
        content_types = ContentType.objects.get_for_models(*self.MODELS, for_concrete_models=False)
        self.content_types = {model: content_type.pk for model, content_type in content_types.items()}
        rows = (
            Citation.objects.filter(
                content_type__in=self.content_types.values(), source__status=PublicationStatus.PUBLISHED
            )
            .order_by("position", "pk")
            .values_list(
                "content_type_id",
                "object_id",
                "source__key",
                "source__url",
                "source__archive_url",
                "source__title",
                f"source__title_translation_{language}",
            )
        )
        self.links = defaultdict(list)
        for content_type, object_id, key, url, archive_url, title, translated in rows:
            # The source's own address, else its archived copy, else its page in this record (the
            # seed article gives no addresses); never a made-up address of the document. Without a
            # base URL (a file written with no site address) such a source is left out.
            address = url or archive_url or (base_url and base_url + source_page(key, language))
            if not address:
                continue
            links = self.links[content_type, object_id]
            if all(link["url"] != address for link in links):
                links.append({"url": address, "note": translated or title})

    def of(self, *records):
        """The links of one or more records (a post's are its holders' roles'), without repeats."""
        links = []
        for record in records:
            for link in self.links.get((self.content_types[type(record)], record.pk), ()):
                if link not in links:
                    links.append(link)
        return links


def organization(record, sources):
    data = {"id": record.slug, "name": record.name}
    if record.short_name:
        data["other_names"] = [{"name": record.short_name, "note": gettext("short name")}]
    data["classification"] = record.get_kind_display()
    if _is_published(record.parent):
        data["parent_id"] = record.parent.slug
    if record.summary:
        data["abstract"] = record.summary
    data.update(_dates(founding_date=record.founded))
    if record.website:
        data["links"] = [{"url": record.website, "note": gettext("website")}]
    data["sources"] = sources.of(record)
    return data


def membership(record, sources):
    """An organization's membership of the coalition: the organization is the ``member``."""
    data = {
        "id": f"membership-{record.pk}",
        "member": {"@type": "Organization", "id": record.member.slug, "name": record.member.name},
        "organization_id": record.coalition.slug,
        "role": gettext("member"),
    }
    if record.note:
        data["label"] = record.note
    data.update(_dates(start_date=record.joined, end_date=record.left))
    data["sources"] = sources.of(record)
    return data


def person(record, sources):
    data = {"id": record.slug, "name": record.name}
    if record.summary:
        data["summary"] = record.summary
    data["sources"] = sources.of(record)
    return data


def post_id(role):
    """The post a role is held in: its title (in the record's own language, Arabic, falling back
    as pages do) within its organization, the same in every file."""
    with translation.override(LANGUAGES[0]):
        title = slugify(role.title, allow_unicode=True) or f"role-{role.pk}"
    organization = role.organization.slug if _is_published(role.organization) else ""
    return ":".join(["post", *([organization] if organization else []), title])


def role_membership(role, sources):
    """A person's role: their membership of the organization, in the post, in that role."""
    data = {"id": f"role-{role.pk}", "person_id": role.person.slug}
    if _is_published(role.organization):
        data["organization_id"] = role.organization.slug
    data.update({"post_id": post_id(role), "role": role.title, "label": role.described_title})
    data.update(_dates(start_date=role.start, end_date=role.end))
    data["sources"] = sources.of(role)
    return data


def post(roles, sources):
    """The post the ``roles`` were held in, backed by the sources of all of them."""
    first = roles[0]
    data = {"id": post_id(first), "label": first.title, "role": first.title}
    if _is_published(first.organization):
        data["organization_id"] = first.organization.slug
    data["sources"] = sources.of(*roles)
    return data


def event(record, sources):
    data = {"id": record.slug, "name": record.title}
    if record.summary:
        data["description"] = record.summary
    data.update(_dates(start_date=record.start, end_date=record.end))
    if record.place:
        data["location"] = record.place
    data["classification"] = record.get_kind_display()
    if _is_published(record.organizer):
        data["organization_id"] = record.organizer.slug
    if _is_published(record.parent):
        data["parent_id"] = record.parent.slug
    data["sources"] = sources.of(record)
    return data


def meta(language, base_url=""):
    data = {
        "title": str(TITLE),
        "language": language,
        "specification": SPECIFICATION,
        "license": license_info(),
        "extensions": {DATE_BOUNDS: str(DATE_BOUNDS_DESCRIPTION), "sources": str(SOURCES_DESCRIPTION)},
    }
    if base_url:
        data["homepage"] = base_url
    return data


def source_page(key, language):
    with translation.override(language):
        return reverse("citations:source_detail", kwargs={"key": key})


def collections(language, base_url=""):
    """(name, objects) for each Popolo collection, the objects built as they are written."""
    sources = SourceLinks(language, base_url)
    roles = list(_published(Role).select_related("person", "organization").order_by("person__slug", "start", "pk"))
    posts = defaultdict(list)
    for role in roles:
        posts[post_id(role)].append(role)
    organizations = _published(Organization).with_parent().order_by("slug")
    memberships = _published(Membership).with_member().with_coalition().order_by("pk")
    events = _published(Event).select_related("organizer", "parent").order_by("slug")
    return [
        ("organizations", (organization(record, sources) for record in organizations.iterator(CHUNK_SIZE))),
        ("persons", (person(record, sources) for record in _published(Person).order_by("slug").iterator(CHUNK_SIZE))),
        (
            "memberships",
            chain(
                (membership(record, sources) for record in memberships.iterator(CHUNK_SIZE)),
                (role_membership(role, sources) for role in roles),
            ),
        ),
        ("posts", (post(held, sources) for _id, held in sorted(posts.items()))),
        ("events", (event(record, sources) for record in events.iterator(CHUNK_SIZE))),
    ]


def chunks(language, base_url=""):
    """The Popolo file of ``language`` as a stream of UTF-8 bytes."""
    with translation.override(language):
        yield from json_collections(meta(language, base_url), collections(language, base_url))


def filename(language):
    return f"popolo-{language}.json"
