"""The whole legislative path in Chromium, each step from the page a person uses:

the 法工委 opens a draft for comment; a citizen comments on an article from a phone; a contact point
imports its opinions from Excel; the 法工委 decides the outcomes; the next version adopts two of them;
the citizen looks the outcome up with the receipt; the bill is voted on, approved, published and comes
into force; the regulation's timeline shows every step. Screenshots: var/e2e-screenshots/legislation/.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone

from lvzhi.legislation import bills
from lvzhi.legislation.choices import Action, BillState
from lvzhi.legislation.comment_models import Channel, Comment, CommentPeriod, Outcome
from lvzhi.legislation.comment_testing import DRAFT_TEXT, LATER_TEXT
from lvzhi.legislation.models import Bill, ContactPoint, Regulation
from lvzhi.legislation.testing import add_law_bodies
from lvzhi.legislation.versions import record_version
from lvzhi.testing import PASSWORD, build_world, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[3] / "var" / "e2e-screenshots" / "legislation"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
OLD_TEXT = DRAFT_TEXT.replace("（修订草案）", "").replace("每届任期不超过五年", "每届任期五年")


class Walk:
    def __init__(self, browser, base: str) -> None:
        self.browser, self.base, self.n = browser, base, 0
        self.errors: list[str] = []
        shutil.rmtree(SHOTS, ignore_errors=True)
        SHOTS.mkdir(parents=True, exist_ok=True)

    def page(self, username: str | None = None, *, phone: bool = False):
        ctx = self.browser.new_context(viewport=PHONE if phone else DESKTOP, locale="zh-CN",
                                       is_mobile=phone, has_touch=phone)
        page = ctx.new_page()
        page.on("console", lambda m: m.type == "error" and "Failed to load resource" not in m.text
                and self.errors.append(m.text))
        if username:
            page.goto(f"{self.base}/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", PASSWORD)
            with page.expect_navigation():
                page.click("main button[type=submit]")
            page.wait_for_load_state()
            assert "/login/" not in page.url, f"{username} 登录失败"
        return page

    def shot(self, page, name: str) -> None:
        self.n += 1
        page.screenshot(path=str(SHOTS / f"{self.n:02d}-{name}.png"), full_page=True)

    @staticmethod
    def submit(page, selector: str) -> None:
        with page.expect_navigation():
            page.click(selector)
        page.wait_for_load_state()


def _bill_form(page, action: str, reading: int | None = None):
    """A form of the bill page (of one reading's, if given), its <details> opened as a user opens it."""
    css = f"form:has(input[name=action][value={action}])"
    if reading is not None:
        css += f":has(input[name=reading][value='{reading}'])"
    form = page.locator(css).first
    page.evaluate("f => { const d = f.closest('details'); if (d) d.open = true; }", form.element_handle())
    return form


def _setup(today: dt.date):
    """A regulation in force and its revision bill after the 一审, as the 法工委 left it."""
    world = build_world(today=today)
    law = add_law_bodies(world)
    reg = Regulation.objects.create(congress=world.congress, title="北辰市物业管理条例", lead_committee=world.committee)
    record_version(reg, Action.ENACT, dt.date(2019, 8, 29), text=OLD_TEXT, actor=law.law_clerk,
                   approved_on=dt.date(2019, 11, 28), effective_on=dt.date(2020, 3, 1))
    bill = bills.open_bill(law.law_clerk, title="北辰市物业管理条例（修订草案）", action=Action.REVISE,
                           proposer="市人民政府", regulation=reg, drafting_body="市住房和城乡建设局",
                           lead_committee=world.committee)
    bills.propose(bill, law.law_clerk, today - dt.timedelta(days=80))
    first = bills.schedule_reading(bill, law.law_clerk, ordinal=1, meeting="市十六届人大常委会第二十次会议",
                                   meeting_on=today - dt.timedelta(days=50))
    bills.add_draft(bill, law.law_clerk, label="修订草案（一审稿）", text=DRAFT_TEXT, reading=first)
    bills.record_materials_sent(first, law.law_clerk, today - dt.timedelta(days=58))
    bills.record_deliberation(first, law.law_clerk, "组成人员建议进一步听取业主和基层意见。")
    point_clerk = make_user(f"point{world.congress.pk}", "clerk", world.congress, None, "刘联络")
    ContactPoint.objects.create(congress=world.congress, name="东风街道基层立法联系点", kind="街道",
                                district="城东区", clerk=point_clerk)
    return world, law, reg, bill, point_clerk


def _opinions_xlsx() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["条款", "意见内容", "提出人", "备注"])
    ws.append(["第六条", "建议业主委员会每季度公布一次共有部分收益和维修资金使用情况，半年太长。", "张大爷",
               "东风小区"])
    ws.append(["第九条", "车位应当先租后售，租金要公示。", "李女士", ""])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_draft_from_comment_to_in_force(live_server, browser, tmp_path):
    today = timezone.localdate()
    _world, law, reg, bill, point_clerk = _setup(today)
    walk = Walk(browser, live_server.url)

    # 1. The 法工委 opens the 一审稿 for comment: 30 days, every channel.
    clerk = walk.page(law.law_clerk.username)
    clerk.goto(f"{walk.base}/legislation/comments/")
    clerk.select_option("#id_draft", value=str(bill.latest_draft.pk))
    clerk.fill("#id_opens_on", today.isoformat())
    clerk.fill("#id_closes_on", (today + dt.timedelta(days=29)).isoformat())
    for box in clerk.locator("input[name=channels]").all():
        box.check()
    clerk.fill("#id_note", "欢迎社会各界对修订草案提出意见和建议。")
    walk.submit(clerk, "#open button[type=submit]")
    period = CommentPeriod.objects.get(draft__bill=bill)
    assert period.days == 30 and set(period.channels) == set(Channel.values)
    walk.shot(clerk, "period-opened")

    # 2. A citizen on a phone comments on 第五条 and keeps the receipt.
    citizen = walk.page(phone=True)
    citizen.goto(f"{walk.base}/legislation/public/comments/")
    with citizen.expect_navigation():
        citizen.click(f"a:has-text('《{reg.title}》修订草案（一审稿）')")
    with citizen.expect_navigation():
        citizen.click("#a5 >> text=对本条提意见")
    citizen.fill("#id_text", "业主委员会任期五年太长，建议改为三年，连任不超过两届，便于业主监督。")
    citizen.fill("#id_contact", "13912345678")
    if citizen.locator("#id_answer").count():  # the verification the congress set: a sum to work out
        a, op, b = re.search(r"(\d+) (加|减) (\d+)", citizen.inner_text("label[for=id_answer]")).groups()
        citizen.fill("#id_answer", str(int(a) + int(b) if op == "加" else int(a) - int(b)))
    walk.submit(citizen, "main button[type=submit]")
    receipt = citizen.inner_text("#receipt").strip()
    mine = Comment.objects.get(receipt=receipt)
    assert mine.article_key == "5" and mine.channel == Channel.PORTAL
    walk.shot(citizen, "citizen-receipt")

    # 3. The contact point imports what its meeting said.
    point = walk.page(point_clerk.username)
    point.goto(f"{walk.base}/legislation/contact-point/")
    with point.expect_navigation():
        point.click("a:has-text('从Excel导入')")
    point.fill("#id_held_on", today.isoformat())
    point.fill("#id_place", "东风街道党群服务中心")
    point.fill("#id_participants", "18")
    sheet = tmp_path / "东风街道意见.xlsx"
    sheet.write_bytes(_opinions_xlsx())
    point.set_input_files("#id_file", str(sheet))
    walk.submit(point, "main button[type=submit]")
    from_point = Comment.objects.filter(contact_point__isnull=False).order_by("pk")
    assert [c.article_key for c in from_point] == ["6", "9"]
    walk.shot(point, "point-imported")

    # 4. The 法工委 decides: the citizen's and the point's 第六条 adopted, 第九条 not.
    clerk.goto(f"{walk.base}{period.get_absolute_url()}")
    decisions = {mine.pk: (Outcome.ADOPTED, ""), from_point[0].pk: (Outcome.ADOPTED, ""),
                 from_point[1].pk: (Outcome.NOT_ADOPTED, "车位租售由民法典和上位法规定，本条例不作重复规定")}
    for pk, (outcome, reason) in decisions.items():
        form = clerk.locator(f"form[action='/legislation/comments/item/{pk}/decide/']")
        clerk.evaluate("f => { const d = f.closest('details'); if (d) d.open = true; }", form.element_handle())
        form.locator(f"input[name=outcome][value={outcome}]").check()
        if reason:
            form.locator("textarea[name=reason]").fill(reason)
        with clerk.expect_navigation():
            form.locator("button[type=submit]").click()
    assert {c.pk: c.outcome for c in Comment.objects.filter(pk__in=decisions)} == {
        pk: o for pk, (o, _r) in decisions.items()}
    walk.shot(clerk, "outcomes-decided")

    # 5. The 二审: the 法制委 reports, the clerk adds the 二审稿, which takes up the two adopted comments.
    meeting = today - dt.timedelta(days=1)
    clerk.goto(f"{walk.base}{bill.get_absolute_url()}")
    form = _bill_form(clerk, "reading")
    form.locator("[name=ordinal]").select_option("2")
    form.locator("[name=meeting]").fill("市十六届人大常委会第二十二次会议")
    form.locator("[name=meeting_on]").fill(meeting.isoformat())
    with clerk.expect_navigation():
        form.locator("button[type=submit]").click()
    second_text = LATER_TEXT.replace("每届任期不超过五年，委员可以连选连任",
                                     "每届任期三年，委员可以连选连任，连任不超过两届").replace(
        "应当每半年公布一次业主共有部分", "应当每季度公布一次业主共有部分")
    form = _bill_form(clerk, "draft")
    form.locator("[name=label]").fill("修订草案（二审稿）")
    form.locator("[name=reading]").select_option(index=2)
    form.locator("[name=text]").fill(second_text)
    form.locator("[name=explanation]").fill("根据一审审议意见和社会公众、基层立法联系点的意见修改")
    with clerk.expect_navigation():
        form.locator("button[type=submit]").click()
    form = _bill_form(clerk, "sent")
    form.locator("[name=sent_on]").fill((meeting - dt.timedelta(days=8)).isoformat())
    with clerk.expect_navigation():
        form.locator("button[type=submit]").click()
    second = bill.drafts.order_by("-pk").first()
    assert second.label == "修订草案（二审稿）" and second.reading.ordinal == 2

    staff = walk.page(law.law_staff.username)
    staff.goto(f"{walk.base}{bill.get_absolute_url()}")
    form = _bill_form(staff, "report", bill.readings.get(ordinal=2).pk)
    form.locator("[name=text]").fill("法制委员会认为，修订草案二审稿吸收了各方面意见，已经比较成熟，建议提请本次会议表决。")
    with staff.expect_navigation():
        form.locator("button[type=submit]").click()
    assert bill.readings.get(ordinal=2).law_committee_report

    for comment, key in ((mine, "5"), (from_point[0], "6")):
        clerk.goto(f"{walk.base}/legislation/comments/item/{comment.pk}/link/")
        clerk.select_option("#keys", [key])
        with clerk.expect_navigation():
            clerk.click("button:has-text('保存关联')")
        comment.refresh_from_db()
        assert comment.adopted_in_id == second.pk and comment.adopted_keys == key
    walk.shot(clerk, "comment-linked")

    # 6. The citizen looks the outcome up with the receipt.
    citizen.goto(f"{walk.base}/legislation/public/comments/receipt/")
    citizen.fill("#code", receipt)
    walk.submit(citizen, "main button[type=submit]")
    body = citizen.inner_text("body")
    assert "采纳" in body and "修订草案（二审稿）" in body and "13912345678" not in body
    walk.shot(citizen, "citizen-outcome")

    # 7. Voted (two readings, the reason recorded), submitted, approved, published, in force.
    clerk.goto(f"{walk.base}{bill.get_absolute_url()}")
    form = _bill_form(clerk, "vote")
    for name, value in (("voted_on", meeting.isoformat()), ("members_total", "45"), ("votes_for", "41"),
                        ("votes_against", "1"), ("votes_abstain", "2"),
                        ("reason", "修订草案各方面意见比较一致，经两次常委会会议审议后交付表决（立法法第三十三条）")):
        form.locator(f"[name={name}]").fill(value)
    with clerk.expect_navigation():
        form.locator("button[type=submit]").click()
    form = _bill_form(clerk, "submit")
    form.locator("[name=submitted_on]").fill(today.isoformat())
    with clerk.expect_navigation():
        form.locator("button[type=submit]").click()
    form = _bill_form(clerk, "approve")
    form.locator("[name=approved_on]").fill(today.isoformat())
    form.locator("[name=decision]").fill("北辰市人民代表大会常务委员会收到的批准决定")
    with clerk.expect_navigation():
        form.locator("button[type=submit]").click()
    form = _bill_form(clerk, "publish")
    for name, value in (("published_on", today.isoformat()), ("gazette_issue", f"{today.year}年第6号"),
                        ("gazette_on", today.isoformat()),
                        ("website_on", today.isoformat()), ("effective_on", today.isoformat())):
        form.locator(f"[name={name}]").fill(value)
    with clerk.expect_navigation():
        form.locator("button[type=submit]").click()
    bill.refresh_from_db()
    assert bill.state in (BillState.PUBLISHED, BillState.IN_FORCE)
    assert bills.shown_state(bill, today) == "已施行" and "已施行" in clerk.inner_text("main")
    version = reg.versions.get(bill=bill)
    assert version.action == Action.REVISE and "每届任期三年" in version.text
    walk.shot(clerk, "bill-in-force")

    # 8. The regulation's page shows its whole life on one timeline.
    clerk.goto(f"{walk.base}{reg.get_absolute_url()}")
    timeline = clerk.inner_text("#timeline")
    for step in ("公开征求意见", "一审", "二审", "二审审议结果报告", "修订草案（二审稿）", "表决通过", "报请", "批准",
                 "常委会决定修订", "常委会公报刊登", "人大网站公布", "施行"):
        assert step in timeline, f"时间轴上没有“{step}”"
    walk.shot(clerk, "regulation-timeline")
    phone = walk.page(law.law_clerk.username, phone=True)
    phone.goto(f"{walk.base}{reg.get_absolute_url()}#timeline")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    walk.shot(phone, "regulation-timeline-phone")
    assert Bill.objects.get(pk=bill.pk).regulation.current == version
    assert walk.errors == [], walk.errors
