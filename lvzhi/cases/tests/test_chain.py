"""The SM3 event chain is append-only: a changed or removed row is found by verify_chain."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from lvzhi.cases.events import verify_chain
from lvzhi.cases.models import Event
from lvzhi.cases.tests.strategies import advance, build_cast, new_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def chained():
    """A congress whose chain holds a handful of real events."""
    cast = build_cast()
    case = advance(cast, new_case(cast), "registered")
    congress_id = cast.world.congress.pk
    assert verify_chain(congress_id) == (True, None)
    assert Event.objects.filter(congress_id=congress_id).count() >= 4
    return cast, case, congress_id


def _raw(sql: str, params: list) -> None:
    """Tamper as someone with DDL rights would: drop the append-only trigger first."""
    drop = {"sqlite": "DROP TRIGGER IF EXISTS cases_event_no_update",
            "postgresql": "DROP TRIGGER IF EXISTS cases_event_no_update ON cases_event"}
    with connection.cursor() as cur:
        cur.execute(drop[connection.vendor])
        cur.execute(sql.replace("{t}", Event._meta.db_table), params)


def test_database_refuses_updates_to_events(chained):
    _cast, _case, congress_id = chained
    target = Event.objects.filter(congress_id=congress_id).order_by("seq")[1]
    with pytest.raises(DatabaseError, match="只能追加"), transaction.atomic():
        Event.objects.filter(pk=target.pk).update(to_state="closed")
    assert verify_chain(congress_id) == (True, None)


@pytest.mark.parametrize("column, value", [
    ("payload", '{"number": "伪造的案号"}'),
    ("actor_id", None),
    ("to_state", "closed"),
    ("name", "register_forged"),
])
def test_tampered_row_is_reported_at_its_seq(chained, column, value):
    _cast, _case, congress_id = chained
    target = Event.objects.filter(congress_id=congress_id).order_by("seq")[2]
    _raw(f"UPDATE {{t}} SET {column} = %s WHERE id = %s", [value, target.pk])
    assert verify_chain(congress_id) == (False, target.seq)


def test_rewritten_hash_breaks_the_next_link(chained):
    """Recomputing a forged row's own hash does not help: the next row's prev_hash disagrees."""
    _cast, _case, congress_id = chained
    rows = list(Event.objects.filter(congress_id=congress_id).order_by("seq"))
    _raw("UPDATE {t} SET hash = %s WHERE id = %s", ["f" * 64, rows[1].pk])
    ok, seq = verify_chain(congress_id)
    assert not ok and seq == rows[1].seq


def test_deleted_last_row_is_reported(chained):
    _cast, _case, congress_id = chained
    last = Event.objects.filter(congress_id=congress_id).order_by("-seq").first()
    _raw("DELETE FROM {t} WHERE id = %s", [last.pk])
    assert verify_chain(congress_id) == (False, last.seq)


def test_deleted_middle_row_is_reported(chained):
    _cast, _case, congress_id = chained
    middle = Event.objects.filter(congress_id=congress_id).order_by("seq")[1]
    _raw("DELETE FROM {t} WHERE id = %s", [middle.pk])
    assert verify_chain(congress_id) == (False, middle.seq)


def test_other_congress_chain_is_independent(chained):
    cast, _case, congress_id = chained
    other = cast.world.other_congress_clerk.congress_id
    _raw("UPDATE {t} SET payload = %s WHERE congress_id = %s AND seq = 1", ['{"x": 1}', congress_id])
    assert verify_chain(congress_id) == (False, 1)
    assert verify_chain(other) == (True, None)  # an empty chain is intact


def test_event_save_and_delete_are_refused(chained):
    _cast, _case, congress_id = chained
    event = Event.objects.filter(congress_id=congress_id).order_by("seq").first()
    event.label = "改过的"
    with pytest.raises(ValueError, match="只能追加"):
        event.save()
    with pytest.raises(ValueError, match="只能追加"):
        event.delete()
    assert Event.objects.get(pk=event.pk).label != "改过的"
    assert verify_chain(congress_id) == (True, None)

