"""Appending to and verifying the SM3-chained event log."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.db import transaction

from lvzhi.cases.models import Case, ChainHead, Event
from lvzhi.core.crypto import sm3_hex
from lvzhi.core.models import User

GENESIS = "0" * 64


def _digest(prev_hash: str, seq: int, case_id: int, actor_id: int | None, name: str,
            from_state: str, to_state: str, payload: dict[str, Any], at: dt.datetime) -> str:
    canonical = json.dumps(
        [prev_hash, seq, case_id, actor_id, name, from_state, to_state, payload,
         at.astimezone(dt.UTC).isoformat(timespec="microseconds")],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str,
    )
    return sm3_hex(canonical)


def append_event(case: Case, actor: User | None, name: str, label: str, *, from_state: str,
                 to_state: str, payload: dict[str, Any], at: dt.datetime) -> Event:
    """Append one event; must run inside the caller's transaction (the chain head is locked)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("append_event must run inside a transaction")
    ChainHead.objects.get_or_create(congress_id=case.congress_id)
    head = ChainHead.objects.select_for_update().get(congress_id=case.congress_id)
    seq = head.seq + 1
    # Round-trip the payload through JSON so the hash covers exactly what is stored.
    payload = json.loads(json.dumps(payload, ensure_ascii=False, default=str))
    actor_id = actor.pk if actor else None
    digest = _digest(head.hash, seq, case.pk, actor_id, name, from_state, to_state, payload, at)
    event = Event.objects.create(
        congress_id=case.congress_id, seq=seq, case=case, actor=actor,
        actor_label=_actor_label(actor), name=name, label=label, from_state=from_state,
        to_state=to_state, payload=payload, at=at, prev_hash=head.hash, hash=digest,
    )
    head.seq, head.hash = seq, digest
    head.save(update_fields=["seq", "hash"])
    return event


def _actor_label(actor: User | None) -> str:
    if actor is None:
        return "系统"
    org = f"（{actor.organization}）" if actor.organization_id else ""
    return f"{actor.name}{org}"


def verify_chain(congress_id: int) -> tuple[bool, int | None]:
    """Recompute every hash in order; returns (ok, seq of the first broken row)."""
    prev = GENESIS
    expected_seq = 1
    rows = (Event.objects.filter(congress_id=congress_id).order_by("seq")
            .values_list("seq", "case_id", "actor_id", "name", "from_state", "to_state",
                         "payload", "at", "prev_hash", "hash"))
    for seq, case_id, actor_id, name, f, t, payload, at, prev_hash, digest in rows.iterator():
        if seq != expected_seq or prev_hash != prev:
            return False, expected_seq
        if _digest(prev, seq, case_id, actor_id, name, f, t, payload, at) != digest:
            return False, seq
        prev, expected_seq = digest, seq + 1
    head = ChainHead.objects.filter(congress_id=congress_id).first()
    if head and (head.seq != expected_seq - 1 or head.hash != prev):
        return False, expected_seq  # rows were removed from the end
    return True, None
