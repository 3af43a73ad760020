"""The API opens and drives a `problem` like every kind: the same endpoints, the kind's own
fields, and Chinese refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lvzhi.api.tests.helpers import CASES_URL, case_url, client_for, transition_url
from lvzhi.cases.models import Case
from lvzhi.supervision.tests.helpers import REPORT, topic_and_opinion

pytestmark = pytest.mark.django_db


def test_a_problem_through_the_api(world):
    opinion = topic_and_opinion(world)
    staff, office, head = (client_for(u) for u in (world.committee_staff, world.office_clerk,
                                                     world.head_of(world.units[0])))
    due = (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    r = staff.post(CASES_URL, {"kind": "problem", "title": "小区公共收益公开不规范",
                               "body": "部分小区公共收益未按规定公示，业主无从监督。", "due_on": due,
                               "opinion": opinion.pk}, format="json")
    assert r.status_code == 201, r.content.decode()
    pk = r.json()["id"]
    assert r.json()["detail"]["committee"] == world.committee.name
    assert r.json()["detail"]["opinion"] == opinion.title
    assert office.post(transition_url(pk, "enlist"), {}, format="json").status_code == 200
    r = office.post(transition_url(pk, "assign"), {"mode": "lead", "lead": world.units[0].pk, "co": []},
                    format="json")
    assert r.status_code == 200 and r.json()["state"] == "handling"
    detail = head.get(case_url(pk)).json()
    offered = {t["name"] for t in detail["available_transitions"]}
    assert "submit_rectification" in offered
    a = Case.objects.get(pk=pk).assignments.get().pk
    r = head.post(transition_url(pk, "submit_rectification"), {"assignment": a, "text": REPORT}, format="json")
    assert r.status_code == 400 and "整改报告须附佐证材料" in r.json()["detail"]
    r = head.post(transition_url(pk, "submit_rectification"),
                  {"assignment": a, "text": REPORT, "evidence": "市住建局〔2026〕45号"}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "replied"


def test_a_past_deadline_is_refused_by_the_api(world):
    staff = client_for(world.committee_staff)
    past = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    r = staff.post(CASES_URL, {"kind": "problem", "title": "小区公共收益公开不规范",
                               "body": "部分小区公共收益未按规定公示，业主无从监督。", "due_on": past},
                   format="json")
    assert r.status_code == 400 and "早于今天" in r.json()["detail"]
    assert not Case.objects.filter(kind="problem").exists()
