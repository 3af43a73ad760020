"""The states of motions and suggestions: their own intake states, then the shared handling ones."""

from __future__ import annotations

from enum import StrEnum

from lvzhi.cases.handling.states import HANDLING_STATES
from lvzhi.cases.kinds import State


class SuggestionState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    REGISTERED = "registered"
    HANDLING = "handling"
    REPLIED = "replied"
    CLOSED = "closed"
    MERGED = "merged"
    WITHDRAWN = "withdrawn"
    CONVERTED = "converted"
    REFERRED = "referred"


S = SuggestionState

INTAKE_STATES = (
    State(S.DRAFT, "草稿", "secondary"),
    State(S.SUBMITTED, "已提交待审查", "info"),
    State(S.RETURNED, "退回修改", "warning"),
)
END_STATES = (
    State(S.MERGED, "已并案", "secondary", terminal=True),
    State(S.WITHDRAWN, "已撤回", "secondary", terminal=True),
)
SUGGESTION_STATES = INTAKE_STATES + HANDLING_STATES + END_STATES
MOTION_STATES = (*INTAKE_STATES, HANDLING_STATES[0], State(S.REFERRED, "已交专门委员会审议", "info"),
                 HANDLING_STATES[-1], *END_STATES, State(S.CONVERTED, "已转为建议", "secondary", terminal=True))
