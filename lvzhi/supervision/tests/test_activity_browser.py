"""The work page in real Chromium, on a phone: the committee records a 专项工作报告 step, a
score out of range is refused in Chinese and leaves the sheets as they were, a good sheet
shows in the result; the 主任会议 reads the page without forms. Screenshots to tmp_path."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lvzhi.supervision import activity_services as services
from lvzhi.supervision.models import ScoreSheet, Topic, TopicForm
from lvzhi.testing import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def login(browser, base: str, username: str):
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.wait_for_load_state()
    return page, errors


def test_work_page_on_a_phone(live_server, browser, tmp_path):
    world = build_world()
    today = timezone.localdate()
    report = Topic.objects.create(congress=world.congress, year=today.year, title="老旧小区改造工作情况",
                                  form=TopicForm.WORK_REPORT, lead_committee=world.committee,
                                  meeting_on=today + dt.timedelta(days=8))
    judges = Topic.objects.create(congress=world.congress, year=today.year, title="法官履职评议",
                                  form=TopicForm.APPRAISAL, lead_committee=world.committee)
    services.add_appraisee(world.committee_staff, judges, {"kind": "judge", "name": "陈法官", "post": "审判员"})
    services.add_criterion(world.committee_staff, judges, {"name": "依法履职", "weight": 100})

    page, errors = login(browser, live_server.url, world.committee_staff.username)
    page.goto(f"{live_server.url}/supervision/topics/{report.pk}/work/")
    draft = page.locator("[data-step=draft]")
    assert draft.get_attribute("data-light") == "red" and "已逾期12天" in draft.inner_text()
    page.click("summary:has-text('记录环节')")
    page.select_option("[name=step]", "draft")
    page.fill("[name=done_on]", today.isoformat())
    page.fill("[name=note]", "北辰政函〔2026〕40号")
    with page.expect_navigation():
        page.click("#step button[type=submit]")
    page.wait_for_load_state()
    assert "已记录该环节" in page.inner_text("body")
    assert "逾期12天完成" in page.locator("[data-step=draft]").inner_text()
    page.screenshot(path=str(tmp_path / "work-report-phone.png"), full_page=True)

    page.goto(f"{live_server.url}/supervision/topics/{judges.pk}/work/")
    page.click("summary:has-text('录入一份打分表')")
    page.select_option("[name=appraisee]", label="陈法官")
    page.select_option("[name=member]", index=1)
    page.fill("#sheet input[name^=score_]", "120")
    with page.expect_navigation():
        page.click("#sheet button[type=submit]")
    page.wait_for_load_state()
    assert "“依法履职”的分数应在0到100分之间" in page.inner_text("#sheet")
    assert not ScoreSheet.objects.exists()
    page.screenshot(path=str(tmp_path / "appraisal-refused-phone.png"), full_page=True)
    page.fill("#sheet input[name^=score_]", "92")
    with page.expect_navigation():
        page.click("#sheet button[type=submit]")
    page.wait_for_load_state()
    assert "优秀" in page.inner_text("#appraisal-results")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert not [e for e in errors if "status of 400" not in e], errors  # the refused POST answers 400

    leader, _ = login(browser, live_server.url, world.leader.username)
    leader.goto(f"{live_server.url}/supervision/topics/{judges.pk}/work/")
    assert "只读" in leader.inner_text("body") and leader.locator("form[method=post]").count() <= 1  # logout only
