"""The read API an outside system uses: rounds, candidates, the count and the projects' progress."""

from __future__ import annotations

import pytest

from lvzhi.api.tests.helpers import client_for
from lvzhi.projects import services
from lvzhi.projects.models import Threshold
from lvzhi.projects.tests.conftest import in_review

pytestmark = pytest.mark.django_db


def test_round_with_result_and_progress(world):
    rnd = in_review(world, n=3, places=2, threshold=Threshold.NONE)
    box = services.open_vote(world.office_clerk, rnd)
    for d in world.deputies:
        services.cast(box, d.user, ["1", "3"])
    services.close_vote(world.office_clerk, box)
    client = client_for(world.leader)
    listed = client.get("/api/v1/projects/").json()
    assert [r["id"] for r in listed["results"]] == [rnd.pk]
    body = client.get(f"/api/v1/projects/{rnd.pk}/").json()
    assert len(body["candidates"]) == 3 and body["stage_label"] == "实施监督"
    assert body["results"][0]["cast"] == 12
    assert [(p["title"], p["votes"], p["progress"]) for p in body["projects"]] == [
        ("候选项目1", 12, 0), ("候选项目3", 12, 0)]
    other = client_for(world.other_congress_clerk)
    assert other.get(f"/api/v1/projects/{rnd.pk}/").status_code in (403, 404)
