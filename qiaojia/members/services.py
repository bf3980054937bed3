"""Every write to people, enterprises and memberships: one transaction, one audit row per change."""

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qiaojia.core.chinese import initials_key, pinyin_key, search_key
from qiaojia.core.crypto import decrypt, encrypt, lookup_hash
from qiaojia.core.masking import mask_id_number
from qiaojia.core.models import AuditAction
from qiaojia.core.services import audit_log, check_form_token, create_audited, update_versioned
from qiaojia.core.validators import (
    id_number_birth_date,
    normalize_credit_code,
    normalize_id_number,
    normalize_phone,
    validate_id_number,
)
from qiaojia.orgs.models import Association

from .models import Enterprise, IdKind, Membership, Person

PERSON_FIELDS = ("name", "name_en", "gender", "birth_date", "overseas_status", "country", "is_deputy",
                 "is_cppcc_member", "public_title", "phone", "email", "id_kind")


def _check_birth_date(values: dict[str, Any], number: str) -> None:
    """A resident ID number carries the birth date: a different one typed beside it is refused."""
    birth = id_number_birth_date(number)
    if values.get("birth_date") and values["birth_date"] != birth:
        raise ValidationError({"birth_date": _("The birth date does not match the one in the ID number.")})
    values["birth_date"] = birth


def _person_values(data: dict[str, Any], *, id_number: str | None, consent: bool,
                   existing: Person | None = None) -> dict[str, Any]:
    values = {k: data[k] for k in PERSON_FIELDS if k in data}
    if "name" in values:
        values["name"] = values["name"].strip()
        values.update(name_key=search_key(values["name"]), name_pinyin=pinyin_key(values["name"], as_name=True),
                      name_initials=initials_key(values["name"], as_name=True))
    if values.get("phone"):
        try:
            values["phone"] = normalize_phone(values["phone"], str(values.get("country") or "CN"))
        except ValidationError as exc:
            raise ValidationError({"phone": exc}) from exc
    if id_number:
        number = normalize_id_number(id_number)
        kind = values.get("id_kind") or (existing.id_kind if existing else "") or IdKind.RESIDENT_ID
        if kind == IdKind.RESIDENT_ID:
            try:
                validate_id_number(number)
            except ValidationError as exc:
                raise ValidationError({"id_number": exc.messages}) from exc
            _check_birth_date(values, number)
        already_consented = existing is not None and existing.consent_at is not None
        if not consent and not already_consented:
            raise ValidationError({"consent": _("An ID number can be kept only with the person's recorded consent.")})
        values["id_kind"] = kind
        number_hash = lookup_hash(number)
        # The same number typed again is not re-encrypted: a fresh ciphertext would read as a change.
        if existing is None or existing.id_number_hash != number_hash:
            values.update(id_number_encrypted=encrypt(number), id_number_hash=number_hash,
                          id_number_masked=mask_id_number(number))
        if consent and not already_consented:
            values.update(consent_version=settings.QIAOJIA_CONSENT_VERSION, consent_at=timezone.now())
        duplicate = Person.objects.filter(id_number_hash=number_hash)
        if existing is not None:
            duplicate = duplicate.exclude(pk=existing.pk)
        if duplicate.exists():
            raise ValidationError({"id_number": _("A person with this ID number is already registered.")})
    elif (existing is not None and existing.id_number_encrypted and "birth_date" in values
          and (values.get("id_kind") or existing.id_kind) == IdKind.RESIDENT_ID):
        _check_birth_date(values, decrypt(existing.id_number_encrypted))
    return values


@transaction.atomic
def person_create(*, data: dict[str, Any], id_number: str | None = None, consent: bool = False,
                  form_token: uuid.UUID | None = None) -> Person:
    check_form_token(form_token)
    person = Person(**_person_values(data, id_number=id_number, consent=consent))
    return create_audited(person, form_token=form_token)


@transaction.atomic
def person_update(*, person: Person, expected_version: int, data: dict[str, Any], id_number: str | None = None,
                  consent: bool = False) -> Person:
    values = _person_values(data, id_number=id_number, consent=consent, existing=person)
    return update_versioned(person, expected_version=expected_version, **values)


def person_find_by_id_number(id_number: str) -> Person | None:
    return Person.objects.filter(id_number_hash=lookup_hash(normalize_id_number(id_number))).first()


@transaction.atomic
def member_add(*, association: Association, person_data: dict[str, Any], membership_data: dict[str, Any],
               id_number: str | None = None, consent: bool = False, form_token: uuid.UUID | None = None) -> Membership:
    """Add a person as a member. A person already registered (same ID number) is reused, never copied."""
    check_form_token(form_token)
    person = person_find_by_id_number(id_number) if id_number else None
    if person is None:
        person = person_create(data=person_data, id_number=id_number, consent=consent)
    return membership_create(association=association, data=membership_data, person=person, form_token=form_token)


@transaction.atomic
def personal_data_reveal(*, person: Person, field: str) -> str:
    """Return a phone or ID number in clear and record who saw it."""
    if field == "phone":
        value = person.phone
    elif field == "id_number":
        value = decrypt(person.id_number_encrypted) if person.id_number_encrypted else ""
    else:
        raise ValueError(field)
    audit_log(action=AuditAction.REVEAL, instance=person, changes={"field": field})
    return value


ENTERPRISE_FIELDS = ("name", "name_en", "credit_code", "industry", "trade_countries", "representative", "address")


def _enterprise_values(data: dict[str, Any]) -> dict[str, Any]:
    values = {k: data[k] for k in ENTERPRISE_FIELDS if k in data}
    if "credit_code" in values:
        values["credit_code"] = normalize_credit_code(values["credit_code"] or "") or None
    if "name" in values:
        values.update(name_key=search_key(values["name"]), name_pinyin=pinyin_key(values["name"]),
                      name_initials=initials_key(values["name"]))
    return values


@transaction.atomic
def enterprise_create(*, data: dict[str, Any], form_token: uuid.UUID | None = None) -> Enterprise:
    enterprise = Enterprise(**_enterprise_values(data))
    return create_audited(enterprise, form_token=form_token)


@transaction.atomic
def enterprise_add(*, association: Association, data: dict[str, Any], membership_data: dict[str, Any],
                   form_token: uuid.UUID | None = None) -> Enterprise:
    """Register an enterprise as a member of `association`: the enterprise and its membership, or neither."""
    enterprise = enterprise_create(data=data, form_token=form_token)
    membership_create(association=association, enterprise=enterprise, data=membership_data)
    return enterprise


@transaction.atomic
def enterprise_update(*, enterprise: Enterprise, expected_version: int, data: dict[str, Any]) -> Enterprise:
    return update_versioned(enterprise, expected_version=expected_version, **_enterprise_values(data))


MEMBERSHIP_FIELDS = ("level", "joined_on", "left_on", "dues_status")


@transaction.atomic
def membership_create(*, association: Association, data: dict[str, Any], person: Person | None = None,
                      enterprise: Enterprise | None = None, form_token: uuid.UUID | None = None) -> Membership:
    # Only a current membership must be the only one; past ones are history, recorded at any time.
    if not data.get("left_on"):
        current = Membership.objects.filter(association=association, left_on__isnull=True)
        if person is not None and current.filter(person=person).exists():
            raise ValidationError(_("This person is already a member of this association."))
        if enterprise is not None and current.filter(enterprise=enterprise).exists():
            raise ValidationError(_("This enterprise is already a member of this association."))
    membership = Membership(association=association, person=person, enterprise=enterprise,
                            **{k: data[k] for k in MEMBERSHIP_FIELDS if k in data})
    return create_audited(membership, form_token=form_token)


@transaction.atomic
def membership_update(*, membership: Membership, expected_version: int, data: dict[str, Any]) -> Membership:
    values = {k: data[k] for k in MEMBERSHIP_FIELDS if k in data}
    if values.get("left_on") and values["left_on"] < (values.get("joined_on") or membership.joined_on):
        raise ValidationError({"left_on": _("A member cannot leave before joining.")})
    return update_versioned(membership, expected_version=expected_version, **values)
