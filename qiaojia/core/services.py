"""The write path every service uses: audited create, versioned update, audited delete.

Each helper must run inside the caller's `transaction.atomic` block so that the change and its
audit row commit together or not at all.
"""

import datetime
import decimal
import uuid
from collections.abc import Callable, Iterable
from typing import Any, TypeVar, cast

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import bulk, context
from .masking import mask_text
from .models import AuditAction, AuditEntry, FormSubmission, VersionedModel

M = TypeVar("M", bound=models.Model)
V = TypeVar("V", bound=VersionedModel)


class ConflictError(Exception):
    """The record changed (or disappeared) since the editor loaded it."""

    message = _("Someone else changed this record after you opened it. Your changes were not saved.")


class AlreadySubmitted(Exception):
    """A create form's token was used before; `object_id` is the record it made."""

    def __init__(self, object_id: str):
        super().__init__(object_id)
        self.object_id = object_id


def jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _masked(instance: models.Model, field: str, value: Any) -> Any:
    """Models list personal fields in `AUDIT_MASKS = {field: mask_function}`."""
    maskers: dict[str, Callable[[Any], Any]] = getattr(instance, "AUDIT_MASKS", {})
    if field in maskers and value not in (None, ""):
        return maskers[field](value)
    return jsonable(value)


def field_attname(instance: models.Model | type[models.Model], name: str) -> str:
    """The attribute that holds a field's stored value (`person_id` for `person`).

    Only concrete fields are snapshotted or written; a reverse relation has no value of its own."""
    field = instance._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{instance._meta.label}.{name} is a reverse relation, not a stored field")
    return field.attname


def snapshot(instance: models.Model, fields: Iterable[str], *, masked: bool = True) -> dict[str, Any]:
    out = {}
    for name in fields:
        value = getattr(instance, field_attname(instance, name))
        out[name] = _masked(instance, name, value) if masked else jsonable(value)
    return out


def audited_fields(instance: models.Model | type[models.Model]) -> list[str]:
    skip = {"id", "version", "created_at", "updated_at"} | set(getattr(instance, "AUDIT_SKIP", ()))
    return [f.name for f in instance._meta.concrete_fields if f.name not in skip]


def _audit_entry(
    *,
    action: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    association_id: int | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    ctx = context.current()
    return AuditEntry.objects.create(
        actor_id=ctx.user_id,
        actor_username=ctx.username,
        ip_address=ctx.ip_address,
        request_id=ctx.request_id,
        action=action,
        object_type=object_type[:100],
        object_id=object_id,
        object_repr=object_repr[:200],
        association_id=association_id,
        changes=changes or {},
    )


def audit_log(
    *,
    action: str,
    instance: models.Model,
    changes: dict[str, Any] | None = None,
    association_id: int | None = None,
) -> AuditEntry:
    if association_id is None:
        association_id = getattr(instance, "audit_association_id", None)
    return _audit_entry(
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance),
        association_id=association_id,
        changes=changes,
    )


def audit_export(*, name: str, label: str, filters: str, fmt: str, background: bool) -> AuditEntry:
    """Who exported which list, with which filters (masked: a search may hold a phone number)."""
    return _audit_entry(
        action=AuditAction.EXPORT,
        object_type=f"export.{name}",
        object_id="",
        object_repr=str(label),
        changes={"filters": mask_text(filters), "format": fmt, "background": background},
    )


def audit_operation(*, action: str, object_type: str, object_repr: str, changes: dict[str, Any]) -> AuditEntry:
    """One row for a housekeeping operation over many records (retention, key rotation)."""
    return _audit_entry(action=action, object_type=object_type, object_id="", object_repr=object_repr, changes=changes)


def check_form_token(token: uuid.UUID | str | None) -> None:
    """Raise AlreadySubmitted when a create form's token was used before.

    A cheap early look, for work that would otherwise refuse the repeat as a duplicate before the
    token is claimed; the claim in `create_audited` stays the guard against concurrent repeats."""
    if not token:
        return
    existing = FormSubmission.objects.filter(token=token).first()
    if existing is not None:
        raise AlreadySubmitted(existing.object_id)


def claim_form_token(token: uuid.UUID | str | None, model: type[models.Model]) -> FormSubmission | None:
    """Reserve a create form's token. Raises AlreadySubmitted when it was used before."""
    if not token:
        return None
    label = model._meta.label_lower
    check_form_token(token)
    try:
        with transaction.atomic():
            return FormSubmission.objects.create(token=token, object_type=label, object_id="")
    except IntegrityError as exc:
        existing = FormSubmission.objects.filter(token=token).first()
        raise AlreadySubmitted(existing.object_id if existing else "") from exc


def create_audited(instance: M, *, form_token: uuid.UUID | str | None = None) -> M:
    """Validate and insert `instance` and write its `create` audit row.

    The form token is claimed before validation, so a repeated submission is answered as one rather
    than refused as a duplicate of the record the first submission made."""
    submission = claim_form_token(form_token, instance._meta.model)
    instance.full_clean()
    instance.save(force_insert=True)
    audit_log(action=AuditAction.CREATE, instance=instance, changes=created_changes(instance))
    if submission is not None:
        FormSubmission.objects.filter(pk=submission.pk).update(object_id=str(instance.pk))
    return instance


def created_changes(instance: models.Model) -> dict[str, list]:
    """A `create` audit row's changes: `{field: [None, value]}` of the masked snapshot, empty values left out.
    `create_audited_bulk` writes the same for rows inserted without instances."""
    after = snapshot(instance, audited_fields(instance))
    return {k: [None, v] for k, v in after.items() if v not in (None, "", [])}


# Values an audit row holds as they are (`jsonable` returns them unchanged); subclasses such as a
# model's choices go through `jsonable`, which gives the same value.
_JSON_PLAIN = frozenset({str, int, float, bool})


def create_audited_bulk(
    model: type[models.Model],
    rows: list[dict[str, Any]],
    *,
    reprs: list[str] | None = None,
    association_ids: list[int | None] | None = None,
    now: datetime.datetime | None = None,
) -> list[bulk.Record]:
    """Insert many rows of `model` (values by attname, defaults filled in as `Model(**values)` would) and
    their `create` audit rows, as `create_audited` writes them one at a time, through `core.bulk`.

    No `full_clean`: the caller has validated the values (the owner's service, which shares its checks
    with its one-record path). `reprs` default to `str()` of the records (model `__str__` reading plain
    attributes), `association_ids` to the model's `audit_association_id`. Returns the written records."""
    now = now or timezone.now()
    table = bulk.table(model)
    records = table.write(rows, now)
    if not records:
        return records
    if reprs is None:
        reprs = [str(model.__str__(r)) for r in records]
    if association_ids is None:
        prop = getattr(model, "audit_association_id", None)
        association_ids = [prop.fget(r) if isinstance(prop, property) and prop.fget else None for r in records]
    ctx = context.current()
    label = model._meta.label_lower
    masks = getattr(model, "AUDIT_MASKS", {})
    fields = [(name, field_attname(model, name), masks.get(name)) for name in audited_fields(model)]
    common = {
        "at": now,
        "actor_id": ctx.user_id,
        "actor_username": ctx.username,
        "ip_address": ctx.ip_address,
        "request_id": ctx.request_id,
        "action": AuditAction.CREATE.value,
        "object_type": label[:100],
    }
    plain = _JSON_PLAIN
    entries = []
    for record, text, association_id in zip(records, reprs, association_ids, strict=True):
        values = record.__dict__
        changes = {}
        # `created_changes` without looking each field up per row: empty values are left out before
        # and after masking or conversion, as there.
        for name, attname, mask in fields:
            value = values[attname]
            if value is None or value == "":
                continue
            if mask is not None:
                value = mask(value)
            elif type(value) not in plain:
                value = jsonable(value)
            else:
                changes[name] = [None, value]
                continue
            if value is not None and value != "" and value != []:
                changes[name] = [None, value]
        entries.append(
            {
                **common,
                "object_id": str(record.pk),
                "object_repr": text[:200],
                "association_id": association_id,
                "changes": changes,
            }
        )
    bulk.table(AuditEntry).write(entries, now, records=False)
    return records


def update_versioned(instance: V, *, expected_version: int, **values: Any) -> V:
    """Apply `values` only if the stored version is still `expected_version`; audit the diff.

    The version check and the write are one UPDATE, so two concurrent editors cannot both win."""
    # The stubs type `Options.model` as any model, though it is the instance's own class.
    model = cast(type[V], instance._meta.model)
    current = model._default_manager.select_for_update().filter(pk=instance.pk).first()
    if current is None or current.version != expected_version:
        raise ConflictError()
    fields = audited_fields(current)
    before = snapshot(current, fields)
    # Changes are found on the clear values: two phone numbers can share one mask.
    before_clear = snapshot(current, fields, masked=False)
    for name, value in values.items():
        setattr(current, name, value)
    current.full_clean(validate_unique=True, validate_constraints=True)
    db_values = {field_attname(current, k): getattr(current, field_attname(current, k)) for k in values}
    rows = model._default_manager.filter(pk=current.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now(), **db_values
    )
    if rows != 1:
        raise ConflictError()
    current.refresh_from_db()
    after = snapshot(current, fields)
    after_clear = snapshot(current, fields, masked=False)
    changes = {k: [before[k], after[k]] for k in fields if before_clear[k] != after_clear[k]}
    if changes:
        audit_log(action=AuditAction.UPDATE, instance=current, changes=changes)
    return current


def delete_audited(instance: models.Model, *, expected_version: int | None = None) -> None:
    if expected_version is not None and getattr(instance, "version", expected_version) != expected_version:
        raise ConflictError()
    before = snapshot(instance, audited_fields(instance))
    audit_log(action=AuditAction.DELETE, instance=instance, changes={k: [v, None] for k, v in before.items()})
    instance.delete()
