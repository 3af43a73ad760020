"""Filing services that span several transitions or cases, each in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from lvzhi.cases.engine import Result, fire
from lvzhi.cases.models import Case
from lvzhi.core.models import User


def take_request(filing: Case, request_case: Case, actor: User, *, now: dt.datetime | None = None) -> Result:
    """受理审查建议 on a filing (for the review_request kind's start_review). The engine passes
    form data as text, so the request goes as its pk."""
    return fire(filing, "take_request", actor, {"request": request_case.pk}, now=now)


def handle_together(case: Case, name: str, actor: User, data: dict[str, Any], *,
                    now: dt.datetime | None = None) -> list[Case]:
    """Fire the same outcome transition on a filing and on every linked filing with the same
    defect that is in a state to take it (北京 第三十二条第二款: 一并处理); all or nothing."""
    from lvzhi.cases.kinds import get_kind

    t = get_kind("filing").workflow.get(name)
    with transaction.atomic():
        done = [fire(case, name, actor, data, now=now).case]
        for other in case.filing_detail.same_defect.select_related("case"):
            if other.case.state in t.sources:
                done.append(fire(other.case, name, actor, data, now=now).case)
    return done
