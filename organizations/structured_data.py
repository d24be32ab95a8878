"""schema.org data of organization and person pages."""

from django.utils.translation import get_language

from records.structured_data import absolute_url, compact, describe, schema_date

ORGANIZATION_TYPES = {
    "coalition": "NGO",
    "grassroots": "NGO",
    "ngo": "NGO",
    "government_body": "GovernmentOrganization",
    "government_office": "GovernmentOrganization",
    "legislature": "GovernmentOrganization",
    "university": "CollegeOrUniversity",
    "media": "NewsMediaOrganization",
}


def organization_ref(request, organization):
    if organization is None or not organization.is_published:
        return None
    return compact({"@type": "Organization", "name": organization.name, "url": absolute_url(request, organization)})


def organization_data(request, organization):
    return compact(
        {
            "@context": "https://schema.org",
            "@type": ORGANIZATION_TYPES.get(organization.kind, "Organization"),
            "@id": absolute_url(request, organization),
            "url": absolute_url(request, organization),
            "name": organization.name,
            "alternateName": organization.short_name,
            "description": describe(organization),
            "foundingDate": schema_date(organization.formally_founded or organization.founded),
            # Its own website, and its Wikidata item when a source gives it.
            "sameAs": [url for url in (organization.website, organization.wikidata_url) if url],
            "parentOrganization": organization_ref(request, organization.parent),
            "inLanguage": get_language(),
        }
    )


def person_data(request, person):
    return compact(
        {
            "@context": "https://schema.org",
            "@type": "Person",
            "@id": absolute_url(request, person),
            "url": absolute_url(request, person),
            "name": person.name,
            "description": describe(person),
            "sameAs": [person.wikidata_url] if person.wikidata else [],
        }
    )
