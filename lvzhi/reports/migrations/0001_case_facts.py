"""The per-case summary the dashboard counts (lvzhi/reports/models.py). The tables start
empty: fill it with `manage.py rebuild_case_facts` after migrating a database that already
holds cases (seed_demo and build_scale_data do it; the engine keeps it from then on)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("cases", "0007_return_loop"),
        ("core", "0004_accounts_security"),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseFact",
            fields=[
                ("case", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                              related_name="fact", serialize=False, to="cases.case")),
                ("congress", models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING,
                                               related_name="+", to="core.congress")),
                ("kind", models.CharField(max_length=30)),
                ("state", models.CharField(max_length=20)),
                ("session", models.ForeignKey(db_constraint=False, null=True,
                                              on_delete=django.db.models.deletion.DO_NOTHING,
                                              related_name="+", to="core.session")),
                ("year", models.PositiveSmallIntegerField(null=True, verbose_name="提交年度")),
                ("category", models.CharField(blank=True, max_length=30)),
                ("is_key", models.BooleanField(default=False)),
                ("solved", models.BooleanField(default=False)),
                ("first_verdict", models.CharField(max_length=12, null=True)),
                ("last_verdict", models.CharField(max_length=12, null=True)),
                ("contacted", models.BooleanField(default=False)),
                ("next_due", models.DateField(null=True)),
                ("replies_a", models.PositiveIntegerField(default=0)),
                ("replies_b", models.PositiveIntegerField(default=0)),
                ("replies_c", models.PositiveIntegerField(default=0)),
                ("replies_d", models.PositiveIntegerField(default=0)),
            ],
            options={
                "verbose_name": "案件统计摘要",
                "verbose_name_plural": "案件统计摘要",
                "indexes": [
                    models.Index(fields=["congress", "kind", "session"], name="reports_fact_session_idx"),
                    models.Index(fields=["congress", "kind", "year"], name="reports_fact_year_idx"),
                    models.Index(condition=models.Q(("next_due__isnull", False)), fields=["congress", "kind", "next_due"],
                                 name="reports_fact_due_idx"),
                ],
            },
        ),
        migrations.CreateModel(
            name="FactCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("congress", models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING,
                                               related_name="+", to="core.congress")),
                ("kind", models.CharField(max_length=30)),
                ("session_id", models.PositiveIntegerField(default=0)),
                ("year", models.PositiveSmallIntegerField(default=0)),
                ("state", models.CharField(max_length=20)),
                ("category", models.CharField(blank=True, max_length=30)),
                *[(name, models.IntegerField(default=0)) for name in (
                    "n", "key", "solved", "evaluated", "satisfied", "final_evaluated", "final_satisfied",
                    "contacted", "replies_a", "replies_b", "replies_c", "replies_d")],
            ],
            options={
                "verbose_name": "统计汇总",
                "verbose_name_plural": "统计汇总",
                "constraints": [models.UniqueConstraint(
                    fields=("congress", "kind", "session_id", "year", "state", "category"),
                    name="reports_factcount_group")],
            },
        ),
        migrations.CreateModel(
            name="CaseUnit",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("next_due", models.DateField(null=True)),
                ("fact", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="units",
                                           to="reports.casefact")),
                ("unit", models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING,
                                           related_name="+", to="core.organization")),
            ],
            options={
                "verbose_name": "案件承办单位摘要",
                "verbose_name_plural": "案件承办单位摘要",
                "indexes": [models.Index(condition=models.Q(("next_due__isnull", False)), fields=["next_due"],
                                         name="reports_caseunit_due_idx")],
                "constraints": [models.UniqueConstraint(fields=("fact", "unit"), name="reports_caseunit_unique")],
            },
        ),
        migrations.CreateModel(
            name="UnitCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=30)),
                ("session_id", models.PositiveIntegerField(default=0)),
                ("year", models.PositiveSmallIntegerField(default=0)),
                ("unit_id", models.PositiveIntegerField()),
                ("n", models.IntegerField(default=0)),
                ("congress", models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING,
                                               related_name="+", to="core.congress")),
            ],
            options={
                "verbose_name": "承办单位汇总",
                "verbose_name_plural": "承办单位汇总",
                "constraints": [models.UniqueConstraint(fields=("congress", "kind", "session_id", "year", "unit_id"),
                                                        name="reports_unitcount_group")],
            },
        ),
    ]
