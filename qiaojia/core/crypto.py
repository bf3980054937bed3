"""Encryption of ID and passport numbers at rest, and the keyed hash used to find them.

The value is encrypted with Fernet (AES-128-CBC + HMAC) under a key derived from
FIELD_ENCRYPTION_KEY; the lookup hash is HMAC-SHA256 under LOOKUP_HASH_KEY, so an exact value
can be found without decrypting every row, and the hash reveals nothing without the key.

Key rotation: values are read under the current key or any of QIAOJIA_FIELD_OLD_KEYS (MultiFernet) and
always written under the current key; `manage.py rotate_field_key` re-encrypts what the old keys wrote,
after which they can be dropped. Models name their encrypted fields in `ENCRYPTED_FIELDS`.
"""

import base64
import hashlib
import hmac
from collections.abc import Iterator
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.db import models


@lru_cache(maxsize=8)
def _fernet(key: str) -> Fernet:
    derived = hashlib.sha256(("qiaojia-field-encryption:" + key).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(derived))


def _old_keys() -> tuple[str, ...]:
    return tuple(key for key in getattr(settings, "QIAOJIA_FIELD_OLD_KEYS", ()) if key)


def _keys() -> MultiFernet:
    return MultiFernet([_fernet(settings.FIELD_ENCRYPTION_KEY), *(_fernet(key) for key in _old_keys())])


def encrypt(value: str) -> str:
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _keys().decrypt(token.encode()).decode()


def is_current(token: str) -> bool:
    """Whether `token` was written under the current key (so a rotation leaves it alone)."""
    try:
        _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def reencrypt(token: str) -> str:
    """The same value encrypted under the current key; InvalidToken when no known key reads it."""
    return _keys().rotate(token.encode()).decode()


def lookup_hash(value: str) -> str:
    return hmac.new(settings.LOOKUP_HASH_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def encrypted_fields() -> Iterator[tuple[type[models.Model], str, str | None]]:
    """(model, encrypted field, its lookup-hash field or None) for every model declaring
    `ENCRYPTED_FIELDS = {"x_encrypted": "x_hash"}`."""
    for model in apps.get_models():
        for field, hash_field in getattr(model, "ENCRYPTED_FIELDS", {}).items():
            yield model, field, hash_field
