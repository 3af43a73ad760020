"""The keyed event chain is append-only: a changed or removed row is found by verify_chain.

Tampering by someone who also rewrites the hashes, the head or the checkpoints: test_tamper.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from lvzhi.cases.engine import record
from lvzhi.cases.events import (
    DIGEST_VERSION,
    GENESIS,
    _actor_label,
    _digest,
    _digest_v2,
    append_event,
    append_subject_event,
    subject_events,
    verify_chain,
)
from lvzhi.cases.models import ChainHead, Event
from lvzhi.cases.tests.strategies import advance, build_cast, new_case
from lvzhi.testing import draft

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def checkpoint_file(tmp_path, settings):
    """Never the checkout's var/audit-checkpoints.log."""
    settings.LVZHI_AUDIT_CHECKPOINT_FILE = str(tmp_path / "audit-checkpoints.log")


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



# ------------------------------------------------------------------ subjects and digest versions

def _meeting_event(congress_id: int, actor, meeting_id: int = 41, **payload) -> Event:
    with transaction.atomic():
        return append_subject_event("meeting", meeting_id, congress_id, actor, "convene", "召开会议",
                                    payload=payload or {"agenda": ["审议建议办理情况"]},
                                    at=timezone.now(), from_state="planned", to_state="held")


@pytest.fixture
def mixed(chained):
    """Case events, then a meeting event, then another case event — one chain."""
    cast, case, congress_id = chained
    meeting = _meeting_event(congress_id, cast.world.clerk)
    with transaction.atomic():
        after = record(case, "note", "备注", cast.world.clerk, {"text": "会后跟进"})
    return cast, case, congress_id, meeting, after


def test_subject_event_joins_the_chain_between_case_events(mixed):
    _cast, case, congress_id, meeting, after = mixed
    assert verify_chain(congress_id) == (True, None)
    assert after.seq == meeting.seq + 1 and meeting.prev_hash == Event.objects.get(
        congress_id=congress_id, seq=meeting.seq - 1).hash
    assert (meeting.subject_type, meeting.subject_id, meeting.case_id) == ("meeting", 41, None)
    assert meeting.digest_version == after.digest_version == DIGEST_VERSION == 3
    assert (after.subject_type, after.subject_id, after.case_id) == ("case", case.pk, case.pk)
    assert list(subject_events("meeting", 41)) == [meeting]
    assert meeting not in case.events.all()
    assert list(subject_events("case", case.pk)) == list(case.events.order_by("seq"))


def test_append_functions_refuse_to_run_outside_a_transaction(world, monkeypatch):
    case = draft(world)
    monkeypatch.setattr(connection, "in_atomic_block", False)
    with pytest.raises(RuntimeError, match="inside a transaction"):
        append_subject_event("ballot", 1, world.congress.pk, None, "open", "开始表决",
                             payload={}, at=timezone.now())
    with pytest.raises(RuntimeError, match="inside a transaction"):
        append_event(case, None, "note", "备注", from_state="draft", to_state="draft",
                     payload={}, at=timezone.now())


@pytest.mark.parametrize("subject_type, subject_id", [
    ("case", 1), ("", 1), ("Meeting", 1), ("meeting", 0), ("meeting", -3), ("meeting", "7"),
])
def test_append_subject_event_refuses_bad_subjects(world, subject_type, subject_id):
    with pytest.raises(ValueError), transaction.atomic():
        append_subject_event(subject_type, subject_id, world.congress.pk, None, "open", "开始",
                             payload={}, at=timezone.now())
    assert not Event.objects.filter(congress=world.congress, subject_type=subject_type).exists()


@pytest.mark.parametrize("column, value", [
    ("subject_id", 42),
    ("subject_type", "ballot"),
    ("payload", '{"agenda": ["伪造的议程"]}'),
    ("case_id", "CASE"),  # a v2 meeting row moved onto a case's timeline
])
def test_tampered_subject_row_is_reported_at_its_seq(mixed, column, value):
    _cast, case, congress_id, meeting, _after = mixed
    _raw(f"UPDATE {{t}} SET {column} = %s WHERE id = %s",
         [case.pk if value == "CASE" else value, meeting.pk])
    assert verify_chain(congress_id) == (False, meeting.seq)


@pytest.mark.parametrize("column, value", [
    ("subject_id", "OTHER"),  # hashed in v3
    ("case_id", "OTHER"),     # not hashed in v3, but must agree with subject_id
    ("case_id", None),
    ("actor_label", "冒名的操作人"),  # hashed since v3
    ("label", "撤回建议"),
])
def test_tampered_v3_case_row_is_reported(mixed, column, value):
    cast, _case, congress_id, _meeting, after = mixed
    other = draft(cast.world, deputy_index=4)
    _raw(f"UPDATE {{t}} SET {column} = %s WHERE id = %s",
         [other.pk if value == "OTHER" else value, after.pk])
    assert verify_chain(congress_id) == (False, after.seq)


def test_v1_digest_is_byte_for_byte_the_original_formula():
    """Pinned against the formula chains were first written with: changing it strands them."""
    at = dt.datetime(2026, 3, 1, 9, 30, 0, 123456, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert _digest(GENESIS, 1, 7, 3, "register", "submitted", "registered",
                   {"number": "京建〔2026〕1号", "n": 2}, at) == (
        "bab90f3d52249c3b823130eb142fa7a657789e6ed91b28a23b9e18b157fc00d4")


def _append_legacy(case, actor, name: str, label: str, payload: dict, at: dt.datetime,
                   version: int = 1) -> Event:
    """Write a row exactly as append_event did before subjects existed (v1, plus the subject
    columns the 0005 migration fills for such rows) or before the chain was keyed (v2)."""
    head = ChainHead.objects.select_for_update().get(congress_id=case.congress_id)
    seq = head.seq + 1
    actor_id = actor.pk if actor else None
    if version == 1:
        digest = _digest(head.hash, seq, case.pk, actor_id, name, case.state, case.state,
                         payload, at)
    else:
        digest = _digest_v2(head.hash, seq, "case", case.pk, actor_id, name, case.state,
                            case.state, payload, at)
    event = Event.objects.create(
        congress_id=case.congress_id, seq=seq, case=case, subject_type="case", subject_id=case.pk,
        digest_version=version, actor=actor, actor_label=_actor_label(actor), name=name,
        label=label, from_state=case.state, to_state=case.state, payload=payload, at=at,
        prev_hash=head.hash, hash=digest)
    head.seq, head.hash = seq, digest
    head.save(update_fields=["seq", "hash"])
    return event


@pytest.fixture
def with_v1(world):
    """The chain of an upgraded database: old v1 rows, then v2 rows, then the v3 rows written
    since (unkeyed rows only ever come first)."""
    case = draft(world)
    with connection.cursor() as cur:  # the draft's own v3 event is not part of that history
        cur.execute("DELETE FROM cases_event WHERE congress_id = %s", [world.congress.pk])
    ChainHead.objects.filter(congress=world.congress).update(seq=0, hash=GENESIS)
    with transaction.atomic():
        old = [_append_legacy(case, world.clerk, "note", "备注", {"text": f"旧记录{i}"},
                              timezone.now()) for i in range(2)]
        old.append(_append_legacy(case, world.clerk, "note", "备注", {"text": "v2 记录"},
                                  timezone.now(), version=2))
    _meeting_event(world.congress.pk, world.clerk)
    with transaction.atomic():
        record(case, "note", "备注", world.clerk, {"text": "新记录"})
    congress_id = world.congress.pk
    versions = list(Event.objects.filter(congress_id=congress_id).order_by("seq")
                    .values_list("digest_version", flat=True))
    assert versions == [1, 1, 2, 3, 3]
    return case, congress_id, old


def test_v1_and_v2_rows_still_verify_before_v3_rows(with_v1):
    _case, congress_id, _old = with_v1
    assert verify_chain(congress_id) == (True, None)


@pytest.mark.parametrize("index", [1, 2])
def test_tampered_v1_or_v2_row_is_reported(with_v1, index):
    _case, congress_id, old = with_v1
    _raw("UPDATE {t} SET payload = %s WHERE id = %s", ['{"text": "改过的"}', old[index].pk])
    assert verify_chain(congress_id) == (False, old[index].seq)


@pytest.mark.parametrize("column, value", [
    ("subject_id", 99999),       # not hashed in v1, but must equal case_id
    ("subject_type", "meeting"),
    ("case_id", None),           # a v1 row without a case cannot be right
])
def test_v1_row_with_inconsistent_subject_is_reported(with_v1, column, value):
    _case, congress_id, old = with_v1
    _raw(f"UPDATE {{t}} SET {column} = %s WHERE id = %s", [value, old[0].pk])
    assert verify_chain(congress_id) == (False, old[0].seq)


def test_downgraded_digest_version_is_detected(mixed):
    """A v3 row relabelled v1 or v2 is recomputed with that unkeyed formula, which cannot
    reproduce its HMAC; and an unkeyed row after a v3 row is refused whatever its hash."""
    _cast, _case, congress_id, meeting, after = mixed
    for version in (1, 2):
        _raw("UPDATE {t} SET digest_version = %s WHERE id = %s", [version, after.pk])
        assert verify_chain(congress_id) == (False, after.seq)
    _raw("UPDATE {t} SET digest_version = 3 WHERE id = %s", [after.pk])
    assert verify_chain(congress_id) == (True, None)
    # A non-case row relabelled v1 is refused outright: v1 rows always have a case.
    _raw("UPDATE {t} SET digest_version = 1 WHERE id = %s", [meeting.pk])
    assert verify_chain(congress_id) == (False, meeting.seq)


def test_upgraded_or_unknown_digest_version_is_detected(with_v1):
    _case, congress_id, old = with_v1
    _raw("UPDATE {t} SET digest_version = 2 WHERE id = %s", [old[0].pk])
    assert verify_chain(congress_id) == (False, old[0].seq)
    _raw("UPDATE {t} SET digest_version = 3 WHERE id = %s", [old[0].pk])
    assert verify_chain(congress_id) == (False, old[0].seq)
    _raw("UPDATE {t} SET digest_version = 4 WHERE id = %s", [old[0].pk])
    assert verify_chain(congress_id) == (False, old[0].seq)
