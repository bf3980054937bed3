"""Production: everything secret or site-specific comes from the environment."""

import os

import dj_database_url

from .base import *  # noqa: F403
from .base import DATABASES

DEBUG = False
# Turns on the checks that stop production on development keys (accounts.checks, also run by wsgi.py).
QIAOJIA_PRODUCTION = True
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
FIELD_ENCRYPTION_KEY = os.environ["QIAOJIA_FIELD_KEY"]
LOOKUP_HASH_KEY = os.environ["QIAOJIA_HASH_KEY"]
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

DATABASES["default"] = dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True)

QIAOJIA_REQUIRE_OTP = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "1") == "1"
# Load balancers and orchestrators probe the health check over plain HTTP from inside the network;
# a redirect to HTTPS would read as "down".
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STORAGES = {
    "private": PRIVATE_STORAGE,
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Public assets: readable by a web server in front, unlike uploads (FILE_UPLOAD_PERMISSIONS).
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "OPTIONS": {"file_permissions_mode": 0o644, "directory_permissions_mode": 0o755},
    },
}
# Several machines: the private storage is an S3-compatible bucket (django-storages; README, "Files on several
# machines"). Without keys, boto3 finds its credentials itself (instance role, ~/.aws).
if os.environ.get("QIAOJIA_S3_BUCKET"):
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["QIAOJIA_S3_BUCKET"],
            "endpoint_url": os.environ.get("QIAOJIA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("QIAOJIA_S3_REGION") or None,
            "access_key": os.environ.get("QIAOJIA_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("QIAOJIA_S3_SECRET_KEY") or None,
            "addressing_style": os.environ.get("QIAOJIA_S3_ADDRESSING_STYLE") or None,
            "default_acl": "private",
            "file_overwrite": False,
        },
    }
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("DJANGO_EMAIL_USE_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "QiaoJia <noreply@localhost>")
