"""The projects' demo year on the small test world: two districts' rounds (phone and paper),
the chosen projects' progress, and the year-end grading, all as the services counted them."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pytest

from lvzhi.projects import demo, services
from lvzhi.projects.models import LivelihoodProject, ProjectGrading, ProjectRound, Stage
from lvzhi.votes.models import BoxState

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 2)


def test_the_demo_year(world):
    out = io.StringIO()
    demo.build(SimpleNamespace(city=world.congress, today=TODAY, latest=TODAY, _log=out.write))
    rounds = {r.congress.short_name: r for r in ProjectRound.objects.filter(congress__parent=world.congress)}
    assert set(rounds) == {"城东区人大", "城西区人大"}
    east, west = rounds["城东区人大"], rounds["城西区人大"]
    assert (east.candidates.count(), east.projects.count()) == (12, 10)
    assert (west.candidates.count(), west.projects.count()) == (15, 12)
    assert east.ideas.values("source").distinct().count() == 3 and east.explanation

    phone = east.ballots.get()
    assert not phone.paper and phone.tally["cast"] == 38 and phone.tally["invalid"] == 1
    paper = west.ballots.get()
    assert paper.paper and paper.state == BoxState.CLOSED and paper.tally["cast"] == 44
    assert paper.paper_entry == {}  # the two clerks' entries matched and closed the box

    projects = list(LivelihoodProject.objects.filter(round__in=[east, west]).select_related("candidate"))
    assert any(p.completed_on for p in projects)
    assert any(services.is_lagging(p, TODAY) for p in projects)
    assert any(not p.completed_on and not services.is_lagging(p, TODAY) for p in projects)
    total = sum(p.candidate.budget_wan for p in projects if p.round_id == east.pk)
    assert 10_000 <= total <= 100_000  # a few 亿元
    assert east.mid_report and west.mid_report

    east.refresh_from_db()
    assert east.stage == Stage.EVALUATED
    gradings = list(ProjectGrading.objects.filter(project__round=east))
    assert len(gradings) == 10 and all(g.state == BoxState.CLOSED and g.tally["cast"] == 36 for g in gradings)
    assert all(services.satisfaction_share(g) is not None for g in gradings)
    assert "城东区人大12选10" in demo.summary(world.congress)


def test_the_deputies_inspect_the_projects(world):
    from lvzhi.deputies.activity_models import Activity, ActivityKind

    demo.build(SimpleNamespace(city=world.congress, today=TODAY, latest=TODAY, _log=lambda s: None))
    visits = Activity.objects.filter(congress__short_name="城东区人大", kind=ActivityKind.INSPECTION)
    assert visits.count() == 2 and all("民生实事" in v.title for v in visits)
    assert all(v.participations.count() == 11 for v in visits)
