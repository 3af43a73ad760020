"""Smaller items of issue 8 on the suggestion pages: each one as a user would notice it."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from docx import Document

from lvzhi.cases.deadlines import rules_for
from lvzhi.cases.engine import fire
from lvzhi.cases.models import Case, CosignState, Event
from lvzhi.cases.workflow import InvalidInput
from lvzhi.suggestions.services import create_draft
from lvzhi.suggestions.states import SuggestionState
from lvzhi.testing import PASSWORD, SUGGESTION_BODY, build_world, draft, to_state


def _interim(world):
    """A suggestion made between sessions (闭会期间), assigned to a unit."""
    data = {"kind": "suggestion", "title": "关于加快老旧小区加装电梯的建议", "body": SUGGESTION_BODY,
            "category": "城乡建设", "cosigners": []}
    return to_state(world, create_draft(world.deputy_user, data, session=None), "handling")


def test_interim_notice_says_bixiuqijian_once(world, client):
    case = _interim(world)
    assert case.number.startswith("闭会期间")
    client.force_login(world.clerk)
    response = client.get(reverse("case_notice_docx", args=[case.pk]))
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    sentence = next(line for line in text.splitlines() if "提出的" in line)
    assert sentence.count("闭会期间") == 1, sentence
    assert f"代表提出的{case.number}建议《{case.title}》" in sentence


def test_session_notice_still_names_the_session(world, client):
    case = to_state(world, draft(world), "handling")
    client.force_login(world.clerk)
    text = "\n".join(p.text for p in Document(io.BytesIO(
        client.get(reverse("case_notice_docx", args=[case.pk])).content)).paragraphs)
    assert "在市十六届人大五次会议期间提出的第0001号建议" in text


@pytest.mark.parametrize("interim", [True, False])
def test_case_header_names_the_session_once(world, client, interim):
    case = _interim(world) if interim else to_state(world, draft(world), "handling")
    client.force_login(world.clerk)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    header = html.split('<h1', 1)[0].rsplit('<div class="small text-muted">', 1)[1]
    word = "闭会期间" if interim else str(case.session)
    assert header.count(word) == 1, header


# ----------------------------------------------------------------- motion: 10 deputies jointly

MOTION = {"kind": "motion", "title": "关于制定既有住宅加装电梯条例的议案", "body": SUGGESTION_BODY,
          "category": "城乡建设", "cause": "老旧小区加装电梯推进缓慢，群众反映强烈。",
          "basis": "根据住房和城乡建设部有关老旧小区改造的指导意见及本市实施方案。",
          "plan": "制定本市既有住宅加装电梯条例，明确审批、补贴和协商程序。"}


def test_motion_without_enough_cosigners_is_refused_at_submit(world, client):
    client.force_login(world.deputy_user)
    before = Event.objects.filter(name="submit").count()
    response = client.post(reverse("case_new"), {**MOTION, "then": "submit"}, follow=True)
    text = response.content.decode()
    assert "议案需10名以上代表联名（地方组织法第二十二条），当前含领衔代表共1名" in text
    case = world.deputies[0].led_cases.get()
    assert case.state == SuggestionState.DRAFT  # kept as a draft, not submitted
    assert Event.objects.filter(name="submit").count() == before
    with pytest.raises(InvalidInput):
        fire(case, "submit", world.deputy_user)


def test_motion_with_ten_signers_is_submitted(world):
    nine = [d.pk for d in world.deputies[1:10]]  # nine co-signers and the lead: ten deputies
    case = create_draft(world.deputy_user, {**MOTION, "cosigners": nine}, session=world.session)
    fire(case, "submit", world.deputy_user)
    case.refresh_from_db()
    assert case.state == SuggestionState.SUBMITTED


def test_the_rule_follows_the_congress_rule_set(world):
    rules = rules_for(world.congress)
    rules.motion_min_cosigners = 3
    rules.save()
    case = create_draft(world.deputy_user, {**MOTION, "cosigners": [world.deputies[1].pk]},
                        session=world.session)
    with pytest.raises(InvalidInput, match="议案需3名以上代表联名"):
        fire(case, "submit", world.deputy_user)


def test_form_carries_the_rule_for_the_live_warning(world, client):
    client.force_login(world.deputy_user)
    html = client.get(reverse("case_new") + "?kind=motion").content.decode()
    assert 'data-min-signers="10"' in html
    assert "suggestions/cosigners.js" in html
    # Checkboxes grouped by delegation, not a <select multiple> that needs Ctrl.
    assert 'type="checkbox" name="cosigners"' in html and "城东区代表团" in html
    assert '<select name="cosigners"' not in html


def test_picked_cosigners_come_back_checked_after_an_error(world, client):
    client.force_login(world.deputy_user)
    picked = [str(world.deputies[1].pk), str(world.deputies[2].pk)]
    html = client.post(reverse("case_new"), {"kind": "suggestion", "title": "短", "body": "太短",
                                             "cosigners": picked}).content.decode()
    for pk in picked:
        assert f'value="{pk}" id=' in html and re.search(rf'value="{pk}" id="[^"]+" data-name="[^"]+" checked', html)


# ----------------------------------------------------------------- the co-signer picker, in Chromium



def _deputy_page(browser, base: str, user, size: dict[str, int]):
    context = browser.new_context(viewport=size, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(f"{base}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.wait_for_load_state()
    return page, errors


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", [{"width": 1366, "height": 900}, {"width": 390, "height": 844}],
                         ids=["desktop", "phone"])
def test_picking_two_cosigners_by_clicking_keeps_both(live_server, browser, size):
    world = build_world()
    first, second = world.deputies[1], world.deputies[2]
    page, errors = _deputy_page(browser, live_server.url, world.deputy_user, size)
    page.goto(f"{live_server.url}/cases/new/")
    page.fill("[name=title]", "关于加快老旧小区加装电梯的建议")
    page.select_option("[name=category]", "城乡建设")
    page.fill("[name=body]", SUGGESTION_BODY)
    picker = page.locator("[data-cosigner-picker]")
    # Plain clicks, no modifier key: the second pick must not replace the first.
    picker.get_by_text(first.name, exact=True).click()
    picker.locator("[data-cosigner-filter]").fill(second.name)
    picker.get_by_text(second.name, exact=True).click()
    assert page.locator(f"[name=cosigners][value='{first.pk}']").is_checked()
    assert page.locator(f"[name=cosigners][value='{second.pk}']").is_checked()
    chips = picker.locator("[data-cosigner-chip]")
    assert chips.all_inner_texts() == [first.name, second.name]
    assert "已选 2 名附议代表" in picker.locator("[data-cosigner-count]").inner_text()
    # A chip removes its deputy; clicking the name again brings them back.
    chips.first.click()
    assert not page.locator(f"[name=cosigners][value='{first.pk}']").is_checked()
    picker.locator("[data-cosigner-filter]").fill("")
    picker.get_by_text(first.name, exact=True).click()
    page.screenshot(path=f"/tmp/F/cosigners-{size['width']}.png", full_page=True)
    with page.expect_navigation():
        page.click("button[value=submit]")
    page.wait_for_load_state()
    case = Case.objects.get(lead_deputy=world.deputies[0])
    assert case.state == SuggestionState.SUBMITTED
    assert set(case.cosigns.filter(state=CosignState.INVITED).values_list("deputy_id", flat=True)) == {
        first.pk, second.pk}
    assert not errors, errors


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_motion_form_warns_live_about_the_ten_deputy_rule(live_server, browser):
    world = build_world()
    page, errors = _deputy_page(browser, live_server.url, world.deputy_user, {"width": 390, "height": 844})
    page.goto(f"{live_server.url}/cases/new/")
    warning = page.locator("[data-cosigner-motion]")
    assert warning.is_hidden()  # a suggestion needs no co-signers
    page.select_option("[name=kind]", "motion")
    assert "议案需10名以上代表联名，当前已选0名附议代表（含您共1名），还需再选9名" in warning.inner_text()
    for d in world.deputies[1:3]:
        page.locator("[data-cosigner-picker]").get_by_text(d.name, exact=True).click()
    assert "当前已选2名附议代表（含您共3名），还需再选7名" in warning.inner_text()
    for d in world.deputies[3:10]:
        page.locator("[data-cosigner-picker]").get_by_text(d.name, exact=True).click()
    assert "人数已满足" in warning.inner_text()
    page.screenshot(path="/tmp/F/motion-warning-390.png", full_page=True)
    assert not errors, errors


# ----------------------------------------------------------------- print view

def test_case_page_links_the_print_stylesheet_and_button(world, client):
    case = to_state(world, draft(world), "replied")
    client.force_login(world.clerk)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in html
    assert "data-print-page" in html and "打印" in html and "onclick" not in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_print_view_shows_the_case_replies_and_timeline_only(live_server, browser):
    world = build_world()
    case = to_state(world, draft(world), "replied")
    page, errors = _deputy_page(browser, live_server.url, world.clerk, {"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.wait_for_load_state("networkidle")
    # The button prints (window.print is stubbed: headless Chromium has no print dialog).
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    page.click("[data-print-page]")
    assert page.evaluate("window.__printed") == 1
    page.emulate_media(media="print")
    for hidden in ("nav.navbar", "#actions", "[data-print-page]", "body > footer"):
        loc = page.locator(hidden)
        assert loc.count() == 0 or not loc.first.is_visible(), hidden
    body = page.inner_text("body")
    assert case.title in body and "答复" in body
    reply = case.replies.get()
    assert reply.text[:20] in body
    assert page.locator(".timeline").first.is_visible()
    # One column on paper: the side cards sit below the case, full width.
    main_col = page.locator(".row > .col-lg-8").first.bounding_box()
    side_col = page.locator(".row > .col-lg-4").first.bounding_box()
    assert side_col["y"] >= main_col["y"] + main_col["height"] - 1 and side_col["width"] >= main_col["width"] - 1
    page.screenshot(path="/tmp/F/print-case.png", full_page=True)
    assert not errors, errors
