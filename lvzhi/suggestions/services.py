"""Writes that are not transitions of an existing case: creating a draft."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from lvzhi.cases.events import append_event
from lvzhi.cases.models import Case, CaseState
from lvzhi.cases.workflow import InvalidInput, NotAllowed
from lvzhi.core.models import Role, Session, User
from lvzhi.suggestions.forms import DraftForm
from lvzhi.suggestions.workflow import apply_draft


def current_session(congress_id: int, day=None) -> Session | None:
    """The session sitting on `day`; suggestions made outside one are interim (闭会期间)."""
    day = day or timezone.localdate()
    return (Session.objects.filter(term__congress_id=congress_id, opens_on__lte=day,
                                   closes_on__gte=day).first())


def create_draft(actor: User, data: dict[str, Any], *, session: Session | None = None,
                 now: dt.datetime | None = None) -> Case:
    """A deputy starts a suggestion or motion; it stays a draft until submitted."""
    deputy = getattr(actor, "deputy", None)
    if actor.role != Role.DEPUTY or deputy is None:
        raise NotAllowed("只有人大代表可以提出议案建议")
    if not deputy.is_active:
        raise NotAllowed(f"您当前的代表状态为“{deputy.get_status_display()}”，不能提出议案建议")
    form = DraftForm(data, case=None, actor=actor, congress_id=deputy.congress_id)
    if not form.is_valid():
        errors = {k: [str(m) for m in v] for k, v in form.errors.items()}
        raise InvalidInput("填写有误：" + next(iter(errors.values()))[0], errors)
    now = now or timezone.now()
    with transaction.atomic():
        case = Case(congress_id=deputy.congress_id, kind=form.cleaned_data["kind"],
                    state=CaseState.DRAFT, submitter=actor, lead_deputy=deputy,
                    session=session or current_session(deputy.congress_id), created_at=now)
        names = apply_draft(case, form.cleaned_data)
        append_event(case, actor, "create", "起草", from_state="", to_state=CaseState.DRAFT,
                     payload={"title": case.title, "cosigners": names}, at=now)
    return case
