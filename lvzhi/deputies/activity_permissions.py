"""Who may do what with duty activities (履职活动); the one place these pages and services ask.

- An organiser — the 代表工委 (Organization.function "suggestion_office"), a committee's or a
  working body's staff — records activities of its own with their deputies, and corrects them.
- The 代表工委 checks what deputies report themselves, and settles a deputy's 异议.
- A deputy sees the activities he or she takes part in, confirms or disputes each entry, and
  reports an activity of his or her own.
- The 主任会议 reads every activity of its congress. Handling units see none.
"""

from __future__ import annotations

from django.db.models import Q

from lvzhi.core.decorators import in_congress
from lvzhi.core.models import Role, User
from lvzhi.deputies.activity_models import Activity, Confirmation, Participation
from lvzhi.deputies.models import Deputy

DEPUTY_OFFICE = "suggestion_office"  # 代表工委: the same office registers deputies' suggestions
ORGANISERS = (Role.CLERK, Role.COMMITTEE_STAFF)
READERS = (Role.CLERK, Role.COMMITTEE_STAFF, Role.LEADER, Role.DEPUTY)


def deputy_of(user: User) -> Deputy | None:
    if not in_congress(user) or user.role != Role.DEPUTY:
        return None
    return Deputy.objects.filter(user=user, congress_id=user.congress_id).first()


def is_deputy_office(user: User) -> bool:
    org = getattr(user, "organization", None) if in_congress(user) else None
    return user.role == Role.CLERK and org is not None and org.function == DEPUTY_OFFICE


def may_organise(user: User) -> bool:
    """Records activities with deputies in bulk."""
    return in_congress(user) and user.role in ORGANISERS and user.organization_id is not None


def may_edit(user: User, activity: Activity) -> bool:
    """The organising body's staff, or the 代表工委; a deputy's own report only until checked."""
    if not in_congress(user) or user.congress_id != activity.congress_id:
        return False
    if is_deputy_office(user):
        return True
    if activity.self_reported:
        return activity.checked_at is None and activity.recorded_by_id == user.pk
    return may_organise(user) and activity.organiser_id == user.organization_id


def may_check(user: User, activity: Activity) -> bool:
    return (activity.self_reported and activity.checked_at is None and is_deputy_office(user)
            and user.congress_id == activity.congress_id)


def may_answer(user: User, participation: Participation) -> bool:
    """The deputy of the entry confirms it or states an 异议, while it is not yet confirmed."""
    return (user.is_authenticated and user.role == Role.DEPUTY
            and participation.deputy.user_id == user.pk
            and participation.confirmation != Confirmation.CONFIRMED)


def may_settle(user: User, participation: Participation) -> bool:
    """The 代表工委 or the organiser settles a disputed entry (核实后调整)."""
    return (participation.confirmation == Confirmation.DISPUTED
            and may_edit(user, participation.activity) and user.role != Role.DEPUTY)


def visible(user: User) -> Q:
    """The activities `user` may open."""
    if not in_congress(user):
        return Q(pk__in=[])
    mine = Q(congress_id=user.congress_id)
    if user.role in (Role.LEADER, Role.CLERK, Role.COMMITTEE_STAFF):
        return mine
    if user.role == Role.DEPUTY:
        return mine & (Q(participations__deputy__user=user) | Q(recorded_by=user))
    return Q(pk__in=[])


def may_view(user: User, activity: Activity) -> bool:
    return Activity.objects.filter(visible(user), pk=activity.pk).exists()
