"""Writes of the suggestions app that start from no case: a deputy's draft."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lvzhi.cases.engine import open_case
from lvzhi.cases.models import Case
from lvzhi.cases.workflow import InvalidInput, NotAllowed
from lvzhi.core.models import Role, Session, User


def create_draft(actor: User, data: dict[str, Any], *, session: Session | None = None,
                 now: dt.datetime | None = None) -> Case:
    """A deputy starts a suggestion or motion: the kind's `open` transition, through the engine."""
    deputy = getattr(actor, "deputy", None)
    if actor.role != Role.DEPUTY or deputy is None:
        raise NotAllowed("只有人大代表可以提出议案建议")
    if not deputy.is_active:
        raise NotAllowed(f"您当前的代表状态为“{deputy.get_status_display()}”，不能提出议案建议")
    kind = data.get("kind") or "suggestion"
    if kind not in ("suggestion", "motion"):
        raise InvalidInput("类型只能是建议或议案", {"kind": ["类型只能是建议或议案"]})
    return open_case(kind, "open", actor, data, congress_id=deputy.congress_id, now=now,
                     session=session).case
