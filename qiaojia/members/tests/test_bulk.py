"""The bulk services write what the one-record services write: a person (and an enterprise, and a
membership) added through `people_bulk_add` and the same one added through `person_create` leave the
same stored row, the same audit entry and the same search entry. A side effect added later to
`person_create` without the bulk path fails here."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict

from conftest import make_credit_code, make_id_number
from qiaojia.core import context
from qiaojia.core.crypto import decrypt
from qiaojia.core.models import AuditEntry
from qiaojia.members import services
from qiaojia.members.models import Enterprise, Membership, Person
from qiaojia.notifications.models import Notification
from qiaojia.search.models import SearchEntry

# Differ between two writes of the same record by nature: the id, the times, a fresh ciphertext.
VARYING = {"id", "created_at", "updated_at", "consent_at", "id_number_encrypted"}

DATA = {
    "name": "鄭定輝",
    "name_en": "Ding Hui",
    "gender": "m",
    "birth_date": datetime.date(1980, 1, 1),
    "overseas_status": "returned",
    "country": "MY",
    "public_title": "理事",
    "phone": "012-345 6789",
    "email": "zdh@example.com",
}


class _Undo(Exception):
    pass


@pytest.fixture(autouse=True)
def one_actor():
    """Both paths write under one actor and request id (outside a request each write would draw its own)."""
    token = context.set_current(context.ActorContext(None, "system", None, "cli-bulk-test"))
    yield
    context.reset(token)


def _stored(model, pk) -> dict:
    """The stored row, its `create` audit entry, its search entry and the entry's pieces."""
    obj = model.objects.get(pk=pk)
    row = {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields if f.attname not in VARYING}
    if getattr(obj, "id_number_encrypted", ""):
        row["id_number"] = decrypt(obj.id_number_encrypted)
    if hasattr(obj, "consent_at"):
        row["consent_recorded"] = obj.consent_at is not None
    audit = model_to_dict(
        AuditEntry.objects.get(object_type=model._meta.label_lower, object_id=str(pk), action="create"),
        exclude=["id", "at", "object_id"],
    )
    audit["changes"] = {k: v for k, v in audit["changes"].items() if k not in VARYING}
    entry = SearchEntry.objects.filter(object_id=pk, kind=model._meta.model_name).first()
    search = None
    if entry is not None:
        search = model_to_dict(entry, exclude=["id", "object_id"])
    return {"row": row, "audit": audit, "search": search}


def _undone(write):
    """What `write` leaves, after which it is rolled back: the other path then writes the same record."""
    try:
        with transaction.atomic():
            result = write()
            raise _Undo(result)
    except _Undo as done:
        return done.args[0]


@pytest.mark.django_db
def test_a_person_added_in_bulk_is_stored_audited_and_indexed_as_by_person_create():
    number = make_id_number(7, "19800101")

    def one():
        person = services.person_create(data=dict(DATA), id_number=number, consent=True)
        return _stored(Person, person.pk)

    by_create = _undone(one)
    assert by_create["search"] is not None and by_create["audit"]["changes"]  # the comparison compares something
    values, number_hash = services.person_clean_values(dict(DATA), id_number=number, consent=True)
    (record,) = services.people_bulk_add([values])
    assert _stored(Person, record.pk) == by_create
    assert number_hash and Person.objects.get(pk=record.pk).id_number_hash == number_hash


@pytest.mark.django_db
def test_an_enterprise_and_a_membership_added_in_bulk_match_the_one_record_services(business_association):
    data = {"name": "中原實業有限公司", "credit_code": make_credit_code(4321), "name_en": "Zhongyuan"}
    membership = {"level": "member_unit", "joined_on": datetime.date(2024, 3, 5), "dues_status": "paid"}

    def one():
        enterprise = services.enterprise_create(data=dict(data))
        m = services.membership_create(association=business_association, enterprise=enterprise, data=membership)
        return _stored(Enterprise, enterprise.pk), _stored(Membership, m.pk)

    by_create = _undone(one)
    (record,) = services.enterprises_bulk_add([services.enterprise_values(dict(data))])
    (m,) = services.memberships_bulk_add(
        [{"association_id": business_association.pk, "enterprise_id": record.pk, **membership}],
        reprs=[f"{business_association} · {data['name']}"],
    )
    enterprise_stored, membership_stored = _stored(Enterprise, record.pk), _stored(Membership, m.pk)
    expected_enterprise, expected_membership = by_create
    assert enterprise_stored == expected_enterprise
    # The membership names the enterprise by id: the same record on both paths once that is set aside.
    for stored in (membership_stored, expected_membership):
        stored["row"].pop("enterprise_id")
        stored["audit"]["changes"].pop("enterprise")
    assert membership_stored == expected_membership


@pytest.mark.django_db
def test_bulk_services_refuse_what_the_one_record_services_refuse(business_association, member_person):
    number = make_id_number(9, "19800101")
    values, _hash = services.person_clean_values({"name": "王芳"}, id_number=number, consent=True)
    services.people_bulk_add([values])
    with pytest.raises(ValidationError):  # the same ID number again
        services.people_bulk_add([values])
    current = {"association_id": business_association.pk, "person_id": member_person.pk, "level": "member"}
    with pytest.raises(ValidationError):  # already a current member
        services.memberships_bulk_add([current], reprs=["x"])


@pytest.mark.django_db
def test_pending_memberships_in_bulk_tell_the_reviewers_once(business_association, member_person, staff_user):
    records = services.pending_memberships_bulk_add(
        [
            {
                "association_id": business_association.pk,
                "person_id": member_person.pk,
                "submitted": {"name": "柴莉"},
                "level": "member",
                "joined_on": datetime.date(2024, 3, 5),
            }
        ],
        reprs=["x"],
        actor=staff_user,
        source="import:1",
    )
    assert len(records) == 1 and records[0].status == "pending"
    assert Notification.objects.filter(recipient=staff_user).count() == 1
    assert AuditEntry.objects.filter(object_type="members.pendingmembership", action="create").count() == 1


@pytest.mark.django_db
def test_people_sharing_finds_the_pairs_and_only_within_the_viewers_scope(
    make_person, business_association, other_association, officer_of
):
    from qiaojia.members.selectors import people_sharing

    born = datetime.date(1970, 5, 6)
    make_person("鄭定輝", association=business_association, birth_date=born, phone="13812345678")
    make_person("王芳", association=other_association, birth_date=born)
    make_person("鄭定輝", birth_date=datetime.date(1971, 1, 1))  # a namesake born another day
    key = services.person_name_keys("鄭定輝")["name_key"]
    other = services.person_name_keys("王芳")["name_key"]
    phones = {(key, "+8613812345678"), (key, "+8613900000000")}
    births = {(key, born), (other, born), (key, datetime.date(1999, 1, 1))}
    assert people_sharing(name_phones=phones, name_births=births) == (
        {(key, "+8613812345678")},
        {(key, born), (other, born)},
    )
    # An officer of the first association does not match the person registered in the other one.
    assert people_sharing(name_phones=phones, name_births=births, viewer=officer_of) == (
        {(key, "+8613812345678")},
        {(key, born)},
    )
