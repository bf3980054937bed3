"""Every write to people, enterprises and memberships: one transaction, one audit row per change."""

import uuid
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qiaojia.core import context
from qiaojia.core.chinese import initials_key, pinyin_key, search_key, syllables
from qiaojia.core.crypto import decrypt, encrypt, lookup_hash
from qiaojia.core.masking import mask_id_number
from qiaojia.core.models import AuditAction
from qiaojia.core.services import (
    ConflictError,
    audit_log,
    audited_fields,
    check_form_token,
    claim_form_token,
    create_audited,
    create_audited_bulk,
    delete_audited,
    field_attname,
    jsonable,
    snapshot,
    update_versioned,
)
from qiaojia.core.validators import (
    id_number_birth_date,
    normalize_credit_code,
    normalize_id_number,
    normalize_phone,
    validate_id_number,
)
from qiaojia.notifications import text as notice_text
from qiaojia.notifications.services import notify
from qiaojia.orgs.models import Association
from qiaojia.search.services import index_new_objects, index_object, unindex_object

from . import notices, selectors
from .models import (
    PENDING_TRANSITIONS,
    DuplicateDismissal,
    Enterprise,
    IdKind,
    Membership,
    MembershipLevel,
    PendingMembership,
    PendingStatus,
    Person,
    PersonMerge,
)

PERSON_FIELDS = (
    "name",
    "name_en",
    "gender",
    "birth_date",
    "overseas_status",
    "country",
    "is_deputy",
    "is_cppcc_member",
    "public_title",
    "phone",
    "email",
    "id_kind",
)


def _check_birth_date(values: dict[str, Any], number: str) -> None:
    """A resident ID number carries the birth date: a different one typed beside it is refused."""
    birth = id_number_birth_date(number)
    if values.get("birth_date") and values["birth_date"] != birth:
        raise ValidationError(
            {
                "birth_date": ValidationError(
                    _("The birth date does not match the one in the ID number."), code="mismatch"
                )
            }
        )
    values["birth_date"] = birth


@lru_cache(maxsize=16384)
def _person_name_keys(name: str) -> tuple[str, str, str]:
    # Exactly search_key, pinyin_key(as_name=True) and initials_key(as_name=True), sharing one pinyin pass.
    parts = syllables(name, as_name=True)
    return search_key(name), "".join(parts).lower(), "".join(s[0] for s in parts if s).lower()


def person_name_keys(name: str) -> dict[str, str]:
    """The search keys stored beside a person's name (pure, so cached: names repeat in bulk imports)."""
    key, pinyin, initials = _person_name_keys(name)
    return {"name_key": key, "name_pinyin": pinyin, "name_initials": initials}


def person_clean_values(
    data: dict[str, Any], *, id_number: str | None, consent: bool, existing: Person | None = None
) -> tuple[dict[str, Any], str]:
    """Validate and derive a person's stored fields without touching the database.

    Returns the values and the ID number's lookup hash ("" without a new number). The caller checks
    that no other person holds that hash (`_person_values` per record, the import per chunk)."""
    values = {k: data[k] for k in PERSON_FIELDS if k in data}
    number_hash = ""
    if "name" in values:
        values["name"] = values["name"].strip()
        values.update(person_name_keys(values["name"]))
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
                raise ValidationError({"id_number": exc.error_list}) from exc  # with its code (imports read it)
            _check_birth_date(values, number)
        already_consented = existing is not None and existing.consent_at is not None
        if not consent and not already_consented:
            raise ValidationError(
                {
                    "consent": ValidationError(
                        _("An ID number can be kept only with the person's recorded consent."), code="required"
                    )
                }
            )
        values["id_kind"] = kind
        number_hash = lookup_hash(number)
        # The same number typed again is not re-encrypted: a fresh ciphertext would read as a change.
        if existing is None or existing.id_number_hash != number_hash:
            values.update(
                id_number_encrypted=encrypt(number), id_number_hash=number_hash, id_number_masked=mask_id_number(number)
            )
        if consent and not already_consented:
            values.update(consent_version=settings.QIAOJIA_CONSENT_VERSION, consent_at=timezone.now())
    elif (
        existing is not None
        and existing.id_number_encrypted
        and "birth_date" in values
        and (values.get("id_kind") or existing.id_kind) == IdKind.RESIDENT_ID
    ):
        _check_birth_date(values, decrypt(existing.id_number_encrypted))
    return values, number_hash


def _person_values(
    data: dict[str, Any], *, id_number: str | None, consent: bool, existing: Person | None = None
) -> dict[str, Any]:
    values, number_hash = person_clean_values(data, id_number=id_number, consent=consent, existing=existing)
    if number_hash:
        duplicate = Person.objects.filter(id_number_hash=number_hash).exclude(id_number_hash="")
        if existing is not None:
            duplicate = duplicate.exclude(pk=existing.pk)
        if duplicate.exists():
            raise ValidationError({"id_number": _("A person with this ID number is already registered.")})
    return values


@transaction.atomic
def person_create(
    *, data: dict[str, Any], id_number: str | None = None, consent: bool = False, form_token: uuid.UUID | None = None
) -> Person:
    check_form_token(form_token)
    person = Person(**_person_values(data, id_number=id_number, consent=consent))
    create_audited(person, form_token=form_token)
    _people_added([person])
    return person


@transaction.atomic
def person_update(
    *, person: Person, expected_version: int, data: dict[str, Any], id_number: str | None = None, consent: bool = False
) -> Person:
    values = _person_values(data, id_number=id_number, consent=consent, existing=person)
    person = update_versioned(person, expected_version=expected_version, **values)
    index_object(person)
    return person


def person_find_by_id_number(id_number: str) -> Person | None:
    number_hash = lookup_hash(normalize_id_number(id_number))
    return Person.objects.filter(id_number_hash=number_hash).exclude(id_number_hash="").first()


@transaction.atomic
def member_add(
    *,
    association: Association,
    person_data: dict[str, Any],
    membership_data: dict[str, Any],
    id_number: str | None = None,
    consent: bool = False,
    form_token: uuid.UUID | None = None,
    actor=None,
) -> Membership | PendingMembership:
    """Add a person as a member. A person already registered (same ID number) is reused, never copied.

    When `actor` may not see that person, nothing is linked: the membership waits for confirmation
    (`pending_membership_create`) and keeps only what was typed. `actor` None is a trusted caller
    with no viewer (demo data, scripts)."""
    check_form_token(form_token)
    person = person_find_by_id_number(id_number) if id_number else None
    if person is None:
        person = person_create(data=person_data, id_number=id_number, consent=consent)
    elif actor is not None and not selectors.person_visible(actor, person):
        values, _hash = person_clean_values(person_data, id_number=id_number, consent=consent)
        return pending_membership_create(
            association=association,
            person=person,
            actor=actor,
            submitted=submitted_person(values),
            membership_data=membership_data,
            form_token=form_token,
        )
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


def enterprise_name_keys(name: str) -> dict[str, str]:
    """The search keys stored beside an enterprise's name (pure; the import's bulk path uses it too)."""
    return {"name_key": search_key(name), "name_pinyin": pinyin_key(name), "name_initials": initials_key(name)}


def enterprise_values(data: dict[str, Any]) -> dict[str, Any]:
    """An enterprise's stored fields from what was typed (pure: the bulk path derives them the same way)."""
    values = {k: data[k] for k in ENTERPRISE_FIELDS if k in data}
    if "credit_code" in values:
        values["credit_code"] = normalize_credit_code(values["credit_code"] or "") or None
    if "name" in values:
        values.update(enterprise_name_keys(values["name"]))
    return values


@transaction.atomic
def enterprise_create(*, data: dict[str, Any], form_token: uuid.UUID | None = None) -> Enterprise:
    enterprise = Enterprise(**enterprise_values(data))
    create_audited(enterprise, form_token=form_token)
    _enterprises_added([enterprise])
    return enterprise


@transaction.atomic
def enterprise_add(
    *,
    association: Association,
    data: dict[str, Any],
    membership_data: dict[str, Any],
    form_token: uuid.UUID | None = None,
    actor=None,
) -> Enterprise | PendingMembership:
    """Register an enterprise as a member of `association`: the enterprise and its membership, or neither.

    An enterprise already registered (same credit code) is reused; one `actor` may not see waits for
    confirmation, as in `member_add`."""
    check_form_token(form_token)
    values = enterprise_values(data)
    existing = (
        Enterprise.objects.filter(credit_code=values["credit_code"]).first() if values.get("credit_code") else None
    )
    if existing is None:
        enterprise = enterprise_create(data=data, form_token=form_token)
        membership_create(association=association, enterprise=enterprise, data=membership_data)
        return enterprise
    if actor is not None and not selectors.enterprise_visible(actor, existing):
        return pending_membership_create(
            association=association,
            enterprise=existing,
            actor=actor,
            submitted=submitted_enterprise(values),
            membership_data=membership_data,
            form_token=form_token,
        )
    submission = claim_form_token(form_token, Enterprise)
    membership_create(association=association, enterprise=existing, data=membership_data)
    if submission is not None:
        type(submission).objects.filter(pk=submission.pk).update(object_id=str(existing.pk))
    return existing


@transaction.atomic
def enterprise_update(*, enterprise: Enterprise, expected_version: int, data: dict[str, Any]) -> Enterprise:
    enterprise = update_versioned(enterprise, expected_version=expected_version, **enterprise_values(data))
    index_object(enterprise)
    return enterprise


MEMBERSHIP_FIELDS = ("level", "joined_on", "left_on", "dues_status")


@transaction.atomic
def membership_create(
    *,
    association: Association,
    data: dict[str, Any],
    person: Person | None = None,
    enterprise: Enterprise | None = None,
    form_token: uuid.UUID | None = None,
) -> Membership:
    # Only a current membership must be the only one; past ones are history, recorded at any time.
    if not data.get("left_on"):
        current = Membership.objects.filter(association=association, left_on__isnull=True)
        if person is not None and current.filter(person=person).exists():
            raise ValidationError(_("This person is already a member of this association."))
        if enterprise is not None and current.filter(enterprise=enterprise).exists():
            raise ValidationError(_("This enterprise is already a member of this association."))
    membership = Membership(
        association=association,
        person=person,
        enterprise=enterprise,
        **{k: data[k] for k in MEMBERSHIP_FIELDS if k in data},
    )
    return create_audited(membership, form_token=form_token)


@transaction.atomic
def membership_update(*, membership: Membership, expected_version: int, data: dict[str, Any]) -> Membership:
    values = {k: data[k] for k in MEMBERSHIP_FIELDS if k in data}
    if values.get("left_on") and values["left_on"] < (values.get("joined_on") or membership.joined_on):
        raise ValidationError({"left_on": _("A member cannot leave before joining.")})
    return update_versioned(membership, expected_version=expected_version, **values)


# --- Memberships awaiting confirmation ----------------------------------------------------------

# What an officer typed that a pending membership keeps (the ID number only masked: it is the registered one's).
SUBMITTED_PERSON = (*PERSON_FIELDS, "id_number_masked")
SUBMITTED_ENTERPRISE = (
    "name",
    "name_en",
    "credit_code",
    "industry",
    "trade_countries",
    "address",
    "representative_name",
)


def _submitted(values: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: jsonable(values[k]) for k in keys if values.get(k) not in (None, "", False, [])}


def submitted_person(values: dict[str, Any]) -> dict[str, Any]:
    """The typed values of a person (as `person_clean_values` derives them) a pending membership keeps."""
    return _submitted(values, SUBMITTED_PERSON)


def submitted_enterprise(values: dict[str, Any]) -> dict[str, Any]:
    values = {**values, "trade_countries": [str(c) for c in values.get("trade_countries") or []]}
    return _submitted(values, SUBMITTED_ENTERPRISE)


def pending_announce(pendings: list, *, association: Association) -> None:
    """Tell the reviewers that memberships of `association` wait for them (one notice), and each person
    with an account that the association asks to register them."""
    if not pendings:
        return
    notify(
        notices.PENDING_TO_REVIEW,
        association=association,
        params={"association": association.name, "count": len(pendings)},
        url=reverse("members:duplicate-list") + "#pending",
    )
    person_ids = sorted({p.person_id for p in pendings if p.person_id})
    if person_ids:
        notify(
            notices.PENDING_ASKED,
            people=person_ids,
            params={"association": association.name},
            url=lambda u: reverse("members:person-detail", args=[u.person_id]),
        )


@transaction.atomic
def pending_membership_create(
    *,
    association: Association,
    submitted: dict[str, Any],
    membership_data: dict[str, Any],
    actor,
    person: Person | None = None,
    enterprise: Enterprise | None = None,
    source: str = "form",
    form_token: uuid.UUID | None = None,
) -> PendingMembership:
    """Record a membership of a registered record the actor may not see, to be confirmed by federation
    staff or the person. The actor's messages say only that it will be reviewed, never what matched."""
    open_requests = PendingMembership.objects.filter(association=association, status=PendingStatus.PENDING)
    if (person is not None and open_requests.filter(person=person).exists()) or (
        enterprise is not None and open_requests.filter(enterprise=enterprise).exists()
    ):
        raise ValidationError(_("This member is already awaiting confirmation for this association."))
    pending = PendingMembership(
        association=association,
        person=person,
        enterprise=enterprise,
        submitted=submitted,
        source=source,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        **{k: membership_data[k] for k in ("level", "joined_on", "dues_status") if membership_data.get(k)},
    )
    create_audited(pending, form_token=form_token)
    pending_announce([pending], association=association)
    return pending


def _decide(pending: PendingMembership, expected_version: int | None, status: str) -> PendingMembership:
    locked = PendingMembership.objects.select_for_update().filter(pk=pending.pk).first()
    if locked is None or (expected_version is not None and locked.version != expected_version):
        raise ConflictError()
    if status not in PENDING_TRANSITIONS[PendingStatus(locked.status)]:
        raise ValidationError(_("This membership was already decided."))
    return locked


def _after_decision(pending: PendingMembership, *, status: str, actor, **values) -> PendingMembership:
    # Once decided, only the typed name stays: the rest of what was typed has served its purpose.
    kept = {k: v for k, v in pending.submitted.items() if k == "name"}
    pending = update_versioned(
        pending,
        expected_version=pending.version,
        status=status,
        submitted=kept,
        decided_by=actor if getattr(actor, "is_authenticated", False) else None,
        decided_at=timezone.now(),
        **values,
    )
    _announce_decision(pending)
    return pending


def _announce_decision(pending: PendingMembership) -> None:
    name = pending.submitted.get("name", "")
    kind = "people" if pending.person_id else "enterprises"
    notify(
        notices.PENDING_DECIDED,
        association=pending.association_id,
        params={
            "name": notice_text.person(name) if pending.person_id else name,
            "association": pending.association.name,
            "confirmed": pending.status == PendingStatus.CONFIRMED,
        },
        url=reverse(f"members:{'person' if kind == 'people' else 'enterprise'}-list")
        + f"?association={pending.association_id}",
    )


@transaction.atomic
def pending_membership_confirm(
    *, pending: PendingMembership, actor, expected_version: int | None = None
) -> PendingMembership:
    """Make the membership a pending request asked for (or take the one made since) and close the request."""
    pending = _decide(pending, expected_version, PendingStatus.CONFIRMED)
    holder = {"person": pending.person} if pending.person_id else {"enterprise": pending.enterprise}
    membership = Membership.objects.filter(
        association_id=pending.association_id, left_on__isnull=True, **holder
    ).first()
    if membership is None:
        membership = membership_create(
            association=pending.association,
            data={"level": pending.level, "joined_on": pending.joined_on, "dues_status": pending.dues_status},
            **holder,
        )
    return _after_decision(pending, status=PendingStatus.CONFIRMED, actor=actor, membership=membership)


@transaction.atomic
def pending_membership_reject(
    *, pending: PendingMembership, actor, expected_version: int | None = None
) -> PendingMembership:
    """Close a pending request without a membership: the association stays unlinked to the record."""
    pending = _decide(pending, expected_version, PendingStatus.REJECTED)
    return _after_decision(pending, status=PendingStatus.REJECTED, actor=actor)


# --- Duplicates: merge and dismissal -------------------------------------------------------------

MERGE_FIELDS = (
    "name",
    "name_en",
    "gender",
    "birth_date",
    "overseas_status",
    "country",
    "is_deputy",
    "is_cppcc_member",
    "public_title",
    "phone",
    "email",
    "id_number",
)
# The ID number travels as one block: its ciphertext, hash, masked copy, kind and the consent to keep it.
ID_BLOCK = ("id_kind", "id_number_encrypted", "id_number_hash", "id_number_masked", "consent_version", "consent_at")
_LEVEL_RANK = {value: rank for rank, value in enumerate(MembershipLevel.values)}
# Handled by the merge itself (memberships) or meaningless once one side is gone (dismissals).
_MERGE_SPECIAL = {Membership, DuplicateDismissal, PendingMembership}


def _empty(value: Any) -> bool:
    return value in (None, "", False)


def _merge_values(survivor: Person, duplicate: Person, keep: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """The survivor's new field values: each field from the side `keep` names ("survivor" or "duplicate");
    a field not named keeps the survivor's value, or takes the duplicate's where the survivor has none."""
    values: dict[str, Any] = {}
    taken = []
    for name in MERGE_FIELDS:
        choice = keep.get(name)
        if name == "id_number":
            mine, theirs = survivor.id_number_hash, duplicate.id_number_hash
        else:
            mine, theirs = getattr(survivor, name), getattr(duplicate, name)
        if choice is None:
            choice = "duplicate" if _empty(mine) and not _empty(theirs) else "survivor"
        if choice not in ("survivor", "duplicate"):
            raise ValidationError({name: _("Choose which record's value to keep.")})
        if choice == "survivor" or mine == theirs:
            continue
        taken.append(name)
        if name == "id_number":
            values.update({f: getattr(duplicate, f) for f in ID_BLOCK})
        else:
            values[name] = theirs
    if "name" in values:
        values.update(
            name_key=search_key(values["name"]),
            name_pinyin=pinyin_key(values["name"], as_name=True),
            name_initials=initials_key(values["name"], as_name=True),
        )
    kind = values.get("id_kind", survivor.id_kind)
    encrypted = values.get("id_number_encrypted", survivor.id_number_encrypted)
    birth = values.get("birth_date", survivor.birth_date)
    if encrypted and kind == IdKind.RESIDENT_ID:
        expected = id_number_birth_date(decrypt(encrypted))
        if birth and birth != expected:
            raise ValidationError({"birth_date": _("The birth date does not match the one in the ID number.")})
    return values, taken


def person_references():
    """Every relation that points at a person, hidden ones included, so models added later move too."""
    for rel in Person._meta.get_fields(include_hidden=True):
        if rel.is_relation and rel.auto_created and not rel.concrete and rel.related_model not in _MERGE_SPECIAL:
            yield rel


def _move_references(survivor: Person, duplicate: Person) -> dict[str, list]:
    moved: dict[str, list] = {}
    for rel in person_references():
        model, field_name = rel.related_model, rel.field.name
        label = model._meta.label_lower
        if rel.many_to_many:
            accessor = rel.get_accessor_name()
            others = list(getattr(duplicate, accessor).all())
            if others:
                getattr(survivor, accessor).add(*others)
                getattr(duplicate, accessor).clear()
                moved[label] = [o.pk for o in others]
            continue
        qs = model._default_manager.filter(**{field_name: duplicate})
        ids = list(qs.values_list("pk", flat=True))
        if not ids:
            continue
        if rel.one_to_one and model._default_manager.filter(**{field_name: survivor}).exists():
            raise ValidationError(
                _("Both people are linked to a %(what)s; unlink one before merging.")
                % {"what": model._meta.verbose_name}
            )
        update: dict[str, Any] = {field_name: survivor}
        if any(f.name == "version" for f in model._meta.concrete_fields):
            # A moved record changed: an editor who had it open must reload.
            update["version"] = F("version") + 1
        model._default_manager.filter(pk__in=ids).update(**update)
        moved[label] = [_jsonable_pk(pk) for pk in ids]
    return moved


def _jsonable_pk(pk: Any) -> Any:
    return pk if isinstance(pk, int | str) else str(pk)


def _merge_memberships(survivor: Person, duplicate: Person) -> dict[str, list]:
    """Move the duplicate's memberships; where both belong to one association, keep one membership:
    the earliest joining date, current if either is current, the higher level."""
    moved, collapsed = [], []
    for membership in Membership.objects.filter(person=duplicate).order_by("joined_on", "pk"):
        ours = Membership.objects.filter(person=survivor, association_id=membership.association_id)
        target = ours.filter(left_on__isnull=True).first() or ours.order_by("-joined_on", "-pk").first()
        if target is None:
            Membership.objects.filter(pk=membership.pk).update(person=survivor, version=F("version") + 1)
            audit_log(action=AuditAction.UPDATE, instance=membership, changes={"person": [duplicate.pk, survivor.pk]})
            moved.append(membership.pk)
            continue
        # Current (no leaving date) if either is current; otherwise the later leaving date.
        values = {
            "joined_on": min(target.joined_on, membership.joined_on),
            "left_on": None
            if target.left_on is None or membership.left_on is None
            else max(target.left_on, membership.left_on),
            "level": min((target.level, membership.level), key=lambda v: _LEVEL_RANK.get(v, len(_LEVEL_RANK))),
        }
        delete_audited(membership)
        update_versioned(target, expected_version=target.version, **values)
        collapsed.append(membership.pk)
    result = {}
    if moved:
        result["members.membership"] = moved
    if collapsed:
        result["members.membership (collapsed)"] = collapsed
    return result


def _merge_pending(survivor: Person, duplicate: Person) -> dict[str, list]:
    """Move the requests naming the duplicate; an open one the survivor already has for the same
    association is the one kept."""
    moved = []
    for pending in PendingMembership.objects.filter(person=duplicate).order_by("pk"):
        if (
            pending.is_open
            and PendingMembership.objects.filter(
                person=survivor, association_id=pending.association_id, status=PendingStatus.PENDING
            ).exists()
        ):
            delete_audited(pending)
            continue
        PendingMembership.objects.filter(pk=pending.pk).update(person=survivor, version=F("version") + 1)
        moved.append(pending.pk)
    return {"members.pendingmembership": moved} if moved else {}


@transaction.atomic
def person_merge(
    *,
    survivor: Person,
    duplicate: Person,
    keep: dict[str, str] | None = None,
    survivor_version: int | None = None,
    duplicate_version: int | None = None,
) -> PersonMerge:
    """Merge `duplicate` into `survivor`: everything that points at the duplicate moves to the survivor,
    the chosen field values are kept, the duplicate is deleted, and a PersonMerge records it.

    The versions are those seen when the compare page was opened (by default the instances' own);
    a change to either person since then raises ConflictError."""
    if survivor.pk == duplicate.pk:
        raise ValidationError(_("A person cannot be merged with itself."))
    expected = {survivor.pk: survivor_version or survivor.version, duplicate.pk: duplicate_version or duplicate.version}
    locked = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=expected)}
    if len(locked) != 2 or any(locked[pk].version != version for pk, version in expected.items()):
        raise ConflictError()
    survivor, duplicate = locked[survivor.pk], locked[duplicate.pk]
    values, taken = _merge_values(survivor, duplicate, keep or {})
    fields = audited_fields(survivor)
    before = snapshot(survivor, fields)
    before_clear = snapshot(survivor, fields, masked=False)
    merged_snapshot = {
        k: v for k, v in snapshot(duplicate, fields).items() if k not in ("id_number_encrypted", "id_number_hash")
    }
    duplicate_id, duplicate_name = duplicate.pk, duplicate.name

    moved = _move_references(survivor, duplicate)
    moved.update(_merge_memberships(survivor, duplicate))
    moved.update(_merge_pending(survivor, duplicate))
    unindex_object(duplicate)
    delete_audited(duplicate)

    for name, value in values.items():
        setattr(survivor, name, value)
    survivor.full_clean()
    Person.objects.filter(pk=survivor.pk).update(
        version=F("version") + 1,
        updated_at=timezone.now(),
        **{field_attname(survivor, k): getattr(survivor, field_attname(survivor, k)) for k in values},
    )
    survivor.refresh_from_db()
    after = snapshot(survivor, fields)
    after_clear = snapshot(survivor, fields, masked=False)
    changes = {k: [before[k], after[k]] for k in fields if before_clear[k] != after_clear[k]}
    changes["merged_person"] = [f"#{duplicate_id} {duplicate_name}", None]
    changes["moved"] = [None, {label: len(ids) for label, ids in moved.items()}]
    audit_log(action=AuditAction.UPDATE, instance=survivor, changes=changes)
    index_object(survivor)
    ctx = context.current()
    return PersonMerge.objects.create(
        survivor=survivor,
        merged_person_id=duplicate_id,
        merged_name=duplicate_name,
        merged_snapshot=merged_snapshot,
        kept_from_merged=taken,
        moved=moved,
        merged_by_id=ctx.user_id,
        merged_by_username=ctx.username,
    )


@transaction.atomic
def duplicate_dismiss(*, a: Person, b: Person) -> DuplicateDismissal:
    """Record that two people are not the same person, so the pair is no longer proposed."""
    if a.pk == b.pk:
        raise ValidationError(_("A person cannot be merged with itself."))
    low, high = sorted((a.pk, b.pk))
    existing = DuplicateDismissal.objects.filter(person_low_id=low, person_high_id=high).first()
    if existing is not None:
        return existing
    dismissal = DuplicateDismissal.objects.create(
        person_low_id=low, person_high_id=high, dismissed_by_id=context.current().user_id
    )
    audit_log(
        action=AuditAction.CREATE, instance=dismissal, changes={"person_low": [None, low], "person_high": [None, high]}
    )
    return dismissal


# --- Many at once (imports) ----------------------------------------------------------------------
#
# The same writes as `person_create`, `enterprise_create`, `membership_create` and
# `pending_membership_create`, for many records in one go: the values come from the same pure helpers
# (`person_clean_values`, `enterprise_values`, `submitted_person`), the audit rows are the ones
# `create_audited` writes (`core.services.create_audited_bulk`), and what follows the insert is the same
# function on both paths (`_people_added`, `_enterprises_added`). A side effect added to the one-record
# path goes into those functions, and the bulk path has it too (members/tests/test_bulk.py compares them).


def _people_added(people: list) -> None:
    """What follows the insert of people, one (`person_create`) or many (`people_bulk_add`): their
    search entries. `people` are instances or bulk records."""
    index_new_objects(people, model=Person)


def _enterprises_added(enterprises: list) -> None:
    """As `_people_added`, for enterprises."""
    index_new_objects(enterprises, model=Enterprise)


def people_bulk_add(people: list[dict[str, Any]], *, audit_association_id: int | None = None, now=None) -> list:
    """Register many people at once: `people` are values as `person_clean_values` derived them (the
    validation and keys of `person_create`, done once, possibly in another process). A held ID number
    already registered is refused as in `person_create`; consent is recorded at the time of writing.
    Returns the written records (`core.bulk.Record`: `pk` and values) in the order given."""
    if not people:
        return []
    now = now or timezone.now()
    hashes = [p["id_number_hash"] for p in people if p.get("id_number_hash")]
    if len(hashes) != len(set(hashes)) or (
        hashes and Person.objects.filter(id_number_hash__in=hashes).exclude(id_number_hash="").exists()
    ):
        raise ValidationError({"id_number": _("A person with this ID number is already registered.")})
    rows = []
    for values in people:
        if values.get("consent_at") is not None:
            values = {**values, "consent_at": now}
        rows.append(values)
    records = create_audited_bulk(
        Person, rows, reprs=[r["name"] for r in rows], association_ids=[audit_association_id] * len(rows), now=now
    )
    _people_added(records)
    return records


def enterprises_bulk_add(
    enterprises: list[dict[str, Any]], *, audit_association_id: int | None = None, now=None
) -> list:
    """Register many enterprises at once (values as `enterprise_values` derives them, plus
    `representative_id`); a credit code already registered is refused as the unique field does."""
    if not enterprises:
        return []
    codes = [e["credit_code"] for e in enterprises if e.get("credit_code")]
    if len(codes) != len(set(codes)) or (codes and Enterprise.objects.filter(credit_code__in=codes).exists()):
        raise ValidationError({"credit_code": _("An enterprise with this credit code is already registered.")})
    records = create_audited_bulk(
        Enterprise,
        enterprises,
        reprs=[e["name"] for e in enterprises],
        association_ids=[audit_association_id] * len(enterprises),
        now=now,
    )
    _enterprises_added(records)
    return records


def _holder_pairs(rows: list[dict[str, Any]]) -> tuple[set, set]:
    people = {(r["association_id"], r["person_id"]) for r in rows if r.get("person_id")}
    units = {(r["association_id"], r["enterprise_id"]) for r in rows if r.get("enterprise_id")}
    return people, units


def _taken(queryset, pairs: set, field: str) -> bool:
    """Whether `queryset` holds one of the (association, holder) `pairs` (one query per few thousand)."""
    if not pairs:
        return False
    holders = {h for _a, h in pairs}
    found = queryset.filter(**{f"{field}__in": holders}).values_list("association_id", field)
    return any(pair in pairs for pair in found)


def memberships_bulk_add(memberships: list[dict[str, Any]], *, reprs: list[str], now=None) -> list:
    """Create many current memberships (`association_id`, `person_id` or `enterprise_id`, and the
    `MEMBERSHIP_FIELDS`), refused as in `membership_create` when a holder is already a current member;
    `reprs` are the audit rows' labels ("association · holder")."""
    if not memberships:
        return []
    people, units = _holder_pairs(memberships)
    current = Membership.objects.filter(left_on__isnull=True).order_by()
    if (
        len(people) + len(units) != len(memberships)
        or _taken(current, people, "person_id")
        or _taken(current, units, "enterprise_id")
    ):
        raise ValidationError(_("This person is already a member of this association."))
    rows = [
        {
            "association_id": m["association_id"],
            "person_id": m.get("person_id"),
            "enterprise_id": m.get("enterprise_id"),
            **{k: m[k] for k in MEMBERSHIP_FIELDS if k in m},
        }
        for m in memberships
    ]
    return create_audited_bulk(
        Membership, rows, reprs=reprs, association_ids=[r["association_id"] for r in rows], now=now
    )


def pending_memberships_bulk_add(
    pendings: list[dict[str, Any]], *, reprs: list[str], actor, source: str, now=None
) -> list:
    """Record many memberships awaiting confirmation (`pending_membership_create`): `association_id`,
    `person_id` or `enterprise_id`, `submitted` (as `submitted_person` / `submitted_enterprise` give it)
    and the membership's level, joining date and dues. One notice per association tells the reviewers."""
    if not pendings:
        return []
    people, units = _holder_pairs(pendings)
    waiting = PendingMembership.objects.filter(status=PendingStatus.PENDING).order_by()
    if _taken(waiting, people, "person_id") or _taken(waiting, units, "enterprise_id"):
        raise ValidationError(_("This member is already awaiting confirmation for this association."))
    requested_by = actor.pk if getattr(actor, "is_authenticated", False) else None
    rows = [
        {
            "association_id": p["association_id"],
            "person_id": p.get("person_id"),
            "enterprise_id": p.get("enterprise_id"),
            "submitted": p["submitted"],
            "status": PendingStatus.PENDING.value,
            "source": source,
            "requested_by_id": requested_by,
            **{k: p[k] for k in ("level", "joined_on", "dues_status") if p.get(k)},
        }
        for p in pendings
    ]
    records = create_audited_bulk(
        PendingMembership, rows, reprs=reprs, association_ids=[r["association_id"] for r in rows], now=now
    )
    by_association: dict[int, list] = {}
    for record in records:
        by_association.setdefault(record.association_id, []).append(record)
    for association in Association.objects.filter(pk__in=by_association):
        pending_announce(by_association[association.pk], association=association)
    return records
