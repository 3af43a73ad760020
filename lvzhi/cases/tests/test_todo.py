"""待办: each role's to-do lists follow the real loop, count in a constant number of queries,
and are one click from the home page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse

from lvzhi.cases import todo
from lvzhi.cases.engine import fire
from lvzhi.cases.models import Deadline
from lvzhi.cases.tests.test_toy_kind import raise_one, toy  # noqa: F401  (the toy kind's fixture)
from lvzhi.keytasks.tests.helpers import EVIDENCE, dispatch, open_task, report
from lvzhi.testing import draft, to_state

pytestmark = pytest.mark.django_db

REPLY = ("经研究，我局已将老旧小区加装电梯纳入年度民生实事，简化审批流程，"
         "明确每台电梯补贴二十万元，由房屋安全管理处负责推进。")


def n(user, code: str) -> int:
    return todo.counts(user).get(code, 0)


def codes(user) -> list[str]:
    return [t.code for t in todo.lists_for(user)]


def test_each_role_has_its_lists(world):
    assert codes(world.clerk)[:3] == ["to_register", "to_assign", "to_review"]
    assert {"reassign_requests", "to_publish", "overdue"} <= set(codes(world.clerk))
    handler = world.handlers[0]
    assert {"to_contact", "to_reply", "returned", "co_opinion", "promises"} <= set(codes(handler))
    # 待整改: supervision's; 待说明的预算预警: the budget warnings'
    assert codes(world.heads[0]) == ["problem_to_rectify", "budget_warning_to_answer", "to_sign"]
    assert codes(world.deputy_user) == ["citizen_request_ack", "citizen_request_answer", "hotline_supervising",
                                        "invitations", "to_evaluate", "returned_to_me"]
    # The 办公室's clerk has key-task lists, not the 代表工委's intake.
    office = codes(world.office_clerk)
    assert "key_task_drafts" in office and "to_assign" in office and "to_register" not in office
    assert codes(world.leader) == ["key_task_to_approve", "filing_to_decide", "to_close_out"]
    assert todo.lists_for(world.sysadmin) == []


def test_lists_follow_the_suggestion_loop(world):
    clerk, deputy = world.clerk, world.deputy_user
    unit, co_unit = world.units[0], world.units[1]
    handler, head, co_handler = world.handler_of(unit), world.head_of(unit), world.handler_of(co_unit)
    case = draft(world)
    fire(case, "submit", deputy)
    invited = world.deputies[1].user
    assert n(invited, "invitations") == 1
    for c in case.cosigns.all():
        fire(case, "confirm_cosign", c.deputy.user)
    assert n(invited, "invitations") == 0
    assert n(clerk, "to_register") == 1
    fire(case, "register", clerk, {"category": "城乡建设"})
    assert (n(clerk, "to_register"), n(clerk, "to_assign")) == (0, 1)
    fire(case, "assign", clerk, {"mode": "lead", "lead": unit.pk, "co": [co_unit.pk]})
    assert n(clerk, "to_assign") == 0
    assert (n(handler, "to_contact"), n(handler, "to_reply")) == (1, 1)
    assert n(co_handler, "co_opinion") == 1 and n(co_handler, "to_reply") == 0
    lead = case.assignments.get(unit=unit)
    if "to_receive" in codes(handler):  # 签收, where the handling has it
        assert n(handler, "to_receive") == 1
        fire(case, "acknowledge", handler, {"assignment": lead.pk})
        assert n(handler, "to_receive") == 0
    fire(case, "log_contact", handler, {"assignment": lead.pk, "stage": "before", "method": "meeting",
                                        "happened_on": dt.date.today(), "summary": "到社区座谈听取意见"})
    assert n(handler, "to_contact") == 0
    fire(case, "draft_reply", handler, {"assignment": lead.pk, "reply_class": "B", "text": REPLY,
                                        "promises": f"{dt.date.today() + dt.timedelta(days=90)} 出台补贴细则"})
    assert n(head, "to_sign") == 1 and n(handler, "to_reply") == 1  # a draft is not an answer yet
    reply = case.replies.get()
    fire(case, "sign_reply", head, {"reply": reply.pk, "confirm": True})
    assert (n(head, "to_sign"), n(handler, "to_reply"), n(clerk, "to_review")) == (0, 0, 1)
    fire(case, "return_reply", clerk, {"reply": reply.pk, "reason": "请写明补贴资金来源"})
    assert (n(clerk, "to_review"), n(handler, "returned"), n(handler, "to_reply")) == (0, 1, 1)
    fire(case, "draft_reply", handler, {"assignment": lead.pk, "reply_class": "B", "text": REPLY + "资金由市财政列支。",
                                        "promises": f"{dt.date.today() + dt.timedelta(days=90)} 出台补贴细则"})
    assert n(handler, "returned") == 0
    fire(case, "sign_reply", head, {"reply": reply.pk, "confirm": True})
    fire(case, "accept_reply", clerk, {"reply": reply.pk})
    # Answered: the deputy judges it; the co-unit's task is over; the promise is followed.
    assert n(deputy, "to_evaluate") == 1
    assert n(co_handler, "co_opinion") == 0
    assert n(handler, "promises") == 1 and n(handler, "to_reply") == 0
    fire(case, "evaluate", deputy, {"verdict": "satisfied"})
    assert n(deputy, "to_evaluate") == 0
    assert n(clerk, "to_publish") == 1
    fire(case, "publish", clerk)
    assert n(clerk, "to_publish") == 0


def test_head_returns_a_draft_to_the_handler(world):
    case = to_state(world, draft(world), "handling")
    unit = world.units[0]
    handler, head = world.handler_of(unit), world.head_of(unit)
    lead = case.assignments.get(unit=unit)
    fire(case, "draft_reply", handler, {"assignment": lead.pk, "reply_class": "B", "text": REPLY})
    fire(case, "return_draft", head, {"reply": case.replies.get().pk, "reason": "请补充办理时限"})
    assert (n(head, "to_sign"), n(handler, "returned")) == (0, 1)


def test_reassignment_request_reaches_the_clerk(world):
    case = to_state(world, draft(world), "handling")
    unit = world.units[0]
    lead = case.assignments.get(unit=unit)
    fire(case, "request_reassignment", world.handler_of(unit),
         {"assignment": lead.pk, "reason": "该事项属于自然资源和规划局职责"})
    assert n(world.clerk, "reassign_requests") == 1
    assert n(world.office_clerk, "reassign_requests") == 0  # another office's kind


def test_overdue_counts_open_duty_clocks_past_due(world):
    case = to_state(world, draft(world), "handling")
    assert n(world.clerk, "overdue") == 0
    # Time passes: the reply clock's due date is behind us (the sweep would turn it red).
    Deadline.objects.filter(case=case, kind="reply").update(due_on=dt.date.today() - dt.timedelta(days=1))
    assert n(world.clerk, "overdue") == 1
    # A lapsed window (申请调整) is not a duty and never "overdue".
    Deadline.objects.filter(case=case, kind="reply").update(met_at=dt.datetime.now(dt.UTC))
    Deadline.objects.filter(case=case, kind="reassign_window").update(
        due_on=dt.date.today() - dt.timedelta(days=1))
    assert n(world.clerk, "overdue") == 0


def test_deputy_returned_and_evaluation_deadline(client, world):
    case = to_state(world, draft(world), "submitted")
    fire(case, "return_for_revision", world.clerk, {"reason": "请补充具体的小区名称"})
    assert n(world.deputy_user, "returned_to_me") == 1
    other = to_state(world, draft(world, title="关于增设社区养老服务站点的建议"), "replied")
    due = Deadline.objects.get(case=other, kind="evaluation").due_on
    client.force_login(world.deputy_user)
    home = client.get(reverse("cases:todo")).content.decode()
    assert "待我评价" in home and f"评价期限 {due:%Y-%m-%d}" in home
    page = client.get(reverse("cases:todo_list", args=["to_evaluate"])).content.decode()
    assert other.title in page and "评价期限" in page and case.title not in page
    mine = client.get(reverse("my_cases")).content.decode()
    assert f"评价期限 {due:%Y-%m-%d}" in mine


def test_key_task_lists(world):
    case = open_task(world)
    assert n(world.office_clerk, "key_task_drafts") == 1
    assert n(world.clerk, "to_assign") == 0  # the 代表工委 does not see the 办公室's lists
    fire(case, "submit_for_approval", world.office_clerk)
    assert n(world.leader, "key_task_to_approve") == 1
    fire(case, "approve", world.leader, {"note": "同意"})
    assert n(world.office_clerk, "to_assign") == 1 and n(world.clerk, "to_assign") == 0
    fire(case, "assign", world.office_clerk, {"mode": "lead", "lead": world.committee.pk, "co": []})
    assert n(world.office_clerk, "to_assign") == 0
    dispatch(world)
    assert n(world.committee_staff, "key_task_to_report") == 1
    report(world, case)
    assert n(world.committee_staff, "key_task_to_report") == 0
    fire(case, "propose_close_out", world.office_clerk, {"evidence": EVIDENCE})
    assert n(world.leader, "to_close_out") == 1  # the shared close-out, for the kind's closer
    fire(case, "close_out", world.leader, {"approve": "1"})
    assert n(world.leader, "to_close_out") == 0


def test_a_new_kind_gets_the_shared_lists_without_declaring_them(world, toy):  # noqa: F811
    case = raise_one(world)
    assert n(world.office_clerk, "to_assign") == 1  # the toy's office is the 办公室
    assert n(world.clerk, "to_assign") == 0
    unit = world.units[0]
    fire(case, "assign", world.office_clerk, {"mode": "lead", "lead": unit.pk, "co": []})
    page_list = todo.get_list(world.handler_of(unit), "to_reply")
    assert list(page_list.cases(world.handler_of(unit))) == [case]


def test_counts_take_a_constant_number_of_queries(world, django_assert_max_num_queries):
    for i in range(6):
        c = draft(world, title=f"关于加快老旧小区加装电梯的建议（第{i + 1}件）")
        to_state(world, c, ["submitted", "registered", "handling", "replied"][i % 4])
    for user in (world.clerk, world.handlers[0], world.heads[0], world.deputy_user, world.leader,
                 world.office_clerk, world.committee_staff):
        lists = todo.lists_for(user)  # the `when` checks (at most one query per kind)
        with django_assert_max_num_queries(1):
            counts = todo.counts(user, lists)
        assert set(counts) == {t.code for t in lists}
    assert todo.counts(world.clerk)["to_register"] == 2


def test_navigation_costs_the_same_with_more_cases(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.clerk)
    to_state(world, draft(world), "submitted")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("notifications"))
    for i in range(5):
        to_state(world, draft(world, title=f"关于改善背街小巷照明的建议（第{i + 1}件）"), "handling")
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("notifications"))
    assert len(many) == len(few)
    assert 'aria-label="共1项待办"' in page.content.decode()


def test_home_is_the_todo_page_and_leader_keeps_the_dashboard(client, world):
    for user in (world.clerk, world.deputy_user, world.handlers[0], world.heads[0], world.committee_staff):
        client.force_login(user)
        assert client.get("/").url == reverse("cases:todo")
    client.force_login(world.leader)
    assert client.get("/").url == reverse("dashboard")
    assert reverse("cases:todo") not in client.get(reverse("help")).content.decode()
    case = open_task(world)
    fire(case, "submit_for_approval", world.office_clerk)
    page = client.get(reverse("help")).content.decode()
    assert f'href="{reverse("cases:todo")}"' in page  # 待办 appears once something waits


def test_todo_pages(client, world):
    case = to_state(world, draft(world), "submitted")
    client.force_login(world.clerk)
    home = client.get(reverse("cases:todo")).content.decode()
    assert "待登记" in home and case.title in home and reverse("cases:todo_list", args=["to_register"]) in home
    page = client.get(reverse("cases:todo_list", args=["to_register"]))
    assert page.status_code == 200 and case.title in page.content.decode()
    assert "审查后立案" in page.content.decode()  # the list's hint
    assert client.get(reverse("cases:todo_list", args=["to_evaluate"])).status_code == 404
    client.force_login(world.deputies[5].user)
    assert client.get(reverse("cases:todo_list", args=["to_register"])).status_code == 404
    client.force_login(world.sysadmin)
    assert client.get(reverse("cases:todo")).status_code == 403


def test_empty_lists_fold_into_one_line_and_the_count_stays_in_sight_on_a_phone(client, world):
    import re

    to_state(world, draft(world), "submitted")
    client.force_login(world.clerk)
    html = client.get(reverse("cases:todo")).content.decode()
    cards = re.findall(r'todo-card.*?<h2[^>]*><a[^>]*>([^<]+)</a>', html, re.S)
    assert cards == ["待登记"]  # only the list with something on it is a card
    folded = re.search(r"data-empty-lists>(.*?)</p>", html, re.S).group(1)
    assert "待交办" in folded and "待审核答复" in folded and "待登记" not in folded
    # The folded phone menu hides the nav entry; a badge beside the toggler says how many.
    badge = re.search(r'<a class="[^"]*d-lg-none[^"]*" href="/todo/"[^>]*>(.*?)</a>', html, re.S)
    assert badge is not None and re.sub(r"<[^>]+>", "", badge.group(1)).split() == ["待办", "1"]


def test_existing_pages_show_their_counts(client, world):
    to_state(world, draft(world), "submitted")
    client.force_login(world.clerk)
    intake = client.get(reverse("intake")).content.decode()
    assert "待登记 <span" in intake and reverse("cases:todo_list", args=["to_review"]) in intake
    handling = to_state(world, draft(world, title="关于改善背街小巷照明的建议"), "handling")
    client.force_login(world.handlers[0])
    inbox = client.get(reverse("cases:inbox")).content.decode()
    assert handling.title in inbox and reverse("cases:todo_list", args=["to_reply"]) in inbox


def test_help_explains_every_list(client, world):
    client.force_login(world.handlers[0])
    page = client.get(reverse("help")).content.decode()
    for t in todo.declared_lists():
        assert t.label in page and t.hint in page
    assert "期限规则" in page and "代表法(2025)第五十一条" in page
    client.logout()
    assert client.get(reverse("help")).status_code == 200


# ------------------------------------------------------------------------- in a real browser

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "browser"


def _person(browser, base: str, user, phone: bool):
    from lvzhi.testing import PASSWORD

    size = {"width": 390, "height": 844} if phone else {"width": 1366, "height": 900}
    context = browser.new_context(viewport=size, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.wait_for_load_state()
    return context, page, errors


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_each_day_starts_from_the_todo_cards(live_server, browser):
    from lvzhi.testing import build_world

    world = build_world()
    submitted = to_state(world, draft(world), "submitted")
    replied = to_state(world, draft(world, title="关于增设社区养老服务站点的建议"), "replied")
    base = live_server.url
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for user, list_label, case, phone, name in (
            (world.clerk, "待登记", submitted, False, "clerk"),
            (world.deputy_user, "待我评价", replied, True, "deputy"),
            (world.handlers[0], "承诺待落实", replied, False, "handler")):
        context, page, errors = _person(browser, base, user, phone)
        assert page.url.endswith("/todo/"), page.url  # the home page
        if phone:  # the menu is folded on a phone
            page.click(".navbar-toggler")
        assert page.locator(".navbar .nav-link", has_text="待办").first.is_visible()
        page.screenshot(path=str(ARTIFACTS / f"todo-{name}-home.png"), full_page=True)
        with page.expect_navigation():
            page.locator(".todo-card", has_text=list_label).locator("a", has_text=list_label).click()
        page.wait_for_load_state()
        assert f"{list_label}（1）" in page.inner_text("h1")
        page.screenshot(path=str(ARTIFACTS / f"todo-{name}-list.png"), full_page=True)
        with page.expect_navigation():
            page.locator("a:visible", has_text=case.title).first.click()
        page.wait_for_load_state()
        assert f"/cases/{case.pk}/" in page.url
        page.goto(f"{base}/help/")
        assert "各项待办的含义" in page.inner_text("body")
        assert errors == [], errors
        context.close()


def test_a_count_stops_at_the_cap_and_says_so(client, world, monkeypatch):
    """A list's badge counts up to todo.CAP and then says "999+"; its page still counts all."""
    for i in range(3):
        to_state(world, draft(world, title=f"待登记的第{i}件建议"), "submitted")
    monkeypatch.setattr(todo, "CAP", 2)
    n = todo.counts(world.clerk)["to_register"]
    assert n == 2 and str(n) == "1+"
    client.force_login(world.clerk)
    page = client.get(reverse("cases:todo_list", args=["to_register"])).content.decode()
    assert all(f"待登记的第{i}件建议" in page for i in range(3))


def test_the_counts_benchmark_runs_on_the_test_database(world, capsys):
    """benchmarks/bench_todo.py at a tiny size, so it cannot rot: a row per user, same counts."""
    import runpy

    bench = runpy.run_path(str(Path(__file__).resolve().parents[3] / "benchmarks" / "bench_todo.py"))
    to_state(world, draft(world), "submitted")
    rows = bench["main"]([world.clerk.username, "--rounds", "1"])
    assert [r["user"] for r in rows] == [world.clerk.username]
    assert rows[0]["counts"]["to_register"] == 1
    assert "to_register=1" in capsys.readouterr().out


def test_a_list_joined_along_a_to_many_relation_counts_each_case_once(world):
    """A condition written as a join (not EXISTS) may match a case once per assignment: the
    count still says one. Conditions that cannot repeat a case are counted without DISTINCT."""
    case = to_state(world, draft(world), "registered")
    fire(case, "assign", world.clerk, {"mode": "lead", "lead": world.units[0].pk,
                                       "co": [world.units[1].pk]})
    both = todo.UserTodo("both_units", "两家单位", "", 1, "", "",
                         todo.Q(assignments__unit__in=world.units[:2]))
    assert todo.may_repeat(both.cases(world.clerk).query)
    assert todo.counts(world.clerk, [both]) == {"both_units": 1}
    exists = todo.UserTodo("registered", "已交办", "", 2, "", "", todo.Q(state="handling"))
    assert not todo.may_repeat(exists.cases(world.clerk).query)
    assert todo.counts(world.clerk, [exists]) == {"registered": 1}
