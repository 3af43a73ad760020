"""Builders for tests: a small but real congress world with one account per role.

Used by the pytest fixtures in conftest.py and by the property-based tests; the demo data
(lvzhi/demo/builder.py, run by `manage.py seed_demo`) builds a large one the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from lvzhi.cases.engine import fire
from lvzhi.cases.models import Case
from lvzhi.core.models import (
    Congress,
    CongressLevel,
    Organization,
    OrganizationKind,
    Role,
    Session,
    Term,
    User,
)
from lvzhi.deputies.models import Delegation, Deputy, Gender
from lvzhi.suggestions.services import create_draft

PASSWORD = "Lvzhi-Test-2026"

SUGGESTION_BODY = (
    "我市老旧小区加装电梯工作推进缓慢，部分小区因低楼层住户意见不一、资金筹措困难、"
    "审批流程繁琐而长期停滞。建议市住建局会同自然资源局简化审批流程，明确财政补贴标准，"
    "建立社区协商机制，推动加装电梯工作提速。"
)


@dataclass
class World:
    congress: Congress
    term: Term
    session: Session
    clerk: User
    leader: User
    committee_staff: User
    committee: Organization
    units: list[Organization]
    handlers: list[User]
    heads: list[User]
    deputies: list[Deputy]
    sysadmin: User
    other_congress_clerk: User
    general_office: Organization | None = None  # 办公室: the committee's own key tasks
    office_clerk: User | None = None
    users: dict[str, User] = field(default_factory=dict)

    @property
    def deputy_user(self) -> User:
        return self.deputies[0].user

    def handler_of(self, unit: Organization) -> User:
        return self.handlers[self.units.index(unit)]

    def head_of(self, unit: Organization) -> User:
        return self.heads[self.units.index(unit)]


def make_user(username: str, role: str, congress: Congress | None,
              organization: Organization | None = None, name: str = "") -> User:
    user = User(username=username, role=role, congress=congress, organization=organization,
                display_name=name or username)
    user.set_password(PASSWORD)
    user.save()
    return user


def build_world(name: str = "北辰市人民代表大会", n_deputies: int = 12, n_units: int = 3,
                today: dt.date | None = None) -> World:
    today = today or dt.date.today()
    congress = Congress.objects.create(name=name, short_name=name.replace("人民代表大会", "人大"),
                                       level=CongressLevel.CITY)
    term = Term.objects.create(congress=congress, number=16, start_on=dt.date(2022, 1, 10))
    session = Session.objects.create(term=term, number=5, opens_on=today - dt.timedelta(days=40),
                                     closes_on=today - dt.timedelta(days=36))
    committee = Organization.objects.create(congress=congress, kind=OrganizationKind.COMMITTEE,
                                            name="城乡建设环境与资源保护委员会")
    office = Organization.objects.create(congress=congress, kind=OrganizationKind.WORKING_BODY,
                                         name="代表工作委员会", function="suggestion_office")
    general_office = Organization.objects.create(congress=congress, kind=OrganizationKind.WORKING_BODY,
                                                 name="办公室", function="general_office")
    unit_names = ["市住房和城乡建设局", "市自然资源和规划局", "市交通运输局", "市教育局",
                  "市卫生健康委员会"][:n_units]
    units = [Organization.objects.create(congress=congress, kind=OrganizationKind.UNIT, name=n,
                                         field="城乡建设") for n in unit_names]
    prefix = congress.pk
    clerk = make_user(f"clerk{prefix}", Role.CLERK, congress, office, "王文书")
    office_clerk = make_user(f"office{prefix}", Role.CLERK, congress, general_office, "周秘书")
    leader = make_user(f"leader{prefix}", Role.LEADER, congress, None, "李主任")
    staff = make_user(f"staff{prefix}", Role.COMMITTEE_STAFF, congress, committee, "赵专委")
    handlers = [make_user(f"handler{prefix}_{i}", Role.UNIT_HANDLER, congress, u, f"经办人{i}")
                for i, u in enumerate(units)]
    heads = [make_user(f"head{prefix}_{i}", Role.UNIT_HEAD, congress, u, f"负责人{i}")
             for i, u in enumerate(units)]
    sysadmin = make_user(f"sysadmin{prefix}", Role.SYSTEM_ADMIN, congress)
    delegation = Delegation.objects.create(congress=congress, name="城东区代表团")
    deputies = []
    for i in range(n_deputies):
        user = make_user(f"deputy{prefix}_{i}", Role.DEPUTY, congress, name=f"代表{i}")
        d = Deputy(congress=congress, term=term, user=user, name=f"代表{i}", gender=Gender.FEMALE,
                   delegation=delegation)
        d.phone = f"1380000{i:04d}"
        d.save()
        deputies.append(d)
    other = Congress.objects.create(name=f"{name}外市", short_name="外市人大",
                                    level=CongressLevel.CITY)
    other_clerk = make_user(f"otherclerk{prefix}", Role.CLERK, other, None, "外市文书")
    return World(congress, term, session, clerk, leader, staff, committee, units, handlers,
                 heads, deputies, sysadmin, other_clerk, general_office, office_clerk)


def draft(world: World, deputy_index: int = 0, cosigners: int = 2, **overrides: Any) -> Case:
    data = {"kind": "suggestion", "title": "关于加快老旧小区加装电梯的建议",
            "body": SUGGESTION_BODY, "category": "城乡建设",
            "cosigners": [d.pk for d in world.deputies[deputy_index + 1:deputy_index + 1 + cosigners]]}
    data.update(overrides)
    return create_draft(world.deputies[deputy_index].user, data, session=world.session)


def to_state(world: World, case: Case, state: str) -> Case:
    """Drive a suggestion through the real workflow up to `state` (no shortcut writes)."""
    steps = ["submitted", "registered", "handling", "replied", "closed"]
    deputy = case.lead_deputy.user
    unit = world.units[0]
    for step in steps[: steps.index(state) + 1]:
        if step == "submitted":
            fire(case, "submit", deputy)
            for c in case.cosigns.all():
                fire(case, "confirm_cosign", c.deputy.user)
        elif step == "registered":
            fire(case, "register", world.clerk, {"category": "城乡建设"})
        elif step == "handling":
            fire(case, "assign", world.clerk, {"mode": "lead", "lead": unit.pk,
                                               "co": [world.units[1].pk]})
        elif step == "replied":
            lead = case.assignments.get(unit=unit)
            fire(case, "draft_reply", world.handler_of(unit), {
                "assignment": lead.pk, "reply_class": "B",
                "text": "经研究，我局已将老旧小区加装电梯纳入年度民生实事，简化审批流程，"
                        "明确每台电梯补贴二十万元，由房屋安全管理处负责推进。",
                "promises": f"{dt.date.today() + dt.timedelta(days=90)} 出台加装电梯补贴实施细则"})
            reply = case.replies.filter(assignment=lead).latest("id")
            fire(case, "sign_reply", world.head_of(unit), {"reply": reply.pk, "confirm": True})
            fire(case, "accept_reply", world.clerk, {"reply": reply.pk})
        elif step == "closed":
            fire(case, "evaluate", deputy, {"verdict": "satisfied", "comment": "办理认真"})
    case.refresh_from_db()
    return case


def offers_disagree(case: Case, users: dict[str, User | None]) -> list[str]:
    """Where the case page's buttons, the API's available_transitions and fire()'s refusals
    disagree for these accounts (empty when they all agree). A refused fire must change nothing;
    the caller compares a snapshot around this call."""
    import re

    from django.test import Client
    from django.urls import reverse
    from rest_framework.test import APIClient

    from lvzhi.cases.kinds import get_kind
    from lvzhi.cases.permissions import visible_cases
    from lvzhi.cases.policy import offered
    from lvzhi.cases.workflow import TransitionError

    action = re.compile(r'action="/cases/(\d+)/do/([a-z_]+)/"')
    link = re.compile(r'href="(/cases/\d+/[a-z]+/)"')
    kind = get_kind(case.kind)
    wrong: list[str] = []
    for key, user in users.items():
        if user is None or not user.is_active:
            continue
        fresh = Case.objects.get(pk=case.pk)
        expected = {t.name for t in offered(fresh, user)}
        page, api = Client(), APIClient()
        page.force_login(user)
        api.force_authenticate(user)
        if visible_cases(user).filter(pk=case.pk).exists():
            html = page.get(f"/cases/{case.pk}/").content.decode()
            shown = {name for pk, name in action.findall(html) if int(pk) == case.pk}
            links = set(link.findall(html))
            shown |= {t.name for t in kind.workflow.transitions.values()
                      if t.page and reverse(t.page, args=[case.pk]) in links}
            if shown != expected:
                wrong.append(f"{key}: page {sorted(shown)} ≠ {sorted(expected)}")
            listed = {t["name"] for t in api.get(f"/api/v1/cases/{case.pk}/").json()["available_transitions"]}
            if listed != expected:
                wrong.append(f"{key}: API {sorted(listed)} ≠ {sorted(expected)}")
        elif expected or page.get(f"/cases/{case.pk}/").status_code != 404:
            wrong.append(f"{key}: offered {sorted(expected)} on a case it cannot see")
        for t in kind.workflow.transitions.values():
            if t.name in expected or "" in t.sources:
                continue
            try:
                fire(case.pk, t.name, user, {})
            except TransitionError:  # 403, 409, or 400 for a form with nothing to choose
                continue
            wrong.append(f"{key}: {t.name} succeeded although it was not offered")
    return wrong
