"""Two officers confirm the same month at the same moment, each from a preview of different
figures (real threads and commits, on PostgreSQL too): one import lands whole, the other is
refused in Chinese with nothing of it saved, and the month has one current revision."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from lvzhi.budget import importing, samples
from lvzhi.budget.importing import ImportRefused
from lvzhi.budget.models import BudgetImport, ExecutionLine
from lvzhi.budget.testing import budget_world
from lvzhi.core.models import Role
from lvzhi.testing import make_user

pytestmark = pytest.mark.django_db(transaction=True)

SOURCE = "市财政局国库集中支付系统"


def test_two_confirms_of_one_month_at_once_leave_one_whole_revision():
    bw = budget_world()
    c = bw.world.congress
    second = make_user(f"budget2_{c.pk}", Role.CLERK, c, bw.office, "李预算")
    units = list(bw.units.values())
    budget = importing.preview(bw.officer, c, "budget", year=2026, source=SOURCE,
                               file=samples.budget_file(units), filename="预算.xlsx")
    importing.confirm(bw.officer, budget.id)
    officers = [bw.officer, second]
    previews = [importing.preview(u, c, "execution", year=2026, month=4, source=SOURCE,
                                  file=samples.execution_file(units, 4, pace=pace), filename="4月.xlsx")
                for u, pace in zip(officers, (1.0, 0.6), strict=True)]
    assert all(p.ok for p in previews)
    barrier = threading.Barrier(2)
    outcomes = [""] * 2

    def confirm(i: int) -> None:
        try:
            barrier.wait()
            importing.confirm(officers[i], previews[i].id)
            outcomes[i] = "ok"
        except ImportRefused as exc:
            outcomes[i] = exc.message
        except Exception as exc:  # anything else is the test's failure
            outcomes[i] = f"error: {exc!r}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert outcomes.count("ok") == 1, outcomes
    refused = next(o for o in outcomes if o != "ok")
    assert "本次未保存" in refused, refused
    month = BudgetImport.objects.filter(congress=c, dataset="execution", year=2026, month=4)
    assert month.count() == 1 and month.get().is_current and month.get().revision == 1
    landed = month.get()
    assert ExecutionLine.objects.filter(month=4).count() == landed.rows  # nothing of the other file
