"""专项审查 / 集中清理 (北京 第十八、二十一、三十六条): the 法工委 opens one, selects the filed documents
by subject, kind, body and year, records a conclusion per document as a batch, reports to the
主任会议 and closes it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from lvzhi.cases.workflow import InvalidInput, WrongState
from lvzhi.core.models import Congress, User
from lvzhi.filing import states
from lvzhi.filing.choices import Criterion
from lvzhi.filing.models import (
    FilingDetail,
    Handling,
    ItemConclusion,
    SpecialItem,
    SpecialReview,
    SpecialState,
    SpecialTrigger,
)

# What a special review may select: a filing the committee has registered (not one returned at
# form review or still waiting for material).
SELECTABLE_STATES = (*states.REVIEWING, *states.ENDED)


def candidates(congress_id: int, *, subject: str = "", doc_kind: str = "", body_id: int | None = None,
               year: int | None = None) -> QuerySet[FilingDetail]:
    qs = (FilingDetail.objects.filter(case__congress_id=congress_id, case__registered_at__isnull=False)
          .filter(case__state__in=SELECTABLE_STATES).select_related("case", "body"))
    if subject:
        qs = qs.filter(subjects__contains=subject)
    if doc_kind:
        qs = qs.filter(doc_kind=doc_kind)
    if body_id:
        qs = qs.filter(body_id=body_id)
    if year:
        qs = qs.filter(doc_year=year)
    return qs.order_by("published_on", "id")


def create(congress: Congress, actor: User, *, title: str, trigger: str, subject: str = "", criterion: str = "",
           doc_kind: str = "", body_id: int | None = None, year: int | None = None, cleanup: bool = False,
           now: dt.datetime | None = None) -> SpecialReview:
    title = (title or "").strip()
    if not title:
        raise InvalidInput("请填写专项审查的名称。")
    if trigger not in SpecialTrigger.values:
        raise InvalidInput("请选择启动专项审查的情形（北京 第十八条）。")
    if criterion and criterion not in Criterion.values:
        raise InvalidInput("审查标准不在可选范围内。")
    if not (subject or criterion or doc_kind or body_id or year):
        raise InvalidInput("请至少按涉及领域、审查标准、文件类别、制定机关或年度之一选取文件。")
    # A criterion-led review (铸牢中华民族共同体意识) reads every registered document of the selection.
    found = list(candidates(congress.pk, subject=subject, doc_kind=doc_kind, body_id=body_id, year=year))
    if not found:
        raise InvalidInput("按所选条件没有找到已登记的备案文件，请调整选取条件。")
    with transaction.atomic():
        review = SpecialReview.objects.create(
            congress=congress, title=title, trigger=trigger, subject=subject.strip(), criterion=criterion,
            doc_kind=doc_kind, body_id=body_id, year=year, cleanup=cleanup, created_by=actor,
            created_at=now or timezone.now())
        SpecialItem.objects.bulk_create([SpecialItem(review=review, filing=f) for f in found])
    return review


def record(review: SpecialReview, actor: User, conclusions: dict[int, dict[str, Any]], *,
           now: dt.datetime | None = None) -> int:
    """A batch of conclusions, {item id: {conclusion, criterion, reason, handling}}; all or nothing."""
    if review.state != SpecialState.OPEN:
        raise WrongState("该专项审查已向主任会议报告，不能再修改审查结论。")
    items = {i.pk: i for i in review.items.select_related("filing")}
    now = now or timezone.now()
    changed = []
    for pk, data in conclusions.items():
        item = items.get(pk)
        if item is None:
            raise InvalidInput("所选文件不在本次专项审查中。")
        conclusion = data.get("conclusion") or ItemConclusion.PENDING
        if conclusion == ItemConclusion.PENDING:
            continue
        if conclusion not in ItemConclusion.values:
            raise InvalidInput(f"{item.filing.doc_number}：审查结论不在可选范围内。")
        criterion, reason = data.get("criterion") or "", (data.get("reason") or "").strip()
        handling = data.get("handling") or ""
        if conclusion == ItemConclusion.PROBLEM:
            if criterion not in Criterion.values:
                raise InvalidInput(f"{item.filing.doc_number}：存在问题的，请选择所违反的审查标准。")
            if not reason:
                raise InvalidInput(f"{item.filing.doc_number}：存在问题的，请写明理由。")
            if handling not in Handling.values:
                raise InvalidInput(f"{item.filing.doc_number}：请提出处理建议（修改、废止或保留）。")
        else:
            criterion, handling = "", ""
        item.conclusion, item.criterion, item.reason, item.handling = conclusion, criterion, reason, handling
        item.reviewed_by, item.reviewed_at = actor, now
        changed.append(item)
    if not changed:
        raise InvalidInput("没有填写任何审查结论。")
    SpecialItem.objects.bulk_update(changed, ["conclusion", "criterion", "reason", "handling",
                                              "reviewed_by", "reviewed_at"])
    return len(changed)


def report(review: SpecialReview, actor: User, *, reported_on: dt.date, text: str) -> SpecialReview:
    if review.state != SpecialState.OPEN:
        raise WrongState("该专项审查已经报告。")
    pending = review.items.filter(conclusion=ItemConclusion.PENDING).count()
    if pending:
        raise InvalidInput(f"还有{pending}件文件未作出审查结论，不能向主任会议报告。")
    if not (text or "").strip():
        raise InvalidInput("请填写向主任会议报告的情况。")
    if reported_on > timezone.localdate():
        raise InvalidInput("主任会议听取日期不能晚于今天。")
    SpecialReview.objects.filter(pk=review.pk).update(state=SpecialState.REPORTED, reported_on=reported_on,
                                                      report_text=text.strip())
    review.refresh_from_db()
    return review


def close(review: SpecialReview, actor: User, *, now: dt.datetime | None = None) -> SpecialReview:
    if review.state != SpecialState.REPORTED:
        raise WrongState("专项审查向主任会议报告后才能结束。")
    SpecialReview.objects.filter(pk=review.pk).update(state=SpecialState.CLOSED, closed_at=now or timezone.now())
    review.refresh_from_db()
    return review


def summary_line(review: SpecialReview) -> str:
    items = list(review.items.all())
    problems = [i for i in items if i.conclusion == ItemConclusion.PROBLEM]
    return f"审查文件{len(items)}件，发现问题{len(problems)}件"
