"""Settings shared by every environment; the environment-specific modules override them."""

from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

import os  # noqa: E402

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-insecure-key-change-me-in-production-0123456789")
# Separate keys for personal-data encryption and the keyed lookup hash: rotating the session
# secret must not make stored ID numbers unreadable.
FIELD_ENCRYPTION_KEY = os.environ.get("QIAOJIA_FIELD_KEY", "dev-field-key-change-me-in-production-0123456789")
LOOKUP_HASH_KEY = os.environ.get("QIAOJIA_HASH_KEY", "dev-hash-key-change-me-in-production-0123456789")
# The development defaults above: production settings refuse to start on any of them (accounts.checks).
QIAOJIA_DEVELOPMENT_KEYS = (
    "dev-insecure-key-change-me-in-production-0123456789",
    "dev-field-key-change-me-in-production-0123456789",
    "dev-hash-key-change-me-in-production-0123456789",
)
QIAOJIA_PRODUCTION = False

# Key rotation: former field keys, comma-separated, still read (never written) until
# `manage.py rotate_field_key` has re-encrypted what they wrote.
QIAOJIA_FIELD_OLD_KEYS = [k.strip() for k in os.environ.get("QIAOJIA_FIELD_OLD_KEYS", "").split(",") if k.strip()]

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
    "csp",
    "django_tasks",
    "django_tasks_db",
    "qiaojia.core",
    "qiaojia.accounts",
    "qiaojia.orgs",
    "qiaojia.members",
    "qiaojia.jobs",
    "qiaojia.imports",
    "qiaojia.demo",
    "qiaojia.search",
    "qiaojia.notifications",
    "qiaojia.exports",
    "qiaojia.cycle",
    "qiaojia.meetings",
    "qiaojia.activities",
    "qiaojia.events",
    "qiaojia.volunteering",
    "qiaojia.news",
    "qiaojia.trade",
    "qiaojia.voice",
    "qiaojia.home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "qiaojia.core.middleware.CSPMiddleware",
    "qiaojia.core.middleware.CacheControlMiddleware",
    "qiaojia.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "qiaojia.core.middleware.ReaderScriptMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "qiaojia.accounts.middleware.UserLanguageMiddleware",
    "qiaojia.accounts.middleware.RequireSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "qiaojia.accounts.middleware.IdleSessionTimeoutMiddleware",
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
                "qiaojia.accounts.context_processors.roles",
                "csp.context_processors.nonce",
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
SQLITE_INIT = (
    "PRAGMA foreign_keys=ON; PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000; "
    "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32768;"
)
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
# A password-reset link works for an hour, and once (its token is bound to the password it replaces).
PASSWORD_RESET_TIMEOUT = 60 * 60
# Password-reset requests allowed per window (count, seconds) per e-mail address and per client address,
# counted in the shared cache whether or not the address has an account; wrong recovery codes per account.
QIAOJIA_PASSWORD_RESET_LIMITS = {"email": (3, 3600), "address": (10, 3600)}
QIAOJIA_RECOVERY_CODE_LIMIT = (5, 900)
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Lockout: five failures for one account from one address lock that pair, and ten for one account from
# any addresses lock the account (guesses spread over many addresses), each for 15 minutes. Attempts are
# counted in the database, so every web process and machine sees the same counts. The handler measures
# each group against its own limit (axes itself has one limit for all); the owner is notified.
AXES_FAILURE_LIMIT = 5
QIAOJIA_ACCOUNT_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_HANDLER = "qiaojia.accounts.lockout.LockoutHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "qiaojia.accounts.lockout.lockout_response"
AXES_VERBOSE = False
# A plain string: axes' lazy default is a str look-alike that breaks code expecting a real str
# (the masking exception-report filter crashed on it, so DEBUG error pages failed to render).
AXES_USERNAME_FORM_FIELD = "username"
# The lockout and the audit trail must agree on who the client is (see core.middleware.client_ip).
AXES_CLIENT_IP_CALLABLE = "qiaojia.core.middleware.client_ip"
# Meeting sign-in at the venue link (a name and the phone digits or a personal code): failures allowed
# per window (count, seconds) per meeting link, client address and participant, counted in the shared
# cache; past any of them every attempt fails alike. A participant's failures since staff last unlocked
# them are kept on the participant: at QIAOJIA_SIGN_IN_LOCKOUT they are locked until staff unlock them.
QIAOJIA_SIGN_IN_LIMITS = {"link": (100, 600), "address": (10, 600), "participant": (3, 600)}
QIAOJIA_SIGN_IN_LOCKOUT = 5
# Reverse proxies in front of the application that append to X-Forwarded-For (nginx: 1). With 0,
# REMOTE_ADDR is the client; behind a proxy that would make every client look alike, so the
# lockout would lock an account for everyone and the audit trail would show only the proxy.
QIAOJIA_TRUSTED_PROXIES = int(os.environ.get("QIAOJIA_TRUSTED_PROXIES", "0"))

# Staff and officers must pass a TOTP second factor (accounts.middleware).
QIAOJIA_REQUIRE_OTP = os.environ.get("QIAOJIA_REQUIRE_OTP", "1") == "1"
OTP_TOTP_ISSUER = "QiaoJia"
# Sensitive actions (creating accounts, changing roles, showing an ID number) need the second factor passed
# within this many minutes: a session left open is not enough.
QIAOJIA_SENSITIVE_REVERIFY_MINUTES = 15
# Staff and officers are logged out after this many minutes without a request (0: never); members keep
# the normal session age.
QIAOJIA_IDLE_TIMEOUT_MINUTES = int(os.environ.get("QIAOJIA_IDLE_TIMEOUT_MINUTES", "30"))

# One cache shared by every web process and machine: rate limits and lockouts count in it, so a
# per-process memory cache would let each gunicorn worker count on its own. The database cache on
# the embedded default (its table made by `createcachetable`, which the test runner also runs);
# Redis for scale (QIAOJIA_REDIS_URL, e.g. redis://127.0.0.1:6379/0).
# "local" is each process's own memory, for results that are merely expensive to recompute (script
# conversions of news articles) and must not cost a database query to look up.
if os.environ.get("QIAOJIA_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["QIAOJIA_REDIS_URL"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "qiaojia_cache"}}
CACHES["local"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "qiaojia-local"}

# Content-Security-Policy (django-csp): scripts and styles only from our own static files or an element
# carrying the response's nonce; no inline handlers or style attributes, no eval (htmx runs with
# allowEval off, see base.html). data: images: the sign-in QR code and the empty favicon.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

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
# Dates as each language writes them, unambiguous (qiaojia.core.formats).
FORMAT_MODULE_PATH = ["qiaojia.core.locale_formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "qiaojia" / "static"]
MEDIA_ROOT = VAR_DIR / "media"
# Uploads and every file written under MEDIA_ROOT hold personal data and are served only through views:
# readable by the platform's own user alone (qiaojia.core.files writes the rest the same way).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Stored files (uploads, generated documents, export results) live on the "private" storage: nothing
# serves it by URL, only the permission-checked views read it (FileField(storage=core.storage.private_storage)).
# Without a location it follows MEDIA_ROOT. Several machines: an S3-compatible bucket through
# django-storages (README, "Files on several machines").
PRIVATE_STORAGE = {
    "BACKEND": "qiaojia.core.storage.PrivateFileSystemStorage",
    "OPTIONS": {"file_permissions_mode": 0o600, "directory_permissions_mode": 0o700},
}

# Terms of office that end within this many days raise a term-change (換屆) warning.
QIAOJIA_TERM_WARNING_DAYS = 90
# Version of the personal-data consent text a person agrees to before an ID number is held.
QIAOJIA_CONSENT_VERSION = "2025-01"
# Opinions (voice): deadlines in working days on the Chinese holiday calendar (DOMAIN-RULES, VOX) — acknowledged
# within 1, answered within 15, one extension of 15 with a reason, a reminder 2 working days before.
QIAOJIA_VOICE_DEADLINES = {"acknowledge": 1, "answer": 15, "extension": 15, "remind_before": 2}
# The public form: (submissions, seconds) per address and per contact (phone or e-mail); lookups of a
# receipt code that fail, per address.
QIAOJIA_VOICE_PUBLIC_LIMITS = {"address": (10, 3600), "contact": (5, 3600), "lookup": (20, 3600)}
# Background jobs (qiaojia.jobs) run on Django's task framework (django-tasks), in worker processes
# (`manage.py run_jobs`, which `make run` starts), never in the web process. The embedded default keeps the
# queue in the database (django-tasks-db); QIAOJIA_TASKS_BACKEND=rq puts it in Redis (django-tasks-rq,
# at QIAOJIA_REDIS_URL) for workers on several machines.
QIAOJIA_TASKS_BACKEND = os.environ.get("QIAOJIA_TASKS_BACKEND", "database")
if QIAOJIA_TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")  # its `rqworker` command
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# An RQ job longer than this is stopped by its worker (RQ's own default is 3 minutes; an import of
# 200,000 rows or a cold compilation takes longer).
QIAOJIA_JOB_TIMEOUT_SECONDS = int(os.environ.get("QIAOJIA_JOB_TIMEOUT_SECONDS", str(4 * 3600)))
# RQ's workers (`rqworker`) load each job as the task framework's job class, which calls the task.
RQ = {"JOB_CLASS": "django_tasks_rq.backend.Job"}
RQ_QUEUES = {
    "default": {
        "URL": os.environ.get("QIAOJIA_REDIS_URL", "redis://127.0.0.1:6379/0"),
        "DEFAULT_TIMEOUT": QIAOJIA_JOB_TIMEOUT_SECONDS,
    }
}
# A running job's worker beats every QIAOJIA_JOB_HEARTBEAT_SECONDS; a job that has not beaten for
# QIAOJIA_JOB_LEASE_SECONDS lost its worker (killed, machine gone) and is marked failed.
QIAOJIA_JOB_HEARTBEAT_SECONDS = float(os.environ.get("QIAOJIA_JOB_HEARTBEAT_SECONDS", "10"))
QIAOJIA_JOB_LEASE_SECONDS = float(os.environ.get("QIAOJIA_JOB_LEASE_SECONDS", "60"))
# Imports: every file is read and checked by a background job; a checked file above this many rows is
# committed in the background too.
QIAOJIA_IMPORT_BACKGROUND_ROWS = 2000
QIAOJIA_IMPORT_MAX_BYTES = 20 * 1024 * 1024
# What an import file may hold, judged from the zip's directory in the upload and again while it is read
# (zip bombs, issue 11). The 100,000-row file of the benchmark expands to 57 MB at a ratio of 10.
QIAOJIA_IMPORT_MAX_ROWS = 200_000
QIAOJIA_IMPORT_MAX_COLUMNS = 200
QIAOJIA_IMPORT_MAX_UNZIPPED_BYTES = 256 * 1024 * 1024
QIAOJIA_IMPORT_MAX_ZIP_RATIO = 100
# The shared-string table is held in memory while a workbook is read: at most about 180 MB at these limits.
QIAOJIA_IMPORT_MAX_SHARED_STRINGS = 1_500_000
QIAOJIA_IMPORT_MAX_SHARED_STRING_CHARS = 30_000_000
QIAOJIA_IMPORT_KEEP_HOURS = 24
# Exports: lists above this many rows are written by a background job; the files are kept this long.
QIAOJIA_EXPORT_BACKGROUND_ROWS = 20_000
QIAOJIA_EXPORT_KEEP_HOURS = 24
# Retention (`manage.py retention`, PIPL art. 19): the audit trail is kept at least 6 months
# (網絡安全法 art. 21; a system check refuses less), 3 years by default; a meeting's sign-in details
# (time, link, who marked it) are reduced to "present" this long after the meeting; a file nothing
# refers to is deleted after this grace (an upload's file is written before its row commits).
QIAOJIA_AUDIT_RETENTION_DAYS = int(os.environ.get("QIAOJIA_AUDIT_RETENTION_DAYS", "1095"))
QIAOJIA_SIGN_IN_RETENTION_DAYS = int(os.environ.get("QIAOJIA_SIGN_IN_RETENTION_DAYS", "365"))
QIAOJIA_ORPHAN_FILE_GRACE_HOURS = 24
# Backups (`manage.py backup`): where they go, and the key `--encrypt` uses (kept apart from the backups).
QIAOJIA_BACKUP_DIR = Path(os.environ.get("QIAOJIA_BACKUP_DIR", str(VAR_DIR / "backups")))
QIAOJIA_BACKUP_KEY = os.environ.get("QIAOJIA_BACKUP_KEY", "")
# Annual reports (cycle): due to the federation by this month-day of the following year (DOMAIN-RULES:
# 31 March); a returned report is to be resubmitted within this many working days.
QIAOJIA_REPORT_DEADLINE = os.environ.get("QIAOJIA_REPORT_DEADLINE", "03-31")
QIAOJIA_RESUBMIT_WORKING_DAYS = 5
# Every uploaded image (core.uploads.clean_image): at most this many bytes and pixels; it is kept scaled
# down to this longest side.
QIAOJIA_IMAGE_MAX_BYTES = 10 * 1024 * 1024
QIAOJIA_IMAGE_MAX_PIXELS = 40_000_000
QIAOJIA_IMAGE_MAX_SIDE = 2560
# A PDF attached to a report is parsed before it is kept; longer ones are refused.
QIAOJIA_CYCLE_MAX_PDF_PAGES = 500
# Processes laying out a compilation PDF at once (0: one per core).
QIAOJIA_COMPILE_PROCESSES = int(os.environ.get("QIAOJIA_COMPILE_PROCESSES", "0"))
# Notifications: the channels that deliver a notice besides the inbox, and the address links in e-mails use.
QIAOJIA_NOTIFICATION_CHANNELS = ["email"]
QIAOJIA_SITE_URL = os.environ.get("QIAOJIA_SITE_URL", "http://127.0.0.1:8000")

COUNTRIES_FIRST = ["CN", "HK", "MO", "TW"]
# Hong Kong, Macao and Taiwan as Chinese usage names them; and three names django-countries' Chinese
# catalogues get wrong, giving two countries one name (Greenland as 冰島 like Iceland, Martinique as
# 茅利塔尼亞 like Mauritania, Samoa as 美属萨摩亚群岛 like American Samoa). Each name is unique in each
# language (qiaojia/core/tests/test_countries.py).
COUNTRIES_OVERRIDE = {
    "HK": _("Hong Kong, China"),
    "MO": _("Macao, China"),
    "TW": _("Taiwan, China"),
    "GL": _("Greenland"),
    "MQ": _("Martinique"),
    "WS": _("Samoa"),
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
