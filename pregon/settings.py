"""Pregón settings: one file, read from environment variables (see .env.example)."""

import os
import secrets
from pathlib import Path

import dj_database_url

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
PREGON_GRAPH_API_URL = env("PREGON_GRAPH_API_URL", "https://graph.facebook.com/v23.0")
PREGON_X_API_URL = env("PREGON_X_API_URL", "https://api.x.com")
# Channels: seconds to wait for a network's answer; Instagram's hashtag limit per caption.
PREGON_CHANNEL_TIMEOUT = float(env("PREGON_CHANNEL_TIMEOUT", "20"))
PREGON_INSTAGRAM_HASHTAG_LIMIT = envint("PREGON_INSTAGRAM_HASHTAG_LIMIT", "5")
# Publishing: may a Coordinación member approve their own publication?
PREGON_ALLOW_SELF_APPROVAL = envbool("PREGON_ALLOW_SELF_APPROVAL", "False")
# Publishing: how long a signed public media link (for Instagram) stays valid, seconds.
PREGON_PUBLIC_LINK_SECONDS = envint("PREGON_PUBLIC_LINK_SECONDS", "86400")
# Publishing: a delivery claimed longer ago than this (seconds) lost its worker
# mid-call; it becomes "resultado incierto" and is checked, never blindly resent.
PREGON_DELIVERY_STALE_SECONDS = envint("PREGON_DELIVERY_STALE_SECONDS", "600")
# Publishing: deliveries one worker sends at the same time (waiting on the networks).
PREGON_DELIVERY_CONCURRENCY = envint("PREGON_DELIVERY_CONCURRENCY", "8")
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
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "pregon.urls"
WSGI_APPLICATION = "pregon.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pregon.core.context_processors.navigation",
                "pregon.core.context_processors.public_page",
            ],
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
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
# Persistent connections (one per web worker), checked before reuse after a request.
DATABASES["default"]["CONN_MAX_AGE"] = envint("PREGON_DB_CONN_MAX_AGE", "600")
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
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
PREGON_LOGIN_MAX_FAILURES = envint("PREGON_LOGIN_MAX_FAILURES", "5")
PREGON_LOGIN_LOCKOUT_SECONDS = envint("PREGON_LOGIN_LOCKOUT_SECONDS", "900")

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
# Archive: images declaring more pixels than this are refused (decompression bombs).
PREGON_ARCHIVE_MAX_PIXELS = envint("PREGON_ARCHIVE_MAX_PIXELS", "200000000")
# Surveys: submissions allowed per network address per window (a family or an office
# sharing one address fits); counted only in the cache, never stored.
PREGON_SURVEY_RATE_LIMIT = envint("PREGON_SURVEY_RATE_LIMIT", "20")
PREGON_SURVEY_RATE_WINDOW_SECONDS = envint("PREGON_SURVEY_RATE_WINDOW_SECONDS", "600")

# Cache (login throttling, rate limits): Redis when configured, else one shared on disk.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
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
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "comunicacion@chapultepec.gob.mx")

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
