"""A contact point's opinions from Excel: the template, and the upload with a row-by-row report.

Columns: 条款, 意见内容, 提出人, 备注 (lvzhi.documents.excel reads them). What a clerk expects of a
sheet with bad rows: **nothing is saved** and every bad row is named (第7行：草案中没有第九十九条), so
the sheet can be fixed and uploaded again; only when the clerk ticks "仍导入其余正确的行" are the
good rows saved and the bad ones listed as not imported. The page says so above the upload.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import IO

from django.db import transaction

from lvzhi.cases.workflow import InvalidInput
from lvzhi.core.models import User
from lvzhi.documents.excel import Column, SheetError, read_sheet, write_sheet
from lvzhi.legislation.comment_models import Comment, CommentPeriod, key_label
from lvzhi.legislation.comment_services import TEXT_MAX, Opinion, article_keys, enter_meeting, parse_article_ref
from lvzhi.legislation.models import ContactPoint

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = [
    Column("条款", key="article", aliases=("条目", "条文"), width=14),
    Column("意见内容", key="text", aliases=("意见", "意见建议"), required=True, blank_ok=False, width=70, wrap=True),
    Column("提出人", key="submitter", aliases=("提出者", "意见人"), width=16),
    Column("备注", key="note", width=24),
]


def template_xlsx(period: CommentPeriod) -> bytes:
    """The template with two example rows a clerk overwrites."""
    articles = period.draft.parsed().articles
    first = articles[0].label if articles else "第一条"
    rows = [[first, "建议明确……（每行一条意见）", "居民 张某", "座谈会发言"],
            ["整体", "对草案整体的意见填“整体”或留空", "", ""]]
    title = f"《{period.draft.bill.regulation.title}》{period.draft.label} 基层立法联系点意见表"
    return write_sheet(title, COLUMNS, rows)


@dataclass
class RowReport:
    number: int  # the Excel row the clerk sees
    article: str
    text: str
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class ImportReport:
    rows: list[RowReport]
    saved: list[Comment] = field(default_factory=list)
    file_error: str = ""

    @property
    def good(self) -> list[RowReport]:
        return [r for r in self.rows if r.ok]

    @property
    def bad(self) -> list[RowReport]:
        return [r for r in self.rows if not r.ok]


def check_rows(period: CommentPeriod, file: bytes | IO[bytes]) -> tuple[ImportReport, list[Opinion]]:
    """Read and check every row; SheetError for a file that is unusable as a whole."""
    result = read_sheet(file, COLUMNS, item="意见")
    keys = set(article_keys(period.draft))
    reports: list[RowReport] = []
    opinions: list[Opinion] = []
    for row in result.rows:
        v = row.values
        article_raw, text = str(v.get("article") or "").strip(), str(v.get("text") or "").strip()
        rep = RowReport(row.number, article_raw, text, list(row.errors))
        key = parse_article_ref(article_raw)
        if key is None:
            rep.problems.append(f"条款“{article_raw}”无法识别，请填写如“第十条”或“整体”")
        elif key and key not in keys:
            rep.problems.append(f"草案中没有{key_label(key)}")
        if len(text) > TEXT_MAX:
            rep.problems.append(f"意见内容最多{TEXT_MAX}字，当前{len(text)}字")
        reports.append(rep)
        if rep.ok:
            opinions.append(Opinion(key or "", text, str(v.get("submitter") or ""), str(v.get("note") or "")))
    return ImportReport(reports), opinions


def import_opinions(actor: User, point: ContactPoint, period: CommentPeriod, file: bytes | IO[bytes], *,
                    held_on: dt.date | None, place: str, participants: int | None, save_good: bool = False,
                    ) -> ImportReport:
    """Check the sheet; save it whole if every row is good, or the good rows if `save_good`."""
    try:
        report, opinions = check_rows(period, file)
    except SheetError as err:
        return ImportReport([], file_error=err.message)
    if report.bad and not save_good:
        return report
    if not opinions:
        raise InvalidInput("文件中没有可以导入的意见", {"file": ["没有可以导入的行"]})
    with transaction.atomic():
        _meeting, report.saved = enter_meeting(actor, point, period, held_on=held_on, place=place,
                                               participants=participants, opinions=opinions)
    return report
