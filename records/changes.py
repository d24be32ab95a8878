"""Recent changes: what each public version of a record changed, kept in a table of their own.

Every version saved while its record was published (what the record's public history lists,
``history.public_versions``) gets a :class:`records.models.Change` row when its revision is
saved: the version before it in that history, the columns that differ (``history.changed_fields``,
the diff's own comparison, without reading anything they name) and the languages of the
translated ones, and how many citations changed. The recent changes page and the feeds read
that table only, so filtering by kind and language and counting pages are queries, and a page
costs the same however many changes it shows.

Whether readers see a row is decided when it is read (:func:`public_changes`): its record must be
published now, and so must the record it is shown within. The kinds come from the registry
(``records.kinds``: those with ``history``).

``manage.py rebuild_recent_changes`` writes the whole table again from the versions (after a
restore, or a bulk load that saved versions without django-reversion's signal).
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from reversion.models import Version
from reversion.signals import post_revision_commit

from . import caching, history, kinds
from .models import Change

# Versions written per query by a rebuild.
BATCH = 500


def change_of(version, previous):
    """The unsaved Change row of ``version`` (a public version), compared with ``previous`` (the
    public version before it, or None)."""
    model = version._model
    old = previous.field_dict if previous is not None else {}
    columns = history.changed_fields(model, old, version.field_dict)
    citations, citation_columns = history.changed_citation_columns(previous, version)
    languages = {history.field_language(column) for column in [*columns, *citation_columns]} - {""}
    return Change(
        version=version,
        previous=previous,
        content_type_id=version.content_type_id,
        object_id=version.object_id,
        date=version.revision.date_created,
        columns=[column.name for column in columns],
        languages=" " + "".join(f"{code} " for code in sorted(languages)),
        citations=citations,
    )


def history_models():
    return {kind.model for kind in kinds.all_kinds() if kind.history}


def previous_public(version):
    """The newest public version of the same record saved before ``version``, or None."""
    date = version.revision.date_created
    earlier = (
        Version.objects.filter(content_type_id=version.content_type_id, object_id=version.object_id, db=version.db)
        .filter(Q(revision__date_created__lt=date) | Q(revision__date_created=date, pk__lt=version.pk))
        .select_related("revision")
        .order_by("-revision__date_created", "-pk")
    )
    return next((candidate for candidate in earlier.iterator(chunk_size=20) if history.was_published(candidate)), None)


def record_revision(sender, revision, versions, **kwargs):
    """Write the Change rows of a revision just saved (django-reversion's post_revision_commit)."""
    models = history_models()
    rows = []
    for version in versions:
        if version.pk is None or version._model not in models or not history.was_published(version):
            continue
        version.revision = revision
        rows.append(change_of(version, previous_public(version)))
    if rows:
        Change.objects.using(revision._state.db).bulk_create(rows, ignore_conflicts=True)


def connect():
    post_revision_commit.connect(record_revision, dispatch_uid="records.changes")


def rebuild():
    """Write every Change row again from the stored versions; returns how many there are."""
    content_types = ContentType.objects.get_for_models(*history_models()).values()
    with transaction.atomic():
        Change.objects.all().delete()
        versions = (
            Version.objects.filter(content_type__in=content_types)
            .select_related("revision", "content_type")
            .order_by("content_type_id", "object_id", "revision__date_created", "pk")
        )
        rows, record, previous = [], None, None
        for version in versions.iterator(chunk_size=BATCH):
            if (version.content_type_id, version.object_id) != record:
                record, previous = (version.content_type_id, version.object_id), None
            if not history.was_published(version):
                continue
            rows.append(change_of(version, previous))
            previous = version
            if len(rows) >= BATCH:
                Change.objects.bulk_create(rows)
                rows = []
        Change.objects.bulk_create(rows)
        # Pages listing changes were stored under the content stamp: none of them is current now.
        caching.bump()
    return Change.objects.count()


def kind_choices():
    """The kinds readers may filter changes by: ``(label, kind)``, in the registry's order."""
    return [(kind.label, kind) for kind in kinds.all_kinds() if kind.history]


def published_records(kind):
    """Condition on Change rows: of a record of ``kind`` that readers may read now."""
    keys = (
        kind.model.objects.published()
        .filter(**kind.published_within())
        .annotate(change_key=Cast("pk", CharField()))
        .values("change_key")
    )
    return Q(content_type=ContentType.objects.get_for_model(kind.model), object_id__in=keys)


def public_changes(kind=None, language=None):
    """The Change rows readers may see, newest first: of published records of the kinds with a
    public history (or of ``kind`` only), changing a column in ``language`` if given."""
    conditions = [published_records(each) for _label, each in kind_choices() if kind is None or each is kind]
    condition = Q()
    for each in conditions:
        condition |= each
    changes = Change.objects.filter(condition) if conditions else Change.objects.none()
    if language:
        changes = changes.filter(languages__contains=f" {language} ")
    return changes.order_by("-date", "-version_id")


def of_record(record):
    """The Change rows of ``record``, newest first (its public history: the caller checks that
    the record is published)."""
    return Change.objects.filter(
        content_type=ContentType.objects.get_for_model(type(record)), object_id=str(record.pk)
    ).order_by("-date", "-version_id")


def summary(change):
    """What ``change`` changed: ``history.ChangedField`` per field, in the model's order."""
    model = ContentType.objects.get_for_id(change.content_type_id).model_class()
    return history.summarize(model, change.columns) if model is not None else []
