"""The states of a budget warning (kind `budget_warning`).

raised ──dismiss──▶ dismissed          raised ──push──▶ pushed ──answer──▶ answered ──accept──▶ closed
                                                       ▲                      │ ask_again
                                                       └──────────────────────┘
raised / pushed / answered ──lift (the rule run: the cause went away)──▶ lifted
"""

from __future__ import annotations

from lvzhi.cases.kinds import State

RAISED = "raised"
PUSHED = "pushed"
ANSWERED = "answered"
DISMISSED = "dismissed"
CLOSED = "closed"
LIFTED = "lifted"

STATES = (
    State(RAISED, "待甄别", "warning"),
    State(PUSHED, "待说明", "primary"),
    State(ANSWERED, "已说明", "info"),
    State(DISMISSED, "已排除", "secondary", terminal=True),
    State(CLOSED, "已销号", "dark", terminal=True),
    State(LIFTED, "已自动解除", "success", terminal=True),
)
# A warning holds its cause (WarningDetail.open_key) only in these: the run keeps or lifts them.
OPEN_STATES = (RAISED, PUSHED, ANSWERED)
LABELS = {s.code: s.label for s in STATES}
