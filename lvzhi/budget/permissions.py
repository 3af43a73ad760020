"""Who may do what in the budget supervision; the one place its pages, services and API ask.

- The 预算工委 (a working body with Organization.function "budget_office") imports the finance
  bureau's data, sets the warning rules, screens each warning, pushes it to the finance bureau
  or the department, accepts the answer or asks again, and writes the 专项监督报告.
- The 财经委 (the committee whose field is 经济发展) and the 主任会议 read everything; the 财经委
  receives deputies' questions on the draft budget.
- A deputy reads the analysis pages and asks questions on the draft budget.
- A unit (the finance bureau or a department) sees the warnings pushed to it and answers them.
"""

from __future__ import annotations

from lvzhi.core.decorators import in_congress
from lvzhi.core.models import Role, User

KIND = "budget_warning"
OFFICE = "budget_office"  # 预算工委
FINANCE_FIELD = "经济发展"  # the 财政经济委员会's field


def is_budget_office(user: User) -> bool:
    org = getattr(user, "organization", None) if in_congress(user) else None
    return user.role == Role.CLERK and org is not None and org.function == OFFICE


def is_finance_committee(user: User) -> bool:
    org = getattr(user, "organization", None) if in_congress(user) else None
    return user.role == Role.COMMITTEE_STAFF and org is not None and org.field == FINANCE_FIELD


def may_import(user: User) -> bool:
    """Import the finance bureau's, the audit office's and the 国资委's files; set the rules."""
    return is_budget_office(user)


def may_read_analysis(user: User) -> bool:
    """The analysis pages: deputies, the committees, the 主任会议 and the 预算工委."""
    return in_congress(user) and (user.role in (Role.DEPUTY, Role.LEADER, Role.COMMITTEE_STAFF)
                                  or is_budget_office(user))


def may_ask(user: User) -> bool:
    """Questions and opinions on the draft budget: deputies."""
    return in_congress(user) and user.role == Role.DEPUTY


def may_read_questions(user: User) -> bool:
    return in_congress(user) and (is_budget_office(user) or is_finance_committee(user) or user.role == Role.LEADER)


def may_write_report(user: User) -> bool:
    return is_budget_office(user)


# ------------------------------------------------------------------ the warnings (kind budget_warning)

def is_unit_user(user: User) -> bool:
    return user.is_authenticated and user.role in (Role.UNIT_HANDLER, Role.UNIT_HEAD)


def sees_all_warnings(user: User) -> bool:
    """The 预算工委 (it screens them), the 财经委 and the 主任会议 follow every warning."""
    return in_congress(user) and (is_budget_office(user) or is_finance_committee(user) or user.role == Role.LEADER)


def warning_visibility(user: User):
    """visibility(user) -> Q of the kind: all for those above; a unit the warnings pushed to it
    (a live Assignment, as in its inbox); a deputy the open ones, read-only (the analysis pages
    list them too); nobody else any."""
    from django.db.models import Q

    from lvzhi.budget.states import OPEN_STATES
    from lvzhi.cases.permissions import assigned_q

    if sees_all_warnings(user):
        return Q()
    if is_unit_user(user):
        return assigned_q(user)
    if in_congress(user) and user.role == Role.DEPUTY:
        return Q(state__in=OPEN_STATES)
    return Q(pk__in=[])


def may_read_warnings(user: User) -> bool:
    """The warnings pages: whoever the kind's visibility shows any warning to."""
    return sees_all_warnings(user) or is_unit_user(user) or (in_congress(user) and user.role == Role.DEPUTY)


def may_screen_warnings(user: User) -> bool:
    """Dismiss, push, accept, ask again and run the rules by hand: the 预算工委."""
    return is_budget_office(user)


def may_set_rules(user: User) -> bool:
    """Enable, disable and set the thresholds of the warning rules: the 预算工委 (as for imports)."""
    return may_import(user)


def may_read_rules(user: User) -> bool:
    """The warning rules' settings, read only: the 财经委 and the 主任会议 besides the 预算工委."""
    return in_congress(user) and (is_budget_office(user) or is_finance_committee(user) or user.role == Role.LEADER)


def may_send_questions(user: User) -> bool:
    """Send the deputies' collected questions on the draft budget to the 财经委: the 预算工委."""
    return is_budget_office(user)


def may_answer_questions(user: User) -> bool:
    """Record an answer to a question sent to the 财经委: its staff."""
    return is_finance_committee(user)


def may_read_reports(user: User) -> bool:
    """The 专项监督报告 drafts: the 预算工委 who writes them, the 财经委 and the 主任会议."""
    return in_congress(user) and (is_budget_office(user) or is_finance_committee(user) or user.role == Role.LEADER)
