"""Opening and lifting budget warnings: what the rule run (run.py) and the demo call.

Both go through the case engine (open_case / fire), so every warning has its events in the audit
chain and Case.state is only ever written by the engine."""

from __future__ import annotations

import json
from decimal import Decimal

from django.db.models import Q, QuerySet

from lvzhi.budget.models import BudgetUnit, WarningDetail
from lvzhi.budget.rules import Finding
from lvzhi.budget.states import DISMISSED
from lvzhi.budget.workflow import KIND, rule_label
from lvzhi.cases.engine import fire, open_case
from lvzhi.cases.models import Case
from lvzhi.core.models import Congress, Organization, OrganizationKind, User
from lvzhi.core.params import int_param

LIFT_PREFIX = "最新数据显示预警原因已消除："
FINANCE_NAMES = ("财政局", "财政厅")


def _amount(v: Decimal | None) -> str:
    return "" if v is None else str(Decimal(v).quantize(Decimal("0.01")))


def finding_data(finding: Finding, unit: BudgetUnit | None) -> dict:
    """The open form's data for a finding (text, as a form reads it)."""
    return {"rule": finding.rule, "key": finding.key, "title": finding.title[:200], "unit": unit.pk if unit else "",
            "year": str(finding.year), "month": str(finding.month or 0), "measured": _amount(finding.measured),
            "threshold": _amount(finding.threshold), "basis": finding.basis[:200],
            "evidence": json.dumps(finding.evidence or {}, ensure_ascii=False, default=str)}


def open_warning(congress: Congress, finding: Finding, *, by: User | None = None,
                 unit: BudgetUnit | None = None, quiet: bool = False) -> Case:
    """A new warning in 待甄别 for one finding; its unit is resolved from finding.unit_code (or given).
    The database refuses a second open warning of the same (rule, key): IntegrityError."""
    if unit is None and finding.unit_code:
        unit = BudgetUnit.objects.filter(congress=congress, code=finding.unit_code).first()
    data = {**finding_data(finding, unit), "quiet": "on" if quiet else ""}
    return open_case(KIND, "open", by, data, congress_id=congress.pk).case


def lift(case: Case, reason: str) -> Case:
    """The system's lift: the latest data no longer show the cause (an event says why)."""
    return fire(case, "lift", None, {"reason": reason}).case


def finance_bureau(congress_id: int) -> Organization | None:
    """The finance bureau: the unit organisation named 财政局/财政厅 (the one a BudgetUnit points at first)."""
    q = Q()
    for n in FINANCE_NAMES:
        q |= Q(name__endswith=n)
    orgs = Organization.objects.filter(q, congress_id=congress_id, kind=OrganizationKind.UNIT, is_active=True)
    linked = orgs.filter(pk__in=BudgetUnit.objects.filter(congress_id=congress_id).values("organization_id"))
    return linked.order_by("pk").first() or orgs.order_by("pk").first()


def push_targets(case: Case) -> QuerySet[Organization]:
    """Where a warning may be pushed: the finance bureau, and its department's own organisation."""
    ids = []
    bureau = finance_bureau(case.congress_id)
    if bureau is not None:
        ids.append(bureau.pk)
    detail = getattr(case, "budget_warning_detail", None) if case.pk else None
    if detail is not None and detail.unit_id and detail.unit.organization_id:
        ids.append(detail.unit.organization_id)
    return Organization.objects.filter(pk__in=ids, is_active=True).order_by("name")


def default_push_target(case: Case) -> Organization | None:
    """The department's organisation when it has one, else the finance bureau."""
    detail = case.budget_warning_detail
    if detail.unit_id and detail.unit.organization_id:
        return detail.unit.organization
    return finance_bureau(case.congress_id)


# ---------------------------------------------------------------------------- reading (the pages)

REPEATED = 2  # a department with this many warnings of a year shows as a pattern
LIST_LIMIT = 500


def visible_warnings(user: User) -> QuerySet[Case]:
    from lvzhi.cases.permissions import visible_cases

    return (visible_cases(user).filter(kind=KIND)
            .select_related("budget_warning_detail__unit", "budget_warning_detail__pushed_to")
            .order_by("-pk"))


def year_of(user: User, query) -> int:
    """?year=, else the latest year with a warning, else this year."""
    from django.utils import timezone

    year = int_param(query.get("year"), 2000, 2100)
    if year is not None:
        return year
    latest = (WarningDetail.objects.filter(congress_id=user.congress_id).order_by("-year")
              .values_list("year", flat=True).first())
    return latest or timezone.localdate().year


def repeated(user: User, year: int, *, unit: BudgetUnit | None = None) -> list[dict]:
    """Departments with REPEATED or more warnings in the year (dismissed ones not counted: they
    were judged not to be a problem), each with its counts by rule, most warnings first."""
    from django.db.models import Count

    qs = visible_warnings(user).filter(budget_warning_detail__year=year,
                                       budget_warning_detail__unit__isnull=False).exclude(state=DISMISSED)
    if unit is not None:
        qs = qs.filter(budget_warning_detail__unit=unit)
    counts = (qs.order_by().values("budget_warning_detail__unit", "budget_warning_detail__rule")
              .annotate(n=Count("pk")))
    by_unit: dict[int, dict[str, int]] = {}
    for row in counts:
        by_unit.setdefault(row["budget_warning_detail__unit"], {})[row["budget_warning_detail__rule"]] = row["n"]
    hits = {uid: rules for uid, rules in by_unit.items() if sum(rules.values()) >= REPEATED}
    units = BudgetUnit.objects.in_bulk(list(hits))
    out = [{"unit": units[uid], "total": sum(r.values()),
            "rules": sorted(((rule_label(code), n, n >= REPEATED) for code, n in r.items()), key=lambda x: -x[1])}
           for uid, r in hits.items()]
    return sorted(out, key=lambda p: (-p["total"], p["unit"].code))


def decorate(rows: list[Case]) -> list[Case]:
    """Each row's badge colour (the state's), read by the list templates."""
    from lvzhi.cases.kinds import get_kind

    kind = get_kind(KIND)
    for r in rows:
        r.state_color = kind.state(r.state).color
    return rows


def by_rule(rows: list[Case]) -> list[tuple[str, int]]:
    from collections import Counter

    c = Counter(rule_label(r.budget_warning_detail.rule) for r in rows if r.state != DISMISSED)
    return c.most_common()


def sees_unit(user: User, unit: BudgetUnit) -> bool:
    from lvzhi.budget.permissions import is_unit_user, sees_all_warnings

    if sees_all_warnings(user):
        return True
    return is_unit_user(user) and unit.organization_id is not None and unit.organization_id == user.organization_id


def listing(user: User, query) -> dict:
    """The list page: the filters, the rows, the counts by state of the year, the patterns."""
    from django.db.models import Count

    from lvzhi.budget.forms_warnings import ListFilter
    from lvzhi.budget.states import STATES

    year = year_of(user, query)
    form = ListFilter(query or None)
    f = form.cleaned_data if form.is_valid() else {}
    base = visible_warnings(user).filter(budget_warning_detail__year=year)
    qs = base
    if f.get("rule"):
        qs = qs.filter(budget_warning_detail__rule=f["rule"])
    if f.get("unit"):
        qs = qs.filter(budget_warning_detail__unit_id=f["unit"])
    if f.get("month") is not None:
        qs = qs.filter(budget_warning_detail__month=f["month"])
    counted = dict(qs.order_by().values_list("state").annotate(n=Count("pk")))
    if f.get("state"):
        qs = qs.filter(state=f["state"])
    total = qs.count()
    rule_codes = list(base.order_by().values_list("budget_warning_detail__rule", flat=True).distinct())
    unit_ids = base.order_by().values("budget_warning_detail__unit")
    return {
        "year": year, "filters": f, "rows": decorate(list(qs[:LIST_LIMIT])), "total": total, "limit": LIST_LIMIT,
        "counts": [(s, counted.get(s.code, 0)) for s in STATES], "all_count": sum(counted.values()),
        "rule_choices": sorted(((c, rule_label(c)) for c in rule_codes), key=lambda x: x[1]),
        "unit_choices": list(BudgetUnit.objects.filter(pk__in=unit_ids)),
        "months": list(range(1, 13)), "patterns": repeated(user, year),
        "years": sorted(set(WarningDetail.objects.filter(congress_id=user.congress_id)
                            .values_list("year", flat=True).distinct()) | {year}, reverse=True),
    }
