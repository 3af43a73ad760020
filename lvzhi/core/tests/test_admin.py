"""Three separated admin roles (三权分立) and the audit of their actions; a calendar change
moves open deadlines."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from lvzhi.cases.events import verify_chain
from lvzhi.cases.handling import DeadlineKind
from lvzhi.cases.models import Event
from lvzhi.core import tokens
from lvzhi.core.models import ApiToken, DayOverride, Role, SecurityPolicy, User
from lvzhi.testing import PASSWORD, draft, make_user, to_state

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
    # The system administrator reaches none of the security administrator's or auditor's pages.
    (Role.SYSTEM_ADMIN, "/admin/core/securitypolicy/", 403),
    (Role.SYSTEM_ADMIN, "/admin/otp_totp/totpdevice/", 403),
    (Role.SYSTEM_ADMIN, "/admin/axes/accesslog/", 403),
    (Role.SYSTEM_ADMIN, "/admin/admin/logentry/", 403),
    (Role.SYSTEM_ADMIN, "/admin/audit/", 403),
    (Role.SECURITY_ADMIN, "/admin/core/securitypolicy/", 200),
    (Role.SECURITY_ADMIN, "/admin/otp_totp/totpdevice/", 200),
    (Role.SECURITY_ADMIN, "/admin/admin/logentry/", 403),
    (Role.SECURITY_ADMIN, "/admin/audit/", 403),
    (Role.AUDIT_ADMIN, "/admin/admin/logentry/", 200),
    (Role.AUDIT_ADMIN, "/admin/audit/", 200),
    (Role.AUDIT_ADMIN, "/admin/core/securitypolicy/", 200),
    (Role.AUDIT_ADMIN, "/admin/axes/accessattempt/", 403),
    # Nobody sees API tokens in the admin, not even by their old address.
    (Role.SYSTEM_ADMIN, "/admin/core/apitoken/", 404),
    (Role.SYSTEM_ADMIN, "/admin/authtoken/tokenproxy/", 404),
    (Role.SECURITY_ADMIN, "/admin/core/apitoken/", 404),
    (Role.AUDIT_ADMIN, "/admin/core/apitoken/", 404),
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


# ------------------------------------------------------------------ 三权分立 for accounts

def admin_events(name: str, subject_id: int | None = None):
    qs = Event.objects.filter(name=name)
    return qs.filter(subject_id=subject_id) if subject_id else qs


def user_form(user: User, **changes) -> dict:
    data = {"username": user.username, "display_name": user.display_name, "role": user.role,
            "congress": user.congress_id or "", "organization": user.organization_id or "",
            "is_active": "on" if user.is_active else ""}
    if user.must_change_password:
        data["must_change_password"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_demo_admin_accounts_are_plain_roles_and_log_in_without_a_forced_change(client, db):
    from lvzhi.demo import data as D
    from lvzhi.demo.builder import SMALL, DemoBuilder

    builder = DemoBuilder(SMALL)
    builder._structure()
    builder._accounts()
    assert not User.objects.filter(is_superuser=True).exists()
    assert not User.objects.filter(is_staff=True).exists()
    assert not User.objects.filter(must_change_password=True).exists()
    for username, home in (("sysadmin", "/admin/"), ("secadmin", "/admin/"), ("auditor", "/admin/"),
                           ("clerk", reverse("cases:todo"))):
        client.logout()
        assert client.post("/login/", {"username": username, "password": D.DEMO_PASSWORD}).status_code == 302
        resp = client.get("/", follow=True)
        assert resp.status_code == 200 and resp.redirect_chain[-1][0] == home, (username, resp.redirect_chain)


def test_system_admin_cannot_touch_itself_or_other_administrators(client, admins):
    sysadmin = admins[Role.SYSTEM_ADMIN]
    client.force_login(sysadmin)
    # Its own account: read-only, so it cannot make itself a clerk.
    own = f"/admin/core/user/{sysadmin.pk}/change/"
    assert client.get(own).status_code == 200
    assert client.post(own, user_form(sysadmin, role=Role.CLERK)).status_code == 403
    sysadmin.refresh_from_db()
    assert sysadmin.role == Role.SYSTEM_ADMIN
    # The other administrators' accounts, and their passwords.
    secadmin = admins[Role.SECURITY_ADMIN]
    assert client.post(f"/admin/core/user/{secadmin.pk}/change/",
                       user_form(secadmin, is_active="")).status_code == 403
    assert client.post(f"/admin/core/user/{secadmin.pk}/password/",
                       {"password1": "Lvzhi-Temp-2026!", "password2": "Lvzhi-Temp-2026!"}).status_code == 403
    secadmin.refresh_from_db()
    assert secadmin.is_active and secadmin.check_password(PASSWORD)


def test_system_admin_grants_no_admin_role_and_no_superuser(client, admins):
    world = admins["world"]
    client.force_login(admins[Role.SYSTEM_ADMIN])
    clerk = world.clerk
    url = f"/admin/core/user/{clerk.pk}/change/"
    for role in (Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.SYSTEM_ADMIN):
        resp = client.post(url, user_form(clerk, role=role))
        assert resp.status_code == 200 and "role" in resp.context["adminform"].form.errors
    client.post(url, user_form(clerk, is_superuser="on", is_staff="on", display_name="王文书2"))
    clerk.refresh_from_db()
    assert clerk.role == Role.CLERK and not clerk.is_superuser and not clerk.is_staff
    assert clerk.display_name == "王文书2"
    event = admin_events("account_changed", clerk.pk).get()
    assert event.actor == admins[Role.SYSTEM_ADMIN] and event.payload["changes"]["姓名"] == ["王文书", "王文书2"]


def test_new_accounts_must_change_the_initial_password(client, admins):
    world = admins["world"]
    client.force_login(admins[Role.SYSTEM_ADMIN])
    resp = client.post("/admin/core/user/add/", {
        "username": "newclerk", "password1": "Lvzhi-Init-2026!", "password2": "Lvzhi-Init-2026!",
        "display_name": "新文书", "role": Role.CLERK, "congress": world.congress.pk, "organization": ""})
    assert resp.status_code == 302, resp.content.decode()[:2000]
    user = User.objects.get(username="newclerk")
    assert user.must_change_password and not user.is_superuser
    event = admin_events("account_created", user.pk).get()
    assert event.to_state == Role.CLERK and event.congress_id == world.congress.pk
    # A weak initial password is refused in Chinese.
    resp = client.post("/admin/core/user/add/", {
        "username": "weak", "password1": "weakweakweak", "password2": "weakweakweak",
        "role": Role.CLERK, "congress": world.congress.pk})
    assert resp.status_code == 200 and "至少3类" in resp.content.decode()


def test_password_reset_is_temporary_audited_and_revokes_tokens(client, admins):
    world = admins["world"]
    clerk = world.clerk
    _token, key = tokens.issue(clerk)
    client.force_login(admins[Role.SYSTEM_ADMIN])
    page = client.get(f"/admin/core/user/{clerk.pk}/password/")
    assert "临时密码" in page.content.decode() and "unset-password" not in page.content.decode()
    resp = client.post(f"/admin/core/user/{clerk.pk}/password/",
                       {"password1": "Lvzhi-Temp-2026!", "password2": "Lvzhi-Temp-2026!"})
    assert resp.status_code == 302
    clerk.refresh_from_db()
    assert clerk.must_change_password and clerk.check_password("Lvzhi-Temp-2026!")
    assert admin_events("password_reset", clerk.pk).get().actor == admins[Role.SYSTEM_ADMIN]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/me/").status_code == 401
    # Whoever logs in with the temporary password must change it first.
    other = client.__class__()
    other.post("/login/", {"username": clerk.username, "password": "Lvzhi-Temp-2026!"})
    resp = other.get(reverse("intake"))
    assert resp.status_code == 302 and resp.url.startswith("/account/password/")


def test_role_change_and_deactivation_are_audited_and_revoke_tokens(client, admins):
    world = admins["world"]
    clerk = world.clerk
    first, _ = tokens.issue(clerk)
    client.force_login(admins[Role.SYSTEM_ADMIN])
    url = f"/admin/core/user/{clerk.pk}/change/"
    assert client.post(url, user_form(clerk, role=Role.LEADER, organization="")).status_code == 302
    event = admin_events("role_changed", clerk.pk).get()
    assert (event.from_state, event.to_state) == (Role.CLERK, Role.LEADER)
    first.refresh_from_db()
    assert first.revoked_reason == tokens.ROLE_CHANGED
    second, _ = tokens.issue(clerk)
    clerk.refresh_from_db()
    assert client.post(url, user_form(clerk, is_active="")).status_code == 302
    assert admin_events("account_deactivated", clerk.pk).exists()
    second.refresh_from_db()
    assert second.revoked_reason == tokens.DEACTIVATED
    assert admin_events("token_revoked").count() == 2
    # Accounts are deactivated, never deleted.
    assert client.post(f"/admin/core/user/{clerk.pk}/delete/", {"post": "yes"}).status_code == 403
    assert verify_chain(world.congress.pk) == (True, None)


def test_system_admin_reads_no_business_data(client, admins):
    world = admins["world"]
    to_state(world, draft(world), "submitted")
    api = APIClient()
    key = api.post("/api/v1/auth/token/", {"username": admins[Role.SYSTEM_ADMIN].username,
                                           "password": PASSWORD}, format="json").json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    resp = api.get("/api/v1/cases/")
    assert resp.status_code == 200 and resp.json()["count"] == 0
    client.force_login(admins[Role.SYSTEM_ADMIN])
    assert client.get("/admin/cases/case/").status_code == 404
    assert client.get("/cases/").status_code in (302, 403)


# ------------------------------------------------------------------ the security administrator

def test_security_admin_keeps_the_policy_and_each_change_is_audited(client, admins):
    client.force_login(admins[Role.SECURITY_ADMIN])
    data = {"password_min_length": 12, "password_min_classes": 3, "password_history": 5,
            "password_max_age_days": 60, "api_token_days": 7}
    assert client.post("/admin/core/securitypolicy/add/", data).status_code == 302
    policy = SecurityPolicy.current()
    assert (policy.password_min_length, policy.api_token_days) == (12, 7)
    event = admin_events("policy_changed").get()
    assert event.payload["changes"]["密码最短长度"] == [10, 12]
    # Not below the 等保 floors.
    resp = client.post(f"/admin/core/securitypolicy/{policy.pk}/change/", {**data, "password_min_length": 6})
    assert resp.status_code == 200
    assert SecurityPolicy.current().password_min_length == 12
    # The new lifetime applies to tokens issued from now on.
    token, _ = tokens.issue(admins["world"].clerk)
    assert 6 < (token.expires_at - token.created_at).days <= 7
    # The auditor may look, not change.
    client.force_login(admins[Role.AUDIT_ADMIN])
    assert client.post(f"/admin/core/securitypolicy/{policy.pk}/change/", data).status_code == 403


def test_security_admin_unlocks_and_removes_devices_audited(client, admins, settings):
    world = admins["world"]
    settings.LOGIN_DELAY_SECONDS = 0
    for _ in range(5):
        client.post("/login/", {"username": world.clerk.username, "password": "wrong-password"})
    attempt = AccessAttempt.objects.get(username=world.clerk.username)
    device = TOTPDevice.objects.create(user=world.leader, name="履职平台", confirmed=True)
    client.force_login(admins[Role.SECURITY_ADMIN])
    # Nobody adds or edits devices or attempts; the device's secret is never shown.
    assert client.get("/admin/otp_totp/totpdevice/add/").status_code == 403
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert page.status_code == 200 and device.key not in page.content.decode()
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/").status_code == 403
    assert client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not AccessAttempt.objects.exists()
    event = admin_events("lockout_cleared", world.clerk.pk).get()
    assert event.subject_type == "account" and event.actor == admins[Role.SECURITY_ADMIN]
    assert client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"}).status_code == 302
    assert admin_events("device_removed", device.pk).get().payload["username"] == world.leader.username
    # The unlocked owner logs in again.
    client.logout()
    assert client.post("/login/", {"username": world.clerk.username, "password": PASSWORD}).status_code == 302


# ------------------------------------------------------------------ the auditor

def test_auditor_reads_every_administrators_actions_and_changes_none(client, admins):
    world = admins["world"]
    client.force_login(admins[Role.SYSTEM_ADMIN])
    client.post(f"/admin/core/user/{world.clerk.pk}/change/", user_form(world.clerk, display_name="王文书3"))
    client.force_login(admins[Role.AUDIT_ADMIN])
    page = client.get("/admin/audit/")
    text = page.content.decode()
    assert page.status_code == 200 and "修改账户信息" in text and "王文书3" in text
    assert "管理员操作审计" in client.get("/admin/").content.decode()
    entry = LogEntry.objects.get()
    assert str(entry.object_repr) in text
    log_page = client.get("/admin/admin/logentry/")
    assert log_page.status_code == 200 and entry.object_repr in log_page.content.decode()
    assert client.post(f"/admin/admin/logentry/{entry.pk}/change/", {"change_message": "x"}).status_code == 403
    assert client.post(f"/admin/admin/logentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk).exists()
    event = Event.objects.get(name="account_changed")
    assert client.post(f"/admin/cases/event/{event.pk}/delete/", {"post": "yes"}).status_code == 403


def test_a_superuser_login_is_an_audited_event(client, world):
    root = User.objects.create_superuser("root", password=PASSWORD)
    assert client.post("/login/", {"username": "root", "password": PASSWORD}).status_code == 302
    event = admin_events("superuser_login", root.pk).get()
    assert event.congress_id == world.congress.pk and event.subject_type == "account"
    # Even the break-glass account sees no token in the admin site.
    tokens.issue(world.clerk)
    assert client.get("/admin/core/apitoken/").status_code == 404
    assert client.get("/admin/authtoken/tokenproxy/").status_code == 404
    assert ApiToken.objects.count() == 1


def test_admin_accounts_come_from_the_command_line_audited(world, monkeypatch):
    from django.core.management import CommandError, call_command

    monkeypatch.setenv("LVZHI_TEST_PW", "Lvzhi-Admin-2026!")
    call_command("create_admin_account", "secadmin2", "--role", Role.SECURITY_ADMIN, "--name", "吴安全",
                 "--password-env", "LVZHI_TEST_PW", stdout=io.StringIO())
    user = User.objects.get(username="secadmin2")
    assert user.role == Role.SECURITY_ADMIN and user.must_change_password and not user.is_superuser
    event = admin_events("account_created", user.pk).get()
    assert event.actor is None and event.congress_id == world.congress.pk  # the first congress
    monkeypatch.setenv("LVZHI_TEST_PW", "short")
    with pytest.raises(CommandError, match="至少需要10个字符"):
        call_command("create_admin_account", "x", "--role", Role.AUDIT_ADMIN, "--password-env", "LVZHI_TEST_PW")
    with pytest.raises(CommandError, match="没有名为"):
        call_command("create_admin_account", world.clerk.username, "--reset", "--password-env", "LVZHI_TEST_PW")
