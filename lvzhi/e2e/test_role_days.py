"""Each role's working day on the small demo city, in real Chromium, from the home page on.

Only the login page (and, for the public, the portal and a wrong address) is typed; the rest
is clicked. Every page reached is checked by Walker.visit (console errors, English words, text
cut mid-word in a table cell, at desktop and phone size) and kept as screenshots under
var/e2e-screenshots/<role>/. A step whose page is not built yet ends as 未就绪 (the test is
then skipped with the list of those steps); a problem found on any page fails the test.
"""

from __future__ import annotations

import re

import pytest

from lvzhi.cases.models import Case, Cosign, Evaluation, Reply
from lvzhi.deputies.models import Deputy
from lvzhi.e2e.conftest import REPLY_TEXT, SECOND, StepPending, Walker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_TITLE = "关于在城东区中小学周边设置护学岗和限速设施的建议"
NEW_BODY = ("城东区多所中小学位于城市主干道旁，上下学时段车流量大、接送车辆随意停放，学生过马路存在安全隐患。"
            "建议公安交管部门在学校周边设置护学岗，施划限速标线和减速带，增设人行过街信号灯，"
            "教育部门会同属地街道组织志愿者在上下学时段疏导交通。")
RETURN_REASON = "答复未写明整改完成时限和责任科室，请补充后重新报送"


def case_id(w: Walker) -> int:
    found = re.search(r"/cases/(\d+)/", w.page.url)
    if not found:
        raise AssertionError(f"不在案件页面：{w.page.url}")
    return int(found.group(1))


def tour_nav(w: Walker) -> None:
    """Every entry of the role's navigation, clicked one by one from the home page."""
    w.home()
    w.find(r"^\s*首页|履职平台")  # opens the phone menu if there is one
    labels = [t.strip() for t in w.page.locator("#nav .navbar-nav.me-auto a.nav-link").all_inner_texts()]
    assert labels, f"{w.role}：导航为空"
    for label in labels:
        w.home()
        w.follow(rf"^\s*{re.escape(label)}\s*$", f"导航-{label.split()[0]}", roles=("link",))


def tour_todo(w: Walker) -> None:
    """Every list on the role's 待办 page."""
    w.home()
    w.follow(r"^\s*待办", "待办")
    links = w.page.locator("main a[href^='/todo/']")
    hrefs = list(dict.fromkeys(links.nth(i).get_attribute("href") for i in range(links.count())))
    for href in hrefs:
        w.visit(w.page.locator(f"main a[href='{href}']").first, f"待办-{href.strip('/').split('/')[-1]}")
        w.follow(r"^\s*待办", "待办")


def test_deputy_day(walker, demo):
    w = walker("deputy", "deputy", phone=True)
    deputy = Deputy.objects.get(user__username="deputy")
    with w.step("待办 → 附议邀请 → 同意附议"):
        w.todo(r"附议邀请", "附议邀请")
        before = Cosign.objects.filter(deputy=deputy, state="confirmed").count()
        agree = w.find(r"^\s*同意附议", roles=("button",), scope=w.page.locator("main"))
        if agree is not None:
            w.visit(agree, "同意附议")
        else:
            w.open_first_case("附议邀请的建议")
            w.act("同意附议", "同意附议")
        assert Cosign.objects.filter(deputy=deputy, state="confirmed").count() == before + 1
    with w.step("待办 → 待我评价 → 评价答复（满意）"):
        w.todo(r"待我评价", "待我评价")
        w.open_first_case("待评价的建议")
        pk = case_id(w)
        assert re.search(r"评价期限", w.page.inner_text("main")), "待评价的建议没有说明评价期限"
        w.act("评价答复", "评价满意", radios={"verdict": "satisfied"})
        assert Evaluation.objects.filter(case_id=pk, verdict="satisfied").exists()
    with w.step("写建议 → 两位附议代表 → 提交"):
        w.home()
        w.follow(r"写建议|提出建议", "写建议")
        page = w.page
        page.fill("[name=title]", NEW_TITLE)
        if page.locator("select[name=category]").count():
            page.select_option("select[name=category]", label="交通运输")
        page.fill("[name=body]", NEW_BODY)
        picker = page.locator("[name=cosigners]")
        if picker.first.evaluate("e => e.tagName") == "SELECT":
            values = picker.locator("option").evaluate_all("os => os.map(o => o.value)")
            picker.select_option([v for v in values if v][:2])
        else:
            picker.nth(0).check()
            picker.nth(1).check()
        page.wait_for_timeout(1_000)  # the similar-cases panel asks 800 ms after the last keystroke
        w._settle()
        w.check("写好的建议")
        w.visit(w.need(r"保存并提交|^\s*提交", "提交", roles=("button",)), "已提交")
        new = Case.objects.get(title=NEW_TITLE)
        assert new.state == "submitted" and new.cosigns.count() == 2
        assert "已提交" in page.inner_text("main")
    w.finish()


def test_clerk_day(walker, demo):
    w = walker("clerk", "clerk")
    with w.step("待办 → 待登记 → 立案"):
        w.todo(r"待登记|待审查", "待登记")
        w.open_first_case("待登记的建议")
        pk = case_id(w)
        w.act("立案", "立案")
        assert Case.objects.get(pk=pk).state == "registered"
    with w.step("待办 → 待交办 → 交办（主办+会办）"):
        w.todo(r"待交办", "待交办")
        w.open_first_case("待交办的建议")
        pk = case_id(w)
        w.act("交办", "交办", {"mode": "lead", "co": SECOND})
        case = Case.objects.get(pk=pk)
        assert case.state == "handling"
        assert set(case.assignments.values_list("role", flat=True)) >= {"lead", "co"}
    with w.step("待办 → 待审核答复 → 审核通过"):
        w.todo(r"待审核答复|待审核", "待审核答复")
        w.open_first_case("待审核的答复")
        pk = case_id(w)
        w.act("审核通过|审核答复", "审核通过", {"accept": "1"})
        assert Reply.objects.filter(case_id=pk, state="accepted").exists()
    with w.step("待办 → 待审核答复 → 退回（写明理由）"):
        w.todo(r"待审核答复|待审核", "待审核答复")
        w.open_first_case("待审核的答复")
        pk = case_id(w)
        w.act("退回承办单位修改|退回修改答复|审核答复", "审核退回", {"accept": "0"}, text=RETURN_REASON)
        assert Reply.objects.filter(case_id=pk, state="returned").exists()
    with w.step("待办 → 调整申请 → 审核"):
        w.todo(r"调整|延期", "调整申请")
        w.open_first_case("申请调整的建议")
        pk = case_id(w)
        before = Case.objects.get(pk=pk).events.count()
        w.act("审核调整申请|批准延期|审核延期申请", "审核调整申请", {"approve": "0"},
              text="原交办单位职责明确，维持原交办")
        assert Case.objects.get(pk=pk).events.count() == before + 1
    with w.step("待办 → 待公开 → 公开"):
        w.todo(r"待公开", "待公开")
        w.open_first_case("待公开的建议")
        pk = case_id(w)
        w.act("公开", "公开")
        assert Case.objects.get(pk=pk).is_public
    with w.step("待办 → 已超期 → 催办"):
        w.todo(r"超期", "已超期")
        w.open_first_case("超期的建议")
        pk = case_id(w)
        before = Case.objects.get(pk=pk).events.count()
        w.act("催办", "催办", text="请抓紧办理，于五个工作日内报送答复")
        assert Case.objects.get(pk=pk).events.count() == before + 1
    with w.step("全部案件 → 搜索“加装电梯” → 导出"):
        w.home()
        w.follow(r"^\s*全部案件|^\s*案件", "全部案件", roles=("link",))
        w.page.locator("main input[name=q]").fill("加装电梯")
        search = w.need(r"^\s*(检索|筛选|搜索|查询)", "搜索", roles=("button",), scope=w.page.locator("main"))
        w.visit(search, "搜索加装电梯")
        rows = w.page.locator("main table tbody").inner_text()
        assert "关于加快老旧小区适老化改造的建议" in rows, "搜索“加装电梯”没有找到正文写有加装电梯的建议"
        with w.page.expect_download() as download:
            w.need(r"导出", "导出", scope=w.page.locator("main")).click()
        saved = download.value.path()
        assert saved is not None and saved.read_bytes()[:2] == b"PK", "导出的不是 Excel 文件"
    w.finish()


def test_unit_handler_day(walker, demo):
    w = walker("unit_handler", "handler")
    with w.step("待办 → 待签收 → 签收"):
        w.todo(r"待签收", "待签收")
        w.open_first_case("待签收的建议")
        pk = case_id(w)
        before = Case.objects.get(pk=pk).events.count()
        w.act("签收", "签收")
        assert Case.objects.get(pk=pk).events.count() == before + 1
    with w.step("待办 → 待答复 → 拟写答复"):
        w.todo(r"待答复", "待答复")
        w.open_first_case("待答复的建议")
        pk = case_id(w)
        w.act("拟写答复", "拟写答复", {"reply_class": "B", "text": REPLY_TEXT})
        assert Reply.objects.filter(case_id=pk, state="draft", text=REPLY_TEXT).exists()

    def kept(form) -> None:
        assert form.locator("[name=text]").input_value().strip(), "被退回的答复重新打开时是空的"

    with w.step("待办 → 被退回 → 重新打开（原文保留，理由在上） → 再次报送"):
        w.todo(r"被退回|退回", "被退回")
        w.open_first_case("被退回的答复")
        pk = case_id(w)
        main = w.page.inner_text("main")
        assert "退回" in main[: max(200, len(main) // 3)], "退回理由没有显示在页面上方"
        before = Reply.objects.filter(case_id=pk).count()
        w.act("修改答复|重新拟写答复|拟写答复", "重新报送答复", before_submit=kept)
        assert Reply.objects.filter(case_id=pk).count() >= before
    w.finish()


def test_unit_head_day(walker, demo):
    w = walker("unit_head", "head")
    with w.step("待办 → 待签发 → 退回经办人修改"):
        w.todo(r"待签发", "待签发")
        w.open_first_case("待签发的答复")
        pk = case_id(w)
        before = Case.objects.get(pk=pk).events.count()
        w.act("退回经办人修改", "退回经办人修改", text=RETURN_REASON)
        assert Case.objects.get(pk=pk).events.count() == before + 1
        assert RETURN_REASON in w.page.inner_text("main")
    with w.step("待办 → 待签发 → 签发答复"):
        w.todo(r"待签发", "待签发")
        w.open_first_case("待签发的答复")
        pk = case_id(w)
        w.act("签发答复", "签发答复", checks=("confirm",))
        assert Reply.objects.filter(case_id=pk, state="signed").exists()
    w.finish()


def test_leader_day(walker, demo):
    w = walker("leader", "leader")
    with w.step("统计 → 选一次会议 → 点一个数字 → 案件列表保留会议"):
        w.home()
        session = w.page.locator("main select[name=session]")
        values = [v for v in session.locator("option").evaluate_all("os => os.map(o => o.value)") if v]
        assert values, "统计页没有可选的会议"
        session.select_option(values[0])
        w.visit(w.need(r"^\s*查看", "查看", roles=("button",), scope=w.page.locator("main")), "选定会议的统计")
        figure = w.page.locator("main a[href*='/cases/?']").first
        if not figure.count():
            raise StepPending("统计页上没有可点击的数字")
        w.visit(figure, "点击数字")
        keeps = w.page.locator("main select[name=session]")
        if not keeps.count():
            raise StepPending("案件列表的会议筛选")
        assert keeps.input_value() == values[0], "从统计点进案件列表后，会议筛选丢失"
    with w.step("导航"):
        tour_nav(w)
    w.finish()


@pytest.mark.parametrize(("role", "username"), [("office_clerk", "office"), ("committee_staff", "committee")])
def test_office_and_committee_day(walker, demo, role, username):
    w = walker(role, username)
    with w.step("导航中的每个页面"):
        tour_nav(w)
    with w.step("待办中的每个列表"):
        tour_todo(w)
    w.finish()


@pytest.mark.parametrize("username", ["sysadmin", "secadmin", "auditor"])
def test_admin_day(walker, demo, username):
    w = walker(username, username, admin=True)
    assert "/admin/" in w.page.url, "管理员登录后应进入管理后台"
    models = w.page.locator("#content-main table th[scope=row] a, #content-main table th a")
    hrefs = list(dict.fromkeys(models.nth(i).get_attribute("href") for i in range(models.count())))
    assert hrefs, f"{username}：管理后台首页没有可进入的列表"
    for href in hrefs:  # from one list to the next by the admin's side bar, as a user would
        link = w.page.locator(f"#content-main a[href='{href}'], #nav-sidebar a[href='{href}']").first
        w.visit(link, href.strip("/").replace("/", "-"))
    w.finish()


def test_public_visitor(walker, live_server, demo):
    w = walker("public")
    w.visit(f"{live_server.url}/", "公开信息")
    first = w.page.locator("main a[href^='/public/cases/']").first
    assert first.count(), "公开页没有公开的建议"
    w.visit(first, "公开的建议")
    w.visit(f"{live_server.url}/public/cases/999999/", "不存在的建议", status=404)
    w.visit(f"{live_server.url}/no-such-page/", "不存在的页面", status=404)
    w.visit(f"{live_server.url}/login/", "登录页")
    w.finish()
