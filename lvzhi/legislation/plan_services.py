"""Every write of the annual legislative plan, and the reads its pages share.

The loop (立法法 第五十六条): the 法工委 drafts the plan's items (正式项目, 预备项目, 调研项目),
linking the deputies' motions that ask for each law and the legislative suggestions it takes up →
the 主任会议 approves the plan → it is published → each mid-year change (an item added, moved
between kinds, dropped) is a PlanAdjustment with its reason and date, shown with the public plan.
Each step checks its input and state first and changes nothing on a refusal (InvalidInput,
WrongState, NotAllowed with the Chinese message); each is an event on the congress's chain
(subject "legislative_plan").
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from lvzhi.cases.events import append_subject_event
from lvzhi.cases.models import Case
from lvzhi.cases.workflow import InvalidInput, NotAllowed, WrongState
from lvzhi.core.models import Organization, OrganizationKind, User
from lvzhi.legislation.choices import Action
from lvzhi.legislation.models import Regulation
from lvzhi.legislation.plan_models import (
    ItemKind,
    LegislativePlan,
    PlanAdjustment,
    PlanAdjustmentKind,
    PlanItem,
    PlanState,
)
from lvzhi.legislation.plan_permissions import may_adjust_plan, may_approve_plan, may_edit_plan, may_publish_plan

SUBJECT = "legislative_plan"
# A motion still a draft or withdrawn is not one the plan can answer.
MOTION_EXCLUDED = ("draft", "withdrawn", "merged")


def _log(plan: LegislativePlan, actor: User, name: str, label: str, payload: dict[str, Any],
         now: dt.datetime | None = None, **states: str) -> None:
    append_subject_event(SUBJECT, plan.pk, plan.congress_id, actor, name, label,
                         payload={"year": plan.year, **payload}, at=now or timezone.now(), **states)


def _locked(plan: LegislativePlan) -> LegislativePlan:
    return LegislativePlan.objects.select_for_update().get(pk=plan.pk)


def _own(actor: User, plan: LegislativePlan) -> None:
    if plan.congress_id != actor.congress_id:
        raise NotAllowed("不能办理其他人大的立法计划")


# ------------------------------------------------------------------ reads

def plan_for(congress_id: int, year: int, *, create: bool = False) -> LegislativePlan | None:
    if create:
        return LegislativePlan.objects.get_or_create(congress_id=congress_id, year=year)[0]
    return LegislativePlan.objects.filter(congress_id=congress_id, year=year).first()


def live_items(plan: LegislativePlan) -> QuerySet[PlanItem]:
    return plan.items.filter(dropped=False)


def by_kind(items: list[PlanItem]) -> list[tuple[str, str, list[PlanItem]]]:
    """The items grouped 正式项目, 预备项目, 调研项目 (each with its rows, empty groups kept)."""
    return [(code, label, [i for i in items if i.kind == code]) for code, label in ItemKind.choices]


def kind_counts(plan: LegislativePlan | None) -> dict[str, int]:
    if plan is None:
        return {}
    c = Counter(live_items(plan).values_list("kind", flat=True))
    return {code: c.get(code, 0) for code in ItemKind.values}


def motions_of(congress_id: int, query: str = "") -> QuerySet[Case]:
    """The congress's deputies' motions (议案) a plan item may answer; `query` searches the title,
    the number and the lead deputy's name."""
    qs = (Case.objects.filter(congress_id=congress_id, kind="motion").exclude(state__in=MOTION_EXCLUDED)
          .select_related("lead_deputy").order_by("-submitted_at", "-id"))
    query = query.strip()
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(number__icontains=query) | Q(lead_deputy__name__icontains=query))
    return qs


# ------------------------------------------------------------------ items

def _clean_item(actor: User, data: dict[str, Any]) -> dict[str, Any]:
    title = (data.get("title") or "").strip()
    if not 4 <= len(title) <= 200:
        raise InvalidInput("请填写项目名称（4至200字），如 北辰市物业管理条例（修订）")
    kind = data.get("kind") or ""
    if kind not in ItemKind.values:
        raise InvalidInput("请选择项目类别：正式项目、预备项目或调研项目")
    action = data.get("action") or Action.ENACT
    if action not in Action.values:
        raise InvalidInput("请选择立法行为")
    regulation: Regulation | None = data.get("regulation")
    if regulation is not None and regulation.congress_id != actor.congress_id:
        raise InvalidInput("所选法规不属于本人大")
    if action != Action.ENACT and regulation is None:
        raise InvalidInput("修改、修订或废止的项目，请选择现行法规")
    if action == Action.ENACT and regulation is not None:
        raise InvalidInput(f"《{regulation.title}》已经制定，请选择修改、修订或废止")
    committee: Organization | None = data.get("committee")
    if committee is not None and (committee.congress_id != actor.congress_id
                                  or committee.kind != OrganizationKind.COMMITTEE):
        raise InvalidInput("请选择本人大的专门委员会")
    return {"title": title, "kind": kind, "action": action, "regulation": regulation, "committee": committee,
            "drafting_body": (data.get("drafting_body") or "").strip()[:100],
            "planned_readings": (data.get("planned_readings") or "").strip()[:100],
            "note": (data.get("note") or "").strip()}


@transaction.atomic
def add_item(actor: User, plan: LegislativePlan, data: dict[str, Any], *, reason: str = "",
             on: dt.date | None = None) -> PlanItem:
    """A project of the plan; on a published plan that is an adjustment (增加项目) and needs its
    reason; an approved plan not yet published is changed after publication."""
    plan = _locked(plan)
    _own(actor, plan)
    if not may_edit_plan(actor):
        raise NotAllowed("立法计划由法制工作委员会编制")
    fields = _clean_item(actor, data)
    if plan.items.filter(title=fields["title"], dropped=False).exists():
        raise InvalidInput(f"计划中已有项目“{fields['title']}”")
    if plan.state == PlanState.APPROVED:
        raise WrongState("计划已经主任会议通过、尚未公布；请公布后以计划调整方式增加项目")
    if plan.is_published and not reason.strip():
        raise InvalidInput("计划已向社会公布，增加项目属于计划调整，请写明调整理由")
    item = PlanItem.objects.create(plan=plan, sort_order=plan.items.count() + 1, **fields)
    if plan.is_published:
        PlanAdjustment.objects.create(plan=plan, item=item, kind=PlanAdjustmentKind.ADDED, new_kind=item.kind,
                                      reason=reason.strip(), decided_on=on or timezone.localdate(), by=actor)
    _log(plan, actor, "plan_item_added", "增加立法计划项目", {"item": item.pk, "title": item.title,
                                                          "kind": item.kind, "adjustment": plan.is_published})
    return item


@transaction.atomic
def edit_item(actor: User, item: PlanItem, data: dict[str, Any]) -> PlanItem:
    """Keep an item's details; once the plan is approved its kind changes only by adjust()."""
    plan = _locked(item.plan)
    _own(actor, plan)
    if not may_edit_plan(actor):
        raise NotAllowed("立法计划由法制工作委员会编制")
    item = PlanItem.objects.select_for_update().get(pk=item.pk)
    if item.dropped:
        raise WrongState("该项目已调整取消，不能再修改")
    fields = _clean_item(actor, data)
    if plan.state != PlanState.DRAFTING and fields["kind"] != item.kind:
        raise WrongState("计划已经主任会议通过，调整项目类别须以计划调整方式记录")
    if plan.items.filter(title=fields["title"], dropped=False).exclude(pk=item.pk).exists():
        raise InvalidInput(f"计划中已有项目“{fields['title']}”")
    for k, v in fields.items():
        setattr(item, k, v)
    item.save()
    _log(plan, actor, "plan_item_edited", "修改立法计划项目", {"item": item.pk, "title": item.title})
    return item


@transaction.atomic
def link_motions(actor: User, item: PlanItem, motion_ids: list[int]) -> PlanItem:
    """第五十六条: the deputies' motions that ask for this law (replaces the item's links)."""
    plan = item.plan
    _own(actor, plan)
    if not may_edit_plan(actor):
        raise NotAllowed("立法计划由法制工作委员会编制")
    ids = {int(i) for i in motion_ids}
    found = list(motions_of(plan.congress_id).filter(pk__in=ids))
    if len(found) != len(ids):
        raise InvalidInput("所选议案中有不属于本人大、尚未提交或已撤回的，请重新选择")
    item.motions.set(found)
    _log(plan, actor, "plan_item_motions", "关联代表议案", {"item": item.pk, "motions": sorted(ids)})
    return item


def remove_item(actor: User, item: PlanItem) -> None:
    """While the plan is being drawn up an item may simply go; later it is dropped by adjust()."""
    with transaction.atomic():
        plan = _locked(item.plan)
        _own(actor, plan)
        if not may_edit_plan(actor):
            raise NotAllowed("立法计划由法制工作委员会编制")
        if plan.state != PlanState.DRAFTING:
            raise WrongState("计划已经主任会议通过，取消项目须以计划调整方式记录")
        if item.bill_id:
            raise WrongState("该项目已立案，不能删除")
        _log(plan, actor, "plan_item_removed", "删除立法计划项目", {"title": item.title})
        item.delete()


# ------------------------------------------------------------------ the plan

@transaction.atomic
def approve_plan(actor: User, plan: LegislativePlan, *, on: dt.date | None = None, note: str = "") -> LegislativePlan:
    plan = _locked(plan)
    _own(actor, plan)
    if not may_approve_plan(actor):
        raise NotAllowed("立法计划由主任会议通过")
    if plan.state != PlanState.DRAFTING:
        raise WrongState(f"计划当前为“{plan.get_state_display()}”，不能再次通过")
    if not live_items(plan).exists():
        raise WrongState("计划中还没有项目，请先编制项目")
    plan.state, plan.approved_by = PlanState.APPROVED, actor
    plan.approved_on, plan.approval_note = on or timezone.localdate(), note.strip()[:300]
    plan.save()
    _log(plan, actor, "plan_approved", "主任会议通过年度立法计划", {"note": plan.approval_note},
         from_state=PlanState.DRAFTING, to_state=PlanState.APPROVED)
    return plan


@transaction.atomic
def publish_plan(actor: User, plan: LegislativePlan, *, on: dt.date | None = None) -> LegislativePlan:
    """第五十六条 "向社会公布": the plan and its items on the portal."""
    plan = _locked(plan)
    _own(actor, plan)
    if not may_publish_plan(actor):
        raise NotAllowed("立法计划由主任会议或法制工作委员会公布")
    if plan.state != PlanState.APPROVED:
        raise WrongState("计划须经主任会议通过后才能向社会公布" if plan.state == PlanState.DRAFTING else "计划已经公布")
    plan.state, plan.published_on = PlanState.PUBLISHED, on or timezone.localdate()
    plan.save(update_fields=["state", "published_on"])
    _log(plan, actor, "plan_published", "年度立法计划向社会公布", {},
         from_state=PlanState.APPROVED, to_state=PlanState.PUBLISHED)
    return plan


@transaction.atomic
def adjust(actor: User, item: PlanItem, *, kind: str, reason: str, new_kind: str = "",
           on: dt.date | None = None) -> PlanAdjustment:
    """A published plan's item moved between kinds (e.g. 预备项目 → 正式项目) or dropped, with its
    reason and date (增加项目 goes through add_item)."""
    plan = _locked(item.plan)
    _own(actor, plan)
    if not may_adjust_plan(actor):
        raise NotAllowed("计划调整由主任会议决定、法制工作委员会记录")
    if not plan.is_published:
        raise WrongState("计划尚未向社会公布，直接修改项目即可，无需作为计划调整")
    item = PlanItem.objects.select_for_update().get(pk=item.pk)
    if item.dropped:
        raise WrongState("该项目已调整取消，不能再调整")
    if not reason.strip():
        raise InvalidInput("请写明调整理由")
    old = item.kind
    if kind == PlanAdjustmentKind.MOVED:
        if new_kind not in ItemKind.values:
            raise InvalidInput("请选择调整后的项目类别")
        if new_kind == old:
            raise InvalidInput(f"项目已是{item.get_kind_display()}")
        item.kind = new_kind
    elif kind == PlanAdjustmentKind.DROPPED:
        item.dropped, new_kind = True, ""
    else:
        raise InvalidInput("请选择调整类型（增加项目请直接添加并写明理由）")
    item.save(update_fields=["kind", "dropped"])
    row = PlanAdjustment.objects.create(plan=plan, item=item, kind=kind, old_kind=old, new_kind=new_kind,
                                        reason=reason.strip(), decided_on=on or timezone.localdate(), by=actor)
    _log(plan, actor, "plan_adjusted", "调整年度立法计划",
         {"item": item.pk, "title": item.title, "kind": kind, "reason": row.reason})
    return row
