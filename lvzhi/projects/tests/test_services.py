"""The round as the clerks and deputies go through it: stages enforced, 差额 enforced, the
vote counted at once, ties revoted, implementation dates checked, refusals change nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lvzhi.projects import services
from lvzhi.projects.models import (
    IdeaSource,
    LivelihoodProject,
    Milestone,
    ProjectBallot,
    ProjectIdea,
    Stage,
    Threshold,
    TieRule,
)
from lvzhi.projects.tests.conftest import END, START, add_candidates, in_review, new_round
from lvzhi.votes.ballots import VoteRefused
from lvzhi.votes.models import Ballot, BoxState

pytestmark = pytest.mark.django_db


def test_public_idea_gets_a_receipt_and_collecting_closes(world):
    rnd = new_round(world)
    idea = services.submit_idea(rnd, source=IdeaSource.PUBLIC, title="小区加装电梯", content="老楼没有电梯",
                                ip="10.0.0.1")
    assert len(idea.receipt) == services.RECEIPT_LENGTH
    with pytest.raises(services.ProjectRefused, match="须登录"):
        services.submit_idea(rnd, source=IdeaSource.DEPUTY, title="x", content="y")
    services.advance(world.office_clerk, rnd, Stage.SCREENING)
    with pytest.raises(services.ProjectRefused, match="征集已经结束"):
        services.submit_idea(rnd, source=IdeaSource.PUBLIC, title="晚到的建议", content="z")
    assert ProjectIdea.objects.count() == 1


def test_candidates_only_in_screening_and_dates_checked(world):
    rnd = new_round(world)
    with pytest.raises(services.ProjectRefused, match="初定"):
        add_candidates(world, rnd, 1)
    services.advance(world.office_clerk, rnd, Stage.SCREENING)
    with pytest.raises(services.ProjectRefused, match="完成日期不能早于开始日期"):
        services.add_candidate(world.handlers[0], rnd, title="社区食堂", budget_wan=Decimal(300),
                               department=world.units[0], location="城东区", start_on=END, end_on=START,
                               expected="助餐")
    assert rnd.candidates.count() == 0


def test_more_candidates_than_places_before_review(world):
    rnd = new_round(world, places=10)
    services.advance(world.office_clerk, rnd, Stage.SCREENING)
    add_candidates(world, rnd, 10)
    with pytest.raises(services.ProjectRefused, match="须多于正式项目数10个"):
        services.advance(world.office_clerk, rnd, Stage.REVIEW)
    rnd.refresh_from_db()
    assert rnd.stage == Stage.SCREENING and rnd.published_at is None
    add_candidates(world, rnd, 2)
    assert services.advance(world.office_clerk, rnd, Stage.REVIEW).published_at is not None


def _vote(world, rnd, pattern):
    box = services.open_vote(world.office_clerk, rnd)
    for d, marks in zip(world.deputies, pattern, strict=False):
        services.cast(box, d.user, marks)
    return box


def test_vote_counted_at_once_and_projects_chosen(world):
    rnd = in_review(world, n=12, places=10, threshold=Threshold.NONE)
    codes = [str(i) for i in range(1, 13)]
    box = _vote(world, rnd, [codes[:10]] * 11 + [codes[2:12]])
    assert box.max_marks == 10 and box.min_marks == 1 and box.electorate_size == 12
    services.close_vote(world.office_clerk, box)
    rnd.refresh_from_db()
    assert rnd.stage == Stage.IMPLEMENTING
    chosen = list(LivelihoodProject.objects.filter(round=rnd).values_list("candidate__code", "votes"))
    assert [c for c, _ in chosen] == [str(i) for i in range(3, 11)] + ["1", "2"]
    assert chosen[0][1] == 12


def test_over_n_and_blank_ballots_are_invalid_and_not_counted(world):
    rnd = in_review(world, n=3, places=2, threshold=Threshold.NONE)
    box = services.open_vote(world.office_clerk, rnd)
    assert services.cast(box, world.deputies[0].user, ["1", "2", "3"]).valid is False
    assert services.cast(box, world.deputies[1].user, []).valid is False
    assert services.cast(box, world.deputies[2].user, ["1"]).valid is True
    with pytest.raises(VoteRefused, match="已经投过票"):
        services.cast(box, world.deputies[0].user, ["1"])
    services.close_vote(world.office_clerk, box)
    box.refresh_from_db()
    assert box.tally == {"cast": 3, "invalid": 2, "counts": {"1": 1, "2": 0, "3": 0}}
    assert list(rnd.projects.values_list("candidate__code", flat=True)) == ["1"]


def test_threshold_all_deputies_leaves_a_place_empty(world):
    rnd = in_review(world, n=3, places=2)  # 全体代表过半数: more than 6 of 12
    box = _vote(world, rnd, [["1", "2"]] * 6 + [["1", "3"]] * 2)
    services.close_vote(world.office_clerk, box)
    assert list(rnd.projects.values_list("candidate__code", flat=True)) == ["1"]  # 8 > 6; 6 is not


def test_a_tie_at_the_cut_off_opens_a_revote_among_the_tied(world):
    rnd = in_review(world, n=4, places=2, threshold=Threshold.NONE, tie_rule=TieRule.REVOTE)
    box = _vote(world, rnd, [["1", "2"]] * 4 + [["1", "3"]] * 4 + [["1", "4"]] * 2)
    revote = services.close_vote(world.office_clerk, box)
    assert revote.pk != box.pk and revote.revote_of_id == box.pk and revote.state == BoxState.OPEN
    assert [c for c, _ in revote.choices] == ["2", "3"] and revote.max_marks == 1
    for d, code in zip(world.deputies, ["2"] * 7 + ["3"] * 5, strict=True):
        services.cast(revote, d.user, [code])
    services.close_vote(world.office_clerk, revote)
    assert list(rnd.projects.values_list("candidate__code", "rank")) == [("1", 1), ("2", 2)]


def test_paper_ballots_double_entry(world):
    rnd = in_review(world, n=3, places=2, threshold=Threshold.NONE)
    box = services.open_vote(world.office_clerk, rnd, paper=True)
    assert box.paper and box.electorate_size == 12
    services.enter_paper(world.office_clerk, box, cast_n=12, invalid=1, counts={"1": 10, "2": 8, "3": 4})
    with pytest.raises(VoteRefused, match="两次录入不一致"):
        services.enter_paper(world.clerk, box, cast_n=12, invalid=1, counts={"1": 10, "2": 7, "3": 4})
    assert rnd.projects.count() == 0
    closed = services.enter_paper(world.clerk, box, cast_n=12, invalid=1, counts={"1": 10, "2": 8, "3": 4})
    assert closed.state == BoxState.CLOSED
    assert list(rnd.projects.values_list("candidate__code", flat=True)) == ["1", "2"]


@pytest.fixture
def project(world) -> LivelihoodProject:
    rnd = in_review(world, n=3, places=2, threshold=Threshold.NONE)
    box = _vote(world, rnd, [["1", "2"]] * 12)
    services.close_vote(world.office_clerk, box)
    return rnd.projects.get(rank=1)


def test_a_milestone_after_the_project_end_is_refused(world, project):
    with pytest.raises(services.ProjectRefused, match="晚于项目完成日期2026年11月30日"):
        services.add_milestone(world.handlers[0], project, title="竣工验收", weight=1,
                               planned_on=END + dt.timedelta(days=1))
    assert Milestone.objects.count() == 0


def test_progress_rolls_up_and_lagging_shows(world, project):
    a = services.add_milestone(world.handlers[0], project, title="招标", weight=1, planned_on=dt.date(2026, 4, 1))
    services.add_milestone(world.handlers[0], project, title="施工", weight=3, planned_on=dt.date(2026, 9, 1))
    assert services.progress(project) == 0
    assert services.is_lagging(project, today=dt.date(2026, 4, 10)) is True  # 招标 overdue
    services.complete_milestone(world.handlers[0], a, dt.date(2026, 3, 28), today=dt.date(2026, 4, 10))
    assert services.progress(project) == 25
    assert services.is_lagging(project, today=dt.date(2026, 4, 10)) is False
    project.refresh_from_db()
    assert project.completed_on is None


def test_year_end_grading_one_box_per_project(world, project):
    rnd = project.round
    boxes = services.open_grading(world.office_clerk, rnd)
    assert len(boxes) == 2
    for d in world.deputies[:10]:
        services.grade(d.user, boxes[0], "satisfied")
    services.grade(world.deputies[10].user, boxes[0], "unsatisfied")
    services.close_grading(world.office_clerk, rnd)
    boxes[0].refresh_from_db()
    assert services.satisfaction_share(boxes[0]) == 90  # 10 of 11
    rnd.refresh_from_db()
    assert rnd.stage == Stage.EVALUATED


def test_the_vote_cannot_open_before_review(world):
    rnd = new_round(world)
    with pytest.raises(services.ProjectRefused, match="审议"):
        services.open_vote(world.office_clerk, rnd)
    assert ProjectBallot.objects.count() == 0 and Ballot.objects.count() == 0
