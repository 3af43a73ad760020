"""The states of a hotline order (kind `hotline_order`).

pending ──assign_deputy (代表工委)──▶ supervising ──close (the deputy, or the 代表工委)──▶ closed
   └────────── the import refreshes what 12345 says in any state (refresh) ───────────┘
The deputy follows a supervised order with the unit (follow: notes, visits, urging) until
the closure and the citizen's rating are recorded.
"""

from __future__ import annotations

from lvzhi.cases.kinds import State

PENDING = "pending"
SUPERVISING = "supervising"
CLOSED = "closed"

STATES = (
    State(PENDING, "待分派代表", "info"),
    State(SUPERVISING, "代表督办中", "primary"),
    State(CLOSED, "已办结", "dark", terminal=True),
)
