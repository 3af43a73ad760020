"""The kind budget_warning on the engine: opening and lifting, the loop from 待甄别 to 已销号
with its refusals, the answer clock in working days, the unit's inbox and to-do list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.urls import reverse

from lvzhi.budget.models import WarningDetail
from lvzhi.budget.rules import Finding
from lvzhi.budget.testing import budget_world
from lvzhi.budget.warnings import lift, open_warning
from lvzhi.cases.deadlines import calendar_for
from lvzhi.cases.engine import fire
from lvzhi.cases.models import Assignment, AssignmentState, Case, RuleSet
from lvzhi.cases.todo import counts
from lvzhi.cases.workflow import InvalidInput, NotAllowed, WrongState

pytestmark = pytest.mark.django_db


def finding(code: str = "105001", rule: str = "progress_behind", **kw) -> Finding:
    base = dict(rule=rule, key=f"unit:{code}", title=f"{code} 支出进度落后序时进度18.5个百分点",
                unit_code=code, year=2026, month=6, measured=Decimal("31.50"), threshold=Decimal("15.00"),
                basis="《预算法》第六十三条；本级预算执行序时进度要求",
                evidence={"预算数（万元）": "12000.00", "支出数（万元）": "3780.00", "序时进度": "50.0%"})
    base.update(kw)
    return Finding(**base)


@pytest.fixture
def bw(world):
    return budget_world(world)


def test_open_warning_raises_one_warning_with_its_figures(bw):
    case = open_warning(bw.world.congress, finding())
    assert case.kind == "budget_warning" and case.state == "raised" and case.state_label == "待甄别"
    assert case.number == "2026年预算预警第0001号"
    d = case.budget_warning_detail
    assert d.unit == bw.units["105001"] and d.open_key == "2026|progress_behind|unit:105001"
    assert d.measured == Decimal("31.50") and d.threshold == Decimal("15.00") and d.month == 6
    assert d.evidence["序时进度"] == "50.0%"
    assert case.events.get().name == "open"
    assert bw.officer.notifications.get().text.startswith("新的预算预警待甄别：2026年预算预警第0001号")
    # The database refuses a second open warning of the same cause.
    with pytest.raises(IntegrityError):
        open_warning(bw.world.congress, finding())


def test_lift_records_why_and_frees_the_cause(bw):
    case = open_warning(bw.world.congress, finding())
    lifted = lift(case, "6月数据支出进度已达序时进度")
    assert lifted.state == "lifted"
    event = lifted.events.order_by("seq").last()
    assert event.name == "lift" and event.actor is None
    assert event.payload["summary"] == "最新数据显示预警原因已消除：6月数据支出进度已达序时进度"
    d = WarningDetail.objects.get(case=case)
    assert d.open_key is None and d.lifted_at is not None
    again = open_warning(bw.world.congress, finding())  # the same cause may raise again later
    assert again.pk != case.pk


def test_the_loop_push_answer_ask_again_answer_accept(bw, world):
    case = open_warning(bw.world.congress, finding())
    handler = bw.handlers["105001"]
    education = bw.units["105001"].organization
    fire(case, "push", bw.officer, {"unit": education.pk, "note": "请说明进度落后原因"})
    case.refresh_from_db()
    assert case.state == "pushed"
    a = Assignment.objects.get(case=case)
    assert a.unit == education and a.state == AssignmentState.HANDLING
    assert case.budget_warning_detail.pushed_to == education

    # A deputy, another unit's handler, the 财经委 cannot answer; the unit without text gets Chinese.
    for outsider in (world.deputy_user, bw.handlers["108001"], bw.committee_staff, bw.officer):
        with pytest.raises(NotAllowed):
            fire(case, "answer", outsider, {"text": "已加快支出"})
    with pytest.raises(InvalidInput) as err:
        fire(case, "answer", handler, {"text": "  "})
    assert "请填写说明或整改情况" in err.value.message
    case.refresh_from_db()
    assert case.state == "pushed" and case.events.count() == 2

    fire(case, "answer", handler, {"text": "项目招标延后，6月底前完成支付"})
    case.refresh_from_db()
    assert case.state == "answered"
    a = Assignment.objects.get(case=case)
    assert a.state == AssignmentState.REPLIED and a.received_by == handler
    assert not case.deadlines.filter(met_at__isnull=True, cancelled=False).exists()
    with pytest.raises(NotAllowed):  # the unit cannot close its own warning
        fire(case, "accept", handler, {})

    fire(case, "ask_again", bw.officer, {"reason": "请说明具体支付计划和时间"})
    case.refresh_from_db()
    assert case.state == "pushed" and Assignment.objects.get(case=case).state == AssignmentState.HANDLING
    assert case.deadlines.filter(met_at__isnull=True, cancelled=False).count() == 1
    fire(case, "answer", handler, {"text": "7月15日前支付3000万元"})
    fire(case, "accept", bw.officer, {"note": "说明合理"})
    case.refresh_from_db()
    assert case.state == "closed" and case.state_label == "已销号" and case.closed_at is not None
    assert case.budget_warning_detail.open_key is None
    names = list(case.events.order_by("seq").values_list("name", flat=True))
    assert names == ["open", "push", "answer", "ask_again", "answer", "accept"]
    with pytest.raises(WrongState):
        fire(case, "ask_again", bw.officer, {"reason": "再说明"})


def test_dismiss_needs_a_reason_and_frees_the_cause(bw):
    case = open_warning(bw.world.congress, finding())
    with pytest.raises(InvalidInput) as err:
        fire(case, "dismiss", bw.officer, {"reason": ""})
    assert "请填写理由" in err.value.message
    with pytest.raises(NotAllowed):
        fire(case, "dismiss", bw.committee_staff, {"reason": "数据口径不同"})
    fire(case, "dismiss", bw.officer, {"reason": "年初预留资金，按规定下半年分配"})
    case.refresh_from_db()
    assert case.state == "dismissed" and case.budget_warning_detail.open_key is None


def test_push_offers_the_department_and_the_finance_bureau_only(bw, world):
    case = open_warning(bw.world.congress, finding())
    other = world.units[0]  # a handling unit that is neither
    with pytest.raises(InvalidInput):
        fire(case, "push", bw.officer, {"unit": other.pk})
    # A department without an organisation of its own goes to the finance bureau.
    city = open_warning(bw.world.congress, finding("101001"))
    from lvzhi.cases.engine import build_form

    form = build_form(city, city.kind_def.workflow.get("push"), bw.officer)
    assert list(form.fields["unit"].queryset) == [bw.finance_bureau]
    fire(city, "push", bw.officer, {"unit": bw.finance_bureau.pk})
    fire(city, "answer", bw.finance_handler, {"text": "已督促部门加快执行"})


def test_answer_clock_counts_working_days_from_the_rule_set(bw):
    rules, _ = RuleSet.objects.get_or_create(congress=bw.world.congress)
    rules.params = {**(rules.params or {}), "budget_warning_answer_workdays": 5}
    rules.save()
    case = open_warning(bw.world.congress, finding())
    friday = dt.datetime(2026, 7, 3, 10, 0, tzinfo=dt.UTC)  # a Friday
    fire(case, "push", bw.officer, {"unit": bw.units["105001"].organization.pk}, now=friday)
    d = case.deadlines.get()
    assert d.kind == "budget_warning_answer" and d.start_on == dt.date(2026, 7, 3)
    assert d.due_on == calendar_for(bw.world.congress.pk).add_workdays(dt.date(2026, 7, 3), 5)
    assert d.due_on == dt.date(2026, 7, 10)  # five working days: the weekend does not count
    assert d.assignment.unit == bw.units["105001"].organization


def test_default_answer_clock_is_ten_working_days(bw):
    case = open_warning(bw.world.congress, finding())
    monday = dt.datetime(2026, 7, 6, 10, 0, tzinfo=dt.UTC)
    fire(case, "push", bw.officer, {"unit": bw.units["105001"].organization.pk}, now=monday)
    assert case.deadlines.get().due_on == dt.date(2026, 7, 20)


def test_pushed_warning_is_in_the_units_inbox_and_todo(client, bw):
    case = open_warning(bw.world.congress, finding())
    handler = bw.handlers["105001"]
    client.force_login(handler)
    assert case.title not in client.get(reverse("cases:inbox")).content.decode()
    fire(case, "push", bw.officer, {"unit": bw.units["105001"].organization.pk})
    inbox = client.get(reverse("cases:inbox")).content.decode()
    assert case.title in inbox
    assert counts(handler).get("budget_warning_to_answer") == 1
    # Another department's handler sees neither the inbox entry nor the case.
    client.force_login(bw.handlers["108001"])
    assert case.title not in client.get(reverse("cases:inbox")).content.decode()
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_office_todo_lists_follow_the_states(bw):
    case = open_warning(bw.world.congress, finding())
    assert counts(bw.officer).get("budget_warning_raised") == 1
    fire(case, "push", bw.officer, {"unit": bw.units["105001"].organization.pk})
    fire(case, "answer", bw.handlers["105001"], {"text": "已说明原因"})
    got = counts(bw.officer)
    assert got.get("budget_warning_raised", 0) == 0 and got.get("budget_warning_answered") == 1
    assert Case.objects.filter(kind="budget_warning").count() == 1


def test_a_missed_answer_turns_red_and_the_sweep_tells_the_unit_once(bw):
    from lvzhi.cases.models import Event
    from lvzhi.cases.monitor import deadline_monitor
    from lvzhi.cases.sweep import sweep
    from lvzhi.core.models import Notification

    case = open_warning(bw.world.congress, finding())
    fire(case, "push", bw.officer, {"unit": bw.units["105001"].organization.pk})
    clock = case.deadlines.get()
    later = clock.due_on + dt.timedelta(days=1)
    assert sweep(later).overdue == 1
    event = Event.objects.get(case=case, name="became_overdue")
    assert event.payload["kind"] == "budget_warning_answer" and event.payload["unit"] == "市教育局"
    assert Notification.objects.filter(user=bw.handlers["105001"], text__startswith="已超期").exists()
    loads, overdue = deadline_monitor(bw.world.congress.pk, today=later)
    assert [x.pk for x in overdue] == [clock.pk]
    assert [(u.unit.name, u.red) for u in loads if u.red] == [("市教育局", 1)]
    assert sweep(later + dt.timedelta(days=2)).overdue == 0
