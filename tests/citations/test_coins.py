"""COinS in the references list: a reader's reference manager picks up each cited source from the
article itself (one span per source, an OpenURL ContextObject in its title), and sees nothing."""

import datetime
from urllib.parse import parse_qs

import lxml.html
import pytest
from django.urls import reverse
from django.utils import translation

from citations.models import Citation, Source
from organizations.models import Organization
from records.models import PublicationStatus
from tests.factories import make_record

pytestmark = pytest.mark.django_db


def references_of(client, path):
    response = client.get(path)
    assert response.status_code == 200
    (listed,) = lxml.html.fromstring(response.content.decode()).xpath('//ol[@class="references"]')
    return listed.xpath("./li")


def context_object(span):
    """The span's OpenURL ContextObject, parsed as a link resolver or Zotero parses its KEV."""
    return parse_qs(span.get("title"), keep_blank_values=False, strict_parsing=True)


@pytest.mark.parametrize("language", ["ar", "en", "he"])
def test_the_article_gives_each_cited_source_once_as_coins(client, language):
    make_record()
    with translation.override(language):
        items = references_of(client, reverse("organizations:home"))

    spans = [span for item in items for span in item.xpath('.//span[@class="Z3988"]')]
    assert len(spans) == len(items) > 1  # one per reference: each cited source once
    titles = [context_object(span)["rft.title"] for span in spans]
    assert len({title[0] for title in titles}) == len(spans)
    cited = set(
        Source.objects.filter(key__in=["allmep-97-members", "cohen-op-ed-2009"]).values_list("title", flat=True)
    )
    assert cited <= {title[0] for title in titles}
    for span in spans:
        kev = context_object(span)
        assert kev["ctx_ver"] == ["Z39.88-2004"]
        assert kev["rft_val_fmt"] == ["info:ofi/fmt:kev:mtx:dc"]
        assert kev["rft.type"] == ["webpage"]
        # Nothing to see or to hear: empty, and hidden from screen readers.
        assert span.text is None and len(span) == 0
        assert span.get("aria-hidden") == "true"


def test_a_coins_span_carries_the_source_as_its_citation_downloads_do(client):
    coalition = Organization.objects.create(
        slug="allmep",
        name_en="Alliance for Middle East Peace",
        kind="coalition",
        founded="2003",
        status=PublicationStatus.PUBLISHED,
    )
    news = Source.objects.create(
        key="haaretz-2009",
        kind="article-newspaper",
        title="ארגוני שלום מתאחדים",
        language="he",
        authors="Levy, Gideon; Amira Hass",
        publisher_en="Haaretz",
        publication_date="2009-03-19",
        url="https://www.haaretz.example/news/1.2345?page=2&ref=x",
        archive_url="https://web.archive.org/web/2009/https://www.haaretz.example/news/1.2345",
        archive_date=datetime.date(2009, 4, 1),
        status=PublicationStatus.PUBLISHED,
    )
    report = Source.objects.create(
        key="stanford-report",
        kind="report",
        title="Promoting People-to-People Coexistence",
        publisher_en="Stanford University",
        publication_date="2012",
        status=PublicationStatus.PUBLISHED,
    )
    Citation.objects.create(source=news, content_object=coalition, claim="founded", position=1)
    Citation.objects.create(source=report, content_object=coalition, claim="kind", position=2)
    with translation.override("en"):
        items = references_of(client, reverse("organizations:home"))

    by_title = {}
    for item in items:
        (span,) = item.xpath('.//span[@class="Z3988"]')
        kev = context_object(span)
        by_title[kev["rft.title"][0]] = kev
    assert by_title.keys() == {"ארגוני שלום מתאחדים", "Promoting People-to-People Coexistence"}, by_title
    assert by_title["ארגוני שלום מתאחדים"] == {
        "ctx_ver": ["Z39.88-2004"],
        "rft_val_fmt": ["info:ofi/fmt:kev:mtx:dc"],
        "rft.type": ["newspaperArticle"],
        "rft.title": ["ארגוני שלום מתאחדים"],
        "rft.au": ["Levy, Gideon", "Amira Hass"],
        "rft.source": ["Haaretz"],
        "rft.date": ["2009-03-19"],
        "rft.identifier": ["https://www.haaretz.example/news/1.2345?page=2&ref=x"],
        "rft.language": ["he"],
    }
    assert by_title["Promoting People-to-People Coexistence"]["rft.type"] == ["report"]
    assert by_title["Promoting People-to-People Coexistence"]["rft.publisher"] == ["Stanford University"]
    assert by_title["Promoting People-to-People Coexistence"]["rft.date"] == ["2012"]
