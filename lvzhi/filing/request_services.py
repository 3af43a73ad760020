"""Review requests' services: the portal submission (abuse limits, then the engine), 启动审查
with the filing's 受理审查建议 in one transaction, the receipt lookup and the published results."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from lvzhi.cases.engine import fire, open_case
from lvzhi.cases.models import Case, Event
from lvzhi.cases.workflow import InvalidInput, WrongState
from lvzhi.core import receipts
from lvzhi.core.models import Congress, User
from lvzhi.filing import request_forms, services
from lvzhi.filing.request_models import ReviewRequestDetail
from lvzhi.filing.request_permissions import KIND
from lvzhi.filing.request_workflow import RECEIPT_LENGTH

PER_HOUR = 3  # portal submissions from one network per hour
PER_DAY = 10
CHALLENGE_KEY = "lvzhi_review_request_challenge"


class RateLimited(InvalidInput):
    status = 429


def ip_hash(ip: str) -> str:
    return receipts.network_hash("review-request-ip", ip)


def new_challenge(session: Any) -> str:
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    session[CHALLENGE_KEY] = a + b
    return f"{a} 加 {b} 等于几？"


def _check_answer(session: Any, answer: str) -> bool:
    expected = session.pop(CHALLENGE_KEY, None)  # one try per question
    answer = (answer or "").strip()
    return expected is not None and answer.isascii() and answer.isdigit() and int(answer) == expected


def portal_congress(congress_id: int | None = None) -> Congress | None:
    """The congress whose portal takes requests: the one asked for, else the first that has filings."""
    from lvzhi.filing.models import FilingBody

    if congress_id:
        return Congress.objects.filter(pk=congress_id).first()
    body = FilingBody.objects.select_related("congress").order_by("congress_id").first()
    return body.congress if body else Congress.objects.order_by("pk").first()


def submit_public(congress: Congress, data: dict[str, Any], *, ip: str, session: Any, answer: str,
                  now: dt.datetime | None = None, check: bool = True) -> Case:
    """A request from the portal: rate limit, the arithmetic check, then the engine's `open`."""
    now = now or timezone.now()
    hashed = ip_hash(ip)
    recent = ReviewRequestDetail.objects.filter(ip_hash=hashed, received_at__gte=now - dt.timedelta(days=1))
    if recent.filter(received_at__gte=now - dt.timedelta(hours=1)).count() >= PER_HOUR or recent.count() >= PER_DAY:
        raise RateLimited(f"提交过于频繁：同一网络每小时最多提交{PER_HOUR}件、每天最多{PER_DAY}件审查建议，"
                          "请稍后再试。")
    if check and not _check_answer(session, answer):
        raise InvalidInput("验证答案不正确，请重新计算后填写", {"answer": ["验证答案不正确"]})
    payload = {k: v for k, v in data.items() if k in request_forms.RequestForm.base_fields and k != "ip_hash"}
    payload["ip_hash"] = hashed
    return open_case(KIND, "open", None, payload, congress_id=congress.pk, now=now).case


def start_review(request_case: Case, actor: User, data: dict[str, Any] | None = None,
                 now: dt.datetime | None = None) -> Case:
    """启动审查: the request's transition, then the filing's 受理审查建议 (reopening an ended review),
    in one transaction: either both are recorded or neither."""
    now = now or timezone.now()
    token = request_forms.STARTING.set(True)
    try:
        with transaction.atomic():
            case = fire(request_case, "start_review", actor, data or {}, now=now).case
            filing = case.review_request_detail.filing
            if filing is None:
                raise WrongState("审查建议尚未对应备案文件，不能启动审查")
            services.take_request(filing, case, actor, now=now)
    finally:
        request_forms.STARTING.reset(token)
    return Case.objects.get(pk=request_case.pk)


def lookup_receipt(code: str) -> Case | None:
    code = receipts.normalise(code, RECEIPT_LENGTH)
    if code is None:
        return None
    detail = ReviewRequestDetail.objects.select_related("case", "filing__filing_detail").filter(receipt=code).first()
    return detail.case if detail else None


def told(case: Case) -> list[Event]:
    """What the proposer was told, in order (each event's payload["to_proposer"])."""
    return [e for e in case.events.order_by("at", "pk") if e.payload.get("to_proposer")]


def published_results(congress_id: int | None = None) -> QuerySet[Case]:
    qs = Case.objects.filter(kind=KIND, review_request_detail__result_public=True).select_related(
        "review_request_detail__filing__filing_detail")
    if congress_id:
        qs = qs.filter(congress_id=congress_id)
    return qs.order_by("-review_request_detail__answered_at", "-pk")
