"""A citizen's review request on a filed document, answered, in Chromium: the citizen (no account,
on a phone) submits it on the portal and gets a receipt code; the 法工委 registers it and starts
the review (the filing takes the request); once the filing's review ends the 法工委 feeds the
result back and publishes it; the citizen reads it by the receipt code, and the public results
page shows it without name or contact. Screenshots: docs/screenshots/filing-request-*.png."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from lvzhi.cases.engine import fire
from lvzhi.cases.models import Case
from lvzhi.filing import states
from lvzhi.filing.request_states import ANSWERED, REVIEWING
from lvzhi.filing.testing import add_filing_world, make_filing
from lvzhi.filing.tests.test_filing_walk import DESKTOP, DOCS, PHONE, Actor
from lvzhi.testing import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CONTACT = "13987654321"


class Citizen:
    def __init__(self, browser, base: str, phone: bool) -> None:
        self.context = browser.new_context(viewport=PHONE if phone else DESKTOP, locale="zh-CN",
                                           is_mobile=phone, has_touch=phone)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and "status of 400" not in m.text
                     and self.errors.append(m.text))
        self.base, self.phone = base, phone

    def go(self, path: str) -> None:
        self.page.goto(f"{self.base}{path}")
        self.page.wait_for_load_state()

    def shot(self, name: str) -> None:
        DOCS.mkdir(parents=True, exist_ok=True)
        size = "phone" if self.phone else "desktop"
        self.page.screenshot(path=str(DOCS / f"filing-request-{name}-{size}.png"), full_page=True)

    def answer(self) -> str:
        label = self.page.inner_text("label[for=id_answer]")
        a, b = map(int, re.search(r"(\d+) 加 (\d+)", label).groups())
        return str(a + b)


def test_a_citizens_request_is_answered(live_server, browser):
    world = build_world(today=timezone.localdate())
    fw = add_filing_world(world)
    filing = make_filing(world, state=states.HANDLING, title="北辰市养犬管理规定实施办法")
    number = filing.filing_detail.doc_number

    for phone in (True, False):
        citizen = Citizen(browser, live_server.url, phone)
        citizen.go("/filing/requests/new/")
        page = citizen.page
        # bad input first: a wrong contact and too short a reason are refused in Chinese, nothing saved
        page.select_option("#id_filing", str(filing.pk))
        page.fill("#id_proposer_name", "王建国")
        page.fill("#id_contact", "12345")
        page.fill("#id_reasons", "太短")
        page.fill("#id_answer", citizen.answer())
        with page.expect_navigation():
            page.click("main button[type=submit]")
        page.wait_for_load_state()
        assert "联系方式应为手机号" in page.inner_text("body")
        assert Case.objects.filter(kind="review_request").count() == (0 if phone else 1)
        page.select_option("#id_filing", str(filing.pk))
        page.fill("#id_contact", CONTACT)
        page.fill("#id_provisions", "第十五条")
        page.check("input[name=criteria][value=beyond_power]")
        page.fill("#id_reasons", "第十五条规定重点管理区内每户限养一只犬，违者没收犬只，超出上位法的授权。")
        page.fill("#id_answer", citizen.answer())
        citizen.shot("form")
        with page.expect_navigation():
            page.click("main button[type=submit]")
        page.wait_for_load_state()
        receipt = page.inner_text("#receipt").strip()
        assert len(receipt) == 10 and CONTACT not in page.inner_text("body")
        citizen.shot("receipt")
        assert not citizen.errors, citizen.errors
        if phone:
            kept = (citizen, receipt)
    citizen, receipt = kept
    case = Case.objects.get(review_request_detail__receipt=receipt)

    clerk = Actor(browser, live_server.url, fw.law_clerk.username)
    clerk.go("/filing/requests/")
    clerk.sees("已收到待登记")
    clerk.open_case(case)
    clerk.sees(CONTACT)  # the 法工委 reads the contact in full
    clerk.act("register", fill={"note": "内容完整，予以登记"})
    clerk.sees("已登记待研究")
    with clerk.page.expect_navigation():
        clerk.page.click("form[action$='/start/'] button[type=submit]")
    clerk.sees("已启动审查")
    case.refresh_from_db()
    assert case.state == REVIEWING and filing.events.filter(name="take_request").exists()
    DOCS.mkdir(parents=True, exist_ok=True)
    clerk.page.screenshot(path=str(DOCS / "filing-request-office-desktop.png"), full_page=True)

    # the filing's review ends (its own path is the filing walk's)
    fire(filing, "terminate", fw.law_clerk, {"outcome": "no_problem", "text": "经审查，未发现问题"})
    clerk.open_case(case)
    result = "经审查，该实施办法第十五条有养犬管理规定的授权，未发现违反上位法的问题，审查终止。"
    clerk.act("feed_back", fill={"text": result}, check=["[name=publish]"])
    case.refresh_from_db()
    assert case.state == ANSWERED

    citizen.go(f"/filing/requests/lookup/?code={receipt}")
    body = citizen.page.inner_text("body")
    assert "已反馈审查结果" in body and "未发现违反上位法的问题" in body and CONTACT not in body
    citizen.shot("answered")
    citizen.go("/filing/requests/results/")
    body = citizen.page.inner_text("body")
    assert number in body and "王建国" not in body and CONTACT not in body
    citizen.shot("results")
    leader = Actor(browser, live_server.url, world.leader.username)
    leader.open_case(case)
    assert CONTACT not in leader.page.inner_text("body")
    assert not clerk.errors and not citizen.errors, clerk.errors + citizen.errors
