"""The clocks a key task runs, declared once at start-up (lvzhi.cases.clocks).

完成时限: the task's own due date (KeyTaskDetail.due_on), started on the lead office's assignment.
进展报送: a dispatch's due date, one per lead office; missed, it turns red, the sweep records
one overdue event and tells the office that missed it.
退回继续推进: after the 主任会议 sends a close-out back, the lead office has this long
(RuleSet.params["key_task_rework"], default one month) to bring it back for 销号.
"""

from __future__ import annotations

from lvzhi.cases.clocks import Clock, register_clock

KEY_TASK_DUE = "key_task_due"
PROGRESS_REPORT = "progress_report"
REWORK = "key_task_rework"

CLOCKS = (
    register_clock(Clock(KEY_TASK_DUE, "完成时限", "fixed", duty=True,
                         basis="常委会年度工作要点：项目化、清单化、责任化管理")),
    # Dispatches come about monthly: warned 15 days ahead, a report would be yellow at once.
    register_clock(Clock(PROGRESS_REPORT, "进展报送", "fixed", duty=True, warn=3,
                         basis="重点任务定期调度")),
    register_clock(Clock(REWORK, "退回继续推进", "months", default=1, duty=True, warn=7,
                         basis="销号式管理：退回后限期重新提请销号")),
)
CODES = tuple(c.code for c in CLOCKS)
