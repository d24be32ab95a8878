from django.core.management.base import BaseCommand
from django.db import transaction

from citations import references


class Command(BaseCommand):
    help = "Rebuild the table of {{ref|key}} markers in prose from every record (run after a bulk import)."

    def handle(self, *args, **options):
        with transaction.atomic():
            count = references.rebuild()
        self.stdout.write(f"Wrote {count} prose references.")
