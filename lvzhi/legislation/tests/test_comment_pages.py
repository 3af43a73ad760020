"""Public comment's pages through the Django client: the portal (draft, form, receipt, lookup), what
never shows there (contacts, names, script), the 法工委's sorting page and who may act on it, the
contact point's Excel import with its report, and the Word documents opened with python-docx."""

from __future__ import annotations

import io

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import Workbook, load_workbook

from lvzhi.legislation import comment_services as svc
from lvzhi.legislation.comment_models import Comment, Outcome
from lvzhi.legislation.comment_testing import build_comment_world
from lvzhi.testing import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw():
    return build_comment_world(build_world())


def _public(cw, text, article="8", ip="203.0.113.7", **kw):
    return svc.submit_public(cw.period, text=text, article_key=article, ip=ip, session=SessionStore(), **kw)


def _docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


# ------------------------------------------------------------------ the portal

def test_the_draft_page_shows_chapters_and_a_control_on_each_article(client, cw):
    resp = client.get(reverse("legislation:public_comment_draft", args=[cw.period.pk]))
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "第二章 业主和业主大会" in html and "第十条" in html
    assert html.count("对本条提意见") == 12
    assert f"{reverse('legislation:public_comment', args=[cw.period.pk])}?article=10" in html
    listing = client.get(reverse("legislation:public_comments")).content.decode()
    assert "北辰市物业管理条例" in listing and "正在征求意见" in listing


def test_a_citizen_comments_on_an_article_and_gets_a_receipt(client, cw):
    url = reverse("legislation:public_comment", args=[cw.period.pk])
    form = client.get(url + "?article=10")
    assert "对第十条提意见" in form.content.decode() and "住宅专项维修资金属于业主所有" in form.content.decode()
    resp = client.post(url, {"article": "10", "text": "建议电梯更新也可以紧急使用维修资金。", "name": "张先生",
                             "contact": "zhang@example.com"}, follow=True)
    c = Comment.objects.get()
    html = resp.content.decode()
    assert c.article_key == "10" and c.receipt in html and "意见已提交" in html
    assert "zhang@example.com" not in html
    # the receipt page is for the browser that submitted; another one is sent to the lookup
    other = client.__class__()
    assert other.get(reverse("legislation:public_comment_done", args=[c.receipt])).status_code == 302


def test_an_empty_comment_shows_the_reason_and_saves_nothing(client, cw):
    resp = client.post(reverse("legislation:public_comment", args=[cw.period.pk]), {"article": "", "text": " "})
    assert resp.status_code == 400 and "请填写意见内容" in resp.content.decode()
    resp = client.post(reverse("legislation:public_comment", args=[cw.period.pk]), {"article": "99", "text": "意见"})
    assert resp.status_code == 400 and "草案中没有第九十九条" in resp.content.decode()
    assert not Comment.objects.exists()


def test_the_arithmetic_question_on_the_page_is_checked(client, cw):
    cw.period.verification = "arithmetic"
    cw.period.save()
    url = reverse("legislation:public_comment", args=[cw.period.pk])
    html = client.get(url).content.decode()
    assert "等于几" in html
    expected = client.session[svc.CHALLENGE_KEY]
    resp = client.post(url, {"text": "维修资金申请程序太复杂。", "answer": str(expected + 1)})
    assert resp.status_code == 400 and "验证答案不正确" in resp.content.decode()
    assert not Comment.objects.exists()
    client.get(url)
    resp = client.post(url, {"text": "维修资金申请程序太复杂。", "answer": str(client.session[svc.CHALLENGE_KEY])})
    assert resp.status_code == 302 and Comment.objects.count() == 1


def test_the_rate_limit_on_the_page(client, cw, settings):
    limit = svc.settings_for(cw.world.congress.pk).per_hour
    url = reverse("legislation:public_comment", args=[cw.period.pk])
    for i in range(limit):
        assert client.post(url, {"text": f"意见{i}：物业服务标准应公示。"}).status_code == 302
    resp = client.post(url, {"text": "超出的意见"})
    assert resp.status_code == 429 and "提交过于频繁" in resp.content.decode()
    assert Comment.objects.count() == limit


def test_script_in_a_comment_is_stored_as_text_and_shown_escaped(client, cw):
    c = _public(cw, "<script>alert('x')</script>物业费太高")
    svc.decide(cw.law.law_clerk, c, Outcome.NOT_ADOPTED, "<b>上位法</b>已有规定")
    assert Comment.objects.get().text.startswith("<script>")
    html = client.get(reverse("legislation:public_receipt") + f"?code={c.receipt}").content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "<b>上位法</b>" not in html and "&lt;b&gt;上位法" in html
    client.force_login(cw.law.law_clerk)
    html = client.get(reverse("legislation:comment_period", args=[cw.period.pk])).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_contacts_and_names_never_on_a_public_page(client, cw):
    c = _public(cw, "小区停车位只售不租不合理。", name="李秀兰", contact="13800138000")
    svc.close_period(cw.law.law_clerk, cw.period)
    svc.publish_summary(cw.law.law_clerk, cw.period)
    pages = [reverse("legislation:public_comments"), reverse("legislation:public_comment_draft", args=[cw.period.pk]),
             reverse("legislation:public_receipt") + f"?code={c.receipt}"]
    for url in pages:
        html = client.get(url).content.decode()
        assert "13800138000" not in html and "138****8000" not in html and "李秀兰" not in html, url
    # the 法工委 sees it masked; the committee staff reading the page do not see it at all
    client.force_login(cw.law.law_clerk)
    html = client.get(reverse("legislation:comment_period", args=[cw.period.pk])).content.decode()
    assert "138****8000" in html and "13800138000" not in html
    client.force_login(cw.world.committee_staff)
    html = client.get(reverse("legislation:comment_period", args=[cw.period.pk])).content.decode()
    assert "138****8000" not in html


def test_the_receipt_lookup_shows_the_outcome_and_the_article_that_took_it_up(client, cw):
    c = _public(cw, "维修资金使用情况应每半年公布一次。", article="11")
    url = reverse("legislation:public_receipt")
    html = client.get(url + f"?code={c.receipt}").content.decode()
    assert "已收到，正在研究" in html and "第十一条" in html
    svc.decide(cw.law.law_clerk, c, Outcome.ADOPTED)
    svc.link(cw.law.law_clerk, c, cw.later, ["11"])
    html = client.get(url + f"?code={c.receipt.lower()}").content.decode()
    assert "采纳" in html and "修订草案（二审稿）" in html and "每半年向业主公布一次" in html
    assert client.get(url + "?code=ZZZZZZZZ").status_code == 404


def test_the_published_summary_is_on_the_draft_page(client, cw):
    _public(cw, "物业费调整应公示收支。")
    svc.close_period(cw.law.law_clerk, cw.period)
    page = reverse("legislation:public_comment_draft", args=[cw.period.pk])
    assert "征求意见情况通报" not in client.get(page).content.decode()
    svc.publish_summary(cw.law.law_clerk, cw.period)
    html = client.get(page).content.decode()
    assert "征求意见情况通报" in html and "共收到意见1条" in html and "对本条提意见" not in html
    assert client.get(reverse("legislation:public_comment", args=[cw.period.pk])).status_code == 410


# ------------------------------------------------------------------ the working pages

def test_anonymous_and_units_cannot_reach_the_sorting_page(client, cw):
    url = reverse("legislation:comment_period", args=[cw.period.pk])
    assert client.get(url).status_code == 302  # to the login
    client.force_login(cw.world.handlers[0])
    assert client.get(url).status_code == 403


def test_a_unit_handler_cannot_decide_and_the_clerk_can(client, cw):
    c = _public(cw, "物业费调整应公示收支。")
    url = reverse("legislation:comment_decide", args=[c.pk])
    client.force_login(cw.world.handlers[0])
    assert client.post(url, {"outcome": "adopted"}).status_code == 403
    client.force_login(cw.world.committee_staff)
    assert client.post(url, {"outcome": "adopted"}).status_code == 403
    c.refresh_from_db()
    assert c.outcome == ""
    client.force_login(cw.law.law_clerk)
    resp = client.post(url, {"outcome": "not_adopted", "reason": ""}, follow=True)
    assert "须写明理由" in resp.content.decode()
    client.post(url, {"outcome": "partly", "reason": "公示要求已吸收"})
    c.refresh_from_db()
    assert c.outcome == "partly"


def test_the_sorting_page_filters_by_article_channel_and_outcome(client, cw):
    _public(cw, "物业费调整应公示收支。", article="8")
    _public(cw, "车位应先租后售。", article="9", ip="10.0.0.2")
    svc.submit_own(cw.world.deputy_user, cw.period, text="代表意见：车位收费应备案。", article_key="9")
    client.force_login(cw.law.law_clerk)
    url = reverse("legislation:comment_period", args=[cw.period.pk])
    html = client.get(url + "?article=9").content.decode()
    assert "车位应先租后售" in html and "物业费调整应公示收支" not in html
    html = client.get(url + "?channel=deputy").content.decode()
    assert "代表意见" in html and "车位应先租后售" not in html
    html = client.get(url + "?outcome=adopted").content.decode()
    assert "没有符合条件的意见" in html


def test_the_clerk_opens_a_period_from_the_page(client, cw):
    client.force_login(cw.law.law_clerk)
    today = timezone.localdate()
    data = {"draft": cw.later.pk, "opens_on": today.isoformat(),
            "closes_on": (today + timezone.timedelta(days=9)).isoformat(), "channels": ["portal"]}
    resp = client.post(reverse("legislation:comment_period_open"), data)
    assert resp.status_code == 400 and "请写明理由" in resp.content.decode()
    data["short_reason"] = "会期提前，经主任会议同意"
    resp = client.post(reverse("legislation:comment_period_open"), data)
    assert resp.status_code == 302


def test_a_deputy_comments_on_their_own_page(client, cw):
    client.force_login(cw.world.deputy_user)
    html = client.get(reverse("legislation:comment_mine")).content.decode()
    assert "北辰市物业管理条例" in html
    resp = client.post(reverse("legislation:comment_own", args=[cw.period.pk]),
                       {"article": "5", "text": "业主委员会任期建议改为三年。"}, follow=True)
    assert "已提交对第五条的意见" in resp.content.decode()
    assert Comment.objects.get().channel == "deputy"


# ------------------------------------------------------------------ contact points

def _sheet(rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(["条款", "意见内容", "提出人", "备注"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "意见.xlsx"
    return buf


def _import(client, cw, rows, save_good=False):
    data = {"held_on": timezone.localdate().isoformat(), "place": "东风街道议事厅", "participants": "18",
            "file": _sheet(rows)}
    if save_good:
        data["save_good"] = "on"
    return client.post(reverse("legislation:point_import", args=[cw.point.pk, cw.period.pk]), data)


ROWS = [["第八条", "物业费调整应当先公示上一年度收支情况。", "居民 王大妈", ""],
        ["第九十九条", "草案没有的条款", "居民", ""],
        ["第九条", "", "居民", "空的意见"],
        ["整体", "建议增加老旧小区物业管理的专门规定。", "社区书记", "座谈发言"]]


def test_the_excel_import_with_bad_rows_saves_nothing_and_reports_each_row(client, cw):
    client.force_login(cw.point_clerk)
    resp = _import(client, cw, ROWS)
    html = resp.content.decode()
    assert resp.status_code == 400 and "本次未导入任何意见" in html
    assert "草案中没有第九十九条" in html and "缺少意见内容" in html and "第3行" in html and "第4行" in html
    assert not Comment.objects.exists()
    resp = _import(client, cw, ROWS, save_good=True)
    assert resp.status_code == 200 and "已导入2条，2行未导入" in resp.content.decode()
    saved = list(Comment.objects.order_by("pk"))
    assert [c.article_key for c in saved] == ["8", ""] and saved[1].note == "座谈发言"
    assert all(c.contact_point == cw.point and c.meeting.participants == 18 for c in saved)


def test_the_excel_import_with_good_rows_only(client, cw):
    client.force_login(cw.point_clerk)
    resp = _import(client, cw, [ROWS[0], ROWS[3]])
    assert resp.status_code == 200 and Comment.objects.count() == 2


def test_the_template_and_another_points_pages(client, cw):
    client.force_login(cw.point_clerk)
    resp = client.get(reverse("legislation:point_template", args=[cw.period.pk]))
    ws = load_workbook(io.BytesIO(resp.content)).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert {"条款", "意见内容", "提出人", "备注"} <= set(values)
    client.force_login(cw.world.handlers[0])
    assert client.get(reverse("legislation:point_enter", args=[cw.point.pk, cw.period.pk])).status_code == 403
    assert client.get(reverse("legislation:point_home")).status_code == 403


def test_the_feedback_word_lists_each_opinion_with_its_outcome(client, cw):
    today = timezone.localdate()
    _m, saved = svc.enter_meeting(cw.point_clerk, cw.point, cw.period, held_on=today, place="议事厅", participants=9,
                                  opinions=[svc.Opinion("11", "维修资金使用情况应每半年公布。", "居民"),
                                            svc.Opinion("9", "车位只售不租应禁止。", "业主代表")])
    svc.decide(cw.law.law_clerk, saved[0], Outcome.ADOPTED)
    svc.link(cw.law.law_clerk, saved[0], cw.later, ["11", "11-1"])
    svc.decide(cw.law.law_clerk, saved[1], Outcome.NOT_ADOPTED, "第九条已作规定，不宜一律禁止出售")
    client.force_login(cw.point_clerk)
    home = client.get(reverse("legislation:point_home")).content.decode()
    assert "意见采纳反馈单" in home and "不宜一律禁止出售" in home
    resp = client.get(reverse("legislation:point_feedback", args=[cw.point.pk, cw.period.pk]))
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    text = _docx_text(resp.content)
    assert "意见采纳反馈单" in text and "东风街道基层立法联系点：" in text
    assert "共报送意见2条" in text and "采纳1条" in text
    assert "维修资金使用情况应每半年公布。 | 采纳 | 已体现在修订草案（二审稿）第十一条、第十一条之一" in text
    assert "车位只售不租应禁止。 | 未采纳 | 第九条已作规定，不宜一律禁止出售" in text


def test_the_summary_word(client, cw):
    _public(cw, "物业费调整应公示收支。")
    svc.close_period(cw.law.law_clerk, cw.period)
    svc.publish_summary(cw.law.law_clerk, cw.period)
    client.force_login(cw.law.law_clerk)
    text = _docx_text(client.get(reverse("legislation:comment_summary_docx", args=[cw.period.pk])).content)
    assert "公开征求意见情况的通报" in text and "共收到意见1条" in text


def test_the_link_page_shows_the_old_and_new_article_side_by_side(client, cw):
    c = _public(cw, "维修资金使用情况应每半年公布，并能在网上查询本户余额。", article="11")
    svc.decide(cw.law.law_clerk, c, Outcome.ADOPTED)
    client.force_login(cw.law.law_clerk)
    url = reverse("legislation:comment_link", args=[c.pk])
    html = client.get(url).content.decode()
    assert "应当每年向业主公布一次" in html and "应当每半年向业主公布一次" in html  # old beside new
    resp = client.post(url, {"draft": cw.later.pk, "keys": ["11", "11-1"]})
    assert resp.status_code == 302
    c.refresh_from_db()
    assert c.adopted_keys == "11,11-1"
    html = client.get(url).content.decode()
    assert "市物业管理信息平台查询本户专项维修资金" in html


def test_the_clerk_publishes_the_summary_from_the_page(client, cw):
    _public(cw, "物业费调整应公示收支。")
    client.force_login(cw.law.law_clerk)
    url = reverse("legislation:comment_summary", args=[cw.period.pk])
    assert "共收到意见1条" in client.get(url).content.decode()
    client.post(reverse("legislation:comment_period_close", args=[cw.period.pk]))
    resp = client.post(url, {"summary": "共收到意见1条。经研究，已采纳。感谢社会各界的关心和支持。"})
    assert resp.status_code == 302
    cw.period.refresh_from_db()
    assert cw.period.state == "published" and cw.period.summary.startswith("共收到意见1条。经研究")
    client.force_login(cw.world.leader)
    assert client.post(url, {"summary": "改写"}).status_code == 403


def test_the_contact_point_enters_a_meeting_on_the_page(client, cw):
    client.force_login(cw.point_clerk)
    url = reverse("legislation:point_enter", args=[cw.point.pk, cw.period.pk])
    assert "东风街道基层立法联系点" in client.get(url).content.decode()
    data = {"held_on": timezone.localdate().isoformat(), "place": "东风街道议事厅", "participants": "21",
            "article-0": "9", "text-0": "车位应当先租后售，租金要公示。", "submitter-0": "业主 赵先生",
            "article-1": "", "text-1": "建议增加老旧小区的规定。"}
    resp = client.post(url, data)
    assert resp.status_code == 302
    assert Comment.objects.filter(contact_point=cw.point).count() == 2
    client.force_login(cw.law.law_clerk)
    html = client.get(reverse("legislation:contact_points")).content.decode()
    assert "东风街道基层立法联系点" in html
