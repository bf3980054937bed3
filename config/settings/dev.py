"""`make run`: the demo on the embedded SQLite database."""

import os

from .base import *  # noqa: F403

DEBUG = os.environ.get("DJANGO_DEBUG", "0") == "1"
# The demo accounts would otherwise each need an authenticator app; QIAOJIA_REQUIRE_OTP=1 turns it on.
QIAOJIA_REQUIRE_OTP = os.environ.get("QIAOJIA_REQUIRE_OTP", "0") == "1"
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Static files straight from the source folders (no collectstatic step for the demo).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "private": PRIVATE_STORAGE,
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
