"""The data subject's rights (PIPL arts. 44-47): a copy of everything the platform holds about a person,
the withdrawal of consent, and erasure by pseudonymisation.

Each app says what it holds about a person in its own `subject_data` module, which registers one
`SubjectData` per kind of record (`register_subject_data`); the modules are found at start-up
(`MembersConfig.ready`), so this module names no app above it."""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from qiaojia.accounts import scope
from qiaojia.core import context
from qiaojia.core.auditlock import audit_maintenance
from qiaojia.core.crypto import decrypt
from qiaojia.core.masking import mask_phone
from qiaojia.core.models import AuditAction, AuditEntry
from qiaojia.core.services import ConflictError, audit_log, create_audited
from qiaojia.core.validators import format_phone_national
from qiaojia.search.services import unindex_object

from .models import ConsentWithdrawal, Membership, Person, PersonMerge
from .rights_files import personal_data_zip

# --- The registry --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubjectData:
    """One kind of record an app holds about a person.

    `records(person)` is a queryset of `model` (loaded in a bounded number of queries, whatever the number
    of rows); `row(record)` gives the values of `columns` for the copy (art. 45). `erase(person, label)`
    removes the app's copies of the person's data (art. 47) and returns how many records it changed.
    With `audit`, the records' audit rows are about the person: they are in the copy and pseudonymised
    on erasure, the values under `audit_personal` wholesale."""

    kind: str
    label: Any
    model: type[models.Model]
    records: Callable[[Person], QuerySet]
    columns: tuple[tuple[str, Any], ...]
    row: Callable[[Any], dict[str, Any]]
    erase: Callable[[Person, str], int] | None = None
    audit: bool = True
    audit_personal: tuple[str, ...] = ()
    order: int = 100


_REGISTRY: dict[str, SubjectData] = {}


def register_subject_data(kind: str, **kwargs: Any) -> SubjectData:
    part = SubjectData(kind=kind, **kwargs)
    _REGISTRY[kind] = part
    return part


def subject_data() -> list[SubjectData]:
    return sorted(_REGISTRY.values(), key=lambda p: (p.order, p.kind))


def field_label(model: type[models.Model], name: str) -> Any:
    """A heading from the field's own translated name, so the copy speaks as the pages do."""
    return capfirst(model._meta.get_field(name).verbose_name)


# --- Labels --------------------------------------------------------------------------------------

ERASED = "***"


def erased_label(pk: int) -> str:
    """The name an erased person keeps, in the platform's language (what pages that show the stored
    name read); the person page shows it in the reader's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("Erased person #%(number)s") % {"number": pk}


def erased_username(user_pk: int) -> str:
    return f"erased-{user_pk}"


# --- Predicates ----------------------------------------------------------------------------------


def is_own_record(user, person) -> bool:
    return person.pk is not None and person.pk == scope.own_person_id(user)


def can_download_personal_data(user, person) -> bool:
    """The person, for themselves, and federation staff on the person's request (art. 45)."""
    return scope.is_federation(user) or is_own_record(user, person)


def can_withdraw_consent(user, person) -> bool:
    return (scope.is_federation(user) or is_own_record(user, person)) and person.erased_at is None


def can_erase_person(user, person) -> bool:
    return scope.is_admin(user) and person.erased_at is None


# --- Reads ---------------------------------------------------------------------------------------


def person_rights(*, viewer, person: Person) -> dict[str, Any]:
    """What the person page's "Personal data" section shows to `viewer`."""
    own = is_own_record(viewer, person)
    shown = scope.is_federation(viewer) or own
    return {
        "rights_shown": shown,
        "rights_own": own,
        "can_download": shown and can_download_personal_data(viewer, person),
        "can_withdraw_consent": shown and can_withdraw_consent(viewer, person) and person.consent_at is not None,
        "can_erase": can_erase_person(viewer, person),
        "consent_withdrawal": (
            person.consent_withdrawals.select_related("recorded_by").first()
            if shown and person.consent_at is None
            else None
        ),
    }


@dataclass
class Section:
    kind: str
    label: str
    columns: list[tuple[str, str]]
    rows: list[dict[str, Any]]
    note: str = ""


PERSONAL_RECORD_LABEL = _("Personal record")
AUDIT_LABEL = _("Audit trail entries about this person")
PERSON_COLUMNS = (
    ("id", _("Record number")),
    ("name", _("Full name")),
    ("name_en", _("English name")),
    ("name_pinyin", _("Pinyin of the name (for search)")),
    ("name_initials", _("Initials of the name (for search)")),
    ("gender", _("Gender")),
    ("birth_date", _("Birth date")),
    ("overseas_status", _("Overseas status")),
    ("country", _("Country or region of residence")),
    ("is_deputy", _("Deputy to a people's congress")),
    ("is_cppcc_member", _("CPPCC member")),
    ("public_title", _("Public title")),
    ("phone", _("Phone")),
    ("email", _("E-mail")),
    ("id_kind", _("ID document")),
    ("id_number", _("ID number")),
    ("consent_version", field_label(Person, "consent_version")),
    ("consent_at", field_label(Person, "consent_at")),
    ("created_at", _("Registered")),
    ("updated_at", _("Changed")),
    ("erased_at", field_label(Person, "erased_at")),
)

AUDIT_COLUMNS = (
    ("at", _("Time")),
    ("actor", _("User")),
    ("ip_address", _("Address")),
    ("action", _("Action")),
    ("object_type", _("Record type")),
    ("object", _("Record")),
    ("changes", _("Changes")),
)

# A person's copy lists at most this many audit rows (newest first); the rest is counted, not listed.
AUDIT_COPY_LIMIT = 20000


def _person_row(person: Person) -> dict[str, Any]:
    return {
        "id": person.pk,
        "name": person.name,
        "name_en": person.name_en,
        "name_pinyin": person.name_pinyin,
        "name_initials": person.name_initials,
        "gender": person.get_gender_display(),
        "birth_date": person.birth_date,
        "overseas_status": person.get_overseas_status_display(),
        "country": person.country.name if person.country else "",
        "is_deputy": person.is_deputy,
        "is_cppcc_member": person.is_cppcc_member,
        "public_title": person.public_title,
        "phone": format_phone_national(person.phone) if person.phone else "",
        "email": person.email,
        "id_kind": person.get_id_kind_display(),
        # The one place the number leaves the database in clear: the person's own copy (audited).
        "id_number": decrypt(person.id_number_encrypted) if person.id_number_encrypted else "",
        "consent_version": person.consent_version,
        "consent_at": person.consent_at,
        "created_at": person.created_at,
        "updated_at": person.updated_at,
        "erased_at": person.erased_at,
    }


def _users_of(person: Person) -> list[tuple[int, str]]:
    return list(get_user_model().objects.filter(person=person).values_list("pk", "username"))


def _merged_ids(person: Person) -> list[int]:
    return list(PersonMerge.objects.filter(survivor=person).values_list("merged_person_id", flat=True))


def _audit_scope(person_ids: Iterable[int], refs: dict[str, list], users: list[tuple[int, str]]) -> Q:
    """The audit rows about the person: their record (and records merged into it), the records the apps
    hold about them, their account, what their account did, and failed logins under its name."""
    condition = Q(object_type=Person._meta.label_lower, object_id__in=[str(pk) for pk in person_ids])
    for object_type, ids in refs.items():
        if ids:
            condition |= Q(object_type=object_type, object_id__in=[str(pk) for pk in ids])
    user_type = get_user_model()._meta.label_lower
    for pk, username in users:
        condition |= Q(object_type=user_type, object_id=str(pk)) | Q(actor_id=pk)
        condition |= Q(object_type=user_type, object_id="", action=AuditAction.LOGIN_FAILED, actor_username=username)
    return condition


def _audit_row(entry: AuditEntry, own_user_ids: set[int]) -> dict[str, Any]:
    return {
        "at": entry.at,
        "actor": entry.actor_username,
        # Addresses are the person's own data only when they acted.
        "ip_address": entry.ip_address if entry.actor_id in own_user_ids else "",
        "action": entry.get_action_display(),
        "object_type": entry.object_type,
        "object": f"#{entry.object_id} {entry.object_repr}" if entry.object_id else entry.object_repr,
        "changes": json.dumps(entry.changes, ensure_ascii=False) if entry.changes else "",
    }


def _columns(columns) -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in columns]


def personal_data_collect(*, person: Person) -> list[Section]:
    """Everything the platform holds about `person`, section by section: their record, what each app
    holds, and the audit rows about them. One or two queries per section, whatever the number of rows."""
    sections = [Section("members.person", str(PERSONAL_RECORD_LABEL), _columns(PERSON_COLUMNS), [_person_row(person)])]
    refs: dict[str, list] = {}
    for part in subject_data():
        records = list(part.records(person))
        if part.audit:
            refs.setdefault(part.model._meta.label_lower, []).extend(r.pk for r in records)
        sections.append(Section(part.kind, str(part.label), _columns(part.columns), [part.row(r) for r in records]))
    users = _users_of(person)
    rows = AuditEntry.objects.filter(_audit_scope([person.pk, *_merged_ids(person)], refs, users))
    entries = list(rows.order_by("-at", "-id")[: AUDIT_COPY_LIMIT + 1])
    note = ""
    if len(entries) > AUDIT_COPY_LIMIT:
        entries = entries[:AUDIT_COPY_LIMIT]
        note = gettext("The newest %(n)s entries are listed; older ones are kept in the audit trail.") % {
            "n": AUDIT_COPY_LIMIT
        }
    own = {pk for pk, _name in users}
    sections.append(
        Section("core.audit", str(AUDIT_LABEL), _columns(AUDIT_COLUMNS), [_audit_row(e, own) for e in entries], note)
    )
    return sections


def erasure_preview(*, person: Person) -> list[tuple[str, int]]:
    """How many records of each kind point at the person and stay, pseudonymised, after an erasure."""
    counts = []
    for part in subject_data():
        n = part.records(person).count()
        if n:
            counts.append((str(part.label), n))
    return counts


# --- Writes --------------------------------------------------------------------------------------


@transaction.atomic
def personal_data_export(*, person: Person, on_request: str = "") -> tuple[str, bytes]:
    """The person's copy of their data as a .zip (JSON, a readable page and a workbook); returns the file
    name and the bytes. The copy holds the ID number in clear, so it is audited as a reveal, with
    `on_request` (how the person asked) when staff make it for them."""
    person = Person.objects.get(pk=person.pk)
    sections = personal_data_collect(person=person)
    changes: dict[str, Any] = {"field": "personal_data_copy", "id_number": bool(person.id_number_encrypted)}
    if on_request:
        changes["on_request"] = on_request
    audit_log(action=AuditAction.REVEAL, instance=person, changes=changes)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"personal-data-{person.pk}-{stamp}.zip", personal_data_zip(person=person, sections=sections)


@transaction.atomic
def consent_withdraw(*, person: Person, expected_version: int, note: str = "") -> ConsentWithdrawal:
    """Record that the person withdrew their consent; the ID number kept under it is cleared at once,
    since processing based on consent must stop (PIPL art. 15)."""
    current = Person.objects.select_for_update().filter(pk=person.pk).first()
    if current is None or current.version != expected_version:
        raise ConflictError()
    if current.erased_at is not None or current.consent_at is None:
        raise ValidationError(_("There is no consent on record to withdraw."))
    withdrawal = ConsentWithdrawal(
        person=current,
        consent_version=current.consent_version,
        consent_given_at=current.consent_at,
        recorded_by_id=context.current().user_id,
        note=note.strip(),
    )
    before = {
        "consent_version": current.consent_version,
        "consent_at": current.consent_at.isoformat(),
        "id_number_masked": current.id_number_masked,
        "id_kind": current.id_kind,
    }
    Person.objects.filter(pk=current.pk).update(
        consent_version="",
        consent_at=None,
        id_kind="",
        id_number_encrypted="",
        id_number_hash="",
        id_number_masked="",
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    audit_log(
        action=AuditAction.UPDATE,
        instance=current,
        changes={**{k: [v, ""] for k, v in before.items() if v}, "consent_withdrawn": [None, True]},
    )
    return create_audited(withdrawal)


# The person's own fields an erasure empties; `name` becomes the label. The others stay: gender, overseas
# status, country and the roles say nothing of who someone is on their own and are counted in reports.
ERASED_VALUES: dict[str, Any] = {
    "name_en": "",
    "birth_date": None,
    "public_title": "",
    "phone": "",
    "email": "",
    "id_kind": "",
    "id_number_encrypted": "",
    "id_number_hash": "",
    "id_number_masked": "",
    "consent_version": "",
    "consent_at": None,
    "name_key": "",
    "name_pinyin": "",
    "name_initials": "",
}
KEPT_FIELDS = (
    "id",
    "version",
    "created_at",
    "updated_at",
    "gender",
    "overseas_status",
    "country",
    "is_deputy",
    "is_cppcc_member",
    "erased_at",
    "name",
)
# Values in the audit rows of the person's record replaced wholesale.
PERSON_AUDIT_PERSONAL = (
    "name",
    "name_en",
    "birth_date",
    "public_title",
    "phone",
    "email",
    "id_number_encrypted",
    "id_number_hash",
    "id_number_masked",
)
USER_AUDIT_PERSONAL = ("username", "first_name", "last_name", "email")
NAME_KEYS = ("name", "leader_name", "merged_name")


class ErasureReason(models.TextChoices):
    """Why a person is erased (PIPL art. 47): recorded in the audit trail instead of free text."""

    REQUEST = "request", _("The person asked for erasure")
    CONSENT = "consent", _("The person withdrew consent")
    PURPOSE = "purpose", _("The purpose was achieved or is no longer needed")
    STOPPED = "stopped", _("The platform stopped the service to this person")
    UNLAWFUL = "unlawful", _("The data was processed against the law or an agreement")


def _merge_traces(person: Person) -> tuple[list[str], list[str], dict[str, list]]:
    """What records merged into the person left behind: their names, their masked contacts as the merge
    kept them, and the records the merges moved or collapsed (whose audit rows may name them)."""
    names: list[str] = []
    values: list[str] = []
    refs: dict[str, list] = {}
    merged_ids = []
    for merge in PersonMerge.objects.filter(survivor=person):
        merged_ids.append(merge.merged_person_id)
        names += [merge.merged_name, str(merge.merged_snapshot.get("name_en") or "")]
        values += [str(merge.merged_snapshot.get(k) or "") for k in ("phone", "email", "id_number_masked")]
        for moved_label, ids in merge.moved.items():
            refs.setdefault(moved_label.split(" ")[0], []).extend(pk for pk in ids if pk is not None)
    if merged_ids:
        # A membership collapsed into the survivor's was deleted, and merges recorded its id as None: its
        # audit rows are found by the merged person they named.
        named = Q()
        for pk in merged_ids:
            named |= Q(changes__person__0=pk) | Q(changes__person__1=pk)
        membership_type = Membership._meta.label_lower
        refs.setdefault(membership_type, []).extend(
            AuditEntry.objects.filter(named, object_type=membership_type).values_list("object_id", flat=True)
        )
    return names, values, refs


def _replacements(
    person: Person, label: str, *, names: Iterable[str] = (), values: Iterable[str] = ()
) -> list[tuple[str, str]]:
    """Every form of the person's data that may sit inside text, longest first."""
    found: dict[str, str] = {}
    for value in values:
        if len(value) >= 7:
            found[value] = ERASED
    for name in (person.name, *names):
        if len(name) >= 2:
            found[name] = label
    if len(person.name_en) >= 4:
        found[person.name_en] = label
    if person.phone:
        for form in (
            person.phone,
            format_phone_national(person.phone),
            person.phone.removeprefix("+86"),
            mask_phone(person.phone),
        ):
            if len(form) >= 7:
                found[form] = ERASED
    if person.email:
        found[person.email] = ERASED
        masked = Person.AUDIT_MASKS["email"](person.email)
        if len(masked) >= 6:
            found[masked] = ERASED
    if person.id_number_encrypted:
        found[decrypt(person.id_number_encrypted)] = ERASED
    if len(person.id_number_masked) >= 8:
        found[person.id_number_masked] = ERASED
    return sorted(found.items(), key=lambda kv: -len(kv[0]))


def _scrub(value: Any, replacements: list[tuple[str, str]]) -> Any:
    if isinstance(value, str):
        for old, new in replacements:
            if old in value:
                value = value.replace(old, new)
        return value
    if isinstance(value, list):
        return [_scrub(v, replacements) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, replacements) for k, v in value.items()}
    return value


def _wipe(value: Any, marker: str) -> Any:
    if isinstance(value, list):
        return [_wipe(v, marker) for v in value]
    return value if value in (None, "") else marker


def _pseudonymise_changes(
    changes: Any, personal: Iterable[str], label: str, replacements: list[tuple[str, str]]
) -> Any:
    if not isinstance(changes, dict):
        return _scrub(changes, replacements)
    personal = set(personal)
    return {
        key: (_wipe(value, label if key in NAME_KEYS else ERASED) if key in personal else _scrub(value, replacements))
        for key, value in changes.items()
    }


def _pseudonymise_audit(
    *,
    person_ids: set[str],
    refs: dict[str, list],
    personal: dict[str, tuple[str, ...]],
    users: list[tuple[int, str]],
    label: str,
    replacements: list[tuple[str, str]],
) -> int:
    """Rewrite the audit rows about the person so that none keeps their data; returns how many changed."""
    person_type = Person._meta.label_lower
    user_type = get_user_model()._meta.label_lower
    new_names = {pk: erased_username(pk) for pk, _name in users}
    old_names = {username: erased_username(pk) for pk, username in users}
    user_ids = {str(pk): name for pk, name in new_names.items()}
    refs_as_str = {t: {str(i) for i in ids} for t, ids in refs.items()}
    changed = []
    # The default manager refuses every update; the erasure is the one writer allowed (see core.auditlock).
    rows = AuditEntry._base_manager.filter(_audit_scope([int(pk) for pk in person_ids], refs, users)).order_by("pk")
    for entry in rows.iterator(chunk_size=500):
        before = (entry.object_repr, entry.changes, entry.actor_username)
        if entry.object_type == person_type and entry.object_id in person_ids:
            entry.object_repr = label
            entry.changes = _pseudonymise_changes(entry.changes, PERSON_AUDIT_PERSONAL, label, replacements)
        elif entry.object_type == user_type and entry.object_id in user_ids:
            entry.object_repr = user_ids[entry.object_id]
            entry.changes = _pseudonymise_changes(entry.changes, USER_AUDIT_PERSONAL, label, replacements)
        elif (
            entry.object_type == user_type
            and entry.action == AuditAction.LOGIN_FAILED
            and entry.actor_username in old_names
        ):
            entry.object_repr = old_names[entry.actor_username]
        else:
            entry.object_repr = _scrub(entry.object_repr, replacements)[:200]
            entry.changes = _pseudonymise_changes(
                entry.changes,
                personal.get(entry.object_type, ())
                if entry.object_id in refs_as_str.get(entry.object_type, ())
                else (),
                label,
                replacements,
            )
        if entry.actor_id in new_names:
            entry.actor_username = new_names[entry.actor_id]
        elif entry.actor_username in old_names and entry.actor_id is None:
            entry.actor_username = old_names[entry.actor_username]
        if (entry.object_repr, entry.changes, entry.actor_username) != before:
            changed.append(entry)
    AuditEntry._base_manager.bulk_update(changed, ["object_repr", "changes", "actor_username"], batch_size=500)
    return len(changed)


@transaction.atomic
def person_erase(*, person: Person, expected_version: int, reason: str) -> Person:
    """Erase a person (PIPL art. 47) by pseudonymisation: their name becomes "erased person #N"; their
    contacts, ID number, birth date and search entry go; every app removes its copies; their account is
    closed and emptied; the audit rows about them are rewritten. What points at the person (memberships,
    terms, meeting records, reports) stays and reads. One audit row records it, with no personal data."""
    if reason not in ErasureReason.values:
        raise ValidationError({"reason": _("Choose why the person is erased.")})
    current = Person.objects.select_for_update().filter(pk=person.pk).first()
    if current is None or current.version != expected_version:
        raise ConflictError()
    if current.erased_at is not None:
        raise ValidationError(_("This person was already erased."))
    label = erased_label(current.pk)
    users = _users_of(current)
    merged_names, merged_values, refs = _merge_traces(current)
    replacements = _replacements(current, label, names=merged_names, values=merged_values)
    personal: dict[str, tuple[str, ...]] = {}
    counts: dict[str, int] = {}
    for part in subject_data():
        if part.audit:
            object_type = part.model._meta.label_lower
            refs.setdefault(object_type, []).extend(part.records(current).values_list("pk", flat=True))
            personal[object_type] = personal.get(object_type, ()) + part.audit_personal
        if part.erase is not None:
            n = part.erase(current, label)
            if n:
                counts[part.kind] = n
    person_ids = {str(current.pk), *(str(pk) for pk in _merged_ids(current))}
    now = timezone.now()
    Person.objects.filter(pk=current.pk).update(
        name=label, erased_at=now, version=F("version") + 1, updated_at=now, **ERASED_VALUES
    )
    unindex_object(current)
    with audit_maintenance():
        rewritten = _pseudonymise_audit(
            person_ids=person_ids, refs=refs, personal=personal, users=users, label=label, replacements=replacements
        )
    current.refresh_from_db()
    audit_log(
        action=AuditAction.UPDATE,
        instance=current,
        changes={
            "erased_at": [None, now.isoformat()],
            "reason": reason,
            "records": counts,
            "accounts_closed": len(users),
            "audit_rows_pseudonymised": rewritten,
        },
    )
    return current
