"""A 民生实事项目 票决 in Chromium: 12 candidates for 10 places before 40 deputies; most ballots
go through the service, five on phones (one of them over N, recorded invalid); the clerk closes
the vote and sees the ranked result; the portal shows it; the clerk reports a milestone and
funds and the bar moves; a deputy grades on a phone. Screenshots go to docs/screenshots/projects-*.png."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lvzhi.projects import services
from lvzhi.projects.models import LivelihoodProject, ProjectBallot, Stage
from lvzhi.testing import build_world
from lvzhi.testing_browser import click_and_wait, page_as, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2026


def shot(page, name: str) -> None:
    screenshot(page, f"projects-{name}")


click = click_and_wait


def test_a_livelihood_projects_vote_from_ballot_to_grading(live_server, browser):
    world = build_world(n_deputies=40)  # 40 deputy accounts, all on the roll
    clerk = world.office_clerk
    rnd = services.create_round(clerk, world.congress, year=YEAR, places=10)
    services.advance(clerk, rnd, Stage.SCREENING)
    titles = ["老旧小区加装电梯", "社区养老服务中心", "中小学课后服务", "背街小巷改造", "农贸市场提升",
              "公共厕所新建改建", "口袋公园建设", "社区卫生服务站", "城区停车位增设", "婴幼儿托育点",
              "城乡供水管网改造", "智慧公交站台"]
    for i, title in enumerate(titles):
        services.add_candidate(clerk, rnd, title=title, budget_wan=Decimal(300 + 50 * i),
                               department=world.units[i % len(world.units)], location="城东区",
                               start_on=dt.date(YEAR, 3, 1), end_on=dt.date(YEAR + 1, 6, 30),
                               expected="惠及居民")
    services.advance(clerk, rnd, Stage.REVIEW)

    desk = page_as(browser, live_server, clerk, 1280, 900)
    round_url = f"{live_server.url}/projects/{rnd.pk}/"
    desk.goto(round_url)
    click(desk, "button", name="开始票决（手机投票）")
    assert "已开始票决" in desk.content()
    box = services.current_box(rnd)
    codes = [c for c, _l in box.choices]

    # 35 deputies through the service: everyone marks the first eight, and two of the last four
    # so the counts come out 28/21/14/7 (no tie at the tenth place).
    users = [d.user for d in world.deputies]
    for i, user in enumerate(users[:35]):
        extra = {0: [8, 9], 1: [8, 9], 2: [8, 9], 3: [10, 11], 4: [8, 10]}[i % 5]
        assert services.cast(box, user, codes[:8] + [codes[j] for j in extra]).valid

    # Five on phones. The page does not cap the ticks (no script), so the over-N ballot is a real
    # one: the fifth deputy ticks all twelve and the service records it invalid.
    for n, user in enumerate(users[35:]):
        phone = page_as(browser, live_server, user, 390, 844)
        phone.goto(round_url)
        click(phone, "link", name="去投票")
        marks = codes if n == 4 else codes[:10]
        for code in marks:
            phone.check(f"#ballot-form input[value='{code}']")
        if n == 0:
            shot(phone, "ballot-phone")
        click(phone, "button", name="提交选票")
        assert "回执码" in phone.inner_text("#receipt")
        if n == 4:
            assert "无效票" in phone.content()
            shot(phone, "ballot-invalid-phone")
        assert phone.errors == []
        phone.context.close()

    # The clerk closes the vote: ranked, the ten chosen, the threshold on the page.
    desk.goto(round_url)
    assert "已投票40/40人" in desk.content()
    click(desk, "button", name="结束投票并计票")
    assert "计票完成" in desk.content()
    box = ProjectBallot.objects.get(pk=box.pk)
    assert box.tally["cast"] == 40 and box.tally["invalid"] == 1
    results = desk.locator("ol.results li").all_inner_texts()
    assert len(results) == 12 and results[0].startswith(titles[0]) and "39票" in results[0]
    assert sum("当选" in r for r in results) == 10 and "当选" not in results[10] + results[11]
    assert "收回40张，无效1张" in desk.content() and "当选门槛" in desk.content()
    shot(desk, "result")

    # The portal, for anyone.
    public = browser.new_page(viewport={"width": 1280, "height": 900})
    public.goto(f"{live_server.url}/projects/public/")
    assert titles[0] in public.content() and titles[11] in public.content()
    shot(public, "public")
    public.close()

    # Implementation: a milestone done and the funds spent move the bar.
    project = LivelihoodProject.objects.get(round=rnd, rank=1)
    for title, planned in [("完成设计招标", dt.date(YEAR, 5, 31)), ("竣工验收", dt.date(YEAR + 1, 6, 30))]:
        services.add_milestone(clerk, project, title=title, weight=1, planned_on=planned)
    desk.goto(f"{live_server.url}/projects/p/{project.pk}/")
    assert desk.get_attribute("progress.lz-progress", "value") == "0"
    with desk.expect_navigation():
        desk.locator("#milestones li", has_text="完成设计招标").get_by_role("button", name="报告完成").click()
    assert "已报告节点完成" in desk.content()
    desk.fill("input[name=spent]", "120")
    click(desk, "button", name="更新资金")
    assert desk.get_attribute("progress.lz-progress", "value") == "50"
    assert "已支出120万元" in desk.content()
    shot(desk, "project")

    # Year-end grading: the clerk opens it; a deputy grades every project on a phone.
    desk.goto(round_url)
    click(desk, "button", name="开始年终满意度测评")
    phone = page_as(browser, live_server, users[0], 390, 844)
    phone.goto(round_url)
    click(phone, "link", name="年终满意度测评")
    for fieldset in phone.locator("#grade-form fieldset").all():
        fieldset.get_by_label("满意", exact=True).check()
    shot(phone, "grade-phone")
    click(phone, "button", name="提交测评")
    assert "已提交10个项目的测评" in phone.content()
    assert phone.errors == [] and desk.errors == []
