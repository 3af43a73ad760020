"""The clocks the shared handling transitions run, with the RuleSet column each is counted by
and, where the default by unit does not fit, its own warning window (Clock.warning)."""

from __future__ import annotations

from lvzhi.cases.clocks import Clock, register_clock


class DeadlineKind:
    """Codes of the shared handling clocks (Deadline.kind)."""

    INTERIM_ASSIGN = "interim_assign"
    REASSIGN_WINDOW = "reassign_window"
    CO_OPINION = "co_opinion"
    REPLY = "reply"
    REHANDLE = "rehandle"
    EVALUATION = "evaluation"
    COMMITMENT = "commitment"
    REVISIT = "revisit"


K = DeadlineKind
for clock in (
    Clock(K.INTERIM_ASSIGN, "交办", "workdays", rule="interim_assign_workdays",
          notify="office", basis="青岛条例第十四条"),
    Clock(K.REASSIGN_WINDOW, "申请调整", "workdays", rule="reassign_request_workdays", duty=False,
          shown=False, remind=False, basis="青岛条例第十九条"),
    # A one-month clock warned the default 15 days ahead would be yellow half its life.
    Clock(K.CO_OPINION, "会办意见", "months", rule="co_opinion_months", warn=7,
          basis="青岛条例第二十四条"),
    Clock(K.REPLY, "答复", "months", rule="reply_months", basis="代表法(2025)第五十一条"),
    Clock(K.REHANDLE, "重新办理答复", "months", rule="rehandle_months", warn=7,
          basis="上海规定第二十一条、山东第二十四条"),
    Clock(K.EVALUATION, "代表评价", "workdays", rule="evaluation_workdays", duty=False, warn=3,
          on_lapse="close_expired", notify="evaluator", basis="北京条例第二十三条"),
    Clock(K.COMMITMENT, "承诺落实", "fixed", shown=False),
    Clock(K.REVISIT, "回头看", "months", default=6, duty=False, shown=False, notify="office"),
):
    register_clock(clock)
