"""50 deputies voting at once on their phones, ten of them pressing twice: every ballot lands
once, no deputy votes twice, and the count is exact (real threads and commits)."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from lvzhi.projects import services
from lvzhi.projects.models import ProjectBallot, Threshold
from lvzhi.projects.tests.conftest import in_review
from lvzhi.testing import build_world
from lvzhi.votes.ballots import VoteRefused
from lvzhi.votes.models import Ballot, VoteCast

pytestmark = pytest.mark.django_db(transaction=True)


def test_fifty_concurrent_voters_no_double_vote_exact_tally():
    world = build_world(n_deputies=50)
    rnd = in_review(world, n=12, places=10, threshold=Threshold.NONE)
    box = services.open_vote(world.office_clerk, rnd)
    voters = [d.user for d in world.deputies] + [d.user for d in world.deputies[:10]]  # 10 press twice
    # deputy i marks candidates 1..(i % 10 + 1): candidate k gets one vote per deputy with i % 10 >= k - 1
    marks = [[str(k) for k in range(1, i % 10 + 2)] for i in range(50)]
    marks += marks[:10]  # the second press sends the same ballot again
    barrier = threading.Barrier(len(voters))
    outcomes = [""] * len(voters)

    def run(i: int) -> None:
        try:
            barrier.wait()
            services.cast(ProjectBallot.objects.get(pk=box.pk), voters[i], marks[i])
            outcomes[i] = "ok"
        except VoteRefused as exc:
            outcomes[i] = exc.message
        except Exception as exc:  # an unexpected error is the test's failure
            outcomes[i] = f"error: {exc!r}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(voters))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert outcomes.count("ok") == 50, outcomes
    assert outcomes.count("您已经投过票，每人只能投一票") == 10, outcomes
    assert Ballot.objects.filter(box_id=box.pk).count() == 50
    assert VoteCast.objects.filter(box_id=box.pk, voted=True).count() == 50
    services.close_vote(world.office_clerk, ProjectBallot.objects.get(pk=box.pk))
    tally = ProjectBallot.objects.get(pk=box.pk).tally
    assert tally["cast"] == 50 and tally["invalid"] == 0
    # candidate k is marked by the deputies with i % 10 >= k - 1: 5 of each ten
    assert tally["counts"] == {str(k): 5 * (11 - k) for k in range(1, 11)} | {"11": 0, "12": 0}
    assert list(rnd.projects.order_by("rank").values_list("candidate__code", flat=True)) == [
        str(k) for k in range(1, 11)]
