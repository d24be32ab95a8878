"""Reverting or recovering one record changes that record and its own rows, nothing else.

Databases loaded before each dataset record got a revision of its own hold the whole dataset in
one revision, and a bulk action or a script can still save many records together:
django-reversion's own revert restores every object of the revision, silently undoing editors'
later work on the others and deleting citations added to them since.
"""

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from reversion.models import Version

from citations.models import Citation, Source
from dataset import loader
from events.models import Event, Meeting
from organizations.models import Person
from records import history
from records.versioning import record_versions, revision
from tests.answers import assert_saved, change_form_data, change_url
from tests.factories import LOADED

CITATIONS = "citations-citation-content_type-object_id"


@pytest.fixture
def one_revision_dataset(db):
    """The ALLMEP dataset saved in a single revision, as the loader did before."""
    with revision("ALLMEP dataset: initial import"):
        loader.load()
    return Version.objects.get_for_object(Meeting.objects.get(slug="first-meeting-2004")).get().revision


@pytest.fixture
def editor_client(client, db):
    user = User.objects.create_superuser("rana", "rana@example.org", "not-used-here-1234")
    client.force_login(user)
    return client


def everything_but(*records):
    """Every row of every dataset table as stored, except the given records and the rows that belong to them."""
    excluded = set()
    for record in records:
        excluded.add((type(record), record.pk))
        for citation in Citation.objects.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        ):
            excluded.add((Citation, citation.pk))
    rows = {}
    for model in LOADED:
        everything = model._base_manager.order_by("pk").values()
        rows[model._meta.label] = [row for row in everything if (model, row["id"]) not in excluded]
    return rows


def edit(client, record, **changes):
    data = change_form_data(client.get(change_url(record)))
    data.update({name: [value] for name, value in changes.items()})
    return data


def test_the_dataset_revision_holds_many_records(one_revision_dataset):
    assert one_revision_dataset.version_set.count() > 150
    meeting = Meeting.objects.get(slug="first-meeting-2004")
    own = record_versions(Version.objects.get_for_object(meeting).get())
    assert {version._model for version in own} == {Meeting, Citation}
    assert len(own) == 1 + meeting.citations.count()


def test_reverting_one_record_leaves_every_other_record_and_citation_as_it_was(one_revision_dataset, editor_client):
    client = editor_client
    event = Event.objects.get(slug="summer-conference-2005")
    meeting = Meeting.objects.get(slug="first-meeting-2004")
    person = Person.objects.get(slug="philip-wilcox")
    oldest = Version.objects.get_for_object(meeting).get()

    # An editor improves an event, adds three citations to a person, and retitles the meeting.
    assert_saved(client.post(change_url(event), edit(client, event, description_en="An editor's description.")))
    data = change_form_data(client.get(change_url(person)))
    existing = int(data[f"{CITATIONS}-TOTAL_FORMS"][0])
    sources = list(Source.objects.order_by("pk")[:3])
    for offset, source in enumerate(sources):
        index = existing + offset
        data[f"{CITATIONS}-{index}-source"] = [str(source.pk)]
        data[f"{CITATIONS}-{index}-claim"] = ["editor-added"]
        data[f"{CITATIONS}-{index}-position"] = [str(10 + offset)]
    data[f"{CITATIONS}-TOTAL_FORMS"] = [str(existing + 3)]
    assert_saved(client.post(change_url(person), data))
    assert person.citations.filter(claim="editor-added").count() == 3
    original_title = meeting.title_en
    assert_saved(client.post(change_url(meeting), edit(client, meeting, title_en="A retitled meeting")))
    meeting_citations = sorted(meeting.citations.values_list("pk", flat=True))
    before = everything_but(meeting)
    citations_before = Citation.objects.count()

    revert_url = reverse("admin:events_meeting_revision", args=[meeting.pk, oldest.pk])
    revert_form = client.get(revert_url)
    assert everything_but(meeting) == before, "viewing the old version changes nothing"
    assert_saved(client.post(revert_url, change_form_data(revert_form)))

    meeting.refresh_from_db()
    assert meeting.title_en == original_title
    assert sorted(meeting.citations.values_list("pk", flat=True)) == meeting_citations
    assert everything_but(meeting) == before
    assert Citation.objects.count() == citations_before
    assert Event.objects.get(pk=event.pk).description_en == "An editor's description."
    assert person.citations.filter(claim="editor-added").count() == 3
    # The revert is a new version of the meeting, and of nothing else.
    latest = history.versions_for(meeting).first()
    assert latest.revision.comment.startswith("Reverted to previous version")
    assert {version._model for version in latest.revision.version_set.all()} == {Meeting, Citation}


def test_reverting_deletes_only_the_citations_added_to_that_record(one_revision_dataset, editor_client):
    client = editor_client
    meeting = Meeting.objects.get(slug="first-meeting-2004")
    other = Meeting.objects.get(slug="summit-meetings-2009")
    oldest = Version.objects.get_for_object(meeting).get()
    source = Source.objects.order_by("pk").first()
    with revision("A script adds a citation to two meetings"):
        for record in (meeting, other):
            Citation.objects.create(source=source, content_object=record, claim="later", position=99)
    before = everything_but(meeting)

    revert_url = reverse("admin:events_meeting_revision", args=[meeting.pk, oldest.pk])
    assert_saved(client.post(revert_url, change_form_data(client.get(revert_url))))

    assert not meeting.citations.filter(claim="later").exists(), "the reverted record is as it was"
    assert other.citations.filter(claim="later").exists()
    assert everything_but(meeting) == before


def test_recovering_one_record_leaves_every_other_record_and_citation_as_it_was(one_revision_dataset, editor_client):
    client = editor_client
    meeting = Meeting.objects.get(slug="more-than-30-congressional-offices")
    event = Event.objects.get(slug="summer-conference-2005")
    citations = sorted(meeting.citations.values_list("pk", "source_id", "claim"))
    pk = meeting.pk
    assert client.post(reverse("admin:events_meeting_delete", args=[pk]), {"post": "yes"}).status_code == 302
    assert_saved(client.post(change_url(event), edit(client, event, description_en="Written after the delete.")))
    before = everything_but()

    recover_list = client.get(reverse("admin:events_meeting_recoverlist"))
    [deleted] = recover_list.context["deleted"]
    recover_url = reverse("admin:events_meeting_recover", args=[deleted.pk])
    assert_saved(client.post(recover_url, change_form_data(client.get(recover_url))))

    recovered = Meeting.objects.get(pk=pk)
    assert sorted(recovered.citations.values_list("pk", "source_id", "claim")) == citations
    assert everything_but(recovered) == before
    assert Event.objects.get(pk=event.pk).description_en == "Written after the delete."
