"""The states of a key task: its own drafting and approval, then the shared handling codes
(registered / handling / replied / closed) under the key task's own labels."""

from __future__ import annotations

from lvzhi.cases.handling.states import CLOSED, HANDLING, REGISTERED, REPLIED
from lvzhi.cases.kinds import State

DRAFTING = "drafting"
PENDING = "pending_approval"
CANCELLED = "cancelled"

STATES = (
    State(DRAFTING, "起草中", "secondary"),
    State(PENDING, "待主任会议审定", "info"),
    State(REGISTERED, "已审定待分解", "primary"),
    State(HANDLING, "推进中", "primary"),
    State(REPLIED, "销号待审定", "warning"),
    State(CLOSED, "已销号", "dark", terminal=True),
    State(CANCELLED, "已撤销", "secondary", terminal=True),
)
OPEN_STATES = [REGISTERED, HANDLING, REPLIED]  # approved, not yet closed (未销号)

__all__ = ["CANCELLED", "CLOSED", "DRAFTING", "HANDLING", "OPEN_STATES", "PENDING", "REGISTERED",
           "REPLIED", "STATES"]
