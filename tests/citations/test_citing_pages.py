"""Where the sources pages say a source is cited: by a {{ref|key}} marker in prose too, as the
prose stands now, on published pages only, whatever edits, reverts, deletes or bulk loads
brought it there; and at a cost that does not grow with the amount of prose in the record."""

import re
from io import StringIO

import pytest
import reversion
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from reversion.models import Version

from citations.claims import OTHER_CLAIM, claim_label
from citations.models import Citation, Source
from events.models import Meeting
from organizations.models import ArticleSection, Organization, Proposal

PUBLISHED = "published"
DRAFT = "draft"


def source(key, **kwargs):
    return Source.objects.create(key=key, title=f"Title of {key}", status=PUBLISHED, **kwargs)


def organization(slug, status=PUBLISHED, **kwargs):
    return Organization.objects.create(slug=slug, name_en=slug.title(), kind="ngo", status=status, **kwargs)


def citing_links(html):
    """The addresses of the citing pages in a block of a sources page, in order."""
    found = re.search(r'<ul class="citing-pages">(.*?)</ul>', html, re.S)
    return re.findall(r'<a href="([^"]+)"', found.group(1)) if found else []


def listed_on_detail(client, key):
    return citing_links(client.get(f"/en/sources/{key}/").content.decode())


def listed_on_list(client, key, page=1):
    html = client.get(f"/en/sources/?page={page}").content.decode()
    block = html[html.index(f'id="source-{key}"') :]
    return citing_links(re.split(r'<li id="source-|</ol>', block)[0])


@pytest.mark.django_db
def test_a_source_cited_only_in_prose_lists_the_page_that_cites_it(client):
    source("prose-only")
    organization("peace-now", description_en="Founded in 1978.{{ref| prose-only |p. 4}}")
    assert listed_on_list(client, "prose-only") == ["/en/organizations/peace-now/"]
    assert listed_on_detail(client, "prose-only") == ["/en/organizations/peace-now/"]
    # The claim a prose marker backs is the text.
    assert "· text</span>" in client.get("/en/sources/prose-only/").content.decode()


@pytest.mark.django_db
def test_a_marker_in_any_language_and_in_any_prose_field_counts(client):
    source("hebrew-only")
    coalition = organization("coalition")
    Proposal.objects.create(
        organization=coalition, slug="fund", name_en="A fund", outcome_he="הוקם.{{ref|hebrew-only}}", status=PUBLISHED
    )
    meeting = Meeting.objects.create(
        slug="summit", title_en="Summit", organization=coalition, description_ar="لقاء.{{ref|hebrew-only}}"
    )
    meeting.status = PUBLISHED
    meeting.save()
    assert sorted(listed_on_detail(client, "hebrew-only")) == [
        "/en/events/meetings/summit/",
        "/en/organizations/coalition/",
    ]


@pytest.mark.django_db
def test_a_page_citing_a_source_both_ways_is_listed_once(client):
    cited = source("both-ways")
    member = organization("member", description_en="Text.{{ref|both-ways}} More.{{ref|both-ways}}")
    Citation.objects.create(source=cited, content_object=member, claim="founded")
    assert listed_on_detail(client, "both-ways") == ["/en/organizations/member/"]


@pytest.mark.django_db
def test_a_drafts_prose_never_makes_a_page_appear_until_it_is_published(client):
    source("cited")
    draft = organization("draft-org", status=DRAFT, description_en="Secret.{{ref|cited}}")
    hidden_parent = organization("hidden-parent", status=DRAFT)
    ArticleSection.objects.create(
        organization=hidden_parent, kind="lead", body_en="A section.{{ref|cited}}", status=PUBLISHED
    )
    assert listed_on_list(client, "cited") == []
    assert listed_on_detail(client, "cited") == []
    assert "draft-org" not in client.get("/en/sources/cited/").content.decode()
    # Publishing changes no prose, yet the page appears: references are kept for drafts too.
    draft.status = PUBLISHED
    draft.save()
    assert listed_on_detail(client, "cited") == ["/en/organizations/draft-org/"]


@pytest.mark.django_db
def test_removing_or_changing_a_marker_takes_the_page_off_the_source(client):
    source("old-source")
    source("new-source")
    record = organization("edited", description_en="Claim.{{ref|old-source}}")
    assert listed_on_detail(client, "old-source") == ["/en/organizations/edited/"]

    record.description_en = "Claim.{{ref|new-source}}"
    record.save()
    assert listed_on_detail(client, "old-source") == []
    assert listed_on_detail(client, "new-source") == ["/en/organizations/edited/"]

    record.description_en = "Claim, now without a source."
    record.save()
    assert listed_on_detail(client, "new-source") == []


@pytest.mark.django_db
def test_a_revert_brings_the_old_markers_back_and_a_delete_takes_them_away(client):
    source("first")
    source("second")
    with reversion.create_revision():
        record = organization("reverted", description_en="Claim.{{ref|first}}")
    with reversion.create_revision():
        record.description_en = "Claim.{{ref|second}}"
        record.save()
    # django-reversion restores with a raw save, as the admin's revert and recover do.
    Version.objects.get_for_object(record).last().revert()
    assert listed_on_detail(client, "first") == ["/en/organizations/reverted/"]
    assert listed_on_detail(client, "second") == []

    Organization.objects.get(slug="reverted").delete()
    assert listed_on_detail(client, "first") == []


@pytest.mark.django_db
def test_records_loaded_in_bulk_are_listed_once_the_references_are_rebuilt(client):
    source("bulk")
    # bulk_create sends no signal (bench/generate.py loads this way); the command catches up.
    Organization.objects.bulk_create(
        [Organization(slug="bulk-org", name_en="Bulk", kind="ngo", status=PUBLISHED, description_en="X{{ref|bulk}}")]
    )
    assert listed_on_detail(client, "bulk") == []
    out = StringIO()
    call_command("rebuild_prose_references", stdout=out)
    assert "Wrote 1 prose references." in out.getvalue()
    assert listed_on_detail(client, "bulk") == ["/en/organizations/bulk-org/"]


def populate(start, stop):
    """Sources numbered start..stop-1, each cited in the prose of a published organization."""
    Source.objects.bulk_create(
        Source(key=f"source-{n:04d}", title=f"Source {n}", status=PUBLISHED) for n in range(start, stop)
    )
    for n in range(start, stop):
        organization(f"org-{n:04d}", description_en=f"Claim {n}.{{{{ref|source-{n:04d}}}}}")


def count_queries(client, path):
    caches["default"].clear()  # the list's kept count: measure a first reader's page
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_sources_list_costs_the_same_queries_however_much_prose_cites_it(client):
    populate(0, 10)
    client.get("/ar/sources/")  # warm the content-type cache, as any running site has
    small = count_queries(client, "/ar/sources/")
    populate(10, 250)
    large = count_queries(client, "/ar/sources/")
    assert small == large
    # The page shows the prose of its own sources, whatever page it is.
    assert listed_on_list(client, "source-0000") == ["/en/organizations/org-0000/"]
    assert listed_on_list(client, "source-0249", page=3) == ["/en/organizations/org-0249/"]


@pytest.mark.django_db
def test_a_save_of_other_fields_only_keeps_the_references(client):
    source("kept")
    record = organization("partly-saved", description_en="Claim.{{ref|kept}}")
    record.name_en = "Renamed"
    record.save(update_fields=["name_en"])
    assert listed_on_detail(client, "kept") == ["/en/organizations/partly-saved/"]
    record.description_en = "No source now."
    record.save(update_fields=["description_en"])
    assert listed_on_detail(client, "kept") == []


@pytest.mark.django_db
def test_a_source_cited_on_many_pages_lists_ten_and_links_to_all(client):
    source("widely-cited")
    for number in range(12):
        organization(f"citing-{number:02d}", description_en="Claim.{{ref|widely-cited}}")

    assert len(listed_on_list(client, "widely-cited")) == 10
    assert len(listed_on_detail(client, "widely-cited")) == 12
    html = client.get("/en/sources/").content.decode()
    assert '<a href="/en/sources/widely-cited/">All 12 pages citing it</a>' in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "he"])
def test_every_claim_on_every_source_page_has_a_label_in_the_reader_s_language(client, language):
    """Arabic and Hebrew readers see what each page's citation backs in their language: no claim key
    ("contact with us officials"), no English word, on any source page of the dataset."""
    call_command("load_allmep", stdout=StringIO())
    shown = 0
    for source_key in Source.objects.published().values_list("key", flat=True):
        page = client.get(f"/{language}/sources/{source_key}/").content.decode()
        for claims in re.findall(r'<span class="meta[^"]*">· (.*?)</span>', page, re.S):
            for label in claims.split(" · "):
                shown += 1
                assert not re.search(r"[A-Za-z_]", label), f"{source_key}: {label!r}"
    # Every claim of the dataset is on some source page.
    assert shown >= Citation.objects.values("content_type", "claim").distinct().count()


@pytest.mark.django_db
def test_every_claim_the_dataset_cites_has_a_label_of_its_own():
    """Each claim key of allmep.toml is a field of its record or a statement with its own translated
    label, never the generic label kept for keys that an editor typed and nobody named."""
    call_command("load_allmep", stdout=StringIO())
    claims = {(citation.content_type.model_class(), citation.claim) for citation in Citation.objects.all()}
    assert len(claims) > 30
    for model, claim in claims:
        assert claim_label(model, claim) is not OTHER_CLAIM, (model, claim)
        for language in ("ar", "he"):
            with translation.override(language):
                assert not re.search(r"[A-Za-z_]", str(claim_label(model, claim))), (language, model, claim)


@pytest.mark.django_db
def test_the_sources_list_loads_only_the_citing_pages_it_shows(client):
    """A source cited on thousands of pages shows ten on the list: only those ten are loaded."""
    source("widely-cited")
    for number in range(25):
        organization(f"citing-{number:02d}", description_en="Claim.{{ref|widely-cited}}")
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/en/sources/").content.decode()
    assert "Cited on 25 pages" in html
    loaded = [
        len(re.search(r'"organizations_organization"\."id" IN \(([^)]*)\)', query["sql"]).group(1).split(","))
        for query in queries
        if query["sql"].startswith('SELECT "organizations_organization"."id"')
        and '"organizations_organization"."name_en"' in query["sql"]
    ]
    assert loaded == [10]
