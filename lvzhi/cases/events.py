"""Appending to and verifying the SM3-chained event log.

One chain per congress holds the events of every subject: cases (`append_event`) and anything
else that must be auditable — a meeting, a ballot, a regulation draft, a filing batch, a budget
import (`append_subject_event`). Each row records which formula hashed it (`digest_version`):

* v1 — the rows written before subjects existed:
  SM3([prev_hash, seq, case_id, actor_id, name, from, to, payload, at]).
* v2 — every row appended now:
  SM3([2, prev_hash, seq, subject_type, subject_id, actor_id, name, from, to, payload, at]).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from lvzhi.cases.models import Case, ChainHead, Event
from lvzhi.core.crypto import sm3_hex
from lvzhi.core.models import User

GENESIS = "0" * 64
CASE = "case"
DIGEST_VERSION = 2  # what append_event / append_subject_event write
SUBJECT_TYPE = re.compile(r"^[a-z][a-z0-9_]{0,29}$")


def _canonical_hash(fields: list[Any]) -> str:
    canonical = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                           default=str)
    return sm3_hex(canonical)


def _at(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _digest(prev_hash: str, seq: int, case_id: int, actor_id: int | None, name: str,
            from_state: str, to_state: str, payload: dict[str, Any], at: dt.datetime) -> str:
    """Version 1, byte for byte the formula the first chains were written with. Do not change."""
    return _canonical_hash([prev_hash, seq, case_id, actor_id, name, from_state, to_state,
                            payload, _at(at)])


def _digest_v2(prev_hash: str, seq: int, subject_type: str, subject_id: int,
               actor_id: int | None, name: str, from_state: str, to_state: str,
               payload: dict[str, Any], at: dt.datetime) -> str:
    """Version 2: the subject instead of the case, and the version itself inside the hash."""
    return _canonical_hash([2, prev_hash, seq, subject_type, subject_id, actor_id, name,
                            from_state, to_state, payload, _at(at)])


def append_event(case: Case, actor: User | None, name: str, label: str, *, from_state: str,
                 to_state: str, payload: dict[str, Any], at: dt.datetime) -> Event:
    """Append one case event; must run inside the caller's transaction (the chain head is locked)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("append_event must run inside a transaction")
    return _append(case.congress_id, CASE, case.pk, case, actor, name, label,
                   from_state=from_state, to_state=to_state, payload=payload, at=at)


def append_subject_event(subject_type: str, subject_id: int, congress_id: int,
                         actor: User | None, name: str, label: str, *, payload: dict[str, Any],
                         at: dt.datetime, from_state: str = "", to_state: str = "") -> Event:
    """Append one event about a subject that is not a case (a meeting, a ballot, a draft, a
    filing batch, an import...) to its congress's chain; must run inside the caller's
    transaction, like append_event, and takes the same ChainHead lock."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("append_subject_event must run inside a transaction")
    if subject_type == CASE:
        raise ValueError("案件事件请用 append_event（它同时填写 case）")
    if not isinstance(subject_type, str) or not SUBJECT_TYPE.match(subject_type):
        raise ValueError(f"主体类型不合法：{subject_type!r}")
    if isinstance(subject_id, bool) or not isinstance(subject_id, int) or subject_id <= 0:
        raise ValueError(f"主体编号不合法：{subject_id!r}")
    return _append(congress_id, subject_type, subject_id, None, actor, name, label,
                   from_state=from_state, to_state=to_state, payload=payload, at=at)


def _append(congress_id: int, subject_type: str, subject_id: int, case: Case | None,
            actor: User | None, name: str, label: str, *, from_state: str, to_state: str,
            payload: dict[str, Any], at: dt.datetime) -> Event:
    ChainHead.objects.get_or_create(congress_id=congress_id)
    head = ChainHead.objects.select_for_update().get(congress_id=congress_id)
    seq = head.seq + 1
    # Round-trip the payload through JSON so the hash covers exactly what is stored.
    payload = json.loads(json.dumps(payload, ensure_ascii=False, default=str))
    actor_id = actor.pk if actor else None
    digest = _digest_v2(head.hash, seq, subject_type, subject_id, actor_id, name, from_state,
                        to_state, payload, at)
    event = Event.objects.create(
        congress_id=congress_id, seq=seq, subject_type=subject_type, subject_id=subject_id,
        case=case, digest_version=DIGEST_VERSION, actor=actor, actor_label=_actor_label(actor),
        name=name, label=label, from_state=from_state, to_state=to_state, payload=payload, at=at,
        prev_hash=head.hash, hash=digest,
    )
    head.seq, head.hash = seq, digest
    head.save(update_fields=["seq", "hash"])
    return event


def subject_events(subject_type: str, subject_id: int) -> QuerySet[Event]:
    """The events of one subject, oldest first (for a case, the same rows as case.events)."""
    return Event.objects.filter(subject_type=subject_type, subject_id=subject_id).order_by("seq")


def _actor_label(actor: User | None) -> str:
    if actor is None:
        return "系统"
    org = f"（{actor.organization}）" if actor.organization_id else ""
    return f"{actor.name}{org}"


def _row_digest(version: int, prev: str, seq: int, subject_type: str, subject_id: int,
                case_id: int | None, actor_id: int | None, name: str, f: str, t: str,
                payload: dict[str, Any], at: dt.datetime) -> str | None:
    """The hash the row should carry under the formula it claims, or None if it cannot be right.

    The columns a formula does not hash must agree with the ones it does, or they could be
    edited unseen: a v1 row hashes case_id, so its subject must be ("case", case_id); a v2 row
    hashes the subject, so case_id must be subject_id for a case and empty otherwise.
    Downgrading a row's digest_version from 2 to 1 does not help a forger either: the v1
    recomputation (no version, case_id in place of the subject) cannot equal the stored v2 hash,
    and v2 hashes the number 2 itself, so the row's claimed version is covered by its hash.
    """
    if version == 1:
        if case_id is None or subject_type != CASE or subject_id != case_id:
            return None
        return _digest(prev, seq, case_id, actor_id, name, f, t, payload, at)
    if version == 2:
        if case_id != (subject_id if subject_type == CASE else None):
            return None
        return _digest_v2(prev, seq, subject_type, subject_id, actor_id, name, f, t, payload, at)
    return None  # an unknown version never verifies


def verify_chain(congress_id: int) -> tuple[bool, int | None]:
    """Recompute every hash in order, each by its row's digest_version; returns (ok, seq of the
    first broken row)."""
    prev = GENESIS
    expected_seq = 1
    rows = (Event.objects.filter(congress_id=congress_id).order_by("seq")
            .values_list("seq", "digest_version", "subject_type", "subject_id", "case_id",
                         "actor_id", "name", "from_state", "to_state", "payload", "at",
                         "prev_hash", "hash"))
    for (seq, version, subject_type, subject_id, case_id, actor_id, name, f, t, payload, at,
         prev_hash, digest) in rows.iterator():
        if seq != expected_seq or prev_hash != prev:
            return False, expected_seq
        if _row_digest(version, prev, seq, subject_type, subject_id, case_id, actor_id, name, f,
                       t, payload, at) != digest:
            return False, seq
        prev, expected_seq = digest, seq + 1
    head = ChainHead.objects.filter(congress_id=congress_id).first()
    if head and (head.seq != expected_seq - 1 or head.hash != prev):
        return False, expected_seq  # rows were removed from the end
    return True, None
