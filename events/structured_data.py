"""schema.org data of event and meeting pages."""

from organizations.structured_data import organization_ref
from records.structured_data import absolute_url, compact, describe, schema_date


def event_data(request, event):
    place = None
    if event.place or event.country:
        address = {"@type": "PostalAddress", "addressCountry": event.country.code} if event.country else None
        place = compact({"@type": "Place", "name": event.place or event.country.name, "address": address})
    parent = event.parent if event.parent_id and event.parent.is_published else None
    return compact(
        {
            "@context": "https://schema.org",
            "@type": "Event",
            "@id": absolute_url(request, event),
            "url": absolute_url(request, event),
            "name": event.title,
            "description": describe(event),
            "startDate": schema_date(event.start),
            "endDate": schema_date(event.end),
            "location": place,
            "organizer": organization_ref(request, event.organizer),
            "superEvent": compact({"@type": "Event", "name": parent.title, "url": absolute_url(request, parent)})
            if parent
            else None,
        }
    )


def meeting_data(request, meeting):
    return compact(
        {
            "@context": "https://schema.org",
            "@type": "Event",
            "@id": absolute_url(request, meeting),
            "url": absolute_url(request, meeting),
            "name": meeting.title,
            "description": describe(meeting),
            "startDate": schema_date(meeting.date),
            "organizer": organization_ref(request, meeting.organization),
        }
    )
