"""Build and save the similar-case index of each congress (workers load it instead of building)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from lvzhi.assist import services
from lvzhi.core.models import Congress


class Command(BaseCommand):
    help = "建立并保存相似案件索引（各工作进程启动时直接加载，之后随新事件逐件更新，无需重建）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--congress", type=int, help="人大ID；不指定则处理所有人大")

    def handle(self, *args, congress: int | None = None, **opts) -> None:
        qs = Congress.objects.all()
        if congress is not None:
            qs = qs.filter(pk=congress)
            if not qs.exists():
                raise CommandError(f"人大ID {congress} 不存在")
        for c in qs.order_by("id"):
            t0 = time.perf_counter()
            index = services.build_index(c.pk, save=True)
            self.stdout.write(f"{c}：相似案件索引 {len(index)} 件，占用 {index.nbytes / 2**20:.0f} MB，"
                              f"用时 {time.perf_counter() - t0:.1f} 秒，已保存到 {services.index_dir(c.pk)}")
