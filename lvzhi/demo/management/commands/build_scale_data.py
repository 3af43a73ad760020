"""`manage.py build_scale_data --cases N`: a decade of cases on top of the demo city, in bulk,
for measuring pages at scale (lvzhi.demo.scale). Run `seed_demo` first."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from lvzhi.cases.kinds import get_kind
from lvzhi.demo.scale import ScaleBuilder, ScaleError, states_of


class Command(BaseCommand):
    help = "在演示数据之上批量生成十年的议案建议（用于规模测试），如 --cases 1000000"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, required=True, help="新增案件数")
        parser.add_argument("--seed", type=int, default=16, help="随机种子")
        parser.add_argument("--chunk", type=int, default=20000, help="每批写入的案件数")

    def handle(self, *args, cases: int, seed: int, chunk: int, **options) -> None:
        if cases <= 0:
            raise CommandError("--cases 须为正整数")
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("数据库还有未执行的迁移：请先运行 manage.py migrate")
        w = self.stdout.write
        w(f"正在生成 {cases} 件案件（{connection.vendor}）…")
        try:
            report = ScaleBuilder(cases, seed=seed, out=w, chunk=chunk).build()
        except ScaleError as exc:
            raise CommandError(str(exc)) from exc
        w(f"完成：新增案件 {report.cases} 件，事件 {report.events} 条，用时 {report.seconds:.1f} 秒")
        for kind, state, n in states_of(report):
            k = get_kind(kind)
            w(f"  {k.label} {k.state_label(state)}（{kind}/{state}）：{n}")
        w("  各年度：" + "，".join(f"{y}年 {n}" for y, n in sorted(report.years.items())))
        w("  各表新增行数：" + "，".join(f"{t} {n}" for t, n in sorted(report.rows.items())))
        try:
            call_command("rebuild_case_facts", stdout=self.stdout)
        except CommandError as exc:
            if "Unknown command" not in str(exc):
                raise
            w("（未找到 rebuild_case_facts 命令，跳过统计表重建）")
