"""Every write to the registry. Each service is one transaction with one audit row per change."""

import datetime
import uuid
from typing import Any

from django.db import transaction

from qiaojia.core.chinese import initials_key, pinyin_key, search_key
from qiaojia.core.services import create_audited, delete_audited, update_versioned
from qiaojia.core.validators import normalize_credit_code
from qiaojia.search.services import index_object

from .models import Association, Department, Federation, Liaison, Partner, PartyBranch, Term


def _name_keys(name: str) -> dict[str, str]:
    return {"name_key": search_key(name), "name_pinyin": pinyin_key(name), "name_initials": initials_key(name)}


ASSOCIATION_FIELDS = (
    "name",
    "name_en",
    "short_name",
    "kind",
    "credit_code",
    "founded_on",
    "supervising_department",
    "status",
    "address",
    "website",
    "description",
)


def _association_values(data: dict[str, Any]) -> dict[str, Any]:
    values = {k: data[k] for k in ASSOCIATION_FIELDS if k in data}
    if "credit_code" in values:
        values["credit_code"] = normalize_credit_code(values["credit_code"]) or None
    if "name" in values:
        values.update(_name_keys(values["name"]))
    return values


@transaction.atomic
def association_create(
    *, federation: Federation, data: dict[str, Any], form_token: uuid.UUID | None = None
) -> Association:
    association = Association(federation=federation, **_association_values(data))
    create_audited(association, form_token=form_token)
    index_object(association)
    return association


@transaction.atomic
def association_update(*, association: Association, expected_version: int, data: dict[str, Any]) -> Association:
    association = update_versioned(association, expected_version=expected_version, **_association_values(data))
    index_object(association)
    return association


@transaction.atomic
def department_create(
    *, federation: Federation, data: dict[str, Any], form_token: uuid.UUID | None = None
) -> Department:
    department = Department(federation=federation, **data)
    return create_audited(department, form_token=form_token)


@transaction.atomic
def department_update(*, department: Department, expected_version: int, data: dict[str, Any]) -> Department:
    return update_versioned(department, expected_version=expected_version, **data)


@transaction.atomic
def federation_update(*, federation: Federation, expected_version: int, data: dict[str, Any]) -> Federation:
    return update_versioned(federation, expected_version=expected_version, **data)


@transaction.atomic
def term_create(*, association: Association, data: dict[str, Any], form_token: uuid.UUID | None = None) -> Term:
    term = Term(association=association, **data)
    return create_audited(term, form_token=form_token)


@transaction.atomic
def term_update(*, term: Term, expected_version: int, data: dict[str, Any]) -> Term:
    return update_versioned(term, expected_version=expected_version, **data)


@transaction.atomic
def term_end(*, term: Term, expected_version: int, ends_on: datetime.date) -> Term:
    return update_versioned(term, expected_version=expected_version, ends_on=ends_on)


@transaction.atomic
def term_delete(*, term: Term, expected_version: int) -> None:
    delete_audited(term, expected_version=expected_version)


@transaction.atomic
def party_branch_create(
    *, association: Association, data: dict[str, Any], form_token: uuid.UUID | None = None
) -> PartyBranch:
    branch = PartyBranch(association=association, **data)
    return create_audited(branch, form_token=form_token)


@transaction.atomic
def party_branch_update(*, branch: PartyBranch, expected_version: int, data: dict[str, Any]) -> PartyBranch:
    return update_versioned(branch, expected_version=expected_version, **data)


@transaction.atomic
def partner_create(*, association: Association, data: dict[str, Any], form_token: uuid.UUID | None = None) -> Partner:
    partner = Partner(association=association, **data)
    return create_audited(partner, form_token=form_token)


@transaction.atomic
def partner_update(*, partner: Partner, expected_version: int, data: dict[str, Any]) -> Partner:
    return update_versioned(partner, expected_version=expected_version, **data)


@transaction.atomic
def liaison_create(*, partner: Partner, data: dict[str, Any], form_token: uuid.UUID | None = None) -> Liaison:
    liaison = Liaison(partner=partner, **data)
    return create_audited(liaison, form_token=form_token)
