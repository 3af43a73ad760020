"""The budget demo (Section demo): one fictional year of 北辰市's budget as its finance bureau, audit
office and 国资委 would send it — about 140 departments and units coded 6 digits, the four books,
basic and project lines under valid 功能/经济分类 codes, monthly execution up to the last complete
month, the previous year's budget and execution (for year-on-year), next year's draft, 调整 and
调剂, transfers passed down to the districts, debt by region, state-owned enterprises, audit
findings with their rectification, and disclosures.

Some of it is wrong on purpose, so that every rule has something to find: departments whose
spending lags time progress, a line spent over its budget and one spent without a line, a
department shifting money above the cap, 三公 over budget, the 预备费 under 1%, transfers held past
30/60 days, departments publishing late, a district's 债务率 over 120%, audit problems open after
six months.

Facts go in fast: one BudgetImport per dataset and month (current, with its digest, recorded in
the audit chain) and its rows by bulk_create; then the rule run raises the warnings, and the
预算工委 and the units move them through the engine so the demo holds warnings in every state.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from lvzhi.budget import codes
from lvzhi.budget import demo_data as DD
from lvzhi.budget.models import (
    Adjustment,
    AdjustmentKind,
    AuditFinding,
    Book,
    BudgetImport,
    BudgetLine,
    BudgetQuestion,
    BudgetUnit,
    Dataset,
    Debt,
    DebtKind,
    Disclosure,
    DisclosureDocument,
    ExecutionLine,
    Flow,
    Rectification,
    SoeFigure,
    Transfer,
    TransferKind,
)
from lvzhi.budget.permissions import FINANCE_FIELD, OFFICE
from lvzhi.core.crypto import sm3_hex
from lvzhi.core.models import Congress, Organization, OrganizationKind, Role, User

PASSWORD = "Lvzhi@2026"
OFFICER_USERNAME = "budget"  # lvzhi/demo/data.py STAFF_ACCOUNTS
TREASURY = "市财政局国库集中支付系统"
BUDGET_SOURCE = "市财政局预算管理一体化系统"
SOURCES = {Dataset.DRAFT: BUDGET_SOURCE, Dataset.BUDGET: BUDGET_SOURCE, Dataset.EXECUTION: TREASURY,
           Dataset.ADJUSTMENT: BUDGET_SOURCE, Dataset.TRANSFER: BUDGET_SOURCE, Dataset.DEBT: "市财政局债务管理系统",
           Dataset.SOE: "市国有资产监督管理委员会", Dataset.AUDIT: "市审计局",
           Dataset.DISCLOSURE: "市财政局预决算公开平台"}
# 万元 of a main department's general budget, by 类 (a unit below it takes a share).
CLASS_SIZE = {"201": 9000, "203": 5000, "204": 65000, "205": 160000, "206": 26000, "207": 18000, "208": 95000,
              "210": 120000, "211": 30000, "212": 110000, "213": 55000, "214": 70000, "215": 20000, "216": 14000,
              "220": 22000, "221": 60000, "222": 9000, "224": 18000}
CENT = Decimal("0.01")


def _money(x: float) -> Decimal:
    return Decimal(str(x)).quantize(CENT, rounding=ROUND_HALF_UP)


def demo_year(today: dt.date) -> int:
    """The budget year the demo congress is in: its 人代会 sat in January of this year; before July
    the previous year is taken, as the other demos do, so a whole year of execution exists."""
    return today.year if today >= dt.date(today.year, 7, 1) else today.year - 1


def digest(rows: list[tuple]) -> str:
    """SM3 over the rows as imported (each row's values joined by |, rows by newlines). The import
    service keys its revisions on a digest of the parsed rows; the demo writes its rows directly,
    so it computes the same kind of digest itself."""
    return sm3_hex("\n".join("|".join("" if v is None else str(v) for v in r) for r in rows))


# ------------------------------------------------------------------ people

def _people(builder, congress: Congress) -> tuple[User, Organization]:
    """The 预算工委 officer and the finance bureau (the builder created both; a smaller world may not)."""
    office = Organization.objects.filter(congress=congress, function=OFFICE).first()
    if office is None:
        office = Organization.objects.create(congress=congress, kind=OrganizationKind.WORKING_BODY,
                                             name="预算工作委员会", short_name="预算工委", function=OFFICE)
    password = getattr(builder, "password_hash", None) or make_password(PASSWORD)
    officer = User.objects.filter(congress=congress, organization=office, role=Role.CLERK).order_by("id").first()
    if officer is None:
        taken = User.objects.filter(username=OFFICER_USERNAME).exists()
        officer = User.objects.create(username=f"{OFFICER_USERNAME}{congress.pk}" if taken else OFFICER_USERNAME,
                                      role=Role.CLERK, display_name="曹预算", congress=congress, organization=office,
                                      password=password, must_change_password=False)
    if not Organization.objects.filter(congress=congress, kind=OrganizationKind.COMMITTEE,
                                       field=FINANCE_FIELD).exists():
        Organization.objects.create(congress=congress, kind=OrganizationKind.COMMITTEE, name="财政经济委员会",
                                    short_name="财经委", field=FINANCE_FIELD)
    bureau = Organization.objects.filter(congress=congress, kind=OrganizationKind.UNIT, name="市财政局").first()
    if bureau is None:
        bureau = Organization.objects.create(congress=congress, kind=OrganizationKind.UNIT, name="市财政局",
                                             short_name="市财政局", field="经济发展")
    if not User.objects.filter(organization=bureau, role=Role.UNIT_HANDLER).exists():
        User.objects.create(username=f"finance{congress.pk}", role=Role.UNIT_HANDLER, display_name="财政经办",
                            congress=congress, organization=bureau, password=password, must_change_password=False)
    return officer, bureau


# ------------------------------------------------------------------ the year's facts

class Year:
    def __init__(self, builder, congress: Congress, officer: User, *, small: bool, today: dt.date) -> None:
        self.b, self.c, self.officer, self.small, self.today = builder, congress, officer, small, today
        self.y = demo_year(today)
        self.months = list(range(1, (today.month if self.y == today.year else 13)))
        self.rng = random.Random(20260214)
        self.counts: dict[str, int] = defaultdict(int)
        self.imports: list[BudgetImport] = []
        self.at = timezone.now() if getattr(builder, "real_now", None) is None else builder.real_now

    # -- imports

    def _imp(self, dataset: str, rows: list[tuple], *, year: int | None = None, month: int = 0,
             total: Decimal | None = None, at: dt.datetime | None = None) -> BudgetImport:
        year = year or self.y
        names = {Dataset.EXECUTION: f"{year}年{month}月预算执行.xlsx"}
        imp = BudgetImport.objects.create(
            congress=self.c, dataset=dataset, year=year, month=month, source=SOURCES[dataset], digest=digest(rows),
            rows=len(rows), total=total, filename=names.get(dataset, f"{year}年{Dataset(dataset).label}.xlsx"),
            by=self.officer, at=at or self.at)
        self.imports.append(imp)
        return imp

    def _when(self, day: dt.date) -> dt.datetime:
        tz = timezone.get_current_timezone()
        moment = dt.datetime.combine(min(day, self.today), dt.time(10, self.rng.randrange(50)), tzinfo=tz)
        return min(moment, self.at - dt.timedelta(minutes=10))

    # -- units

    def units(self) -> dict[str, BudgetUnit]:
        orgs = {o.name: o for o in Organization.objects.filter(congress=self.c, kind=OrganizationKind.UNIT)}
        rows: list[BudgetUnit] = []
        self.meta: dict[str, tuple[str, str, bool, str]] = {}  # code -> (类, basic 项, is_main, department name)
        # The small demo: every fourth department, and those holding the other three books and the 预备费.
        needed = {n for n, *_ in DD.OTHER_BOOKS} | {"市财政局"}
        departments = [d for k, d in enumerate(DD.DEPARTMENTS)
                       if not self.small or k % 4 == 0 or d[0] in needed or needed & set(d[3])]
        for i, (name, cls, basic, subs) in enumerate(departments, start=1):
            dept = 100 + i
            if self.small:
                subs = [u for k, u in enumerate(subs) if k == 0 or u in needed]
            for j, unit_name in enumerate([name, *subs], start=1):
                code = f"{dept:03d}{j:03d}"
                org = orgs.get(unit_name)
                rows.append(BudgetUnit(congress=self.c, code=code, name=unit_name, organization=org,
                                       sort_order=len(rows)))
                self.meta[code] = (cls, basic, j == 1, name)
        BudgetUnit.objects.bulk_create(rows)
        self.unit = {u.code: u for u in BudgetUnit.objects.filter(congress=self.c)}
        self.by_name = {u.name: u for u in self.unit.values()}
        return self.unit

    # -- budget lines

    def _plan(self, year: int) -> list[dict[str, Any]]:
        """The lines of one year's budget: basic spending by economic code, projects, the other books."""
        rng = random.Random(year)
        scale = Decimal(1) if year == self.y else (Decimal("0.95") if year < self.y else Decimal("1.04"))
        lines: list[dict[str, Any]] = []
        for code, unit in self.unit.items():
            cls, basic, main, _dept = self.meta[code]
            fixed = random.Random(int(code))  # a unit's size and projects are the same every year
            size = CLASS_SIZE[cls] * fixed.uniform(0.6, 1.4) * (1 if main else fixed.uniform(0.08, 0.3))
            basic_total = size * 0.36
            for econ, share in DD.BASIC_ECONOMIC:
                fn = {"30108": "2080505", "30113": "2210201"}.get(econ, basic)
                if econ in codes.SANGONG and year < self.y:
                    share *= 1.25  # 三公经费 only go down (只减不增): last year's were higher
                lines.append({"book": Book.GENERAL, "unit": unit, "project_code": "", "project_name": "",
                              "function_code": fn, "economic_code": econ,
                              "amount": _money(basic_total * share * float(scale) * rng.uniform(0.9, 1.1))})
            functions, names = DD.PROJECTS[cls]
            n = (fixed.randint(4, 7) if main else fixed.randint(1, 3)) if not self.small else (3 if main else 1)
            for k in range(n):
                title = names[(k + int(code[:3])) % len(names)]
                lines.append({"book": Book.GENERAL, "unit": unit, "project_code": f"{code}{year % 100:02d}{k + 1:03d}",
                              "project_name": f"{title}", "function_code": functions[k % len(functions)],
                              "economic_code": DD.PROJECT_ECONOMIC[(k + int(code[3:])) % len(DD.PROJECT_ECONOMIC)],
                              "amount": _money(size * 0.64 / n * float(scale) * rng.uniform(0.6, 1.4))})
        for k, (unit_name, book, fn, title) in enumerate(DD.OTHER_BOOKS):
            unit = self.by_name.get(unit_name)
            if unit is None:
                continue
            size = {"fund": 180000, "soe": 12000, "social": 520000}[book] * rng.uniform(0.7, 1.3) * float(scale)
            lines.append({"book": book, "unit": unit, "project_code": f"{unit.code}{year % 100:02d}{900 + k}",
                          "project_name": title, "function_code": fn, "economic_code": "", "amount": _money(size)})
        general = sum(ln["amount"] for ln in lines if ln["book"] == Book.GENERAL)
        bureau = self.by_name.get("市财政局")
        if bureau is not None:
            # 预备费 at 0.8% of the general budget: below 预算法 第四十条's 1%, so that rule has a case.
            share = Decimal("0.008") if year == self.y else Decimal("0.015")
            lines.append({"book": Book.GENERAL, "unit": bureau, "project_code": f"{bureau.code}{year % 100:02d}990",
                          "project_name": "预备费", "function_code": "2270101", "economic_code": "",
                          "amount": (general * share).quantize(CENT)})
            for fn, title, amount in (("2310301", "地方政府一般债券还本", 160000), ("2320301", "地方政府一般债券付息",
                                                                                 52000)):
                lines.append({"book": Book.GENERAL, "unit": bureau, "project_code": f"{bureau.code}{fn[-3:]}",
                              "project_name": title, "function_code": fn, "economic_code": "",
                              "amount": _money(amount * float(scale))})
        return lines

    def budget(self, year: int, dataset: str = Dataset.BUDGET) -> list[BudgetLine]:
        lines = self._plan(year)
        rows = [(ln["book"], ln["unit"].code, ln["project_code"], ln["function_code"], ln["economic_code"],
                 ln["amount"]) for ln in lines]
        approved = dt.date(year, 1, 14) if dataset == Dataset.BUDGET else min(self.today, dt.date(year - 1, 11, 20))
        imp = self._imp(dataset, rows, year=year, total=sum(r[-1] for r in rows), at=self._when(approved))
        objs = [BudgetLine(imp=imp, congress=self.c, year=year, row=i + 2, **ln) for i, ln in enumerate(lines)]
        if year == self.y and dataset == Dataset.BUDGET:
            self.projects: dict[str, list[tuple[str, str, Decimal]]] = defaultdict(list)  # where 调剂 come from
            self.unit_budget: dict[str, Decimal] = defaultdict(Decimal)
            for ln in lines:
                self.unit_budget[ln["unit"].code] += ln["amount"]
                if ln["project_code"] and ln["book"] == Book.GENERAL and ln["function_code"] != "2270101":
                    self.projects[ln["unit"].code].append((ln["project_code"], ln["function_code"], ln["amount"]))
        BudgetLine.objects.bulk_create(objs, batch_size=2000)
        self.counts[f"lines_{dataset}_{year}"] = len(objs)
        return objs

    # -- execution

    def execution(self, year: int, lines: list[BudgetLine], months: list[int]) -> None:
        rng = random.Random(year * 7)
        mains = sorted(c for c, m in self.meta.items() if m[2])
        subs = sorted(c for c, m in self.meta.items() if not m[2])
        # Units whose projects lag time progress: a few departments and a few of their units.
        laggards: set[str] = set()
        if year == self.y:
            laggards = set(rng.sample(mains, max(2, len(mains) // 8))) | set(rng.sample(subs, min(len(subs),
                                                                                                  len(subs) // 15)))
            self.laggards = sorted(laggards)
        profile: list[tuple[BudgetLine, float, float]] = []  # line, year-end share, back-loading power
        for ln in lines:
            slow = ln.unit.code in laggards
            if not ln.project_code:
                end, power = rng.uniform(0.96, 1.0), 1.0
                if ln.economic_code in ("30217", "30231") and year == self.y and ln.unit.code in self._overspenders():
                    end = 1.6 if ln.economic_code == "30217" else 1.3  # 三公经费 over budget, and up on last year
            elif ln.function_code == "2270101":
                end, power = 0.7, 1.0
            elif slow:
                end, power = rng.uniform(0.55, 0.8), rng.uniform(2.4, 3.2)
                if rng.random() < 0.15:
                    end = 0.0  # a project that has not started
            else:
                end, power = rng.uniform(0.97, 1.02), rng.uniform(1.0, 1.15)
            profile.append((ln, end, power))
        if year == self.y and profile:
            # A project spent over its budget by the autumn.
            for i, (ln, _e, _p) in enumerate(profile):
                if ln.project_code and ln.unit.code not in laggards and ln.book == Book.GENERAL:
                    profile[i] = (ln, 1.15, 1.0)
                    self.overspent_project = ln.project_code
                    break
        stray = None
        if year == self.y:
            unit = self.unit[sorted(self.unit)[min(len(self.unit) - 1, 9)]]
            stray = (unit, f"{unit.code}{year % 100:02d}999", self.meta[unit.code][1])
        revenue_year = {Book.GENERAL: 0.0, Book.FUND: 0.0, Book.SOE: 0.0, Book.SOCIAL: 0.0}
        for ln, _e, _p in profile:
            revenue_year[ln.book] += float(ln.amount)
        for m in months:
            rows: list[ExecutionLine] = []
            t0, t1 = (m - 1) / 12, m / 12
            for ln, end, power in profile:
                share = end * (t1 ** power - t0 ** power)
                if m == 12 and ln.project_code and power > 1.2:
                    share *= 1.3  # December's usual rush
                amount = _money(float(ln.amount) * share * rng.uniform(0.85, 1.15)) if share else Decimal(0)
                if not amount:
                    continue
                rows.append(ExecutionLine(imp=None, congress=self.c, year=year, month=m, book=ln.book,
                                          flow=Flow.EXPENDITURE, unit=ln.unit, project_code=ln.project_code,
                                          code=ln.function_code, economic_code=ln.economic_code, amount=amount,
                                          paid=(amount * Decimal("0.97")).quantize(CENT)))
            if stray and m >= 8:  # spent without a budget line: an emergency repair the budget never held
                rows.append(ExecutionLine(imp=None, congress=self.c, year=year, month=m, book=Book.GENERAL,
                                          flow=Flow.EXPENDITURE, unit=stray[0], project_code=stray[1], code=stray[2],
                                          economic_code="30213", amount=Decimal("86.50"), paid=Decimal("86.50")))
            for book, code, share in DD.REVENUE:
                amount = _money(revenue_year[book] * 1.02 * share / 12 * rng.uniform(0.8, 1.2))
                rows.append(ExecutionLine(imp=None, congress=self.c, year=year, month=m, book=book, flow=Flow.REVENUE,
                                          unit=None, project_code="", code=code, economic_code="", amount=amount))
            key = [(r.book, r.flow, r.unit.code if r.unit else "", r.project_code, r.code, r.economic_code, r.amount,
                    r.paid) for r in rows]
            day = dt.date(year + (m == 12), m % 12 + 1, 8)
            imp = self._imp(Dataset.EXECUTION, key, year=year, month=m, total=sum(r.amount for r in rows),
                            at=self._when(day))
            for i, r in enumerate(rows):
                r.imp, r.row = imp, i + 2
            ExecutionLine.objects.bulk_create(rows, batch_size=2000)
            self.counts["execution"] += len(rows)

    def _overspenders(self) -> set[str]:
        mains = sorted(c for c, m in self.meta.items() if m[2])
        return {mains[2], mains[min(len(mains) - 1, 11)]}

    # -- adjustments, transfers, debt, SOE, audit, disclosure

    def adjustments(self) -> None:
        rng = self.rng
        y = self.y
        last = dt.date(y, self.months[-1], 28) if self.months else dt.date(y, 1, 31)
        codes = sorted(self.unit)
        slow_mains = [c for c in getattr(self, "laggards", []) if self.meta[c][2] and self.projects.get(c)]
        heavy = self.unit[slow_mains[0] if slow_mains else codes[0]]  # shifts much money out of its projects
        rows: list[Adjustment] = []
        july = min(dt.date(y, 7, 28), last)
        for code in rng.sample(codes, min(8, len(codes))):  # the 预算调整 the standing committee approved
            unit = self.unit[code]
            rows.append(Adjustment(kind=AdjustmentKind.ADJUST, on=july, unit=unit, function_code=self.meta[code][1],
                                   amount=(self.unit_budget[code] * Decimal(rng.uniform(0.01, 0.04))).quantize(CENT),
                                   document=f"北人常〔{y}〕31号", reason="市人大常委会批准的预算调整方案"))

        def shift(unit: BudgetUnit, day: dt.date, source: tuple[str, str, Decimal], amount: Decimal, document: str,
                  reason: str) -> None:
            """调剂 moves money inside the department: out of one of its projects, into its basic spending."""
            rows.append(Adjustment(kind=AdjustmentKind.SHIFT, on=day, unit=unit, function_code=self.meta[unit.code][1],
                                   amount=amount, document=document, reason=reason))
            rows.append(Adjustment(kind=AdjustmentKind.SHIFT, on=day, unit=unit, project_code=source[0],
                                   function_code=source[1], amount=-amount, document=document, reason=reason))

        with_projects = [c for c in codes if self.projects.get(c) and c != heavy.code and c not in self.laggards]
        for k in range(4 if self.small else 24):
            code = rng.choice(with_projects)
            source = self.projects[code][0]
            day = dt.date(y, 2, 1) + dt.timedelta(days=rng.randrange(max(1, (last - dt.date(y, 2, 1)).days)))
            # at most 3% of the project: it still covers what it has spent
            amount = min(_money(rng.uniform(20, 300)), (source[2] * Decimal("0.03")).quantize(CENT))
            shift(self.unit[code], day, source, amount, f"北财预〔{y}〕{40 + k}号", "部门内项目间资金调剂")
        for k, source in enumerate(self.projects.get(heavy.code, [])):
            day = min(dt.date(y, 3 + k, 15), last)
            # a quarter of each (slow) project: above the 调剂 cap in all, never below what it spent
            shift(heavy, day, source, (source[2] / 4).quantize(CENT), f"北财预〔{y}〕{90 + k}号",
                  "项目间调剂用于信息化系统建设")
        self.heavy_shifter = heavy.code
        key = [(r.kind, r.on, r.unit.code, r.function_code, r.amount, r.document) for r in rows]
        imp = self._imp(Dataset.ADJUSTMENT, key, total=sum(r.amount for r in rows), at=self._when(last))
        for i, r in enumerate(rows):
            r.imp, r.congress, r.year, r.row = imp, self.c, y, i + 2
        Adjustment.objects.bulk_create(rows)
        self.counts["adjustments"] = len(rows)

    def transfers(self) -> None:
        rng, y = self.rng, self.y
        rows: list[Transfer] = []
        districts = DD.REGIONS[1:]
        titles = DD.TRANSFERS[:5] if self.small else DD.TRANSFERS
        k = 0
        for title, kind in titles:
            received = dt.date(y, 1, 20) + dt.timedelta(days=rng.randrange(260))
            if received >= self.today - dt.timedelta(days=3):
                received = self.today - dt.timedelta(days=rng.randint(10, 40))
            limit = 30 if kind == TransferKind.GENERAL else 60
            for district in rng.sample(districts, 2 if self.small else 4):
                k += 1
                if k % 9 == 4:
                    passed = received + dt.timedelta(days=limit + rng.randint(6, 25))  # late
                elif k % 13 == 6:
                    passed = None  # still held
                else:
                    passed = received + dt.timedelta(days=rng.randint(5, limit - 2))
                if passed and passed > self.today:
                    passed = None
                rows.append(Transfer(kind=kind, document=f"北岭财预〔{y}〕{k + 10}号", title=title,
                                     recipient=f"{district}财政局", amount=_money(rng.uniform(300, 9000)),
                                     received_on=received, passed_on=passed))
        # one received long ago and never passed down: a warning whatever the dates above gave
        rows.append(Transfer(kind=TransferKind.SPECIAL, document=f"北岭财预〔{y}〕8号", title="农村危房改造补助资金",
                             recipient="临河县财政局", amount=Decimal("2650.00"), received_on=dt.date(y, 3, 6),
                             passed_on=None))
        key = [(r.kind, r.document, r.title, r.recipient, r.amount, r.received_on, r.passed_on) for r in rows]
        imp = self._imp(Dataset.TRANSFER, key, total=sum(r.amount for r in rows), at=self._when(self.today))
        for i, r in enumerate(rows):
            r.imp, r.congress, r.year, r.row = imp, self.c, y, i + 2
        Transfer.objects.bulk_create(rows)
        self.counts["transfers"] = len(rows)

    def debt(self) -> None:
        rng = self.rng
        rows: list[Debt] = []
        ratios = {"市本级": 0.82, "城东区": 0.74, "城西区": 0.91, "高新区": 0.66, "北湖区": 1.06, "南山县": 0.88,
                  "临河县": 1.34}
        for region in DD.REGIONS:
            capacity = 2_600_000 if region == "市本级" else rng.uniform(300_000, 700_000)
            total = capacity * ratios[region]
            for kind, share in ((DebtKind.GENERAL, 0.42), (DebtKind.SPECIAL, 0.58)):
                balance = total * share
                # 综合财力 is the region's; each kind's row carries its share, so the two add up to it.
                rows.append(Debt(region=region, kind=kind, balance=_money(balance),
                                 limit=_money(balance * rng.uniform(1.03, 1.12)), due=_money(balance * 0.09),
                                 capacity=_money(capacity * share)))
        key = [(r.region, r.kind, r.balance, r.limit, r.due, r.capacity) for r in rows]
        imp = self._imp(Dataset.DEBT, key, total=sum(r.balance for r in rows), at=self._when(dt.date(self.y, 7, 10)))
        for i, r in enumerate(rows):
            r.imp, r.congress, r.year, r.row = imp, self.c, self.y, i + 2
        Debt.objects.bulk_create(rows)
        self.counts["debt"] = len(rows)

    def soe(self) -> None:
        rng = self.rng
        rows = []
        for name in DD.ENTERPRISES[:4] if self.small else DD.ENTERPRISES:
            assets = rng.uniform(80_000, 4_000_000)
            revenue = assets * rng.uniform(0.05, 0.4)
            profit = revenue * rng.uniform(-0.04, 0.12)
            rows.append(SoeFigure(enterprise=name, assets=_money(assets),
                                  liabilities=_money(assets * rng.uniform(0.4, 0.78)),
                                  revenue=_money(revenue), profit=_money(profit),
                                  dividend=_money(max(0.0, profit) * 0.25)))
        key = [(r.enterprise, r.assets, r.liabilities, r.revenue, r.profit, r.dividend) for r in rows]
        imp = self._imp(Dataset.SOE, key, total=sum(r.assets for r in rows), at=self._when(dt.date(self.y, 5, 20)))
        for i, r in enumerate(rows):
            r.imp, r.congress, r.year, r.row = imp, self.c, self.y, i + 2
        SoeFigure.objects.bulk_create(rows)
        self.counts["soe"] = len(rows)

    def audit(self) -> None:
        rng, y = self.rng, self.y
        rows: list[AuditFinding] = []
        codes = sorted(self.unit)
        reports = [(dt.date(y - 1, 8, 27), y - 1, 24 if not self.small else 6)]
        if self.today >= dt.date(y, 8, 28):
            reports.append((dt.date(y, 8, 26), y, 18 if not self.small else 4))
        for reported, ry, n in reports:
            for k in range(n):
                title, category = DD.AUDIT_PROBLEMS[k % len(DD.AUDIT_PROBLEMS)]
                unit = self.unit[codes[(k * 7 + ry) % len(codes)]]
                r = rng.random()
                if ry < y:  # six months and more ago: most done, some partly, a few still open
                    done, partly = 0.62, 0.85
                else:
                    done, partly = 0.3, 0.6
                status = (Rectification.DONE if r < done else Rectification.PARTLY if r < partly
                          else Rectification.OPEN)
                done_on = (reported + dt.timedelta(days=rng.randint(40, 170))) if status == Rectification.DONE else None
                if done_on and done_on > self.today:
                    done_on = self.today - dt.timedelta(days=1)
                measures = {Rectification.DONE: "已收回闲置资金、调整账务处理并完善内控制度。",
                            Rectification.PARTLY: "已制定整改方案，部分资金已收回，剩余问题正在推进。",
                            Rectification.OPEN: ""}[status]
                rows.append(AuditFinding(number=f"审{ry}-{k + 1:02d}", unit=unit, title=f"{unit.name}{title}",
                                         category=category, amount=_money(rng.uniform(12, 2400)), reported_on=reported,
                                         status=status, rectified_on=done_on, measures=measures))
        key = [(r.number, r.unit.code, r.title, r.amount, r.reported_on, r.status, r.rectified_on) for r in rows]
        imp = self._imp(Dataset.AUDIT, key, total=sum(r.amount for r in rows), at=self._when(self.today))
        for i, r in enumerate(rows):
            r.imp, r.congress, r.year, r.row = imp, self.c, y, i + 2
        AuditFinding.objects.bulk_create(rows)
        self.counts["audit"] = len(rows)
        self.counts["audit_open"] = sum(1 for r in rows if r.status != Rectification.DONE)

    def disclosure(self) -> None:
        rng, y = self.rng, self.y
        rows: list[Disclosure] = []
        session_end = dt.date(y, 1, 14)
        rows.append(Disclosure(unit=None, document=DisclosureDocument.BUDGET, approved_on=session_end,
                               published_on=session_end + dt.timedelta(days=12)))
        final_on = dt.date(y, 8, 26)
        if self.today > final_on + dt.timedelta(days=20):
            rows.append(Disclosure(unit=None, document=DisclosureDocument.FINAL, approved_on=final_on,
                                   published_on=final_on + dt.timedelta(days=16)))
        approved = session_end + dt.timedelta(days=18)  # 财政 批复 to the departments (预算法 第五十二条: 20 days)
        mains = sorted(c for c, m in self.meta.items() if m[2])
        for k, code in enumerate(mains):
            if k % 11 == 5:
                published = approved + dt.timedelta(days=rng.randint(26, 45))  # late
            elif k % 17 == 8:
                published = None  # not published at all
            else:
                published = approved + dt.timedelta(days=rng.randint(3, 19))
            rows.append(Disclosure(unit=self.unit[code], document=DisclosureDocument.BUDGET, approved_on=approved,
                                   published_on=published))
        key = [(r.unit.code if r.unit else "", r.document, r.approved_on, r.published_on) for r in rows]
        imp = self._imp(Dataset.DISCLOSURE, key, at=self._when(self.today))
        for i, r in enumerate(rows):
            r.imp, r.congress, r.year, r.row = imp, self.c, y, i + 2
        Disclosure.objects.bulk_create(rows)
        self.counts["disclosures"] = len(rows)

    def chain(self) -> None:
        """Each import is its own subject in the audit chain, as the import service records it."""
        from lvzhi.cases.events import append_subject_event

        for imp in sorted(self.imports, key=lambda i: (i.at, i.pk)):
            append_subject_event("budget_import", imp.pk, self.c.pk, self.officer, "import", "导入预算数据",
                                 payload={"dataset": imp.dataset, "year": imp.year, "month": imp.month,
                                          "source": imp.source, "rows": imp.rows, "digest": imp.digest,
                                          "revision": imp.revision}, at=imp.at)


# ------------------------------------------------------------------ deputies and the report

def _questions(year: Year, congress: Congress) -> int:
    from lvzhi.deputies.models import Deputy

    deputies = list(Deputy.objects.filter(congress=congress).order_by("id")[:8])
    committee = Organization.objects.filter(congress=congress, kind=OrganizationKind.COMMITTEE,
                                            field=FINANCE_FIELD).first()
    units = sorted(year.unit.values(), key=lambda u: u.code)
    rows = []
    for k, d in enumerate(deputies):
        unit = units[(k * 5) % len(units)]
        sent = k % 3 != 2
        at = year._when(min(year.today, dt.date(year.y, 11, 25)) - dt.timedelta(days=12 - k))
        rows.append(BudgetQuestion(congress=congress, year=year.y + 1, deputy=d, unit=unit,
                                   function_code=year.meta[unit.code][1][:3],
                                   text=DD.QUESTIONS[k % len(DD.QUESTIONS)].format(u=unit.name), at=at,
                                   sent_at=at + dt.timedelta(days=2) if sent else None,
                                   sent_to=committee if sent else None,
                                   answer="财经委已转市财政局研究，将在预算草案审查中一并说明。" if sent and k % 2 == 0
                                   else ""))
    BudgetQuestion.objects.bulk_create(rows)
    return len(rows)


# What the 预算工委 and the units did with the warnings raised before today. Causes that are still
# there stay open (the run keeps them); causes gone since were closed, dismissed or are lifted today.
OPEN_VARIANTS = ["pushed_overdue", "answered", "pushed", "ask_again", "raised_earlier"]
GONE_VARIANTS = ["closed", "closed", "dismissed", "closed_late", "closed", "lifted_pushed", "lifted_raised"]
DISMISS_REASON = "经核实，该部门已按规定程序报批，支出进度偏慢系项目按合同约定分期付款所致，不属于预算执行问题。"
ANSWERS = ["经核查，进度偏慢的原因是项目招标延期，目前已完成招标并签订合同，预计12月底前完成支付。",
           "已对超出部分进行核实，系年中新增任务所需，已补办预算调剂手续，并将严格按预算执行。",
           "已将转移支付资金分解下达，并通报相关区县加快支出进度。",
           "已在部门门户网站补充公开部门预算，今后将在批复后二十日内公开。",
           "已制定整改方案，收回闲置资金并上缴国库，整改完成后报送整改情况。"]


class _Moves:
    """Moves the warnings through the engine at past moments (each step a transition)."""

    def __init__(self, year: Year, congress: Congress, officer: User) -> None:
        self.y, self.c, self.officer = year, congress, officer
        self.base = dt.datetime.combine(year.today - dt.timedelta(days=45), dt.time(9, 0),
                                        tzinfo=timezone.get_current_timezone())
        self.done: dict[str, int] = defaultdict(int)

    def at(self, days: float, k: int) -> dt.datetime:
        t = self.base + dt.timedelta(days=days, minutes=3 * k)
        return min(t, timezone.now() - dt.timedelta(minutes=30) + dt.timedelta(seconds=k))

    def open(self, finding, k: int):
        from lvzhi.budget.warnings import finding_data
        from lvzhi.cases.engine import open_case

        unit = self.y.unit.get(finding.unit_code or "")
        return open_case("budget_warning", "open", None, finding_data(finding, unit), congress_id=self.c.pk,
                         now=self.at(0, k)).case

    def fire(self, case, name: str, actor: User, data: dict, days: float, k: int):
        from lvzhi.cases.engine import fire

        return fire(case, name, actor, data, now=self.at(days, k)).case

    def push(self, case, days: float, k: int) -> tuple[Any, User]:
        from lvzhi.budget.warnings import default_push_target, finance_bureau

        target = default_push_target(case)
        handler = User.objects.filter(organization=target, role=Role.UNIT_HANDLER, is_active=True).first()
        if handler is None:  # a department without an account in the demo: the finance bureau answers
            target = finance_bureau(self.c.pk)
            handler = User.objects.filter(organization=target, role=Role.UNIT_HANDLER, is_active=True).first()
        note = "请核实原因，书面说明并提出整改措施。"
        return self.fire(case, "push", self.officer, {"unit": target.pk, "note": note}, days, k), handler

    def move(self, case, variant: str, k: int) -> None:
        text = ANSWERS[k % len(ANSWERS)]
        if variant == "dismissed":
            self.fire(case, "dismiss", self.officer, {"reason": DISMISS_REASON}, 1, k)
        elif variant == "pushed":
            self.push(case, 42, k)
        elif variant == "pushed_overdue":
            self.push(case, 1, k)
        elif variant == "answered":
            case, h = self.push(case, 2, k)
            self.fire(case, "answer", h, {"text": text}, 40, k)
        elif variant in ("closed", "closed_late"):
            case, h = self.push(case, 1, k)
            late = variant == "closed_late"
            case = self.fire(case, "answer", h, {"text": text}, 24 if late else 5, k)
            self.fire(case, "accept", self.officer, {"note": "说明属实，整改措施可行，同意销号。"},
                      26 if late else 7, k)
        elif variant == "ask_again":
            case, h = self.push(case, 1, k)
            case = self.fire(case, "answer", h, {"text": "正在核实。"}, 4, k)
            self.fire(case, "ask_again", self.officer,
                      {"reason": "说明过于简单，请说明具体原因、金额和整改时限。"}, 6, k)
        self.done[variant] += 1


def _warnings(year: Year, congress: Congress, officer: User) -> dict[str, int]:
    """Warnings in every state. Two thirds of today's findings were raised weeks ago and are being
    handled; departments that were behind in the summer and have caught up since had warnings that
    were closed or dismissed, or are lifted by today's run, which also raises the remaining third."""
    from lvzhi.budget import rules, run

    findings = sorted(rules.evaluate(congress, year.y, today=year.today), key=lambda f: (f.rule, f.key))
    moves = _Moves(year, congress, officer)
    k = 0
    for i, f in enumerate(findings):
        if i % 3 != 2:
            moves.move(moves.open(f, k), OPEN_VARIANTS[k % len(OPEN_VARIANTS)], k)
            k += 1
    keys = {f.key for f in findings}
    caught_up = [c for c in sorted(year.unit) if year.meta[c][2] and f"unit:{c}" not in keys]
    gone = GONE_VARIANTS * (1 if year.small else 2)
    month = max(1, (year.months or [3])[-1] - 3)
    for j, (code, variant) in enumerate(zip(caught_up, gone, strict=False)):
        unit = year.unit[code]
        behind = Decimal(11 + (j * 7) % 9) + Decimal("0.4")
        stale = rules.Finding(rule=rules.PROGRESS, key=f"unit:{code}",
                              title=f"{unit.name}支出进度低于序时进度{behind}个百分点",
                              unit_code=code, year=year.y, month=month, measured=behind, threshold=Decimal("10.00"),
                              basis=rules.rule(rules.PROGRESS).basis, evidence={"月份": str(month)})
        case = moves.open(stale, k)
        if variant == "lifted_pushed":
            moves.push(case, 2, k)
        elif variant != "lifted_raised":
            moves.move(case, variant, k)
        k += 1
    result = run.run(congress, year.y, by=officer)
    return {**moves.done, "raised_today": result.raised, "lifted": result.lifted}


def build(builder) -> None:
    start = time.monotonic()
    congress: Congress = builder.city
    today: dt.date = getattr(builder, "latest", None) or builder.today
    size = getattr(builder, "size", None)
    small = size is not None and getattr(size, "scale", 1.0) < 0.5
    small = small or bool(getattr(builder, "budget_small", False))
    with transaction.atomic():
        officer, _bureau = _people(builder, congress)
        year = Year(builder, congress, officer, small=small, today=today)
        year.units()
        lines = year.budget(year.y)
        year.execution(year.y, lines, year.months)
        if not small:
            prior = year.budget(year.y - 1)
            year.execution(year.y - 1, prior, list(range(1, 13)))
        year.budget(year.y + 1, Dataset.DRAFT)
        year.adjustments()
        year.transfers()
        year.debt()
        year.soe()
        year.audit()
        year.disclosure()
        year.chain()
        questions = _questions(year, congress)
    facts = time.monotonic() - start
    with transaction.atomic():
        moved = _warnings(year, congress, officer)
    year.moved = moved
    if year.months:  # the 专项监督报告 of the year so far
        from lvzhi.budget import report

        last = year.months[-1]
        end = dt.date(year.y + (last == 12), last % 12 + 1, 1) - dt.timedelta(days=1)
        year.report = report.create(officer, congress, dt.date(year.y, 1, 1), min(end, today))
    builder.budget_year = year
    log = getattr(builder, "_log", None)
    if log is not None:
        log(f"  预算联网监督：部门 {len(year.unit)} 个，预算明细 {year.counts[f'lines_budget_{year.y}']} 行，"
            f"执行 {year.counts['execution']} 行，导入 {len(year.imports)} 次，代表意见 {questions} 条，"
            f"数据用时 {facts:.1f} 秒，预警处理用时 {time.monotonic() - start - facts:.1f} 秒")


def summary(congress: Congress) -> str:
    from lvzhi.budget.models import SupervisionReport, WarningDetail

    units = BudgetUnit.objects.filter(congress=congress).count()
    imports = BudgetImport.objects.filter(congress=congress, is_current=True).count()
    warnings = WarningDetail.objects.filter(congress=congress).count()
    reports = SupervisionReport.objects.filter(congress=congress).count()
    officer = (User.objects.filter(congress=congress, organization__function=OFFICE, role=Role.CLERK)
               .order_by("id").first())
    handler = (User.objects.filter(congress=congress, organization__name="市财政局", role=Role.UNIT_HANDLER)
               .order_by("id").first())
    logins = []
    if officer:
        logins.append(f"预算工委 {officer.username}（{officer.display_name}）")
    if handler:
        logins.append(f"市财政局 {handler.username}（{handler.display_name}）")
    return (f"预算部门 {units} 个，数据导入 {imports} 批，预警 {warnings} 件，专项监督报告 {reports} 份；"
            f"登录：{'，'.join(logins)}")
