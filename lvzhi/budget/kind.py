"""The kind budget_warning on the case engine: states, transitions, clock, todos, nav."""

from __future__ import annotations

from lvzhi.budget.permissions import is_budget_office, is_finance_committee
from lvzhi.cases.kinds import NavEntry
from lvzhi.core.models import Role

# Units have no entry of their own: a warning pushed to one sits in its inbox and its 待办
# (待说明的预算预警), like every other case it handles.
NAV = (
    NavEntry(Role.CLERK, "budget:warnings", "预算预警", is_budget_office),
    NavEntry(Role.COMMITTEE_STAFF, "budget:warnings", "预算预警", is_finance_committee),
    NavEntry(Role.LEADER, "budget:warnings", "预算预警"),
)


def register() -> None:
    """Declares the kind (register_kind), its clock and its todos."""
    from lvzhi.budget import clocks, permissions, todos
    from lvzhi.budget.models import WarningDetail
    from lvzhi.budget.permissions import OFFICE
    from lvzhi.budget.states import STATES
    from lvzhi.budget.workflow import KIND, WORKFLOW, api_detail
    from lvzhi.cases.kinds import CaseKind, Relations, register_kind

    register_kind(CaseKind(
        KIND, "预算预警", WORKFLOW, STATES, Relations(raised_by="system", office=OFFICE),
        detail_model=WarningDetail, detail_name="budget_warning_detail", clocks=clocks.CODES,
        visibility=permissions.warning_visibility, detail_template="budget/warnings/_panel.html",
        api_detail=api_detail, nav=NAV, words={"answer": "说明", "raiser": "规则运行", "units": "推送单位",
                                               "badge": "预算预警"},
        todos=todos.TODOS))
