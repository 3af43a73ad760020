"""A 票决 ballot cannot be joined to its deputy from the stored rows: the roll says who voted,
never what; the ballots carry no voter, no time, and their order does not follow the votes;
the audit chain holds each cast's receipt with no actor and no choice."""

from __future__ import annotations

import pytest

from lvzhi.cases.models import Event
from lvzhi.projects import services
from lvzhi.projects.models import ProjectBallot, Threshold
from lvzhi.projects.tests.conftest import in_review
from lvzhi.votes.models import Ballot, VoteCast

pytestmark = pytest.mark.django_db


def test_a_secret_ballot_cannot_be_joined_to_its_voter(world):
    rnd = in_review(world, n=12, places=10, threshold=Threshold.NONE)
    box = services.open_vote(world.office_clerk, rnd)
    # each deputy marks a distinct set, so a join would show at once
    pattern = {d.user.pk: [str(i % 12 + 1)] for i, d in enumerate(world.deputies)}
    receipts = [services.cast(box, d.user, pattern[d.user.pk]).receipt for d in world.deputies]
    services.close_vote(world.office_clerk, box)
    box = ProjectBallot.objects.get(pk=box.pk)
    assert box.secret
    assert all(row.marks is None for row in VoteCast.objects.filter(box=box))  # the roll: who, not what
    assert {f.name for f in Ballot._meta.concrete_fields} == {"id", "box", "marks", "valid"}
    events = Event.objects.filter(subject_type="ballot", subject_id=box.pk, name="ballot_cast")
    assert events.count() == 12
    for e in events:
        assert e.actor_id is None and set(e.payload) == {"receipt"}
    assert sorted(e.payload["receipt"] for e in events) == sorted(receipts)
    # the ballots' stored order (by their random keys) is not the voting order
    voted_order = [pattern[d.user.pk] for d in world.deputies]
    stored = [b.marks for b in Ballot.objects.filter(box=box).order_by("id")]
    assert sorted(map(tuple, stored)) == sorted(map(tuple, voted_order)) and stored != voted_order
