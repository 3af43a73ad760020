"""Indexes for a million cases (issue 16): what the list, its sorts and filters, the portal,
the key cases, the deadline monitor and the unit inbox read; no column changes.

Added
- cases_case (congress_id, submitted_at, id): the list by 提交日期, keyset-paged on
  (submitted_at, id) within the congress, both directions.
- cases_case (session_id, id): ?session= with the default newest-first order.
- cases_case (id) WHERE is_public / WHERE is_key: the portal's and the key cases' lists, a few
  percent of all cases, newest first.
- cases_deadline partial WHERE met_at IS NULL AND NOT cancelled (open clocks, ~3 % of all rows
  ever written): (due_on, case_id, kind, id) — the list by 截止, driven by the earliest open
  clocks in order (kind and id in the key so that the clocks a row does not show, such as
  promises, are skipped and "no earlier clock" checked in the index alone), and the monitor's
  and the sweep's due-date ranges; (case_id, due_on) — a case's running
  clocks (the rows' lights, "no earlier clock", the overdue filter); (assignment_id) — a unit's
  open duties (monitor, urge).
- cases_reply (assignment_id, state): a unit's drafts to sign, returned replies.
- cases_assignment (unit_id, state, case_id), replacing (unit_id, state): the list's 承办单位
  filter and the inbox read a unit's cases from the index alone.

Removed, each duplicating the leading column of a composite (the planner reads the composite
for the same conditions; each costs a write on every case insert or state change):
- cases_case_congress_id_54247a9e (congress_id): (congress_id, kind, state),
  (congress_id, submitted_at, id) and the unique (congress_id, number) lead with it.
- cases_case_kind_f223b793 (+ _like) (kind): three distinct values in a million rows, never
  used alone; every kind filter comes with the congress, which (congress_id, kind, state) serves.
- cases_case_number_980c9551 (+ _like) (number): a number is looked up within a congress, which
  the unique (congress_id, number) serves; searching inside numbers goes through lvzhi.search.
- cases_case_session_id_53a5b5b2 (session_id): (session_id, id) leads with it (the FK's own
  checks on deleting a session read it too).
- cases_assignment_unit_id_a6a9581f (unit_id): (unit_id, state) leads with it.
- cases_reply_assignment_id_d9e59e6d (assignment_id): (assignment_id, state) leads with it.
- cases_deadl_met_at_bc450c_idx (met_at, cancelled, due_on): replaced by the partial indexes,
  which hold only the open clocks it was used for.
Kept: category (a filter on its own), lead_deputy, submitter, merged_into, converted_to (their
foreign keys' lookups), Deadline.due_on and .case_id (every clock, not only open ones).

The fields' single-column indexes are dropped with DROP INDEX (state: db_index=False), not
AlterField: that would drop and re-validate the foreign keys on PostgreSQL and copy the whole
table on SQLite. Plain AddIndex (not CONCURRENTLY) so that the same migration runs on SQLite;
on lvzhi_scale_1m it takes about a minute.
"""

import django.db.models.deletion
from django.db import migrations, models

# (model, field): the single-column indexes Django made for db_index=True, by the names it
# gives them (the same on every backend; the _like twins exist on PostgreSQL only).
DROPPED = {
    ("case", "congress"): ["cases_case_congress_id_54247a9e"],
    ("case", "kind"): ["cases_case_kind_f223b793", "cases_case_kind_f223b793_like"],
    ("case", "number"): ["cases_case_number_980c9551", "cases_case_number_980c9551_like"],
    ("case", "session"): ["cases_case_session_id_53a5b5b2"],
    ("assignment", "unit"): ["cases_assignment_unit_id_a6a9581f"],
    ("reply", "assignment"): ["cases_reply_assignment_id_d9e59e6d"],
}


def drop_single_column_indexes(apps, schema_editor):
    for names in DROPPED.values():
        for name in names:
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


def restore_single_column_indexes(apps, schema_editor):
    # Backwards: the state is db_index=True again; build the indexes as Django would (on
    # PostgreSQL that includes the _like twins).
    for model_name, field_name in DROPPED:
        model = apps.get_model("cases", model_name)
        for sql in schema_editor._field_indexes_sql(model, model._meta.get_field(field_name)):
            schema_editor.execute(sql)


OPEN_CLOCK = models.Q(("cancelled", False), ("met_at__isnull", True))


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0007_return_loop"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_single_column_indexes,
                                                      restore_single_column_indexes)],
            state_operations=[
                migrations.AlterField(
                    model_name="assignment", name="unit",
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                            related_name="assignments", to="core.organization",
                                            verbose_name="承办单位")),
                migrations.AlterField(
                    model_name="case", name="congress",
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                            related_name="cases", to="core.congress")),
                migrations.AlterField(
                    model_name="case", name="kind",
                    field=models.CharField(max_length=30, verbose_name="类型")),
                migrations.AlterField(
                    model_name="case", name="number",
                    field=models.CharField(blank=True, max_length=60, verbose_name="案号")),
                migrations.AlterField(
                    model_name="case", name="session",
                    field=models.ForeignKey(blank=True, db_index=False, null=True,
                                            on_delete=django.db.models.deletion.PROTECT,
                                            related_name="cases", to="core.session", verbose_name="会议")),
                migrations.AlterField(
                    model_name="reply", name="assignment",
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                            related_name="replies", to="cases.assignment")),
            ],
        ),
        migrations.RemoveIndex(model_name="deadline", name="cases_deadl_met_at_bc450c_idx"),
        migrations.RemoveIndex(model_name="assignment", name="cases_assig_unit_id_f5bf0d_idx"),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(fields=["unit", "state", "case"], name="assignment_unit_state_case")),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["congress", "submitted_at", "id"], name="case_congress_submitted")),
        migrations.AddIndex(
            model_name="case", index=models.Index(fields=["session", "id"], name="case_session_id")),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(condition=models.Q(("is_public", True)), fields=["id"], name="case_public")),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(condition=models.Q(("is_key", True)), fields=["id"], name="case_key")),
        migrations.AddIndex(
            model_name="deadline",
            index=models.Index(condition=OPEN_CLOCK, fields=["due_on", "case", "kind", "id"],
                               name="deadline_open_due")),
        migrations.AddIndex(
            model_name="deadline",
            index=models.Index(condition=OPEN_CLOCK, fields=["case", "due_on"], name="deadline_open_case")),
        migrations.AddIndex(
            model_name="deadline",
            index=models.Index(condition=OPEN_CLOCK, fields=["assignment"], name="deadline_open_assignment")),
        migrations.AddIndex(
            model_name="reply",
            index=models.Index(fields=["assignment", "state"], name="reply_assignment_state")),
    ]
