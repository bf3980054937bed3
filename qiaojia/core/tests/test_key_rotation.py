"""Rotation of the field-encryption key (MultiFernet, `manage.py rotate_field_key`) and of the lookup-hash key."""

import io

import pytest
from cryptography.fernet import InvalidToken
from django.apps import apps
from django.core.management import CommandError, call_command

from conftest import make_id_number
from qiaojia.core import crypto
from qiaojia.core.keyrotation import RotationResult, _rotate_one
from qiaojia.core.models import AuditEntry
from qiaojia.members import services as member_services
from qiaojia.members.models import Person

ID = "410102199003071234"


@pytest.fixture(autouse=True)
def key_a(settings):
    crypto._fernet.cache_clear()
    settings.FIELD_ENCRYPTION_KEY, settings.QIAOJIA_FIELD_OLD_KEYS = "key-A", []
    yield
    crypto._fernet.cache_clear()


def _rotate_to_b(settings):
    settings.FIELD_ENCRYPTION_KEY, settings.QIAOJIA_FIELD_OLD_KEYS = "key-B", ["key-A"]


def _people(make_person, n=5):
    return [make_person(f"測試{i}", id_number=make_id_number(100 + i, "19800101")) for i in range(n)]


def _tokens():
    return dict(Person.objects.exclude(id_number_encrypted="").values_list("pk", "id_number_encrypted"))


def _rotate(*args) -> str:
    out = io.StringIO()
    call_command("rotate_field_key", *args, stdout=out)
    return out.getvalue()


def test_old_keys_still_read_and_new_values_are_written_under_the_current_key(settings):
    token = crypto.encrypt(ID)
    _rotate_to_b(settings)
    assert crypto.decrypt(token) == ID
    assert not crypto.is_current(token)
    fresh = crypto.reencrypt(token)
    assert crypto.is_current(fresh) and crypto.is_current(crypto.encrypt(ID))
    settings.QIAOJIA_FIELD_OLD_KEYS = []
    assert crypto.decrypt(fresh) == ID
    with pytest.raises(InvalidToken):
        crypto.decrypt(token)


def test_rotation_reencrypts_every_value_and_the_old_key_can_then_be_dropped(settings, make_person):
    people = _people(make_person)
    numbers = {p.pk: member_services.personal_data_reveal(person=p, field="id_number") for p in people}
    before = _tokens()
    hashes = dict(Person.objects.values_list("pk", "id_number_hash"))
    _rotate_to_b(settings)
    assert {pk: crypto.decrypt(token) for pk, token in before.items()} == numbers  # read through the old key
    assert "5 would be re-encrypted" in _rotate("--dry-run") and _tokens() == before
    assert "5 encrypted value(s) checked: 5 were re-encrypted" in _rotate()
    after = _tokens()
    assert all(crypto.is_current(token) and token != before[pk] for pk, token in after.items())
    entry = AuditEntry.objects.get(object_type="core.field_key")
    assert entry.changes["reencrypted"] == 5 and entry.changes["fields"] == {"members.person.id_number_encrypted": 5}
    settings.QIAOJIA_FIELD_OLD_KEYS = []  # key A is gone
    for person in Person.objects.filter(pk__in=numbers):
        assert member_services.personal_data_reveal(person=person, field="id_number") == numbers[person.pk]
    # The lookup hash is not the field key's: finding a person by ID number is unchanged.
    assert dict(Person.objects.values_list("pk", "id_number_hash")) == hashes
    assert member_services.person_find_by_id_number(numbers[people[0].pk]) == people[0]


def test_a_second_rotation_changes_nothing(settings, make_person):
    _people(make_person, 2)
    _rotate_to_b(settings)
    _rotate()
    tokens = _tokens()
    assert "2 encrypted value(s) checked: 0 were re-encrypted" in _rotate()
    assert _tokens() == tokens
    assert AuditEntry.objects.filter(object_type="core.field_key").count() == 1


def test_a_value_no_key_reads_is_reported_and_the_others_are_still_rotated(settings, make_person):
    good, lost = _people(make_person, 2)
    settings.FIELD_ENCRYPTION_KEY = "key-C"
    Person.objects.filter(pk=lost.pk).update(id_number_encrypted=crypto.encrypt(ID))
    settings.FIELD_ENCRYPTION_KEY = "key-B"
    settings.QIAOJIA_FIELD_OLD_KEYS = ["key-A"]
    with pytest.raises(CommandError, match=f"members.person#{lost.pk}"):
        _rotate()
    assert crypto.is_current(Person.objects.get(pk=good.pk).id_number_encrypted)


def test_rotation_never_overwrites_an_edit_made_meanwhile(settings, make_person):
    (person,) = _people(make_person, 1)
    stale = person.id_number_encrypted
    _rotate_to_b(settings)
    edited = member_services.person_update(
        person=person,
        expected_version=person.version,
        data={"name": person.name},
        id_number=make_id_number(300, "19800101"),
    )
    result = RotationResult()
    _rotate_one(Person, "id_number_encrypted", None, person.pk, stale, None, False, result)
    assert result.reencrypted == 0
    assert Person.objects.get(pk=person.pk).id_number_encrypted == edited.id_number_encrypted


def test_rehash_recomputes_the_lookup_hashes_after_the_hash_key_changed(settings, make_person):
    (person,) = _people(make_person, 1)
    number = member_services.personal_data_reveal(person=person, field="id_number")
    settings.LOOKUP_HASH_KEY = "another-hash-key"
    assert member_services.person_find_by_id_number(number) is None
    assert "0 were re-encrypted, 1 hash(es) were recomputed" in _rotate("--rehash")
    assert member_services.person_find_by_id_number(number) == person


def test_every_encrypted_field_is_declared_for_rotation():
    declared = {(model, name) for model, name, _hash in crypto.encrypted_fields()}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.name.endswith("_encrypted"):
                assert (model, field.name) in declared, f"{model._meta.label}.{field.name} is not in ENCRYPTED_FIELDS"
    assert (Person, "id_number_encrypted") in declared
