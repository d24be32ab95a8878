from django.core.management.base import BaseCommand
from django.db import transaction

from search import indexing


class Command(BaseCommand):
    help = "Rebuild the search index from the published records (run after a bulk import or a deploy)."

    def handle(self, *args, **options):
        with transaction.atomic():
            count = indexing.rebuild()
        self.stdout.write(f"Indexed {count} search documents.")
