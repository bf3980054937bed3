"""The test suite: the real database named by DATABASE_URL (SQLite by default)."""

from .base import *  # noqa: F403

# A test-only app that joins search and exports from its own folder (tests/plugin_app).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.plugin_app"]  # noqa: F405

# The suite checks the second factor whatever the shell exported for `make run`.
QIAOJIA_REQUIRE_OTP = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "private": PRIVATE_STORAGE,
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Uploaded files (imports) and job results go to a throw-away folder, not var/media.
import hashlib  # noqa: E402
import os  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

# One folder per checkout and per pytest-xdist worker, so suites running at once do not share files.
MEDIA_ROOT = Path(tempfile.gettempdir()) / (
    f"qiaojia-test-media-{hashlib.sha1(str(BASE_DIR).encode()).hexdigest()[:8]}"
    f"{os.environ.get('PYTEST_XDIST_WORKER', '')}"
)
