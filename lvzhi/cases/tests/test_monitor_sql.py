"""The deadline monitor counts open clocks in SQL: its red and yellow are exactly the lights
each clock shows (deadline_light), on every day of a clock's life; the page lists the longest
overdue first and says how many there are; the Excel carries every overdue clock."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from lvzhi.cases import monitor
from lvzhi.cases.clocks import duty_codes
from lvzhi.cases.deadlines import Light, Lights, rules_for, start_clock
from lvzhi.cases.handling import DeadlineKind
from lvzhi.cases.models import Deadline
from lvzhi.core.workdays import WorkCalendar
from lvzhi.testing import draft, to_state

pytestmark = pytest.mark.django_db
K = DeadlineKind


def by_hand(congress_id: int, today: dt.date) -> dict[int, tuple[int, int, int]]:
    """unit → (open, red, yellow) from each open duty's own light, as the old monitor did."""
    lights = Lights(today)
    n, red, yellow = Counter(), Counter(), Counter()
    for d in Deadline.objects.filter(case__congress_id=congress_id, met_at__isnull=True, cancelled=False,
                                     kind__in=duty_codes(), assignment__isnull=False).select_related("assignment"):
        light = lights.of(d, congress_id).light
        u = d.assignment.unit_id
        n[u] += 1
        red[u] += light == Light.RED
        yellow[u] += light == Light.YELLOW
    return {u: (n[u], red[u], yellow[u]) for u in n}


def test_sql_counts_are_the_lights_on_every_day(world):
    first = to_state(world, draft(world), "handling")            # reply (months) + co-opinion (1 month)
    to_state(world, draft(world, deputy_index=3), "handling")
    rules, cal = rules_for(world.congress.pk), WorkCalendar.for_congress(world.congress.pk)
    # a working-day clock on a unit's assignment: its yellow is counted in working days
    start_clock(first, K.INTERIM_ASSIGN, dt.date(2026, 11, 4), rules, cal,
                assignment=first.assignments.get(unit=world.units[0]))
    co = first.deadlines.get(kind=K.CO_OPINION).due_on
    reply = first.deadlines.get(kind=K.REPLY).due_on
    days = [co + dt.timedelta(days=i) for i in range(-10, 4)]
    days += [reply + dt.timedelta(days=i) for i in (-16, -15, -14, -1, 0, 1)]
    days += [dt.date(2026, 11, 4) + dt.timedelta(days=i) for i in range(0, 12)]
    for today in days:
        loads = monitor.unit_loads(world.congress.pk, Lights(today))
        got = {x.unit.pk: (x.open, x.red, x.yellow) for x in loads}
        assert got == by_hand(world.congress.pk, today), today


def test_the_page_says_how_many_and_the_excel_has_them_all(world, client, monkeypatch):
    monkeypatch.setattr(monitor, "OVERDUE_LIMIT", 2)
    cases = []
    for i, late in enumerate((3, 9, 6)):
        case = to_state(world, draft(world, deputy_index=i * 3), "handling")
        Deadline.objects.filter(case=case, kind=K.REPLY).update(
            due_on=timezone.localdate() - dt.timedelta(days=late))
        cases.append(case)
    client.force_login(world.clerk)
    html = client.get(reverse("cases:monitor")).content.decode()
    assert "已超期（3）" in html and "以下列出超期最久的2项；全部3项请导出超期清单（Excel）" in html
    assert html.count("data-overdue-row=") == 2
    assert html.index("超期9天") < html.index("超期6天") and "超期3天" not in html  # longest first

    response = client.get(reverse("cases:monitor_xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    texts = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert [t for t in texts if t.startswith("超期") and t.endswith("天")] == ["超期9天", "超期6天", "超期3天"]
    assert "共3项超期。" in texts
    assert {c.number for c in cases} <= set(texts)


def test_monitor_reads_stay_few_with_many_open_clocks(world, django_assert_max_num_queries):
    for i in range(4):
        case = to_state(world, draft(world, deputy_index=i * 2), "handling")
        Deadline.objects.filter(case=case, kind=K.REPLY).update(
            due_on=timezone.localdate() - dt.timedelta(days=i + 1))
    Lights(timezone.localdate()).rules(world.congress.pk)  # the rule set's cache, filled once
    # overdue rows with their cases, the cases' assignments, the counts per unit, the units
    with django_assert_max_num_queries(6):
        loads, overdue = monitor.deadline_monitor(world.congress.pk)
    assert len(overdue) == 4 and sum(x.red for x in loads) == 4
