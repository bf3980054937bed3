"""Settings for the benchmark harness: production-like (DEBUG off, second factor on, persistent
connections), the database named by DATABASE_URL, and the harness's own URLconf (adds a bare view)."""

import os

import dj_database_url

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES, SQLITE_OPTIONS

DEBUG = False
QIAOJIA_REQUIRE_OTP = True
ROOT_URLCONF = "bench.urls"
# The test client (export through the CSV view) calls itself "testserver".
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
DATABASES["default"] = dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=600)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = dict(SQLITE_OPTIONS)
MEDIA_ROOT = VAR_DIR / "bench" / "media"  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "private": PRIVATE_STORAGE,  # noqa: F405
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
