"""The states of a citizen's request (kind `citizen_request`, 代表码上见).

群众 → 代表 → 政府 → 代表 → 群众:

received ──accept / meet──▶ accepted ──forward──▶ forwarded ──unit_reply──▶ unit_replied
   │                          │                                               │
   ├──────────────── answer / to_suggestion (the deputy) ◀────────────────────┘
   │                          ▼
   └─decline─▶ declined    answered ──rate (the citizen)──▶ closed
                              │  └── the rating window lapses ──▶ closed (未评价)
                              └── reopen (the citizen, once) ──▶ accepted
"""

from __future__ import annotations

from lvzhi.cases.kinds import State

RECEIVED = "received"
ACCEPTED = "accepted"
FORWARDED = "forwarded"
UNIT_REPLIED = "unit_replied"
ANSWERED = "answered"
CLOSED = "closed"
DECLINED = "declined"

STATES = (
    State(RECEIVED, "待代表受理", "info"),
    State(ACCEPTED, "代表办理中", "primary"),
    State(FORWARDED, "已转交单位办理", "primary"),
    State(UNIT_REPLIED, "单位已答复代表", "warning"),
    State(ANSWERED, "已答复群众待评价", "success"),
    State(CLOSED, "已办结", "dark", terminal=True),
    State(DECLINED, "不予受理", "secondary", terminal=True),
)
OPEN = (RECEIVED, ACCEPTED, FORWARDED, UNIT_REPLIED)
# Where the deputy can still act for the citizen.
DEPUTY_ACTS = (RECEIVED, ACCEPTED, UNIT_REPLIED)
