from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from lvzhi.search.documents import reindex_all


class Command(BaseCommand):
    help = "重建全部案件的全文检索文档（导入旧数据或调整分词词典之后运行）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--congress", type=int, default=None, help="只重建该人大的案件（人大编号）")

    def handle(self, *args, congress: int | None = None, **options) -> None:
        start = time.monotonic()
        n = reindex_all(congress)
        self.stdout.write(f"已重建{n}件案件的检索文档，用时{time.monotonic() - start:.1f}秒。")
