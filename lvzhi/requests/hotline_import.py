"""The 12345 export in (Excel or CSV): every row checked, then all of it or nothing.

Columns (what a 12345 system exports): 工单号, 诉求内容, 承办单位, 受理时间, 时限, 状态. The key is the
工单号: a row whose order is already here refreshes what 12345 says about it (an event naming
what changed), an unchanged row does nothing, a new one is imported; importing the same file
twice changes nothing the second time. A file with any bad row saves nothing and names every
bad row (第7行：缺少工单号), so the file can be fixed and uploaded again.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import IO

from django.db import IntegrityError, transaction
from django.utils import timezone

from lvzhi.cases.engine import fire, open_case
from lvzhi.core.models import Congress, User
from lvzhi.documents.excel import Column, SheetError, date, read_csv, read_sheet, write_sheet
from lvzhi.requests.hotline_models import HotlineImport, HotlineOrderDetail
from lvzhi.requests.hotline_permissions import KIND
from lvzhi.requests.hotline_workflow import FIELDS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ORDER_NO = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]{3,39}$")
COLUMNS = [
    Column("工单号", key="order_no", aliases=("工单编号", "编号"), required=True, blank_ok=False, width=20),
    Column("诉求内容", key="content", aliases=("诉求", "来电内容", "反映内容"), required=True, blank_ok=False,
           width=60, wrap=True),
    Column("承办单位", key="unit_name", aliases=("办理单位", "责任单位"), width=20),
    Column("受理时间", key="accepted_on", aliases=("受理日期", "来电时间"), parse=date, width=14),
    Column("时限", key="due_on", aliases=("办理时限", "办结时限"), parse=date, width=14),
    Column("状态", key="source_status", aliases=("工单状态", "办理状态"), width=10),
]


class ImportRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class RowReport:
    number: int
    order_no: str
    outcome: str = ""  # 新增 / 更新 / 未变
    problems: list[str] = field(default_factory=list)


@dataclass
class Report:
    rows: list[RowReport]
    record: HotlineImport | None = None

    @property
    def bad(self) -> list[RowReport]:
        return [r for r in self.rows if r.problems]


def template_xlsx() -> bytes:
    rows = [["2026120100123", "东风路与新华街交叉口信号灯故障，早晚高峰拥堵严重", "市交通运输局", "2026-12-01",
             "2026-12-08", "办理中"]]
    return write_sheet("12345热线难点工单导入表", COLUMNS, rows)


def _read(file: IO[bytes], filename: str):
    if filename.lower().endswith(".csv"):
        return read_csv(file, COLUMNS, item="工单")
    return read_sheet(file, COLUMNS, item="工单")


def import_file(congress: Congress, actor: User, file: IO[bytes], filename: str,
                now: dt.datetime | None = None) -> Report:
    """Check every row; with none bad, import or refresh each in one transaction."""
    now = now or timezone.now()
    try:
        result = _read(file, filename)
    except SheetError as err:
        raise ImportRefused(err.message) from None
    reports: list[RowReport] = []
    seen: dict[str, int] = {}
    for row in result.rows:
        v = row.values
        no = str(v.get("order_no") or "").strip()
        rep = RowReport(row.number, no, problems=list(row.errors))
        if no and not ORDER_NO.match(no):
            rep.problems.append(f"工单号“{no}”应为4至40位数字、字母或连字符")
        if no in seen:
            rep.problems.append(f"工单号{no}与第{seen[no]}行重复")
        if len(str(v.get("content") or "").strip()) < 5:
            rep.problems.append("诉求内容至少5个字")
        if v.get("accepted_on") and v.get("due_on") and v["due_on"] < v["accepted_on"]:
            rep.problems.append("时限早于受理时间")
        seen.setdefault(no, row.number)
        reports.append(rep)
    report = Report(reports)
    if report.bad:
        return report
    existing = {d.order_no: d for d in HotlineOrderDetail.objects.filter(
        congress=congress, order_no__in=list(seen)).select_related("case")}
    try:
        record = _write(congress, actor, filename, now, result.rows, reports, existing)
    except IntegrityError:  # another upload of the same orders committed first
        raise ImportRefused("另一次导入同时写入了相同的工单，本次未保存任何数据，"
                            "请重新导入（已导入的工单不会重复）。") from None
    report.record = record
    return report


def _write(congress, actor, filename, now, rows, reports, existing) -> HotlineImport:
    with transaction.atomic():
        record = HotlineImport.objects.create(congress=congress, by=actor, at=now, filename=filename[:200])
        for row, rep in zip(rows, reports, strict=True):
            data = {k: row.values.get(k) or "" for k in ("order_no", "content", *FIELDS)}
            data["order_no"], data["import_id"] = rep.order_no, record.pk
            d = existing.get(rep.order_no)
            if d is None:
                open_case(KIND, "open", None, data, congress_id=congress.pk, now=now)
                rep.outcome = "新增"
                record.created += 1
            elif any((getattr(d, f) or "") != (data[f] or "") for f in FIELDS):
                fire(d.case, "refresh", None, data, now=now)
                rep.outcome = "更新"
                record.updated += 1
            else:
                rep.outcome = "未变"
                record.unchanged += 1
        record.save()
    return record
