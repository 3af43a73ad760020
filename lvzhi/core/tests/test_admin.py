"""Three separated admin roles; a calendar change moves open deadlines."""

from __future__ import annotations

import datetime as dt

import pytest

from lvzhi.cases.handling import DeadlineKind
from lvzhi.core.models import DayOverride, Role
from lvzhi.testing import draft, make_user, to_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins(world):
    users = {role: make_user(f"{role}-x", role, world.congress)
             for role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)}
    return {**users, "world": world}


@pytest.mark.parametrize(("role", "url", "status"), [
    (Role.SYSTEM_ADMIN, "/admin/core/user/", 200),
    (Role.SYSTEM_ADMIN, "/admin/cases/event/", 403),
    (Role.SYSTEM_ADMIN, "/admin/axes/accessattempt/", 403),
    (Role.SECURITY_ADMIN, "/admin/axes/accessattempt/", 200),
    (Role.SECURITY_ADMIN, "/admin/core/user/", 403),
    (Role.AUDIT_ADMIN, "/admin/cases/event/", 200),
    (Role.AUDIT_ADMIN, "/admin/core/user/", 403),
])
def test_each_admin_role_sees_only_its_part(client, admins, role, url, status):
    to_state(admins["world"], draft(admins["world"]), "submitted")
    client.force_login(admins[role])
    assert client.get(url).status_code == status


def test_audit_admin_cannot_change_events(client, world, admins):
    to_state(world, draft(world), "submitted")
    client.force_login(admins[Role.AUDIT_ADMIN])
    from lvzhi.cases.models import Event
    event = Event.objects.first()
    resp = client.post(f"/admin/cases/event/{event.pk}/change/", {"label": "改"})
    assert resp.status_code == 403
    event.refresh_from_db()
    assert event.label != "改"


def test_case_content_is_not_in_the_admin(client, admins):
    client.force_login(admins[Role.SYSTEM_ADMIN])
    assert client.get("/admin/cases/case/").status_code == 404


def test_deputy_cannot_enter_the_admin(client, world):
    client.force_login(world.deputy_user)
    assert client.get("/admin/").status_code == 302


def test_day_off_moves_open_working_day_deadlines(world, django_capture_on_commit_callbacks):
    case = to_state(world, draft(world), "handling")
    window = case.deadlines.get(kind=DeadlineKind.REASSIGN_WINDOW, assignment__role="lead")
    before = window.due_on
    day_off = window.start_on + dt.timedelta(days=1)
    while day_off.weekday() >= 5:
        day_off += dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        DayOverride.objects.create(congress=world.congress, day=day_off, is_workday=False, note="地方假日")
    window.refresh_from_db()
    assert window.due_on > before
