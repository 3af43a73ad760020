"""The states of a review request (kind `review_request`, 北京 第二十四至二十六、三十四条).

received ──register──▶ registered ──start_review──▶ reviewing ──feed_back──▶ answered
  │ ▲   └─ask_completion─▶ completing ──complete (the proposer, by receipt code)──┘(back to received)
  │ └──────────────────────────────────────────────┘
  └─not_register─▶ not_registered            registered ──decline──▶ declined ──tell_declined──▶ not_started
"""

from __future__ import annotations

from lvzhi.cases.handling.states import REGISTERED
from lvzhi.cases.kinds import State

RECEIVED = "received"
COMPLETING = "completing"
NOT_REGISTERED = "not_registered"
DECLINED = "declined"
NOT_STARTED = "not_started"
REVIEWING = "reviewing"
ANSWERED = "answered"

STATES = (
    State(RECEIVED, "已收到待登记", "info"),
    State(COMPLETING, "待补充完整", "warning"),
    State(NOT_REGISTERED, "不予登记", "secondary", terminal=True),
    State(REGISTERED, "已登记待研究", "primary"),
    State(DECLINED, "不启动审查待告知", "warning"),
    State(NOT_STARTED, "不启动审查（已告知）", "secondary", terminal=True),
    State(REVIEWING, "已启动审查", "primary"),
    State(ANSWERED, "已反馈审查结果", "dark", terminal=True),
)
OPEN = [RECEIVED, COMPLETING, REGISTERED, DECLINED, REVIEWING]
ENDED = [NOT_REGISTERED, NOT_STARTED, ANSWERED]
