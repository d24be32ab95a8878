import zipfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from exports import datapackage


class Command(BaseCommand):
    help = "Write the published record as a Frictionless Data Package (a zip, or a folder for a path without .zip)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Where to write: file.zip, or a directory.")
        parser.add_argument(
            "--base-url",
            default=settings.SITE_URL,
            help="Site address for permalinks, e.g. https://example.org (default: DJANGO_SITE_URL).",
        )

    def handle(self, path, base_url, **options):
        target = Path(path)
        base_url = (base_url or "").rstrip("/")
        if target.suffix == ".zip":
            with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                datapackage.write(archive, base_url)
        else:
            target.mkdir(parents=True, exist_ok=True)
            with zipfile.ZipFile(target / "package.zip", "w") as archive:
                datapackage.write(archive, base_url)
            with zipfile.ZipFile(target / "package.zip") as archive:
                archive.extractall(target)
            (target / "package.zip").unlink()
        self.stdout.write(self.style.SUCCESS(f"Data package written to {target}"))
