"""The deadline monitor as a clerk uses it: 超期N天 per clock, 催办 one case or a selection
(through the engine, one event each), the overdue list as Excel; and the reminder sweep
warning on each clock's own window."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from lvzhi.api.tests.helpers import CASES_URL, case_url, client_for
from lvzhi.cases import policy
from lvzhi.cases.deadlines import Light, rules_for, start_clock
from lvzhi.cases.engine import fire
from lvzhi.cases.handling import DeadlineKind
from lvzhi.cases.models import Deadline, Event
from lvzhi.cases.monitor import deadline_monitor
from lvzhi.cases.sweep import sweep
from lvzhi.cases.workflow import InvalidInput, NotAllowed
from lvzhi.core.models import Notification
from lvzhi.core.workdays import WorkCalendar
from lvzhi.testing import draft, to_state

pytestmark = pytest.mark.django_db
K = DeadlineKind


def overdue_case(world, days: int = 3, **overrides):
    """A case in handling whose lead unit's reply is `days` calendar days late. The due date is
    moved back directly: waiting three months is not an option in a test."""
    case = to_state(world, draft(world, **overrides), "handling")
    Deadline.objects.filter(case=case, kind=K.REPLY).update(
        due_on=timezone.localdate() - dt.timedelta(days=days))
    return case


def urge_events(case) -> list[Event]:
    return list(Event.objects.filter(case=case, name="urge"))


# ----------------------------------------------------------------------------- the reads

def test_monitor_counts_each_clock_by_its_own_window(world):
    case = to_state(world, draft(world), "handling")
    co = case.deadlines.get(kind=K.CO_OPINION)  # one month, yellow in its last 7 days
    lead, co_unit = world.units[0], world.units[1]

    loads, overdue = deadline_monitor(world.congress.pk, co.due_on - dt.timedelta(days=8))
    assert {(x.unit, x.yellow, x.red) for x in loads} == {(lead, 0, 0), (co_unit, 0, 0)}
    loads, overdue = deadline_monitor(world.congress.pk, co.due_on - dt.timedelta(days=7))
    assert {(x.unit, x.yellow, x.red) for x in loads} == {(lead, 0, 0), (co_unit, 1, 0)}

    loads, overdue = deadline_monitor(world.congress.pk, co.due_on + dt.timedelta(days=3))
    assert [(r.unit_name, r.status.label, r.status.days, r.status.unit_word) for r in overdue] == [
        (co_unit.name, "会办意见期限", 3, "天")]
    assert overdue[0].status.light == Light.RED and overdue[0].pk == co.pk


def test_overdue_working_day_clock_counts_working_days(world):
    case = to_state(world, draft(world), "handling")
    rules, cal = rules_for(world.congress.pk), WorkCalendar.for_congress(world.congress.pk)
    start = dt.date(2026, 11, 4)  # Wed; 5 working days → Wed 11 Nov
    start_clock(case, K.INTERIM_ASSIGN, start, rules, cal)
    _, overdue = deadline_monitor(world.congress.pk, dt.date(2026, 11, 16))  # Mon: 12, 13, 16
    row = next(r for r in overdue if r.kind == K.INTERIM_ASSIGN)
    assert (row.unit_name, row.status.text) == ("办理机构", "交办期限 超期3个工作日")


def test_sweep_reminds_a_working_day_clock_only_inside_its_window(world):
    """The 15-day warning made every 5-working-day window remind (and turn yellow) on day one."""
    case = to_state(world, draft(world), "handling")
    rules, cal = rules_for(world.congress.pk), WorkCalendar.for_congress(world.congress.pk)
    start = dt.date(2026, 11, 4)
    clock = start_clock(case, K.INTERIM_ASSIGN, start, rules, cal)  # due Wed 11 Nov
    sweep(start)
    clock.refresh_from_db()
    assert not clock.reminded
    sweep(dt.date(2026, 11, 6))  # Fri: 3 working days left
    clock.refresh_from_db()
    assert not clock.reminded
    sweep(dt.date(2026, 11, 9))  # Mon: 2 left
    clock.refresh_from_db()
    assert clock.reminded
    assert Notification.objects.filter(user=world.clerk, text__startswith="临期提醒",
                                       text__contains="交办期限").exists()


# ------------------------------------------------------------------------ 催办, the engine

def test_urge_presses_the_units_that_owe_something(world, django_capture_on_commit_callbacks):
    case = to_state(world, draft(world), "handling")
    assert policy.may_offer(case, world.clerk, "urge")
    assert not policy.may_offer(case, world.leader, "urge")
    with django_capture_on_commit_callbacks(execute=True):  # notifications go out on commit
        fire(case, "urge", world.clerk, {"note": "请于本周内报送答复"})
    [event] = urge_events(case)
    assert event.label == "催办"
    assert event.payload["units"] == [world.units[0].name, world.units[1].name]
    assert event.payload["note"] == "请于本周内报送答复"
    assert any("答复期限" in x for x in event.payload["deadlines"])
    case.refresh_from_db()
    assert case.state == "handling"
    for unit in world.units[:2]:
        texts = list(Notification.objects.filter(user=world.handler_of(unit), case=case,
                                                 text__startswith="催办").values_list("text", flat=True))
        assert texts and "请于本周内报送答复" in texts[0]
    assert not Notification.objects.filter(user=world.handler_of(world.units[2]), text__startswith="催办")


def test_urge_one_unit_only_and_refusals_change_nothing(world):
    case = to_state(world, draft(world), "handling")
    fire(case, "urge", world.clerk, {"units": [world.units[1].pk]})
    assert urge_events(case)[0].payload["units"] == [world.units[1].name]
    with pytest.raises(InvalidInput, match="没有未完成的期限"):
        fire(case, "urge", world.clerk, {"units": [world.units[2].pk]})  # not assigned
    with pytest.raises(InvalidInput, match="催办意见最多200字，当前201字"):
        fire(case, "urge", world.clerk, {"note": "快" * 201})
    with pytest.raises(NotAllowed):
        fire(case, "urge", world.handler_of(world.units[0]), {})
    assert len(urge_events(case)) == 1


def test_after_the_reply_only_an_open_promise_can_be_urged(world):
    case = to_state(world, draft(world), "replied")  # the reply promised a rule within 90 days
    assert case.commitments.filter(state="open").exists()
    fire(case, "urge", world.clerk, {})
    assert urge_events(case)[0].payload["units"][0] == world.units[0].name
    closed = to_state(world, draft(world, cosigners=1), "closed")
    assert not policy.may_offer(closed, world.clerk, "urge")


# ------------------------------------------------------------------------------ the page

def test_monitor_page_shows_how_late_and_offers_urge(client, world):
    case = overdue_case(world, days=3)
    client.force_login(world.clerk)
    html = client.get(reverse("cases:monitor")).content.decode()
    assert "超期3天" in html and "答复期限" in html and world.units[0].name in html
    assert case.number in html
    assert f'name="one" value="{case.pk}"' in html and 'data-select-all="case"' in html
    client.force_login(world.leader)  # the leader sees the list, not the buttons
    html = client.get(reverse("cases:monitor")).content.decode()
    assert "超期3天" in html and 'name="one"' not in html


def test_batch_urge_fires_once_per_case_and_lists_each(client, world):
    a, b = overdue_case(world, 3), overdue_case(world, 5, title="关于增设社区养老服务站的建议")
    closed = to_state(world, draft(world, cosigners=1), "closed")
    client.force_login(world.clerk)
    r = client.post(reverse("cases:monitor_urge"),
                    {"case": [a.pk, b.pk, closed.pk, a.pk], "note": "请抓紧"})
    assert r.status_code == 302 and r.url == reverse("cases:monitor")
    assert len(urge_events(a)) == 1 and len(urge_events(b)) == 1 and not urge_events(closed)
    html = client.get(reverse("cases:monitor")).content.decode()
    assert "已催办2件，1件未催办" in html
    assert f"{a.number}</a>：<span class=\"text-success\">已催办{world.units[0].name}" in html
    assert "不能执行“催办”" in html  # the closed case, with the engine's reason
    assert "已催办2件" not in client.get(reverse("cases:monitor")).content.decode()  # shown once


def test_row_button_urges_that_case_only(client, world):
    a, b = overdue_case(world, 3), overdue_case(world, 4)
    client.force_login(world.clerk)
    client.post(reverse("cases:monitor_urge"), {"case": [a.pk, b.pk], "one": str(b.pk), "note": ""})
    assert not urge_events(a) and len(urge_events(b)) == 1


@pytest.mark.parametrize("data, message", [
    ({"note": "请抓紧"}, "请先勾选要催办的事项"),
    ({"case": ["abc", "99999999999999999999999"]}, "请先勾选要催办的事项"),
    ({"case": "CASE", "note": "快" * 201}, "催办意见最多200字，当前201字"),
])
def test_bad_batch_urges_nothing(client, world, data, message):
    case = overdue_case(world, 3)
    data = {k: (case.pk if v == "CASE" else v) for k, v in data.items()}
    client.force_login(world.clerk)
    client.post(reverse("cases:monitor_urge"), data)
    html = client.get(reverse("cases:monitor")).content.decode()
    assert message in html and "未催办任何事项" in html
    assert not urge_events(case)


def test_deputy_and_units_cannot_use_the_monitor(client, world):
    case = overdue_case(world, 3)
    for user in (world.deputy_user, world.handler_of(world.units[0])):
        client.force_login(user)
        assert client.get(reverse("cases:monitor")).status_code == 403
        assert client.get(reverse("cases:monitor_xlsx")).status_code == 403
        assert client.post(reverse("cases:monitor_urge"), {"case": [case.pk]}).status_code == 403
    assert not urge_events(case)


def test_overdue_list_exports_to_excel(client, world):
    case = overdue_case(world, 3)
    client.force_login(world.clerk)
    r = client.get(reverse("cases:monitor_xlsx"))
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in r["Content-Disposition"] and ".xlsx" in r["Content-Disposition"]
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    assert ws.title == "超期事项"
    assert "北辰市人大常委会 超期事项" in ws["A1"].value
    header = [c.value for c in ws[2]]
    assert header == ["案号", "标题", "承办单位", "期限", "截止日期", "超期", "超期天数", "计算单位"]
    row = [c.value for c in ws[3]]
    assert row[:4] == [case.number, case.title, world.units[0].name, "答复期限"]
    assert row[4].date() == timezone.localdate() - dt.timedelta(days=3)  # a real date
    assert row[5:] == ["超期3天", 3, "天"]


# ------------------------------------------------------------------- the same light elsewhere

def test_case_list_page_and_api_say_which_deadline_and_how_far(client, world):
    case = overdue_case(world, 3)
    client.force_login(world.clerk)
    html = client.get(reverse("cases:list")).content.decode()
    assert "答复期限 超期3天" in html
    api = client_for(world.clerk)
    row = next(x for x in api.get(CASES_URL).json()["results"] if x["id"] == case.pk)
    assert row["light"] == {"light": "red", "light_label": "超期", "label": "答复期限", "days": 3,
                            "unit": "天", "text": "答复期限 超期3天"}
    assert row["next_deadline"]["light"] == "red"  # the old fields stay
    detail = api.get(case_url(case.pk)).json()
    lead = next(a for a in detail["assignments"] if a["role"] == "lead")
    assert lead["deadline"]["text"] == "答复期限 超期3天"
    assert detail["light"]["text"] == "答复期限 超期3天"


def test_case_page_clock_card_says_how_far(client, world):
    case = overdue_case(world, 3)
    client.force_login(world.clerk)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "答复期限 超期3天" in html
    co_due = case.deadlines.get(kind=K.CO_OPINION).due_on
    assert f"会办意见期限 剩{(co_due - timezone.localdate()).days}天" in html


def test_deputy_list_names_the_deadline(client, world):
    case = to_state(world, draft(world), "replied")
    client.force_login(world.deputy_user)
    html = client.get(reverse("my_cases")).content.decode()
    evaluation = case.deadlines.get(kind=K.EVALUATION)
    left = WorkCalendar.for_congress(world.congress.pk).workdays_between(timezone.localdate(), evaluation.due_on)
    assert f"代表评价期限 剩{left}个工作日" in html


def test_monitor_page_runs_constant_queries(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.clerk)
    overdue_case(world, 3)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("cases:monitor")).status_code == 200
        return len(ctx.captured_queries)

    count()  # warm-up: the first request may save the session and fill per-process caches
    few = count()
    for i in range(5):
        overdue_case(world, 4 + i)
    assert count() == few
