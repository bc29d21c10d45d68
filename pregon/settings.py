"""Pregón settings: one file, read from environment variables (see .env.example)."""

import os
import secrets
from pathlib import Path

import dj_database_url

from pregon.core.clientip import parse_trusted_proxies

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PREGON_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: str = "False") -> bool:
    return env(name, default).strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: str) -> int:
    return int(env(name, default))


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept under var/."""
    if env("SECRET_KEY"):
        return env("SECRET_KEY")
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
# Fernet key material for secrets stored in the database; defaults to SECRET_KEY.
PREGON_ENCRYPTION_KEY = env("PREGON_ENCRYPTION_KEY") or SECRET_KEY
DEBUG = envbool("DEBUG")
ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
PREGON_PUBLIC_URL = env("PREGON_PUBLIC_URL").rstrip("/")
CSRF_TRUSTED_ORIGINS = [PREGON_PUBLIC_URL] if PREGON_PUBLIC_URL else []
PREGON_MUNICIPALITY = env("PREGON_MUNICIPALITY", "Chapultepec, Estado de México")
# Neighbouring municipalities (separated by ";"): the audience page shows the share of
# followers who live in the municipality and in these.
PREGON_NEIGHBOURS = [
    n.strip()
    for n in env(
        "PREGON_NEIGHBOURS", "Metepec; San Mateo Atenco; Mexicaltzingo; Calimaya; Toluca"
    ).split(";")
    if n.strip()
]
PREGON_GRAPH_API_URL = env("PREGON_GRAPH_API_URL", "https://graph.facebook.com/v23.0")
PREGON_X_API_URL = env("PREGON_X_API_URL", "https://api.x.com")
# «Conectar»: each network's app credentials and authorisation screens (tests point
# the screens at local fakes).
PREGON_META_APP_ID = env("PREGON_META_APP_ID")
PREGON_META_APP_SECRET = env("PREGON_META_APP_SECRET")
PREGON_META_OAUTH_URL = env("PREGON_META_OAUTH_URL", "https://www.facebook.com/v23.0/dialog/oauth")
PREGON_X_CLIENT_ID = env("PREGON_X_CLIENT_ID")
PREGON_X_CLIENT_SECRET = env("PREGON_X_CLIENT_SECRET")
PREGON_X_OAUTH_URL = env("PREGON_X_OAUTH_URL", "https://x.com/i/oauth2/authorize")
# Seconds gunicorn lets one request run (a large import answered in the request).
PREGON_WEB_TIMEOUT = envint("PREGON_WEB_TIMEOUT", "120")
# Requests a web worker answers before gunicorn replaces it (±10 %, so they do not all
# go at once): bounds what large pages and logins leave on its heap. 0: never.
PREGON_WEB_MAX_REQUESTS = envint("PREGON_WEB_MAX_REQUESTS", "10000")
# ... or once its memory (RSS) passed this many MB, after its request (0: never).
PREGON_WEB_MAX_RSS_MB = envint("PREGON_WEB_MAX_RSS_MB", "140")
PREGON_TOKEN_WARN_DAYS = envint("PREGON_TOKEN_WARN_DAYS", "7")  # warn before a token ends
# Channels: seconds to wait for a network's answer; Instagram's hashtag limit per caption.
PREGON_CHANNEL_TIMEOUT = float(env("PREGON_CHANNEL_TIMEOUT", "20"))
PREGON_INSTAGRAM_HASHTAG_LIMIT = envint("PREGON_INSTAGRAM_HASHTAG_LIMIT", "5")
# Channels: network packages of this installation beyond Pregón's own (dotted paths,
# comma-separated), each defining NETWORK (see pregon/publishing/channels/network.py).
PREGON_EXTRA_NETWORKS = [p for p in env("PREGON_EXTRA_NETWORKS").split(",") if p.strip()]
# Publishing: may a Coordinación member approve their own publication?
PREGON_ALLOW_SELF_APPROVAL = envbool("PREGON_ALLOW_SELF_APPROVAL", "False")
# Publishing: how long a signed public media link (for Instagram) stays valid, seconds.
PREGON_PUBLIC_LINK_SECONDS = envint("PREGON_PUBLIC_LINK_SECONDS", "86400")
# Publishing: a delivery claimed longer ago than this (seconds) lost its worker
# mid-call; it becomes "resultado incierto" and is checked, never blindly resent.
PREGON_DELIVERY_STALE_SECONDS = envint("PREGON_DELIVERY_STALE_SECONDS", "600")
# Publishing: deliveries one worker sends at the same time (waiting on the networks).
PREGON_DELIVERY_CONCURRENCY = envint("PREGON_DELIVERY_CONCURRENCY", "8")
# A sending process renews its claims' lease while alive; a claim whose lease ran out
# (the process died) is checked by another worker within this many seconds.
PREGON_DELIVERY_LEASE_SECONDS = envint("PREGON_DELIVERY_LEASE_SECONDS", "30")
# Bulletins: seconds between two e-mails to the press (a gentle pace for the SMTP relay).
PREGON_PRESS_THROTTLE_SECONDS = float(env("PREGON_PRESS_THROTTLE_SECONDS", "1.0"))
# Analytics: processes that parse a large access log while the importer stores (0: none).
PREGON_WEBLOG_WORKERS = envint("PREGON_WEBLOG_WORKERS", "2")
# Agenda: minutes between two assignments of one person before we warn of an overlap.
PREGON_COVERAGE_TRAVEL_MARGIN_MINUTES = envint("PREGON_COVERAGE_TRAVEL_MARGIN_MINUTES", "30")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",  # our templates/django/forms/ override widget templates («Elija…»)
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "pregon.core",
    "pregon.accounts",
    "pregon.compliance",
    "pregon.archive",
    "pregon.agenda",
    "pregon.publishing",
    "pregon.bulletins",
    "pregon.design",
    "pregon.analytics",
    "pregon.surveys",
    "pregon.goals",
    "pregon.reports",
]

# GZip and BREACH: a page may carry a CSRF token next to text the visitor typed. Django
# masks the form token with fresh random bytes on every response, and its gzip adds
# up to 100 random bytes to each compressed body ("Heal the BREACH"), so the length an
# attacker sees does not converge on a secret. Static files are precompressed by
# WhiteNoise and skip this.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "pregon.core.csp.ContentSecurityPolicyMiddleware",
    # A public page already cached is answered here, before sessions, locale, CSRF,
    # authentication and messages (core/public_cache.py).
    "pregon.core.public_cache.PublicPageHits",
    "django.middleware.gzip.GZipMiddleware",
    "pregon.core.middleware.ApiJsonErrors",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "pregon.core.uploads.UploadLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "pregon.urls"
WSGI_APPLICATION = "pregon.wsgi.application"

# Widgets render through the project's templates, so templates/django/forms/ can
# override a widget (an empty choice reads «Elija…», not «---------»).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            # A network's templates live in its package (networks/<kind>/preview.html).
            "loaders": [
                (
                    "django.template.loaders.cached.Loader",
                    [
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                        "pregon.publishing.channels.templates.Loader",
                    ],
                )
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pregon.core.context_processors.navigation",
                "pregon.core.context_processors.public_page",
                "pregon.core.csp.nonce",
            ],
            # Dates and numbers in Spanish in every template: {{ x|fecha }}, {{ n|numero }}.
            "builtins": ["pregon.core.templatetags.spanish"],
        },
    }
]

# SQLite by default (WAL, busy timeout, immediate transactions); PostgreSQL via DATABASE_URL.
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "pregon.sqlite3",
            "OPTIONS": {
                # Seconds a writer waits for the lock before "database is locked".
                "timeout": envint("PREGON_SQLITE_TIMEOUT", "20"),
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
# Persistent connections (one per web worker), checked before reuse after a request.
DATABASES["default"]["CONN_MAX_AGE"] = envint("PREGON_DB_CONN_MAX_AGE", "600")
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Django's own backend, with the signed-in person and their permissions kept in the
# cache (core/signed_in.py).
AUTHENTICATION_BACKENDS = ["pregon.core.signed_in.CachedModelBackend"]
# The session read from the cache (written through to the database).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
PASSWORD_HASHERS = [
    "pregon.accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
# Login throttling, per account + client address (see pregon/accounts/throttle.py).
PREGON_LOGIN_MAX_FAILURES = envint("PREGON_LOGIN_MAX_FAILURES", "5")
PREGON_LOGIN_LOCKOUT_SECONDS = envint("PREGON_LOGIN_LOCKOUT_SECONDS", "900")
# Reverse proxies in front of Pregón: a number ("1") or their networks
# ("10.0.0.0/8,127.0.0.1"). Empty: REMOTE_ADDR is the client (no proxy).
PREGON_TRUSTED_PROXIES = parse_trusted_proxies(env("PREGON_TRUSTED_PROXIES"))

LANGUAGE_CODE = "es-mx"
LANGUAGES = [("es-mx", "Español (México)")]
TIME_ZONE = "America/Mexico_City"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("PREGON_MEDIA_ROOT", str(VAR_DIR / "media")))

# Files: local filesystem by default; any S3-compatible store with PREGON_S3_BUCKET.
PREGON_S3_BUCKET = env("PREGON_S3_BUCKET")
_default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if PREGON_S3_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": PREGON_S3_BUCKET,
            "endpoint_url": env("PREGON_S3_ENDPOINT_URL") or None,
            "access_key": env("PREGON_S3_ACCESS_KEY") or None,
            "secret_key": env("PREGON_S3_SECRET_KEY") or None,
            "region_name": env("PREGON_S3_REGION") or None,
            "default_acl": None,
            "querystring_auth": True,
        },
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploads: the largest file of each kind, in MB (refused with 413 while it streams in).
PREGON_MAX_PHOTO_MB = envint("PREGON_MAX_PHOTO_MB", "50")
PREGON_MAX_VIDEO_MB = envint("PREGON_MAX_VIDEO_MB", "4096")
PREGON_MAX_DOCUMENT_MB = envint("PREGON_MAX_DOCUMENT_MB", "100")
PREGON_MAX_CSV_MB = envint("PREGON_MAX_CSV_MB", "20")
PREGON_MAX_WEBLOG_MB = envint("PREGON_MAX_WEBLOG_MB", "2048")
PREGON_MAX_ICS_MB = envint("PREGON_MAX_ICS_MB", "5")
# The iCalendar preview sends the file back as a form field (base64) to confirm it.
DATA_UPLOAD_MAX_MEMORY_SIZE = max(2_621_440, (PREGON_MAX_ICS_MB * 4 // 3 + 1) * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "pregon.core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Images: more pixels than this are refused on every path (decompression bombs).
PREGON_MAX_IMAGE_PIXELS = envint(
    "PREGON_MAX_IMAGE_PIXELS", env("PREGON_ARCHIVE_MAX_PIXELS", "200000000")
)
# Compressed access logs: the most they may expand to (MB), and the longest line (KB).
PREGON_WEBLOG_MAX_EXPANDED_MB = envint("PREGON_WEBLOG_MAX_EXPANDED_MB", "20480")
PREGON_WEBLOG_MAX_LINE_KB = envint("PREGON_WEBLOG_MAX_LINE_KB", "64")
# iCalendar: occurrences one series may produce, and how far ahead series are expanded.
PREGON_ICS_MAX_SERIES_OCCURRENCES = envint("PREGON_ICS_MAX_SERIES_OCCURRENCES", "2000")
PREGON_ICS_WINDOW_DAYS = envint("PREGON_ICS_WINDOW_DAYS", "365")
# Surveys: submissions allowed per network address per window (a family or an office
# sharing one address fits); counted only in the cache, never stored.
PREGON_SURVEY_RATE_LIMIT = envint("PREGON_SURVEY_RATE_LIMIT", "20")
PREGON_SURVEY_RATE_WINDOW_SECONDS = envint("PREGON_SURVEY_RATE_WINDOW_SECONDS", "600")
# Portal visit counter (/audiencias/contar/): beacons counted per client address per
# window; past the limit they are answered but not stored.
PREGON_COUNTER_RATE_LIMIT = envint("PREGON_COUNTER_RATE_LIMIT", "60")
PREGON_COUNTER_RATE_WINDOW_SECONDS = envint("PREGON_COUNTER_RATE_WINDOW_SECONDS", "60")

# Cache (login throttling, rate limits): Redis when configured, else one shared on disk.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "pregon.core.file_cache.FileCache",
            "LOCATION": str(VAR_DIR / "cache"),
            # Past this many files Django deletes a third of them at random — the
            # versions, sessions and signed-in people with them, so every cached page
            # would be drawn again. Django's 300 was reached by one person's pages
            # and a few feeds. Django counts the files on every write (22 ms at 20,000):
            # core/file_cache.py counts at most every 10 s.
            "OPTIONS": {"MAX_ENTRIES": envint("PREGON_FILE_CACHE_ENTRIES", "20000")},
        }
    }

# Public pages (press room, feeds, public agenda, survey page): whole-page cache,
# dropped whenever what they show changes; this bounds what only time changes.
PREGON_PUBLIC_CACHE_SECONDS = envint("PREGON_PUBLIC_CACHE_SECONDS", "300")
# Browsers and proxies may reuse a public page this long without asking (seconds).
PREGON_PUBLIC_MAX_AGE = envint("PREGON_PUBLIC_MAX_AGE", "60")

# Background work: django-tasks. "db" (default), "rq" (needs REDIS_URL) or "immediate".
PREGON_TASKS_BACKEND = env("PREGON_TASKS_BACKEND", "rq" if REDIS_URL else "db")
_task_backends = {
    "db": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
# /healthz calls the worker stale when its last heartbeat (every 5 s) is older than this.
PREGON_WORKER_STALE_SECONDS = envint("PREGON_WORKER_STALE_SECONDS", "60")
TASKS = {"default": {"BACKEND": _task_backends[PREGON_TASKS_BACKEND], "QUEUES": []}}
INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}

# E-mail: SMTP when EMAIL_HOST is set, else written to the console.
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS")
EMAIL_BACKEND = (
    "pregon.core.mail.InternationalEmailBackend"  # SMTP, plus SMTPUTF8 and IDNA domains
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
# Does the outgoing server accept mailbox names with accents (RFC 6531 SMTPUTF8)?
# Only then are such press addresses accepted in the directory.
PREGON_SMTPUTF8 = envbool("PREGON_SMTPUTF8")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "comunicacion@chapultepec.gob.mx")
# The authority of the press room's permanent feed ids (tag: URIs): the municipality's
# domain. Set it once; changing it makes every feed reader see the bulletins anew.
PREGON_FEED_AUTHORITY = env("PREGON_FEED_AUTHORITY") or DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1]

# Security: production defaults follow DEBUG; behind TLS set PREGON_HTTPS=true.
PREGON_HTTPS = envbool("PREGON_HTTPS", "False" if DEBUG else "True")
SESSION_COOKIE_SECURE = PREGON_HTTPS
CSRF_COOKIE_SECURE = PREGON_HTTPS
SECURE_SSL_REDIRECT = PREGON_HTTPS and envbool("PREGON_SSL_REDIRECT", "True")
SECURE_HSTS_SECONDS = 31536000 if PREGON_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PREGON_HTTPS
SECURE_HSTS_PRELOAD = PREGON_HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 10
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
