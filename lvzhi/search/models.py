"""One search document per case: its searchable words, segmented, as the index reads them."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class SearchDocument(models.Model):
    """The case's segmented words (space-separated). On SQLite the FTS5 table `search_fts`
    mirrors `tokens` through triggers; on PostgreSQL a GIN index covers
    to_tsvector('simple', tokens) (migrations/0001)."""

    case = models.OneToOneField("cases.Case", models.CASCADE, primary_key=True,
                                related_name="search_document", verbose_name="案件")
    tokens = models.TextField("检索词")
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "检索文档"

    def __str__(self) -> str:
        return f"案件{self.case_id}的检索文档"
