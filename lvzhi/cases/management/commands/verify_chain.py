"""Verify the event chain of every congress (or the ones named), incrementally from the newest
signed checkpoint by default, or every row with --full (the audit administrator's full check),
printing its progress. A broken chain makes the command fail."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from lvzhi.cases.events import verify_chain_report
from lvzhi.cases.models import ChainHead, Event


class Command(BaseCommand):
    help = "校验事件链：默认自最新的签名检查点起增量校验；--full 逐条重算全部记录并显示进度"

    def add_arguments(self, parser):
        parser.add_argument("--congress", type=int, action="append", dest="congresses",
                            help="只校验这个人大（可重复）；默认校验所有有事件的人大")
        parser.add_argument("--full", action="store_true", help="全量校验：逐条重算全部记录")
        parser.add_argument("--every", type=int, default=100_000, help="每校验多少条显示一次进度")

    def handle(self, *args, congresses=None, full=False, every=100_000, **options):
        ids = congresses or sorted(
            set(ChainHead.objects.filter(seq__gt=0).values_list("congress_id", flat=True))
            | set(Event.objects.values_list("congress_id", flat=True).distinct()))
        failed = []
        for congress_id in ids:
            total = ChainHead.objects.filter(congress_id=congress_id).values_list("seq", flat=True).first() or 0
            start = time.perf_counter()
            shown = [0]

            def progress(n: int, seq: int, congress_id: int = congress_id, total: int = total,
                         start: float = start, shown: list[int] = shown) -> None:
                if n - shown[0] < every:
                    return
                shown[0] = n
                rate = n / max(time.perf_counter() - start, 1e-9)
                share = f"，约 {seq * 100 // total}%" if total else ""
                self.stdout.write(f"人大 {congress_id}：已校验 {n} 条（至第 {seq} 条{share}），每秒 {rate:.0f} 条")

            report = verify_chain_report(congress_id, full=full, progress=progress)
            seconds = time.perf_counter() - start
            mode = "全量" if full else "增量"
            if report.ok:
                self.stdout.write(f"人大 {congress_id}：{mode}校验通过，{report.rows_checked} 条，"
                                  f"用时 {seconds:.1f} 秒。{report.reason}")
            else:
                failed.append(congress_id)
                self.stderr.write(f"人大 {congress_id}：{mode}校验未通过（第 {report.first_bad_seq} 条）。"
                                  f"{report.reason}")
        if failed:
            raise CommandError(f"{len(failed)} 个人大的事件链校验未通过：{', '.join(map(str, failed))}")
