"""The rule run: one open warning per cause across runs, figures refreshed, lifted with an event
when the cause goes away, raised again after closure, safe against a run that got there first.

The rules themselves are tested on real facts in their own tests; here rules.evaluate returns
fixed findings, so each run's input is exactly what the test says."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lvzhi.budget import rules, run
from lvzhi.budget.models import BudgetImport, Dataset, WarningDetail
from lvzhi.budget.testing import budget_world
from lvzhi.budget.warnings import open_warning
from lvzhi.cases.engine import fire
from lvzhi.cases.models import Assignment, AssignmentState, Case
from lvzhi.cases.todo import counts
from lvzhi.core.models import Notification

from .test_warnings import finding

pytestmark = pytest.mark.django_db


@pytest.fixture
def bw(world):
    return budget_world(world)


class Rules:
    """What rules.evaluate finds in this test, set before each run."""

    def __init__(self, monkeypatch):
        self.findings: list[rules.Finding] = []
        self.before = None  # something that happens while the rules run (a concurrent run)
        monkeypatch.setattr(rules, "evaluate", self.evaluate)

    def evaluate(self, congress, year, *, today=None):
        if self.before:
            self.before()
        return [f for f in self.findings if f.year == year]


@pytest.fixture
def found(monkeypatch):
    return Rules(monkeypatch)


def warnings_of(bw):
    return Case.objects.filter(kind="budget_warning", congress=bw.world.congress)


def test_two_runs_keep_one_open_warning_per_cause_with_the_latest_figures(bw, found):
    found.findings = [finding("105001"), finding("108001"), finding("105001", rule="december_rush", key="unit:105001")]
    assert run.run(bw.world.congress, 2026) == run.RunResult(raised=3, kept=0, lifted=0)
    found.findings = [finding("105001", measured=Decimal("22.00"), evidence={"序时进度": "58.3%"},
                              title="105001 支出进度落后序时进度22.0个百分点"),
                      finding("108001"), finding("105001", rule="december_rush", key="unit:105001")]
    assert run.run(bw.world.congress, 2026) == run.RunResult(raised=0, kept=3, lifted=0)
    assert warnings_of(bw).count() == 3
    d = WarningDetail.objects.get(open_key="2026|progress_behind|unit:105001")
    assert d.measured == Decimal("22.00") and d.evidence == {"序时进度": "58.3%"}
    assert d.case.title == "105001 支出进度落后序时进度22.0个百分点"  # the list says the latest figure
    assert d.case.events.count() == 1  # kept: no second opening, no event per run


def test_a_cause_that_went_away_is_lifted_with_an_event(bw, found):
    found.findings = [finding("105001"), finding("108001")]
    run.run(bw.world.congress, 2026)
    pushed = WarningDetail.objects.get(open_key="2026|progress_behind|unit:108001").case
    fire(pushed, "push", bw.officer, {"unit": bw.units["108001"].organization.pk})
    assert counts(bw.handlers["108001"]).get("budget_warning_to_answer") == 1
    found.findings = [finding("105001")]
    assert run.run(bw.world.congress, 2026) == run.RunResult(raised=0, kept=1, lifted=1)
    pushed.refresh_from_db()
    assert pushed.state == "lifted"
    event = pushed.events.order_by("seq").last()
    assert event.name == "lift" and event.payload["summary"].startswith("最新数据显示预警原因已消除：")
    # The unit no longer has to answer it: off its to-do list, its clock cancelled.
    assert Assignment.objects.get(case=pushed).state == AssignmentState.NOT_NEEDED
    assert not pushed.deadlines.filter(met_at__isnull=True, cancelled=False).exists()
    assert counts(bw.handlers["108001"]).get("budget_warning_to_answer", 0) == 0
    assert Notification.objects.filter(user=bw.handlers["108001"], text__contains="已自动解除").count() == 1


def test_the_office_hears_once_per_run_not_once_per_warning(bw, found):
    found.findings = [finding("105001", key=f"project:{i}") for i in range(5)]
    run.run(bw.world.congress, 2026)
    notes = list(Notification.objects.filter(user=bw.officer).values_list("text", flat=True))
    assert notes == ["2026年预算预警规则运行：新发出5件待甄别"]
    run.run(bw.world.congress, 2026)  # nothing new: nothing to tell
    assert Notification.objects.filter(user=bw.officer).count() == 1


def test_a_run_of_another_year_leaves_this_years_warnings_alone(bw, found):
    found.findings = [finding("105001")]
    run.run(bw.world.congress, 2026)
    assert run.run(bw.world.congress, 2025) == run.RunResult(0, 0, 0)
    assert warnings_of(bw).get().state == "raised"


def test_switching_a_rule_off_leaves_its_open_warnings_open(bw, found):
    from lvzhi.budget.rules_settings import save_rule

    found.findings = [finding("105001", rule=rules.PROGRESS)]
    run.run(bw.world.congress, 2026)
    save_rule(bw.officer, bw.world.congress, rules.PROGRESS, {"enabled": ""})
    found.findings = []  # the rule no longer runs: nothing found, but nothing was put right either
    assert run.run(bw.world.congress, 2026) == run.RunResult(0, 0, 0)
    assert warnings_of(bw).get().state == "raised"


def test_a_cause_with_a_long_name_is_kept_under_a_key_that_fits():
    long = "transfer:" + "农村危房改造和抗震改造补助资金" * 20 + "/北岭区/20260115"
    short = rules.fitting_key(long)
    assert len(short) <= rules.KEY_MAX and short.startswith("transfer:#") and short == rules.fitting_key(long)
    assert rules.fitting_key("unit:105001") == "unit:105001"


def test_last_years_open_warning_does_not_take_this_years_finding(bw, found):
    found.findings = [finding("105001", year=2025)]
    run.run(bw.world.congress, 2025)
    found.findings = [finding("105001", year=2025), finding("105001")]
    assert run.run(bw.world.congress, 2026) == run.RunResult(raised=1, kept=0, lifted=0)
    by_year = dict(warnings_of(bw).values_list("budget_warning_detail__year", "state"))
    assert by_year == {2025: "raised", 2026: "raised"}


def test_the_same_cause_raises_again_after_closure_or_dismissal(bw, found):
    found.findings = [finding("105001"), finding("108001")]
    run.run(bw.world.congress, 2026)
    closed = WarningDetail.objects.get(open_key="2026|progress_behind|unit:105001").case
    fire(closed, "push", bw.officer, {"unit": bw.units["105001"].organization.pk})
    fire(closed, "answer", bw.handlers["105001"], {"text": "已整改"})
    fire(closed, "accept", bw.officer, {})
    dismissed = WarningDetail.objects.get(open_key="2026|progress_behind|unit:108001").case
    fire(dismissed, "dismiss", bw.officer, {"reason": "口径差异"})
    assert run.run(bw.world.congress, 2026) == run.RunResult(raised=2, kept=0, lifted=0)
    assert warnings_of(bw).count() == 4
    assert set(warnings_of(bw).values_list("state", flat=True)) == {"closed", "dismissed", "raised"}
    closed.refresh_from_db()
    assert closed.state == "closed"  # the old one stays as it was


def test_a_run_that_got_there_first_wins_and_nothing_is_duplicated(bw, found):
    found.findings = [finding("105001"), finding("108001")]
    # Another run opens one of the causes while this one evaluates the rules.
    found.before = lambda: open_warning(bw.world.congress, finding("105001"))
    assert run.run(bw.world.congress, 2026) == run.RunResult(raised=1, kept=1, lifted=0)
    assert warnings_of(bw).count() == 2


def test_opened_by_the_officer_who_imported_or_by_the_system(bw, found, world):
    found.findings = [finding("105001")]
    run.run(bw.world.congress, 2026, by=bw.officer)
    assert warnings_of(bw).get().events.get().actor == bw.officer
    found.findings = [finding("108001")]
    run.run(bw.world.congress, 2026, by=world.deputy_user)  # not the 预算工委: the system opens it
    assert WarningDetail.objects.get(open_key="2026|progress_behind|unit:108001").case.events.get().actor is None


def test_after_import_runs_the_imports_year(bw, found):
    imp = BudgetImport.objects.create(congress=bw.world.congress, dataset=Dataset.EXECUTION, year=2026, month=6,
                                      source="市财政局国库集中支付系统", digest="x" * 64, filename="6月.xlsx",
                                      by=bw.officer)
    found.findings = [finding("105001"), finding("110001", year=2025)]
    assert run.after_import(imp) == run.RunResult(raised=1, kept=0, lifted=0)


def test_the_daily_sweep_and_the_officers_button_run_the_rules_without_an_import(bw, found, client):
    import datetime as dt

    from django.urls import reverse

    BudgetImport.objects.create(congress=bw.world.congress, dataset=Dataset.BUDGET, year=2026, source="市财政局",
                                digest="b" * 64, filename="预算.xlsx", by=bw.officer)
    found.findings = [finding("105001")]  # e.g. a transfer that has just passed its 30 days
    assert run.sweep(dt.date(2026, 8, 1)) == "预算预警规则运行：新发出1件，自动解除0件"
    assert run.sweep(dt.date(2026, 8, 2)) == "预算预警规则运行：新发出0件，自动解除0件"  # kept, not twice
    found.findings = [finding("105001"), finding("108001")]
    client.force_login(bw.world.deputy_user)
    assert client.post(reverse("budget:warning_rerun"), {"year": "2026"}).status_code == 403
    assert warnings_of(bw).count() == 1
    client.force_login(bw.officer)
    r = client.post(reverse("budget:warning_rerun"), {"year": "2026"}, follow=True)
    assert "已重新运行2026年预警规则：新发出1件，保留1件，自动解除0件" in r.content.decode()
    assert warnings_of(bw).count() == 2

