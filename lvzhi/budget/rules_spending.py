"""The rules on execution against the budget: 序时进度, 年底突击花钱, 超预算/无预算, 调剂, 三公经费, 预备费.

Each check takes the run's Facts and the rule's settings and returns Findings; it compares the
exact figures (a department 9.99 points behind is not 10 behind) and rounds only for titles.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum

from lvzhi.budget import codes
from lvzhi.budget.models import Adjustment, AdjustmentKind, Book, Dataset
from lvzhi.budget.rules import ADJUSTMENT, DECEMBER, OVERSPEND, PROGRESS, QUARTERLY, RESERVE, SANGONG, Finding, rule
from lvzhi.budget.rules_facts import HUNDRED, ZERO, Facts, money, one, pct, short, two

UNIT, PROJECT = ("unit_id",), ("unit_id", "project_code")


def _finding(f: Facts, code: str, key: str, title: str, unit_id: int | None, month: int,
             measured: Decimal | None, threshold: Decimal | None, evidence: dict[str, Any]) -> Finding:
    unit = f.units.get(unit_id) if unit_id else None
    return Finding(rule=code, key=key, title=title, unit_code=unit.code if unit else None, year=f.year,
                   month=month, measured=two(measured) if measured is not None else None,
                   threshold=two(threshold) if threshold is not None else None, basis=rule(code).basis,
                   evidence=evidence)


def _unit_name(f: Facts, unit_id: int) -> str:
    unit = f.units.get(unit_id)
    return unit.name if unit else "未知部门"


def _unit_code(f: Facts, unit_id: int) -> str:
    unit = f.units.get(unit_id)
    return unit.code if unit else str(unit_id)


def _with_adjustments(budget: dict[tuple, Decimal], adjust: dict[tuple, Decimal]) -> dict[tuple, Decimal]:
    return {k: budget.get(k, ZERO) + adjust.get(k, ZERO) for k in budget.keys() | adjust.keys()}


def progress(f: Facts, values: dict[str, Any]) -> list[Finding]:
    """Spending progress behind time progress by more than `gap` points, per department and per project."""
    month = f.latest_month
    if values["cadence"] == QUARTERLY:
        month -= month % 3  # judged at the last quarter end reached
    if month <= 0:
        return []
    time = Decimal(month) * HUNDRED / 12
    gap = values["gap"]
    scopes = [(UNIT, Q(), "unit")]
    if values["projects"]:
        scopes.append((PROJECT, ~Q(project_code=""), "project"))
    out: list[Finding] = []
    for fields, where, scope in scopes:
        budget = f.budget(fields, where)
        adjusted = _with_adjustments(budget, f.adjustments(fields, where))
        spent = f.spent(scope, month)
        for key, whole in adjusted.items():
            if whole <= 0:
                continue
            done = spent.get(key, ZERO)
            behind = time - pct(done, whole)
            if behind <= gap:
                continue
            unit_id = key[0]
            name = _unit_name(f, unit_id)
            if fields == UNIT:
                k, title = f"unit:{_unit_code(f, unit_id)}", f"{name}支出进度低于序时进度{one(behind)}个百分点"
            else:
                pname = f.project_names().get(key, key[1])
                k = f"project:{_unit_code(f, unit_id)}/{key[1]}"
                title = f"{name}“{pname}”项目支出进度低于序时进度{one(behind)}个百分点"
            out.append(_finding(f, PROGRESS, k, title, unit_id, month, behind, gap, {
                "月份": str(month), "预算数（万元）": money(budget.get(key, ZERO)),
                "调整后预算数（万元）": money(whole), "累计支出（万元）": money(done),
                "支出进度（%）": one(pct(done, whole)), "序时进度（%）": one(time),
                "低于序时进度（个百分点）": one(behind), "预警阈值（个百分点）": str(gap)}))
    return out


def december(f: Facts, values: dict[str, Any]) -> list[Finding]:
    """December's spending over `share` % of the department's year (年底突击花钱); once December is in."""
    if f.latest_month < 12:
        return []
    totals, decembers = f.spent("unit", 12), f.spent("unit", 12, december=True)
    out = []
    for (uid,), total in totals.items():
        dec = decembers.get((uid,), ZERO)
        if total <= 0:
            continue
        share = pct(dec, total)
        if share <= values["share"]:
            continue
        out.append(_finding(f, DECEMBER, f"unit:{_unit_code(f, uid)}",
                            f"{_unit_name(f, uid)}12月份支出占全年{one(share)}%", uid, 12, share, values["share"],
                            {"全年支出（万元）": money(total), "12月支出（万元）": money(dec),
                             "1至11月支出（万元）": money(total - dec), "12月占比（%）": one(share),
                             "预警阈值（%）": str(values["share"])}))
    return out


def overspend(f: Facts, values: dict[str, Any]) -> list[Finding]:
    """Spending over the (adjusted) budget of a department's function code or project, or with no budget line."""
    month = f.latest_month
    if month <= 0:
        return []
    factor = 1 + values["tolerance"] / HUNDRED
    out = []
    scopes = [(("unit_id", "function_code"), "function", Q()), (PROJECT, "project", ~Q(project_code=""))]
    for budget_fields, scope, where in scopes:
        budget = f.budget(budget_fields, where)
        adjusted = _with_adjustments(budget, f.adjustments(budget_fields, where))
        spent = f.spent(scope, month)
        is_project = scope == "project"
        for key, done in spent.items():
            whole = adjusted.get(key)
            if whole is None and done <= 0:
                continue
            limit = (whole * factor if whole > 0 else ZERO) if whole is not None else ZERO
            if whole is not None and done <= limit:
                continue
            unit_id, what = key
            ucode, name = _unit_code(f, unit_id), _unit_name(f, unit_id)
            label = (f"“{f.project_names().get(key, what)}”项目" if is_project
                     else f"“{codes.name(codes.FUNCTION, what)}”（{what}）科目")
            ev = {"月份": str(month), "累计支出（万元）": money(done)}
            if whole is None:
                k = f"nobudget:{ucode}/{'project:' if is_project else ''}{what}"
                out.append(_finding(f, OVERSPEND, k, f"{name}在无预算的{label}支出{money(done)}万元", unit_id,
                                    month, done, ZERO, {**ev, "预算数（万元）": "无"}))
                continue
            k = f"{'project' if is_project else 'function'}:{ucode}/{what}"
            out.append(_finding(f, OVERSPEND, k, f"{name}{label}支出超出预算{money(done - whole)}万元", unit_id,
                                month, done, limit, {**ev, "预算数（万元）": money(budget.get(key, ZERO)),
                                                     "调整后预算数（万元）": money(whole),
                                                     "超出（万元）": money(done - whole),
                                                     "允许超出（%）": str(values["tolerance"])}))
    return out


def adjustment(f: Facts, values: dict[str, Any]) -> list[Finding]:
    """A department's year of 调剂 (and, if counted, 调整) above a share of its budget or an amount."""
    kinds = [AdjustmentKind.SHIFT] + ([AdjustmentKind.ADJUST] if values["include_adjust"] else [])
    rows = (Adjustment.objects.filter(imp_id__in=f.current_imports(Dataset.ADJUSTMENT), congress=f.congress,
                                      year=f.year, kind__in=kinds)
            .values("unit_id").annotate(inn=Sum("amount", filter=Q(amount__gt=0)),
                                        out=Sum("amount", filter=Q(amount__lt=0))).order_by())
    budget = f.budget(UNIT)
    found = []
    for r in rows:
        uid = r["unit_id"]
        moved = max(r["inn"] or ZERO, -(r["out"] or ZERO))
        whole = budget.get((uid,), ZERO)
        by_share = whole > 0 and pct(moved, whole) > values["cap_percent"]
        by_amount = values["cap_amount"] > 0 and moved > values["cap_amount"]
        if moved <= 0 or not (by_share or by_amount or whole <= 0):
            continue
        share = pct(moved, whole)
        title = (f"{_unit_name(f, uid)}预算调剂{money(moved)}万元，占部门预算{one(share)}%" if whole > 0
                 else f"{_unit_name(f, uid)}无预算却调剂{money(moved)}万元")
        found.append(_finding(f, ADJUSTMENT, f"unit:{_unit_code(f, uid)}", title, uid, 0,
                              share if by_share else moved,
                              values["cap_percent"] if by_share else values["cap_amount"],
                              {"部门预算（万元）": money(whole), "调入（万元）": money(r["inn"] or ZERO),
                               "调出（万元）": money(-(r["out"] or ZERO)), "调剂金额（万元）": money(moved),
                               "占部门预算（%）": one(share), "比例上限（%）": str(values["cap_percent"]),
                               "金额上限（万元）": str(values["cap_amount"])}))
    return found


def sangong(f: Facts, values: dict[str, Any]) -> list[Finding]:
    """三公经费 over its budget, or growing on last year's same months beyond `growth` %."""
    month = f.latest_month
    if month <= 0:
        return []
    where = Q(economic_code__in=codes.SANGONG)
    budget = f.budget(UNIT, where)
    spent = f.spent_where(month, where)
    last = f.spent_where(month, where, f.year - 1)
    out = []
    for key, done in spent.items():
        uid = key[0]
        ucode, name = _unit_code(f, uid), _unit_name(f, uid)
        whole = budget.get(key, ZERO)
        if done > whole:
            out.append(_finding(f, SANGONG, f"over:{ucode}", f"{name}“三公”经费支出超出预算{money(done - whole)}万元",
                                uid, month, done, whole,
                                {"月份": str(month), "“三公”经费预算（万元）": money(whole),
                                 "累计支出（万元）": money(done), "超出（万元）": money(done - whole)}))
        before = last.get(key, ZERO)
        if before > 0 and pct(done - before, before) > values["growth"]:
            growth = pct(done - before, before)
            out.append(_finding(f, SANGONG, f"growth:{ucode}",
                                f"{name}“三公”经费比上年同期增长{one(growth)}%", uid, month, growth, values["growth"],
                                {"月份": str(month), f"{f.year}年1至{month}月（万元）": money(done),
                                 f"{f.year - 1}年1至{month}月（万元）": money(before), "增长（%）": one(growth),
                                 "预警阈值（%）": str(values["growth"])}))
    return out


def reserve(f: Facts, values: dict[str, Any]) -> list[Finding]:
    """预备费 of the 一般公共预算 outside low–high % of its expenditure (预算法 第四十条)."""
    book = Q(book=Book.GENERAL)
    total = f.budget((), book).get((), ZERO)
    if total <= 0:
        return []
    res = f.budget((), book & Q(function_code__startswith=codes.RESERVE)).get((), ZERO)
    share = pct(res, total)
    if values["low"] <= share <= values["high"]:
        return []
    low = share < values["low"]
    bound = values["low"] if low else values["high"]
    title = f"预备费占一般公共预算支出{short(share)}%，{'低于下限' if low else '高于上限'}{short(bound)}%"
    return [_finding(f, RESERVE, "city", title, None, 0, share, values["low"] if low else values["high"],
                     {"一般公共预算支出（万元）": money(total), "预备费（万元）": money(res),
                      "预备费占比（%）": short(share),
                      "下限（%）": str(values["low"]), "上限（%）": str(values["high"])})]
