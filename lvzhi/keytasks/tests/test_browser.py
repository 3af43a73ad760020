"""A key task across roles in real Chromium (Debian's, driven by Playwright):

办公室 creates the task and submits it on the batch page → a 主任会议 member approves it →
办公室 assigns it to the committee and starts a dispatch → the committee reports progress
(on a phone) → 办公室 proposes 销号 with evidence → the leader approves the close-out.
Screenshots at desktop (1280x900) and phone (390x844) sizes go to the pytest tmp dir; with
LVZHI_UPDATE_SCREENSHOTS=1 the final ones replace docs/screenshots/16-key-task-*.png.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from django.utils import timezone

from lvzhi.cases.engine import fire, open_case
from lvzhi.cases.models import Case
from lvzhi.keytasks.models import Dispatch, ProgressReport
from lvzhi.keytasks.services import start_dispatch
from lvzhi.keytasks.tests.helpers import open_task, task_data
from lvzhi.testing import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


class Actor:
    """One role in its own browser context (its own cookies)."""

    def __init__(self, browser, base: str, username: str, shots: Path, mobile: bool = False) -> None:
        self.context = browser.new_context(viewport=PHONE if mobile else DESKTOP, locale="zh-CN")
        self.page = self.context.new_page()
        self.errors: list[str] = []  # console errors include CSP violations and failed requests
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("dialog", lambda d: d.accept())  # data-confirm buttons
        self.base, self.shots = base, shots
        self.page.goto(f"{base}/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        with self.page.expect_navigation():
            self.page.click("button[type=submit]")
        self.page.wait_for_load_state()
        assert "/login/" not in self.page.url, f"{username} 登录失败"

    def go(self, path: str) -> None:
        self.page.goto(f"{self.base}{path}")
        self.page.wait_for_load_state("networkidle")

    def open_case(self, case: Case) -> None:
        self.go(f"/cases/{case.pk}/")

    def act(self, name: str, fill: dict[str, str] | None = None, select: dict[str, object] | None = None) -> None:
        page = self.page
        page.click(f"[data-bs-target='#act-{name}']")
        form = page.locator(f"#act-{name} form")
        form.wait_for(state="visible")
        page.wait_for_load_state("networkidle")
        for field, value in (select or {}).items():
            form.locator(f"[name={field}]").select_option(value)
        for field, value in (fill or {}).items():
            form.locator(f"[name={field}]").fill(value)
        # Wait for the POST's page, not the one still showing: wait_for_load_state alone can
        # return before the navigation starts, and the next check reads the old page.
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        page.wait_for_load_state()

    def shot(self, name: str) -> Path:
        path = self.shots / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def expect_text(self, text: str) -> None:
        assert text in self.page.inner_text("body"), f"页面中没有“{text}”"


EVIDENCE = "《北辰市物业管理条例》已经市人大常委会第二十次会议表决通过，报省人大常委会批准，常委会公告第12号已发布。"


def test_key_task_across_roles(live_server, browser, tmp_path):
    world = build_world(today=dt.date.today())
    base = live_server.url
    today = dt.date.today()
    due = today + dt.timedelta(days=60)
    shots: dict[str, Path] = {}

    office = Actor(browser, base, world.office_clerk.username, tmp_path)
    office.go("/keytasks/")
    office.expect_text(f"{today.year}年度重点任务")
    office.go("/keytasks/new/")
    page = office.page
    page.fill("[name=title]", "制定《北辰市物业管理条例》")
    page.fill("[name=year]", str(today.year))
    page.select_option("[name=category]", "立法")
    page.select_option("[name=responsible_leader]", str(world.leader.pk))
    page.fill("[name=due_on]", due.isoformat())
    page.fill("[name=body]", "完成条例草案起草、征求意见和常委会审议，年内提请常委会会议表决通过。")
    page.select_option("[name=planned_lead]", str(world.committee.pk))
    page.fill("[name=milestones]", f"{today + dt.timedelta(days=20)} 完成立法调研\n"
                                   f"{today + dt.timedelta(days=45)} 提请常委会会议审议")
    shots["new"] = office.shot("01-office-new-task")
    with page.expect_navigation():
        page.click("button[value=save]")
    page.wait_for_load_state()
    office.expect_text("起草中")
    case = Case.objects.get(kind="key_task")

    office.go("/keytasks/approval/")
    office.expect_text("提请主任会议审定（1）")
    shots["submit"] = office.shot("02-office-submit-batch")
    with page.expect_navigation():
        page.click("#approval-submit")
    page.wait_for_load_state()
    office.expect_text("已提请主任会议审定1项")
    case.refresh_from_db()
    assert case.state == "pending_approval"

    leader = Actor(browser, base, world.leader.username, tmp_path)
    leader.open_case(case)
    leader.expect_text("待主任会议审定")
    leader.act("approve", fill={"note": "同意列入年度重点任务"})
    leader.expect_text("已审定待分解")
    shots["approved"] = leader.shot("03-leader-approved")

    office.open_case(case)
    office.act("assign", select={"lead": str(world.committee.pk)})
    office.expect_text("推进中")
    office.go("/keytasks/dispatch/")
    office.page.fill("[name=due_on]", (today + dt.timedelta(days=7)).isoformat())
    office.page.fill("[name=note]", "请报送本月推进情况和下一步安排")
    with office.page.expect_navigation():
        office.page.click("button:has-text('发起调度')")
    office.page.wait_for_load_state()
    office.expect_text(f"已发起{today.year}年第1次调度")
    shots["dispatch"] = office.shot("04-office-dispatch")
    assert Dispatch.objects.get().cases.get() == case

    committee = Actor(browser, base, world.committee_staff.username, tmp_path, mobile=True)
    committee.go("/keytasks/")
    committee.expect_text(case.title)
    committee.open_case(case)
    milestone = case.milestones.first()
    committee.act("report_progress", select={"milestone": str(milestone.pk)},
                  fill={"text": "已完成立法调研，赴6个旗县区召开座谈会9场，形成条例草案初稿。", "percent": "40"})
    committee.expect_text("40%")
    shots["report_phone"] = committee.shot("05-committee-report-phone")
    report = ProgressReport.objects.get(case=case)
    assert report.percent == 40 and report.on_time and report.unit == world.committee

    office.open_case(case)
    office.act("propose_close_out", fill={"evidence": EVIDENCE})
    office.expect_text("销号待审定")
    shots["proposed"] = office.shot("06-office-proposed")

    leader.open_case(case)
    leader.act("close_out", select={"approve": "1"}, fill={"note": "同意销号"})
    leader.expect_text("已销号")
    leader.expect_text("按期销号")
    shots["closed"] = leader.shot("07-leader-closed")
    # A few more tasks, through the engine, so the board shows its groups and the 超期 block:
    # one missed the last dispatch (red), one reported on time, one waits for approval, one drafting.
    t0 = timezone.now() - dt.timedelta(days=12)

    def moving(title: str, category: str, body: str, milestones: str) -> Case:
        c = open_case("key_task", "open", world.office_clerk, task_data(
            world, title=title, category=category, body=body, milestones=milestones),
            congress_id=world.congress.pk, now=t0).case
        fire(c, "submit_for_approval", world.office_clerk, now=t0 + dt.timedelta(hours=1))
        fire(c, "approve", world.leader, now=t0 + dt.timedelta(hours=2))
        fire(c, "assign", world.office_clerk, {"mode": "lead", "lead": world.committee.pk},
             now=t0 + dt.timedelta(hours=3))
        return c

    red = moving("开展《中华人民共和国食品安全法》执法检查", "监督",
                 "组织常委会组成人员和市人大代表开展执法检查，形成执法检查报告，提请常委会会议审议。",
                 f"{today + dt.timedelta(days=15)} 完成实地检查\n{today + dt.timedelta(days=40)} 提请常委会会议审议")
    green = moving("举办市人大代表履职学习班，新任代表培训全覆盖", "代表工作",
                   "分两期举办市人大代表履职学习班，新任代表培训全覆盖，年底形成培训总结。",
                   f"{today + dt.timedelta(days=20)} 完成第二期培训")
    start_dispatch(world.office_clerk, today - dt.timedelta(days=2), "请报送本月推进情况",
                   now=t0 + dt.timedelta(days=1))
    fire(green, "report_progress", world.committee_staff, {
        "assignment": green.assignments.get().pk, "text": "已举办履职学习班第一期，新任代表参训率百分之九十五。",
        "percent": 70}, now=t0 + dt.timedelta(days=3))
    fire(open_task(world, title="修订《北辰市人民代表大会常务委员会议事规则》", category="自身建设",
                   body="对照新修改的地方组织法，修订常委会议事规则，提请常委会会议审议。", milestones=""),
         "submit_for_approval", world.office_clerk)
    open_task(world, title=f"编制常委会{today.year + 1}年度工作要点和立法、监督工作计划", category="自身建设",
              body="广泛征求代表和各方面意见，编制下一年度工作要点和立法、监督工作计划。", milestones="")
    assert red.deadlines.filter(kind="progress_report", met_at=None).exists()
    leader.go(f"/keytasks/?year={today.year}")
    leader.expect_text("超期（1）")
    shots["board"] = leader.shot("08-leader-board")
    phone = Actor(browser, base, world.leader.username, tmp_path, mobile=True)
    phone.open_case(case)
    shots["closed_phone"] = phone.shot("09-leader-closed-phone")
    phone.open_case(red)
    shots["red_phone"] = phone.shot("11-leader-red-task-phone")
    phone.go(f"/keytasks/?year={today.year}")
    shots["board_phone"] = phone.shot("10-leader-board-phone")

    case.refresh_from_db()
    assert case.state == "closed" and case.closed_at is not None
    assert Case.objects.filter(kind="key_task").count() == 5
    assert [e.name for e in case.events.order_by("seq")] == [
        "open", "submit_for_approval", "approve", "assign", "dispatch", "report_progress",
        "propose_close_out", "close_out"]
    for actor in (office, leader, committee, phone):
        assert actor.errors == [], actor.errors
        actor.context.close()
    if os.environ.get("LVZHI_UPDATE_SCREENSHOTS") != "1":  # a test run leaves the checkout alone
        return
    DOCS.mkdir(parents=True, exist_ok=True)
    for name, key in [("new-task", "new"), ("approved", "approved"), ("dispatch", "dispatch"),
                      ("report-phone", "report_phone"), ("closed", "closed"), ("board", "board"),
                      ("board-phone", "board_phone"), ("overdue-phone", "red_phone")]:
        shutil.copyfile(shots[key], DOCS / f"16-key-task-{name}.png")
