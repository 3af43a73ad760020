"""One member, one ballot, even when the member's phone sends the ballot from several threads
at once (real threads and commits: SQLite's IMMEDIATE transactions queue them; on PostgreSQL the
box row lock and the conditional roll update do)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from lvzhi.testing import build_world
from lvzhi.votes import services
from lvzhi.votes.models import Ballot, Grade, SatisfactionVote, VoteCast
from lvzhi.votes.tests.conftest import add_members, new_vote

pytestmark = pytest.mark.django_db(transaction=True)


def _race(n: int, work) -> list[str]:
    """Run work(i) in n threads released together; returns each one's outcome."""
    barrier = threading.Barrier(n)
    outcomes: list[str] = [""] * n

    def run(i: int) -> None:
        try:
            barrier.wait()
            outcomes[i] = work(i)
        except services.VoteRefused as exc:
            outcomes[i] = exc.message
        except Exception as exc:  # an unexpected error is the test's failure
            outcomes[i] = f"error: {exc!r}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcomes


@pytest.fixture
def box():
    world = build_world()
    members = add_members(world)
    vote = services.open_vote(new_vote(world), world.office_clerk)
    return world, members, vote


def test_a_member_cannot_vote_twice_even_concurrently(box):
    _world, members, vote = box
    member = members[3]
    outcomes = _race(6, lambda i: "ok" if services.cast(SatisfactionVote.objects.get(pk=vote.pk), member,
                                                        [Grade.SATISFIED if i % 2 else Grade.UNSATISFIED])
                     is not None else "")
    assert outcomes.count("ok") == 1, outcomes
    assert outcomes.count("您已经投过票，每人只能投一票") == 5, outcomes
    assert Ballot.objects.filter(box=vote).count() == 1
    assert VoteCast.objects.filter(box=vote, voted=True).count() == 1


def test_many_members_at_once_lose_no_ballot(box):
    world, members, vote = box
    outcomes = _race(8, lambda i: "ok" if services.cast(SatisfactionVote.objects.get(pk=vote.pk), members[i],
                                                        [Grade.SATISFIED]) else "invalid")
    assert outcomes == ["ok"] * 8
    closed = services.close_vote(SatisfactionVote.objects.get(pk=vote.pk), world.office_clerk)
    assert closed.count(Grade.SATISFIED) == 8 and closed.passed is True  # 8 of 13


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="row locks under concurrent writers are PostgreSQL's (SQLite serialises them)")
def test_on_postgresql_a_close_racing_casts_counts_exactly_the_ballots_in(box):
    world, members, vote = box

    def work(i: int) -> str:
        if i == 0:
            services.close_vote(SatisfactionVote.objects.get(pk=vote.pk), world.office_clerk)
            return "closed"
        return "ok" if services.cast(SatisfactionVote.objects.get(pk=vote.pk), members[i], [Grade.BASIC]) else ""

    outcomes = _race(10, work)
    assert outcomes[0] == "closed"
    assert set(outcomes[1:]) <= {"ok", "表决已经结束，不能再投票"}, outcomes
    closed = SatisfactionVote.objects.get(pk=vote.pk)
    cast = outcomes[1:].count("ok")
    assert closed.count(Grade.BASIC) == cast == VoteCast.objects.filter(box=vote, voted=True).count()
