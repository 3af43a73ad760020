"""Every event names its subject, and the digest formula is versioned.

Existing rows are case events written with today's formula: they become subject_type="case",
subject_id=case_id, digest_version=1 (their hashes do not change and still verify). New rows
default to version 2. The append-only trigger from 0003 refuses the UPDATE that fills
subject_id, so it is dropped first and recreated last. (On SQLite the table is also rebuilt by
the field changes, which drops its triggers anyway; recreating at the end covers that too.)
The SQL is copied from 0003 on purpose: a migration must not change when 0003 is edited.
"""

from django.db import migrations, models
from django.db.models import F

TRIGGER_UP = {
    "sqlite": """
CREATE TRIGGER cases_event_no_update BEFORE UPDATE ON cases_event
BEGIN SELECT RAISE(ABORT, '事件记录只能追加，不能修改'); END;
""",
    "postgresql": """
CREATE OR REPLACE FUNCTION cases_event_no_update() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION '事件记录只能追加，不能修改'; END $$ LANGUAGE plpgsql;
CREATE TRIGGER cases_event_no_update BEFORE UPDATE ON cases_event
FOR EACH ROW EXECUTE FUNCTION cases_event_no_update();
""",
}
TRIGGER_DOWN = {
    "sqlite": "DROP TRIGGER IF EXISTS cases_event_no_update;",
    "postgresql": "DROP TRIGGER IF EXISTS cases_event_no_update ON cases_event;",
}


def drop_trigger(apps, schema_editor):
    sql = TRIGGER_DOWN.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


def create_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor in TRIGGER_DOWN:
        schema_editor.execute(TRIGGER_DOWN[vendor])  # idempotent: never two triggers
        schema_editor.execute(TRIGGER_UP[vendor])


def fill_subjects(apps, schema_editor):
    """Rows so far are all case events (case was NOT NULL until this migration)."""
    Event = apps.get_model("cases", "Event")
    Event.objects.using(schema_editor.connection.alias).update(subject_type="case",
                                                               subject_id=F("case_id"))


def refuse_if_subjects(apps, schema_editor):
    Event = apps.get_model("cases", "Event")
    if Event.objects.using(schema_editor.connection.alias).filter(case__isnull=True).exists():
        raise RuntimeError("已有非案件主体的事件，不能回退到 0004（case 不能为空）")


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_kinds_declared")]

    operations = [
        migrations.RunPython(drop_trigger, create_trigger),
        migrations.AlterField(
            model_name="event",
            name="case",
            field=models.ForeignKey(blank=True, help_text="案件事件填写（与 subject_id 相同）；其他主体为空",
                                    null=True, on_delete=models.deletion.PROTECT,
                                    related_name="events", to="cases.case"),
        ),
        # Runs before the AlterField above when migrating backwards.
        migrations.RunPython(migrations.RunPython.noop, refuse_if_subjects),
        migrations.AddField(
            model_name="event",
            name="subject_type",
            field=models.CharField(default="case", help_text="case、meeting、ballot、draft、filing_batch、import 等",
                                   max_length=30, verbose_name="主体类型"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="event",
            name="subject_id",
            field=models.PositiveBigIntegerField(default=0, verbose_name="主体编号"),
            preserve_default=False,
        ),
        # Existing rows were hashed with formula 1; rows appended from now on use 2.
        migrations.AddField(
            model_name="event",
            name="digest_version",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="摘要版本"),
        ),
        migrations.AlterField(
            model_name="event",
            name="digest_version",
            field=models.PositiveSmallIntegerField(default=2, verbose_name="摘要版本"),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["subject_type", "subject_id"], name="cases_event_subject_idx"),
        ),
        migrations.RunPython(fill_subjects, migrations.RunPython.noop),
        migrations.RunPython(create_trigger, drop_trigger),
    ]
