"""A filing through the engine: filed late, material asked for and added, registered with a
receipt, distributed with the 法工委 leading, a committee's opinion and finding, 沟通 → 审查中止 →
refiling → 审查终止; every step told to the maker."""

from __future__ import annotations

import datetime as dt

import pytest

from lvzhi.cases.engine import fire
from lvzhi.cases.models import AssignmentRole, Deadline
from lvzhi.core.models import Notification
from lvzhi.filing import clocks, states
from lvzhi.filing.choices import Criterion, Outcome
from lvzhi.filing.testing import file_document, make_filing, pdf
from lvzhi.filing.tests import kind_fixtures

pytestmark = pytest.mark.django_db
fw = kind_fixtures.fw


def test_late_filing_to_termination_after_refiling(fw):
    clerk, filer = fw.law_clerk, fw.govfiler
    case = file_document(fw, late=True)
    d = case.filing_detail
    assert case.state == states.FILED and d.late_days > 0
    assert Notification.objects.filter(user=clerk, text__contains="逾期").exists()

    fire(case, "ask_supplement", clerk, {"request": "请补充制定依据材料"})
    case.refresh_from_db()
    assert case.state == states.SUPPLEMENTING
    assert Deadline.objects.filter(case=case, kind=clocks.SUPPLEMENT, met_at__isnull=True).exists()
    assert Notification.objects.filter(user=filer, text__contains="补充备案材料").exists()
    fire(case, "supplement", filer, {"note": "已补充"}, {"file": pdf("依据.pdf")})
    fire(case, "register", clerk)
    case.refresh_from_db()
    assert case.state == states.REGISTERED and case.number.startswith("备")
    assert Notification.objects.filter(user=filer, text__contains="备案回执").exists()

    fire(case, "distribute", clerk, {"committees": [fw.committees[0].pk, fw.committees[1].pk]})
    case.refresh_from_db()
    lead = case.assignments.get(role=AssignmentRole.LEAD)
    assert lead.unit == fw.affairs and case.assignments.filter(role=AssignmentRole.CO).count() == 2
    review = Deadline.objects.get(case=case, kind=clocks.REVIEW)
    assert review.start_on == case.registered_at.date()

    staff = fw.committee_staff[0]
    co = case.assignments.get(unit=fw.committees[0])
    fire(case, "give_co_opinion", staff, {"assignment": co.pk, "opinion": "第八条设定罚款与行政处罚法不一致。"})
    fire(case, "record_finding", staff, {"criterion": Criterion.UPPER_LAW, "provision": "第八条",
                                         "upper_law": "《中华人民共和国行政处罚法》第十六条",
                                         "reason": "行政规范性文件不得设定罚款，超越权限。"})
    fire(case, "communicate", clerk, {"text": "第八条与上位法不一致，请研究修改。"})
    due = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    fire(case, "agree_plan", filer, {"plan": "删除第八条，重新印发。", "plan_due_on": due})
    case.refresh_from_db()
    assert case.state == states.SUSPENDED
    fire(case, "refile", filer, {"note": "已删除第八条并重新印发。"}, {"file": pdf("修改后.pdf")})
    case.refresh_from_db()
    assert case.state == states.HANDLING and case.round == 2
    fire(case, "terminate", clerk, {"outcome": Outcome.CORRECTED, "text": "制定机关已纠正，审查终止。"})
    case.refresh_from_db()
    assert case.state == states.TERMINATED and case.filing_detail.outcome == Outcome.CORRECTED
    assert Notification.objects.filter(user=filer, text__contains="审查结果").exists()
    assert not Deadline.objects.filter(case=case, met_at__isnull=True, cancelled=False).exists()


@pytest.mark.parametrize("state", [states.FILED, states.SUPPLEMENTING, states.RETURNED, states.REGISTERED,
                                   states.HANDLING, states.COMMUNICATING, states.SUSPENDED, states.OPINION_SENT,
                                   states.PROPOSED, states.CORRECTION_ORDERED, states.TERMINATED, states.REVOKED])
def test_make_filing_reaches_every_state(world, state):
    case = make_filing(world, state=state)
    assert case.state == state
