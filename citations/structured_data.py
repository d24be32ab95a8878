"""schema.org data of source pages."""

from records.structured_data import absolute_url, compact, schema_date


def source_data(request, source):
    return compact(
        {
            "@context": "https://schema.org",
            "@type": "CreativeWork",
            "@id": absolute_url(request, source),
            "name": source.title,
            "alternateName": source.title_translation,
            "inLanguage": source.language,
            "author": [{"@type": "Person", "name": name.strip()} for name in source.authors.split(";") if name.strip()],
            "publisher": compact({"@type": "Organization", "name": source.publisher}) if source.publisher else None,
            "datePublished": schema_date(source.publication_date),
            # The document itself; the record never invents one, so an unknown URL stays out.
            "url": source.url,
        }
    )
