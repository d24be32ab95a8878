"""Settings for the test suite: the project's own, with test-only speed-ups."""

from allmep.settings import *  # noqa: F403
from allmep.settings import CACHES, LINKCHECK, STORAGES

# Tests render templates without running collectstatic first.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Serve static files from the app folders as runserver does; no collectstatic in tests.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# The test client and the live server speak plain HTTP; tests/site/test_security.py checks the
# production settings (HTTPS redirect, HSTS) with `check --deploy` in a subprocess.
SECURE_SSL_REDIRECT = False
# Anonymous pages are not kept between requests in the suite: tests that fill tables with
# bulk_create (no signal, so no stamp change) would otherwise read a stored page.
# tests/site/test_page_cache.py turns the page cache on with a real backend.
CACHES = {**CACHES, "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
# Every request reads the content stamp (tests/site/test_page_cache.py checks the per-process reading).
PAGE_STAMP_SECONDS = 0
# A save that adds a source's URL checks it in a background thread once the transaction commits:
# tests on a live server (transactional) would send it to the internet. Tests of it turn it on
# and answer from a local server (tests/citations/test_robust_links.py).
LINKCHECK = {**LINKCHECK, "CHECK_ON_SAVE": False}
