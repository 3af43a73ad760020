"""The budget demo on the small world: a city's year of budget data with valid codes, one current
import per dataset and month (its digest the rows'), warnings in every state through the engine,
the pushed ones in the units' inboxes, deputies' questions and a 专项监督报告."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from types import SimpleNamespace

import pytest
from django.utils import timezone

from lvzhi.budget import codes, demo
from lvzhi.budget.models import (
    Book,
    BudgetImport,
    BudgetLine,
    BudgetQuestion,
    BudgetUnit,
    Dataset,
    ExecutionLine,
    SupervisionReport,
    WarningDetail,
)
from lvzhi.cases.events import verify_chain
from lvzhi.cases.models import Assignment, AssignmentState, Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(world):
    today = timezone.localdate()
    builder = SimpleNamespace(city=world.congress, today=today, latest=today, _log=lambda s: None,
                              budget_small=True)
    demo.build(builder)
    return world, builder.budget_year


def test_the_demo_year_of_budget_data(built):
    world, year = built
    c = world.congress
    assert BudgetUnit.objects.filter(congress=c).count() == len(year.unit) >= 20
    lines = BudgetLine.objects.current().filter(congress=c, year=year.y, imp__dataset=Dataset.BUDGET)
    books = {b: sum(ln.amount for ln in lines if ln.book == b) for b in Book.values}
    assert all(books.values())  # the four books
    assert books[Book.GENERAL] > books[Book.SOE]
    assert all(codes.is_valid(codes.FUNCTION, ln.function_code) for ln in lines)
    assert all(codes.is_valid(codes.ECONOMIC, ln.economic_code) for ln in lines if ln.economic_code)
    months = set(ExecutionLine.objects.current().filter(congress=c, year=year.y).values_list("month", flat=True))
    assert months == set(year.months) and months
    # one current import per dataset and month, each with the rows it says it has
    execs = BudgetImport.objects.filter(congress=c, dataset=Dataset.EXECUTION, year=year.y, is_current=True)
    assert sorted(execs.values_list("month", flat=True)) == year.months
    first = execs.get(month=year.months[0])
    assert ExecutionLine.objects.filter(imp=first).count() == first.rows and len(first.digest) == 64
    assert {Dataset.ADJUSTMENT, Dataset.TRANSFER, Dataset.DEBT, Dataset.SOE, Dataset.AUDIT,
            Dataset.DISCLOSURE, Dataset.DRAFT} <= set(BudgetImport.objects.filter(congress=c)
                                                      .values_list("dataset", flat=True))
    assert verify_chain(c.pk)[0]  # every import recorded in the audit chain
    assert BudgetQuestion.objects.filter(congress=c, year=year.y + 1).exists()


def test_the_demo_holds_warnings_in_every_state(built):
    world, year = built
    c = world.congress
    states = Counter(Case.objects.filter(congress=c, kind="budget_warning").values_list("state", flat=True))
    assert set(states) == {"raised", "pushed", "answered", "dismissed", "closed", "lifted"}, states
    rules = set(WarningDetail.objects.filter(congress=c).values_list("rule", flat=True))
    assert {"progress", "overspend", "transfer", "disclosure", "debt", "audit", "reserve"} <= rules
    # what was pushed sits in the unit's inbox, and a lifted one does not wait for an answer
    pushed = Case.objects.filter(congress=c, kind="budget_warning", state="pushed")
    assert Assignment.objects.filter(case__in=pushed, state=AssignmentState.HANDLING).count() == pushed.count()
    lifted = WarningDetail.objects.filter(congress=c, case__state="lifted")
    assert all(d.lifted_at and d.open_key is None for d in lifted)
    report = SupervisionReport.objects.get(congress=c)
    assert report.figures["warnings"]["raised"] > 0 and report.start == dt.date(year.y, 1, 1)
    line = demo.summary(c)
    assert "预警" in line and "预算工委 budget" in line and "市财政局" in line
