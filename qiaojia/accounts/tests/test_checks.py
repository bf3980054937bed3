"""Production refuses to start on the development keys or on short keys (accounts.checks)."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.core import checks
from django.test import override_settings

from qiaojia.accounts.checks import deploy_keys_check, key_errors, production_keys_check

STRONG = {name: secrets.token_urlsafe(48) for name in ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "LOOKUP_HASH_KEY")}
DEV_SECRET, DEV_FIELD, DEV_HASH = settings.QIAOJIA_DEVELOPMENT_KEYS


def _ids(errors):
    return sorted((e.id, e.msg.split()[0]) for e in errors)


def test_the_list_holds_the_defaults_the_base_settings_fall_back_to():
    overrides = ("DJANGO_SECRET_KEY", "QIAOJIA_FIELD_KEY", "QIAOJIA_HASH_KEY")
    env = {k: v for k, v in os.environ.items() if k not in overrides}
    script = "from config.settings import base; print(base.SECRET_KEY, base.FIELD_ENCRYPTION_KEY, base.LOOKUP_HASH_KEY)"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert tuple(result.stdout.split()) == settings.QIAOJIA_DEVELOPMENT_KEYS


@override_settings(**STRONG)
def test_strong_keys_pass():
    assert key_errors() == []


@pytest.mark.parametrize(
    "name, value",
    [
        ("SECRET_KEY", DEV_SECRET),
        ("FIELD_ENCRYPTION_KEY", DEV_FIELD),
        ("LOOKUP_HASH_KEY", DEV_HASH),
        ("SECRET_KEY", "django-insecure-" + "x" * 50),
    ],
)
def test_a_development_key_is_an_error(name, value):
    with override_settings(**{**STRONG, name: value}):
        assert _ids(key_errors()) == [("accounts.E001", name)]


@pytest.mark.parametrize("name", ["SECRET_KEY", "FIELD_ENCRYPTION_KEY", "LOOKUP_HASH_KEY"])
def test_a_short_key_is_an_error(name):
    with override_settings(**{**STRONG, name: "ci-field-key"}):
        assert _ids(key_errors()) == [("accounts.E002", name)]


def test_every_key_of_a_rotation_list_is_checked():
    with override_settings(**{**STRONG, "FIELD_ENCRYPTION_KEY": [secrets.token_urlsafe(48), DEV_FIELD]}):
        assert _ids(key_errors()) == [("accounts.E001", "FIELD_ENCRYPTION_KEY")]


def test_under_production_settings_the_check_is_in_the_default_set_and_an_error():
    with override_settings(QIAOJIA_PRODUCTION=True, **{**STRONG, "LOOKUP_HASH_KEY": DEV_HASH}):
        errors = checks.run_checks(tags=[checks.Tags.security])
        assert [e.id for e in errors if e.id.startswith("accounts.")] == ["accounts.E001"]
        assert all(e.is_serious() for e in errors if e.id.startswith("accounts."))
        assert deploy_keys_check() == [], "reported once, not twice under --deploy"


def test_under_development_settings_only_the_deploy_check_reports():
    with override_settings(QIAOJIA_PRODUCTION=False, **{**STRONG, "LOOKUP_HASH_KEY": DEV_HASH}):
        assert production_keys_check() == []
        assert [e.id for e in deploy_keys_check()] == ["accounts.E001"]
        deploy = checks.run_checks(tags=[checks.Tags.security], include_deployment_checks=True)
        assert "accounts.E001" in [e.id for e in deploy]
