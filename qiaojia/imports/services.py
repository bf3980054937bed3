"""Import of people, enterprises and memberships from a spreadsheet: upload, map, check, commit.

Commit is all-or-nothing: every row is written inside one transaction, chunk by chunk, with raw bulk
inserts (COPY on PostgreSQL, `executemany` on SQLite; `core.bulk.insert_rows`). The stored fields
are derived by the same helpers the member services use (`person_clean_values`, `person_name_keys`,
`enterprise_name_keys`), so an imported person is indistinguishable from one added through the form.
They are derived once, by the check, which keeps them beside the upload for the commit (`_Stash`); the
commit looks at the database again (people already registered, likely matches, current memberships,
the rights to the associations named) and checks the whole file again only when the stash no longer
holds (another mapping or consent, another day, a stash lost or damaged).

Audit: one `create` audit row per record written (person, enterprise, membership), with the same
masked snapshot `create_audited` writes (the same `snapshot`, read from the written values rather than
model instances), plus one summary row for the import. Per record, because a person's history must say
where they came from and the duplicate merge moves that history; the rows are bulk-inserted, so they
cost little next to the records themselves.
"""

import csv
import dataclasses
import datetime
import hashlib
import hmac
import io
import logging
import os
import pickle
import struct
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from qiaojia.accounts import scope
from qiaojia.accounts.models import Role, User
from qiaojia.core import context
from qiaojia.core.bulk import insert_rows
from qiaojia.core.chinese import search_key
from qiaojia.core.crypto import lookup_hash
from qiaojia.core.masking import mask_text
from qiaojia.core.models import AuditAction, AuditEntry
from qiaojia.core.services import _jsonable, audit_log, audited_fields
from qiaojia.core.validators import (
    id_number_birth_date,
    normalize_credit_code,
    normalize_id_number,
    normalize_phone,
    validate_credit_code,
    validate_id_number,
)
from qiaojia.jobs import services as jobs
from qiaojia.jobs.models import Job
from qiaojia.members import selectors as member_selectors
from qiaojia.members.models import (
    Enterprise,
    Membership,
    MembershipLevel,
    OverseasStatus,
    PendingMembership,
    PendingStatus,
    Person,
)
from qiaojia.members.services import (
    enterprise_name_keys,
    pending_announce,
    person_clean_values,
    submitted_enterprise,
    submitted_person,
)
from qiaojia.orgs.models import Association
from qiaojia.search.services import index_new_objects

from . import reading
from .fields import (
    FIELDS,
    cell_text,
    guess_mapping,
    header_signature,
    normalize_header,
    parse_choice,
    parse_country,
    parse_date,
)
from .models import READ_KIND, TRANSITIONS, ColumnMapping, ImportStatus, MemberImport
from .reading import read_rows, store_upload, stored_path, upload_dir

log = logging.getLogger(__name__)

CHUNK = 1000
PROBLEMS_KEPT = 5000
ERROR, WARNING, INFO = "error", "warning", "info"

# code -> (severity, message). Messages are translated when shown, in the reader's language.
PROBLEMS: dict[str, tuple[str, Any]] = {
    "name_missing": (ERROR, _("Neither a person's name nor an enterprise name is given.")),
    "too_long": (ERROR, _("%(field)s is longer than %(max)s characters.")),
    "id_format": (ERROR, _("A resident ID number has 17 digits followed by a digit or X.")),
    "id_birth_date": (ERROR, _("The birth date inside this ID number is not a real date.")),
    "id_check": (ERROR, _("The check character of this ID number is wrong; please check the number.")),
    "birth_mismatch": (ERROR, _("The birth date does not match the one in the ID number.")),
    "consent": (ERROR, _("An ID number can be kept only with the person's recorded consent.")),
    "phone_parse": (ERROR, _("This is not a phone number.")),
    "phone_invalid": (ERROR, _("This phone number is not valid for its country.")),
    "email": (ERROR, _("Enter a valid email address.")),
    "bad_date": (ERROR, _("%(field)s: “%(value)s” is not a date (write it as 2024-03-05).")),
    "unknown_value": (ERROR, _("%(field)s: “%(value)s” is not one of the known values.")),
    "unknown_level": (ERROR, _("Unknown membership level “%(value)s”.")),
    "unknown_association": (ERROR, _("Unknown association “%(value)s”, or one you may not import into.")),
    "credit_length": (ERROR, _("A unified social credit code has 18 characters.")),
    "credit_alphabet": (
        ERROR,
        _("A unified social credit code uses only digits and the letters A–Y except I, O, S, V and Z."),
    ),
    "credit_check": (
        ERROR,
        _("The check character of this unified social credit code is wrong; please check the code."),
    ),
    "enterprise_name_missing": (ERROR, _("The enterprise name is missing.")),
    "duplicate_id": (ERROR, _("Same ID number as row %(row)s of this file.")),
    "duplicate_name_phone": (ERROR, _("Same name and phone as row %(row)s of this file.")),
    "duplicate_credit_code": (ERROR, _("Same unified social credit code as row %(row)s of this file.")),
    "invalid": (ERROR, _("%(field)s is not valid.")),
    "likely_match": (
        WARNING,
        _(
            "A person with the same name and the same phone or birth date is already "
            "registered: check this is not the same person."
        ),
    ),
    "already_member": (WARNING, _("Already a member of this association: the row will be skipped.")),
    # For records outside the importer's associations: that a match will be reviewed, never what matched.
    "pending_review": (
        INFO,
        _("Matches a registered record: the federation will review this membership before it takes effect."),
    ),
    "already_pending": (WARNING, _("Already awaiting confirmation for this association: the row will be skipped.")),
    "representative_unlinked": (
        INFO,
        _(
            "The representative matches a registered record and is not linked: the "
            "enterprise is imported without a representative."
        ),
    ),
    "linked_person": (INFO, _("Already registered (same ID number): the existing person will be used, not copied.")),
    "linked_enterprise": (INFO, _("Already registered (same credit code): the existing enterprise will be used.")),
}

OUTCOMES = {
    "created": _("Created"),
    "linked": _("Added to the existing record"),
    "pending": _("Awaiting confirmation by the federation"),
    "skipped": _("Skipped"),
    "error": _("Not imported: needs correcting"),
    "warning": _("Check"),
}


class ImportRefused(Exception):
    """The file cannot be committed as it is (a row has an error, or the import is not ready)."""


def problem_text(code: str, params: dict[str, Any]) -> str:
    params = dict(params or {})
    if "field" in params:
        params["field"] = str(FIELDS.get(params["field"], params["field"]))
    return mask_text(str(PROBLEMS[code][1]) % params)


def severity(code: str) -> str:
    return PROBLEMS[code][0]


# --- checking rows -----------------------------------------------------------------------------------


@dataclasses.dataclass
class RowResult:
    number: int
    problems: list[tuple[str, dict]] = dataclasses.field(default_factory=list)
    person: dict[str, Any] | None = None
    person_hash: str = ""
    person_id: int | None = None
    enterprise: dict[str, Any] | None = None
    enterprise_id: int | None = None
    association_id: int | None = None
    association_key: str = ""
    membership: dict[str, Any] = dataclasses.field(default_factory=dict)
    skip: bool = False
    # Committing from the stash: the check found a likely match for this row.
    matched_at_check: bool = False
    # The registered person or enterprise it names is outside the importer's associations: the membership
    # waits for confirmation, and the person of an enterprise row is neither created nor linked.
    pending: bool = False
    person_unlinked: bool = False
    outcome: str = ""

    def add(self, code: str, **params) -> None:
        self.problems.append((code, params))

    @property
    def has_error(self) -> bool:
        return any(PROBLEMS[c][0] == ERROR for c, _p in self.problems)

    @property
    def has_warning(self) -> bool:
        return any(PROBLEMS[c][0] == WARNING for c, _p in self.problems)


class CheckContext:
    """What checking the rows of one file needs: the mapping, the associations the owner may write
    to, and what earlier rows of the file held (to find duplicates inside it)."""

    def __init__(self, imp: MemberImport):
        self.imp = imp
        self.columns = sorted((int(i), f) for i, f in (imp.mapping or {}).items() if f in FIELDS)
        self.consent = imp.consent_confirmed
        self.today = timezone.localdate()
        self.associations = _writable_associations(imp.owner, imp.association)
        # Keyed by `_seen_key` digests: a large file's keys would otherwise weigh more than the rest.
        self.seen_hash: dict[bytes, int] = {}
        self.seen_name_phone: dict[bytes, int] = {}
        self.seen_credit: dict[str, int] = {}
        self.error_rows = self.warning_rows = 0
        self.created = self.linked = self.skipped = self.pending = 0
        self.pending_records: list = []
        # What the importer may see: registered records outside it are matched for review, never shown.
        self.visible_people = member_selectors.person_scope(imp.owner)
        self.visible_enterprises = member_selectors.enterprise_scope(imp.owner)
        self.sees_everything = scope.is_federation(imp.owner)
        self.problems: list = []
        # Derive what is stored (keys, encryption, consent) while checking: the check keeps it for the
        # commit (see `_Stash`). False only validates.
        self.derive = True
        # The commit reads the rows the check derived (`_Stash`) instead of the file ...
        self.stashed = False
        # ... and then looks for likely matches only among the people registered since the check:
        # (name key, phone) and (name key, birth date) pairs. None: look in the whole register.
        self.matches_since_check: tuple[set, set] | None = None


def _seen_key(*parts: str) -> bytes:
    """A 16-byte digest standing for the values an earlier row of the file held."""
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).digest()


def _writable_associations(owner, default: Association) -> dict[str, int]:
    qs = Association.objects.all()
    if not scope.is_federation(owner):
        qs = qs.filter(pk__in=scope.officer_association_ids(owner))
    lookup: dict[str, int] = {}
    for pk, name, short, name_en in qs.values_list("pk", "name", "short_name", "name_en"):
        for text in (name, short, name_en):
            if text:
                lookup.setdefault(normalize_header(text), pk)
    lookup.setdefault(normalize_header(default.name), default.pk)
    return lookup


_MAX = {
    "name": Person._meta.get_field("name").max_length,
    "name_en": Person._meta.get_field("name_en").max_length,
    "public_title": Person._meta.get_field("public_title").max_length,
    "email": Person._meta.get_field("email").max_length,
    "enterprise_name": Enterprise._meta.get_field("name").max_length,
}
_ID_CODES = {"format": "id_format", "birth_date": "id_birth_date", "check": "id_check"}
_CREDIT_CODES = {"length": "credit_length", "alphabet": "credit_alphabet", "check": "credit_check"}


def check_row(ctx: CheckContext, number: int, cells: list) -> RowResult:
    """Check one row and derive what would be stored; no database access (see `_resolve_chunk`)."""
    r = RowResult(number)
    raw = {field: (cells[index] if index < len(cells) else None) for index, field in ctx.columns}
    text = {k: cell_text(v) for k, v in raw.items()}
    for field, limit in _MAX.items():
        if len(text.get(field, "")) > limit:
            r.add("too_long", field=field, max=limit)

    association = text.get("association", "")
    r.association_id = ctx.imp.association_id
    if association:
        r.association_key = normalize_header(association)
        r.association_id = ctx.associations.get(r.association_key)
        if r.association_id is None:
            r.add("unknown_association", value=association[:50])
    for field in ("level", "dues_status"):
        if text.get(field):
            value = parse_choice(field, text[field])
            if value is None:
                r.add("unknown_level" if field == "level" else "unknown_value", field=field, value=text[field][:50])
            else:
                r.membership[field] = value
    r.membership["joined_on"] = ctx.today
    if text.get("joined_on"):
        joined = parse_date(raw["joined_on"])
        if joined is None:
            r.add("bad_date", field="joined_on", value=text["joined_on"][:30])
        else:
            r.membership["joined_on"] = joined

    name, enterprise_name = text.get("name", ""), text.get("enterprise_name", "")
    credit_code = normalize_credit_code(text.get("credit_code", ""))
    if not name and not enterprise_name:
        r.add("enterprise_name_missing" if credit_code else "name_missing")
        return r
    if name:
        _check_person(ctx, r, raw, text)
    if enterprise_name:
        _check_enterprise(ctx, r, enterprise_name, credit_code)
        r.membership.setdefault("level", MembershipLevel.MEMBER_UNIT)
    r.membership.setdefault("level", MembershipLevel.MEMBER)
    return r


def _check_person(ctx: CheckContext, r: RowResult, raw: dict, text: dict) -> None:
    data: dict[str, Any] = {"name": text["name"], "overseas_status": OverseasStatus.NONE}
    for field in ("name_en", "public_title"):
        if text.get(field):
            data[field] = text[field]
    for field in ("gender", "overseas_status"):
        if text.get(field):
            value = parse_choice(field, text[field])
            if value is None:
                r.add("unknown_value", field=field, value=text[field][:50])
            else:
                data[field] = value
    if text.get("country"):
        country = parse_country(text["country"])
        if country is None:
            r.add("unknown_value", field="country", value=text["country"][:50])
        else:
            data["country"] = country
    if text.get("birth_date"):
        birth = parse_date(raw["birth_date"])
        if birth is None:
            r.add("bad_date", field="birth_date", value=text["birth_date"][:30])
        else:
            data["birth_date"] = birth
    if text.get("email"):
        try:
            validate_email(text["email"])
            data["email"] = text["email"]
        except ValidationError:
            r.add("email")
    phone = ""
    if text.get("phone"):
        try:
            phone = normalize_phone(text["phone"], str(data.get("country") or "CN"))
        except ValidationError as exc:
            r.add("phone_parse" if exc.code == "parse" else "phone_invalid")
    number = normalize_id_number(text.get("id_number", ""))
    if number:
        try:
            validate_id_number(number)
        except ValidationError as exc:
            r.add(_ID_CODES.get(exc.code, "id_format"))
        else:
            if data.get("birth_date") and data["birth_date"] != id_number_birth_date(number):
                r.add("birth_mismatch")
        if not ctx.consent:
            r.add("consent")
    if r.has_error:
        return
    if ctx.derive:
        # The stored fields come from the member services' own helper (the phone, parsed above with
        # the same normalize_phone, is not parsed twice).
        values, number_hash = person_clean_values(data, id_number=number or None, consent=ctx.consent)
        name_key = values["name_key"]
    else:
        name_key = search_key(data["name"].strip())
        number_hash = lookup_hash(number) if number else ""
        values = {
            **data,
            "name": data["name"].strip(),
            "name_key": name_key,
            "birth_date": data.get("birth_date") or (id_number_birth_date(number) if number else None),
        }
    if number_hash:
        first = ctx.seen_hash.setdefault(_seen_key(number_hash), r.number)
        if first != r.number:
            r.add("duplicate_id", row=first)
    if phone:
        first = ctx.seen_name_phone.setdefault(_seen_key(name_key, phone), r.number)
        if first != r.number:
            r.add("duplicate_name_phone", row=first)
    if phone:
        values["phone"] = phone
    r.person, r.person_hash = values, number_hash


def _check_enterprise(ctx: CheckContext, r: RowResult, name: str, credit_code: str) -> None:
    if credit_code:
        try:
            validate_credit_code(credit_code)
        except ValidationError as exc:
            r.add(_CREDIT_CODES.get(exc.code, "credit_check"))
            return
        first = ctx.seen_credit.setdefault(credit_code, r.number)
        if first != r.number:
            r.add("duplicate_credit_code", row=first)
    r.enterprise = {"name": name.strip(), "credit_code": credit_code or None, **enterprise_name_keys(name.strip())}


def _resolve_chunk(ctx: CheckContext, rows: list[RowResult]) -> None:
    """What the database says about a chunk: people and enterprises already registered (linked, not
    copied), likely matches by name in any script plus phone or birth date, current memberships."""
    hashes = {r.person_hash for r in rows if r.person and r.person_hash}
    by_hash = (
        dict(Person.objects.filter(id_number_hash__in=hashes).order_by().values_list("id_number_hash", "id"))
        if hashes
        else {}
    )
    names: set[str] = set()
    foreign = _foreign(ctx.visible_people, set(by_hash.values()), ctx)
    for r in rows:
        if r.person is None:
            continue
        if r.person_hash not in by_hash:
            names.add(r.person["name_key"])
        elif by_hash[r.person_hash] not in foreign:
            r.person_id = by_hash[r.person_hash]
            r.add("linked_person")
        elif r.enterprise is None:
            r.person_id, r.pending = by_hash[r.person_hash], True
            r.add("pending_review")
        else:
            r.person_unlinked = True
            r.add("representative_unlinked")
    phones = {r.person["phone"] for r in rows if r.person and r.person.get("phone")}
    births = {r.person["birth_date"] for r in rows if r.person and r.person.get("birth_date")}
    if ctx.matches_since_check is not None:
        same_phone, same_birth = ctx.matches_since_check
        for r in rows:
            if (
                r.person is not None
                and r.person_id is None
                and (
                    r.matched_at_check
                    or (r.person.get("phone") and (r.person["name_key"], r.person["phone"]) in same_phone)
                    or (r.person.get("birth_date") and (r.person["name_key"], r.person["birth_date"]) in same_birth)
                )
            ):
                r.add("likely_match")
    elif names and (phones or births):
        same_phone, same_birth = set(), set()
        # Narrowed in SQL too: a common name matches thousands of people in a large register.
        candidates = (
            ctx.visible_people.filter(name_key__in=names)
            .filter(Q(phone__in=phones) | Q(birth_date__in=births))
            .order_by()
        )
        for key, phone, birth in candidates.values_list("name_key", "phone", "birth_date"):
            if phone:
                same_phone.add((key, phone))
            if birth:
                same_birth.add((key, birth))
        for r in rows:
            if (
                r.person is not None
                and r.person_id is None
                and (
                    (r.person.get("phone") and (r.person["name_key"], r.person["phone"]) in same_phone)
                    or (r.person.get("birth_date") and (r.person["name_key"], r.person["birth_date"]) in same_birth)
                )
            ):
                r.add("likely_match")
    codes = {r.enterprise["credit_code"] for r in rows if r.enterprise and r.enterprise["credit_code"]}
    by_code = (
        dict(Enterprise.objects.filter(credit_code__in=codes).order_by().values_list("credit_code", "id"))
        if codes
        else {}
    )
    foreign_units = _foreign(ctx.visible_enterprises, set(by_code.values()), ctx)
    for r in rows:
        if r.enterprise and r.enterprise["credit_code"] in by_code:
            r.enterprise_id = by_code[r.enterprise["credit_code"]]
            if r.enterprise_id in foreign_units:
                r.pending = True
                r.add("pending_review")
            else:
                r.add("linked_enterprise")
    person_ids = {r.person_id for r in rows if r.person_id and r.enterprise is None}
    enterprise_ids = {r.enterprise_id for r in rows if r.enterprise_id}
    current = Membership.objects.filter(left_on__isnull=True).order_by()
    members = (
        set(current.filter(person_id__in=person_ids).values_list("association_id", "person_id"))
        if person_ids
        else set()
    )
    units = (
        set(current.filter(enterprise_id__in=enterprise_ids).values_list("association_id", "enterprise_id"))
        if enterprise_ids
        else set()
    )
    for r in rows:
        if (r.enterprise is None and (r.association_id, r.person_id) in members) or (
            r.enterprise_id and (r.association_id, r.enterprise_id) in units
        ):
            r.skip = True
            r.add("already_member")
    if any(r.pending for r in rows):
        waiting = PendingMembership.objects.filter(status=PendingStatus.PENDING).order_by()
        people = {r.person_id for r in rows if r.pending and not r.enterprise}
        units = {r.enterprise_id for r in rows if r.pending and r.enterprise}
        waiting_people = set(waiting.filter(person_id__in=people).values_list("association_id", "person_id"))
        waiting_units = set(waiting.filter(enterprise_id__in=units).values_list("association_id", "enterprise_id"))
        for r in rows:
            if r.pending and (
                (r.association_id, r.enterprise_id) in waiting_units
                if r.enterprise
                else (r.association_id, r.person_id) in waiting_people
            ):
                r.skip = True
                r.add("already_pending")


def _foreign(visible, ids: set[int], ctx: CheckContext) -> set[int]:
    """Those of `ids` (registered people or enterprises) the importer may not see."""
    if not ids or ctx.sees_everything:
        return set()
    return ids - set(visible.filter(pk__in=ids).values_list("pk", flat=True))


def _tally(ctx: CheckContext, rows: list[RowResult]) -> None:
    for r in rows:
        if r.has_error:
            ctx.error_rows += 1
        elif r.has_warning:
            ctx.warning_rows += 1
        if r.problems and len(ctx.problems) < PROBLEMS_KEPT:
            ctx.problems.append([r.number, [[c, p] for c, p in r.problems]])


def _chunks(iterable: Iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _check_chunk(ctx: CheckContext, chunk: list[tuple[int, list]]) -> list[RowResult]:
    rows = [check_row(ctx, number, cells) for number, cells in chunk]
    _resolve_chunk(ctx, rows)
    _tally(ctx, rows)
    return rows


# --- writing -----------------------------------------------------------------------------------------


class _Record:
    """A row just written, as the audit snapshot and the search indexer read it: `pk` and every
    field's value by attname, with the model's `_meta` and audit masks (no model instance: building
    one costs more than writing the row)."""

    def __init__(self, pk: int, values: dict[str, Any]):
        self.__dict__.update(values)
        self.pk = self.id = pk


_PLAIN = (str, int, float, datetime.date)


class _Table:
    """One model as the import writes it: raw bulk inserts (`core.bulk.insert_rows`) of every
    concrete column, the ones a row leaves out taking the field's default, as `Model(**values)` would."""

    def __init__(self, model):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.columns = tuple(f.column for f in self.fields)
        self.record = type(
            f"{model.__name__}Record",
            (_Record,),
            {"_meta": model._meta, "AUDIT_MASKS": getattr(model, "AUDIT_MASKS", {})},
        )
        self.audited = audited_fields(model) if model is not AuditEntry else []
        masks = getattr(model, "AUDIT_MASKS", {})
        self.snapshot_fields = [(name, model._meta.get_field(name).attname, masks.get(name)) for name in self.audited]

    def _defaults(self, now: datetime.datetime) -> list[tuple[str, bool, Any]]:
        """(attname, default is per row, default) for every column."""
        out = []
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                out.append((f.attname, False, now))
            elif f.has_default() and callable(f.default):
                out.append((f.attname, True, f.get_default))
            else:
                out.append((f.attname, False, f.get_default()))
        return out

    def write(self, rows: list[dict[str, Any]], now: datetime.datetime, *, records: bool = True) -> list[_Record]:
        """Insert `rows` (values by attname); return them as records with their new ids."""
        if not rows:
            return []
        defaults = self._defaults(now)
        full = []
        for values in rows:
            row = dict(values)
            for attname, per_row, default in defaults:
                if attname not in row:
                    row[attname] = default() if per_row else default
            full.append(row)
        ids = insert_rows(self.model, self.columns, [self._db_row(row) for row in full], return_ids=records)
        return [self.record(pk, row) for pk, row in zip(ids, full, strict=True)] if records else []

    def _db_row(self, row: dict[str, Any]) -> tuple:
        """The row's values in column order: plain values as they are (`insert_rows` adapts dates and
        JSON), anything else as the field prepares it for the database."""
        from django.db import connection

        out = []
        for f in self.fields:
            value = row[f.attname]
            if value is not None and not isinstance(value, _PLAIN) and not isinstance(f, models.JSONField):
                value = f.get_db_prep_save(value, connection)
            out.append(value)
        return tuple(out)

    def audit_rows(
        self, records: list[_Record], reprs: list[str], association_ids: list[int | None], now: datetime.datetime
    ) -> list[dict[str, Any]]:
        """The `create` audit rows of records just written: the masked snapshot `create_audited` writes."""
        actor = context.current()
        label = self.model._meta.label_lower
        out = []
        for record, text, association_id in zip(records, reprs, association_ids, strict=True):
            out.append(
                {
                    "at": now,
                    "actor_id": actor.user_id,
                    "actor_username": actor.username,
                    "ip_address": actor.ip_address,
                    "request_id": actor.request_id,
                    "action": AuditAction.CREATE,
                    "object_type": label,
                    "object_id": str(record.pk),
                    "object_repr": text[:200],
                    "association_id": association_id,
                    "changes": self.created_changes(record),
                }
            )
        return out

    def created_changes(self, record: _Record) -> dict[str, list]:
        """`{field: [None, value]}` of the masked snapshot, as `create_audited` writes it (what
        `core.services.snapshot` gives, without looking each field up again for every row)."""
        changes = {}
        values = record.__dict__
        for name, attname, mask in self.snapshot_fields:
            value = values[attname]
            if mask is not None and value not in (None, ""):
                value = mask(value)
            elif value is not None and not isinstance(value, str | bool | int | float):
                value = _jsonable(value)
            if value not in (None, "", []):
                changes[name] = [None, value]
        return changes


_TABLES: dict[type, _Table] = {}


def _table(model) -> _Table:
    if model not in _TABLES:
        _TABLES[model] = _Table(model)
    return _TABLES[model]


def _commit_chunk(ctx: CheckContext, chunk: list) -> list[RowResult]:
    """Check one chunk again and write it: people, enterprises, memberships and their audit rows.

    With the check's stash (`ctx.stashed`) the chunk holds the rows the check derived, and only what the
    database says about them is looked at again; otherwise it holds the file's rows, checked from scratch."""
    if ctx.stashed:
        rows = [_unstash_row(ctx, item) for item in chunk]
        _resolve_chunk(ctx, rows)
        _tally(ctx, rows)
    else:
        rows = _check_chunk(ctx, chunk)
    if any(r.has_error for r in rows):
        raise ImportRefused(_("Some rows have problems now: check the file again."))
    _write_chunk(ctx, rows)
    return rows


def _write_chunk(ctx: CheckContext, rows: list[RowResult]) -> None:
    now = timezone.now()
    association_names = dict(
        Association.objects.filter(pk__in={r.association_id for r in rows}).order_by().values_list("pk", "name")
    )
    people, enterprises, memberships = _table(Person), _table(Enterprise), _table(Membership)
    new_people = [
        r for r in rows if not r.skip and not r.pending and not r.person_unlinked and r.person and r.person_id is None
    ]
    for r in new_people:
        if r.person.get("consent_at") is not None:
            r.person["consent_at"] = now  # consent is recorded when the import is committed
    person_records = people.write([r.person for r in new_people], now)
    for r, p in zip(new_people, person_records, strict=True):
        r.person_id, r.outcome = p.pk, "created"
    new_enterprises = [r for r in rows if not r.skip and r.enterprise and r.enterprise_id is None]
    enterprise_records = enterprises.write(
        [{**r.enterprise, "representative_id": r.person_id} for r in new_enterprises], now
    )
    for r, e in zip(new_enterprises, enterprise_records, strict=True):
        r.enterprise_id, r.outcome = e.pk, "created"
    membership_values, membership_reprs = [], []
    pending_values, pending_reprs = [], []
    for r in rows:
        if r.skip:
            r.outcome = "skipped"
            continue
        unit = r.enterprise is not None
        if r.pending:
            r.outcome = "pending"
            pending_values.append(_pending_row(ctx, r, unit))
            name = pending_values[-1]["submitted"].get("name", "")
            pending_reprs.append(f"{association_names.get(r.association_id, '')} · {name}")
            continue
        r.outcome = r.outcome or "linked"
        membership_values.append(
            {
                "association_id": r.association_id,
                "person_id": None if unit else r.person_id,
                "enterprise_id": r.enterprise_id if unit else None,
                **r.membership,
            }
        )
        holder = (r.enterprise or r.person or {}).get("name", "")
        membership_reprs.append(f"{association_names.get(r.association_id, '')} · {holder}")
    membership_records = memberships.write(membership_values, now)
    pending_table = _table(PendingMembership)
    pending_records = pending_table.write(pending_values, now)
    ctx.pending_records.extend(pending_records)
    home = ctx.imp.association_id
    entries = people.audit_rows(person_records, [p.name for p in person_records], [home] * len(person_records), now)
    entries += enterprises.audit_rows(
        enterprise_records, [e.name for e in enterprise_records], [home] * len(enterprise_records), now
    )
    entries += memberships.audit_rows(
        membership_records, membership_reprs, [m.association_id for m in membership_records], now
    )
    entries += pending_table.audit_rows(
        pending_records, pending_reprs, [p.association_id for p in pending_records], now
    )
    _table(AuditEntry).write(entries, now, records=False)
    search_index_hook(Person, person_records)
    search_index_hook(Enterprise, enterprise_records)
    for r in rows:
        ctx.created += r.outcome == "created"
        ctx.linked += r.outcome == "linked"
        ctx.skipped += r.outcome == "skipped"
        ctx.pending += r.outcome == "pending"


def _pending_row(ctx: CheckContext, r: RowResult, unit: bool) -> dict[str, Any]:
    """A membership awaiting confirmation, keeping what the row said (`members.services.pending_membership_create`)."""
    if unit:
        submitted = submitted_enterprise({**r.enterprise, "representative_name": (r.person or {}).get("name", "")})
    else:
        submitted = submitted_person(r.person)
    return {
        "association_id": r.association_id,
        "person_id": None if unit else r.person_id,
        "enterprise_id": r.enterprise_id if unit else None,
        "submitted": submitted,
        "status": PendingStatus.PENDING.value,
        "source": f"import:{ctx.imp.pk}",
        "requested_by_id": ctx.imp.owner_id,
        **r.membership,
    }


def search_index_hook(model, objects: list) -> None:
    """Keep the search index in step with the bulk insert, in the same transaction (the bulk path
    bypasses the services' `index_object`)."""
    if objects:
        index_new_objects(objects, model=model)


# --- what the check keeps for the commit -------------------------------------------------------------

STASH_VERSION = 1
_FRAME = struct.Struct(">I32s")


def _stash_path(stored_name: str) -> Path:
    return stored_path(stored_name).with_suffix(".checked")


def _stash_fingerprint(imp: MemberImport, today: datetime.date) -> dict[str, Any]:
    """What the stashed rows were derived from: another mapping, consent, file or day means check again."""
    return {
        "version": STASH_VERSION,
        "import": imp.pk,
        "file": imp.stored_name,
        "mapping": imp.mapping,
        "consent": bool(imp.consent_confirmed),
        "owner": imp.owner_id,
        "association": imp.association_id,
        "today": today.isoformat(),
    }


def _frame_mac(nonce: str, sequence: int, payload: bytes) -> bytes:
    """Signed under the site's secret, numbered, and tied to one stash (its header's nonce): frames
    cannot be altered, reordered, or taken from another stash."""
    return salted_hmac(
        f"qiaojia.imports.stash:{nonce}", str(sequence).encode() + b":" + payload, algorithm="sha256"
    ).digest()


def _plain(values: dict[str, Any] | None) -> dict[str, Any] | None:
    """Choices (str subclasses) as the plain strings they are stored as."""
    if values is None:
        return None
    return {k: str(v) if isinstance(v, str) and type(v) is not str else v for k, v in values.items()}


class _StashUnpickler(pickle.Unpickler):
    """Rows hold plain values and dates: nothing else is ever rebuilt from the file."""

    def find_class(self, module, name):
        if module == "datetime" and name in ("date", "datetime", "timezone", "timedelta"):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in an import stash")


class _Stash:
    """The rows the check derived (search keys, encrypted ID numbers, parsed phones, memberships), kept
    beside the upload, as private as it, so the commit does not derive them again.

    Written chunk by chunk while the check runs (each frame signed, numbered, under the site's secret) and
    put in place only when the whole file checked without an error; removed with the upload (commit,
    expiry). The commit uses it only if it was derived from the same file, mapping, consent and day."""

    def __init__(self, imp: MemberImport, today: datetime.date):
        _stash_path(imp.stored_name).unlink(missing_ok=True)
        self.final = _stash_path(imp.stored_name)
        self.path = self.final.with_name(f"{uuid.uuid4().hex}.partial")
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self.handle: io.BufferedWriter | None = os.fdopen(fd, "wb")
        self.sequence, self.nonce = 0, ""
        # The last person registered before the check looked for likely matches: the commit looks
        # again only among the people registered after.
        watermark = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        nonce = uuid.uuid4().hex
        self._frame({"fingerprint": _stash_fingerprint(imp, today), "watermark": watermark, "nonce": nonce})
        self.nonce = nonce

    def _frame(self, value: Any) -> None:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self.handle.write(_FRAME.pack(len(payload), _frame_mac(self.nonce, self.sequence, payload)))
        self.handle.write(payload)
        self.sequence += 1

    def add(self, rows: list[RowResult]) -> None:
        if self.handle is not None:
            self._frame(
                [
                    (
                        r.number,
                        _plain(r.person),
                        r.person_hash,
                        _plain(r.enterprise),
                        r.association_id,
                        r.association_key,
                        _plain(r.membership),
                        any(c == "likely_match" for c, _p in r.problems),
                    )
                    for r in rows
                ]
            )

    def discard(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None
        self.path.unlink(missing_ok=True)

    def finish(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None
            os.replace(self.path, self.final)


def _read_frame(handle, nonce: str, sequence: int) -> Any:
    header = handle.read(_FRAME.size)
    if not header:
        return None
    if len(header) != _FRAME.size:
        raise ImportRefused(_("The import's checked rows are damaged: check the file again."))
    size, mac = _FRAME.unpack(header)
    payload = handle.read(size)
    if len(payload) != size or not hmac.compare_digest(mac, _frame_mac(nonce, sequence, payload)):
        raise ImportRefused(_("The import's checked rows are damaged: check the file again."))
    return _StashUnpickler(io.BytesIO(payload)).load()


def _stashed_chunks(imp: MemberImport, today: datetime.date) -> tuple[Iterator[list], int] | None:
    """The chunks the check kept for this import and the check's watermark (see `_Stash`), or None
    when there are none that still hold."""
    if not imp.stored_name:
        return None
    try:
        handle = _stash_path(imp.stored_name).open("rb")
    except FileNotFoundError:
        return None
    try:
        header = _read_frame(handle, "", 0)
    except (ImportRefused, pickle.UnpicklingError, EOFError, ValueError):
        header = None
    if not isinstance(header, dict) or header.get("fingerprint") != _stash_fingerprint(imp, today):
        handle.close()
        return None

    def chunks() -> Iterator[list]:
        sequence, count = 1, 0
        with handle:
            while (chunk := _read_frame(handle, header["nonce"], sequence)) is not None:
                sequence += 1
                count += len(chunk)
                yield chunk
        if count != imp.row_count:
            raise ImportRefused(_("The import's checked rows are damaged: check the file again."))

    return chunks(), header["watermark"]


def _stash_holds(imp: MemberImport) -> bool:
    """Whether the commit can take its rows from what the check kept, without reading the file again."""
    if not imp.stored_name:
        return False
    try:
        with _stash_path(imp.stored_name).open("rb") as handle:
            header = _read_frame(handle, "", 0)
    except (OSError, ImportRefused, pickle.UnpicklingError, EOFError, ValueError):
        return False
    return isinstance(header, dict) and header.get("fingerprint") == _stash_fingerprint(imp, timezone.localdate())


MATCHES_SINCE_CHECK_MAX = 100_000


def _matches_since(watermark: int, visible) -> tuple[set, set] | None:
    """(name key, phone) and (name key, birth date) of the people registered since the check that the
    importer may see, or None when so many were that looking in the whole register again is cheaper."""
    since = visible.filter(pk__gt=watermark).order_by()
    if since.count() > MATCHES_SINCE_CHECK_MAX:
        return None
    same_phone, same_birth = set(), set()
    for key, phone, birth in since.values_list("name_key", "phone", "birth_date"):
        if phone:
            same_phone.add((key, phone))
        if birth:
            same_birth.add((key, birth))
    return same_phone, same_birth


def _unstash_row(ctx: CheckContext, item: tuple) -> RowResult:
    number, person, person_hash, enterprise, association_id, association_key, membership, matched = item
    r = RowResult(
        number,
        person=person,
        person_hash=person_hash,
        enterprise=enterprise,
        association_id=association_id,
        association_key=association_key,
        membership=membership,
        matched_at_check=matched,
    )
    # The rights to write to an association named in the file are looked at again.
    if association_key and ctx.associations.get(association_key) != association_id:
        r.add("unknown_association", value=association_key[:50])
    return r


# --- reports -----------------------------------------------------------------------------------------


class _Report:
    """A CSV report (UTF-8 with BOM so Excel opens it), masked: no phone or ID number in clear."""

    def __init__(self, language: str):
        self.language = language
        directory = upload_dir() / "reports"
        directory.mkdir(exist_ok=True, mode=0o700)
        self.relative = f"imports/reports/{uuid.uuid4().hex}.csv"
        self.path = Path(settings.MEDIA_ROOT) / self.relative
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self.handle = os.fdopen(fd, "w", encoding="utf-8-sig", newline="")
        self.writer = csv.writer(self.handle)
        with translation.override(language):
            self.writer.writerow([str(_("Row")), str(_("Outcome")), str(_("Problems"))])

    def rows(self, rows: list[RowResult], *, only_problems: bool) -> None:
        with translation.override(self.language):
            for r in rows:
                if only_problems and not r.problems:
                    continue
                outcome = r.outcome or ("error" if r.has_error else "warning" if r.has_warning else "created")
                self.writer.writerow(
                    [
                        r.number,
                        mask_text(str(OUTCOMES.get(outcome, outcome))),
                        mask_text(" ".join(problem_text(c, p) for c, p in r.problems)),
                    ]
                )

    def close(self) -> None:
        self.handle.close()

    def discard(self) -> None:
        self.handle.close()
        self.path.unlink(missing_ok=True)


def _user_language(user) -> str:
    return user.language or translation.get_language() or settings.LANGUAGE_CODE


def _language(imp: MemberImport) -> str:
    return _user_language(imp.owner)


# --- the steps of an import --------------------------------------------------------------------------


def _move(imp: MemberImport, status: str, **values) -> None:
    if status not in TRANSITIONS[ImportStatus(imp.status)]:
        raise ImportRefused(_("This import cannot do that now."))
    imp.status = status
    for key, value in values.items():
        setattr(imp, key, value)
    MemberImport.objects.filter(pk=imp.pk).update(status=status, **values)


def background_threshold() -> int:
    """Checked files of up to this many rows are committed inline (from what the check kept)."""
    return getattr(settings, "QIAOJIA_IMPORT_BACKGROUND_ROWS", 2000)


def import_purge_expired(*, now: datetime.datetime | None = None, dry_run: bool = False) -> int:
    """Delete uploaded files older than QIAOJIA_IMPORT_KEEP_HOURS that were never committed, and the
    files no import holds (a reading job that died, a check interrupted by a crash). Returns how many imports expired
    (with `dry_run`, would expire: nothing is changed)."""
    hours = getattr(settings, "QIAOJIA_IMPORT_KEEP_HOURS", 24)
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=hours)
    stale = MemberImport.objects.filter(created_at__lt=cutoff).exclude(stored_name="")
    if dry_run:
        return stale.count()
    count = 0
    for pk, stored in stale.values_list("pk", "stored_name"):
        stored_path(stored).unlink(missing_ok=True)
        _stash_path(stored).unlink(missing_ok=True)
        MemberImport.objects.filter(pk=pk).update(stored_name="", message="expired")
        count += 1
    held = {
        Path(name).stem for name in MemberImport.objects.exclude(stored_name="").values_list("stored_name", flat=True)
    }
    for path in upload_dir().iterdir():
        if (
            path.suffix in (".csv", ".xlsx", ".checked", ".partial")
            and path.stem not in held
            and path.is_file()
            and path.stat().st_mtime < cutoff.timestamp()
        ):
            path.unlink(missing_ok=True)
    return count


def import_upload(*, owner, association: Association, uploaded) -> Job:
    """Store an uploaded file after the cheap checks (size, type by content, the zip's directory) and
    queue the job that reads it (`import_read_run`): no row is counted or decompressed in the request.
    A file refused here is not kept."""
    import_purge_expired()
    stored, kind, size = store_upload(uploaded)
    try:
        with transaction.atomic():
            return jobs.job_enqueue(
                kind=READ_KIND,
                owner=owner,
                association=association,
                params={
                    "file": stored,
                    "kind": kind,
                    "size": size,
                    "name": os.path.basename(uploaded.name or "")[:200],
                },
            )
    except BaseException:
        stored_path(stored).unlink(missing_ok=True)
        raise


def import_read_run(job: Job, progress: Callable) -> MemberImport:
    """Read an uploaded file within the limits (`reading.count_rows`) and create its import, with the
    column mapping remembered for files of the same shape or guessed. A refused file is deleted and
    leaves no import; the job keeps the refusal's code, to be shown in the reader's language."""
    params = dict(job.params)
    path = stored_path(params["file"])

    def counted(rows: int) -> None:
        progress(rows, 0, str(_("%(rows)s rows read")) % {"rows": f"{rows:,}"})

    try:
        if not path.is_file():
            raise reading.refusal("unreadable")
        headers, row_count = reading.count_rows(path, params["kind"], progress=counted)
        if not headers:
            raise reading.refusal("empty")
    except Exception as exc:
        path.unlink(missing_ok=True)
        refused = reading.read_error(exc)
        if refused is not exc:
            log.warning("import upload %s could not be read: %s", job.pk, type(exc).__name__)
        params["refused"] = {"code": refused.code, "params": refused.params or {}}
        Job.objects.filter(pk=job.pk).update(params=params)
        job.params = params
        raise jobs.JobError(reading.refusal_text(refused.code, refused.params)) from exc
    remembered = ColumnMapping.objects.filter(
        user=job.owner, association_id=job.association_id, signature=header_signature(headers)
    ).first()
    with transaction.atomic():
        imp = MemberImport.objects.create(
            owner=job.owner,
            association_id=job.association_id,
            original_name=params["name"],
            stored_name=params["file"],
            file_kind=params["kind"],
            size=params["size"],
            headers=headers,
            mapping=remembered.mapping if remembered else guess_mapping(headers),
            row_count=row_count,
            job=job,
        )
        params["import"] = imp.pk
        Job.objects.filter(pk=job.pk).update(params=params)
        job.params = params
    counted(row_count)
    return imp


def import_map(*, imp: MemberImport, mapping: dict[str, str], consent: bool) -> MemberImport:
    """Record the mapping (remembered for files of the same shape) and check the rows."""
    if imp.status not in (ImportStatus.UPLOADED, ImportStatus.CHECKED, ImportStatus.FAILED):
        raise ImportRefused(_("This import cannot do that now."))
    mapping = {str(i): f for i, f in mapping.items() if f in FIELDS}
    fields = list(mapping.values())
    if len(fields) != len(set(fields)):
        raise ValidationError(_("Each field can be taken from one column only."), code="twice")
    if "name" not in fields and "enterprise_name" not in fields:
        raise ValidationError(_("Choose the column with the person's name or the enterprise name."), code="name")
    ColumnMapping.objects.update_or_create(
        user=imp.owner,
        association=imp.association,
        signature=header_signature(imp.headers),
        defaults={"mapping": mapping},
    )
    imp.mapping, imp.consent_confirmed = mapping, consent
    MemberImport.objects.filter(pk=imp.pk).update(mapping=mapping, consent_confirmed=consent)
    return import_check_start(imp=imp)


def _rows(imp: MemberImport) -> Iterator[tuple[int, list]]:
    if not imp.stored_name or not stored_path(imp.stored_name).is_file():
        raise ImportRefused(_("The uploaded file is no longer kept: upload it again."))
    _headers, data = read_rows(stored_path(imp.stored_name), imp.file_kind)
    return data


def import_check_start(*, imp: MemberImport) -> MemberImport:
    """Queue the check of every row: it runs in the background whatever the file's size."""
    with transaction.atomic():
        job = jobs.job_enqueue(
            kind="imports.check",
            owner=imp.owner,
            association=imp.association,
            params={"import": imp.pk},
            total=imp.row_count,
        )
        _move(imp, ImportStatus.CHECKING, job=job, message="")
    return imp


def import_check_run(imp: MemberImport, progress: Callable) -> MemberImport:
    """Check every row; keep the problems of the first few thousand rows and write the full report.
    A file without errors also leaves what it derived for the commit (`_Stash`)."""
    ctx = CheckContext(imp)
    data = _rows(imp)
    report = _Report(_language(imp))
    stash = _Stash(imp, ctx.today)
    done = 0
    try:
        for chunk in _chunks(data, CHUNK):
            rows = _check_chunk(ctx, chunk)
            report.rows(rows, only_problems=True)
            if ctx.error_rows:
                stash.discard()
            else:
                stash.add(rows)
            done += len(chunk)
            progress(done, imp.row_count)
    except BaseException:
        report.discard()
        stash.discard()
        raise
    report.close()
    _remove_report(imp)
    stash.finish()
    _move(
        imp,
        ImportStatus.CHECKED,
        row_count=done,
        error_rows=ctx.error_rows,
        warning_rows=ctx.warning_rows,
        problems=ctx.problems,
        report_path=report.relative,
        message="",
    )
    return imp


def import_commit_start(*, imp: MemberImport) -> MemberImport:
    """Commit the checked import: inline for small files whose check kept its rows (`_Stash`), as a
    background job above the threshold or when the file would have to be read again."""
    claimed = MemberImport.objects.filter(pk=imp.pk, status=ImportStatus.CHECKED, error_rows=0, row_count__gt=0).update(
        status=ImportStatus.COMMITTING
    )
    if claimed != 1:
        raise ImportRefused(_("This import cannot be committed: check the file first and correct every problem."))
    imp.status = ImportStatus.COMMITTING
    if imp.row_count > background_threshold() or not _stash_holds(imp):
        with transaction.atomic():
            job = jobs.job_enqueue(
                kind="imports.commit",
                owner=imp.owner,
                association=imp.association,
                params={"import": imp.pk},
                total=imp.row_count,
            )
            MemberImport.objects.filter(pk=imp.pk).update(job=job)
            imp.job = job
        return imp
    try:
        import_commit_run(imp, lambda done, total=None, message="": None)
    except Exception as exc:  # noqa: BLE001 - recorded on the import; the transaction left nothing behind
        _commit_failed(imp, exc)
    return imp


def _commit_failed(imp: MemberImport, exc: BaseException) -> None:
    if isinstance(exc, ImportRefused):
        message = str(exc)
    elif isinstance(exc, ValidationError) and getattr(exc, "code", None) in reading.REFUSALS:
        message = reading.refusal_text(exc.code, exc.params)
    else:
        message = str(_("The import failed and nothing was saved."))
    _move(imp, ImportStatus.FAILED, message=mask_text(message)[:300])


def import_commit_run(imp: MemberImport, progress: Callable) -> MemberImport:
    """Write every row in one transaction; any failure rolls all of it back."""
    ctx = CheckContext(imp)
    stashed = _stashed_chunks(imp, ctx.today)
    if stashed is not None:
        chunks, watermark = stashed
        ctx.stashed = True
    else:
        chunks = _chunks(_rows(imp), CHUNK)
    report = _Report(_language(imp))
    done = 0
    try:
        with transaction.atomic():
            if ctx.stashed:
                ctx.matches_since_check = _matches_since(watermark, ctx.visible_people)
            for chunk in chunks:
                rows = _commit_chunk(ctx, chunk)
                report.rows(rows, only_problems=False)
                done += len(chunk)
                progress(done, imp.row_count)
            audit_log(
                action=AuditAction.UPDATE,
                instance=imp,
                changes={
                    "status": [ImportStatus.CHECKED, ImportStatus.COMMITTED],
                    "rows": done,
                    "created": ctx.created,
                    "linked": ctx.linked,
                    "skipped": ctx.skipped,
                    "pending": ctx.pending,
                    "file": mask_text(imp.original_name),
                },
            )
            _announce_pending(ctx)
            _move(
                imp,
                ImportStatus.COMMITTED,
                created_count=ctx.created,
                linked_count=ctx.linked,
                skipped_count=ctx.skipped,
                committed_at=timezone.now(),
                message="",
            )
    except BaseException:
        report.discard()
        raise
    report.close()
    _remove_report(imp)
    stored_path(imp.stored_name).unlink(missing_ok=True)
    _stash_path(imp.stored_name).unlink(missing_ok=True)
    MemberImport.objects.filter(pk=imp.pk).update(report_path=report.relative, stored_name="")
    imp.report_path, imp.stored_name = report.relative, ""
    return imp


def _announce_pending(ctx: CheckContext) -> None:
    """One notice per association to the reviewers (and one to each person with an account) for the
    memberships the import left awaiting confirmation."""
    by_association: dict[int, list] = {}
    for record in ctx.pending_records:
        by_association.setdefault(record.association_id, []).append(record)
    for association in Association.objects.filter(pk__in=by_association):
        pending_announce(by_association[association.pk], association=association)


def _remove_report(imp: MemberImport) -> None:
    if imp.report_path:
        (Path(settings.MEDIA_ROOT) / imp.report_path).unlink(missing_ok=True)


def report_file(imp: MemberImport) -> Path | None:
    if not imp.report_path:
        return None
    path = Path(settings.MEDIA_ROOT) / imp.report_path
    return path if path.is_file() else None


# --- background jobs ---------------------------------------------------------------------------------


def _job_import(job) -> MemberImport:
    return MemberImport.objects.select_related("owner", "association").get(pk=job.params["import"])


@jobs.register(READ_KIND)
def _read_job(job, progress) -> None:
    with translation.override(_user_language(job.owner)):
        import_read_run(job, progress)


@jobs.register("imports.check")
def _check_job(job, progress) -> None:
    imp = _job_import(job)
    with translation.override(_language(imp)):
        try:
            import_check_run(imp, progress)
        except Exception as exc:
            _commit_failed(imp, exc)
            raise
    job.result_path, job.result_name = imp.report_path, f"check-{imp.pk}.csv"


@jobs.register("imports.commit")
def _commit_job(job, progress) -> None:
    imp = _job_import(job)
    with translation.override(_language(imp)):
        try:
            import_commit_run(imp, progress)
        except Exception as exc:
            _commit_failed(imp, exc)
            raise
    job.result_path, job.result_name = imp.report_path, f"import-{imp.pk}.csv"


# --- measuring ---------------------------------------------------------------------------------------


def _run_now(job: Job) -> Job:
    """Run a queued job in this process at once, claimed as any worker would claim it (benchmarks)."""
    claimed = jobs.job_claim(job.pk)
    if claimed is None:
        raise ImportRefused(f"job {job.pk} was claimed by another worker")
    return jobs.job_run(claimed)


def bench_import(
    rows: int,
    association: Association,
    *,
    owner=None,
    file_kind: str = "csv",
    seed: int = 1,
    trace_memory: bool = False,
) -> dict[str, float]:
    """Generate `rows` people, import them into `association` (upload, check, commit) and measure.

    Returns rows/s of the commit alone and of the whole import, and the peak memory in MB: the
    process's peak resident size (ru_maxrss), or with `trace_memory` the peak of Python allocations
    during the import (tracemalloc, which slows the run). The database is filled for real."""
    import resource

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import override_settings

    from .sample import sample_file

    if owner is None:
        owner, _created = User.objects.get_or_create(username="bench-import", defaults={"role": Role.STAFF})
    upload = SimpleUploadedFile(f"bench.{file_kind}", sample_file(rows, file_kind=file_kind, seed=seed))
    if trace_memory:
        tracemalloc.start()
    try:
        with override_settings(QIAOJIA_IMPORT_BACKGROUND_ROWS=rows + 1, QIAOJIA_JOBS_THREAD=False):
            started = time.perf_counter()
            read = _run_now(import_upload(owner=owner, association=association, uploaded=upload))
            del upload  # stored now: the copy in memory is not needed for the rest
            if "import" not in read.params:
                raise ImportRefused(f"bench file refused: {read.error}")
            imp = MemberImport.objects.select_related("owner", "association").get(pk=read.params["import"])
            import_map(imp=imp, mapping=imp.mapping, consent=True)
            _run_now(imp.job)
            imp.refresh_from_db()
            checked = time.perf_counter()
            if imp.error_rows:
                raise ImportRefused(f"bench file has {imp.error_rows} rows with errors: {imp.problems[:3]}")
            import_commit_start(imp=imp)
            finished = time.perf_counter()
        peak = (
            tracemalloc.get_traced_memory()[1] / (1024 * 1024)
            if trace_memory
            else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        )
    finally:
        if trace_memory:
            tracemalloc.stop()
    imp.refresh_from_db()
    if imp.status != ImportStatus.COMMITTED:
        raise ImportRefused(imp.message)
    return {
        "rows": rows,
        "rows_per_s": round(rows / (finished - started)),
        "commit_rows_per_s": round(rows / (finished - checked)),
        "seconds": round(finished - started, 2),
        "peak_mb": round(peak, 1),
        "memory": "tracemalloc" if trace_memory else "ru_maxrss",
    }
