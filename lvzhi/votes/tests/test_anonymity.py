"""The ballot cannot be linked back to the member: given every row the database holds, no
column joins a ballot to a roll row or a member, and the ballots' order (by key, and on SQLite
by the hidden rowid) does not follow the voting order."""

from __future__ import annotations

import pytest
from django.db import connection, models

from lvzhi.cases.models import Event
from lvzhi.votes import services
from lvzhi.votes.models import Ballot, Grade, VoteCast
from lvzhi.votes.tests.conftest import add_members, new_vote

pytestmark = pytest.mark.django_db

# 30 members voting in a fixed pattern: the chance that a random order repeats it is ~1e-13.
PATTERN = [Grade.SATISFIED, Grade.BASIC, Grade.UNSATISFIED] * 10


def _columns(model) -> set[str]:
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, model._meta.db_table)}


def test_no_column_links_a_ballot_to_a_member():
    assert _columns(Ballot) == {"id", "box_id", "marks", "valid"}
    assert isinstance(Ballot._meta.pk, models.UUIDField)
    for f in Ballot._meta.concrete_fields:
        assert not isinstance(f, models.DateTimeField | models.DateField | models.AutoField), f.name
        assert not f.is_relation or f.name == "box", f.name
    # The roll says who voted, never what or when.
    assert _columns(VoteCast) == {"id", "box_id", "voter_id", "voted", "marks"}
    # ...and a secret box leaves the roll's marks empty (checked on every row below).


def _voted(world, n_extra: int = 17):
    members = add_members(world, extra=n_extra)[:30]
    vote = services.open_vote(new_vote(world), world.office_clerk)
    for member, grade in zip(members, PATTERN, strict=True):
        services.cast(vote, member, [grade])
    return members, vote


def test_ballot_order_does_not_follow_the_voting_order(world):
    _members, vote = _voted(world)
    by_key = [b.marks[0] for b in Ballot.objects.filter(box=vote).order_by("id")]
    assert sorted(by_key) == sorted(PATTERN) and by_key != PATTERN  # random keys while open
    services.close_vote(vote, world.office_clerk)
    by_key = [b.marks[0] for b in Ballot.objects.filter(box=vote).order_by("id")]
    assert by_key != PATTERN
    if connection.vendor == "sqlite":  # the hidden insertion order is shuffled at closing
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT marks FROM {Ballot._meta.db_table} ORDER BY rowid")
            stored = [row[0] for row in cursor.fetchall()]
        assert stored != [f'["{g}"]' for g in PATTERN] and len(stored) == 30


def test_the_roll_keeps_the_opening_order_not_the_voting_order(world):
    members = add_members(world, extra=17)[:30]
    vote = services.open_vote(new_vote(world), world.office_clerk)
    for member in reversed(members):  # vote in the reverse of the roll's order
        services.cast(vote, member, [Grade.SATISFIED])
    roll = list(VoteCast.objects.filter(box=vote).order_by("id").values_list("voter_id", flat=True))
    assert roll == [m.user_id for m in members]  # the row ids say nothing of who voted first


def test_nothing_recorded_names_a_member_beside_a_grade(world):
    members, vote = _voted(world)
    services.close_vote(vote, world.office_clerk)
    # The chain: open and close by the clerk, and one receipt per ballot with neither voter nor
    # grade; no member acts on any event, and the roll keeps no marks in a secret box.
    member_users = {m.user_id for m in members}
    assert not Event.objects.filter(actor_id__in=member_users).exists()
    receipts = Event.objects.filter(subject_type="ballot", subject_id=vote.pk, name="ballot_cast")
    assert receipts.count() == 30 and not receipts.exclude(actor=None).exists()
    assert all(set(e.payload) == {"receipt"} for e in receipts)
    assert not VoteCast.objects.filter(box=vote).exclude(marks=None).exists()
