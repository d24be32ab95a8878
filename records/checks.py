"""System checks of how the site is served, run by ``manage.py check``, ``runserver`` and ``migrate``."""

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core import checks


# Not tagged "staticfiles": collectstatic runs the checks of that tag, and must run to fix this one.
@checks.register()
def static_files_are_collected(app_configs=None, **kwargs):
    """In production (DJANGO_DEBUG=0) every page names its static files through the manifest that
    ``collectstatic`` writes; without it every page would be a 500, so refuse to start instead."""
    if not isinstance(staticfiles_storage, ManifestFilesMixin) or staticfiles_storage.read_manifest() is not None:
        return []
    return [
        checks.Error(
            f"The static files have not been collected: {staticfiles_storage.manifest_name} is missing "
            f"from {settings.STATIC_ROOT}, so every page would fail with a server error.",
            hint="Run `manage.py collectstatic --no-input` with the same settings (DJANGO_DEBUG=0), "
            "then start the site again.",
            id="records.E001",
        )
    ]
