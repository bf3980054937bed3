"""People, enterprises and memberships: ID numbers encrypted and held only with consent, one Person
however many associations, masked audit rows, search keys that read surnames as surnames."""

import datetime
import json
import uuid

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from conftest import make_credit_code, make_id_number
from qiaojia.core.crypto import decrypt, lookup_hash
from qiaojia.core.models import AuditAction, AuditEntry, FormSubmission
from qiaojia.core.services import AlreadySubmitted, ConflictError
from qiaojia.core.validators import id_number_check_character
from qiaojia.members import selectors, services
from qiaojia.members.models import Enterprise, IdKind, Membership, MembershipLevel, Person
from qiaojia.orgs.tests.helpers import CLEAR_ID_RE, CLEAR_PHONE_RE, acting_as

pytestmark = pytest.mark.django_db

ID = make_id_number(101, "19850312")
JOINED = {"level": MembershipLevel.MEMBER, "joined_on": datetime.date(2020, 1, 1)}


def _wrong_check(number):
    return number[:-1] + next(c for c in "0123456789X" if c != number[-1])


def _with_check(first17):
    return first17 + id_number_check_character(first17)


def _entries(instance, action=None):
    qs = AuditEntry.objects.filter(object_type=instance._meta.label_lower, object_id=str(instance.pk))
    return qs.filter(action=action) if action else qs


# --- ID numbers and consent ---------------------------------------------------------------------


def test_person_create_stores_the_id_number_only_encrypted(db):
    person = services.person_create(data={"name": "柴莉"}, id_number=ID, consent=True)
    stored = Person.objects.get(pk=person.pk)
    assert stored.id_number_encrypted and ID not in stored.id_number_encrypted
    assert decrypt(stored.id_number_encrypted) == ID
    assert stored.id_number_hash == lookup_hash(ID)
    assert stored.id_number_masked == ID[:3] + "*" * 11 + ID[-4:]
    row = Person.objects.filter(pk=person.pk).values().get()
    assert not any(ID in str(value) for value in row.values())


def test_person_create_takes_the_birth_date_from_the_id_number(db):
    person = services.person_create(data={"name": "柴莉"}, id_number=ID, consent=True)
    assert person.birth_date == datetime.date(1985, 3, 12)
    assert person.id_kind == IdKind.RESIDENT_ID


def test_person_create_normalises_a_lower_case_check_character(db):
    number = next(make_id_number(n) for n in range(1000) if make_id_number(n).endswith("X"))
    person = services.person_create(data={"name": "柴莉"}, id_number=" " + number.lower(), consent=True)
    assert decrypt(person.id_number_encrypted) == number


def test_person_create_records_the_consent_version_and_time(db):
    before = timezone.now()
    person = services.person_create(data={"name": "柴莉"}, id_number=ID, consent=True)
    assert person.consent_version == settings.QIAOJIA_CONSENT_VERSION
    assert timezone.is_aware(person.consent_at)
    assert before <= person.consent_at <= timezone.now()


def test_person_create_refuses_an_id_number_without_consent(db):
    audit_before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.person_create(data={"name": "柴莉"}, id_number=ID, consent=False)
    assert "consent" in exc.value.message_dict
    assert not Person.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_person_without_an_id_number_needs_no_consent(db):
    person = services.person_create(data={"name": "柴莉"})
    assert person.consent_at is None and person.id_number_hash == ""


def test_the_database_refuses_an_id_number_without_consent(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(name="柴莉", id_number_hash=lookup_hash(ID), id_number_encrypted="x")


def test_the_database_refuses_a_second_person_with_the_same_id_number(db):
    """The partial unique index survives migration 0010 (Django's AlterField drops it on PostgreSQL when
    the column loses db_index; the migration puts it back), and two people without a number are fine."""
    consented = {"id_number_encrypted": "x", "consent_version": "1", "consent_at": timezone.now()}
    Person.objects.create(name="柴莉", id_number_hash=lookup_hash(ID), **consented)
    Person.objects.create(name="無號甲")
    Person.objects.create(name="無號乙")
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(name="柴莉二", id_number_hash=lookup_hash(ID), **consented)


BAD_ID_NUMBERS = {
    "wrong check character": _wrong_check(ID),
    "30 February": _with_check("41010219850230001"),
    "born in the future": _with_check("41010221500101001"),
    "too short": "4101021985031",
    "letters": "41010219850312ABCD",
}


@pytest.mark.parametrize("case", sorted(BAD_ID_NUMBERS))
def test_person_create_refuses_a_bad_id_number_at_the_id_field(db, case):
    with pytest.raises(ValidationError) as exc:
        services.person_create(data={"name": "柴莉"}, id_number=BAD_ID_NUMBERS[case], consent=True)
    assert "id_number" in exc.value.message_dict
    assert not Person.objects.exists()


def test_person_create_refuses_a_birth_date_that_disagrees_with_the_id_number(db):
    with pytest.raises(ValidationError) as exc:
        services.person_create(
            data={"name": "柴莉", "birth_date": datetime.date(1985, 3, 13)}, id_number=ID, consent=True
        )
    assert "birth_date" in exc.value.message_dict
    assert not Person.objects.exists()


def test_person_create_keeps_a_passport_number_without_a_birth_date_check(db):
    person = services.person_create(
        data={"name": "Lim Wei", "id_kind": IdKind.PASSPORT, "birth_date": datetime.date(1990, 1, 1)},
        id_number="e1234567",
        consent=True,
    )
    assert decrypt(person.id_number_encrypted) == "E1234567"
    assert person.birth_date == datetime.date(1990, 1, 1)


def test_person_create_refuses_an_id_number_already_registered(db):
    services.person_create(data={"name": "柴莉"}, id_number=ID, consent=True)
    with pytest.raises(ValidationError) as exc:
        services.person_create(data={"name": "另一人"}, id_number=ID, consent=True)
    assert "id_number" in exc.value.message_dict
    assert Person.objects.count() == 1


def test_person_update_keeping_the_same_id_number_changes_nothing(db):
    person = services.person_create(data={"name": "柴莉"}, id_number=ID, consent=True)
    audit_before = AuditEntry.objects.count()
    updated = services.person_update(
        person=person, expected_version=person.version, data={"name": "柴莉"}, id_number=ID
    )
    assert updated.id_number_encrypted == person.id_number_encrypted
    assert AuditEntry.objects.count() == audit_before


def test_person_update_with_a_new_id_number_audits_it_masked(db):
    person = services.person_create(data={"name": "柴莉"}, id_number=ID, consent=True)
    new = make_id_number(102, "19850312")
    updated = services.person_update(person=person, expected_version=person.version, data={}, id_number=new)
    assert decrypt(updated.id_number_encrypted) == new
    entry = _entries(person, AuditAction.UPDATE).get()
    assert entry.changes["id_number_hash"] == ["***", "***"]
    assert entry.changes["id_number_encrypted"] == ["***", "***"]
    assert entry.changes["id_number_masked"] == [ID[:3] + "*" * 11 + ID[-4:], new[:3] + "*" * 11 + new[-4:]]
    assert not CLEAR_ID_RE.search(json.dumps(entry.changes))


def test_person_update_refuses_a_birth_date_that_disagrees_with_the_id_number_on_record(db):
    person = services.person_create(data={"name": "柴莉"}, id_number=ID, consent=True)
    with pytest.raises(ValidationError) as exc:
        services.person_update(
            person=person, expected_version=person.version, data={"birth_date": datetime.date(1990, 1, 1)}
        )
    assert "birth_date" in exc.value.message_dict
    assert Person.objects.get(pk=person.pk).birth_date == datetime.date(1985, 3, 12)


def test_person_update_adding_an_id_number_later_needs_consent(db):
    person = services.person_create(data={"name": "柴莉"})
    with pytest.raises(ValidationError) as exc:
        services.person_update(person=person, expected_version=person.version, data={}, id_number=ID)
    assert "consent" in exc.value.message_dict
    updated = services.person_update(
        person=person, expected_version=person.version, data={}, id_number=ID, consent=True
    )
    assert updated.consent_version == settings.QIAOJIA_CONSENT_VERSION and updated.consent_at is not None


def test_person_found_by_the_exact_id_number_only(db, make_person, staff_user):
    person = make_person("柴莉", id_number=ID)
    assert services.person_find_by_id_number(ID) == person
    assert services.person_find_by_id_number(ID.lower()) == person
    assert services.person_find_by_id_number(ID[:-1]) is None
    assert list(selectors.person_list(viewer=staff_user, id_number=ID)) == [person]
    for part in (ID[:-1], ID[:6], ID[6:14], ID[-4:]):
        assert not selectors.person_list(viewer=staff_user, id_number=part).exists()


# --- contact details ----------------------------------------------------------------------------


def test_person_create_stores_the_phone_in_e164(db):
    person = services.person_create(data={"name": "柴莉", "phone": "138 1234 1234"})
    assert person.phone == "+8613812341234"


def test_person_create_reads_a_local_number_in_the_country_of_residence(db):
    person = services.person_create(data={"name": "Lim Wei", "country": "SG", "phone": "9123 4567"})
    assert person.phone == "+6591234567"


@pytest.mark.parametrize("phone", ["12345", "not a phone", "+86 138 1234"])
def test_person_create_refuses_a_bad_phone_at_the_phone_field(db, phone):
    with pytest.raises(ValidationError) as exc:
        services.person_create(data={"name": "柴莉", "phone": phone})
    assert "phone" in exc.value.message_dict
    assert not Person.objects.exists()


def test_person_create_refuses_a_bad_email(db):
    with pytest.raises(ValidationError) as exc:
        services.person_create(data={"name": "柴莉", "email": "chai@"})
    assert "email" in exc.value.message_dict


# --- audit rows ---------------------------------------------------------------------------------


def test_person_create_writes_one_audit_row_with_personal_data_masked(db, staff_user):
    with acting_as(staff_user, ip="10.1.1.1", request_id="req-person-0001"):
        person = services.person_create(
            data={"name": "柴莉", "phone": "+8613812341234", "email": "chaili@example.com"}, id_number=ID, consent=True
        )
    entry = _entries(person).get()
    assert entry.action == AuditAction.CREATE
    assert (entry.actor_id, entry.actor_username, entry.ip_address, entry.request_id) == (
        staff_user.pk,
        staff_user.username,
        "10.1.1.1",
        "req-person-0001",
    )
    assert entry.changes["phone"] == [None, "138****1234"]
    assert entry.changes["id_number_encrypted"] == [None, "***"]
    assert entry.changes["id_number_hash"] == [None, "***"]
    assert entry.changes["id_number_masked"] == [None, ID[:3] + "*" * 11 + ID[-4:]]
    assert entry.changes["email"] == [None, "c***@example.com"]
    dumped = json.dumps(entry.changes, ensure_ascii=False)
    assert not CLEAR_PHONE_RE.search(dumped) and not CLEAR_ID_RE.search(dumped)
    assert "chaili@" not in dumped
    assert not {"name_key", "name_pinyin", "name_initials"} & set(entry.changes)


def test_person_update_of_the_phone_is_audited_even_when_both_numbers_share_a_mask(db):
    person = services.person_create(data={"name": "柴莉", "phone": "+8613812341234"})
    updated = services.person_update(person=person, expected_version=person.version, data={"phone": "+8613899991234"})
    assert updated.phone == "+8613899991234"
    entry = _entries(person, AuditAction.UPDATE).get()
    assert entry.changes == {"phone": ["138****1234", "138****1234"]}


def test_person_update_audits_only_changed_fields(db):
    person = services.person_create(data={"name": "柴莉", "phone": "+8613812341234"})
    services.person_update(
        person=person,
        expected_version=person.version,
        data={"name": "柴莉", "phone": "+8613812341234", "public_title": "理事"},
    )
    assert _entries(person, AuditAction.UPDATE).get().changes == {"public_title": ["", "理事"]}


def test_personal_data_reveal_returns_the_clear_value_and_audits_the_field_only(db, staff_user):
    person = services.person_create(data={"name": "柴莉", "phone": "+8613812341234"}, id_number=ID, consent=True)
    with acting_as(staff_user):
        assert services.personal_data_reveal(person=person, field="id_number") == ID
        assert services.personal_data_reveal(person=person, field="phone") == "+8613812341234"
    rows = _entries(person, AuditAction.REVEAL).order_by("id")
    assert [r.changes for r in rows] == [{"field": "id_number"}, {"field": "phone"}]
    assert {r.actor_id for r in rows} == {staff_user.pk}


def test_personal_data_reveal_refuses_other_fields(db):
    person = services.person_create(data={"name": "柴莉"})
    with pytest.raises(ValueError):
        services.personal_data_reveal(person=person, field="email")
    assert not _entries(person, AuditAction.REVEAL).exists()


# --- one person, several associations -----------------------------------------------------------


def test_member_add_with_a_registered_id_number_reuses_the_person(business_association, other_association):
    first = services.member_add(
        association=business_association,
        person_data={"name": "柴莉"},
        membership_data=JOINED,
        id_number=ID,
        consent=True,
    )
    second = services.member_add(
        association=other_association, person_data={"name": "柴莉莉"}, membership_data=JOINED, id_number=ID
    )
    assert second.person_id == first.person_id
    assert Person.objects.count() == 1
    assert Membership.objects.filter(person=first.person).count() == 2
    assert {m.association_id for m in Membership.objects.all()} == {business_association.pk, other_association.pk}
    assert Person.objects.get().name == "柴莉"  # the registered record is not overwritten


def test_member_add_refuses_a_person_who_is_already_a_current_member(business_association):
    services.member_add(
        association=business_association,
        person_data={"name": "柴莉"},
        membership_data=JOINED,
        id_number=ID,
        consent=True,
    )
    audit_before = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        services.member_add(
            association=business_association,
            person_data={"name": "柴莉"},
            membership_data=JOINED,
            id_number=ID,
            consent=True,
        )
    assert Membership.objects.count() == 1 and Person.objects.count() == 1
    assert AuditEntry.objects.count() == audit_before


def test_a_member_who_left_can_join_again(business_association, make_person):
    person = make_person("柴莉", association=business_association)
    membership = Membership.objects.get(person=person)
    services.membership_update(
        membership=membership, expected_version=membership.version, data={"left_on": datetime.date(2022, 1, 1)}
    )
    services.membership_create(
        association=business_association, person=person, data={"joined_on": datetime.date(2024, 1, 1)}
    )
    assert Membership.objects.filter(person=person).count() == 2
    assert Membership.objects.filter(person=person, left_on__isnull=True).count() == 1


def test_the_database_refuses_two_current_memberships_of_one_person(business_association, make_person):
    person = make_person("柴莉", association=business_association)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(association=business_association, person=person, joined_on=datetime.date(2024, 1, 1))


def test_membership_update_refuses_leaving_before_joining(business_association, make_person):
    person = make_person("柴莉", association=business_association)
    membership = Membership.objects.get(person=person)
    with pytest.raises(ValidationError) as exc:
        services.membership_update(
            membership=membership, expected_version=membership.version, data={"left_on": datetime.date(2019, 1, 1)}
        )
    assert "left_on" in exc.value.message_dict


def test_membership_audit_row_belongs_to_the_association(business_association, make_person):
    person = make_person("柴莉", association=business_association)
    membership = Membership.objects.get(person=person)
    assert _entries(membership).get().association_id == business_association.pk


def test_member_add_posted_twice_with_one_token_makes_one_membership(business_association):
    token = uuid.uuid4()
    membership = services.member_add(
        association=business_association,
        person_data={"name": "柴莉"},
        membership_data=JOINED,
        id_number=ID,
        consent=True,
        form_token=token,
    )
    with pytest.raises(AlreadySubmitted) as exc:
        services.member_add(
            association=business_association,
            person_data={"name": "柴莉"},
            membership_data=JOINED,
            id_number=ID,
            consent=True,
            form_token=token,
        )
    assert exc.value.object_id == str(membership.pk)
    assert Membership.objects.count() == 1 and Person.objects.count() == 1


def test_member_add_without_id_number_posted_twice_makes_one_person(business_association):
    token = uuid.uuid4()
    services.member_add(
        association=business_association, person_data={"name": "柴莉"}, membership_data=JOINED, form_token=token
    )
    with pytest.raises(AlreadySubmitted):
        services.member_add(
            association=business_association, person_data={"name": "柴莉"}, membership_data=JOINED, form_token=token
        )
    assert Person.objects.count() == 1 and Membership.objects.count() == 1


# --- enterprises --------------------------------------------------------------------------------


def test_enterprise_add_makes_the_enterprise_and_its_membership(business_association):
    enterprise = services.enterprise_add(
        association=business_association,
        data={"name": "河南中原貿易有限公司", "credit_code": make_credit_code(8001)},
        membership_data={"level": MembershipLevel.VICE_PRESIDENT_UNIT, "joined_on": datetime.date(2021, 3, 1)},
    )
    membership = Membership.objects.get(enterprise=enterprise)
    assert membership.association == business_association
    assert membership.level == MembershipLevel.VICE_PRESIDENT_UNIT
    assert enterprise.name_key == "河南中原贸易有限公司"
    assert enterprise.name_initials == "hnzymyyxgs"


def test_enterprise_add_failing_at_the_membership_leaves_no_enterprise(business_association, monkeypatch):
    def broken(**kwargs):
        raise ValidationError("no")

    monkeypatch.setattr(services, "membership_create", broken)
    with pytest.raises(ValidationError):
        services.enterprise_add(
            association=business_association,
            data={"name": "河南中原貿易有限公司"},
            membership_data={"joined_on": datetime.date(2021, 3, 1)},
        )
    assert not Enterprise.objects.exists()
    assert not AuditEntry.objects.filter(object_type="members.enterprise").exists()


def test_enterprise_add_posted_twice_with_one_token_makes_one_enterprise(business_association):
    token = uuid.uuid4()
    data = {"name": "河南中原貿易有限公司", "credit_code": make_credit_code(8002)}
    enterprise = services.enterprise_add(
        association=business_association,
        data=data,
        form_token=token,
        membership_data={"joined_on": datetime.date(2021, 3, 1)},
    )
    with pytest.raises(AlreadySubmitted) as exc:
        services.enterprise_add(
            association=business_association,
            data=data,
            form_token=token,
            membership_data={"joined_on": datetime.date(2021, 3, 1)},
        )
    assert exc.value.object_id == str(enterprise.pk)
    assert Enterprise.objects.count() == 1 and Membership.objects.count() == 1
    assert FormSubmission.objects.get(token=token).object_type == "members.enterprise"


def test_enterprise_cannot_be_a_current_member_twice(business_association):
    enterprise = services.enterprise_add(
        association=business_association,
        data={"name": "河南中原貿易有限公司"},
        membership_data={"joined_on": datetime.date(2021, 3, 1)},
    )
    with pytest.raises(ValidationError):
        services.membership_create(
            association=business_association, enterprise=enterprise, data={"joined_on": datetime.date(2022, 1, 1)}
        )


def test_enterprise_refuses_a_bad_credit_code(db):
    with pytest.raises(ValidationError) as exc:
        services.enterprise_create(data={"name": "甲公司", "credit_code": make_credit_code(8003)[:-1] + "Z"})
    assert "credit_code" in exc.value.message_dict


# --- search keys --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, pinyin, initials",
    [
        ("曾小明", "zengxiaoming", "zxm"),
        ("單雄信", "shanxiongxin", "sxx"),
        ("仇志強", "qiuzhiqiang", "qzq"),
        ("區家麟", "oujialin", "ojl"),
        ("解縉", "xiejin", "xj"),
        ("歐陽修", "ouyangxiu", "oyx"),
        ("鄭定輝", "zhengdinghui", "zdh"),
    ],
)
def test_person_search_keys_read_the_surname_as_a_surname(db, name, pinyin, initials):
    person = services.person_create(data={"name": name})
    assert (person.name_pinyin, person.name_initials) == (pinyin, initials)
    assert person.name == name  # never converted


def test_person_update_recomputes_the_search_keys(db):
    person = services.person_create(data={"name": "鄭定輝"})
    updated = services.person_update(person=person, expected_version=person.version, data={"name": "曾定輝"})
    stored = Person.objects.get(pk=updated.pk)
    assert (stored.name_key, stored.name_pinyin, stored.name_initials) == ("曾定辉", "zengdinghui", "zdh")


def test_person_is_found_by_simplified_traditional_pinyin_and_initials(db, staff_user):
    person = services.person_create(data={"name": "曾定輝"})
    for q in ("曾定辉", "曾定輝", "zengding", "zdh", "ZDH"):
        assert list(selectors.person_list(viewer=staff_user, q=q)) == [person], q
    assert not selectors.person_list(viewer=staff_user, q="cengding").exists()


# --- concurrent edits ---------------------------------------------------------------------------


def test_person_update_second_editor_with_a_stale_version_gets_a_conflict(db):
    person = services.person_create(data={"name": "柴莉"})
    v = person.version
    services.person_update(person=Person.objects.get(pk=person.pk), expected_version=v, data={"public_title": "甲"})
    with pytest.raises(ConflictError):
        services.person_update(person=Person.objects.get(pk=person.pk), expected_version=v, data={"public_title": "乙"})
    stored = Person.objects.get(pk=person.pk)
    assert stored.public_title == "甲" and stored.version == v + 1
