"""Driving key tasks through the real engine in tests (no shortcut writes)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lvzhi.cases.engine import fire, open_case
from lvzhi.cases.models import Case
from lvzhi.keytasks.services import start_dispatch
from lvzhi.testing import World

TITLE = "制定《北辰市物业管理条例》"
BODY = "完成条例草案起草、征求意见和常委会审议，年内提请表决通过。"
PROGRESS = "已完成立法调研，形成条例草案初稿，正在征求市直部门意见。"
EVIDENCE = "条例已经市人大常委会第二十次会议表决通过，常委会公告第12号。"


def task_data(world: World, **overrides: Any) -> dict[str, Any]:
    today = dt.date.today()
    data = {"title": TITLE, "year": today.year, "category": "立法", "body": BODY,
            "responsible_leader": world.leader.pk, "planned_lead": world.committee.pk,
            "due_on": (today + dt.timedelta(days=60)).isoformat(),
            "milestones": f"{today + dt.timedelta(days=20)} 完成立法调研\n"
                          f"{today + dt.timedelta(days=40)} 提请常委会审议"}
    data.update(overrides)
    return data


def open_task(world: World, **overrides: Any) -> Case:
    return open_case("key_task", "open", world.office_clerk, task_data(world, **overrides),
                     congress_id=world.congress.pk).case


def to_handling(world: World, case: Case | None = None, co: list[int] | None = None,
                **overrides: Any) -> Case:
    case = case or open_task(world, **overrides)
    fire(case, "submit_for_approval", world.office_clerk)
    fire(case, "approve", world.leader, {"note": "同意"})
    fire(case, "assign", world.office_clerk, {"mode": "lead", "lead": world.committee.pk, "co": co or []})
    case.refresh_from_db()
    return case


def dispatch(world: World, due_in: int = 5):
    return start_dispatch(world.office_clerk, dt.date.today() + dt.timedelta(days=due_in))


def report(world: World, case: Case, percent: int = 40, **extra: Any):
    lead = case.assignments.get(unit=world.committee)
    return fire(case, "report_progress", world.committee_staff,
                {"assignment": lead.pk, "text": PROGRESS, "percent": percent, **extra})
