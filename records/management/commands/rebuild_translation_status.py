import reversion
from django.core.management.base import BaseCommand
from django.db import transaction

from records import translation_status


class Command(BaseCommand):
    help = (
        "Rebuild the translation status of every record (when each language of each translated field last "
        "changed, and whether it is in step) from the whole revision history."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            count = translation_status.rebuild(reversion.get_registered_models())
        self.stdout.write(f"Wrote {count} translation states.")
