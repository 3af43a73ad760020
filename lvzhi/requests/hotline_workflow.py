"""The hotline order workflow (kind `hotline_order`); see hotline_states.py and docs/requests.md.

The 12345 system keeps its own clock (时限, shown on the order); the platform runs none: the
deputies supervise, they are not the handler. Every step is an event on the order's timeline.
"""

from __future__ import annotations

from typing import Any

from lvzhi.cases.handling import notify_relation
from lvzhi.cases.kinds import CaseKind, Relations, register_kind
from lvzhi.cases.models import Case
from lvzhi.cases.permissions import SYSTEM
from lvzhi.cases.workflow import Context, Workflow, WrongState, transition
from lvzhi.core.models import Organization, OrganizationKind
from lvzhi.requests import hotline_forms as forms
from lvzhi.requests.hotline_models import FollowWay, HotlineOrderDetail, HotlineRating
from lvzhi.requests.hotline_permissions import KIND, OFFICE, RELATIONS, visibility
from lvzhi.requests.hotline_states import CLOSED, PENDING, STATES, SUPERVISING

FIELDS = ("unit_name", "accepted_on", "due_on", "source_status")


def _unit(congress_id: int, name: str) -> Organization | None:
    if not name:
        return None
    return Organization.objects.filter(congress_id=congress_id, kind=OrganizationKind.UNIT, name=name).first()


def _title(content: str) -> str:
    first = content.strip().split("。", 1)[0]
    return first[:60] + ("…" if len(first) > 60 else "")


def open_effect(ctx: Context) -> str:
    d, case = ctx.data, ctx.case
    case.title = _title(d["content"])
    case.body = d["content"].strip()
    case.number = d["order_no"]
    case.submitted_at = ctx.now
    case.category = "12345热线工单"
    case.save()
    HotlineOrderDetail.objects.create(
        case=case, congress_id=case.congress_id, order_no=d["order_no"], unit_name=d.get("unit_name", ""),
        unit=_unit(case.congress_id, d.get("unit_name", "")), accepted_on=d.get("accepted_on"),
        due_on=d.get("due_on"), source_status=d.get("source_status", ""), last_import_id=d.get("import_id"))
    ctx.payload.update(order_no=d["order_no"], summary=f"导入12345工单 {d['order_no']}")
    return PENDING


def refresh_effect(ctx: Context) -> None:
    detail = ctx.case.hotline_detail
    changed = {}
    for f in FIELDS:
        new = ctx.data.get(f) or ("" if f in ("unit_name", "source_status") else None)
        if getattr(detail, f) != new:
            changed[f] = [str(getattr(detail, f) or ""), str(new or "")]
            setattr(detail, f, new)
    if "unit_name" in changed:
        detail.unit = _unit(ctx.case.congress_id, detail.unit_name)
    detail.last_import_id = ctx.data.get("import_id")
    detail.save()
    labels = {"unit_name": "承办单位", "accepted_on": "受理时间", "due_on": "时限", "source_status": "状态"}
    ctx.payload.update(changed=changed, summary="12345系统更新：" + "；".join(
        f"{labels[k]} {a or '（空）'}→{b or '（空）'}" for k, (a, b) in changed.items()))


def assign_effect(ctx: Context) -> str:
    detail, deputy = ctx.case.hotline_detail, ctx.data["deputy"]
    before = detail.deputy
    detail.deputy, detail.assigned_at = deputy, ctx.now
    detail.save(update_fields=["deputy", "assigned_at"])
    ctx.payload.update(deputy=deputy.name, before=before.name if before else "", note=ctx.data.get("note", ""),
                       summary=(f"改由{deputy.name}代表督办" if before else f"分派{deputy.name}代表督办")
                       + (f"：{ctx.data['note']}" if ctx.data.get("note") else ""))
    notify_relation(ctx, "deputy", f"请督办12345工单 {detail.order_no}：{ctx.case.title}")
    return SUPERVISING


def reassign_guard(ctx: Context) -> None:
    if ctx.data["deputy"].pk == ctx.case.hotline_detail.deputy_id:
        raise WrongState("该工单已由这位代表督办")


def follow_effect(ctx: Context) -> None:
    d = ctx.data
    label = FollowWay(d["way"]).label
    ctx.payload.update(way=label, on=d["on"].isoformat(), note=d["note"],
                       summary=f"{label}（{d['on']:%m月%d日}）：{d['note'][:150]}")


def close_effect(ctx: Context) -> str:
    detail = ctx.case.hotline_detail
    detail.closure, detail.rating, detail.closed_at = ctx.data["closure"], ctx.data["rating"], ctx.now
    detail.save(update_fields=["closure", "rating", "closed_at"])
    ctx.case.closed_at = ctx.now
    label = HotlineRating(detail.rating).label
    ctx.payload.update(closure=ctx.data["closure"], rating=label,
                       summary=f"办结（群众评价：{label}）：{ctx.data['closure'][:150]}")
    return CLOSED


OWN = [
    transition("open", "导入工单", [""], PENDING, [SYSTEM], form=forms.OpenForm, effect=open_effect),
    transition("refresh", "12345系统更新", [PENDING, SUPERVISING, CLOSED], None, [SYSTEM], form=forms.RefreshForm,
               effect=refresh_effect),
    transition("assign_deputy", "分派代表督办", [PENDING], SUPERVISING, ["office"], form=forms.AssignForm,
               effect=assign_effect, style="success"),
    transition("reassign_deputy", "改派代表", [SUPERVISING], SUPERVISING, ["office"], form=forms.AssignForm,
               guard=reassign_guard, effect=assign_effect, style="outline-secondary"),
    transition("follow", "督办记录", [SUPERVISING], None, ["deputy"], form=forms.FollowForm, effect=follow_effect),
    transition("close", "记录办结", [SUPERVISING], CLOSED, ["deputy", "office"], form=forms.CloseForm,
               effect=close_effect, style="success"),
]
WORKFLOW = Workflow(OWN)
KIND_RELATIONS = Relations(raised_by="system", office=OFFICE, raiser="deputy", own=RELATIONS)


def api_detail(case: Case) -> dict[str, Any]:
    d = getattr(case, "hotline_detail", None)
    if d is None:
        return {}
    return {"order_no": d.order_no, "unit_name": d.unit_name,
            "accepted_on": d.accepted_on.isoformat() if d.accepted_on else None,
            "due_on": d.due_on.isoformat() if d.due_on else None, "source_status": d.source_status,
            "deputy": d.deputy.name if d.deputy_id else None, "closure": d.closure or None,
            "rating": d.get_rating_display() or None}


def register() -> None:
    from lvzhi.requests import hotline_demo, hotline_figures, hotline_nav

    register_kind(CaseKind(
        KIND, "12345工单", WORKFLOW, STATES, KIND_RELATIONS, detail_model=HotlineOrderDetail,
        detail_name="hotline_detail", visibility=visibility, open_form=forms.OpenForm,
        detail_template="requests/hotline/_panel.html", api_detail=api_detail, figures=hotline_figures.FIGURES,
        nav=hotline_nav.NAV, demo=hotline_demo.build, words={"answer": "办结情况", "raiser": "12345", "badge": "12345"},
        todos=hotline_nav.TODOS))
