"""Settings for the test suite: the project's own, with test-only speed-ups."""

from allmep.settings import *  # noqa: F403
from allmep.settings import STORAGES

# Tests render templates without running collectstatic first.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Serve static files from the app folders as runserver does; no collectstatic in tests.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# The test client and the live server speak plain HTTP; tests/test_security.py checks the
# production settings (HTTPS redirect, HSTS) with `check --deploy` in a subprocess.
SECURE_SSL_REDIRECT = False
