"""Production refuses to start on the development keys or on keys too short to be secret."""

from django.conf import settings
from django.core.checks import Error, Tags, register

KEY_SETTINGS = ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "LOOKUP_HASH_KEY")
MIN_KEY_LENGTH = 32
_HINT = (
    "Set it from the environment to a long random value, e.g. "
    "python -c 'import secrets; print(secrets.token_urlsafe(48))'."
)


def key_errors() -> list[Error]:
    errors = []
    for name in KEY_SETTINGS:
        value = getattr(settings, name, "")
        # A rotation may list several keys (the newest first): each of them must be secret.
        for key in value if isinstance(value, list | tuple) else [value]:
            key = str(key or "")
            if key in settings.QIAOJIA_DEVELOPMENT_KEYS or key.startswith("django-insecure-"):
                errors.append(Error(f"{name} is the development default.", hint=_HINT, id="accounts.E001"))
            elif len(key) < MIN_KEY_LENGTH:
                errors.append(
                    Error(f"{name} is shorter than {MIN_KEY_LENGTH} characters.", hint=_HINT, id="accounts.E002")
                )
    return errors


@register(Tags.security)
def production_keys_check(app_configs=None, **kwargs):
    """In the default set under production settings, so migrate, runserver, check and the WSGI start stop."""
    return key_errors() if settings.QIAOJIA_PRODUCTION else []


@register(Tags.security, deploy=True)
def deploy_keys_check(app_configs=None, **kwargs):
    """`check --deploy` under any settings (under production settings the check above already reports)."""
    return [] if settings.QIAOJIA_PRODUCTION else key_errors()
