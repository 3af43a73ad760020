"""Sign a checkpoint of every congress's event chain (run every 10 minutes: deploy/lvzhi-checkpoint.timer).

Each chain is verified first and signed only if intact and moved since its last checkpoint; the
checkpoint goes to LVZHI_AUDIT_CHECKPOINT_FILE (append-only, outside the database) and to the
Checkpoint table. A broken chain is never signed and makes the command fail, so the timer's
failure is the alarm.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from lvzhi.cases.events import checkpoint_chain, checkpoint_file
from lvzhi.cases.models import ChainHead, Event


class Command(BaseCommand):
    help = "校验每个人大的事件链，并为其写入带签名的检查点（数据库与追加写入的检查点文件）"

    def add_arguments(self, parser):
        parser.add_argument("--congress", type=int, action="append", dest="congresses",
                            help="只处理这个人大（可重复）；默认处理所有有事件的人大")
        parser.add_argument("--force", action="store_true",
                            help="链没有变化也写入新的检查点；检查点文件轮换后用它写入第一条")

    def handle(self, *args, congresses=None, force=False, **options):
        ids = congresses or sorted(
            set(ChainHead.objects.filter(seq__gt=0).values_list("congress_id", flat=True))
            | set(Event.objects.values_list("congress_id", flat=True).distinct()))
        failed = []
        for congress_id in ids:
            report, checkpoint = checkpoint_chain(congress_id, force=force)
            if not report.ok:
                failed.append(congress_id)
                self.stderr.write(f"人大 {congress_id}：事件链校验未通过，未签名。{report.reason}")
            elif checkpoint:
                self.stdout.write(f"人大 {congress_id}：已签名检查点，第 {checkpoint.seq} 条，"
                                  f"哈希 {checkpoint.hash[:16]}…")
            elif report.rows_checked:
                self.stdout.write(f"人大 {congress_id}：自第 {report.checkpoint_seq} 条的检查点后没有新记录，跳过。")
        if failed:
            raise CommandError(f"{len(failed)} 个人大的事件链校验未通过：{', '.join(map(str, failed))}"
                               f"（检查点文件 {checkpoint_file()}）")
