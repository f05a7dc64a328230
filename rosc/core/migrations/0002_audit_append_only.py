"""On PostgreSQL the database itself refuses to change or delete audit rows.

Only clearing ``actor_id`` (when a user account is removed) is allowed. On
SQLite the model and queryset guards apply; its test flush deletes rows, so
no trigger is installed there.
"""

from django.db import migrations

COLUMNS = "at, actor_label, action, object_type, object_id, purpose, ip_address, details"

FORWARD = f"""
CREATE OR REPLACE FUNCTION core_auditevent_refuse() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The audit log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE OF {COLUMNS} ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_auditevent_refuse();
CREATE TRIGGER core_auditevent_no_reassign BEFORE UPDATE OF actor_id ON core_auditevent
    FOR EACH ROW WHEN (NEW.actor_id IS NOT NULL) EXECUTE FUNCTION core_auditevent_refuse();
CREATE TRIGGER core_auditevent_no_delete BEFORE DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_auditevent_refuse();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS core_auditevent_no_update ON core_auditevent;
DROP TRIGGER IF EXISTS core_auditevent_no_reassign ON core_auditevent;
DROP TRIGGER IF EXISTS core_auditevent_no_delete ON core_auditevent;
DROP FUNCTION IF EXISTS core_auditevent_refuse();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
