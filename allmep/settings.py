"""Settings for the ALLMEP record.

Everything that differs between a laptop and production comes from the environment;
with nothing set, the site runs on the embedded SQLite database in debug mode.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def is_true(value):
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_bool(name, default=False):
    return is_true(os.environ.get(name, str(default)))


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_options(**variables):
    """The options whose environment variable is set, as {option: convert(value)}; ``variables``
    maps each option to (variable, convert). The app that reads the options holds their defaults."""
    return {option: convert(os.environ[name]) for option, (name, convert) in variables.items() if name in os.environ}


DEBUG = env_bool("DJANGO_DEBUG", default=False)


def local_secret_key():
    """A key made once per checkout for local runs; production sets DJANGO_SECRET_KEY."""
    from django.core.management.utils import get_random_secret_key

    path = BASE_DIR / "local" / "secret_key"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        path.write_text(get_random_secret_key())
    return path.read_text().strip()


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or local_secret_key()

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # modeltranslation adds its language columns in its ready(); it must come before the
    # admin, and before our apps, which register their models with reversion in their own
    # ready() once those columns exist.
    "modeltranslation",
    "records",
    # The content apps in the order readers and editors meet their kinds of record: the
    # registry (records.kinds) keeps it for the sitemap, the admin index and prose links.
    "organizations",
    "events",
    "citations",
    "search",
    "exports",
    "api",
    "dataset",
    "allmep.apps.SiteConfig",  # the site: history pages, SEO, sitemap, health, local_admin
    "allmep.apps.StaffAdminConfig",  # django.contrib.admin with our site (records.admin_site)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_countries",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "reversion",
    "drf_spectacular_sidecar",  # Swagger UI's files, served from our own static files
    "import_export",  # staff imports (records.importing)
    "csp",  # Content-Security-Policy (see SECURITY below)
    "allmep.apps.AxesConfig",  # django-axes, named for the admin
]

MIDDLEWARE = [
    # /healthz answers the orchestrator before anything else runs (see RELIABILITY below).
    "allmep.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy headers (see SECURITY below).
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Conditional GET for reader pages (ETag/Last-Modified, 304); needs request.user.
    "records.caching.ReaderPagesMiddleware",
    # Memento: record pages are their own TimeGates (Accept-Datetime), after the page cache so the
    # pages it keeps and its 304s carry the Memento headers.
    "allmep.memento.MementoMiddleware",
    # Linked data: record pages answer Accept with the record as RDF too (Vary: Accept), inside
    # the page cache, which keeps each representation apart.
    "allmep.linked_data.LinkedDataMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Admin login throttling (see SECURITY below); last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "allmep.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "allmep.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so two concurrent admin saves
    # are serialised and the edit-conflict check cannot be raced (PostgreSQL uses row locks).
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Arabic first (the default and the record's own language), then English and Hebrew.
LANGUAGE_CODE = "ar"
LANGUAGES = [
    ("ar", _("Arabic")),
    ("en", _("English")),
    ("he", _("Hebrew")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["allmep.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# modeltranslation: Arabic is the default column; a missing translation falls back to the
# closest reader language rather than to an empty string.
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
MODELTRANSLATION_LANGUAGES = tuple(code for code, _name in LANGUAGES)
MODELTRANSLATION_FALLBACK_LANGUAGES = {
    "default": ("ar", "en"),
    "ar": ("en",),
    "en": ("ar",),
    "he": ("en", "ar"),
}

STATIC_URL = "static/"
# Where `manage.py collectstatic` writes the static files, which whitenoise serves when DEBUG is off.
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

LOGIN_URL = "admin:login"

# Licence of the content, credited on every page, export and data package.
CONTENT_LICENSE = {
    "name": "CC-BY-SA-4.0",
    "title": "Creative Commons Attribution-ShareAlike 4.0 International",
    "path": "https://creativecommons.org/licenses/by-sa/4.0/",
}

# Logs go to stderr as JSON lines (allmep.logs: time, level, logger, message, request path,
# method, status and user id, exception type and traceback); DJANGO_LOG_FORMAT=text for plain
# lines. Django's own loggers (django.request: every 5xx with its traceback, 4xx as warnings)
# pass their records to the root handler and print nothing themselves, so each is logged once.
LOG_LEVEL = os.environ.get("DJANGO_LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "allmep.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": os.environ.get("DJANGO_LOG_FORMAT", "json")}
    },
    "loggers": {
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.request": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        # WeasyPrint (PDF downloads, exports.pdf) warns about every screen-only rule of site.css it
        # skips (media queries, SVG properties) on every page it prints: only its errors are news.
        "weasyprint": {"handlers": [], "level": "ERROR", "propagate": True},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

# Link checking of sources (citations.linkcheck, `manage.py check_links` from cron). Every option
# and its default is in citations.linkcheck.DEFAULTS; here only what the environment sets.
LINKCHECK = env_options(
    CONCURRENCY=("LINKCHECK_CONCURRENCY", int),
    PER_HOST_INTERVAL=("LINKCHECK_PER_HOST_INTERVAL", float),  # seconds
    CHECK_ON_SAVE=("LINKCHECK_ON_SAVE", is_true),
)

# Wayback Machine (citations.archives): snapshot lookups are on; Save Page Now needs keys. Every
# option and its default is in citations.archives.DEFAULTS; here only what the environment sets.
WAYBACK = env_options(
    AVAILABILITY_URL=("WAYBACK_AVAILABILITY_URL", str),
    SAVE_URL=("WAYBACK_SAVE_URL", str),
    SAVE_ENABLED=("WAYBACK_SAVE_ENABLED", is_true),
    ACCESS_KEY=("WAYBACK_ACCESS_KEY", str),
    SECRET_KEY=("WAYBACK_SECRET_KEY", str),
)

# Read-only API (api/) and its OpenAPI description at /api/schema/.
REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "api.schema.RecordAutoSchema",
    "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
    "DEFAULT_VERSIONING_CLASS": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ALLMEP record API",
    "DESCRIPTION": (
        "Read-only access to the published record of the Alliance for Middle East Peace. "
        "Content: CC BY-SA 4.0, based on the Arabic Wikipedia article on the coalition."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/",
    "COMPONENT_SPLIT_REQUEST": False,
    # The docs page (/api/docs/) serves Swagger UI from our own static files, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# Staff imports (records.importing) need the permission to add records of that kind.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
# Absolute links in exports written outside a request (manage.py export_datapackage).
SITE_URL = os.environ.get("DJANGO_SITE_URL", "").rstrip("/")

# ==== SECURITY ==========================================================================
# HTTPS, cookies, security headers, Content-Security-Policy and admin login throttling.
# Production defaults; DJANGO_HTTPS=0 (the default only with DJANGO_DEBUG=1, as bin/serve
# runs) serves plain http://127.0.0.1 without redirect, secure cookies or HSTS.
HTTPS = env_bool("DJANGO_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
# Behind a proxy that terminates TLS and always sets this header itself, e.g.
# DJANGO_SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https" (never trust it otherwise).
if env_list("DJANGO_SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = tuple(env_list("DJANGO_SECURE_PROXY_SSL_HEADER"))
# HSTS: a year by default; subdomains and the browsers' preload list can be turned off.
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Permissions-Policy (django-permissions-policy): no page needs these browser features; the
# admin's "copy marker" button writes to the clipboard from this site only.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "usb": [],
    "clipboard-read": [],
    "clipboard-write": ["self"],
}

# Content-Security-Policy (django-csp 4): no inline script or style anywhere. JSON-LD blocks are
# data, not scripts, so they need nothing. The API docs page (Swagger UI) marks its own inline
# script and style with the request's nonce; the nonce joins the header only on pages that use it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Admin login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for one username
# from one address, that pair is refused (429) for the cool-off time; a success resets the count.
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("DJANGO_LOGIN_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_COOLOFF_MESSAGE = _("Too many failed logins for this account from your address. Try again later.")
# Behind proxies, the client address is read from X-Forwarded-For: set the number of proxies
# that append to it after the client (django-ipware's proxy_count; 0 behind one nginx).
if os.environ.get("DJANGO_FORWARDED_PROXY_COUNT"):
    AXES_IPWARE_PROXY_COUNT = int(os.environ["DJANGO_FORWARDED_PROXY_COUNT"])
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# ==== end of SECURITY ===================================================================

# ==== CACHES ============================================================================
# "pages" keeps anonymous readers' pages (records.caching), keyed by the content stamp, so an
# edit makes every stored page unreachable at once; "default" is Django's. Process memory by
# default (each gunicorn worker its own); with CACHE_URL (or REDIS_URL), e.g.
# redis://redis:6379/0, Redis, shared by every worker and host. DJANGO_PAGE_CACHE_SECONDS bounds
# how long an unreachable entry lingers (0 stores nothing). DJANGO_PAGE_STAMP_SECONDS: how long
# a process trusts its last reading of the content stamp, so 304s and stored pages need no query;
# other workers see an edit within that time (0: read it on every request).
# DJANGO_PAGE_CACHE_MAX_BYTES bounds the pages each worker keeps in its own memory ("pages", or
# "pages-local" in front of Redis; Redis itself is bounded by its own maxmemory): past it, the
# least recently used pages are dropped (records.bounded_cache). Every query string is a page of
# its own, so without a bound in bytes, cache-busting addresses fill MAX_ENTRIES times the page.
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL") or ""
PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "600"))
PAGE_CACHE_MAX_BYTES = int(os.environ.get("DJANGO_PAGE_CACHE_MAX_BYTES", str(32 * 1024 * 1024)))
PAGE_STAMP_SECONDS = float(os.environ.get("DJANGO_PAGE_STAMP_SECONDS", "1"))
worker_pages = {
    "BACKEND": "records.bounded_cache.BoundedMemoryCache",
    "OPTIONS": {"MAX_ENTRIES": 500, "MAX_BYTES": PAGE_CACHE_MAX_BYTES},
    "TIMEOUT": PAGE_CACHE_SECONDS,
}
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("CACHE_URL must be a Redis URL (redis://, rediss:// or unix://).")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "allmep-default",
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "allmep-pages",
            "TIMEOUT": PAGE_CACHE_SECONDS,
        },
        # Each worker also keeps the pages it serves in its own memory, in front of Redis: a hit
        # there costs no network round trip, and pages are keyed by the content stamp, so none is
        # outdated.
        "pages-local": {**worker_pages, "LOCATION": "allmep-pages-local"},
    }
else:
    # Per worker; a page is some 5 to 50 kB.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "allmep-default",
            "OPTIONS": {"MAX_ENTRIES": 500},
        },
        "pages": {**worker_pages, "LOCATION": "allmep-pages"},
    }
# ==== end of CACHES =====================================================================

# ==== RELIABILITY =======================================================================
# Database outages (allmep.health): readers get a 503 page telling them to retry after
# RETRY_AFTER seconds; /healthz answers the orchestrator first of all middleware. Backups
# (manage.py backup / restore) run these PostgreSQL client tools, of the server's major version.
RELIABILITY = {
    "RETRY_AFTER": int(os.environ.get("DJANGO_RETRY_AFTER", "30")),
    "PG_DUMP": os.environ.get("PG_DUMP", "pg_dump"),
    "PG_RESTORE": os.environ.get("PG_RESTORE", "pg_restore"),
}
# ==== end of RELIABILITY ================================================================
