"""Keyed digests (v3, HMAC-SM3 over every shown column) and signed chain checkpoints.

Existing rows keep their digest_version (1 or 2) and their hashes; rows appended from now on
default to version 3 (lvzhi.cases.events). Changing the column default makes SQLite rebuild
the table, which drops its triggers, so the append-only trigger from 0003 is dropped first and
recreated last, as in 0005. The SQL is copied from 0005 on purpose: a migration must not change
when another is edited.

After migrating an existing database, run `manage.py chain_checkpoint` once: a chain holding
only unkeyed v1/v2 rows is reported as unanchored until a signed checkpoint (or its first v3
row) vouches for it.
"""

from django.db import migrations, models

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


def refuse_if_v3(apps, schema_editor):
    Event = apps.get_model("cases", "Event")
    if Event.objects.using(schema_editor.connection.alias).filter(digest_version=3).exists():
        raise RuntimeError("已有 v3（带密钥）事件记录，回退到 0005 后它们无法被校验")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_event_subject"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, refuse_if_v3),
        migrations.RunPython(drop_trigger, create_trigger),
        migrations.AlterField(
            model_name="event",
            name="digest_version",
            field=models.PositiveSmallIntegerField(default=3, verbose_name="摘要版本"),
        ),
        migrations.CreateModel(
            name="Checkpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("seq", models.PositiveBigIntegerField(verbose_name="序号")),
                ("hash", models.CharField(max_length=64, verbose_name="链头哈希")),
                ("at", models.DateTimeField(verbose_name="签名时间")),
                ("signature", models.CharField(max_length=64, verbose_name="签名")),
                ("congress", models.ForeignKey(on_delete=models.deletion.PROTECT,
                                               related_name="chain_checkpoints",
                                               to="core.congress")),
            ],
            options={
                "verbose_name": "事件链检查点",
                "verbose_name_plural": "事件链检查点",
                "ordering": ["congress_id", "seq", "id"],
                "indexes": [models.Index(fields=["congress", "seq"],
                                         name="cases_checkpoint_seq_idx")],
            },
        ),
        migrations.RunPython(create_trigger, drop_trigger),
    ]
