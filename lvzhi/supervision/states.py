"""The states of a problem (问题清单的一条): drafted by the supervising committee, put on the
list by the 办公厅, then the shared handling codes under the problem's own labels, with the
committee's evaluation and the 主任会议's 销号 in between (RULES.md §3.3)."""

from __future__ import annotations

from lvzhi.cases.handling.states import CLOSED, HANDLING, REGISTERED, REPLIED
from lvzhi.cases.kinds import State

DRAFTING = "drafting"
EVALUATED = "evaluated"
CLOSE_PROPOSED = "close_proposed"
CANCELLED = "cancelled"

STATES = (
    State(DRAFTING, "起草中", "secondary"),
    State(REGISTERED, "已列入清单待交办", "primary"),
    State(HANDLING, "整改中", "primary"),
    State(REPLIED, "整改报告待评价", "info"),
    State(EVALUATED, "已评价待提请销号", "info"),
    State(CLOSE_PROPOSED, "销号待审定", "warning"),
    State(CLOSED, "已销号", "dark", terminal=True),
    State(CANCELLED, "已撤销", "secondary", terminal=True),
)
# On the list and not yet 销号.
OPEN_STATES = [REGISTERED, HANDLING, REPLIED, EVALUATED, CLOSE_PROPOSED]

__all__ = ["CANCELLED", "CLOSED", "CLOSE_PROPOSED", "DRAFTING", "EVALUATED", "HANDLING", "OPEN_STATES",
           "REGISTERED", "REPLIED", "STATES"]
