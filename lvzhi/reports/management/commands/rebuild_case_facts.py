"""manage.py rebuild_case_facts [--check] [--congress ID]: the dashboard's per-case summary
rewritten from the records (set-based SQL, 50,000 cases a statement), or only compared."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from lvzhi.reports import facts


class Command(BaseCommand):
    help = "从办理记录重建统计摘要（案件统计摘要表）；--check 只核对并列出不一致的案件"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--check", action="store_true", help="只核对，不写入；有不一致时返回非零")
        parser.add_argument("--congress", type=int, help="只处理该人大的案件（编号）")
        parser.add_argument("--batch", type=int, default=facts.BATCH, help="每条语句处理的案件编号范围")
        parser.add_argument("--database", default=None, help="数据库别名（默认写库）")

    def handle(self, *args, check: bool = False, congress: int | None = None, batch: int = facts.BATCH,
               database: str | None = None, **options) -> None:
        start = time.monotonic()
        if check:
            bad = facts.check(congress, using=database, batch=batch)
            groups = facts.check_counts(congress, using=database)
            took = time.monotonic() - start
            if bad:
                shown = "、".join(str(i) for i in bad[:50]) + ("……" if len(bad) > 50 else "")
                self.stdout.write(f"统计摘要与办理记录不一致的案件共{len(bad)}件（案件编号）：{shown}")
            if groups:
                self.stdout.write(f"统计汇总与统计摘要不一致的分组共{len(groups)}个，如：{groups[0]}")
            if bad or groups:
                raise CommandError(f"统计摘要不一致（{len(bad)}件，汇总{len(groups)}组），"
                                   "请运行 rebuild_case_facts 重建")
            self.stdout.write(f"统计摘要与办理记录一致（用时{took:.1f}秒）")
            return

        def progress(done: int, total: int) -> None:
            if options.get("verbosity", 1) > 1 or done == total:
                self.stdout.write(f"  {done}/{total} 批，{time.monotonic() - start:.1f}秒")

        n = facts.rebuild(congress, using=database, batch=batch, progress=progress)
        self.stdout.write(f"已重建统计摘要{n}条（用时{time.monotonic() - start:.1f}秒）")
