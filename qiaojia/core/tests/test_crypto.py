"""Field encryption and lookup hash (qiaojia.core.crypto). Uses settings, never the database."""

import hashlib

import pytest
from cryptography.fernet import InvalidToken

from qiaojia.core import crypto
from qiaojia.core.crypto import decrypt, encrypt, lookup_hash

ID = "410102199003071234"


@pytest.fixture(autouse=True)
def fresh_fernet_cache():
    crypto._fernet.cache_clear()
    yield
    crypto._fernet.cache_clear()


# --- encrypt / decrypt ----------------------------------------------------------------------


@pytest.mark.parametrize("plain", [ID, "11010519491231002X", "E12345678", "鄭定輝 郑定辉", "", "a" * 1000])
def test_decrypt_returns_what_was_encrypted(plain):
    assert decrypt(encrypt(plain)) == plain


def test_ciphertext_differs_from_plaintext_and_does_not_contain_it():
    token = encrypt(ID)
    assert token != ID
    assert ID not in token


def test_two_encryptions_of_the_same_value_differ():
    assert encrypt(ID) != encrypt(ID)


def test_two_different_ciphertexts_of_the_same_value_both_decrypt():
    first, second = encrypt(ID), encrypt(ID)
    assert decrypt(first) == decrypt(second) == ID


def test_ciphertext_is_ascii_text():
    token = encrypt("鄭定輝")
    assert isinstance(token, str)
    assert token.isascii()


def test_decrypt_under_another_field_key_fails(settings):
    settings.FIELD_ENCRYPTION_KEY = "first-key"
    token = encrypt(ID)
    settings.FIELD_ENCRYPTION_KEY = "second-key"
    with pytest.raises(InvalidToken):
        decrypt(token)


def test_decrypt_works_again_when_the_original_key_returns(settings):
    settings.FIELD_ENCRYPTION_KEY = "first-key"
    token = encrypt(ID)
    settings.FIELD_ENCRYPTION_KEY = "second-key"
    encrypt("warm the cache with the second key")
    settings.FIELD_ENCRYPTION_KEY = "first-key"
    assert decrypt(token) == ID


def test_decrypt_rejects_tampered_ciphertext():
    token = encrypt(ID)
    tampered = token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]
    with pytest.raises(InvalidToken):
        decrypt(tampered)


def test_decrypt_rejects_garbage():
    with pytest.raises(InvalidToken):
        decrypt("not-a-token")


# --- lookup_hash ----------------------------------------------------------------------------


def test_lookup_hash_is_deterministic():
    assert lookup_hash(ID) == lookup_hash(ID)


def test_lookup_hash_is_64_hex_characters():
    digest = lookup_hash(ID)
    assert len(digest) == 64
    int(digest, 16)


def test_lookup_hash_differs_for_different_values():
    assert lookup_hash(ID) != lookup_hash("410102199003071235")
    assert lookup_hash("a") != lookup_hash("b")


def test_lookup_hash_does_not_reveal_the_value():
    digest = lookup_hash(ID)
    assert ID not in digest
    assert digest != hashlib.sha256(ID.encode()).hexdigest()


def test_lookup_hash_changes_when_lookup_hash_key_changes(settings):
    settings.LOOKUP_HASH_KEY = "first-hash-key"
    first = lookup_hash(ID)
    settings.LOOKUP_HASH_KEY = "second-hash-key"
    second = lookup_hash(ID)
    assert first != second


def test_lookup_hash_is_stable_under_the_same_key(settings):
    settings.LOOKUP_HASH_KEY = "first-hash-key"
    first = lookup_hash(ID)
    settings.LOOKUP_HASH_KEY = "second-hash-key"
    lookup_hash(ID)
    settings.LOOKUP_HASH_KEY = "first-hash-key"
    assert lookup_hash(ID) == first


def test_lookup_hash_does_not_depend_on_field_encryption_key(settings):
    before = lookup_hash(ID)
    settings.FIELD_ENCRYPTION_KEY = "another-field-key"
    assert lookup_hash(ID) == before


def test_lookup_hash_handles_chinese_text():
    assert lookup_hash("鄭定輝") != lookup_hash("郑定辉")
    assert lookup_hash("鄭定輝") == lookup_hash("鄭定輝")
