"""Settings shared by every environment; the environment-specific modules override them."""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

import os  # noqa: E402

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-insecure-key-change-me-in-production-0123456789")
# Separate keys for personal-data encryption and the keyed lookup hash: rotating the session
# secret must not make stored ID numbers unreadable.
FIELD_ENCRYPTION_KEY = os.environ.get("QIAOJIA_FIELD_KEY", "dev-field-key-change-me-in-production-0123456789")
LOOKUP_HASH_KEY = os.environ.get("QIAOJIA_HASH_KEY", "dev-hash-key-change-me-in-production-0123456789")

DEBUG = False
ALLOWED_HOSTS: list[str] = ["127.0.0.1", "localhost", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_countries",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "qiaojia.core",
    "qiaojia.accounts",
    "qiaojia.orgs",
    "qiaojia.members",
    "qiaojia.jobs",
    "qiaojia.imports",
    "qiaojia.demo",
    "qiaojia.search",
    "qiaojia.notifications",
    "qiaojia.cycle",
    "qiaojia.meetings",
    "qiaojia.activities",
    "qiaojia.events",
    "qiaojia.volunteering",
    "qiaojia.news",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "qiaojia.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "qiaojia.accounts.middleware.UserLanguageMiddleware",
    "qiaojia.accounts.middleware.RequireSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "qiaojia" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "qiaojia.core.context_processors.platform",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'qiaojia.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
DATABASES["default"].setdefault("TEST", {})
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # pg_trgm needs a non-C ctype to see CJK characters: build the test database from template0
    # so it takes the server's UTF-8 locale rather than whatever template1 was given.
    DATABASES["default"]["TEST"].update({"TEMPLATE": "template0", "CHARSET": "UTF8"})
    DATABASES["default"]["ATOMIC_REQUESTS"] = False
# SQLite: WAL with synchronous=NORMAL (the documented pairing: no corruption, at worst the last
# transactions lost on a power cut), a 32 MB page cache instead of 2 MB (a million people's indexes do
# not fit in 2 MB, so every insert read pages from the OS; 64 MB took an import of 100,000 rows past
# 300 MB resident for no gain). temp_store=MEMORY was tried: it tripled
# the import's peak memory.
SQLITE_INIT = ("PRAGMA foreign_keys=ON; PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000; "
               "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32768;")
# Transactions BEGIN IMMEDIATE: a deferred one that read first and then writes fails at once with "database is
# locked" when another process committed meanwhile (busy_timeout cannot help it), which two gunicorn
# workers saving at the same moment did (tests/faults/test_sigterm.py); immediate ones queue for the lock.
SQLITE_OPTIONS = {"init_command": SQLITE_INIT, "transaction_mode": "IMMEDIATE"}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Lockout: five failures for one account from one address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# A plain string: axes' lazy default is a str look-alike that breaks code expecting a real str
# (the masking exception-report filter crashed on it, so DEBUG error pages failed to render).
AXES_USERNAME_FORM_FIELD = "username"
# The lockout and the audit trail must agree on who the client is (see core.middleware.client_ip).
AXES_CLIENT_IP_CALLABLE = "qiaojia.core.middleware.client_ip"
# Reverse proxies in front of the application that append to X-Forwarded-For (nginx: 1). With 0,
# REMOTE_ADDR is the client; behind a proxy that would make every client look alike, so the
# lockout would lock an account for everyone and the audit trail would show only the proxy.
QIAOJIA_TRUSTED_PROXIES = int(os.environ.get("QIAOJIA_TRUSTED_PROXIES", "0"))

# Staff and officers must pass a TOTP second factor (accounts.middleware).
QIAOJIA_REQUIRE_OTP = os.environ.get("QIAOJIA_REQUIRE_OTP", "1") == "1"
OTP_TOTP_ISSUER = "QiaoJia"

# One cache shared by every web process and machine: rate limits and lockouts count in it, so a
# per-process memory cache would let each gunicorn worker count on its own. The database cache on
# the embedded default (its table made by `createcachetable`, which the test runner also runs);
# Redis for scale (QIAOJIA_REDIS_URL, e.g. redis://127.0.0.1:6379/0).
# "local" is each process's own memory, for results that are merely expensive to recompute (script
# conversions of news articles) and must not cost a database query to look up.
if os.environ.get("QIAOJIA_REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["QIAOJIA_REDIS_URL"]}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                          "LOCATION": "qiaojia_cache"}}
CACHES["local"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "qiaojia-local"}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_HTTPONLY = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "qiaojia" / "static"]
MEDIA_ROOT = VAR_DIR / "media"

# Terms of office that end within this many days raise a term-change (換屆) warning.
QIAOJIA_TERM_WARNING_DAYS = 90
# Version of the personal-data consent text a person agrees to before an ID number is held.
QIAOJIA_CONSENT_VERSION = "2025-01"
# Background jobs run in a thread of the web process; set 0 where `manage.py run_jobs` runs them.
QIAOJIA_JOBS_THREAD = os.environ.get("QIAOJIA_JOBS_THREAD", "1") == "1"
# Imports: files above this many rows are checked and committed in the background.
QIAOJIA_IMPORT_BACKGROUND_ROWS = 2000
QIAOJIA_IMPORT_MAX_BYTES = 20 * 1024 * 1024
QIAOJIA_IMPORT_KEEP_HOURS = 24
# Exports: lists above this many rows are written by a background job; the files are kept this long.
QIAOJIA_EXPORT_BACKGROUND_ROWS = 20_000
QIAOJIA_EXPORT_KEEP_HOURS = 24
# Annual reports (cycle): due to the federation by this month-day of the following year (DOMAIN-RULES:
# 31 March); a returned report is to be resubmitted within this many working days.
QIAOJIA_REPORT_DEADLINE = os.environ.get("QIAOJIA_REPORT_DEADLINE", "03-31")
QIAOJIA_RESUBMIT_WORKING_DAYS = 5
# Processes laying out a compilation PDF at once (0: one per core).
QIAOJIA_COMPILE_PROCESSES = int(os.environ.get("QIAOJIA_COMPILE_PROCESSES", "0"))
# Notifications: the channels that deliver a notice besides the inbox, and the address links in e-mails use.
QIAOJIA_NOTIFICATION_CHANNELS = ["email"]
QIAOJIA_SITE_URL = os.environ.get("QIAOJIA_SITE_URL", "http://127.0.0.1:8000")

COUNTRIES_FIRST = ["CN", "HK", "MO", "TW"]
COUNTRIES_OVERRIDE = {
    "HK": _("Hong Kong, China"),
    "MO": _("Macao, China"),
    "TW": _("Taiwan, China"),
}

DEFAULT_EXCEPTION_REPORTER_FILTER = "qiaojia.core.masking.MaskingExceptionReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "qiaojia.core.masking.MaskingExceptionReporter"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal_data": {"()": "qiaojia.core.masking.MaskingLogFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_personal_data"]},
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
