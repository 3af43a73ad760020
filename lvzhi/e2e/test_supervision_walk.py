"""One supervision topic closed loop by loop, in real Chromium, on the small demo city: the
committee proposes a candidate, the 主任会议 puts it on the published plan, the committee records
the report's first step, drafts the 审议意见 and a problem, the 主任会议 approves the opinion,
the 办公厅 sends it, lists and assigns the problem, the unit rectifies and reports, the committee
evaluates and proposes 销号, the 主任会议 approves it, the 办公厅's 回头看 finds a regression and
reopens it; then three members vote on their phones on the topic's report and the result shows.

Every page is checked by Walker.visit (console errors, English words, cut cells, desktop and
phone) and kept as screenshots under var/e2e-screenshots/<role>/.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from lvzhi.cases.models import Case, Deadline
from lvzhi.e2e.conftest import Walker
from lvzhi.supervision.models import Opinion, OpinionState, Topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOPIC = "市人民政府关于城市燃气安全管理工作情况的报告"
REASON = "燃气安全事故隐患排查中发现老旧管网、瓶装液化气使用问题突出，代表和群众反映集中。"
PROBLEM = "老旧小区燃气管网老化、更新改造滞后"
PROBLEM_BODY = "全市仍有约420公里使用超过20年的燃气管网，部分小区管道锈蚀，入户安全检查覆盖率不足六成。"
EVALUATION = "市政府高度重视城市燃气安全，建立隐患排查整治台账，燃气安全形势总体平稳，群众安全感有所增强。"
SUGGESTIONS = "一是加快老旧管网更新改造；二是落实燃气经营企业入户安检责任；三是加强瓶装液化气全链条监管。"
RECTIFY = "已制定老旧管网三年改造计划，本年度完成改造126公里，入户安检覆盖率提高到92%，建立安检台账。"


def click_in(w: Walker, scope_css: str, pattern: str, name: str) -> None:
    w.visit(w.need(pattern, name, scope=w.page.locator(scope_css)), name)


def test_one_topic_closed_loop_by_loop_and_a_satisfaction_vote(walker, demo):
    today = timezone.localdate()
    meeting = today + dt.timedelta(days=25)
    # ---- the committee proposes the topic
    staff = walker("supervision-committee", "committee")
    with staff.step("候选议题"):
        staff.follow(r"^\s*监督计划\s*$", "监督计划", roles=("link",))
        staff.follow(r"候选议题", "候选议题")
        staff.page.fill("#id_title", TOPIC)
        staff.page.select_option("#id_channel", "petitions")
        staff.page.fill("#id_reason", REASON)
        staff.visit(staff.page.locator("form:has(#id_title) button[type=submit]"), "添加候选议题")
        card = staff.page.locator(".card", has_text=TOPIC).first
        for code, n in (("importance", "90"), ("urgency", "85"), ("feasibility", "80")):
            card.locator(f"input[name={code}]").fill(n)
        staff.visit(card.locator("button[type=submit]"), "评分")
        assert "综合 85 分" in staff.page.locator(".card", has_text=TOPIC).first.inner_text()

    # ---- the 主任会议 puts it on the published plan (an adjustment, recorded)
    leader = walker("supervision-leader", "leader")
    with leader.step("列入计划"):
        leader.follow(r"^\s*监督计划\s*$", "监督计划", roles=("link",))
        form = leader.page.locator("#pending form", has=leader.page.locator("xpath=..")).filter(
            has_text=re.compile("列入计划")).last
        item = leader.page.locator("#pending .card", has_text=TOPIC).first
        form = item.locator("form")
        form.locator("select[name=form]").select_option("work_report")
        form.locator("input[name=meeting_on]").fill(meeting.isoformat())
        form.locator("input[name=supervised_body]").fill("市人民政府")
        form.locator("input[name=reason]").fill("根据常委会组成人员建议增列议题")
        leader.visit(form.locator("button[value=accept]"), "列入计划")
    topic = Topic.objects.get(title=TOPIC)
    assert topic.plan is not None and topic.meeting_on == meeting

    # ---- the committee records the report's first step and drafts the opinion and a problem
    with staff.step("专项工作报告环节"):
        staff.follow(r"^\s*监督计划\s*$", "监督计划", roles=("link",))
        staff.follow(re.escape(TOPIC), "议题")
        staff.follow(r"监督工作（报告", "监督工作")
        staff.page.click("summary:has-text('记录环节')")
        staff.page.select_option("#step [name=step]", "draft")
        staff.page.fill("#step [name=done_on]", today.isoformat())
        staff.page.fill("#step [name=note]", "北辰政函〔2026〕88号")
        staff.visit(staff.page.locator("#step button[type=submit]"), "记录环节")
        assert staff.page.locator("[data-step=draft]").get_attribute("data-light") == "green"
    with staff.step("审议意见和问题"):
        staff.follow(r"^\s*监督计划\s*$", "监督计划", roles=("link",))
        staff.follow(re.escape(TOPIC), "议题")
        staff.follow(r"起草审议意见", "起草审议意见")
        staff.page.fill("#id_evaluation", EVALUATION)
        staff.page.fill("#id_suggestions", SUGGESTIONS)
        staff.visit(staff.page.locator("main button[type=submit]"), "保存审议意见")
        staff.follow(r"新增问题", "新增问题")
        staff.page.fill("#id_title", PROBLEM)
        staff.page.fill("#id_body", PROBLEM_BODY)
        staff.page.fill("#id_requirement", "制定老旧管网改造计划，年内完成入户安检全覆盖。")
        staff.page.fill("#id_due_on", (today + dt.timedelta(days=90)).isoformat())
        staff.visit(staff.page.locator("main button[type=submit]"), "保存问题")
        staff.follow(r"^\s*监督计划\s*$", "监督计划", roles=("link",))
        staff.follow(re.escape(TOPIC), "议题")
        staff.follow(r"对.*审议意见", "审议意见")
        staff.visit(staff.page.locator("#opinion-submit"), "提请审定")
    opinion = Opinion.objects.get(topic=topic)
    assert opinion.state == OpinionState.PENDING
    problem = Case.objects.get(kind="problem", title=PROBLEM)

    with leader.step("审定审议意见"):
        leader.follow(r"^\s*监督计划\s*$", "监督计划", roles=("link",))
        leader.follow(re.escape(TOPIC), "议题")
        leader.follow(r"对.*审议意见", "审议意见")
        leader.page.check("input[name=approve][value='1']")
        leader.visit(leader.page.locator("#opinion-decide"), "审定通过")

    office = walker("supervision-office", "office")
    with office.step("交办审议意见、列入清单、交办问题"):
        office.follow(r"^\s*问题清单\s*$", "问题清单", roles=("link",))
        office.follow(re.escape(PROBLEM), "问题")
        office.act("列入问题清单", "列入问题清单")
        handler_unit = demo.congress.organizations.get(name="市住房和城乡建设局")
        office.act("交办", "交办", {"mode": "lead", "lead": str(handler_unit.pk)})
        office.follow(r"^\s*监督计划\s*$", "监督计划", roles=("link",))
        office.follow(re.escape(TOPIC), "议题")
        office.follow(r"对.*审议意见", "审议意见")
        office.page.fill("#id_number", "北人常办〔2026〕31号")
        office.visit(office.page.locator("#opinion-send"), "交办审议意见")
    assert Opinion.objects.get(pk=opinion.pk).state == OpinionState.SENT, office.problems + office.pending
    assert Case.objects.get(pk=problem.pk).state == "handling"

    # ---- the unit rectifies and reports
    handler = walker("supervision-handler", "handler")
    with handler.step("签收和整改进展"):
        handler.todo(r"待整改", "待整改")
        handler.follow(re.escape(PROBLEM), "问题")
        handler.act("签收", "签收")
        handler.act("报送整改进展", "报送整改进展", {"text": "已制定改造方案，分三批推进", "percent": "40"})
    head = walker("supervision-head", "head")
    with head.step("整改报告"):
        head.todo(r"待整改", "待整改")
        head.follow(re.escape(PROBLEM), "问题")
        head.act("报送整改报告", "报送整改报告", {"text": RECTIFY, "evidence": "市住建局〔2026〕77号整改报告"})
    assert Case.objects.get(pk=problem.pk).state == "replied"

    # ---- evaluation, 销号, 回头看
    with staff.step("评价与提请销号"):
        staff.todo(r"待评价整改", "待评价整改")
        staff.follow(re.escape(PROBLEM), "问题")
        staff.act("评价整改", "评价整改", radios={"verdict": "satisfied"})
        staff.act("提请销号", "提请销号", {"evidence": "经现场核查，整改台账、验收记录齐全，整改到位。"})
    with leader.step("审定销号"):
        leader.todo(r"待审定销号", "待审定销号")
        leader.follow(re.escape(PROBLEM), "问题")
        leader.act("审定销号", "审定销号", {"approve": "1"})
    assert Case.objects.get(pk=problem.pk).state == "closed", leader.problems + leader.pending
    # half a year on: the 回头看 clock is due (moved, as the calendar would, by the sweep's date)
    Deadline.objects.filter(case=problem, kind="revisit").update(due_on=today)
    with office.step("回头看"):
        office.todo(r"待回头看", "待回头看")
        office.follow(re.escape(PROBLEM), "问题")
        office.act("回头看", "回头看", {"finding": "回访发现两个小区管道再次出现锈蚀渗漏，整改未巩固", "reopen": "1"})
    case = Case.objects.get(pk=problem.pk)
    assert case.state == "handling" and case.round == 2

    # ---- the satisfaction vote on the topic's report, members on their phones
    with office.step("满意度测评"):
        office.follow(r"^\s*满意度测评\s*$", "满意度测评", roles=("link",))
        office.follow(r"新建测评", "新建测评")
        office.page.fill("#id_title", f"对{TOPIC}的满意度测评")
        office.page.select_option("#id_topic", str(topic.pk))
        office.visit(office.page.locator("main button[type=submit]"), "保存测评")
        office.visit(office.page.locator("button[value=open]"), "开始投票")
    for username, grade in (("leader", "满意"), ("leader2", "满意"), ("leader3", "基本满意")):
        member = walker(f"supervision-member-{username}", username, phone=True)
        with member.step("投票"):
            member.follow(r"^\s*满意度测评\s*$", "满意度测评", roles=("link",))
            member.follow(r"去投票", "去投票")
            member.page.get_by_role("button", name=grade, exact=True).click()
            member.visit(member.page.locator("#confirm"), "确认投票")
            assert "已投票" in member.page.inner_text("#voted")
        member.finish()
    with office.step("计票"):
        office.visit(office.page.locator("button[value=close]"), "结束投票并计票")
        assert office.page.inner_text("#verdict") in ("通过", "未通过")
        assert "投票 3人" in office.page.inner_text("#results")
    for w in (staff, leader, handler, head, office):
        w.finish()
