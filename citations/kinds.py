"""The kinds of record of this app, for the rest of the site (see records.kinds)."""

from records.kinds import Endpoint, RecordKind, SearchFields

from . import api, structured_data, tables, views
from .models import Citation, Source


def title_in_its_own_language(values):
    """A source's title needs no translation into the language the source is written in."""
    language = str(values.get("language") or "").split("-")[0].lower()
    return {"title_translation": {language}}


KINDS = (
    RecordKind(
        Source,
        name="source",
        page="citations:source_detail",
        lookup="key",
        title_field="title",
        list_page="citations:source_list",
        sitemap_priority=0.3,
        structured_data=structured_data.source_data,
        search=SearchFields(title="title", names=("title_translation",), fields=("authors", "publisher")),
        history=True,
        untranslated=title_in_its_own_language,
        version_page=views.source_version,
        tables=(tables.SOURCES,),
        api=(Endpoint("sources", api.SourceViewSet, "source", position=60),),
    ),
    RecordKind(
        Citation,
        tables=(tables.CITATIONS,),
        api=(Endpoint("citations", api.CitationViewSet, "citation", position=70),),
    ),
)
