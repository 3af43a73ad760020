"""The states of a filing (kind `filing`): intake, form review, the substantive review, and the
outcome state machine of 北京 第二十九至三十五条 (RULES.md §4.4).

filed ──register──▶ registered ──distribute──▶ handling (审查中)
  │  └─ask_supplement─▶ supplementing ──supplement──▶ filed
  └─return_out_of_scope─▶ returned
handling ──terminate──▶ terminated
handling ──communicate──▶ communicating ──agree_plan──▶ suspended ──refile──▶ handling ──▶ terminated
                                       └─disagree──▶ handling ──send_opinion──▶ opinion_sent
opinion_sent ──answer──▶ handling (fixed → terminate; or plan → suspended)
handling ──propose_to_council──▶ proposed ──decide──▶ correction_ordered ──report_correction──▶ terminated
                                              └──▶ revoked
"""

from __future__ import annotations

from lvzhi.cases.handling.states import HANDLING, REGISTERED
from lvzhi.cases.kinds import State

FILED = "filed"
SUPPLEMENTING = "supplementing"
RETURNED = "returned"
COMMUNICATING = "communicating"
SUSPENDED = "suspended"
OPINION_SENT = "opinion_sent"
PROPOSED = "proposed"
CORRECTION_ORDERED = "correction_ordered"
TERMINATED = "terminated"
REVOKED = "revoked"

STATES = (
    State(FILED, "已报送待形式审查", "info"),
    State(SUPPLEMENTING, "待补充材料", "warning"),
    State(RETURNED, "已退回（不属于备案范围）", "secondary", terminal=True),
    State(REGISTERED, "已登记待分送", "primary"),
    State(HANDLING, "审查中", "primary"),
    State(COMMUNICATING, "沟通中", "warning"),
    State(SUSPENDED, "审查中止（制定机关纠正中）", "warning"),
    State(OPINION_SENT, "已发书面审查意见", "danger"),
    State(PROPOSED, "提请主任会议决定", "danger"),
    State(CORRECTION_ORDERED, "常委会决定限期纠正", "danger"),
    State(TERMINATED, "审查终止", "dark", terminal=True),
    State(REVOKED, "已撤销", "dark", terminal=True),
)
# Registered and not yet ended: the review queue.
REVIEWING = [REGISTERED, HANDLING, COMMUNICATING, SUSPENDED, OPINION_SENT, PROPOSED, CORRECTION_ORDERED]
# A result the proposer of a review request can be told (lvzhi.filing.request_*).
RESULT_KNOWN = [SUSPENDED, CORRECTION_ORDERED, TERMINATED, REVOKED]
ENDED = [TERMINATED, REVOKED]

__all__ = ["COMMUNICATING", "CORRECTION_ORDERED", "ENDED", "FILED", "HANDLING", "OPINION_SENT", "PROPOSED",
           "REGISTERED", "RESULT_KNOWN", "RETURNED", "REVIEWING", "REVOKED", "STATES", "SUPPLEMENTING",
           "SUSPENDED", "TERMINATED"]
