"""/api/v1/budget/: the imports, the departments with their progress, the warnings with their state
and the 专项监督报告, each for the accounts its page is for; others are refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from lvzhi.api.tests.helpers import client_for
from lvzhi.budget import report
from lvzhi.budget.rules import Finding
from lvzhi.budget.testing import budget_world
from lvzhi.budget.tests.test_report import YEAR, execution
from lvzhi.budget.warnings import open_warning
from lvzhi.cases.engine import fire

pytestmark = pytest.mark.django_db


def _finding(code: str) -> Finding:
    return Finding(rule="progress", key=f"unit:{code}", title=f"{code}支出进度低于序时进度15.0个百分点",
                   unit_code=code, year=YEAR, month=3, measured=Decimal("15.00"), threshold=Decimal("10.00"),
                   basis="《中华人民共和国预算法》第五十七条")


def test_authorized_reads(world):
    bw = budget_world(world)
    execution(bw)
    pushed = open_warning(world.congress, _finding("105001"))
    pushed = fire(pushed, "push", bw.officer, {"unit": bw.handlers["105001"].organization_id, "note": ""}).case
    open_warning(world.congress, _finding("108001"))
    made = report.create(bw.officer, world.congress, dt.date(YEAR, 1, 1), timezone.localdate())

    officer = client_for(bw.officer)
    deps = officer.get("/api/v1/budget/departments/").json()
    assert (deps["year"], deps["month"], deps["time_progress"]) == (YEAR, 3, 25.0)
    edu = next(r for r in deps["results"] if r["code"] == "105001")
    assert (edu["name"], edu["budget"], edu["spent"], edu["progress"], edu["gap"]) == (
        "市教育局", "1000.00", "100.00", 10.0, -15.0)
    assert officer.get("/api/v1/budget/departments/", {"month": "1"}).json()["time_progress"] == 8.3
    assert officer.get("/api/v1/budget/departments/", {"month": "13"}).status_code == 400

    imports = officer.get("/api/v1/budget/imports/", {"current": "1"}).json()
    assert imports["count"] == 5 and {i["dataset_label"] for i in imports["results"]} >= {"批准的预算", "月度执行"}

    warnings = officer.get("/api/v1/budget/warnings/").json()["results"]
    assert {(w["unit_code"], w["state"], w["state_label"]) for w in warnings} == {
        ("105001", "pushed", "待说明"), ("108001", "raised", "待甄别")}
    assert warnings[0]["rule_label"] == "支出进度低于序时进度"
    only = officer.get("/api/v1/budget/warnings/", {"state": "pushed"}).json()["results"]
    assert [w["id"] for w in only] == [pushed.pk] and only[0]["pushed_to"] == "市教育局"

    reports = officer.get("/api/v1/budget/reports/").json()["results"]
    assert [r["id"] for r in reports] == [made.pk] and reports[0]["figures"]["warnings"]["raised"] == 2
    assert reports[0]["download"] == f"/budget/reports/{made.pk}/download/"

    # the department sees only what was pushed to it
    unit = client_for(bw.handlers["105001"])
    assert [w["id"] for w in unit.get("/api/v1/budget/warnings/").json()["results"]] == [pushed.pk]
    # a deputy reads the departments' progress
    assert client_for(world.deputy_user).get("/api/v1/budget/departments/").status_code == 200


def test_others_are_refused(world):
    bw = budget_world(world)
    execution(bw)
    unit = client_for(bw.handlers["108001"])
    for url in ("/api/v1/budget/departments/", "/api/v1/budget/imports/", "/api/v1/budget/reports/"):
        r = unit.get(url)
        assert r.status_code == 403 and "开放" in r.json()["detail"], url
    deputy = client_for(world.deputy_user)
    assert deputy.get("/api/v1/budget/reports/").status_code == 403
    assert deputy.get("/api/v1/budget/imports/").status_code == 403  # who imported, and correction notes
    assert deputy.get("/api/v1/budget/departments/").status_code == 200
    for url in ("/api/v1/budget/departments/", "/api/v1/budget/warnings/", "/api/v1/budget/reports/"):
        assert APIClient().get(url).status_code == 401
    other = client_for(world.other_congress_clerk)
    assert other.get("/api/v1/budget/imports/").status_code == 403
