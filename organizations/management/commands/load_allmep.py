from django.core.management.base import BaseCommand, CommandError

from organizations.dataset.loader import DATASET, DatasetError, load


class Command(BaseCommand):
    help = (
        "Load the ALLMEP dataset (organizations/dataset/allmep.toml): every record published, validated, "
        "in one transaction and one revision. Running it again saves only what changed."
    )

    def handle(self, *args, **options):
        try:
            summary = load(DATASET)
        except DatasetError as error:
            raise CommandError(f"Nothing was loaded: {error}") from None
        totals = ", ".join(f"{summary.total(outcome)} {outcome}" for outcome in ("created", "updated", "unchanged"))
        if summary.revision is None:
            self.stdout.write(f"ALLMEP dataset: {totals}. Nothing differed: no revision.")
        else:
            self.stdout.write(
                f"ALLMEP dataset: {totals}. Revision {summary.revision.pk} by {summary.revision.user}: "
                f"{summary.revision.comment}"
            )
        for label, counter in summary.counts.items():
            self.stdout.write(
                f"  {label}: {counter['created']} created, {counter['updated']} updated, "
                f"{counter['unchanged']} unchanged"
            )
