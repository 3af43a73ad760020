"""The rules on time limits and positions: 转移支付 下达, 预决算公开, 债务率, 审计整改.

A date not yet reached (a transfer not passed down, a budget not published) is judged against
the run's `today`; one already reached is judged as it happened, so a late one stays on record.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from lvzhi.budget.models import AuditFinding, Debt, Disclosure, Rectification, Transfer, TransferKind
from lvzhi.budget.rules import AUDIT, DEBT, DISCLOSURE, TRANSFER, Finding, rule
from lvzhi.budget.rules_facts import ZERO, Facts, money, one, pct, two


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; a month end where that day does not exist (8月31日 + 6个月 = 2月28日)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _days(start: dt.date, end: dt.date | None, today: dt.date) -> int:
    return ((end or today) - start).days


def transfers(f: Facts, values: dict[str, Any]) -> list[Finding]:
    """Passed down more than 30 (general) / 60 (special) days after receipt, or still not passed by today."""
    out = []
    rows = Transfer.objects.current().filter(congress=f.congress, year=f.year).order_by("received_on", "id")
    for t in rows:
        limit = values["special_days"] if t.kind == TransferKind.SPECIAL else values["general_days"]
        days = _days(t.received_on, t.passed_on, f.today)
        if days <= limit:
            continue
        what = f"“{t.title}”" + (f"（{t.document}）" if t.document else "")
        title = (f"{t.get_kind_display()}{what}收到{days}天仍未下达" if t.passed_on is None
                 else f"{t.get_kind_display()}{what}收到后第{days}天才下达")
        out.append(Finding(
            rule=TRANSFER, key=f"transfer:{t.document or t.title}/{t.recipient}/{t.received_on:%Y%m%d}",
            title=title[:200], unit_code=None, year=f.year, month=0, measured=Decimal(days),
            threshold=Decimal(limit), basis=rule(TRANSFER).basis,
            evidence={"类型": t.get_kind_display(), "文号": t.document, "项目": t.title, "下达对象": t.recipient,
                      "金额（万元）": money(t.amount), "收到日期": t.received_on.isoformat(),
                      "下达日期": t.passed_on.isoformat() if t.passed_on else "未下达",
                      "已过天数": str(days), "时限（天）": str(limit)}))
    return out


def disclosure(f: Facts, values: dict[str, Any]) -> list[Finding]:
    """A budget or final account published more than `days` after approval, or not yet by today."""
    out = []
    rows = (Disclosure.objects.current().filter(congress=f.congress, year=f.year).select_related("unit")
            .order_by("approved_on", "id"))
    for d in rows:
        days = _days(d.approved_on, d.published_on, f.today)
        if days <= values["days"]:
            continue
        who = d.unit.name if d.unit else "本级政府"
        doc = f"{f.year}年{'部门' if d.unit else ''}{d.get_document_display()}"
        title = (f"{who}{doc}批准后{days}天仍未公开" if d.published_on is None
                 else f"{who}{doc}批准后第{days}天才公开")
        out.append(Finding(
            rule=DISCLOSURE, key=f"disclosure:{d.unit.code if d.unit else 'city'}/{d.document}",
            title=title, unit_code=d.unit.code if d.unit else None, year=f.year, month=0,
            measured=Decimal(days), threshold=Decimal(values["days"]), basis=rule(DISCLOSURE).basis,
            evidence={"公开主体": who, "公开内容": d.get_document_display(),
                      "批准或批复日期": d.approved_on.isoformat(),
                      "公开日期": d.published_on.isoformat() if d.published_on else "未公开",
                      "已过天数": str(days), "时限（天）": str(values["days"])}))
    return out


def debt(f: Facts, values: dict[str, Any]) -> list[Finding]:
    """A region's 债务率 (balance ÷ 综合财力, both kinds together) above `ratio` %, or its balance over its limit."""
    rows = (Debt.objects.current().filter(congress=f.congress, year=f.year).values("region")
            .annotate(balance=Sum("balance"), limit=Sum("limit"), capacity=Sum("capacity")).order_by("region"))
    out = []
    for r in rows:
        balance, limit, capacity = r["balance"] or ZERO, r["limit"] or ZERO, r["capacity"] or ZERO
        ev = {"地区": r["region"], "债务余额（万元）": money(balance), "债务限额（万元）": money(limit),
              "综合财力（万元）": money(capacity)}
        ratio = pct(balance, capacity)
        if capacity > 0 and ratio > values["ratio"]:
            out.append(Finding(
                rule=DEBT, key=f"ratio:{r['region']}",
                title=f"{r['region']}政府债务率{one(ratio)}%，超过警戒线{values['ratio']}%",
                unit_code=None, year=f.year, month=0, measured=two(ratio), threshold=two(values["ratio"]),
                basis=rule(DEBT).basis,
                evidence={**ev, "债务率（%）": one(ratio), "警戒线（%）": str(values["ratio"])}))
        if limit > 0 and balance > limit:
            out.append(Finding(
                rule=DEBT, key=f"limit:{r['region']}",
                title=f"{r['region']}政府债务余额超过限额{money(balance - limit)}万元",
                unit_code=None, year=f.year, month=0, measured=two(balance), threshold=two(limit),
                basis=rule(DEBT).basis, evidence={**ev, "超过限额（万元）": money(balance - limit)}))
    return out


def audit(f: Facts, values: dict[str, Any]) -> list[Finding]:
    """An audit problem not rectified `months` after the audit report (监督法 第二十七条)."""
    months = values["months"]
    rows = (AuditFinding.objects.current().filter(congress=f.congress, year=f.year, reported_on__lt=f.today)
            .exclude(status=Rectification.DONE).select_related("unit").order_by("reported_on", "number"))
    out = []
    for a in rows:
        due = add_months(a.reported_on, months)
        if f.today <= due:
            continue
        overdue = (f.today - due).days
        out.append(Finding(
            rule=AUDIT, key=f"audit:{a.number}",
            title=f"{a.unit.name}审计查出问题“{a.title}”逾期{overdue}天未整改完成"[:200],
            # days since the report against the days the limit allows: both in days, as the list shows them
            unit_code=a.unit.code, year=f.year, month=0, measured=Decimal((f.today - a.reported_on).days),
            threshold=Decimal((due - a.reported_on).days),
            basis=rule(AUDIT).basis,
            evidence={"问题编号": a.number, "问题": a.title, "问题类别": a.category,
                      "涉及金额（万元）": money(a.amount) if a.amount is not None else "",
                      "审计工作报告日期": a.reported_on.isoformat(), "整改时限": due.isoformat(),
                      "整改情况": a.get_status_display(), "逾期天数": str(overdue)}))
    return out
