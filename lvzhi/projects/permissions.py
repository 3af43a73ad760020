"""Who may do what with 民生实事项目.

The congress's 办公室 and committee staff run the round (they stand in for the 大会秘书处: stages,
publishing to deputies, opening and closing the vote, paper-count entry). The government's side
(承办单位 accounts: 经办人/负责人) screens ideas, builds the candidate list and reports
implementation; the office may do so too when it keeps the list for the government. Deputies of
the congress vote and grade; the 主任会议 sees everything; the public sees the published figures.
"""

from __future__ import annotations

from lvzhi.core.models import UNIT_ROLES, Role, User
from lvzhi.projects.models import ProjectRound
from lvzhi.supervision.permissions import is_committee_staff, is_office

PAGE_ROLES = (Role.CLERK, Role.COMMITTEE_STAFF, Role.LEADER, Role.DEPUTY, Role.UNIT_HANDLER, Role.UNIT_HEAD)


def may_run(user: User, rnd: ProjectRound | None = None) -> bool:
    ok = user.is_authenticated and (is_office(user) or is_committee_staff(user))
    return ok and (rnd is None or user.congress_id == rnd.congress_id)


def may_prepare(user: User, rnd: ProjectRound) -> bool:
    """Screening, candidates and implementation reports: the government's units, or the office."""
    if not user.is_authenticated or user.congress_id != rnd.congress_id:
        return False
    return user.role in UNIT_ROLES or may_run(user, rnd)


def may_see(user: User, rnd: ProjectRound) -> bool:
    return user.is_authenticated and user.congress_id == rnd.congress_id and user.role in PAGE_ROLES


def is_deputy_of(user: User, congress_id: int) -> bool:
    return user.is_authenticated and user.role == Role.DEPUTY and user.congress_id == congress_id
