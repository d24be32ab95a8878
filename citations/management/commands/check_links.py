"""Check sources' links and find archived copies: run from cron, e.g. daily.

manage.py check_links                   # sources not checked in the last 20 hours
manage.py check_links --limit 200       # the 200 least recently checked
manage.py check_links --source some-key --source other-key
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db.models import F, Q
from django.utils import timezone

from citations.linkcheck import LinkChecker, config
from citations.models import LinkStatus, Source


class Command(BaseCommand):
    help = "Check sources' URLs, record each check, mark links dead or live, and look up Wayback copies."

    def add_arguments(self, parser):
        parser.add_argument("--source", action="append", default=[], metavar="KEY", help="Only this source (repeat).")
        parser.add_argument("--limit", type=int, help="At most this many sources, least recently checked first.")
        parser.add_argument(
            "--stale-hours",
            type=float,
            default=20,
            help="Skip sources checked more recently than this (default %(default)s; 0 checks all).",
        )
        parser.add_argument("--status", choices=LinkStatus.values, help="Only sources with this link status.")
        parser.add_argument(
            "--concurrency",
            type=int,
            help=f"Parallel checks (default {config()['CONCURRENCY']}, set by LINKCHECK_CONCURRENCY).",
        )
        parser.add_argument("--no-archive", action="store_true", help="Do not look up archived copies.")

    def handle(self, *args, **options):
        sources = Source.objects.exclude(url="").with_link_health()
        if options["source"]:
            sources = sources.filter(key__in=options["source"])
            missing = set(options["source"]) - set(sources.values_list("key", flat=True))
            if missing:
                raise CommandError(f"No source with a URL has the key: {', '.join(sorted(missing))}")
        elif options["stale_hours"] > 0:
            since = timezone.now() - timedelta(hours=options["stale_hours"])
            sources = sources.filter(Q(link_last_checked_at__isnull=True) | Q(link_last_checked_at__lt=since))
        if options["status"]:
            sources = sources.filter(link_status=options["status"])
        sources = sources.order_by(F("link_last_checked_at").asc(nulls_first=True), "pk")
        if options["limit"]:
            sources = sources[: options["limit"]]

        checker = LinkChecker(config(), archive=False if options["no_archive"] else None)
        counts = checker.check(sources, concurrency=options["concurrency"])
        summary = ", ".join(f"{name}: {count}" for name, count in sorted(counts.items())) or "nothing to check"
        self.stdout.write(summary)
