"""List downloads (CSV, XLSX, JSON): rows, languages, filters, drafts, formula cells, streaming."""

import csv
import datetime
import io
import json

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from citations.models import Citation, LinkStatus, Source
from events.models import Event, Meeting
from exports.tables import LIST_TABLES
from organizations.models import Membership, Organization, Person, ReportedFigure

PUBLISHED, DRAFT = "published", "draft"


def cite(record, source, claim=""):
    return Citation.objects.create(
        source=source,
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        claim=claim,
    )


def build_record():
    """A small record in three languages, with drafts that must never be exported."""
    overview = Source.objects.create(
        key="allmep-overview",
        title="Overview",
        publisher_ar="موقع التحالف",
        publisher_en="ALLMEP website",
        archive_url="https://web.archive.org/web/20160702000000/allmep.example/overview",
        archive_date=datetime.date(2016, 7, 2),
        archive_provider="wayback",
        status=PUBLISHED,
    )
    stanford = Source.objects.create(
        key="stanford-coexistence",
        kind="report",
        title="Promoting People-to-People Coexistence in the Middle East",
        authors="Cohen, Michael M.; Stanford University",
        publisher_en="Stanford University",
        publication_date="2009-03-19",
        archive_date=datetime.date(2012, 11, 28),
        archive_provider="wayback",
        link_status=LinkStatus.DEAD,
        status=PUBLISHED,
    )
    secret = Source.objects.create(key="draft-source", title="Not yet checked", status=DRAFT)
    allmep = Organization.objects.create(
        slug="allmep",
        name_ar="التحالف من أجل السلام في الشرق الأوسط",
        name_en="Alliance for Middle East Peace",
        name_he="הברית לשלום במזרח התיכון",
        short_name_en="ALLMEP",
        kind="coalition",
        country="US",
        founded="2003-36",
        formally_founded="2006",
        summary_en="=HYPERLINK(\"http://evil.example\")",
        status=PUBLISHED,
    )
    just_vision = Organization.objects.create(
        slug="just-vision",
        name_ar="جست فيجن",
        name_en="Just Vision",
        kind="ngo",
        summary_en="+1 and -1, @ and tab",
        status=PUBLISHED,
    )
    hidden = Organization.objects.create(slug="hidden-org", name_en="Hidden draft", kind="ngo", status=DRAFT)
    cite(allmep, overview, "founded")
    cite(allmep, stanford)
    cite(allmep, secret)
    joined = Membership.objects.create(member=just_vision, coalition=allmep, joined="2004-02", status=PUBLISHED)
    Membership.objects.create(member=hidden, coalition=allmep, joined="2005", status=PUBLISHED)
    cite(joined, overview)
    ReportedFigure.objects.create(
        organization=allmep, metric="member_organizations", value=97, as_of="2016-08", status=PUBLISHED
    )
    ReportedFigure.objects.create(organization=allmep, metric="participants", value=250, status=DRAFT)
    conference = Event.objects.create(
        slug="coexistence-conference-2005",
        title_ar="مؤتمر التعايش",
        title_en="Coexistence conference",
        title_he="כנס דו-קיום",
        kind="conference",
        start="2005-06",
        organizer=allmep,
        countries_represented=["TN", "YE"],
        status=PUBLISHED,
    )
    Event.objects.create(slug="secret-event", title_en="Draft event", kind="panel", status=DRAFT)
    meeting = Meeting.objects.create(
        slug="capitol-hill-2004", title_en="First meeting", organization=allmep, date="2004-02", event=conference,
        status=PUBLISHED,
    )
    meeting.counterparts.add(just_vision, hidden)
    Person.objects.create(slug="hazem-fahmy", name_ar="حازم فهمي", name_en="Hazem Fahmy", status=PUBLISHED)
    Person.objects.create(slug="draft-person", name_en="Draft person", status=DRAFT)
    return {"allmep": allmep, "just_vision": just_vision, "overview": overview, "stanford": stanford}


@pytest.fixture
def record(db):
    return build_record()


def download(client, table, format, language="en", **params):
    response = client.get(reverse("exports:table", kwargs={"table": table, "format": format}), params, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response.content[:500]
    return response


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response):
    data = body(response)
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
