"""Who may do what with public comment (征求意见), on top of lvzhi.legislation.permissions.

- The 法工委 (`may_manage`) opens, closes and sorts the periods, decides each comment's outcome
  and publishes the summary; the 主任会议 and the committees read the sorting page.
- A contact point's clerk (the account named ContactPoint.clerk, whatever its role) enters the
  opinions its own point collected and sees what became of them; never another point's.
- Deputies, committee staff and unit handlers comment under their own name on the drafts whose
  period is open to their channel.
- The public comments on the portal; contacts and names are never shown there.
"""

from __future__ import annotations

from django.db.models import QuerySet

from lvzhi.core.decorators import in_congress
from lvzhi.core.models import OrganizationKind, Role, User
from lvzhi.legislation.comment_models import Channel, CommentPeriod
from lvzhi.legislation.models import ContactPoint
from lvzhi.legislation.permissions import may_manage, may_see_legislation

__all__ = [
    "is_contact_point_clerk",
    "may_comment_as",
    "may_decide",
    "may_enter_for",
    "may_manage",
    "may_see_periods",
    "own_channel",
    "own_contact_points",
]


def may_see_periods(user: User) -> bool:
    """The sorting pages: the 法工委, the 主任会议, the committees (read); not a clerk of no body
    (a contact point's account), who sees its own point's pages only."""
    if user.is_authenticated and user.role == Role.CLERK and getattr(user, "organization", None) is None:
        return False
    return may_see_legislation(user)


def may_decide(user: User) -> bool:
    """Group, route and decide comments, link them to the next draft: the 法工委 only."""
    return may_manage(user)


def own_contact_points(user: User) -> QuerySet[ContactPoint]:
    if not in_congress(user):
        return ContactPoint.objects.none()
    return ContactPoint.objects.filter(clerk=user, congress_id=user.congress_id, is_active=True)


def is_contact_point_clerk(user: User) -> bool:
    return own_contact_points(user).exists()


def may_enter_for(user: User, point: ContactPoint) -> bool:
    return bool(in_congress(user) and point.is_active and point.clerk_id == user.pk
                and point.congress_id == user.congress_id)


def own_channel(user: User) -> str | None:
    """The channel a logged-in user comments through on their own page, or None."""
    if not in_congress(user):
        return None
    org = getattr(user, "organization", None)
    if user.role == Role.DEPUTY:
        return Channel.DEPUTY
    if user.role == Role.COMMITTEE_STAFF and org is not None and org.kind == OrganizationKind.COMMITTEE:
        return Channel.COMMITTEE
    if user.role in (Role.UNIT_HANDLER, Role.UNIT_HEAD) and org is not None and org.kind == OrganizationKind.UNIT:
        return Channel.UNIT
    return None


def may_comment_as(user: User, period: CommentPeriod) -> bool:
    channel = own_channel(user)
    return channel is not None and channel in period.channels and period.congress_id == user.congress_id


def _own_channel_open(user: User) -> bool:
    return own_channel(user) is not None


def _point_account(user: User) -> bool:
    return getattr(user, "organization_id", None) is None and is_contact_point_clerk(user)


def _nav() -> tuple:
    from lvzhi.cases.kinds import NavEntry

    entries = [NavEntry(Role.CLERK, "legislation:comment_periods", "征求意见", may_see_periods),
               NavEntry(Role.LEADER, "legislation:comment_periods", "征求意见"),
               NavEntry(Role.COMMITTEE_STAFF, "legislation:comment_periods", "征求意见")]
    # Deputies, committees and units comment under their own name on their own page.
    entries += [NavEntry(role, "legislation:comment_mine", "法规草案征求意见", _own_channel_open)
                for role in (Role.DEPUTY, Role.COMMITTEE_STAFF, Role.UNIT_HANDLER, Role.UNIT_HEAD)]
    # A contact point's own account is a clerk outside the committee's bodies; only such an account
    # is asked (one query), so no other page pays for the entry. Any other account named a point's
    # clerk reaches its point from 法规草案征求意见.
    entries.append(NavEntry(Role.CLERK, "legislation:point_home", "立法联系点", _point_account))
    return tuple(entries)


NAV = _nav()
