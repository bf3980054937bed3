"""The audit trail cannot be rewritten: on PostgreSQL a trigger refuses UPDATE and DELETE on
core_auditentry unless the transaction opened this narrow door, which only the erasure of a person
(PIPL art. 47) and the retention purge do, each leaving an audit row of its own."""

from contextlib import contextmanager

from django.db import connection, transaction

# The PostgreSQL setting the trigger reads; SET LOCAL keeps it to the current transaction.
MAINTENANCE_SETTING = "qiaojia.audit_maintenance"


@contextmanager
def audit_maintenance():
    """Run the body in a transaction that may update or delete audit rows (PostgreSQL; a no-op door on
    SQLite, which has no trigger)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'on', true)", [MAINTENANCE_SETTING])
        yield
