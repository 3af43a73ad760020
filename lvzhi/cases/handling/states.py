"""The states the shared handling transitions move between; a kind lists them among its own."""

from __future__ import annotations

from lvzhi.cases.kinds import State

REGISTERED = "registered"
HANDLING = "handling"
REPLIED = "replied"
CLOSED = "closed"

HANDLING_STATES = (
    State(REGISTERED, "已立案待交办", "primary"),
    State(HANDLING, "办理中", "primary"),
    State(REPLIED, "已答复待评价", "success"),
    State(CLOSED, "已办结", "dark", terminal=True),
)
ACTIVE = [REGISTERED, HANDLING, REPLIED]
