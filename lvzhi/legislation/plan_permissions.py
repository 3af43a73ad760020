"""Who may do what with the legislative plan, the legislative suggestions and the bills.

- The 法工委 (is_legislative_affairs) drafts the plan, enters suggestions, opens bills, schedules
  readings, attaches drafts, records the deliberation, the vote, the approval and publication.
- The 法制委 staff (is_law_committee) give the 审议结果报告 on a reading (立法法 第三十五条 locally).
- The 主任会议 (LEADER) approves the plan and decides its adjustments (第五十六条); the plan is
  published by the 主任会议 or the 法工委.
- Everyone who sees legislation (may_see_legislation) reads these pages; units and deputies do not.
"""

from __future__ import annotations

from lvzhi.core.models import Role, User
from lvzhi.legislation.permissions import is_law_committee, is_legislative_affairs, may_see_legislation

__all__ = ["NAV", "is_law_committee", "may_adjust_plan", "may_approve_plan", "may_edit_plan", "may_manage_bills",
           "may_publish_plan", "may_report", "may_see", "may_suggest"]


def may_see(user: User) -> bool:
    return may_see_legislation(user)


def may_edit_plan(user: User) -> bool:
    return is_legislative_affairs(user)


def may_approve_plan(user: User) -> bool:
    return may_see_legislation(user) and user.role == Role.LEADER


def may_adjust_plan(user: User) -> bool:
    """A published plan changes by the 主任会议's decision; the 法工委 records it."""
    return may_approve_plan(user) or is_legislative_affairs(user)


def may_publish_plan(user: User) -> bool:
    return may_approve_plan(user) or is_legislative_affairs(user)


def may_suggest(user: User) -> bool:
    return is_legislative_affairs(user)


def may_manage_bills(user: User) -> bool:
    return is_legislative_affairs(user)


def may_report(user: User) -> bool:
    return is_law_committee(user)


def _nav() -> tuple:
    from lvzhi.cases.kinds import NavEntry
    from lvzhi.legislation.permissions import is_legislative_affairs

    out = []
    for url_name, label in (("legislation:plan", "立法计划"), ("legislation:bills", "法规案")):
        out += [NavEntry(Role.CLERK, url_name, label, is_legislative_affairs),
                NavEntry(Role.LEADER, url_name, label), NavEntry(Role.COMMITTEE_STAFF, url_name, label)]
    return tuple(out)


# The section's nav entries (the lead registers them with the legislation Section).
NAV = _nav()
