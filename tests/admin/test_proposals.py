"""Reviewed changes: an editor's save of a published record waits for a publisher's review.

Readers keep the accepted version on every channel until a publisher accepts; the review shows
the change in every language with the rows edited inline; accepting publishes exactly what was
reviewed, rejecting keeps it unpublished in the record's history."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from citations.models import Citation, Source
from events.models import Event, EventParticipant
from organizations.models import Organization, Person, Role
from records import proposals
from records.history import versions_for
from records.models import ProposedChange, PublicationStatus
from records.proposals import compare
from records.versioning import revision
from tests.answers import assert_saved, change_form_data, change_url, found, plain, search
from tests.factories import staff_member

pytestmark = pytest.mark.django_db

PUBLISHED = PublicationStatus.PUBLISHED
OLD_NAME = "Peres Center"
NEW_NAME = "Peres Center for Peace zebrafinch"
QUEUE = "/en/admin/records/proposedchange/"


@pytest.fixture
def organization():
    with revision("Created"):
        organization = Organization.objects.create(
            slug="peres-center", name_en=OLD_NAME, name_ar="مركز بيريس", kind="ngo", status=PUBLISHED
        )
        source = Source.objects.create(key="overview", title="Overview", status=PUBLISHED)
        Citation.objects.create(source=source, content_object=organization, claim="founded", locator_en="p. 1")
    return organization


@pytest.fixture
def editor(client):
    user = staff_member("editor", "Editors")
    client.force_login(user)
    return user


def inline_prefix(data, word):
    return next(name[: -len("-TOTAL_FORMS")] for name in data if name.endswith("-TOTAL_FORMS") and word in name)


def propose_rename(client, organization, locator="p. 2", summary="Full name, page"):
    """The editor renames the organization and changes its citation's page, in one save."""
    url = change_url(organization)
    data = change_form_data(client.get(url))
    data["name_en"] = [NEW_NAME]
    data["edit_summary"] = [summary]
    prefix = inline_prefix(data, "citation")
    data[f"{prefix}-0-locator_en"] = [locator]
    return client.post(url, data)


def reader_texts(client):
    """What readers get on the channels the walk-through names: the page, search, CSV and the API."""
    return {
        "page": client.get("/en/organizations/peres-center/").content.decode(),
        "search": " ".join(plain(found(search(client, "Peres", language="en")))),
        "csv": b"".join(client.get("/en/export/organizations.csv").streaming_content).decode(),
        "api": client.get("/api/organizations/peres-center/?lang=en").content.decode(),
    }


def test_an_editors_change_to_a_published_record_waits_and_readers_keep_the_old_text(client, organization, editor):
    response = propose_rename(client, organization)
    proposal = ProposedChange.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:records_proposedchange_change", args=[proposal.pk])
    message = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("waits for a publisher's review" in text for text in message), message
    assert not any("successfully" in text for text in message), message

    organization.refresh_from_db()
    assert organization.name_en == OLD_NAME
    assert Citation.objects.get().locator_en == "p. 1"
    assert versions_for(organization).count() == 1
    assert (proposal.author, proposal.summary, proposal.state) == (editor, "Full name, page", "pending")

    client.logout()
    for channel, text in reader_texts(client).items():
        assert "zebrafinch" not in text.lower(), channel
    assert OLD_NAME in reader_texts(client)["page"]


def test_a_publisher_reviews_the_diff_with_the_citation_and_accepting_publishes_it(client, organization, editor):
    propose_rename(client, organization)
    proposal = ProposedChange.objects.get()
    publisher = staff_member("publisher", "Publishers")
    client.force_login(publisher)

    queue = client.get(QUEUE + "?state=pending")
    assert OLD_NAME in queue.content.decode()
    review = client.get(reverse("admin:records_proposedchange_change", args=[proposal.pk]))
    text = review.content.decode()
    assert "<ins> for Peace zebrafinch</ins>" in text
    assert "<del>1</del><ins>2</ins>" in text  # the citation's page, changed inline
    assert "Accept and publish" in text

    edit_version = review.context["edit_version"]
    response = client.post(
        review.wsgi_request.path,
        {"decision": "accept", "review_comment": "Checked the source", "edit_version_seen": edit_version},
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.name_en == NEW_NAME
    assert organization.status == PUBLISHED
    assert Citation.objects.get().locator_en == "p. 2"
    proposal.refresh_from_db()
    assert (proposal.state, proposal.reviewer, proposal.review_comment) == ("accepted", publisher, "Checked the source")
    latest = versions_for(organization).first()
    assert latest.revision == proposal.revision
    assert (latest.revision.user, latest.revision.get_comment()) == (editor, "Full name, page")

    client.logout()
    texts = reader_texts(client)
    for channel in ("page", "csv", "api", "search"):
        assert "zebrafinch" in texts[channel].lower(), channel
    # The version readers saw before is still at its permanent address.
    first = versions_for(organization).last()
    old = client.get(f"/en/history/organizations.organization/{organization.pk}/versions/{first.pk}/")
    assert old.status_code == 200
    heading = old.content.decode().split("<h1", 1)[1].split("</h1>", 1)[0]
    assert OLD_NAME in heading and "zebrafinch" not in heading


def test_rejecting_keeps_the_record_and_tells_the_editor(client, organization, editor):
    propose_rename(client, organization)
    proposal = ProposedChange.objects.get()
    client.force_login(staff_member("publisher", "Publishers"))
    url = reverse("admin:records_proposedchange_change", args=[proposal.pk])
    response = client.post(url, {"decision": "reject", "review_comment": "Not in the source", "edit_version_seen": "1"})
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.name_en == OLD_NAME
    proposal.refresh_from_db()
    assert proposal.state == "rejected"

    client.force_login(editor)
    # Told once, on the next admin page.
    told = [str(m) for m in get_messages(client.get("/en/admin/").wsgi_request)]
    assert any("rejected" in text and OLD_NAME in text and "Not in the source" in text for text in told), told
    assert not [str(m) for m in get_messages(client.get("/en/admin/").wsgi_request)]
    page = client.get(url).content.decode()
    assert "Not in the source" in page and "Rejected" in page
    assert "Accept and publish" not in page


def test_accepting_after_the_record_moved_on_shows_it_and_refuses_a_stale_review(client, organization, editor):
    propose_rename(client, organization)
    proposal = ProposedChange.objects.get()
    publisher = staff_member("publisher", "Publishers")
    client.force_login(publisher)
    url = reverse("admin:records_proposedchange_change", args=[proposal.pk])
    seen = client.get(url).context["edit_version"]

    with revision("Short name added"):
        organization.refresh_from_db()
        organization.short_name = "PC"
        organization.save()

    response = client.post(url, {"decision": "accept", "edit_version_seen": seen})
    assert response.status_code == 400
    assert "saved again while you were reviewing" in response.content.decode()
    organization.refresh_from_db()
    assert organization.name_en == OLD_NAME

    review = client.get(url)
    text = review.content.decode()
    assert "The record changed after this was proposed" in text
    assert "<del>PC</del>" in text  # accepting as proposed would undo the short name: shown
    assert_saved(client.post(url, {"decision": "accept", "edit_version_seen": review.context["edit_version"]}))
    organization.refresh_from_db()
    assert (organization.name_en, organization.short_name) == (NEW_NAME, "")


def test_a_second_proposal_shows_the_first(client, organization, editor):
    propose_rename(client, organization, summary="First")
    client.force_login(staff_member("colleague", "Editors"))
    form = client.get(change_url(organization)).content.decode()
    assert "A change to this record waits for review" in form
    assert "First" in form
    assert "your changes will wait for a publisher" in form
    propose_rename(client, organization, locator="p. 3", summary="Second")
    second = ProposedChange.objects.get(summary="Second")
    client.force_login(staff_member("publisher", "Publishers"))
    review = client.get(reverse("admin:records_proposedchange_change", args=[second.pk])).content.decode()
    assert "Other changes to this record wait for review too" in review and "First" in review


def test_publishers_edits_publish_directly_and_drafts_save_directly(client, organization):
    client.force_login(staff_member("publisher", "Publishers"))
    url = change_url(organization)
    data = change_form_data(client.get(url))
    data["name_en"] = [NEW_NAME]
    assert_saved(client.post(url, data))
    organization.refresh_from_db()
    assert organization.name_en == NEW_NAME

    client.force_login(staff_member("editor", "Editors"))
    with revision("Withdrawn"):
        organization.status = PublicationStatus.DRAFT
        organization.save()
    data = change_form_data(client.get(url))
    data["name_en"] = ["Draft name"]
    assert_saved(client.post(url, data))
    organization.refresh_from_db()
    assert organization.name_en == "Draft name"
    assert not ProposedChange.objects.exists()


def test_a_save_that_changes_nothing_proposes_nothing(client, organization, editor):
    url = change_url(organization)
    response = client.post(url, change_form_data(client.get(url)))
    assert response.status_code == 302
    assert not ProposedChange.objects.exists()


def test_an_editors_revert_of_a_published_record_is_a_proposal(client, organization, editor):
    with revision("Renamed"):
        organization.name_en = "Renamed by a publisher"
        organization.save()
    first = versions_for(organization).last()
    url = f"/en/admin/organizations/organization/{organization.pk}/history/{first.pk}/"
    data = change_form_data(client.get(url))
    assert client.post(url, data).status_code == 302
    organization.refresh_from_db()
    assert organization.name_en == "Renamed by a publisher"
    proposal = ProposedChange.objects.get()
    assert proposal.author == editor
    assert [change.name for change in compare(proposal.base, proposal.proposed).changes] == ["name_en"]


def test_an_editor_cannot_delete_a_published_record(client, organization, editor):
    url = f"/en/admin/organizations/organization/{organization.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 403
    changelist = "/en/admin/organizations/organization/"
    client.post(changelist, {"action": "delete_selected", "_selected_action": [organization.pk], "post": "yes"})
    assert Organization.objects.filter(pk=organization.pk).exists()


def test_who_sees_and_who_reviews_the_proposals(client, organization, editor):
    propose_rename(client, organization)
    proposal = ProposedChange.objects.get()
    url = reverse("admin:records_proposedchange_change", args=[proposal.pk])
    # The editor sees their own, may not review it.
    assert OLD_NAME in client.get(QUEUE).content.decode()
    assert client.post(url, {"decision": "accept", "edit_version_seen": "1"}).status_code == 403
    # Another editor does not have it in their list, but may open it (the record's form links to
    # it), without reviewing it; a researcher sees no queue at all.
    client.force_login(staff_member("colleague", "Editors"))
    assert OLD_NAME not in client.get(QUEUE).content.decode()
    assert client.get(url).status_code == 200
    assert "Accept and publish" not in client.get(url).content.decode()
    assert client.post(url, {"decision": "accept", "edit_version_seen": "1"}).status_code == 403
    client.force_login(staff_member("researcher", "Researchers"))
    assert client.get(QUEUE).status_code == 403
    assert client.get(url).status_code == 403
    assert client.post(url, {"decision": "accept", "edit_version_seen": "1"}).status_code == 403
    proposal.refresh_from_db()
    assert proposal.state == "pending"
    organization.refresh_from_db()
    assert organization.name_en == OLD_NAME


def test_bad_review_input_gets_a_message_and_changes_nothing(client, organization, editor):
    propose_rename(client, organization)
    proposal = ProposedChange.objects.get()
    client.force_login(staff_member("publisher", "Publishers"))
    url = reverse("admin:records_proposedchange_change", args=[proposal.pk])
    for data in (
        {"decision": "publish"},
        {"decision": "accept", "edit_version_seen": "x"},
        {"decision": "reject", "review_comment": "x" * 3000},
    ):
        response = client.post(url, data)
        assert response.status_code == 400, data
    assert client.get(QUEUE + "999999/change/").status_code == 302
    assert client.get(QUEUE + "not-a-number/change/").status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == "pending"


def test_the_queue_reads_a_fixed_number_of_queries(client, organization, editor):
    propose_rename(client, organization)
    client.force_login(staff_member("publisher", "Publishers"))
    client.get(QUEUE)  # warm the content type cache
    with CaptureQueriesContext(connection) as one:
        client.get(QUEUE)
    proposal = ProposedChange.objects.get()
    for number in range(30):
        proposal.pk, proposal.summary = None, f"Another {number}"
        proposal.save()
    with CaptureQueriesContext(connection) as many:
        response = client.get(QUEUE)
    assert response.content.decode().count("Another ") == 30
    assert len(many) == len(one)


def test_the_records_history_keeps_its_proposals_and_researchers_see_none(client, organization, editor):
    propose_rename(client, organization, summary="First try")
    assert "My proposed changes" in client.get(QUEUE).content.decode()
    proposal = ProposedChange.objects.get()
    client.force_login(staff_member("publisher", "Publishers"))
    url = reverse("admin:records_proposedchange_change", args=[proposal.pk])
    client.post(url, {"decision": "reject", "review_comment": "Which page?", "edit_version_seen": "1"})
    history = client.get(f"/en/admin/organizations/organization/{organization.pk}/history/").content.decode()
    assert "First try" in history and "Rejected: <q" in history and "Which page?" in history

    client.force_login(staff_member("colleague", "Editors"))
    propose_rename(client, organization, summary="Second try")
    client.force_login(staff_member("researcher", "Researchers"))
    form = client.get(change_url(organization)).content.decode()
    history = client.get(f"/en/admin/organizations/organization/{organization.pk}/history/").content.decode()
    for page in (form, history):
        assert "Second try" not in page and "First try" not in page
        assert "waits for review" not in page and "proposed-changes" not in page


# What a second pair of eyes found: paths around the review, and accepting that overwrote too much.


def test_recover_and_revert_take_only_this_records_deleted_or_own_versions(client, organization, editor):
    """Recovering a record that exists, or reverting through one model's form to a version of
    another kind of record with the same key, was a way around the review."""
    with revision("Renamed by a publisher"):
        organization.name_en = "Renamed"
        organization.save()
    first = versions_for(organization).last()
    recover = f"/en/admin/organizations/organization/recover/{first.pk}/"
    assert client.get(recover).status_code == 404
    assert client.post(recover, {"name_en": OLD_NAME}).status_code == 404
    with revision("A person with the same key"):
        person = Person.objects.create(pk=organization.pk, slug="someone", name_en="Someone", name_ar="شخص")
    person_version = versions_for(person).first()
    revert = f"/en/admin/organizations/organization/{organization.pk}/history/{person_version.pk}/"
    assert client.get(revert).status_code == 404
    organization.refresh_from_db()
    assert organization.name_en == "Renamed" and not ProposedChange.objects.exists()


def test_a_citation_of_a_published_events_participant_is_reviewed_too(client, editor):
    with revision("An event"):
        event = Event.objects.create(
            slug="summit", title_en="Summit", title_ar="قمة", kind="summit", start="2009", status=PUBLISHED
        )
        person = Person.objects.create(slug="someone", name_en="Someone", name_ar="شخص", status=PUBLISHED)
        participant = EventParticipant.objects.create(event=event, person=person)
        source = Source.objects.create(key="overview", title="Overview", status=PUBLISHED)
        citation = Citation.objects.create(source=source, content_object=participant, locator_en="p. 1")
    url = f"/en/admin/citations/citation/{citation.pk}/change/"
    assert client.post(url, {"source": source.pk, "locator_en": "p. 2"}).status_code == 403
    citation.refresh_from_db()
    assert citation.locator_en == "p. 1"


def test_accepting_a_sources_change_leaves_the_citations_of_it_alone(client, editor):
    with revision("A source cited by a record"):
        source = Source.objects.create(key="overview", title="Overview", status=PUBLISHED)
        cited = Organization.objects.create(
            slug="cited", name_en="Cited", name_ar="مستشهد", kind="ngo", status=PUBLISHED
        )
        Citation.objects.create(source=source, content_object=cited, locator_en="p. 1")
    url = change_url(source)
    data = change_form_data(client.get(url))
    data["title"] = ["Overview of the coalition"]
    assert client.post(url, data).status_code == 302
    proposal = ProposedChange.objects.get()
    assert len(proposal.proposed) == 1  # the source alone: the citations citing it are their records'
    with revision("Cited again elsewhere"):
        other = Organization.objects.create(slug="other", name_en="Other", name_ar="أخرى", kind="ngo", status=PUBLISHED)
        Citation.objects.create(source=source, content_object=other, locator_en="p. 9")
        Citation.objects.filter(object_id=cited.pk).update(locator_en="p. 2")
    client.force_login(staff_member("publisher", "Publishers"))
    review_url = reverse("admin:records_proposedchange_change", args=[proposal.pk])
    review = client.get(review_url)
    assert_saved(client.post(review_url, {"decision": "accept", "edit_version_seen": review.context["edit_version"]}))
    source.refresh_from_db()
    assert source.title == "Overview of the coalition"
    assert sorted(Citation.objects.values_list("locator_en", flat=True)) == ["p. 2", "p. 9"]


def test_accepting_keeps_the_rows_publication_and_leaves_unchanged_rows_alone(client, editor):
    with revision("A person with two roles"):
        person = Person.objects.create(slug="someone", name_en="Someone", name_ar="شخص", status=PUBLISHED)
        organization = Organization.objects.create(
            slug="org", name_en="Org", name_ar="منظمة", kind="ngo", status=PUBLISHED
        )
        first = Role.objects.create(person=person, organization=organization, title_en="Director", title_ar="مدير")
        second = Role.objects.create(
            person=person, organization=organization, title_en="Chair", title_ar="رئيس", status=PUBLISHED
        )
    url = change_url(person)
    data = change_form_data(client.get(url))
    data["name_en"] = ["Someone Else"]
    assert client.post(url, data).status_code == 302
    proposal = ProposedChange.objects.get()
    # A publisher publishes the first role meanwhile, through its own page (the person's counter moves).
    with revision("Published"):
        first.status = PUBLISHED
        first.save()
    second_version = Role.objects.get(pk=second.pk).edit_version
    client.force_login(staff_member("publisher", "Publishers"))
    review_url = reverse("admin:records_proposedchange_change", args=[proposal.pk])
    review = client.get(review_url)
    assert_saved(client.post(review_url, {"decision": "accept", "edit_version_seen": review.context["edit_version"]}))
    assert Person.objects.get(pk=person.pk).name_en == "Someone Else"
    assert Role.objects.get(pk=first.pk).status == PUBLISHED  # the publisher's decision stands
    assert Role.objects.get(pk=second.pk).edit_version == second_version  # not saved again


def test_a_citation_of_a_role_moves_the_persons_counter_too(organization):
    with revision("A role"):
        person = Person.objects.create(slug="someone", name_en="Someone", name_ar="شخص", status=PUBLISHED)
        role = Role.objects.create(person=person, organization=organization, title_en="Director", title_ar="مدير")
    before = Person.objects.get(pk=person.pk).edit_version
    Citation.objects.create(source=Source.objects.get(), content_object=role, locator_en="p. 3")
    assert Person.objects.get(pk=person.pk).edit_version > before


def test_a_stale_or_odd_review_gets_a_message_not_a_500(client, organization, editor):
    propose_rename(client, organization)
    proposal = ProposedChange.objects.get()
    client.force_login(staff_member("publisher", "Publishers"))
    url = reverse("admin:records_proposedchange_change", args=[proposal.pk])
    for data in (
        {"decision": "accept", "edit_version_seen": "9" * 5000},
        {"decision": "reject", "review_comment": "a\x00b"},
    ):
        assert client.post(url, data).status_code == 400, data
    assert client.get(QUEUE + "9" * 40 + "/change/").status_code == 302
    assert_saved(client.post(url, {"decision": "reject", "edit_version_seen": "1"}))
    again = client.post(url, {"decision": "accept", "edit_version_seen": "1"})
    assert again.status_code == 400 and "already reviewed" in again.content.decode()


@pytest.mark.django_db(transaction=True)
def test_accepting_a_change_that_points_at_a_deleted_row_is_refused():
    """The database checks the keys when the acceptance commits: a 400 with a message, not a 500."""
    with revision("Created"):
        organization = Organization.objects.create(slug="org", name_en="Org", kind="ngo", status=PUBLISHED)
    gone = Source.objects.create(key="gone", title="Gone", status=PUBLISHED)
    base = proposals.state_of(organization)
    with transaction.atomic():  # what an editor's save would have read, rolled back
        Citation.objects.create(source=gone, content_object=organization)
        proposed = proposals.state_of(organization)
        transaction.set_rollback(True)
    proposal = proposals.propose(organization, base, proposed, None, "Cite it", organization.edit_version)
    gone.delete()
    organization.refresh_from_db()
    with pytest.raises(proposals.ReviewError, match="was deleted since"):
        proposals.accept(proposal, None, "", organization.edit_version)
    assert not Citation.objects.exists()
    proposal.refresh_from_db()
    assert proposal.state == "pending"
