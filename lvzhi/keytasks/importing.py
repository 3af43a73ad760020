"""Importing the office's Excel list of the year's key tasks (年度重点任务清单).

Every row is checked by lvzhi.documents.excel (the file, the cells) and then opened through
the engine (`open_case("key_task", "open_imported", …)`), whose form checks it exactly as the
new-task page does. One bad row and nothing is imported: the rows are opened inside one
transaction that is rolled back, and each bad row is reported with its Excel row number.
A row whose 序号 was imported before for the same year is skipped, so a file can be imported twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction

from lvzhi.cases.engine import in_transaction, open_case
from lvzhi.cases.models import Case
from lvzhi.cases.workflow import InvalidInput, NotAllowed
from lvzhi.core.models import User
from lvzhi.documents import excel
from lvzhi.keytasks.forms import leaders_of, offices_of
from lvzhi.keytasks.models import Category
from lvzhi.keytasks.permissions import KIND, may_manage

EXAMPLE_PREFIX = "示例"
SEPARATORS = re.compile(r"[、，,;；\n]+")

COLUMNS = [
    excel.Column("序号", key="ref", width=8),
    excel.Column("任务名称", key="title", required=True, blank_ok=False, width=40, wrap=True),
    excel.Column("类别", key="category", required=True, blank_ok=False, parse=excel.choice(Category.choices),
                 width=12),
    excel.Column("工作内容和目标", key="body", aliases=("工作内容", "目标要求", "主要内容"), required=True,
                 blank_ok=False, width=50, wrap=True),
    excel.Column("责任领导", key="leader", required=True, blank_ok=False, width=10),
    excel.Column("牵头部门", key="lead", aliases=("牵头单位", "责任部门"), width=22),
    excel.Column("配合部门", key="co", aliases=("配合单位",), width=22),
    excel.Column("完成时限", key="due_on", required=True, blank_ok=False, parse=excel.date, width=12),
    excel.Column("工作节点", key="milestones", aliases=("时间节点",), width=40, wrap=True),
]


class RowStatus:
    NEW = "已导入"
    SKIPPED = "已导入过，跳过"
    ERROR = "错误"
    EXAMPLE = "模板示例，跳过"


@dataclass
class RowResult:
    row: int
    ref: str
    title: str
    status: str = RowStatus.NEW
    reasons: list[str] = field(default_factory=list)
    case: Case | None = None

    def error(self, reason: str) -> None:
        self.status = RowStatus.ERROR
        self.reasons.append(reason)


@dataclass
class ImportReport:
    year: int
    filename: str
    rows: list[RowResult]
    committed: bool = False

    @property
    def error_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.status == RowStatus.ERROR]

    @property
    def imported(self) -> list[RowResult]:
        return [r for r in self.rows if r.status == RowStatus.NEW]

    @property
    def summary(self) -> str:
        if self.error_rows:
            numbers = "、".join(str(r.row) for r in self.error_rows[:20])
            more = "等" if len(self.error_rows) > 20 else ""
            return (f"共{len(self.rows)}行，其中{len(self.error_rows)}行有错误（第{numbers}行{more}），"
                    "本次未导入任何任务。请修改这些行后重新上传。")
        skipped = sum(r.status != RowStatus.NEW for r in self.rows)
        return (f"共{len(self.rows)}行：导入{len(self.imported)}项{self.year}年度重点任务（起草中）"
                + (f"，跳过{skipped}行" if skipped else "") + "。")


def _names(text: str) -> list[str]:
    return [n.strip() for n in SEPARATORS.split(text or "") if n.strip()]


class Lookup:
    """The names the office typed, resolved to the congress's leaders and offices."""

    def __init__(self, congress_id: int) -> None:
        self.leaders: dict[str, list[User]] = {}
        for u in leaders_of(congress_id):
            self.leaders.setdefault(u.name, []).append(u)
        self.offices = {}
        for o in offices_of(congress_id):
            self.offices.setdefault(o.name, o)
            if o.short_name:
                self.offices.setdefault(o.short_name, o)

    def leader(self, name: str) -> User:
        found = self.leaders.get(name, [])
        if not found:
            raise ValueError(f"责任领导“{name}”不是本级主任会议成员")
        if len(found) > 1:
            raise ValueError(f"主任会议成员中有{len(found)}位“{name}”，请在系统中逐项填写")
        return found[0]

    def office(self, name: str, what: str):
        try:
            return self.offices[name]
        except KeyError:
            raise ValueError(f"{what}“{name}”不是本级专门委员会或工作机构（请填写全称或简称）") from None


def import_tasks(user: User, data: bytes, year: int, *, filename: str = "") -> ImportReport:
    if not may_manage(user):
        raise NotAllowed("只有办公室工作人员可以导入重点任务清单")
    try:
        sheet = excel.read_sheet(data, COLUMNS, item="重点任务")
    except excel.SheetError as err:
        raise InvalidInput(err.message) from None
    lookup = Lookup(user.congress_id)

    def write() -> ImportReport:
        # One transaction, retried whole on a lock race (engine.in_transaction): every attempt
        # starts from an empty report.
        report = ImportReport(year=year, filename=filename, rows=[])
        seen: dict[str, int] = {}
        for row in sheet.rows:
            v = row.values
            ref = (v.get("ref") or "").strip()
            result = RowResult(row=row.number, ref=ref, title=v.get("title") or "")
            report.rows.append(result)
            if ref.startswith(EXAMPLE_PREFIX):
                result.status = RowStatus.EXAMPLE
                continue
            for e in row.errors:
                result.error(e)
            source_ref = f"{year}-{ref}"[:60] if ref else ""
            if source_ref:
                if source_ref in seen:
                    result.error(f"序号“{ref}”与第{seen[source_ref]}行重复")
                seen.setdefault(source_ref, row.number)
            payload = {"title": v.get("title"), "year": year, "category": v.get("category"),
                       "body": v.get("body"), "due_on": v["due_on"].isoformat() if v.get("due_on") else "",
                       "milestones": v.get("milestones") or "", "file": filename[:100], "line": row.number}
            try:
                if v.get("leader"):
                    payload["responsible_leader"] = lookup.leader(v["leader"]).pk
                if v.get("lead"):
                    payload["planned_lead"] = lookup.office(v["lead"], "牵头部门").pk
                payload["planned_co"] = [lookup.office(n, "配合部门").pk for n in _names(v.get("co") or "")]
            except ValueError as err:
                result.error(str(err))
            if result.status == RowStatus.ERROR:
                continue
            if source_ref and Case.objects.filter(congress_id=user.congress_id, kind=KIND,
                                                  source_ref=source_ref).exists():
                result.status = RowStatus.SKIPPED
                continue
            try:
                result.case = open_case(KIND, "open_imported", user, payload, congress_id=user.congress_id,
                                        source_ref=source_ref).case
            except InvalidInput as exc:
                for messages in exc.errors.values() or [[exc.message]]:
                    for m in messages:
                        result.error(m)
        report.committed = not report.error_rows
        if not report.committed:
            transaction.set_rollback(True)
            for r in report.rows:
                r.case = None
        return report

    return in_transaction(write)


def template_workbook() -> bytes:
    wb = excel.Workbook()
    sheet = wb.sheet("重点任务清单", [excel.Column(("*" if c.required else "") + c.header, width=c.width,
                                                   wrap=c.wrap) for c in COLUMNS],
                     title="常委会年度重点任务清单（导入模板）")
    sheet.row(["示例1", "制定《北辰市物业管理条例》", "立法工作",
               "完成条例草案起草、征求意见和审议，年内提请常委会会议表决", "赵振华", "法制委员会",
               "城乡建设环境与资源保护委员会、研究室", "2026-11-30",
               "2026-03-31 完成立法调研\n2026-06-30 提请常委会一审\n2026-10-31 提请常委会表决"])
    sheet.row(["示例2", "听取审议市政府关于生态环境保护工作情况的报告", "监督工作",
               "组织专题调研，形成调研报告，跟踪审议意见落实", "钱立新", "城建环资委", "",
               "2026-09-30", "2026-06-30 完成专题调研"])
    notes = wb.sheet("填写说明", [excel.Column("填写说明", width=90, wrap=True)], landscape=False)
    for line in ("带*的列必填；“序号”以“示例”开头的行不会导入，请删除或覆盖。",
                 "序号用于防止重复导入：同一年度、同一序号的任务再次导入时跳过。",
                 "类别填写：立法工作、监督工作、代表工作、自身建设或其他重点工作。",
                 "责任领导填写主任会议成员的姓名。",
                 "牵头部门、配合部门填写专门委员会或工作机构的全称或简称，配合部门多个时用“、”分隔。",
                 "完成时限填写日期，如 2026-11-30 或 2026年11月30日。",
                 "工作节点每行一个，格式为“日期 节点内容”，如“2026-06-30 提请常委会一审”。",
                 "任何一行有错误都不会导入，页面会列出出错的行号和原因。"):
        notes.row([line])
    return wb.to_bytes()
