"""Factbase settings: one module, driven by the environment (see .env.example)."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# FACTBASE_ENV=production turns on every production safeguard; anything else is development.
ENVIRONMENT = os.environ.get("FACTBASE_ENV", "development")
PRODUCTION = ENVIRONMENT == "production"

# DEBUG is off unless DEBUG=1 is set, and production refuses it: debug pages show settings
# and stack traces to anyone.
DEBUG = env_bool("DEBUG", default=False)
if DEBUG and PRODUCTION:
    raise ImproperlyConfigured("DEBUG=1 is refused when FACTBASE_ENV=production.")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when FACTBASE_ENV=production.")
    # Development only: a fixed, obviously non-secret key so sessions survive restarts.
    SECRET_KEY = "dev-insecure-key-not-for-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "factbase",
    "api",
]

MIDDLEWARE = [
    # First, so that it counts and times every answer, the other middleware's refusals too.
    "factbase.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Refuses oversized bodies (413) and overlong `q` (400) before anything reads them.
    "factbase.middleware.RequestLimitsMiddleware",
    # Serves the admin's and API docs' static files from the app itself, in development and
    # production alike: no CDN, no separate web server needed.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Django's, with the storage made on first use (the admin's messages; the API has none).
    "factbase.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last but one, so its process_exception sees a view's database errors first: 503, not 500.
    "factbase.middleware.DatabaseUnavailableMiddleware",
    # Read replicas (does nothing without DATABASE_REPLICA_URLS). After the one above, so that
    # a read whose replica failed is answered again from the primary before it becomes a 503.
    "factbase.replicas.ReadReplicaMiddleware",
]

ROOT_URLCONF = "factbase.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "factbase.wsgi.application"

# SQLite is the zero-set-up default; DATABASE_URL=postgres://… selects PostgreSQL.
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Persistent connections, as for PostgreSQL (CONN_MAX_AGE, 60 s): opening a SQLite
    # connection (PRAGMAs, Django's SQL functions) costs about 1.5 ms of CPU, which a new
    # connection per request would pay on every request. Django keeps one connection per
    # thread (a gunicorn gthread worker holds at most THREADS of them; runserver's threads
    # end with their request, and their connection with them) and drops one that a request
    # left inside a transaction; WAL keeps readers and the writer out of each other's way.
    # SQLITE_CONN_MAX_AGE=0 opens one per request.
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("SQLITE_CONN_MAX_AGE", DATABASES["default"]["CONN_MAX_AGE"])
    DATABASES["default"].setdefault("OPTIONS", {})
    # WAL lets readers proceed while a writer commits; IMMEDIATE avoids "database is locked"
    # upgrades from read to write transactions under concurrent requests. A 16 MiB page
    # cache per connection (SQLite's default is 2 MiB) keeps the index pages a large
    # database's pages walk most in memory: at a million claims the date-range page's ids
    # statement took 3.0 ms with the default and 2.5 ms with this.
    cache_kib = env_int("SQLITE_CACHE_KIB", 16384)
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": f"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-{cache_kib};",
        }
    )

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The compiled reads (api/projections/compiler.py) bind their parameters on the server,
    # and psycopg prepares each of their statements on its first use on a connection: a page
    # of claims joins seven tables, which PostgreSQL took 6-16 ms to plan for 1 ms of work at
    # a million claims. Every other statement keeps Django's client-side binding and is never
    # prepared. PG_PREPARED_STATEMENTS=0 turns this off, for a connection pooler that cannot
    # keep prepared statements (PgBouncer in transaction mode before 1.21).
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 0 if env_bool("PG_PREPARED_STATEMENTS", True) else None

# Read replicas (docs/operations.md, "Read replicas"): DATABASE_REPLICA_URLS, comma-separated
# PostgreSQL URLs of streaming replicas of DATABASE_URL, become the aliases replica-1,
# replica-2…; factbase/db_router.py sends reads there (factbase/replicas.py says when) and
# every write and migration to the primary. Unset, there is no router and nothing changes.
DATABASE_REPLICA_URLS = env_list("DATABASE_REPLICA_URLS", [])
# Seconds a client that wrote keeps reading from the primary (read-your-writes). At least
# FACTBASE_REPLICA_MAX_LAG + FACTBASE_REPLICA_CHECK_SECONDS, or a client could read a replica
# that is not yet that far: `manage.py check` warns (factbase.W001).
FACTBASE_READ_YOUR_WRITES_SECONDS = env_int("FACTBASE_READ_YOUR_WRITES_SECONDS", 10)
# Seconds behind the primary past which a replica is skipped.
FACTBASE_REPLICA_MAX_LAG = env_int("FACTBASE_REPLICA_MAX_LAG", 5)
# Seconds each process trusts its last check of a replica (reachable, how far behind).
FACTBASE_REPLICA_CHECK_SECONDS = env_int("FACTBASE_REPLICA_CHECK_SECONDS", 1)
# Seconds a connection attempt to a replica waits (libpq counts at least 2).
FACTBASE_REPLICA_CONNECT_TIMEOUT = env_int("FACTBASE_REPLICA_CONNECT_TIMEOUT", 2)
for _number, _url in enumerate(DATABASE_REPLICA_URLS, start=1):
    _replica = dj_database_url.parse(_url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"])
    if _replica["ENGINE"] != "django.db.backends.postgresql" or DATABASES["default"]["ENGINE"] != _replica["ENGINE"]:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URLS takes PostgreSQL streaming replicas of a PostgreSQL DATABASE_URL; "
            f"replica {_number} is {_replica['ENGINE'].rsplit('.', 1)[-1]} and the primary "
            f"{DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}."
        )
    _replica["OPTIONS"] = {
        **_replica.get("OPTIONS", {}),
        "prepare_threshold": DATABASES["default"]["OPTIONS"]["prepare_threshold"],
        "connect_timeout": max(2, FACTBASE_REPLICA_CONNECT_TIMEOUT),
    }
    # Under test, a replica is the test database itself (no second test database to create).
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica-{_number}"] = _replica
if DATABASE_REPLICA_URLS:
    DATABASE_ROUTERS = ["factbase.db_router.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Without collectstatic (development, tests) WhiteNoise finds files through the finders.
WHITENOISE_USE_FINDERS = True

REST_FRAMEWORK = {
    # Every view asks factbase/permissions.py (api/permissions.py); routes that touch no model say AllowAny.
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.Declared"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    # The API's conventions for OpenAPI (request/response serializers, documented errors).
    "DEFAULT_SCHEMA_CLASS": "api.schema.FactbaseAutoSchema",
    # JSON errors with field-level messages; domain errors mapped to 400/403/409 (api/exceptions.py).
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # JSON first (the default); every endpoint also answers CSV with ?format=csv or
    # Accept: text/csv (api/renderers.py flattens nested fields, one row per result).
    "DEFAULT_RENDERER_CLASSES": [
        # DRF's JSONRenderer output, encoded by orjson (api/renderers.py).
        "api.renderers.FastJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
        "api.renderers.CSVRenderer",
    ],
    # Separate rates for anonymous and signed-in clients (FACTBASE_THROTTLE_ANON/_USER below).
    "DEFAULT_THROTTLE_CLASSES": ["api.throttles.AnonymousThrottle", "api.throttles.UserThrottle"],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Factbase API",
    "DESCRIPTION": "Curated facts from news, each claim anchored to the exact words of its source.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc assets come from drf-spectacular-sidecar: no CDN, works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No validator badge: Swagger UI would fetch it from validator.swagger.io.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "persistAuthorization": True, "validatorUrl": None},
    # Request bodies (write serializers) and responses are separate components.
    "COMPONENT_SPLIT_REQUEST": True,
    # One schema component per vocabulary, named after it (not after whichever field met it first).
    "ENUM_NAME_OVERRIDES": {
        f"{name}Enum": f"factbase.enums.{name}"
        for name in (
            "AliasKind",
            "AnchorStatus",
            "AttributionMode",
            "ClaimStatus",
            "Confidence",
            "ContradictionKind",
            "DatePrecision",
            "EntityKind",
            "EventStatus",
            "EventType",
            "IdentifierScheme",
            "Modality",
            "OrganisationType",
            "ParticipantRole",
            "Rank",
            "Polarity",
            "JobKind",
            "JobStatus",
        )
    },
}

# Limits (docs/operations.md, "Limits and throttles"). Bodies over the cap get 413 before any parsing.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("FACTBASE_MAX_BODY_BYTES", 8 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
FACTBASE_MAX_QUERY_LENGTH = env_int("FACTBASE_MAX_QUERY_LENGTH", 200)
# Write-side limits of the data model (factbase/limits.py): rows one object may hold in each
# collection its representation embeds.
FACTBASE_MAX_ALIASES_PER_ENTITY = env_int("FACTBASE_MAX_ALIASES_PER_ENTITY", 100)
FACTBASE_MAX_IDENTIFIERS_PER_ENTITY = env_int("FACTBASE_MAX_IDENTIFIERS_PER_ENTITY", 50)
FACTBASE_MAX_ROLES_PER_PERSON = env_int("FACTBASE_MAX_ROLES_PER_PERSON", 200)
FACTBASE_MAX_PARTICIPANTS_PER_EVENT = env_int("FACTBASE_MAX_PARTICIPANTS_PER_EVENT", 200)
FACTBASE_MAX_SPANS_PER_DOCUMENT = env_int("FACTBASE_MAX_SPANS_PER_DOCUMENT", 1000)
FACTBASE_MAX_MENTIONS_PER_DOCUMENT = env_int("FACTBASE_MAX_MENTIONS_PER_DOCUMENT", 1000)
FACTBASE_MAX_SPANS_PER_CLAIM = env_int("FACTBASE_MAX_SPANS_PER_CLAIM", 50)
FACTBASE_MAX_DOCUMENT_BYTES = env_int("FACTBASE_MAX_DOCUMENT_BYTES", 2 * 1024 * 1024)
# Days the change feed (GET /api/v1/changes/) keeps a change: `manage.py prune_changes`
# deletes older ones, and a cursor older than that is answered 410 (docs/operations.md).
FACTBASE_CHANGES_RETENTION_DAYS = env_int("FACTBASE_CHANGES_RETENTION_DAYS", 90)
# Seconds a client is told to wait (Retry-After) when the database is unreachable.
FACTBASE_DB_RETRY_AFTER = env_int("FACTBASE_DB_RETRY_AFTER", 5)
# API throttles, as DRF rates ("120/minute"); "off" disables. Production throttles by
# default; development, tests and benchmarks do not unless asked.
FACTBASE_THROTTLE_ANON = os.environ.get("FACTBASE_THROTTLE_ANON", "300/minute" if PRODUCTION else "off")
FACTBASE_THROTTLE_USER = os.environ.get("FACTBASE_THROTTLE_USER", "3000/minute" if PRODUCTION else "off")

# The shared cache (docs/operations.md, "Shared cache"). REDIS_URL=redis://host:6379/0 makes
# Django's default cache Redis, shared by every worker and server: the API throttles count
# exactly across them, and the hot reads (entity details, the predicate list) are kept once.
# Without it each process has its own local-memory cache and nothing needs Redis. Redis
# unreachable makes requests slower, never failing (factbase/cache.py): the timeouts below
# bound what one attempt costs, and after a failure Redis is left alone for
# REDIS_RETRY_SECONDS.
REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_CONNECT_TIMEOUT_MS = env_int("REDIS_CONNECT_TIMEOUT_MS", 200)
REDIS_TIMEOUT_MS = env_int("REDIS_TIMEOUT_MS", 300)
REDIS_RETRY_SECONDS = env_int("REDIS_RETRY_SECONDS", 5)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "factbase.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            # Several deployments (or test runs) may share one Redis: each keeps to its prefix.
            "KEY_PREFIX": os.environ.get("REDIS_KEY_PREFIX", "factbase"),
            "OPTIONS": {
                "socket_connect_timeout": REDIS_CONNECT_TIMEOUT_MS / 1000,
                "socket_timeout": REDIS_TIMEOUT_MS / 1000,
                "retry_seconds": REDIS_RETRY_SECONDS,
            },
        }
    }
# Entity details and the predicate list answered from the cache, under a version the
# database's triggers keep (api/read_cache.py): on with a shared cache; FACTBASE_READ_CACHE=1
# turns it on with the local-memory one too (each worker then keeps its own copies).
FACTBASE_READ_CACHE = env_bool("FACTBASE_READ_CACHE", default=bool(REDIS_URL))
# Seconds a cached answer is kept (a newer version replaces it at once; this only bounds memory).
FACTBASE_READ_CACHE_SECONDS = env_int("FACTBASE_READ_CACHE_SECONDS", 600)

# The operators' endpoints (docs/operations.md, "Health and metrics"). In production
# /metrics, and the detail of /readyz, answer only `Authorization: Bearer <this token>` or
# a signed-in staff user; empty means staff only.
FACTBASE_METRICS_TOKEN = os.environ.get("FACTBASE_METRICS_TOKEN", "")
# Seconds /readyz waits for each database connection (PostgreSQL counts at least 2) or
# broker connection before reporting it failed.
FACTBASE_READYZ_TIMEOUT = env_int("FACTBASE_READYZ_TIMEOUT", 2)

# The task queue (docs/operations.md, "Jobs"). CELERY_BROKER_URL (redis://127.0.0.1:6379/0,
# amqp://guest:guest@127.0.0.1:5672//) sends jobs to Celery workers
# (`.venv/bin/celery -A factbase worker`); unset, a job runs in-process, synchronously, in
# the request that started it. The Job table holds status and progress: no result backend.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_IGNORE_RESULT = True
# The queue the jobs go to and the workers read (`celery -A factbase worker` reads this one):
# a different name per deployment lets several share one broker.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("FACTBASE_JOB_QUEUE", "factbase")
# Redis redelivers a message no worker acknowledged within this many seconds: longer than
# the longest job, or a job still running would be started again by another worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("FACTBASE_JOB_VISIBILITY_TIMEOUT", 6 * 3600)}
# A job's message is acknowledged when it has run, not when a worker takes it: a worker lost
# mid-job (killed, out of memory) leaves the message to be delivered again, and the job
# runner (factbase/services/jobs.py) runs that job again from the start; every kind is
# idempotent. One message at a time per worker process, so a long job holds up no other.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Seconds a web process waits to reach the broker when it sends a job (tried three times;
# then the job is failed and the request answered 503).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Seconds between two writes of a running job's progress (the last is always written).
FACTBASE_JOB_PROGRESS_SECONDS = float(os.environ.get("FACTBASE_JOB_PROGRESS_SECONDS", "0.5"))
# A revision of a document with more spans and mentions than this is re-anchored by a job
# (POST documents/{id}/revise/ answers 202 and the job); with as many or fewer, in the
# request, as always (201 and the report).
FACTBASE_REANCHOR_INLINE_MAX = env_int("FACTBASE_REANCHOR_INLINE_MAX", 500)
# An import (POST /api/v1/imports/) of more lines than this runs as a job (202 and the job);
# with as many or fewer, in the request (its report).
FACTBASE_IMPORT_INLINE_MAX = env_int("FACTBASE_IMPORT_INLINE_MAX", 1000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    if not SECURE_SSL_REDIRECT:
        # Asked for explicitly: the HTTPS proxy in front redirects plain HTTP itself.
        SILENCED_SYSTEM_CHECKS = ["security.W008"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Probes and Prometheus reach gunicorn directly, over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
