"""The database itself refuses UPDATE on events: the model's save() guard covers the ORM, this
covers raw SQL by the application's own account. (Deleting is left to the chain to detect, so
test databases can still be flushed; a DBA who drops the trigger is caught by verify_chain.)"""

from django.db import migrations

SQLITE_UP = """
CREATE TRIGGER cases_event_no_update BEFORE UPDATE ON cases_event
BEGIN SELECT RAISE(ABORT, '事件记录只能追加，不能修改'); END;
"""
POSTGRES_UP = """
CREATE OR REPLACE FUNCTION cases_event_no_update() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION '事件记录只能追加，不能修改'; END $$ LANGUAGE plpgsql;
CREATE TRIGGER cases_event_no_update BEFORE UPDATE ON cases_event
FOR EACH ROW EXECUTE FUNCTION cases_event_no_update();
"""
DOWN = {
    "sqlite": "DROP TRIGGER IF EXISTS cases_event_no_update;",
    "postgresql": "DROP TRIGGER IF EXISTS cases_event_no_update ON cases_event;"
                  "DROP FUNCTION IF EXISTS cases_event_no_update();",
}


def up(apps, schema_editor):
    sql = {"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


def down(apps, schema_editor):
    sql = DOWN.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial")]
    operations = [migrations.RunPython(up, down)]
