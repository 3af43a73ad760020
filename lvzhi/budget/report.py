"""The 专项监督报告 draft: for a period of one budget year, the execution of each book against time
progress, the departments furthest behind, the warnings raised and closed by rule, and the top
findings (audit problems not yet rectified, spending over budget), as a Word 公文 on the shared
layer (lvzhi.documents.word).

`create` computes the figures once and keeps them on the SupervisionReport (its `figures`), and the
Word file is always written from that snapshot: a report downloaded a month later still says what
the 预算工委 saw the day it was drafted, whatever was imported since.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from lvzhi.budget import figures as F
from lvzhi.budget import permissions, selectors
from lvzhi.budget.models import AuditFinding, Rectification, SupervisionReport, WarningDetail
from lvzhi.budget.rules import OVERSPEND, RULES
from lvzhi.budget.states import ANSWERED, CLOSED, DISMISSED, LIFTED, PUSHED, RAISED
from lvzhi.cases.events import append_subject_event
from lvzhi.core.models import Congress, User
from lvzhi.documents.word import OfficialDocument, cn_date

SUBJECT = "budget_report"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SLOWEST = 10
TOP_FINDINGS = 8
STATE_COLUMNS = ((RAISED, "待甄别"), (PUSHED, "待说明"), (ANSWERED, "已说明"), (CLOSED, "已销号"),
                 (DISMISSED, "已排除"), (LIFTED, "自动解除"))


class ReportRefused(Exception):
    """The report cannot be drafted; `message` is for the officer, in Chinese. Nothing was saved."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _amount(v: Decimal | None) -> str:
    """An amount as the snapshot keeps it: 万元 with two decimals, whatever the database summed to."""
    return str(Decimal(v or 0).quantize(Decimal("0.01")))


def _wan(v: Decimal | str | None) -> str:
    return f"{Decimal(v or 0):,.2f}"


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v:.1f}%"


def _points(v: float | None) -> str:
    return "—" if v is None else f"{v:+.1f}"


def period_label(start: dt.date, end: dt.date) -> str:
    if start == dt.date(start.year, 1, 1) and end.day == _month_end(end).day and start.year == end.year:
        return f"{end.year}年1—{end.month}月" if end.month > 1 else f"{end.year}年1月"
    return f"{cn_date(start)}至{cn_date(end)}"


def _month_end(day: dt.date) -> dt.date:
    nxt = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def title_for(start: dt.date, end: dt.date) -> str:
    return f"关于{period_label(start, end)}预算执行联网监督情况的专项监督报告"


# ------------------------------------------------------------------ the figures

def compute(congress: Congress, start: dt.date, end: dt.date) -> dict[str, Any]:
    """Every number the report prints, JSON-able (amounts as strings of 万元)."""
    year = end.year
    month = min(end.month, selectors.latest_month(congress.pk, year))
    ov = selectors.overview(congress.pk, year, month)
    books = [{"book": b.book, "label": b.label, "budget": _amount(b.budget), "spent": _amount(b.spent),
              "revenue": _amount(b.revenue), "progress": b.progress, "gap": b.gap}
             for b in [*ov.books, ov.total]]
    slow = [r for r in selectors.departments(congress.pk, year, month) if r.budget and r.progress is not None]
    slowest = [{"code": r.code, "name": r.name, "budget": _amount(r.budget), "spent": _amount(r.spent),
                "progress": r.progress, "gap": r.gap} for r in slow[:SLOWEST]] if month else []

    ids = [congress.pk]
    raised = F.raised(ids, start, end)
    by_rule_state: dict[tuple[str, str], int] = {
        (r["budget_warning_detail__rule"], r["state"]): r["n"]
        for r in raised.values("budget_warning_detail__rule", "state").annotate(n=Count("id"))}
    rules = []
    for r in RULES:
        counts = {state: by_rule_state.get((r.code, state), 0) for state, _label in STATE_COLUMNS}
        rules.append({"code": r.code, "label": r.label, "basis": r.basis, "states": counts,
                      "total": sum(counts.values())})
    top_units = [{"code": u.code, "name": u.name, "warnings": n} for u, n in F.top_units(ids, start, end, 5)]
    warnings = {"raised": raised.count(), "closed": F.closed(ids, start, end).count(),
                "closed_on_time": F.closed_on_time(ids, start, end).count(),
                "open": raised.filter(state__in=(RAISED, PUSHED, ANSWERED)).count(),
                "by_rule": rules, "top_units": top_units}

    audit = (AuditFinding.objects.current().filter(congress=congress, year=year)
             .exclude(status=Rectification.DONE).select_related("unit").order_by("-amount", "number")[:TOP_FINDINGS])
    findings = [{"number": a.number, "unit": a.unit.name, "title": a.title, "amount": _amount(a.amount or 0),
                 "reported_on": a.reported_on.isoformat(), "status": a.get_status_display()} for a in audit]
    overspend = (WarningDetail.objects.filter(congress=congress, rule=OVERSPEND, case__in=raised)
                 .select_related("case", "unit").order_by("-measured")[:TOP_FINDINGS])
    overspent = [{"number": d.case.number, "title": d.case.title, "unit": d.unit.name if d.unit_id else "",
                  "measured": str(d.measured) if d.measured is not None else "",
                  "state": d.case.state} for d in overspend]
    return {"start": start.isoformat(), "end": end.isoformat(), "year": year, "month": month,
            "time_progress": ov.time_progress, "books": books, "slowest": slowest, "warnings": warnings,
            "audit": findings, "overspend": overspent}


# ------------------------------------------------------------------ the draft

def create(user: User, congress: Congress, start: dt.date | None, end: dt.date | None, *,
           now: dt.datetime | None = None) -> SupervisionReport:
    """Draft the report for [start, end] of one budget year; all or nothing."""
    if not permissions.may_write_report(user) or user.congress_id != congress.pk:
        raise ReportRefused("只有预算工委的工作人员可以起草专项监督报告。")
    now = now or timezone.now()
    today = timezone.localdate(now)
    if start is None or end is None:
        raise ReportRefused("请填写报告期间的起止日期。")
    if start > end:
        raise ReportRefused("报告期间的开始日期不能晚于结束日期。")
    if start.year != end.year:
        raise ReportRefused("专项监督报告按预算年度起草，起止日期应在同一年度内。")
    if end > today:
        raise ReportRefused(f"结束日期不能晚于今天（{cn_date(today)}）。")
    if not selectors.latest_month(congress.pk, end.year):
        raise ReportRefused(f"{end.year}年尚未导入预算执行数据，无法起草专项监督报告。")
    with transaction.atomic():
        data = compute(congress, start, end)
        report = SupervisionReport.objects.create(congress=congress, title=title_for(start, end), start=start,
                                                  end=end, by=user, at=now, figures=data)
        append_subject_event(SUBJECT, report.pk, congress.pk, user, "drafted", f"起草《{report.title}》"[:200],
                             payload={"start": data["start"], "end": data["end"], "month": data["month"],
                                      "warnings": data["warnings"]["raised"]}, at=now)
    return report


def _paragraphs(f: dict[str, Any]) -> dict[str, list[str]]:
    total = next(b for b in f["books"] if not b["book"])
    general = next((b for b in f["books"] if b["book"] == "general"), total)
    tp = f["time_progress"]
    w = f["warnings"]
    execution = [
        f"截至{f['year']}年{f['month']}月底，四本预算合计预算数{_wan(total['budget'])}万元，累计支出"
        f"{_wan(total['spent'])}万元，执行进度{_pct(total['progress'])}，序时进度{tp:.1f}%。"
        f"其中一般公共预算支出{_wan(general['spent'])}万元，执行进度{_pct(general['progress'])}，"
        + ("快于" if (general["gap"] or 0) >= 0 else "低于") + f"序时进度{abs(general['gap'] or 0):.1f}个百分点。"]
    slow = f["slowest"]
    behind = [s for s in slow if (s["gap"] or 0) < 0]
    if not slow:
        lagging = ["报告期内尚无部门执行数据。"]
    elif behind:
        lagging = [f"执行进度最慢的{len(slow)}个部门中，{len(behind)}个低于序时进度，其中"
                   f"{behind[0]['name']}执行进度仅{_pct(behind[0]['progress'])}，低于序时进度"
                   f"{abs(behind[0]['gap'] or 0):.1f}个百分点。"]
    else:  # even the slowest keep pace: say so, not "低于"
        lagging = [f"各部门执行进度均不低于序时进度，最慢的{slow[0]['name']}执行进度{_pct(slow[0]['progress'])}。"]
    rules = [r for r in w["by_rule"] if r["total"]]
    top = "、".join(f"{r['label']}{r['total']}件" for r in sorted(rules, key=lambda r: -r["total"])[:3])
    warned = [f"报告期内预算联网监督系统发出预警{w['raised']}件" + (f"，较多的是{top}" if top else "") + "。"
              f"已销号{w['closed']}件，其中单位在规定时限内说明并销号{w['closed_on_time']}件；"
              f"尚在处理中{w['open']}件。"]
    if w["top_units"]:
        units = "、".join(f"{u['name']}（{u['warnings']}件）" for u in w["top_units"])
        warned.append(f"预警较多的部门是{units}。")
    problems = []
    if f["audit"]:
        problems.append(f"审计查出问题中尚未整改到位的，涉及金额较大的有{len(f['audit'])}项，"
                        f"最大一项为{f['audit'][0]['title']}，涉及{_wan(f['audit'][0]['amount'])}万元。")
    if f["overspend"]:
        problems.append(f"超预算或无预算支出预警{len(f['overspend'])}件，须由相关部门说明依据并纠正。")
    if not problems:
        problems.append("报告期内未发现审计查出问题逾期未整改和超预算支出的情况。")
    advice = ["一是督促执行进度滞后的部门分析原因、加快项目实施，对确实无法执行的资金及时按程序调整。",
              "二是对超预算、无预算支出和调剂超限额的情况，严格执行预算法关于预算调整和调剂的规定。",
              "三是对重复预警的部门加强跟踪问效，将预警处理情况纳入部门预算审查和绩效评价。",
              "四是推动审计查出问题整改到位，对逾期未整改的问题依法跟踪监督。"]
    return {"execution": execution, "lagging": lagging, "warnings": warned, "problems": problems, "advice": advice}


def docx(report: SupervisionReport) -> bytes:
    """The Word draft, from the report's saved figures."""
    f = report.figures
    congress = report.congress
    issuer = f"{congress.short_name}常委会预算工作委员会"
    doc = OfficialDocument(issuer=issuer, title=report.title)
    doc.addressee([f"{congress.short_name}常委会"])
    doc.paragraph(f"根据《中华人民共和国各级人民代表大会常务委员会监督法》第三十条关于预算联网监督的规定，"
                  f"预算工作委员会通过预算联网监督系统，对{period_label(report.start, report.end)}"
                  "预算执行情况进行了在线监督。现将有关情况报告如下。")
    text = _paragraphs(f)
    doc.heading(1, "预算执行总体情况")
    for p in text["execution"]:
        doc.paragraph(p)
    doc.table(["预算", "预算数（万元）", "累计支出（万元）", "执行进度", "序时进度", "差距（百分点）"],
              [[b["label"], _wan(b["budget"]), _wan(b["spent"]), _pct(b["progress"]), f"{f['time_progress']:.1f}%",
                _points(b["gap"])] for b in f["books"]])
    doc.heading(1, "执行进度靠后的部门")
    for p in text["lagging"]:
        doc.paragraph(p)
    if f["slowest"]:
        doc.table(["部门编码", "部门", "预算数（万元）", "累计支出（万元）", "执行进度", "差距（百分点）"],
                  [[s["code"], s["name"], _wan(s["budget"]), _wan(s["spent"]), _pct(s["progress"]),
                    _points(s["gap"])] for s in f["slowest"]])
    doc.heading(1, "预警发出和处理情况")
    for p in text["warnings"]:
        doc.paragraph(p)
    doc.table(["预警规则", "发出", *(label for _s, label in STATE_COLUMNS)],
              [[r["label"], r["total"], *(r["states"][s] for s, _l in STATE_COLUMNS)] for r in f["warnings"]["by_rule"]]
              + [["合计", f["warnings"]["raised"],
                  *(sum(r["states"][s] for r in f["warnings"]["by_rule"]) for s, _l in STATE_COLUMNS)]])
    doc.heading(1, "需要关注的问题")
    for p in text["problems"]:
        doc.paragraph(p)
    if f["audit"]:
        doc.table(["问题编号", "部门", "问题", "涉及金额（万元）", "整改情况"],
                  [[a["number"], a["unit"], a["title"], _wan(a["amount"]), a["status"]] for a in f["audit"]])
    if f["overspend"]:
        doc.table(["预警编号", "部门", "预警内容", "监测值"],
                  [[o["number"], o["unit"], o["title"], o["measured"]] for o in f["overspend"]])
    doc.heading(1, "意见和建议")
    for p in text["advice"]:
        doc.paragraph(p)
    doc.signature(issuer, timezone.localdate(report.at))
    return doc.to_bytes()


def filename(report: SupervisionReport) -> str:
    return f"{report.title}.docx"
