"""A citizen comments on one article of a draft at phone size, with the arithmetic verification, gets a
receipt and looks it up; the 法工委 decides it and links it to the second draft, and the lookup shows
the outcome. Screenshots go to docs/screenshots/legislation-comment-*.png (or $LVZHI_SHOTS)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from lvzhi.legislation import comment_services as svc
from lvzhi.legislation.comment_models import Comment, Outcome, Verification
from lvzhi.legislation.comment_testing import build_comment_world
from lvzhi.testing import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("LVZHI_SHOTS") or Path(__file__).resolve().parents[3] / "docs" / "screenshots")
PHONE = {"width": 390, "height": 844}


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"legislation-comment-{name}.png"), full_page=name != "draft")


def _answer(question: str) -> str:
    a, op, b = re.search(r"(\d+) (加|减) (\d+)", question).groups()
    return str(int(a) + int(b) if op == "加" else int(a) - int(b))


def test_a_citizen_comments_on_an_article_and_looks_up_the_receipt(live_server, browser):
    cw = build_comment_world(build_world(), verification=Verification.ARITHMETIC)
    base = live_server.url
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN", device_scale_factor=2, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))

    page.goto(f"{base}/legislation/public/comments/")
    page.click("text=《北辰市物业管理条例》修订草案（一审稿）")
    assert "第四章 专项维修资金" in page.inner_text("body")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scroll
    page.locator("#a10").scroll_into_view_if_needed()
    _shot(page, "draft")
    with page.expect_navigation():
        page.click("#a10 >> text=对本条提意见")
    page.wait_for_load_state()
    assert "对第十条提意见" in page.inner_text("h1")

    # a wrong answer is refused and nothing is saved
    page.fill("#id_text", "建议明确电梯更新改造也属于紧急情况，可以直接申请使用维修资金。")
    page.fill("#id_contact", "13912345678")
    question = page.inner_text("label[for=id_answer]")
    page.fill("#id_answer", str(int(_answer(question)) + 1))
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "验证答案不正确" in page.inner_text("body") and not Comment.objects.exists()
    errors.clear()  # the refused post's own 400, logged by the browser

    page.fill("#id_text", "建议明确电梯更新改造也属于紧急情况，可以直接申请使用维修资金。")
    page.fill("#id_answer", _answer(page.inner_text("label[for=id_answer]")))
    _shot(page, "form")
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.wait_for_load_state()
    receipt = page.inner_text("#receipt").strip()
    comment = Comment.objects.get()
    assert receipt == comment.receipt and comment.article_key == "10"
    _shot(page, "receipt")

    with page.expect_navigation():
        page.click("a:has-text('查询采纳情况')")
    page.wait_for_load_state()
    body = page.inner_text("body")
    assert "已收到，正在研究" in body and "13912345678" not in body

    svc.decide(cw.law.law_clerk, comment, Outcome.PARTLY, "吸收了紧急维修的意见，电梯更新另行规定")
    svc.link(cw.law.law_clerk, comment, cw.later, ["10"])
    page.goto(f"{base}/legislation/public/comments/receipt/")
    page.fill("#code", receipt.lower())
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.wait_for_load_state()
    body = page.inner_text("body")
    assert "部分采纳" in body and "电梯更新另行规定" in body and "修订草案（二审稿）" in body
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(page, "lookup")
    assert not errors, errors
    ctx.close()


def test_the_clerk_groups_and_decides_on_the_sorting_page(live_server, browser):
    from django.contrib.sessions.backends.db import SessionStore

    from lvzhi.testing import PASSWORD

    cw = build_comment_world(build_world())
    for i, text in enumerate(["物业费调整前应当公示上一年度物业服务费的收支情况，让业主明明白白。",
                              "物业费调整前应当公示上一年度物业服务费收支情况，让业主明明白白！",
                              "小区停车位应当优先出租给业主，不得只售不租。"]):
        svc.submit_public(cw.period, text=text, article_key="8" if i < 2 else "9", ip=f"10.0.0.{i}",
                          session=SessionStore(), name="王女士", contact="13800138000")
    ctx = browser.new_context(viewport=PHONE, locale="zh-CN", device_scale_factor=2, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", cw.law.law_clerk.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/legislation/comments/{cw.period.pk}/")
    with page.expect_navigation():
        page.click("button:has-text('合并相同意见')")
    page.wait_for_load_state()
    assert "已合并相同意见1条" in page.inner_text("body") and "含相同意见1条" in page.inner_text("body")
    first = page.locator("article").first
    first.locator("summary").click()
    first.locator("input[value=partly]").check()
    first.locator("textarea[name=reason]").fill("吸收公示要求，审计办法另行规定")
    with page.expect_navigation():
        first.locator("button:has-text('保存')").click()
    page.wait_for_load_state()
    assert "已部分采纳（连同相同意见共2条）" in page.inner_text("body")
    assert "138****8000" in page.inner_text("body")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "legislation-comment-sorting.png"), full_page=True)
    ctx.close()
