"""The audit trail cannot be rewritten: the PostgreSQL trigger against raw SQL, and the one door
(`audit_maintenance`).

Transactional tests: the door is scoped to a real transaction, which the test-wide transaction would hide."""

import pytest
from django.db import DatabaseError, connection, transaction

from qiaojia.core.auditlock import audit_maintenance, audit_rows
from qiaojia.core.models import AuditAction, AuditEntry
from qiaojia.core.services import audit_operation

ON_POSTGRESQL = connection.vendor == "postgresql"

RAW = {
    "update": "UPDATE core_auditentry SET actor_username = 'forger' WHERE id = %s",
    "delete": "DELETE FROM core_auditentry WHERE id = %s",
    "truncate": "TRUNCATE core_auditentry",
}


@pytest.fixture
def entry(transactional_db):
    with transaction.atomic():
        return audit_operation(
            action=AuditAction.UPDATE,
            object_type="test.thing",
            object_repr="a row",
            changes={"field": ["before", "after"]},
        )


def _raw(statement: str, entry: AuditEntry) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(RAW[statement], [entry.pk] if "%s" in RAW[statement] else None)


def _audit_triggers() -> list[str]:
    with connection.cursor() as cursor:
        if ON_POSTGRESQL:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'core_auditentry'::regclass "
                "AND NOT tgisinternal ORDER BY tgname"
            )
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'core_auditentry'")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.parametrize("statement", RAW)
def test_raw_sql_cannot_rewrite_the_audit_trail(entry, statement):
    if ON_POSTGRESQL:
        assert _audit_triggers() == ["core_auditentry_refuse_truncate", "core_auditentry_refuse_update_delete"]
        with pytest.raises(DatabaseError, match="The audit trail cannot be changed"):
            _raw(statement, entry)
    else:
        # SQLite has no session setting a trigger could read: the migration adds nothing there, and the
        # model's own guards are what refuses (raw SQL is not guarded on the embedded default).
        assert _audit_triggers() == []
        with pytest.raises(PermissionError):
            if statement == "update":
                AuditEntry.objects.filter(pk=entry.pk).update(actor_username="forger")
            else:
                AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).actor_username == entry.actor_username


def test_the_door_lets_its_own_transaction_update_and_delete_audit_rows(entry):
    other = audit_operation(action=AuditAction.DELETE, object_type="test.thing", object_repr="another row", changes={})
    with audit_maintenance():
        _raw("update", entry)
        _raw("delete", other)
    assert AuditEntry.objects.get(pk=entry.pk).actor_username == "forger"
    assert not AuditEntry.objects.filter(pk=other.pk).exists()


def test_the_door_closes_when_its_block_ends_even_inside_a_longer_transaction(entry):
    with transaction.atomic():
        with audit_maintenance():
            assert connection.in_atomic_block
            _raw("update", entry)
        if ON_POSTGRESQL:
            with pytest.raises(DatabaseError, match="The audit trail cannot be changed"):
                _raw("delete", entry)
    if ON_POSTGRESQL:
        with pytest.raises(DatabaseError, match="The audit trail cannot be changed"):
            _raw("delete", entry)
    assert AuditEntry.objects.get(pk=entry.pk).actor_username == "forger"


def test_what_failed_inside_the_door_is_rolled_back(entry):
    with pytest.raises(RuntimeError), audit_maintenance():
        audit_rows().filter(pk=entry.pk).delete()
        raise RuntimeError("the erasure failed half-way")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_unguarded_audit_rows_are_only_handed_out_inside_the_door(entry):
    with pytest.raises(PermissionError):
        audit_rows()
    if ON_POSTGRESQL:
        with pytest.raises(PermissionError), transaction.atomic():
            audit_rows()
    with audit_maintenance():
        assert audit_rows().filter(pk=entry.pk).update(actor_username="pseudonym") == 1
    assert AuditEntry.objects.get(pk=entry.pk).actor_username == "pseudonym"
