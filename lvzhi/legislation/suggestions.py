"""Legislative suggestions (立法建议), collected all year through six channels (社会公众, 人大代表,
基层立法联系点, 专门委员会, 政府部门, 其他) and studied for the plan (立法法 第五十六条).

Each is entered by the 法工委; its outcome is 采纳 (列入计划: linked to the plan item; or 吸收 into a
bill or an item already planned) or 未采纳 with the reason. One from a contact point names it
(立法法 第九十条). Each write is an event on the congress's chain (subject "leg_suggestion").
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from lvzhi.cases.events import append_subject_event
from lvzhi.cases.workflow import InvalidInput, NotAllowed
from lvzhi.core.models import User
from lvzhi.documents import excel
from lvzhi.legislation.models import ContactPoint
from lvzhi.legislation.plan_models import (
    LegislativeSuggestion,
    PlanItem,
    SuggestionChannel,
    SuggestionOutcome,
)
from lvzhi.legislation.plan_permissions import may_suggest

SUBJECT = "leg_suggestion"


def _log(s: LegislativeSuggestion, actor: User, name: str, label: str, payload: dict[str, Any]) -> None:
    append_subject_event(SUBJECT, s.pk, s.congress_id, actor, name, label,
                         payload={"title": s.title, **payload}, at=timezone.now())


def _check_actor(actor: User) -> None:
    if not may_suggest(actor):
        raise NotAllowed("立法建议由法制工作委员会登记")


@transaction.atomic
def add_suggestion(actor: User, *, channel: str, proposer: str, title: str, text: str, received_on: dt.date,
                   contact_point: ContactPoint | None = None, year: int | None = None) -> LegislativeSuggestion:
    _check_actor(actor)
    if channel not in SuggestionChannel.values:
        raise InvalidInput("请选择来源渠道")
    proposer, title, text = proposer.strip(), title.strip(), text.strip()
    if not proposer:
        raise InvalidInput("请填写建议人（个人、代表或单位）")
    if not 4 <= len(title) <= 200:
        raise InvalidInput("请填写建议项目（4至200字），如 建议制定北辰市电动自行车管理条例")
    if len(text) < 10:
        raise InvalidInput("建议内容至少10个字")
    if received_on > timezone.localdate():
        raise InvalidInput("收到日期不能晚于今天")
    if contact_point is not None and contact_point.congress_id != actor.congress_id:
        raise InvalidInput("所选基层立法联系点不属于本人大")
    if channel == SuggestionChannel.CONTACT_POINT and contact_point is None:
        raise InvalidInput("来自基层立法联系点的建议，请选择联系点")
    s = LegislativeSuggestion.objects.create(
        congress_id=actor.congress_id, year=year or received_on.year, channel=channel, proposer=proposer[:100],
        contact_point=contact_point, title=title, text=text, received_on=received_on)
    _log(s, actor, "suggestion_added", "登记立法建议", {"channel": channel})
    return s


@transaction.atomic
def decide(actor: User, suggestion: LegislativeSuggestion, *, outcome: str, reason: str = "",
           item: PlanItem | None = None) -> LegislativeSuggestion:
    """采纳 (列入计划 with the plan item it became or joined; 吸收 into a bill or item, the item
    optional) or 未采纳 with the reason."""
    _check_actor(actor)
    s = LegislativeSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if s.congress_id != actor.congress_id:
        raise NotAllowed("不能处理其他人大的立法建议")
    if outcome not in (SuggestionOutcome.LISTED, SuggestionOutcome.ABSORBED, SuggestionOutcome.DECLINED):
        raise InvalidInput("请选择处理结果：采纳（列入计划或吸收）或未采纳")
    reason = reason.strip()
    if item is not None and item.plan.congress_id != actor.congress_id:
        raise InvalidInput("所选计划项目不属于本人大")
    if outcome == SuggestionOutcome.LISTED and item is None:
        raise InvalidInput("列入计划的，请选择对应的计划项目")
    if outcome == SuggestionOutcome.DECLINED:
        if not reason:
            raise InvalidInput("未采纳的，请写明理由")
        item = None
    s.outcome, s.outcome_reason, s.item = outcome, reason[:300], item
    s.save(update_fields=["outcome", "outcome_reason", "item"])
    _log(s, actor, "suggestion_decided", "立法建议处理", {"outcome": outcome, "item": item.pk if item else None})
    return s


def counts(congress_id: int, year: int) -> dict[str, list[tuple[str, str, int]]]:
    """A year's suggestions by channel and by outcome, each as (code, label, n)."""
    rows = list(LegislativeSuggestion.objects.filter(congress_id=congress_id, year=year)
                .values_list("channel", "outcome"))
    by_channel, by_outcome = Counter(c for c, _ in rows), Counter(o for _, o in rows)
    return {"channel": [(c, lbl, by_channel.get(c, 0)) for c, lbl in SuggestionChannel.choices],
            "outcome": [(o, lbl, by_outcome.get(o, 0)) for o, lbl in SuggestionOutcome.choices],
            "total": [("", "合计", len(rows))]}


# ------------------------------------------------------------------ Excel import

COLUMNS = [
    excel.Column("来源渠道", key="channel", required=True, blank_ok=False,
                 parse=excel.choice(SuggestionChannel.choices), width=14),
    excel.Column("建议人", key="proposer", required=True, blank_ok=False, width=18),
    excel.Column("基层立法联系点", key="point", width=24),
    excel.Column("建议项目", key="title", required=True, blank_ok=False, width=30),
    excel.Column("建议内容", key="text", required=True, blank_ok=False, width=50, wrap=True),
    excel.Column("收到日期", key="received_on", required=True, blank_ok=False, parse=excel.date, width=12),
]


@dataclass
class ImportReport:
    created: int = 0
    skipped: int = 0  # already entered: same title, proposer and day
    errors: list[str] = field(default_factory=list)  # “第5行：……”; none saved when any


def template() -> bytes:
    """The import sheet with one example row."""
    return excel.write_sheet("立法建议导入", COLUMNS, [{
        "channel": "社会公众", "proposer": "张明", "point": "", "title": "建议制定北辰市电动自行车管理条例",
        "text": "电动自行车楼道充电引发火灾隐患，建议立法规范登记、通行和停放充电。",
        "received_on": timezone.localdate()}])


def import_sheet(actor: User, file: bytes | IO[bytes]) -> ImportReport:
    """Every row checked first (the same rules as add_suggestion); any error and nothing is
    saved, the report says which rows. A row entered before (title, proposer and day) is skipped,
    so the same sheet imported twice adds nothing."""
    _check_actor(actor)
    try:
        result = excel.read_sheet(file, COLUMNS, item="立法建议")
    except excel.SheetError as exc:
        raise InvalidInput(exc.message) from None
    report = ImportReport(errors=result.errors)
    points = {p.name: p for p in ContactPoint.objects.filter(congress_id=actor.congress_id)}
    today = timezone.localdate()
    rows = []
    for row in result.rows:
        if not row.ok:
            continue
        v, problems = row.values, []
        point = points.get(v["point"]) if v["point"] else None
        if v["point"] and point is None:
            problems.append(f"没有名为“{v['point']}”的基层立法联系点")
        if v["channel"] == SuggestionChannel.CONTACT_POINT and not v["point"]:
            problems.append("来自基层立法联系点的建议，请填写联系点名称")
        if not 4 <= len(v["title"]) <= 200:
            problems.append("建议项目应为4至200字")
        if len(v["text"]) < 10:
            problems.append("建议内容至少10个字")
        if v["received_on"] > today:
            problems.append("收到日期不能晚于今天")
        report.errors += [f"第{row.number}行：{p}" for p in problems]
        rows.append((v, point))
    if report.errors:
        return report
    with transaction.atomic():
        for v, point in rows:
            exists = LegislativeSuggestion.objects.filter(congress_id=actor.congress_id, title=v["title"],
                                                          proposer=v["proposer"][:100],
                                                          received_on=v["received_on"]).exists()
            if exists:
                report.skipped += 1
                continue
            add_suggestion(actor, channel=v["channel"], proposer=v["proposer"], title=v["title"], text=v["text"],
                           received_on=v["received_on"], contact_point=point)
            report.created += 1
    return report
