"""Administrative actions in the SM3 event chain (lvzhi.cases.events.append_subject_event).

Every account, password, role, lockout, device, token and policy action, and every login of a
superuser, is appended as an event whose subject is the thing acted on: ("account", user id),
("token", token id), ("device", device id), ("policy", 1), or ("lockout", attempt id) for a
lockout of a username that has no account. The audit administrator reads them (admin site →
管理员操作审计) and nobody can change them (the chain's hashes and the database trigger).

The chain is kept per congress. An event goes to the congress of the account acted on, else of
the administrator acting, else to the first congress: the three admin accounts and a
break-glass superuser often belong to no congress, and a policy belongs to the whole
installation, yet their actions must still land in a chain the auditor verifies. Before any
congress exists (the very first setup) there is no chain yet: the action is only logged.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from lvzhi.core.models import Congress, User

log = logging.getLogger("lvzhi.audit")

ACCOUNT = "account"
TOKEN = "token"
DEVICE = "device"
POLICY = "policy"
LOCKOUT = "lockout"
SUBJECT_TYPES = (ACCOUNT, TOKEN, DEVICE, POLICY, LOCKOUT)
SUBJECT_LABELS = {ACCOUNT: "账户", TOKEN: "接口令牌", DEVICE: "动态验证码设备", POLICY: "安全策略",
                  LOCKOUT: "登录锁定"}


def congress_for(*users: User | None) -> int | None:
    for user in users:
        if user is not None and getattr(user, "congress_id", None):
            return user.congress_id
    return Congress.objects.order_by("pk").values_list("pk", flat=True).first()


def record(subject_type: str, subject_id: int, name: str, label: str, *, actor: User | None = None,
           target: User | None = None, payload: dict[str, Any] | None = None,
           from_state: str = "", to_state: str = ""):
    """Append one administrative event; returns it (None before any congress exists)."""
    from lvzhi.cases.events import append_subject_event

    if actor is not None and not getattr(actor, "pk", None):
        actor = None  # AnonymousUser, or a command line without an account
    congress_id = congress_for(target, actor)
    body = dict(payload or {})
    if target is not None:
        body.setdefault("username", target.username)
    if congress_id is None:
        log.warning("审计事件未入链（尚无人大）：%s %s#%s %s", name, subject_type, subject_id, body)
        return None
    with transaction.atomic():
        return append_subject_event(subject_type, int(subject_id), congress_id, actor, name, label,
                                    payload=body, at=timezone.now(), from_state=from_state,
                                    to_state=to_state)


# ------------------------------------------------------------------ how events are shown

# Subjects other than these administrative ones: the case engine's and the other apps' own.
OTHER_SUBJECT_LABELS = {"case": "案件", "meeting": "会议", "ballot": "表决", "draft": "法规草案",
                        "filing_batch": "备案批次", "import": "导入", "budget_import": "预算导入",
                        "supervision_plan": "监督计划", "opinion": "审议意见", "topic": "监督议题",
                        "regulation": "地方性法规", "bill": "法规案", "legislative_plan": "立法计划",
                        "leg_suggestion": "立法建议", "cleanup": "法规清理", "comment_period": "征求意见",
                        "comment": "草案意见", "activity": "履职活动", "petition": "信访代办",
                        "mediation": "诉前调解", "member_link": "联系代表",
                        "livelihood_project": "民生实事项目",
                        "budget_question": "代表预算意见", "budget_report": "专项监督报告",
                        "budget_rules": "预算预警规则"}

# Payload keys the auditor reads, in Chinese; a key not listed is shown as it is.
PAYLOAD_LABELS = {
    "username": "用户名", "role": "角色", "congress": "人大", "organization": "机构", "from": "原值",
    "to": "新值", "changes": "修改内容", "ip": "地址", "failures": "失败次数", "device": "设备",
    "confirmed": "已确认", "title": "标题", "cosigners": "附议代表", "invited": "邀请", "number": "编号",
    "category": "类别", "reason": "理由", "note": "说明", "unit": "单位", "units": "单位",
    "new_unit": "新承办单位", "approved": "同意", "accepted": "采纳", "reply_id": "答复",
    "reply_class": "答复分类", "promises": "承诺事项", "verdict": "评价", "comment": "意见",
    "round": "轮次", "old_due": "原期限", "new_due": "新期限", "months": "延长月数", "stage": "阶段",
    "opinion": "会办意见", "co_closed": "结束的会办", "commitment": "承诺", "finding": "回头看结论",
    "reopened": "重新办理", "bundle": "集中督办", "bundle_id": "集中督办编号", "kind": "类型",
    "leader": "领导", "committee": "专门委员会", "result": "结果", "target_id": "并入案件",
    "target_number": "并入案件编号", "suggestion_id": "转成的建议", "suggestion_number": "建议编号",
    "motion_id": "原议案", "motion_number": "议案编号", "source_ref": "来源", "deputy": "代表",
    "year": "年度", "due_on": "截止日期", "file": "文件", "row": "行", "dispatch": "调度",
    "dispatch_id": "调度编号", "report_id": "进展报告", "percent": "进度", "on_time": "按时",
    "milestone": "节点", "summary": "摘要", "undone_milestones": "未完成节点", "responsible_leader": "分管领导",
    "planned_lead": "拟主办单位", "planned_co": "拟会办单位", "all_replied": "全部答复", "overdue": "超期",
    "deadline_id": "期限", "policy": "策略", "token": "接口令牌", "expires_at": "到期时间",
    "superuser": "超级用户", "at": "时间", "path": "地址",
    "method": "方式", "happened_on": "日期", "participants": "参加人员", "reply_due": "答复期限",
    "unconfirmed": "未确认的附议代表", "evaluated_round": "评价的轮次", "milestones": "节点数", "late": "逾期",
    "returned": "退回",
    # the budget supervision's
    "remark": "意见", "cause": "原因", "to_unit": "推送单位", "from_unit": "说明单位", "department": "部门",
    "text": "说明", "start": "起", "end": "止", "month": "月份", "warnings": "预警件数", "rule": "预警规则",
    "changed": "修改内容", "key": "预警对象", "measured": "监测值", "threshold": "预警阈值",
}


def subject_label(code: str) -> str:
    return SUBJECT_LABELS.get(code) or OTHER_SUBJECT_LABELS.get(code) or code


def subject_shown(event) -> str:
    """"案件 第…号" for a case (its number, or its id before it has one), else type and id."""
    if event.subject_type == "case" and event.case_id:
        case = event.case
        return f"{case.kind_label} {case.number}" if case.number else f"{case.kind_label}（内部编号{case.pk}）"
    name = event.payload.get("username") if isinstance(event.payload, dict) else ""
    return f"{subject_label(event.subject_type)} {event.subject_id}" + (f"（{name}）" if name else "")


def state_shown(event, code: str) -> str:
    """A state by its label: the case kind's (lvzhi.cases.kinds), a role for an account's role
    change; the code itself only if nothing knows it."""
    if not code:
        return ""
    if event.subject_type == "case" and event.case_id:
        from lvzhi.cases.kinds import get_kind

        try:
            return get_kind(event.case.kind).state_label(code)
        except LookupError:
            return code
    from lvzhi.core.models import Role

    return dict(Role.choices).get(code, code)


def payload_rows(payload: Any) -> list[tuple[str, str]]:
    """An event's payload as (label, value) rows; nested values joined in Chinese."""
    if not isinstance(payload, dict):
        return [("详情", str(payload))] if payload else []

    def shown(value: Any) -> str:
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, dict):
            return "；".join(f"{PAYLOAD_LABELS.get(str(k), k)}：{shown(v)}" for k, v in value.items())
        if isinstance(value, list | tuple):
            return "、".join(shown(v) for v in value)
        return "" if value is None else str(value)

    return [(PAYLOAD_LABELS.get(k, k), shown(v)) for k, v in payload.items()]
