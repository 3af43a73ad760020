"""Who sees key tasks and who may move them: the office and the 主任会议 all, an assigned
committee its own, deputies and units none; only the 主任会议 approves a 销号."""

from __future__ import annotations

import pytest

from lvzhi.cases.engine import fire, open_case
from lvzhi.cases.models import Case
from lvzhi.cases.permissions import may_open, visible_cases
from lvzhi.cases.policy import offered
from lvzhi.cases.workflow import NotAllowed
from lvzhi.core.models import Organization, OrganizationKind, Role
from lvzhi.keytasks.tests.helpers import EVIDENCE, open_task, task_data, to_handling
from lvzhi.testing import make_user

pytestmark = pytest.mark.django_db


def key_tasks(user):
    return visible_cases(user).filter(kind="key_task")


@pytest.fixture
def other_committee(world):
    org = Organization.objects.create(congress=world.congress, kind=OrganizationKind.COMMITTEE,
                                      name="教育科学文化卫生委员会")
    return org, make_user(f"edu{world.congress.pk}", Role.COMMITTEE_STAFF, world.congress, org, "钱专委")


def test_deputies_and_units_see_no_key_task(world):
    to_handling(world)
    open_task(world)
    for user in (world.deputy_user, world.handlers[0], world.heads[0], world.sysadmin,
                 world.other_congress_clerk):
        assert not key_tasks(user).exists(), user
    assert key_tasks(world.office_clerk).count() == 2
    assert key_tasks(world.leader).count() == 2  # drafts included: the 主任会议 sees the whole list


def test_only_the_office_opens_a_key_task(world):
    assert may_open(world.office_clerk, "key_task")
    for user in (world.clerk, world.leader, world.committee_staff, world.deputy_user, world.handlers[0]):
        assert not may_open(user, "key_task"), user
        with pytest.raises(NotAllowed):
            open_case("key_task", "open", user, task_data(world), congress_id=world.congress.pk)
    assert not Case.objects.filter(kind="key_task").exists()


def test_a_committee_sees_only_its_own_tasks(world, other_committee):
    org, staff = other_committee
    mine = to_handling(world)
    theirs = open_task(world, title="开展全市义务教育优质均衡发展专题询问", category="监督")
    fire(theirs, "submit_for_approval", world.office_clerk)
    fire(theirs, "approve", world.leader)
    fire(theirs, "assign", world.office_clerk, {"mode": "lead", "lead": org.pk})
    unassigned = open_task(world, title="开展人大理论与实践课题研究", category="自身建设")
    assert list(key_tasks(world.committee_staff)) == [mine]
    assert list(key_tasks(staff)) == [theirs]
    assert unassigned not in key_tasks(world.committee_staff)
    # 代表工委 staff is a clerk, but not of the 办公室: nothing unless assigned.
    assert not key_tasks(world.clerk).exists()
    # Another committee cannot report on a task it does not lead.
    lead = mine.assignments.get()
    with pytest.raises(NotAllowed):
        fire(mine, "report_progress", staff, {"assignment": lead.pk, "text": "不相关的部门报送进展情况。",
                                              "percent": 10})


def test_a_committee_cannot_approve_a_close_out(world):
    case = to_handling(world)
    assert {t.name for t in offered(case, world.committee_staff)} >= {"report_progress", "mark_milestone"}
    with pytest.raises(NotAllowed):
        fire(case, "propose_close_out", world.committee_staff, {"evidence": EVIDENCE})
    fire(case, "propose_close_out", world.office_clerk, {"evidence": EVIDENCE})
    case.refresh_from_db()
    for user in (world.committee_staff, world.office_clerk):
        assert "close_out" not in {t.name for t in offered(case, user)}
        with pytest.raises(NotAllowed):
            fire(case, "close_out", user, {"approve": "1"})
    case.refresh_from_db()
    assert case.state == "replied"
    assert "close_out" in {t.name for t in offered(case, world.leader)}


def test_only_the_leaders_approve_the_list(world):
    case = open_task(world)
    fire(case, "submit_for_approval", world.office_clerk)
    for user in (world.office_clerk, world.committee_staff):
        with pytest.raises(NotAllowed):
            fire(case, "approve", user)
    case.refresh_from_db()
    assert {t.name for t in offered(case, world.leader)} == {"approve", "return_draft"}


def test_what_each_role_is_offered_in_progress(world):
    case = to_handling(world)
    assert {t.name for t in offered(case, world.office_clerk)} == {"propose_close_out", "urge"}  # no dispatch yet
    assert {t.name for t in offered(case, world.committee_staff)} == {"report_progress", "mark_milestone",
                                                                     "acknowledge"}
    assert {t.name for t in offered(case, world.leader)} == set()
