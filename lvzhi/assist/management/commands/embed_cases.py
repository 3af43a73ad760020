"""Compute the stored sentence vectors of cases (similar-case search and hot topics use them)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from lvzhi.assist.vectors import BATCH, embed_cases, embeddable, encoder_name
from lvzhi.core.models import Congress


class Command(BaseCommand):
    help = "为案件计算语义向量（只算缺少的和标题/内容已修改的），供相似建议和热点分析使用"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--congress", type=int, help="人大ID；不指定则处理所有人大")
        parser.add_argument("--batch", type=int, default=BATCH, help=f"每批条数（默认{BATCH}）")

    def handle(self, *args, congress: int | None = None, batch: int = BATCH, **opts) -> None:
        if congress is not None and not Congress.objects.filter(pk=congress).exists():
            raise CommandError(f"人大ID {congress} 不存在")
        if batch < 1:
            raise CommandError("每批条数至少为 1")
        verbose = opts.get("verbosity", 1) >= 2

        def progress(done: int, total: int) -> None:
            if verbose:
                self.stdout.write(f"  {done}/{total}")

        result = embed_cases(embeddable(congress), batch=batch, progress=progress)
        rate = f"，{result.computed / result.seconds:.0f} 件/秒" if result.computed and result.seconds else ""
        self.stdout.write(f"语义向量（{encoder_name()}）：共 {result.total} 件，新算 {result.computed} 件，"
                          f"用时 {result.seconds} 秒{rate}。")
