"""Checking the rows of an import: what is wrong with each row, and what would be stored.

Two halves. `check_row` is pure (no database, no state shared between rows): it reads, validates and
derives a row's stored values with the member services' own helpers (`person_clean_values`,
`enterprise_values`), so a large file is checked in several processes at once (`checked_chunks`, one
process per core). `Checker` then takes the checked chunks in file order, in the importer's process:
duplicates inside the file, and what the database says (people and enterprises already registered,
likely matches on (name key, phone) and (name key, birth date), current and awaiting memberships),
always within what the importer may see."""

import dataclasses
import datetime
import hashlib
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qiaojia.accounts import scope
from qiaojia.core.masking import mask_text
from qiaojia.core.validators import (
    normalize_credit_code,
    normalize_id_number,
    normalize_phone,
    validate_credit_code,
)
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
from qiaojia.members.services import enterprise_values, person_clean_values
from qiaojia.orgs.models import Association

from .fields import FIELDS, cell_text, normalize_header, parse_choice, parse_country, parse_date
from .models import MemberImport

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


# --- one row, without the database ---------------------------------------------------------------


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


@dataclasses.dataclass(frozen=True)
class Rules:
    """What checking one row needs, and nothing of the database: sent to the checking processes."""

    columns: tuple[tuple[int, str], ...]
    consent: bool
    today: datetime.date
    association_id: int
    # Normalised names of the associations the owner may write to -> id.
    associations: dict[str, int]


def rules_for(imp: MemberImport) -> "Rules":
    return Rules(
        columns=tuple(sorted((int(i), f) for i, f in (imp.mapping or {}).items() if f in FIELDS)),
        consent=bool(imp.consent_confirmed),
        today=timezone.localdate(),
        association_id=imp.association_id,
        associations=writable_associations(imp.owner, imp.association),
    )


def writable_associations(owner, default: Association) -> dict[str, int]:
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


def _max_length(model: type[models.Model], name: str) -> int:
    field = model._meta.get_field(name)
    length = field.max_length if isinstance(field, models.Field) else None
    if length is None:
        raise TypeError(f"{model._meta.label}.{name} has no maximum length")
    return length


_MAX = {
    "name": _max_length(Person, "name"),
    "name_en": _max_length(Person, "name_en"),
    "public_title": _max_length(Person, "public_title"),
    "email": _max_length(Person, "email"),
    "enterprise_name": _max_length(Enterprise, "name"),
}
# By the code of the ValidationError (which may have none).
_ID_CODES: dict[str | None, str] = {"format": "id_format", "birth_date": "id_birth_date", "check": "id_check"}
_CREDIT_CODES: dict[str | None, str] = {
    "length": "credit_length",
    "alphabet": "credit_alphabet",
    "check": "credit_check",
}


def check_row(rules: Rules, number: int, cells: list) -> RowResult:
    """Check one row and derive what would be stored (pure: no database, nothing shared with other rows)."""
    r = RowResult(number)
    raw = {field: (cells[index] if index < len(cells) else None) for index, field in rules.columns}
    text = {k: cell_text(v) for k, v in raw.items()}
    for field, limit in _MAX.items():
        if len(text.get(field, "")) > limit:
            r.add("too_long", field=field, max=limit)

    association = text.get("association", "")
    r.association_id = rules.association_id
    if association:
        r.association_key = normalize_header(association)
        r.association_id = rules.associations.get(r.association_key)
        if r.association_id is None:
            r.add("unknown_association", value=association[:50])
    for field in ("level", "dues_status"):
        if text.get(field):
            value = parse_choice(field, text[field])
            if value is None:
                r.add("unknown_level" if field == "level" else "unknown_value", field=field, value=text[field][:50])
            else:
                r.membership[field] = value
    r.membership["joined_on"] = rules.today
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
        _check_person(rules, r, raw, text)
    if enterprise_name:
        _check_enterprise(r, enterprise_name, credit_code)
        r.membership.setdefault("level", MembershipLevel.MEMBER_UNIT)
    r.membership.setdefault("level", MembershipLevel.MEMBER)
    r.membership = _plain(r.membership)
    return r


def check_rows(rules: Rules, chunk: list[tuple[int, list]]) -> list[RowResult]:
    """`check_row` over a chunk: what a checking process runs."""
    return [check_row(rules, number, cells) for number, cells in chunk]


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    """Choices (str subclasses) as the plain strings they are stored as: cheaper to send and to stash."""
    return {k: str(v) if isinstance(v, str) and type(v) is not str else v for k, v in values.items()}


def _check_person(rules: Rules, r: RowResult, raw: dict, text: dict) -> None:
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
    # The member services' own helper validates the ID number (once), derives the keys and encrypts; the
    # phone, parsed above with the same normalize_phone, is not parsed again.
    try:
        values, number_hash = person_clean_values(data, id_number=number or None, consent=rules.consent)
    except ValidationError as exc:
        for field, errors in exc.error_dict.items():
            code = errors[0].code
            if field == "id_number":
                r.add(_ID_CODES.get(code, "id_format"))
            elif field == "birth_date":
                r.add("birth_mismatch")
            elif field == "consent":
                r.add("consent")
            else:
                r.add("invalid", field=field)
        return
    if r.has_error:
        return
    if phone:
        values["phone"] = phone
    r.person, r.person_hash = _plain(values), number_hash


def _check_enterprise(r: RowResult, name: str, credit_code: str) -> None:
    if credit_code:
        try:
            validate_credit_code(credit_code)
        except ValidationError as exc:
            r.add(_CREDIT_CODES.get(exc.code, "credit_check"))
            return
    r.enterprise = enterprise_values({"name": name.strip(), "credit_code": credit_code or None})


def _chunks(iterable: Iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def workers_for(row_count: int) -> int:
    """Processes that check a file of `row_count` rows: one per core above QIAOJIA_IMPORT_PARALLEL_ROWS
    (starting them costs more than checking a small file)."""
    if row_count < getattr(settings, "QIAOJIA_IMPORT_PARALLEL_ROWS", 5000):
        return 1
    return max(1, getattr(settings, "QIAOJIA_IMPORT_WORKERS", None) or os.cpu_count() or 1)


def _fork_context():
    return multiprocessing.get_context("fork")


def checked_chunks(rules: Rules, rows: Iterable[tuple[int, list]], *, workers: int = 1) -> Iterator[list[RowResult]]:
    """The file's rows checked by `check_row`, chunk by chunk in file order: in this process, or in
    `workers` forked processes (a few chunks ahead of the consumer, so memory stays flat). The workers
    touch no database: they inherit the parent's connection but never use it, and leave through
    `os._exit`, which closes nothing of it."""
    chunks = _chunks(rows, CHUNK)
    if workers <= 1:
        for chunk in chunks:
            yield check_rows(rules, chunk)
        return
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_fork_context())
    try:
        ahead: deque = deque()
        for chunk in chunks:
            ahead.append(pool.submit(check_rows, rules, chunk))
            if len(ahead) >= 2 * workers:
                yield ahead.popleft().result()
        while ahead:
            yield ahead.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# --- the rows of a file, against each other and the database -------------------------------------


class Checker:
    """What checking the rows of one file needs beyond each row: what earlier rows of the file held (to
    find duplicates inside it), what the database holds (within what the importer may see), the tallies."""

    def __init__(self, imp: MemberImport, rules: Rules | None = None):
        self.imp = imp
        self.rules = rules or rules_for(imp)
        self.today = self.rules.today
        # Keyed by `_seen_key` digests: a large file's keys would otherwise weigh more than the rest.
        self.seen_hash: dict[bytes, int] = {}
        self.seen_name_phone: dict[bytes, int] = {}
        self.seen_credit: dict[str, int] = {}
        self.error_rows = self.warning_rows = 0
        self.created = self.linked = self.skipped = self.pending = 0
        self.problems: list = []
        # What the importer may see: registered records outside it are matched for review, never shown.
        self.visible_people = member_selectors.person_scope(imp.owner)
        self.visible_enterprises = member_selectors.enterprise_scope(imp.owner)
        self.sees_everything = scope.is_federation(imp.owner)
        # Committing from the stash: likely matches are looked for only among the people registered
        # since the check: (name key, phone) and (name key, birth date) pairs. None: the whole register.
        self.matches_since_check: tuple[set, set] | None = None
        # Committing: the chunks hold the rows the check stashed, not the file's.
        self.stashed = False

    def chunk(self, rows: list[RowResult], *, in_file: bool = True) -> list[RowResult]:
        """Finish the check of a chunk `check_rows` made: duplicates in the file (`in_file`), the
        database, the tallies."""
        if in_file:
            self.duplicates(rows)
        self.resolve(rows)
        self.tally(rows)
        return rows

    def duplicates(self, rows: list[RowResult]) -> None:
        for r in rows:
            if r.person is not None:
                if r.person_hash:
                    first = self.seen_hash.setdefault(_seen_key(r.person_hash), r.number)
                    if first != r.number:
                        r.add("duplicate_id", row=first)
                if r.person.get("phone"):
                    first = self.seen_name_phone.setdefault(
                        _seen_key(r.person["name_key"], r.person["phone"]), r.number
                    )
                    if first != r.number:
                        r.add("duplicate_name_phone", row=first)
            if r.enterprise is not None and r.enterprise.get("credit_code"):
                first = self.seen_credit.setdefault(r.enterprise["credit_code"], r.number)
                if first != r.number:
                    r.add("duplicate_credit_code", row=first)

    def resolve(self, rows: list[RowResult]) -> None:
        """What the database says about a chunk: people and enterprises already registered (linked, not
        copied), likely matches by name in any script plus phone or birth date, current memberships."""
        hashes = {r.person_hash for r in rows if r.person and r.person_hash}
        by_hash = (
            dict(
                Person.objects.filter(id_number_hash__in=hashes)
                .exclude(id_number_hash="")
                .order_by()
                .values_list("id_number_hash", "id")
            )
            if hashes
            else {}
        )
        foreign = self._foreign(self.visible_people, set(by_hash.values()))
        unlinked = []
        for r in rows:
            if r.person is None:
                continue
            if r.person_hash not in by_hash:
                unlinked.append(r)
            elif by_hash[r.person_hash] not in foreign:
                r.person_id = by_hash[r.person_hash]
                r.add("linked_person")
            elif r.enterprise is None:
                r.person_id, r.pending = by_hash[r.person_hash], True
                r.add("pending_review")
            else:
                r.person_unlinked = True
                r.add("representative_unlinked")
        if self.matches_since_check is not None:
            same_phone, same_birth = self.matches_since_check
            for r in unlinked:
                if r.matched_at_check or _matches(r.person, same_phone, same_birth):
                    r.add("likely_match")
        elif unlinked:
            same_phone, same_birth = self.likely_matches(unlinked)
            for r in unlinked:
                if _matches(r.person, same_phone, same_birth):
                    r.add("likely_match")
        self._resolve_enterprises(rows)
        self._resolve_memberships(rows)

    def likely_matches(self, rows: list[RowResult]) -> tuple[set, set]:
        """The (name key, phone) and (name key, birth date) pairs of `rows` that a registered person the
        importer may see also has (`members.selectors.people_sharing`: by the pairs, never every namesake)."""
        return member_selectors.people_sharing(
            name_phones={(r.person["name_key"], r.person["phone"]) for r in rows if r.person and r.person.get("phone")},
            name_births={
                (r.person["name_key"], r.person["birth_date"]) for r in rows if r.person and r.person.get("birth_date")
            },
            viewer=self.imp.owner,
        )

    def _resolve_enterprises(self, rows: list[RowResult]) -> None:
        codes = {r.enterprise["credit_code"] for r in rows if r.enterprise and r.enterprise["credit_code"]}
        by_code = (
            dict(Enterprise.objects.filter(credit_code__in=codes).order_by().values_list("credit_code", "id"))
            if codes
            else {}
        )
        foreign_units = self._foreign(self.visible_enterprises, set(by_code.values()))
        for r in rows:
            if r.enterprise and r.enterprise["credit_code"] in by_code:
                r.enterprise_id = by_code[r.enterprise["credit_code"]]
                if r.enterprise_id in foreign_units:
                    r.pending = True
                    r.add("pending_review")
                else:
                    r.add("linked_enterprise")

    def _resolve_memberships(self, rows: list[RowResult]) -> None:
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
            # (`__in` leaves None out anyway: a pending row has its person's or enterprise's id.)
            people = {r.person_id for r in rows if r.pending and not r.enterprise and r.person_id is not None}
            pending_units = {
                r.enterprise_id for r in rows if r.pending and r.enterprise and r.enterprise_id is not None
            }
            waiting_people = set(waiting.filter(person_id__in=people).values_list("association_id", "person_id"))
            waiting_units = set(
                waiting.filter(enterprise_id__in=pending_units).values_list("association_id", "enterprise_id")
            )
            for r in rows:
                if r.pending and (
                    (r.association_id, r.enterprise_id) in waiting_units
                    if r.enterprise
                    else (r.association_id, r.person_id) in waiting_people
                ):
                    r.skip = True
                    r.add("already_pending")

    def _foreign(self, visible, ids: set[int]) -> set[int]:
        """Those of `ids` (registered people or enterprises) the importer may not see."""
        if not ids or self.sees_everything:
            return set()
        return ids - set(visible.filter(pk__in=ids).values_list("pk", flat=True))

    def tally(self, rows: list[RowResult]) -> None:
        for r in rows:
            if r.has_error:
                self.error_rows += 1
            elif r.has_warning:
                self.warning_rows += 1
            if r.problems and len(self.problems) < PROBLEMS_KEPT:
                self.problems.append([r.number, [[c, p] for c, p in r.problems]])


def _matches(person: dict[str, Any] | None, same_phone: set, same_birth: set) -> bool:
    """Whether a row's person shares a (name key, phone) or (name key, birth date) pair (a row without a
    person matches no one)."""
    if person is None:
        return False
    return bool(
        (person.get("phone") and (person["name_key"], person["phone"]) in same_phone)
        or (person.get("birth_date") and (person["name_key"], person["birth_date"]) in same_birth)
    )


def _seen_key(*parts: str) -> bytes:
    """A 16-byte digest standing for the values an earlier row of the file held."""
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).digest()
