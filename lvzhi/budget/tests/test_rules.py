"""Each warning rule on fixed data: it fires on the row it should and stays quiet on the row beside it.

Facts are written straight with the ORM (an import per dataset, rows under it); the figures sit
just either side of each threshold.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lvzhi.budget import rules
from lvzhi.budget.models import (
    Adjustment,
    AdjustmentKind,
    AuditFinding,
    Book,
    BudgetImport,
    BudgetLine,
    Dataset,
    Debt,
    DebtKind,
    Disclosure,
    DisclosureDocument,
    ExecutionLine,
    Flow,
    Rectification,
    Transfer,
    TransferKind,
)
from lvzhi.budget.rules_settings import RuleRefused, save_rule
from lvzhi.budget.testing import BudgetWorld, budget_world

pytestmark = pytest.mark.django_db
YEAR = 2026
D = Decimal
EDU, CIV, HEALTH, CITY_MGMT = "105001", "108001", "110001", "112001"


@pytest.fixture
def bw(world) -> BudgetWorld:
    return budget_world(world)


class Facts:
    """Writes one congress's facts: one import per (dataset, month), rows added to it."""

    def __init__(self, bw: BudgetWorld) -> None:
        self.bw, self.c = bw, bw.world.congress
        self.imports: dict[tuple, BudgetImport] = {}

    def imp(self, dataset: str, month: int = 0, year: int = YEAR, source: str = "市财政局",
            current: bool = True) -> BudgetImport:
        key = (dataset, month, year, source, current)
        if key not in self.imports:
            revision = 1 + BudgetImport.objects.filter(
                congress=self.c, dataset=dataset, year=year, month=month, source=source).count()
            self.imports[key] = BudgetImport.objects.create(
                congress=self.c, dataset=dataset, year=year, month=month, source=source, revision=revision,
                is_current=current, digest=f"{key}", filename="t.xlsx", by=self.bw.officer)
        return self.imports[key]

    def budget(self, unit: str, amount: str, *, function: str = "2050201", project: str = "", economic: str = "",
               book: str = Book.GENERAL, name: str = "") -> None:
        BudgetLine.objects.create(imp=self.imp(Dataset.BUDGET), congress=self.c, year=YEAR, book=book,
                                  unit=self.bw.units[unit], project_code=project, project_name=name or project,
                                  function_code=function, economic_code=economic, amount=D(amount))

    def spend(self, unit: str, month: int, amount: str, *, function: str = "2050201", project: str = "",
              economic: str = "", year: int = YEAR, current: bool = True) -> None:
        ExecutionLine.objects.create(imp=self.imp(Dataset.EXECUTION, month, year, current=current), congress=self.c,
                                     year=year, month=month, book=Book.GENERAL, flow=Flow.EXPENDITURE,
                                     unit=self.bw.units[unit], project_code=project, code=function,
                                     economic_code=economic, amount=D(amount))

    def adjust(self, unit: str, amount: str, *, kind: str = AdjustmentKind.SHIFT, project: str = "",
               function: str = "2050201") -> None:
        Adjustment.objects.create(imp=self.imp(Dataset.ADJUSTMENT), congress=self.c, year=YEAR, kind=kind,
                                  on=dt.date(YEAR, 4, 1), unit=self.bw.units[unit], project_code=project,
                                  function_code=function, amount=D(amount))


@pytest.fixture
def facts(bw) -> Facts:
    return Facts(bw)


def found(bw: BudgetWorld, code: str, today: dt.date | None = None) -> dict[str, rules.Finding]:
    """The findings of one rule by key."""
    out = {}
    for f in rules.evaluate(bw.world.congress, YEAR, today=today or dt.date(YEAR, 12, 31)):
        assert f.year == YEAR and len(f.title) <= 200 and len(f.key) <= 150
        if f.rule == code:
            out[f.key] = f
    return out


def setting(bw: BudgetWorld, code: str, **values) -> None:
    current = rules.settings_for(bw.world.congress)[code]
    raw = {**{k: v for k, v in current.items() if v is not False}, **values}
    save_rule(bw.officer, bw.world.congress, code, {k: v for k, v in raw.items() if v is not False})


# ------------------------------------------------------------------ 序时进度

def test_progress_fires_at_10_1_points_behind_and_not_at_9_9(bw, facts):
    # June: time progress 50%. 教育局 40.1% (9.9 behind), 民政局 39.9% (10.1 behind).
    facts.budget(EDU, "1000")
    facts.budget(CIV, "900")
    facts.adjust(CIV, "100")  # the 调剂 counts in the budget: 1000
    for m in range(1, 7):
        facts.spend(EDU, m, "66.85")
        facts.spend(CIV, m, "66.5")
    # 401.1 → 40.11%; 399 → 39.9%
    got = found(bw, rules.PROGRESS)
    assert set(got) == {f"unit:{CIV}"}
    f = got[f"unit:{CIV}"]
    assert f.title == "市民政局支出进度低于序时进度10.1个百分点"
    assert (f.unit_code, f.month, f.measured, f.threshold) == (CIV, 6, D("10.10"), D("10.00"))
    assert f.evidence["调整后预算数（万元）"] == "1000.00" and f.evidence["累计支出（万元）"] == "399.00"
    assert f.basis == "《中华人民共和国预算法》第五十七条；预算执行均衡性监督（地方规则）"


def test_progress_by_project(bw, facts):
    facts.budget(HEALTH, "100", project="P01", name="社区卫生服务中心建设")
    facts.budget(HEALTH, "100", project="P02", name="疾控能力提升")
    facts.budget(HEALTH, "100")  # basic spending, fully on time, keeps the department quiet
    facts.spend(HEALTH, 6, "39.9", project="P01")
    facts.spend(HEALTH, 6, "40.1", project="P02")
    facts.spend(HEALTH, 6, "100")
    got = found(bw, rules.PROGRESS)
    assert set(got) == {f"project:{HEALTH}/P01"}
    assert got[f"project:{HEALTH}/P01"].title == ("市卫生健康委员会“社区卫生服务中心建设”项目"
                                                  "支出进度低于序时进度10.1个百分点")
    setting(bw, rules.PROGRESS, projects=False)
    assert found(bw, rules.PROGRESS) == {}


def test_progress_only_current_revisions_count(bw, facts):
    facts.budget(EDU, "1000")
    facts.spend(EDU, 6, "401")  # current: 9.9 behind
    facts.spend(EDU, 6, "100", current=False)  # what the first, superseded file said
    assert found(bw, rules.PROGRESS) == {}
    facts.budget(CIV, "1000")
    facts.spend(CIV, 6, "399")
    facts.spend(CIV, 6, "600", current=False)
    assert set(found(bw, rules.PROGRESS)) == {f"unit:{CIV}"}


def test_progress_threshold_and_disabling_change_the_result(bw, facts):
    facts.budget(CIV, "1000")
    facts.spend(CIV, 6, "399")
    assert set(found(bw, rules.PROGRESS)) == {f"unit:{CIV}"}
    setting(bw, rules.PROGRESS, gap="10.2")
    assert found(bw, rules.PROGRESS) == {}
    setting(bw, rules.PROGRESS, gap="5")
    assert found(bw, rules.PROGRESS)[f"unit:{CIV}"].threshold == D("5.00")
    setting(bw, rules.PROGRESS, enabled=False)
    assert found(bw, rules.PROGRESS) == {}


def test_progress_quarterly_is_judged_at_the_last_quarter_end(bw, facts):
    facts.budget(CIV, "1200")
    facts.spend(CIV, 3, "170")  # March: 14.2% against 25% → 10.8 behind
    facts.spend(CIV, 5, "200")  # May: 30.8% against 41.7% → 10.8 behind too
    setting(bw, rules.PROGRESS, cadence=rules.QUARTERLY)
    f = found(bw, rules.PROGRESS)[f"unit:{CIV}"]
    assert f.month == 3 and f.evidence["累计支出（万元）"] == "170.00" and f.evidence["序时进度（%）"] == "25.0"


def test_progress_quarterly_quiet_before_the_first_quarter_end(bw, facts):
    facts.budget(CIV, "1200")
    facts.spend(CIV, 2, "1")
    assert set(found(bw, rules.PROGRESS)) == {f"unit:{CIV}"}
    setting(bw, rules.PROGRESS, cadence=rules.QUARTERLY)
    assert found(bw, rules.PROGRESS) == {}


# ------------------------------------------------------------------ 年底突击花钱

def test_december_fires_above_50_percent_and_not_at_49_9(bw, facts):
    facts.budget(EDU, "1000")
    facts.budget(CIV, "1000")
    facts.spend(EDU, 11, "501")
    facts.spend(CIV, 11, "499")
    assert found(bw, rules.DECEMBER) == {}  # December not in yet
    facts.spend(EDU, 12, "499")  # 49.9%
    facts.spend(CIV, 12, "501")  # 50.1%
    got = found(bw, rules.DECEMBER)
    assert set(got) == {f"unit:{CIV}"}
    assert got[f"unit:{CIV}"].title == "市民政局12月份支出占全年50.1%"
    setting(bw, rules.DECEMBER, share="50.2")
    assert found(bw, rules.DECEMBER) == {}


# ------------------------------------------------------------------ 超预算、无预算

def test_overspend_by_function_code_and_without_a_budget_line(bw, facts):
    facts.budget(EDU, "100", function="2050202")
    facts.budget(CIV, "100", function="2080201")
    facts.spend(EDU, 3, "100", function="2050202")  # exactly the budget: quiet
    facts.spend(CIV, 3, "100.01", function="2080201")  # a cent over
    facts.spend(CIV, 3, "5", function="2080299")  # no budget line at all
    got = found(bw, rules.OVERSPEND)
    assert set(got) == {f"function:{CIV}/2080201", f"nobudget:{CIV}/2080299"}
    assert got[f"function:{CIV}/2080201"].title.endswith("科目支出超出预算0.01万元")
    assert got[f"nobudget:{CIV}/2080299"].title.startswith("市民政局在无预算的")
    setting(bw, rules.OVERSPEND, tolerance="1")  # 1% allowed: 100.01 is within
    assert set(found(bw, rules.OVERSPEND)) == {f"nobudget:{CIV}/2080299"}


def test_overspend_by_project_with_its_adjustment(bw, facts):
    facts.budget(HEALTH, "50", project="P01", name="急救站建设")
    facts.budget(HEALTH, "50", project="P02", name="设备购置")
    facts.adjust(HEALTH, "10", project="P02")
    facts.spend(HEALTH, 2, "50.01", project="P01")
    facts.spend(HEALTH, 2, "60", project="P02")  # 50 + 10 adjusted: on budget
    facts.spend(HEALTH, 2, "3", project="P09")
    got = found(bw, rules.OVERSPEND)
    project_keys = {k for k in got if "P0" in k}
    assert project_keys == {f"project:{HEALTH}/P01", f"nobudget:{HEALTH}/project:P09"}
    assert got[f"project:{HEALTH}/P01"].title == "市卫生健康委员会“急救站建设”项目支出超出预算0.01万元"


# ------------------------------------------------------------------ 调剂

def test_adjustment_cap_by_share_and_by_amount(bw, facts):
    facts.budget(EDU, "1000")
    facts.budget(CIV, "1000")
    facts.adjust(EDU, "100")  # 10%: at the cap, quiet
    facts.adjust(EDU, "-100", function="2050203")
    facts.adjust(CIV, "101")  # 10.1%
    got = found(bw, rules.ADJUSTMENT)
    assert set(got) == {f"unit:{CIV}"}
    assert got[f"unit:{CIV}"].title == "市民政局预算调剂101.00万元，占部门预算10.1%"
    setting(bw, rules.ADJUSTMENT, cap_amount="99.99")
    assert set(found(bw, rules.ADJUSTMENT)) == {f"unit:{EDU}", f"unit:{CIV}"}


def test_adjustment_counts_budget_adjustments_only_when_set(bw, facts):
    facts.budget(CIV, "1000")
    facts.adjust(CIV, "150", kind=AdjustmentKind.ADJUST)
    assert set(found(bw, rules.ADJUSTMENT)) == {f"unit:{CIV}"}
    setting(bw, rules.ADJUSTMENT, include_adjust=False)
    assert found(bw, rules.ADJUSTMENT) == {}


# ------------------------------------------------------------------ 三公经费

def test_sangong_over_budget(bw, facts):
    facts.budget(EDU, "10", economic="30217")
    facts.budget(CIV, "10", economic="30231")
    facts.spend(EDU, 4, "10", economic="30217")
    facts.spend(CIV, 4, "10.01", economic="30231")
    facts.spend(HEALTH, 4, "99", economic="30201")  # 办公费 is not 三公
    got = found(bw, rules.SANGONG)
    assert set(got) == {f"over:{CIV}"}
    assert got[f"over:{CIV}"].title == "市民政局“三公”经费支出超出预算0.01万元"


def test_sangong_growth_on_the_same_months_last_year(bw, facts):
    for unit in (EDU, CIV):
        facts.budget(unit, "100", economic="30212")
        facts.spend(unit, 3, "10", economic="30212")
    facts.spend(EDU, 3, "10", economic="30212", year=YEAR - 1)  # flat: quiet
    facts.spend(CIV, 3, "9.99", economic="30212", year=YEAR - 1)  # grew 0.1%
    facts.spend(CIV, 10, "50", economic="30212", year=YEAR - 1)  # later months last year do not count
    got = found(bw, rules.SANGONG)
    assert set(got) == {f"growth:{CIV}"}
    assert got[f"growth:{CIV}"].title == "市民政局“三公”经费比上年同期增长0.1%"
    setting(bw, rules.SANGONG, growth="0.2")
    assert found(bw, rules.SANGONG) == {}


# ------------------------------------------------------------------ 预备费

@pytest.mark.parametrize(("reserve", "fires"), [("90", True), ("100", False), ("300", False), ("301", True)])
def test_reserve_outside_1_to_3_percent(bw, facts, reserve, fires):
    facts.budget(EDU, str(10000 - int(reserve)))
    facts.budget("106001", reserve, function="2270101")
    facts.budget(CIV, "5000", book=Book.FUND)  # another book does not count
    got = found(bw, rules.RESERVE)
    assert bool(got) is fires
    if reserve == "90":
        assert got["city"].title == "预备费占一般公共预算支出0.9%，低于下限1%"
        assert got["city"].basis == "《中华人民共和国预算法》第四十条"
    if reserve == "301":
        assert got["city"].title == "预备费占一般公共预算支出3.01%，高于上限3%"


# ------------------------------------------------------------------ 转移支付

def _transfer(facts: Facts, title: str, kind: str, received: dt.date, passed: dt.date | None) -> None:
    Transfer.objects.create(imp=facts.imp(Dataset.TRANSFER), congress=facts.c, year=YEAR, kind=kind,
                            document=f"财预〔{YEAR}〕{title}号", title=title, recipient="城东区", amount=D("500"),
                            received_on=received, passed_on=passed)


def test_transfers_passed_on_day_30_quiet_day_31_fires(bw, facts):
    got_on = dt.date(YEAR, 3, 1)
    _transfer(facts, "1", TransferKind.GENERAL, got_on, got_on + dt.timedelta(days=30))
    _transfer(facts, "2", TransferKind.GENERAL, got_on, got_on + dt.timedelta(days=31))
    _transfer(facts, "3", TransferKind.SPECIAL, got_on, got_on + dt.timedelta(days=60))
    _transfer(facts, "4", TransferKind.SPECIAL, got_on, got_on + dt.timedelta(days=61))
    got = found(bw, rules.TRANSFER)
    assert {f.evidence["项目"] for f in got.values()} == {"2", "4"}
    assert any(f.title == f"一般性转移支付“2”（财预〔{YEAR}〕2号）收到后第31天才下达" for f in got.values())


def test_transfer_not_passed_counts_to_today(bw, facts):
    _transfer(facts, "5", TransferKind.GENERAL, dt.date(YEAR, 3, 1), None)
    assert found(bw, rules.TRANSFER, today=dt.date(YEAR, 3, 31)) == {}
    got = found(bw, rules.TRANSFER, today=dt.date(YEAR, 4, 1))
    assert [f.title for f in got.values()] == [f"一般性转移支付“5”（财预〔{YEAR}〕5号）收到31天仍未下达"]
    setting(bw, rules.TRANSFER, general_days="31")
    assert found(bw, rules.TRANSFER, today=dt.date(YEAR, 4, 1)) == {}


# ------------------------------------------------------------------ 预决算公开

def test_disclosure_20_days_quiet_21_fires(bw, facts):
    approved = dt.date(YEAR, 2, 1)
    Disclosure.objects.create(imp=facts.imp(Dataset.DISCLOSURE), congress=facts.c, year=YEAR,
                              unit=bw.units[EDU], document=DisclosureDocument.BUDGET, approved_on=approved,
                              published_on=approved + dt.timedelta(days=20))
    Disclosure.objects.create(imp=facts.imp(Dataset.DISCLOSURE), congress=facts.c, year=YEAR,
                              unit=bw.units[CIV], document=DisclosureDocument.BUDGET, approved_on=approved,
                              published_on=approved + dt.timedelta(days=21))
    Disclosure.objects.create(imp=facts.imp(Dataset.DISCLOSURE), congress=facts.c, year=YEAR,
                              unit=None, document=DisclosureDocument.FINAL, approved_on=dt.date(YEAR, 6, 30))
    got = found(bw, rules.DISCLOSURE, today=dt.date(YEAR, 7, 20))  # the city's final accounts: day 20
    assert set(got) == {f"disclosure:{CIV}/budget"}
    assert got[f"disclosure:{CIV}/budget"].title == f"市民政局{YEAR}年部门预算批准后第21天才公开"
    got = found(bw, rules.DISCLOSURE, today=dt.date(YEAR, 7, 21))
    assert got["disclosure:city/final"].title == f"本级政府{YEAR}年决算批准后21天仍未公开"
    assert got["disclosure:city/final"].basis == "《中华人民共和国预算法》第十四条"


# ------------------------------------------------------------------ 债务率

def test_debt_ratio_above_100_percent_and_over_limit(bw, facts):
    def debt(region: str, kind: str, balance: str, capacity: str, limit: str = "999999") -> None:
        Debt.objects.create(imp=facts.imp(Dataset.DEBT), congress=facts.c, year=YEAR, region=region, kind=kind,
                            balance=D(balance), limit=D(limit), due=D("0"), capacity=D(capacity))

    debt("本级", DebtKind.GENERAL, "600", "1000")
    debt("本级", DebtKind.SPECIAL, "400", "0")  # 1000 / 1000: 100%, at the line
    debt("城东区", DebtKind.GENERAL, "1001", "1000")  # 100.1%
    debt("城西区", DebtKind.SPECIAL, "500", "1000", limit="499.99")
    got = found(bw, rules.DEBT)
    assert set(got) == {"ratio:城东区", "limit:城西区"}
    assert got["ratio:城东区"].title == "城东区政府债务率100.1%，超过警戒线100%"
    setting(bw, rules.DEBT, ratio="120")
    assert set(found(bw, rules.DEBT)) == {"limit:城西区"}


# ------------------------------------------------------------------ 审计整改

def test_audit_not_rectified_six_months_after_the_report(bw, facts):
    def problem(number: str, status: str) -> None:
        AuditFinding.objects.create(imp=facts.imp(Dataset.AUDIT), congress=facts.c, year=YEAR, number=number,
                                    unit=bw.units[EDU], title=f"问题{number}", reported_on=dt.date(YEAR, 1, 15),
                                    status=status)

    problem("SJ-1", Rectification.OPEN)
    problem("SJ-2", Rectification.PARTLY)
    problem("SJ-3", Rectification.DONE)
    assert found(bw, rules.AUDIT, today=dt.date(YEAR, 7, 15)) == {}
    got = found(bw, rules.AUDIT, today=dt.date(YEAR, 7, 16))
    assert set(got) == {"audit:SJ-1", "audit:SJ-2"}
    assert got["audit:SJ-1"].title == "市教育局审计查出问题“问题SJ-1”逾期1天未整改完成"
    assert got["audit:SJ-1"].unit_code == EDU


# ------------------------------------------------------------------ settings

def test_settings_default_then_saved_values(bw):
    s = rules.settings_for(bw.world.congress)
    assert s[rules.PROGRESS] == {"enabled": True, "gap": D(10), "cadence": rules.MONTHLY, "projects": True}
    assert s[rules.TRANSFER]["general_days"] == 30 and s[rules.TRANSFER]["special_days"] == 60
    assert len(rules.RULES) == 10 and all(r.basis and r.quote for r in rules.RULES)
    setting(bw, rules.DISCLOSURE, days="15")
    assert rules.settings_for(bw.world.congress)[rules.DISCLOSURE] == {"enabled": True, "days": 15}


@pytest.mark.parametrize(("raw", "message"), [("-1", "公开时限不能小于0"), ("二十", "公开时限请填写整数"),
                                              ("2.5", "公开时限请填写整数"), ("", "请填写公开时限")])
def test_bad_settings_refused_with_a_chinese_message_and_nothing_saved(bw, raw, message):
    with pytest.raises(RuleRefused) as exc:
        save_rule(bw.officer, bw.world.congress, rules.DISCLOSURE, {"enabled": "on", "days": raw})
    assert message in exc.value.message
    assert rules.saved_params(bw.world.congress) == {}


def test_reserve_low_above_high_refused(bw):
    with pytest.raises(RuleRefused) as exc:
        save_rule(bw.officer, bw.world.congress, rules.RESERVE, {"enabled": "on", "low": "4", "high": "3"})
    assert "下限不能大于上限" in exc.value.message


def test_only_the_budget_office_sets_rules(bw):
    with pytest.raises(RuleRefused):
        save_rule(bw.committee_staff, bw.world.congress, rules.DISCLOSURE, {"enabled": "on", "days": "10"})
    assert rules.saved_params(bw.world.congress) == {}


def test_a_hand_broken_saved_value_falls_back_to_the_default(bw):
    from lvzhi.cases.models import RuleSet

    rs, _ = RuleSet.objects.get_or_create(congress=bw.world.congress)
    rs.params = {rules.PARAM: {rules.DEBT: {"enabled": True, "ratio": "很多"}, rules.AUDIT: "x"}}
    rs.save()
    s = rules.settings_for(bw.world.congress)
    assert s[rules.DEBT]["ratio"] == D(100) and s[rules.AUDIT]["months"] == 6
