"""The audit trail cannot be rewritten: on PostgreSQL a trigger refuses UPDATE and DELETE on
core_auditentry unless the transaction opened this narrow door, which only the erasure of a person
(PIPL art. 47) and the retention purge do, each leaving an audit row of its own."""

from contextlib import contextmanager

from django.db import connection, transaction

from .models import AuditEntry

# The PostgreSQL setting the trigger reads; SET LOCAL keeps it to the current transaction.
MAINTENANCE_SETTING = "qiaojia.audit_maintenance"


@contextmanager
def audit_maintenance():
    """Run the body in a transaction that may update or delete audit rows (PostgreSQL; a no-op door on
    SQLite, which has no trigger). The door closes again when the body ends."""
    with transaction.atomic():
        previous = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT current_setting(%s, true)", [MAINTENANCE_SETTING])
                previous = cursor.fetchone()[0] or ""
                cursor.execute("SELECT set_config(%s, 'on', true)", [MAINTENANCE_SETTING])
        yield
        # An exception skips this: the rollback of the block restores the setting by itself.
        if previous is not None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, %s, true)", [MAINTENANCE_SETTING, previous])


def audit_rows():
    """The audit rows without the model's guards, for the body of `audit_maintenance()` only."""
    door_open = connection.in_atomic_block
    if door_open and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting(%s, true)", [MAINTENANCE_SETTING])
            door_open = cursor.fetchone()[0] == "on"
    if not door_open:
        raise PermissionError("The audit trail can be changed only inside audit_maintenance().")
    return AuditEntry._base_manager.all()
