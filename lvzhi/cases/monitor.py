"""The deadline monitor's reads: open duties per organisation and the overdue list."""


from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from lvzhi.cases.clocks import duty_codes
from lvzhi.cases.deadlines import rules_for
from lvzhi.cases.models import (
    Deadline,
)
from lvzhi.core.models import Organization


@dataclass
class UnitLoad:
    unit: Organization
    open: int
    red: int
    yellow: int


def deadline_monitor(congress_id: int, today: dt.date | None = None) -> tuple[list[UnitLoad], list[Deadline]]:
    """Open clocks per unit (red / yellow / all) and the overdue list, in two queries."""
    today = today or timezone.localdate()
    warn = rules_for(congress_id).warn_days
    soon = today + dt.timedelta(days=warn)
    duties = duty_codes()
    open_q = Q(assignments__deadlines__met_at__isnull=True,
               assignments__deadlines__cancelled=False, assignments__deadlines__kind__in=duties)
    # Every organisation with running duties: units, and committees or offices leading key tasks.
    units = (Organization.objects.filter(congress_id=congress_id)
             .annotate(open=Count("assignments__deadlines", filter=open_q),
                       red=Count("assignments__deadlines",
                                 filter=open_q & Q(assignments__deadlines__due_on__lt=today)),
                       yellow=Count("assignments__deadlines",
                                    filter=open_q & Q(assignments__deadlines__due_on__gte=today,
                                                      assignments__deadlines__due_on__lte=soon)))
             .filter(open__gt=0).order_by("-red", "-yellow", "-open"))
    overdue = list(Deadline.objects.filter(case__congress_id=congress_id, met_at__isnull=True,
                                           cancelled=False, due_on__lt=today, kind__in=duties)
                   .select_related("case", "assignment__unit").order_by("due_on")[:200])
    loads = [UnitLoad(u, u.open, u.red, u.yellow) for u in units]
    return loads, overdue
