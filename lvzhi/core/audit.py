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
