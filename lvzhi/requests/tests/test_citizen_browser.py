"""代表码上见 end to end in real Chromium: a citizen scans a station's code and sends a request
with a photo from a phone; the station's deputy forwards it to a unit; the unit replies; the
deputy answers the citizen; the citizen rates it with the receipt code; the deputy's 履职档案
shows the request. Screenshots to tmp_path, phone pages without sideways scroll."""

from __future__ import annotations

import pytest
from PIL import Image

from lvzhi.deputies.models import LiaisonStation
from lvzhi.requests import citizen_services as svc
from lvzhi.requests.citizen_models import CitizenRequestDetail
from lvzhi.testing import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
TEXT = "东风街道幸福里小区北门外的人行道被共享单车和电动车堵满，轮椅、婴儿车都过不去，希望规划停放点并定期清理。"


def context(browser, viewport):
    page = browser.new_context(viewport=viewport, locale="zh-CN").new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and "status of 4" not in m.text and errors.append(m.text))
    return page, errors


def login(browser, base: str, username: str, viewport: dict):
    page, errors = context(browser, viewport)
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    return page, errors


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def act(page, label: str, fields: dict[str, str], button: str) -> None:
    """Open a transition's form on the case page, fill it and send it."""
    page.locator("#actions button", has_text=label).first.click()
    panel = page.locator(".collapse.show form").last
    for name, value in fields.items():
        el = panel.locator(f"[name={name}]")
        if el.evaluate("e => e.tagName") == "SELECT":
            el.select_option(value)
        else:
            el.fill(value)
    with page.expect_navigation():
        panel.locator("button[type=submit]", has_text=button).click()


def test_the_whole_loop(live_server, browser, tmp_path):
    world = build_world()
    station = LiaisonStation.objects.create(congress=world.congress, name="东风街道人大代表联络站",
                                            address="东风路118号便民服务中心二楼")
    deputy = world.deputies[3]
    deputy.station = station
    deputy.save()
    base = live_server.url
    photo = tmp_path / "单车.png"
    Image.new("RGB", (640, 480), (30, 120, 200)).save(photo)

    # The citizen scans the station's code on a phone.
    citizen, citizen_errors = context(browser, PHONE)
    citizen.goto(f"{base}/requests/r/{svc.qr_token('s', station.pk)}/")
    assert "向东风街道人大代表联络站反映" in citizen.content()
    with citizen.expect_navigation():  # an empty request is refused in Chinese, nothing kept
        citizen.click("#request-form button[type=submit]")
    assert "反映的问题或意见建议" in citizen.locator("#form-error").inner_text()
    citizen.fill("#id_text", TEXT)
    citizen.set_input_files("#id_photos", str(photo))
    citizen.fill("#id_location", "幸福里小区北门")
    citizen.fill("#id_name", "王女士")
    citizen.fill("#id_contact", "13912345678")
    assert fits(citizen)
    citizen.screenshot(path=str(tmp_path / "citizen-new-phone.png"), full_page=True)
    with citizen.expect_navigation():
        citizen.click("#request-form button[type=submit]")
    receipt = citizen.locator("#receipt").inner_text().strip()
    detail = CitizenRequestDetail.objects.get()
    assert receipt == detail.receipt and detail.case.request_photos.count() == 1
    citizen.screenshot(path=str(tmp_path / "citizen-done-phone.png"), full_page=True)

    # The station's deputy forwards it to a unit, on the phone.
    dep, dep_errors = login(browser, base, deputy.user.username, PHONE)
    dep.goto(f"{base}/requests/citizen/mine/")
    with dep.expect_navigation():
        dep.locator(".list-group-item", has_text="共享单车").click()
    assert "139****5678" in dep.content() and "13912345678" not in dep.content()
    assert dep.locator("img[alt^=群众上传的照片]").count() == 1
    assert fits(dep)
    dep.screenshot(path=str(tmp_path / "deputy-case-phone.png"), full_page=True)
    unit = world.units[2]
    act(dep, "转交单位办理", {"unit": str(unit.pk), "note": "请核实人行道被占情况，规划非机动车停放点"}, "转交单位办理")
    assert "已转交单位办理" in dep.content()

    # The unit replies to the deputy.
    handler, handler_errors = login(browser, base, world.handler_of(unit).username, DESKTOP)
    handler.goto(f"{base}/cases/{detail.case_id}/")
    act(handler, "答复代表", {"text": "已在北门外施划非机动车停放区40个，并安排运维人员每日两次清理。"}, "答复代表")
    assert "单位已答复代表" in handler.content()
    handler.screenshot(path=str(tmp_path / "unit-desktop.png"), full_page=True)

    # The deputy answers the citizen.
    dep.reload()
    act(dep, "答复群众", {"text": "交通运输局已在北门外施划停放区，并每日清理两次，请您留意。"}, "答复群众")
    assert "已答复群众待评价" in dep.content()

    # The citizen rates it with the receipt code.
    citizen.goto(f"{base}/requests/lookup/?code={receipt}")
    assert "每日清理两次" in citizen.locator("#told").inner_text()
    citizen.check("#rating_satisfied")
    with citizen.expect_navigation():
        citizen.click("#rate-form button[type=submit]")
    assert citizen.locator("#rating").inner_text() == "满意" and "已办结" in citizen.content()
    assert fits(citizen)
    citizen.screenshot(path=str(tmp_path / "citizen-lookup-phone.png"), full_page=True)

    # The deputy's 履职档案 shows the request.
    dep.goto(f"{base}/deputies/record/")
    section = dep.locator("#source-citizen_requests")
    assert "共享单车" in section.inner_text()
    assert fits(dep)
    dep.screenshot(path=str(tmp_path / "record-phone.png"), full_page=True)
    assert not (citizen_errors or dep_errors or handler_errors), citizen_errors + dep_errors + handler_errors
