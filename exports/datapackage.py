"""The whole published record as a Frictionless Data Package: a zip of CSV tables and a
``datapackage.json`` describing them (schemas, primary and foreign keys, licence, sources), and
the record in Popolo, a JSON file per language (:mod:`exports.popolo`).

Beside the tables, the same published records as linked data: ``data/allmep-record.nt``, every
record with a page as RDF (schema.org, with its sources; citations.linked_data) in N-Triples, in
each language. Its statements name records by their pages' addresses, so it is written only when
the site's address is known (the download's, or ``--base-url`` / ``DJANGO_SITE_URL``). A data
package holding a resource that is no table is a plain ``data-package`` (Frictionless's profile
for mixed packages); each table is still a ``tabular-data-resource`` with its schema.

The CSV files here are for programs: typed by the schema, without a byte-order mark and without
the apostrophe the list downloads put before formula-like text for spreadsheets.
"""

import json
import tempfile
import zipfile

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from citations.linked_data import dataset_n_triples
from records import kinds

from . import popolo
from .metadata import SOURCE_ARTICLE, TITLE, attribution
from .writers import csv_lines

NAME = "allmep-record"
N_TRIPLES_PATH = f"data/{NAME}.nt"


def n_triples_resource():
    return {
        "name": "linked-data",
        "title": "Every published record as RDF (schema.org), with its sources, in Arabic, English and Hebrew",
        "path": N_TRIPLES_PATH,
        "format": "nt",
        "mediatype": "application/n-triples",
        "encoding": "utf-8",
    }


def table_schema(table, columns):
    fields = []
    for column in columns:
        field = {"name": column.name, "type": column.type}
        if column.description:
            field["description"] = column.description
        if column.type == "date":
            field["format"] = "%Y-%m-%d"
        fields.append(field)
    schema = {"fields": fields, "missingValues": [""]}
    names = [column.name for column in columns]
    if "id" in names:
        schema["primaryKey"] = ["id"]
    else:
        schema["primaryKey"] = names[:2]
    foreign_keys = [
        {
            "fields": [column.name],
            "reference": {"resource": "" if other == table.name else other, "fields": [key]},
        }
        for column in columns
        if column.references and not column.is_list
        for other, key in [column.references]
    ]
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return schema


def descriptor(base_url):
    license = settings.CONTENT_LICENSE
    resources = []
    for table in kinds.package_tables().values():
        columns = table.columns(base_url)
        resources.append(
            {
                "name": table.name,
                "title": str(table.title),
                "path": f"data/{table.name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": table_schema(table, columns),
            }
        )
    for language in popolo.LANGUAGES:
        name = translation.get_language_info(language)["name_translated"]
        resources.append(
            {
                "name": f"popolo-{language}",
                "title": str(_("The record in Popolo, in %(language)s") % {"language": name}),
                "description": " ".join(
                    [
                        str(
                            _("Organizations, memberships, people, posts and events in Popolo JSON (%(url)s).")
                            % {"url": popolo.SPECIFICATION}
                        ),
                        str(popolo.SOURCES_DESCRIPTION),
                        str(popolo.DATE_BOUNDS_DESCRIPTION),
                    ]
                ),
                "path": popolo_path(language),
                # Not a table but a JSON document: the package is a plain data package, whose CSV
                # resources each say they are tabular.
                "profile": "data-resource",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
            }
        )
    if base_url:
        resources.append(n_triples_resource())
    return {
        # Tables, Popolo files and, with a site address, N-Triples: a package that is not only tables.
        "profile": "data-package",
        "name": NAME,
        "title": str(TITLE),
        "description": attribution(),
        "created": timezone.now().replace(microsecond=0).isoformat(),
        "licenses": [{"name": license["name"], "title": license["title"], "path": license["path"]}],
        "sources": [{"title": f"Arabic Wikipedia: {SOURCE_ARTICLE}"}],
        "homepage": base_url or None,
        "resources": resources,
    }


def popolo_path(language):
    return f"popolo/{popolo.filename(language)}"


def write(archive, base_url=""):
    """Write the package into an open :class:`zipfile.ZipFile`."""
    # Permalinks and labels in the record's own language, whatever the request's.
    with translation.override(settings.LANGUAGE_CODE):
        package = descriptor(base_url)
        if not package["homepage"]:
            del package["homepage"]
        archive.writestr("datapackage.json", json.dumps(package, ensure_ascii=False, indent=2))
        for table in kinds.package_tables().values():
            with archive.open(f"data/{table.name}.csv", "w") as output:
                for chunk in csv_lines(table, table.queryset(), base_url, spreadsheet=False):
                    output.write(chunk)
        if base_url:
            languages = [code for code, _name in settings.LANGUAGES]
            archive.writestr(N_TRIPLES_PATH, dataset_n_triples(base_url, languages))
    for language in popolo.LANGUAGES:
        with archive.open(popolo_path(language), "w") as output:
            for chunk in popolo.chunks(language, base_url):
                output.write(chunk)


def write_zip(base_url=""):
    """The package as a temporary zip file, positioned at its start."""
    output = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it once sent)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        write(archive, base_url)
    output.seek(0)
    return output
