"""On PostgreSQL the database itself refuses UPDATE, DELETE and TRUNCATE of audit rows, whoever sends
them (ORM, raw SQL, psql), unless the transaction opened qiaojia.core.auditlock.audit_maintenance().
Statement-level triggers: the refusal costs nothing per row, and the door lets a purge run at full speed.
SQLite has no session setting a trigger could read: there the model's guards are the protection."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION core_auditentry_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('qiaojia.audit_maintenance', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'The audit trail cannot be changed (% on %).', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Only qiaojia.core.auditlock.audit_maintenance() may change audit rows.';
END
$$;
CREATE TRIGGER core_auditentry_refuse_update_delete BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION core_auditentry_refuse_change();
CREATE TRIGGER core_auditentry_refuse_truncate BEFORE TRUNCATE ON core_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION core_auditentry_refuse_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS core_auditentry_refuse_truncate ON core_auditentry;
DROP TRIGGER IF EXISTS core_auditentry_refuse_update_delete ON core_auditentry;
DROP FUNCTION IF EXISTS core_auditentry_refuse_change();
"""


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            # No parameters: the SQL's own % signs must reach PostgreSQL as they are.
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(sql)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0002_audit_export_action"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False),
    ]
