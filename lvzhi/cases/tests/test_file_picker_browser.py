"""File inputs speak Chinese whatever the browser's language: in an English-locale Chromium the
reply's 答复函扫描件 shows a "选择文件" button and the chosen file's name, never the browser's
"Choose File / No file chosen"; the native input stays focusable and the file is uploaded.
Screenshots go to $LVZHI_SHOTS (default test-artifacts/browser/file-picker)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from lvzhi.documents.tests import hostile
from lvzhi.testing import PASSWORD, build_world, draft, to_state

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("LVZHI_SHOTS") or
             Path(__file__).resolve().parents[3] / "test-artifacts" / "browser" / "file-picker")
TEXT = ("经研究，我局已将老旧小区加装电梯纳入年度民生实事项目，正在修订补贴办法，"
        "拟将每台补贴提高至二十万元，由房屋安全管理处负责推进。")
FILE_NAME = "关于老旧小区加装电梯建议的答复函（市住建局2026年第18号）.pdf"


@pytest.fixture
def browser():
    from lvzhi.testing_browser import chromium

    with chromium("--lang=en-US") as b:  # an English browser: the native button would say "Choose File"
        yield b


@pytest.mark.parametrize("size, tag", [((1366, 900), "desktop"), ((390, 844), "phone")])
def test_reply_attachment_picker_is_chinese_in_an_english_browser(live_server, browser, settings,
                                                                  tmp_path, size, tag):
    settings.MEDIA_ROOT = tmp_path
    world = build_world(today=dt.date.today())
    case = to_state(world, draft(world), "handling")
    lead = case.assignments.get(role="lead")
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="en-US")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", world.handler_of(lead.unit).username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.wait_for_load_state("networkidle")
    if page.locator("[data-bs-target='#act-acknowledge']").count():  # the unit signs for it first
        page.click("[data-bs-target='#act-acknowledge']")
        with page.expect_navigation():
            page.locator("#act-acknowledge form button[type=submit]").click()
        page.wait_for_load_state()
    page.click("[data-bs-target='#act-draft_reply']")
    form = page.locator("#act-draft_reply form")
    form.wait_for(state="visible")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(400)  # the collapse's animation

    picker = form.locator(".file-picker")
    native = picker.locator("input[type=file][name=attachment]")
    button = picker.locator("label.file-picker-button")
    assert button.inner_text().strip() == "选择文件"
    assert picker.locator(".file-picker-name").inner_text() == "未选择文件"
    # The browser's own control is out of sight (its words follow the browser, not the page) …
    box = native.bounding_box()
    assert box is not None and box["width"] <= 1 and box["height"] <= 1
    assert native.evaluate("el => getComputedStyle(el).opacity") == "0"
    # … but it is still the field: named by the field's label, reached by Tab.
    assert native.evaluate("el => Array.from(el.labels).map(l => l.textContent.trim())")[0] == "答复函扫描件"
    native.focus()
    assert page.evaluate("document.activeElement.name") == "attachment"

    with page.expect_file_chooser() as chooser:
        button.click()
    chooser.value.set_files({"name": FILE_NAME, "mimeType": "application/pdf", "buffer": hostile.tiny_pdf()})
    assert picker.locator(".file-picker-name").inner_text() == FILE_NAME
    SHOTS.mkdir(parents=True, exist_ok=True)
    picker.locator("xpath=..").screenshot(path=str(SHOTS / f"{tag}-chosen.png"))

    form.locator("[name=reply_class]").select_option("B")
    form.locator("[name=text]").fill(TEXT)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert case.replies.get().attachment.name.endswith(".pdf")
    assert errors == []
    context.close()
