"""Settings of the benchmark server (bench/run.py): production's, plus the bench URLconf.

Only bench/run.py uses this module. Everything else comes from the environment, as in production
(DATABASE_URL, DJANGO_SECRET_KEY, DJANGO_DEBUG=0); static files are collected into a temporary
BENCH_STATIC_ROOT and served by whitenoise.
"""

import os

from allmep.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
