"""Encryption of ID and passport numbers at rest, and the keyed hash used to find them.

The value is encrypted with Fernet (AES-128-CBC + HMAC) under a key derived from
FIELD_ENCRYPTION_KEY; the lookup hash is HMAC-SHA256 under LOOKUP_HASH_KEY, so an exact value
can be found without decrypting every row, and the hash reveals nothing without the key.
"""

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet
from django.conf import settings


@lru_cache(maxsize=2)
def _fernet(key: str) -> Fernet:
    derived = hashlib.sha256(("qiaojia-field-encryption:" + key).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt(value: str) -> str:
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode()).decode()


def lookup_hash(value: str) -> str:
    return hmac.new(settings.LOOKUP_HASH_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()
