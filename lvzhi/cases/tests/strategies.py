"""Helpers for the case engine's invariant tests: a cast of every role account, a happy-path
driver that moves a case to a given state through fire(), a snapshot of everything fire() may
write, and hypothesis strategies that build payloads from a transition's own form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django import forms
from django.test import override_settings
from django.utils import timezone
from hypothesis import strategies as st

from lvzhi.cases.engine import fire
from lvzhi.cases.models import (
    Assignment,
    Bundle,
    Case,
    CaseNumberCounter,
    ChainHead,
    Commitment,
    Contact,
    Cosign,
    Deadline,
    Evaluation,
    Event,
    Reply,
    Supervision,
)
from lvzhi.cases.workflow import Transition
from lvzhi.core.models import Organization, OrganizationKind, Role, User
from lvzhi.suggestions.models import MotionDetail, SuggestionDetail
from lvzhi.suggestions.services import create_draft
from lvzhi.suggestions.states import SuggestionState
from lvzhi.testing import SUGGESTION_BODY, World, build_world, make_user

S = SuggestionState
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

REPLY_TEXT = ("经研究，我局已将老旧小区加装电梯纳入年度民生实事，简化审批流程，"
              "明确每台电梯补贴二十万元，由房屋安全管理处负责推进。")
MOTION_FIELDS = {
    "cause": "老旧小区加装电梯推进缓慢，群众反映强烈。",
    "basis": "根据住房和城乡建设部有关老旧小区改造的指导意见及本市实施方案。",
    "plan": "制定本市既有住宅加装电梯条例，明确审批、补贴和协商程序。",
}


@contextmanager
def fast_passwords() -> Iterator[None]:
    """build_world hashes ~25 passwords; PBKDF2 makes that ~5 s, MD5 makes it instant."""
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        yield


@dataclass
class Cast:
    """Every account that could touch a case, keyed by who it is relative to the case.

    Deputies: 0 leads; 1 is invited (left unconfirmed); 2 confirms; 11 is never invited.
    Units: 0 leads; 1 is co-unit until reassigned away to 3 (then `co_*`); 2 is never assigned.
    """

    world: World
    users: dict[str, User | None]
    other_committee: Organization

    def __getitem__(self, key: str) -> User | None:
        return self.users[key]


ACTOR_KEYS = [
    "lead_deputy", "cosigner", "confirmed_cosigner", "uninvited_deputy", "clerk", "inactive_clerk",
    "other_clerk", "leader", "staff", "other_staff", "lead_handler", "lead_head", "co_handler",
    "co_head", "away_handler", "away_head", "free_handler", "free_head", "sysadmin", "secadmin", "auditadmin", "system",
    "general_office",
]


def build_cast(n_deputies: int = 12) -> Cast:
    with fast_passwords():
        w = build_world(n_deputies=n_deputies, n_units=5)
        c = w.congress
        other_committee = Organization.objects.create(
            congress=c, kind=OrganizationKind.COMMITTEE, name="教育科学文化卫生委员会")
        extra = {
            "secadmin": make_user(f"secadmin{c.pk}", Role.SECURITY_ADMIN, c),
            "auditadmin": make_user(f"auditadmin{c.pk}", Role.AUDIT_ADMIN, c),
            "other_staff": make_user(f"otherstaff{c.pk}", Role.COMMITTEE_STAFF, c,
                                     other_committee, "钱专委"),
            "inactive_clerk": make_user(f"oldclerk{c.pk}", Role.CLERK, c, None, "离职文书"),
        }
    extra["inactive_clerk"].is_active = False
    extra["inactive_clerk"].save(update_fields=["is_active"])
    users: dict[str, User | None] = {
        "lead_deputy": w.deputies[0].user, "cosigner": w.deputies[1].user,
        "confirmed_cosigner": w.deputies[2].user, "uninvited_deputy": w.deputies[-1].user,
        "clerk": w.clerk, "other_clerk": w.other_congress_clerk, "leader": w.leader,
        "staff": w.committee_staff, "lead_handler": w.handlers[0], "lead_head": w.heads[0],
        "co_handler": w.handlers[3], "co_head": w.heads[3],
        "away_handler": w.handlers[1], "away_head": w.heads[1], "free_handler": w.handlers[2],
        "free_head": w.heads[2], "sysadmin": w.sysadmin, "system": None,
        # Staff of the 办公室: a working body, but not the office of motions and suggestions.
        "general_office": w.office_clerk, **extra,
    }
    assert set(users) == set(ACTOR_KEYS)
    return Cast(w, users, other_committee)


def new_case(cast: Cast, kind: str = "suggestion", *, interim: bool = False,
             confidential: bool = False) -> Case:
    """A draft by deputy 0; suggestions invite deputies 1–2, motions 1–10 (≥10 signatures)."""
    w = cast.world
    n = 2 if kind == "suggestion" else 10
    data: dict[str, Any] = {
        "kind": kind, "title": "关于加快老旧小区加装电梯的建议", "body": SUGGESTION_BODY,
        "category": "城乡建设", "cosigners": [d.pk for d in w.deputies[1:1 + n]],
        "confidential": confidential}
    if kind == "motion":
        data.update(MOTION_FIELDS, title="关于制定既有住宅加装电梯条例的议案")
    return create_draft(w.deputies[0].user, data, session=None if interim else w.session)


SUGGESTION_PATH = ["draft", "submitted", "registered", "handling", "replied", "closed"]
MOTION_PATH = ["draft", "submitted", "registered", "referred", "closed"]


def advance(cast: Cast, case: Case, target: str) -> Case:
    """Move a case forward along the happy path to `target`, one real transition at a time."""
    w = cast.world
    path = SUGGESTION_PATH if case.kind == "suggestion" else MOTION_PATH
    if target in ("returned", "withdrawn", "merged", "converted"):
        base = {"returned": "submitted", "withdrawn": "submitted", "merged": "submitted",
                "converted": "registered"}[target]
        case = advance(cast, case, base)
        if target == "returned":
            fire(case, "return_for_revision", w.clerk, {"reason": "请补充具体措施"})
        elif target == "withdrawn":
            fire(case, "withdraw", w.deputies[0].user, {"reason": "问题已经解决"})
        elif target == "converted":
            fire(case, "convert", w.clerk, {"reason": "联名人数不足"})
        else:
            other = advance(cast, new_case(cast), "registered")
            fire(case, "merge", w.clerk, {"target": other.pk, "reason": "内容相同"})
        case.refresh_from_db()
        return case
    case.refresh_from_db()
    while path.index(case.state) < path.index(target):
        _step(cast, case, path[path.index(case.state) + 1])
        case.refresh_from_db()
    return case


def _step(cast: Cast, case: Case, nxt: str) -> None:
    w = cast.world
    if nxt == "submitted":
        fire(case, "submit", w.deputies[0].user)
        for c in case.cosigns.exclude(deputy=w.deputies[1]):  # deputy 1 stays invited
            fire(case, "confirm_cosign", c.deputy.user)
    elif nxt == "registered":
        fire(case, "register", w.clerk, {"category": "城乡建设"})
    elif nxt == "referred":
        fire(case, "refer_to_committee", w.clerk, {"committee": w.committee.pk})
    elif nxt == "handling":
        fire(case, "assign", w.clerk, {"mode": "lead", "lead": w.units[0].pk,
                                       "co": [w.units[1].pk]})
        co = case.assignments.get(unit=w.units[1])
        fire(case, "request_reassignment", w.handlers[1],
             {"assignment": co.pk, "reason": "该事项属于规划审批职责，不属于本单位"})
        fire(case, "decide_reassignment", w.clerk,
             {"assignment": co.pk, "approve": "1", "new_unit": w.units[3].pk})
    elif nxt == "replied":
        lead = case.assignments.get(unit=w.units[0])
        promise = timezone.localdate() + dt.timedelta(days=90)
        fire(case, "draft_reply", w.handlers[0], {
            "assignment": lead.pk, "reply_class": "B", "text": REPLY_TEXT,
            "promises": f"{promise} 出台加装电梯补贴实施细则"})
        reply = case.replies.filter(assignment=lead).latest("id")
        fire(case, "sign_reply", w.heads[0], {"reply": reply.pk, "confirm": True})
        fire(case, "accept_reply", w.clerk, {"reply": reply.pk})
    elif nxt == "closed":
        if case.kind == "motion":
            fire(case, "committee_report", w.committee_staff,
                 {"result": "委员会经审议认为该议案所提问题确实存在，建议列入明年立法计划，先行开展立法调研。"})
        else:
            fire(case, "evaluate", w.deputies[0].user, {"verdict": "satisfied", "comment": "办理认真"})
    else:  # pragma: no cover - a typo in a test
        raise ValueError(nxt)


# ------------------------------------------------------------------------------- snapshots

def snapshot(congress_id: int) -> dict[str, Any]:
    """Everything fire() could write for one congress, as plain comparable data."""
    by_case = {"case__congress_id": congress_id}

    def rows(model, **filters) -> list[dict[str, Any]]:
        return list(model.objects.filter(**filters).order_by("pk").values())

    return {
        "cases": [{k: v for k, v in r.items() if k != "updated_at"}
                  for r in rows(Case, congress_id=congress_id)],
        "assignments": rows(Assignment, **by_case), "replies": rows(Reply, **by_case),
        "cosigns": rows(Cosign, **by_case), "contacts": rows(Contact, **by_case),
        "commitments": rows(Commitment, **by_case), "evaluations": rows(Evaluation, **by_case),
        "supervisions": rows(Supervision, **by_case), "deadlines": rows(Deadline, **by_case),
        "bundles": [(b.pk, b.title, sorted(b.cases.values_list("pk", flat=True)))
                    for b in Bundle.objects.filter(congress_id=congress_id).order_by("pk")],
        "suggestion_details": rows(SuggestionDetail, **by_case),
        "motion_details": rows(MotionDetail, **by_case),
        "counters": rows(CaseNumberCounter, congress_id=congress_id),
        "events": Event.objects.filter(congress_id=congress_id).count(),
        "head": list(ChainHead.objects.filter(congress_id=congress_id).values_list("seq", "hash")),
    }


def diff(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [k for k in before if before[k] != after[k]]


# ------------------------------------------------------------------------------ payloads

TEXT = "经与代表当面沟通，双方就办理措施、时间安排和资金来源等问题充分交换了意见并形成共识"


def _text(min_length: int | None, max_length: int | None) -> str:
    n = max(min_length or 0, 12)
    text = (TEXT * (n // len(TEXT) + 1))[:max(n, 24)]
    return text[:max_length] if max_length else text


@st.composite
def payloads(draw, t: Transition, case: Case, actor: User | None) -> dict[str, Any]:
    """A payload built from the transition's form: choices come from its querysets, so most
    are valid for the current state; cross-field rules (split needs two units …) may still
    fail, which exercises InvalidInput."""
    form = t.form(None, case=case, actor=actor)
    data: dict[str, Any] = {}
    today = timezone.localdate()
    for name, field in form.fields.items():
        if not field.required and draw(st.integers(0, 4)) == 0:
            continue  # leave optional fields out now and then
        if isinstance(field, forms.FileField):
            continue
        if isinstance(field, forms.ModelMultipleChoiceField):
            pks = list(field.queryset.values_list("pk", flat=True)[:6])
            data[name] = draw(st.lists(st.sampled_from(pks), max_size=3, unique=True)) if pks else []
        elif isinstance(field, forms.ModelChoiceField):
            pks = list(field.queryset.values_list("pk", flat=True)[:6])
            if pks:
                data[name] = draw(st.sampled_from(pks))
        elif isinstance(field, forms.ChoiceField):
            values = [str(v) for v, _ in field.choices if v != ""]
            if values:
                data[name] = draw(st.sampled_from(values))
        elif isinstance(field, forms.BooleanField):
            data[name] = True
        elif isinstance(field, forms.IntegerField):
            data[name] = draw(st.integers(field.min_value or 0, field.max_value or 6))
        elif isinstance(field, forms.DateField):
            data[name] = (today - dt.timedelta(days=draw(st.integers(0, 30)))).isoformat()
        elif name == "promises":
            data[name] = draw(st.sampled_from(
                ["", f"{today + dt.timedelta(days=60)} 出台加装电梯补贴实施细则"]))
        elif isinstance(field, forms.CharField):
            data[name] = _text(field.min_length, field.max_length)
    return data


@st.composite
def broken(draw, data: dict[str, Any]) -> dict[str, Any]:
    """Deliberately bad input: nothing, an unknown id, too-short text, a wrong choice."""
    how = draw(st.sampled_from(["empty", "bad_id", "short", "bad_choice"]))
    if how == "empty" or not data:
        return {}
    key = draw(st.sampled_from(sorted(data)))
    bad = dict(data)
    # A JSON number where text is expected, as an API client may send.
    bad[key] = {"bad_id": 987654321, "short": "短", "bad_choice": "不存在的选项"}[how]
    return bad
