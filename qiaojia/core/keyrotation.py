"""Re-encrypt the encrypted fields under the current FIELD_ENCRYPTION_KEY (and, with `rehash`, recompute
their lookup hashes under the current LOOKUP_HASH_KEY), in batches, one transaction per batch.

Each value is written back only if it is still the one read (compare-and-set), so an edit made meanwhile
is never overwritten; a value already under the current key is left alone, so a second run changes nothing.
The plain value does not change: no version bump, one audit row for the whole run.
"""

from dataclasses import dataclass, field

from cryptography.fernet import InvalidToken
from django.db import transaction

from . import crypto
from .models import AuditAction
from .services import audit_operation

BATCH = 1000


@dataclass
class RotationResult:
    checked: int = 0
    reencrypted: int = 0
    rehashed: int = 0
    unreadable: list[str] = field(default_factory=list)  # "<model label>#<pk>"


def field_key_rotate(*, dry_run: bool = False, rehash: bool = False, batch: int = BATCH) -> RotationResult:
    result = RotationResult()
    per_field: dict[str, int] = {}
    for model, name, hash_name in crypto.encrypted_fields():
        label = f"{model._meta.label_lower}.{name}"
        before = result.reencrypted + result.rehashed
        last_pk = None
        while True:
            rows = model._base_manager.exclude(**{name: ""}).order_by("pk")
            if last_pk is not None:
                rows = rows.filter(pk__gt=last_pk)
            columns = [name, hash_name] if rehash and hash_name else [name]
            chunk = list(rows.values_list("pk", *columns)[:batch])
            if not chunk:
                break
            last_pk = chunk[-1][0]
            with transaction.atomic():
                for pk, token, *stored_hash in chunk:
                    result.checked += 1
                    _rotate_one(
                        model,
                        name,
                        hash_name if rehash else None,
                        pk,
                        token,
                        stored_hash[0] if stored_hash else None,
                        dry_run,
                        result,
                    )
        per_field[label] = result.reencrypted + result.rehashed - before
    if not dry_run and any(per_field.values()):
        with transaction.atomic():
            audit_operation(
                action=AuditAction.UPDATE,
                object_type="core.field_key",
                object_repr="field key rotation",
                changes={"reencrypted": result.reencrypted, "rehashed": result.rehashed, "fields": per_field},
            )
    return result


def _rotate_one(
    model,
    name: str,
    hash_name: str | None,
    pk,
    token: str,
    stored_hash: str | None,
    dry_run: bool,
    result: RotationResult,
) -> None:
    values: dict[str, str] = {}
    try:
        if not crypto.is_current(token):
            values[name] = crypto.reencrypt(token)
        if hash_name is not None:
            new_hash = crypto.lookup_hash(crypto.decrypt(token))
            if new_hash != stored_hash:
                values[hash_name] = new_hash
    except InvalidToken:
        result.unreadable.append(f"{model._meta.label_lower}#{pk}")
        return
    if not values:
        return
    if not dry_run:
        same = {name: token} if hash_name is None else {name: token, hash_name: stored_hash}
        if model._base_manager.filter(pk=pk, **same).update(**values) != 1:
            return  # edited meanwhile, under the current keys
    result.reencrypted += name in values
    result.rehashed += hash_name is not None and hash_name in values
