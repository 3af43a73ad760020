"""The year's key task list as Excel (重点任务清单), in the ledger's look (lvzhi.documents.excel)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone

from lvzhi.cases import deadlines
from lvzhi.cases.models import Assignment, AssignmentState
from lvzhi.core.models import User
from lvzhi.documents import excel
from lvzhi.keytasks.models import ProgressReport
from lvzhi.keytasks.permissions import may_export
from lvzhi.keytasks.services import key_tasks
from lvzhi.keytasks.states import CLOSED

COLUMNS = [
    excel.Column("编号", key="number", width=16),
    excel.Column("任务名称", key="title", width=40, wrap=True),
    excel.Column("类别", key="category", width=10),
    excel.Column("责任领导", key="leader", width=10),
    excel.Column("牵头部门", key="lead", width=22, wrap=True),
    excel.Column("配合部门", key="co", width=22, wrap=True),
    excel.Column("完成时限", key="due_on"),
    excel.Column("状态", key="state", width=12),
    excel.Column("完成进度", key="percent", width=10, number_format='0"%"'),
    excel.Column("最近进展", key="progress", width=50, wrap=True),
    excel.Column("工作节点", key="milestones", width=40, wrap=True),
    excel.Column("销号时间", key="closed_at"),
]
RED = excel.fill("F8CBAD")


def export_year(user: User, year: int) -> bytes:
    if not may_export(user):
        from lvzhi.cases.workflow import NotAllowed

        raise NotAllowed("只有办公室和主任会议成员可以导出重点任务清单")
    today = timezone.localdate()
    cases = (key_tasks(user).filter(key_task_detail__year=year).exclude(state__in=["drafting", "cancelled"])
             .select_related("key_task_detail__responsible_leader", "key_task_detail__planned_lead")
             .prefetch_related(
                 Prefetch("assignments", queryset=Assignment.objects.select_related("unit")
                          .exclude(state=AssignmentState.WITHDRAWN)),
                 Prefetch("progress_reports", queryset=ProgressReport.objects.order_by("-reported_at", "-id")),
                 "milestones", "deadlines")
             .order_by("number", "id"))
    wb = excel.Workbook()
    sheet = wb.sheet(f"{year}年度重点任务", COLUMNS, title=f"{year}年度常委会重点任务清单",
                     freeze_columns=2)
    n = late = 0
    for c in cases:
        d = c.key_task_detail
        leads = [a.unit.name for a in c.assignments.all() if a.role != "co"]
        cos = [a.unit.name for a in c.assignments.all() if a.role == "co"]
        reports = list(c.progress_reports.all())
        red = any(deadlines.light(x, today, 0) == deadlines.Light.RED for x in c.deadlines.all())
        late += red
        n += 1
        sheet.row({
            "number": c.number, "title": c.title, "category": d.get_category_display(),
            "leader": d.responsible_leader.name if d.responsible_leader_id else "",
            "lead": "、".join(leads) or (d.planned_lead.name if d.planned_lead_id else ""),
            "co": "、".join(cos), "due_on": d.due_on, "state": c.state_label + ("（超期）" if red else ""),
            "percent": 100 if c.state == CLOSED else (reports[0].percent if reports else None),
            "progress": reports[0].text if reports else "",
            "milestones": "\n".join(f"{'√' if m.done_at else '○'} {m.due_on:%Y-%m-%d} {m.title}"
                                    for m in c.milestones.all()),
            "closed_at": timezone.localtime(c.closed_at) if c.closed_at else None,
        }, fill=RED if red else None)
    sheet.note(f"共{n}项，其中超期{late}项（红色）。"
               f"导出时间：{timezone.localtime():%Y-%m-%d %H:%M}，导出人：{user.name}")
    return wb.to_bytes()


def filename(year: int) -> str:
    return f"{year}年度重点任务清单_{timezone.localdate():%Y%m%d}.xlsx"
