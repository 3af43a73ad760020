"""The filing path in Chromium, each step from the page its person uses: a government user files
a document late (the form first refusing a "PDF" that is not one); form review asks for material
and it is added; the filing is registered with a receipt and distributed; the committee records a
conflict with an upper-level law; 沟通 leads to 审查中止, the maker re-files and the review ends
(审查终止). Screenshots, desktop and phone: docs/screenshots/filing-*.png."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from lvzhi.cases.models import Case
from lvzhi.filing import states
from lvzhi.filing.testing import PDF, add_filing_world
from lvzhi.testing import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


class Actor:
    """One person in their own browser context."""

    def __init__(self, browser, base: str, username: str, phone: bool = False) -> None:
        self.context = browser.new_context(viewport=PHONE if phone else DESKTOP, locale="zh-CN",
                                           is_mobile=phone, has_touch=phone)
        self.page = self.context.new_page()
        self.errors: list[str] = []  # console errors include CSP violations
        # (the refused form answers 400 on purpose: that status is not an error of the page)
        self.page.on("console", lambda m: m.type == "error" and "status of 400" not in m.text
                     and self.errors.append(m.text))
        self.page.on("dialog", lambda d: d.accept())
        self.base, self.phone = base, phone
        self.page.goto(f"{base}/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        with self.page.expect_navigation():
            self.page.click("main button[type=submit]")
        self.page.wait_for_load_state()
        assert "/login/" not in self.page.url, f"{username} 登录失败"

    def go(self, path: str) -> None:
        self.page.goto(f"{self.base}{path}")
        self.page.wait_for_load_state()

    def open_case(self, case: Case) -> None:
        self.go(f"/cases/{case.pk}/")

    def act(self, name: str, fill: dict[str, str] | None = None, files: dict[str, tuple] | None = None,
            check: list[str] | None = None, select: dict[str, str] | None = None) -> None:
        page = self.page
        page.click(f"[data-bs-target='#act-{name}']")
        form = page.locator(f"#act-{name} form")
        form.wait_for(state="visible")
        for field, value in (select or {}).items():
            form.locator(f"[name={field}]").select_option(value)
        for field, value in (fill or {}).items():
            form.locator(f"[name={field}]").fill(value)
        for field, (name_, content) in (files or {}).items():
            form.locator(f"[name={field}]").set_input_files(
                {"name": name_, "mimeType": "application/pdf", "buffer": content})
        for css in check or []:
            form.locator(css).check()
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        page.wait_for_load_state()

    def shot(self, name: str) -> None:
        DOCS.mkdir(parents=True, exist_ok=True)
        size = "phone" if self.phone else "desktop"
        self.page.screenshot(path=str(DOCS / f"filing-{name}-{size}.png"), full_page=True)

    def sees(self, text: str) -> None:
        assert text in self.page.inner_text("body"), f"页面中没有“{text}”"


def test_a_late_filing_to_termination_after_refiling(live_server, browser):
    today = timezone.localdate()
    world = build_world(today=today)
    fw = add_filing_world(world)
    published = today - dt.timedelta(days=50)
    number = f"北政发〔{published.year}〕12号"
    title = "北辰市城市管理综合执法若干规定"

    # 1. The government's filer files the document late; a "PDF" that is not one is refused first.
    gov = Actor(browser, live_server.url, fw.govfiler.username)
    gov.go("/filing/mine/")
    with gov.page.expect_navigation():
        gov.page.click("text=报送新文件")
    gov.page.wait_for_load_state()
    p = gov.page
    p.fill("[name=title]", title)
    p.select_option("[name=doc_kind]", "admin_normative")
    p.fill("[name=doc_number]", number)
    p.fill("[name=published_on]", published.isoformat())
    p.fill("[name=summary]", "规定共二十条，明确城市管理综合执法的范围、程序和罚款标准。")
    p.fill("[name=basis]", "《中华人民共和国行政处罚法》《北辰市市容和环境卫生管理条例》")
    p.fill("[name=late_reason]", "印发后校核延误")
    p.set_input_files("[name=text_file]", {"name": "文本.pdf", "mimeType": "application/pdf",
                                           "buffer": b"this is not a pdf"})
    p.set_input_files("[name=explanation_file]", {"name": "起草说明.pdf", "mimeType": "application/pdf",
                                                  "buffer": PDF})
    with p.expect_navigation():
        p.click("main button[type=submit]")
    gov.sees("不是有效的PDF文件")
    assert not Case.objects.filter(kind="filing").exists()
    gov.shot("refused")
    p.set_input_files("[name=text_file]", {"name": "文本.pdf", "mimeType": "application/pdf", "buffer": PDF})
    p.set_input_files("[name=explanation_file]", {"name": "起草说明.pdf", "mimeType": "application/pdf",
                                                  "buffer": PDF})
    with p.expect_navigation():
        p.click("main button[type=submit]")
    case = Case.objects.get(kind="filing")
    assert case.filing_detail.late_days > 0
    gov.sees("逾期报送")
    gov.shot("filed-late")

    # 2. The 法工委 sees it on the queue and asks for material; the filer adds it from a phone.
    clerk = Actor(browser, live_server.url, fw.law_clerk.username)
    clerk.go("/filing/review/")
    clerk.sees(title)
    clerk.shot("queue")
    clerk.open_case(case)
    clerk.act("ask_supplement", fill={"request": "请补充制定依据中所引用的上位法条款及合法性审查意见"})
    phone = Actor(browser, live_server.url, fw.govfiler.username, phone=True)
    phone.go("/filing/mine/")
    phone.sees("需要处理")
    phone.shot("asked")
    phone.open_case(case)
    phone.act("supplement", fill={"note": "已补充合法性审查意见"}, files={"file": ("合法性审查意见.pdf", PDF)})
    case.refresh_from_db()
    assert case.state == states.FILED

    # 3. Registered with a receipt, distributed to the 法制委员会 with the 法工委 leading.
    clerk.open_case(case)
    clerk.act("register", fill={"note": "材料齐全，予以登记"})
    clerk.open_case(case)
    clerk.act("distribute", check=[f"input[name=committees][value='{fw.committees[0].pk}']"])
    case.refresh_from_db()
    assert case.state == states.HANDLING and case.number

    # 4. The committee records a conflict with an upper-level law and gives its opinion.
    staff = Actor(browser, live_server.url, fw.committee_staff[0].username)
    staff.go("/filing/review/")
    staff.sees(title)
    staff.open_case(case)
    staff.act("record_finding", select={"criterion": "upper_law"},
              fill={"provision": "第十二条", "upper_law": "《中华人民共和国行政处罚法》第十六条",
                    "reason": "行政规范性文件不得设定罚款，第十二条设定罚款超越权限。"})
    staff.open_case(case)
    staff.act("give_co_opinion", fill={"opinion": "第十二条与行政处罚法第十六条相抵触，建议制定机关修改。"})
    staff.open_case(case)
    staff.sees("行政处罚法》第十六条")
    staff.shot("finding")

    # 5. 沟通 → the maker agrees with a plan (审查中止) → re-files → 审查终止.
    clerk.open_case(case)
    clerk.act("communicate", fill={"text": "第十二条设定罚款与行政处罚法第十六条不一致，请研究修改。"})
    gov.open_case(case)
    gov.act("agree_plan", fill={"plan": "同意删除第十二条罚款规定，修改后重新印发。",
                                "plan_due_on": (today + dt.timedelta(days=20)).isoformat()})
    case.refresh_from_db()
    assert case.state == states.SUSPENDED
    gov.open_case(case)
    gov.sees("审查中止")
    gov.shot("suspended")
    gov.act("refile", fill={"note": "已删除第十二条并重新印发。"}, files={"file": ("修改后文本.pdf", PDF)})
    clerk.open_case(case)
    clerk.act("terminate", select={"outcome": "corrected"}, fill={"text": "制定机关已按沟通意见纠正，审查终止。"})
    case.refresh_from_db()
    assert case.state == states.TERMINATED and case.round == 2
    phone.open_case(case)
    phone.sees("审查终止")
    phone.shot("terminated")
    for actor in (gov, clerk, staff, phone):
        assert not actor.errors, actor.errors
