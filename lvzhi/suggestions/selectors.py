"""Reads only motions and suggestions have: a deputy's own cases and invitations."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from lvzhi.cases.models import Case, Cosign
from lvzhi.cases.permissions import visible_cases
from lvzhi.core.models import User
from lvzhi.suggestions.states import SuggestionState as S


def deputy_cases(user: User) -> tuple[QuerySet[Case], QuerySet[Case], QuerySet[Cosign]]:
    """A deputy's own (led), co-signed, and invitations awaiting an answer."""
    deputy = getattr(user, "deputy", None)
    led = visible_cases(user).filter(Q(lead_deputy=deputy) | Q(submitter=user))
    cosigned = visible_cases(user).filter(cosigns__deputy=deputy, cosigns__state="confirmed")
    invites = Cosign.objects.filter(deputy=deputy, state="invited",
                                    case__state=S.SUBMITTED).select_related("case__lead_deputy")
    return led.order_by("-id"), cosigned.order_by("-id"), invites
