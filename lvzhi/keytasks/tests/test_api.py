"""The key task over the shared API: its own fields in `detail`, its transitions by name."""

from __future__ import annotations

import pytest

from lvzhi.api.tests.helpers import case_url, client_for, fire
from lvzhi.keytasks.tests.helpers import PROGRESS, dispatch, to_handling

pytestmark = pytest.mark.django_db


def test_detail_and_a_report_over_the_api(world):
    case = to_handling(world)
    dispatch(world)
    staff = client_for(world.committee_staff)
    body = staff.get(case_url(case.pk)).json()
    assert body["kind"] == "key_task" and body["state"] == "handling"
    assert body["detail"]["responsible_leader"] == world.leader.name
    assert {t["name"] for t in body["available_transitions"]} == {"report_progress", "mark_milestone",
                                                                 "acknowledge"}
    lead = case.assignments.get()
    bad = fire(staff, case.pk, "report_progress", {"assignment": lead.pk, "text": PROGRESS, "percent": 120},
               expect=400)
    assert "完成进度应为0到100之间的整数" in str(bad)
    fire(staff, case.pk, "report_progress", {"assignment": lead.pk, "text": PROGRESS, "percent": 35})
    detail = staff.get(case_url(case.pk)).json()["detail"]
    assert detail["last_progress"]["percent"] == 35 and detail["last_progress"]["on_time"] is True
    # A deputy does not find it at all.
    assert client_for(world.deputy_user).get(case_url(case.pk)).status_code == 404
