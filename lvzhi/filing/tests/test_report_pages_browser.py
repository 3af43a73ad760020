"""Chromium on the public pages and the annual report page, desktop and phone: what a visitor and
the 法工委 see, no console error, nothing wider than a phone. Screenshots: docs/screenshots/filing-report-*.png."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from lvzhi.filing import demo_reports, states
from lvzhi.filing.choices import DocKind
from lvzhi.filing.testing import add_filing_world, make_filing
from lvzhi.filing.tests.test_report_demo import Builder
from lvzhi.testing import PASSWORD
from lvzhi.testing_text import english_words

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def test_public_pages_and_the_report_page(live_server, browser, world):
    fw = add_filing_world(world)
    for month in (3, 5, 7):
        make_filing(world, state=states.TERMINATED, now=timezone.make_aware(dt.datetime(2025, month, 10, 10)))
    make_filing(world, state=states.SUSPENDED, doc_kind=DocKind.GOV_RULE,
                now=timezone.make_aware(dt.datetime(2025, 9, 10, 10)))
    make_filing(world, state=states.REGISTERED, doc_kind=DocKind.JUDICIAL_NORMATIVE,
                now=timezone.make_aware(dt.datetime(2025, 8, 10, 10)))
    demo_reports.build(Builder(world.congress))
    errors: list[str] = []
    q = f"?congress={world.congress.pk}"

    def page(phone: bool, username: str | None = None):
        ctx = browser.new_context(viewport=PHONE if phone else DESKTOP, locale="zh-CN", is_mobile=phone,
                                  has_touch=phone)
        p = ctx.new_page()
        p.on("console", lambda m: m.type == "error" and errors.append(m.text))
        if username:
            p.goto(f"{live_server.url}/login/")
            p.fill("#id_username", username)
            p.fill("#id_password", PASSWORD)
            with p.expect_navigation():
                p.click("main button[type=submit]")
        return p

    def visit(p, path: str, name: str, phone: bool) -> str:
        p.goto(live_server.url + path)
        p.wait_for_load_state()
        p.screenshot(path=str(SHOTS / f"filing-report-{name}{'-phone' if phone else ''}.png"), full_page=True)
        if phone:
            assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name
        text = p.inner_text("body")
        assert not english_words(text), (name, english_words(text))
        return text

    for phone in (False, True):
        p = page(phone)
        text = visit(p, "/" + q, "portal", phone)
        assert "规范性文件备案审查" in text
        with p.expect_navigation():
            p.click("text=规范性文件备案审查")
        p.wait_for_load_state()
        text = visit(p, "/filing/public/" + q, "public-documents", phone)
        assert "报送备案的规范性文件" in text and "北政发〔2025〕" in text
        text = visit(p, "/filing/public/2025/directory/" + q, "public-directory", phone)
        assert "2025年度规范性文件备案目录" in text and "共5件" in text
        text = visit(p, "/filing/public/reports/2025/" + q, "public-report", phone)
        assert "全年共接收报送备案的规范性文件5件" in text and "发现漏报1件" in text
        p.context.close()

        p = page(phone, fw.law_clerk.username)
        text = visit(p, "/filing/reports/2025/", "annual", phone)
        assert "2026年4月14日已报送" in text and "备案目录（5件）" in text
        text = visit(p, "/filing/reports/catalogues/?year=2025", "catalogues", phone)
        assert demo_reports.MISSING_TITLE in text
        p.context.close()
    assert not errors, errors
