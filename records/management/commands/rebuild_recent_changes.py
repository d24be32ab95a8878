from django.core.management.base import BaseCommand

from records import changes


class Command(BaseCommand):
    help = (
        "Write again what each public version of a record changed, for the recent changes page and its feeds "
        "(run after a restore or a bulk load that bypassed django-reversion's signals)."
    )

    def handle(self, *args, **options):
        count = changes.rebuild()
        self.stdout.write(f"Recorded {count} public changes.")
