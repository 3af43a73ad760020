"""seed_demo --small: every state appears, through the engine, with working logins and encrypted data."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lvzhi.assist import views as assist_views
from lvzhi.cases.deadlines import light, rules_for
from lvzhi.cases.events import verify_chain
from lvzhi.cases.handling import DeadlineKind
from lvzhi.cases.models import Case, Deadline, Event
from lvzhi.cases.permissions import visible_cases
from lvzhi.core.models import Congress, Role, User
from lvzhi.demo import data as D
from lvzhi.deputies.models import Deputy
from lvzhi.suggestions.states import SuggestionState

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ROLE_LOGINS = {
    "clerk": Role.CLERK, "leader": Role.LEADER, "committee": Role.COMMITTEE_STAFF,
    "handler": Role.UNIT_HANDLER, "head": Role.UNIT_HEAD, "handler2": Role.UNIT_HANDLER,
    "head2": Role.UNIT_HEAD, "deputy": Role.DEPUTY, "deputy2": Role.DEPUTY,
    "sysadmin": Role.SYSTEM_ADMIN, "secadmin": Role.SECURITY_ADMIN, "auditor": Role.AUDIT_ADMIN,
    "u03_handler": Role.UNIT_HANDLER,
}


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--small", *args, stdout=out)
    return out.getvalue()


def id_checksum_ok(number: str) -> bool:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return number[-1] == "10X98765432"[sum(int(c) * w for c, w in zip(number[:17], weights, strict=True)) % 11]


def test_small_demo_world(client, settings):
    # One password hash is computed per run; a fast hasher keeps the 13 logins below quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    output = seed()
    city = Congress.objects.get(name=D.CITY_NAME)
    assert city.parent.name == D.REGION_NAME and city.children.count() == 6

    # Every state of the case engine is shown somewhere (motions give referred/converted).
    states = set(Case.objects.filter(congress=city).values_list("state", flat=True))
    assert {s.value for s in SuggestionState} <= states, {s.value for s in SuggestionState} - states
    assert Case.objects.filter(congress=city, kind="motion", state=SuggestionState.CLOSED).exists()  # committee report

    # Driven through the engine: each case's last event leads to its state, the chain verifies,
    # and the event order is the order of time.
    for case in Case.objects.filter(congress=city):
        last = case.events.order_by("-seq").first()
        assert last is not None and last.to_state == case.state, case.title
    assert verify_chain(city.pk) == (True, None)
    # Each part's demo writes its own year after the others (a review request's 启动审查 lands on its
    # filing after the filing demo has run), so time order holds within each case's timeline, not
    # across the whole chain.
    timelines: dict[int, list] = {}
    for case_id, at in (Event.objects.filter(congress=city, case__isnull=False).order_by("case_id", "seq")
                        .values_list("case_id", "at")):
        timelines.setdefault(case_id, []).append(at)
    for case_id, times in timelines.items():
        assert times == sorted(times), Case.objects.get(pk=case_id).title

    # Deadlines in all three lights, as the monitor will show them today.
    rules = rules_for(city.pk)
    today = timezone.localdate()
    lights = {light(d, today, rules.warn_days) for d in Deadline.objects.filter(
        case__congress=city, kind__in=[DeadlineKind.REPLY, DeadlineKind.REHANDLE], met_at=None, cancelled=False)}
    assert {"green", "yellow", "red"} <= {str(x) for x in lights}
    assert Case.objects.filter(congress=city, round=2, state=SuggestionState.HANDLING).exists()
    assert Case.objects.filter(congress=city, is_key=True).exists()
    assert Case.objects.filter(congress=city, is_public=True).exists()

    # Every role logs in through the real login page with the shared demo password.
    for username, role in ROLE_LOGINS.items():
        user = User.objects.get(username=username)
        assert user.role == role
        client.logout()
        response = client.post(reverse("login"), {"username": username, "password": D.DEMO_PASSWORD})
        assert response.status_code == 302, username
        assert client.session["_auth_user_id"] == str(user.pk), username
    # 三权分立: no superuser in normal operation, the system administrator included.
    assert not User.objects.filter(is_superuser=True).exists()
    assert D.DEMO_PASSWORD in output and "clerk" in output

    # The demo deputy leads cases in many states; the handler's inbox is not empty.
    deputy = User.objects.get(username="deputy")
    assert len(set(visible_cases(deputy).values_list("state", flat=True))) >= 5
    assert visible_cases(User.objects.get(username="handler")).filter(state=SuggestionState.HANDLING).exists()

    # Personal data is stored encrypted: the raw column never holds the phone or ID number.
    deputies = list(Deputy.objects.filter(congress=city))
    assert len(deputies) == 30
    for d in deputies:
        assert re.fullmatch(r"1[3-9]\d{9}", d.phone)
        assert d.phone not in d.phone_encrypted and d.phone_encrypted
        assert len(d.id_number) == 18 and id_checksum_ok(d.id_number)
        assert d.id_number not in d.id_number_encrypted
    assert Deputy.objects.filter(congress=city).exclude(status="active").exists()

    # Hot topics: several deputies raised the same local problem, so the leaders' page finds a
    # topic of at least three cases, named by the estate, with co-signers counted as support.
    first = today.replace(day=1) - dt.timedelta(days=330)
    found = assist_views._compute_topics(city.pk, first, today)
    big = [t for t in found["topics"] if t["size"] >= 3]
    assert big, found["topics"][:3]
    assert any("丽发新城" in t["title"] or "伊景园滨河苑" in t["title"] for t in big)
    assert sum(t["likes"] for t in big) > 0
    assert not Case.objects.filter(congress=city, state=SuggestionState.MERGED, title__contains="丽发新城").exists()

    # A second run adds nothing and prints the logins again.
    counts = (Case.objects.count(), Event.objects.count(), User.objects.count(), Deputy.objects.count())
    again = seed()
    assert "已存在" in again and "deputy" in again
    assert (Case.objects.count(), Event.objects.count(), User.objects.count(), Deputy.objects.count()) == counts
