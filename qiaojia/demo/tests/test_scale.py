"""Scale data: deterministic from the seed, names in both scripts, the services' derived fields, valid memberships."""

import io

import phonenumbers
import pytest
from django.core.management import call_command
from django.db import connection

from qiaojia.core.chinese import initials_key, pinyin_key, search_key, to_simplified
from qiaojia.core.crypto import decrypt, lookup_hash
from qiaojia.core.masking import mask_id_number
from qiaojia.core.validators import normalize_phone, validate_id_number
from qiaojia.demo.scale import NameKeys, build_associations, data_fingerprint, generate
from qiaojia.members.models import Membership, Person
from qiaojia.orgs.models import Association

pytestmark = pytest.mark.django_db(transaction=True)


def _reset_sequences():
    # Each run starts from empty tables, so both runs hand out the same ids.
    Membership.objects.all().delete()
    Person.objects.all().delete()
    Association.objects.all().delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("members_person", "members_membership", "orgs_association"):
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 1, false)")


def test_scale_generate_command_writes_people_memberships_and_associations():
    out = io.StringIO()
    call_command("scale_generate", "--associations", "2", "--people", "300", "--seed", "7", "--no-reindex", stdout=out)
    assert Association.objects.count() == 2
    assert Person.objects.count() == 300
    assert Membership.objects.count() >= 300
    assert "300 people" in out.getvalue()


def test_scale_generate_is_deterministic_from_the_seed():
    generate(associations=2, people=300, seed=11, reindex=False, chunk=128)
    first = data_fingerprint()
    names = list(Association.objects.order_by("pk").values_list("name", "credit_code"))
    _reset_sequences()
    generate(associations=2, people=300, seed=11, reindex=False, chunk=77)
    assert data_fingerprint() == first
    assert list(Association.objects.order_by("pk").values_list("name", "credit_code")) == names
    _reset_sequences()
    generate(associations=2, people=300, seed=12, reindex=False)
    assert data_fingerprint() != first


def test_scale_people_have_names_in_both_scripts_english_names_and_polyphonic_surnames():
    generate(associations=2, people=1500, seed=3, reindex=False)
    names = list(Person.objects.values_list("name", "name_key", "name_en"))
    traditional = [n for n, key, _en in names if n != key]
    simplified = [n for n, key, _en in names if n == key]
    assert len(traditional) > 100 and len(simplified) > 500
    assert sum(1 for *_rest, en in names if en) > 100
    surnames_read_otherwise = {"曾", "单", "單", "仇", "解", "区", "區", "查", "翟"}
    assert any(n[0] in surnames_read_otherwise for n, _k, _e in names)
    assert len({n for n, _k, _e in names}) < len(names)  # common names repeat, as they do


def test_scale_people_carry_exactly_the_services_derived_fields():
    generate(associations=3, people=600, seed=5, reindex=False)
    with_id = 0
    for person in Person.objects.all():
        assert person.name_key == search_key(person.name)
        assert person.name_pinyin == pinyin_key(person.name, as_name=True)
        assert person.name_initials == initials_key(person.name, as_name=True)
        if person.phone:
            assert person.phone == normalize_phone(person.phone, person.country.code or "CN")
            assert phonenumbers.is_valid_number(phonenumbers.parse(person.phone, None))
        if person.id_number_hash:
            with_id += 1
            number = decrypt(person.id_number_encrypted)
            validate_id_number(number)
            assert person.id_number_hash == lookup_hash(number)
            assert person.id_number_masked == mask_id_number(number)
            assert person.consent_at is not None and person.consent_version
    assert with_id > 0


def test_scale_memberships_are_valid():
    generate(associations=4, people=500, seed=9, memberships_per_person=1.5, reindex=False)
    memberships = list(Membership.objects.select_related("association", "person"))
    assert {m.association_id for m in memberships} <= set(Association.objects.values_list("pk", flat=True))
    per_person: dict[int, set[int]] = {}
    for m in memberships:
        m.full_clean()
        assert m.enterprise_id is None and m.left_on is None
        assert m.joined_on >= m.association.founded_on
        assert m.joined_on.year - m.person.birth_date.year >= 19
        assert m.association_id not in per_person.setdefault(m.person_id, set())
        per_person[m.person_id].add(m.association_id)
    assert len(per_person) == 500
    assert max(len(v) for v in per_person.values()) > 1


def test_scale_associations_are_unique_and_valid():
    rows = build_associations(count=150, seed=1)
    assert len({r.name for r in rows}) == 150
    assert len({to_simplified(r.name) for r in rows}) == 150
    assert len({r.credit_code for r in rows}) == 150
    assert build_associations(count=150, seed=1) == rows


def test_name_keys_share_one_entry_per_simplified_name():
    keys = NameKeys()
    assert keys("鄭定輝") == keys("郑定辉") == ("郑定辉", "zhengdinghui", "zdh")
    assert keys("曾小明")[1] == "zengxiaoming"
    assert keys("單偉")[1] == "shanwei"
    assert keys.distinct == 3
