import reversion
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction

from dataset.loader import DATASET, LOADER_USERNAME, DatasetError, Outcome, load
from records import translation_status


class Command(BaseCommand):
    help = (
        "Load the ALLMEP dataset (dataset/allmep.toml): new records are created published and "
        "validated, records the loader wrote and nobody changed since are updated, and what editors changed or "
        "deleted is kept and reported. Each record gets a revision of its own; a second run saves nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--diff",
            action="store_true",
            help="Write nothing: show, record by record and field by field, where the file and the database differ "
            "and what a load would do about it.",
        )

    def handle(self, *args, diff=False, **options):
        if not diff and translation_status.untracked_history():
            # A database from before the translation status was kept: derive it from the history first.
            with transaction.atomic():
                count = translation_status.rebuild(reversion.get_registered_models())
            self.stdout.write(f"Derived the translation status from the history: {count} rows.")
        try:
            summary = load(DATASET, dry_run=diff)
        except DatasetError as error:
            raise CommandError(f"Nothing was loaded: {error}") from None
        self.stdout.write(headline(summary))
        for label, counter in summary.counts.items():
            outcomes = ", ".join(f"{counter[outcome]} {outcome}" for outcome in Outcome if counter[outcome])
            self.stdout.write(f"  {label}: {outcomes}")
        shown = (
            summary.reports
            if diff
            else [report for report in summary.reports if report.outcome in (Outcome.KEPT, Outcome.DELETED)]
        )
        for report in shown:
            self.stdout.write(describe(report))
            for difference in report.differences:
                self.stdout.write(
                    f"    {difference.name}: database {shown_value(difference.database)}, "
                    f"dataset {shown_value(difference.dataset)}"
                )


def headline(summary):
    counts = ", ".join(
        f"{summary.total(outcome)} {outcome}" for outcome in (Outcome.CREATED, Outcome.UPDATED, Outcome.UNCHANGED)
    )
    kept, deleted = summary.total(Outcome.KEPT), summary.total(Outcome.DELETED)
    if kept:
        counts += f"; kept {kept} record{'s' if kept != 1 else ''} edited since the dataset was loaded"
    if deleted:
        counts += f"; {deleted} record{'s' if deleted != 1 else ''} deleted by editors not brought back"
    if summary.dry_run:
        return f"ALLMEP dataset, dry run (nothing was written): a load would give {counts}."
    if not summary.revisions:
        return f"ALLMEP dataset: {counts}. Nothing to save: no revision."
    return f"ALLMEP dataset: {counts}. {summary.revisions} revision(s) by {LOADER_USERNAME}."


VERBS = {
    Outcome.CREATED: "would be created",
    Outcome.UPDATED: "would be updated",
    Outcome.KEPT: "kept as it is in the database",
    Outcome.DELETED: "not brought back",
}


def describe(report):
    name = report.model._meta.label
    if report.pk is not None and report.outcome is not Outcome.CREATED:  # a dry run's new keys are rolled back
        name += f" #{report.pk}"
    reason = f": {report.reason}" if report.reason else ""
    return f"- {report.label} ({name}) {VERBS[report.outcome]}{reason}"


def shown_value(value):
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, models.Model):
        return f"#{value.pk}"
    return repr(str(value) if isinstance(value, str) else value)  # a choice as it is stored
