"""A review request (审查建议) through the portal and the engine: submission with the contact
encrypted, completion, registration, 不予登记, 不启动审查 and its notice, 启动审查 with the
filing's 受理审查建议, the result fed back and published; clocks on fixed dates; figures;
permissions (the contact never visible outside the 法工委)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lvzhi.cases.engine import fire
from lvzhi.cases.kinds import get_kind
from lvzhi.cases.models import Case, Deadline
from lvzhi.cases.workflow import InvalidInput, WrongState
from lvzhi.filing import request_clocks as clocks
from lvzhi.filing import request_services as svc
from lvzhi.filing import states as fstates
from lvzhi.filing.request_models import ReviewRequestDetail
from lvzhi.filing.request_states import (
    ANSWERED,
    COMPLETING,
    DECLINED,
    NOT_REGISTERED,
    NOT_STARTED,
    RECEIVED,
    REGISTERED,
    REVIEWING,
)
from lvzhi.filing.testing import make_filing
from lvzhi.filing.tests import kind_fixtures

pytestmark = pytest.mark.django_db
fw = kind_fixtures.fw
PHONE = "13912345678"


def at(y: int, m: int, d: int, h: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(y, m, d, h))


def submit(fw, filing=None, *, now=None, ip="10.0.0.1", **over) -> Case:
    data = {"filing": filing.pk if filing else "", "document_title": "" if filing else "北辰市犬只管理办法",
            "proposer_kind": "citizen", "proposer_name": "王建国", "contact": PHONE, "provisions": "第八条",
            "criteria": ["upper_law"], "reasons": "第八条对未办理登记的犬只主人处以罚款，规范性文件无权设定罚款。"}
    data.update(over)
    return svc.submit_public(fw.world.congress, data, ip=ip, session={}, answer="", now=now, check=False)


def test_portal_submission_keeps_contact_encrypted_and_shows_receipt(fw, client: Client):
    filing = make_filing(fw.world, state=fstates.HANDLING)
    page = client.get(reverse("filing:request_new"))
    assert page.status_code == 200 and filing.filing_detail.doc_number in page.content.decode()
    answer = client.session[svc.CHALLENGE_KEY]
    r = client.post(reverse("filing:request_new"), {
        "filing": filing.pk, "proposer_kind": "citizen", "proposer_name": "王建国", "contact": PHONE,
        "provisions": "第八条", "criteria": ["upper_law"], "answer": str(answer),
        "reasons": "第八条设定罚款，超越规范性文件的权限，请予审查。"})
    assert r.status_code == 302
    detail = ReviewRequestDetail.objects.get()
    assert detail.case.state == RECEIVED and detail.filing_id == filing.pk
    assert PHONE not in detail.contact_encrypted and detail.contact == PHONE
    done = client.get(r["Location"]).content.decode()
    assert detail.receipt in done and PHONE not in done
    lookup = client.get(reverse("filing:request_lookup"), {"code": detail.receipt}).content.decode()
    assert "已收到待登记" in lookup and PHONE not in lookup and "王建国" not in lookup


def test_bad_input_in_chinese_changes_nothing(fw, client: Client):
    client.get(reverse("filing:request_new"))
    r = client.post(reverse("filing:request_new"), {
        "proposer_kind": "citizen", "proposer_name": "王建国", "contact": "12345", "reasons": "太短", "answer": "99"})
    body = r.content.decode()
    assert r.status_code == 400 and not Case.objects.filter(kind="review_request").exists()
    with pytest.raises(InvalidInput) as e:
        submit(fw, contact="abc", reasons="短")
    assert "联系方式" in e.value.message and not Case.objects.filter(kind="review_request").exists()
    with pytest.raises(InvalidInput) as e:
        submit(fw, document_title="")
    assert "请在列表中选择建议审查的文件" in e.value.message
    assert "验证" in body or "联系方式" in body


def test_rate_limit(fw):
    for i in range(svc.PER_HOUR):
        submit(fw, ip="10.9.9.9", proposer_name=f"提起人{i}")
    with pytest.raises(svc.RateLimited) as e:
        submit(fw, ip="10.9.9.9")
    assert "提交过于频繁" in e.value.message and e.value.status == 429
    assert Case.objects.filter(kind="review_request").count() == svc.PER_HOUR


def test_intake_clock_across_the_holiday_and_completion(fw):
    clerk = fw.law_clerk
    case = submit(fw, now=at(2025, 9, 30))
    intake = Deadline.objects.get(case=case, kind=clocks.INTAKE)
    assert intake.due_on == dt.date(2025, 10, 14)  # 5 working days past 国庆, 11 Oct a working Saturday
    fire(case, "ask_completion", clerk, {"request": "请写明建议审查的具体条款及理由"}, now=at(2025, 10, 9))
    case.refresh_from_db()
    assert case.state == COMPLETING
    fire(case, "complete", None, {"text": "建议审查第八条第二款关于罚款的规定。", "provisions": "第八条第二款"},
         now=at(2025, 10, 10))
    case.refresh_from_db()
    assert case.state == RECEIVED and case.review_request_detail.provisions == "第八条第二款"
    again = Deadline.objects.filter(case=case, kind=clocks.INTAKE, met_at__isnull=True).get()
    assert again.due_on == dt.date(2025, 10, 16)  # from Fri 10 Oct: Sat 11 (调休), 13, 14, 15, 16
    told = [e.payload["to_proposer"] for e in svc.told(case)]
    assert len(told) == 3 and "补充" in told[1]


def test_not_registered(fw):
    case = submit(fw, document_title="北辰市人民政府办公厅年度工作要点")
    fire(case, "not_register", fw.law_clerk, {"reason": "该文件为内部工作安排，不属于规范性文件"})
    case.refresh_from_db()
    assert case.state == NOT_REGISTERED
    assert not Deadline.objects.filter(case=case, met_at__isnull=True, cancelled=False).exists()
    assert "不予登记" in svc.told(case)[-1].payload["to_proposer"]


def test_register_needs_a_filing(fw):
    case = submit(fw)
    with pytest.raises(InvalidInput):
        fire(case, "register", fw.law_clerk, {})
    assert Case.objects.get(pk=case.pk).state == RECEIVED


def test_decline_then_tell_within_ten_days(fw):
    filing = make_filing(fw.world, state=fstates.TERMINATED)
    case = submit(fw, filing, now=at(2025, 5, 6))
    fire(case, "register", fw.law_clerk, {}, now=at(2025, 5, 8))
    fire(case, "decline", fw.law_clerk, {"ground": "reviewed", "reason": "该文件已于2025年审查，未发现问题"},
         now=at(2025, 5, 12))
    case.refresh_from_db()
    assert case.state == DECLINED
    notice = Deadline.objects.get(case=case, kind=clocks.DECLINE_NOTICE)
    assert notice.due_on == dt.date(2025, 5, 22)
    fire(case, "tell_declined", fw.law_clerk, {"how": "phone"}, now=at(2025, 5, 14))
    case.refresh_from_db()
    notice.refresh_from_db()
    assert case.state == NOT_STARTED and notice.met_at is not None
    assert "此前就同一事项已经进行过审查" in svc.told(case)[-1].payload["to_proposer"]


def test_start_review_takes_the_request_and_feeds_back(fw):
    filing = make_filing(fw.world, state=fstates.HANDLING)
    case = submit(fw, filing)
    fire(case, "register", fw.law_clerk, {})
    with pytest.raises(WrongState):  # never alone: only with the filing's 受理审查建议
        fire(case, "start_review", fw.law_clerk, {})
    assert "start_review" not in [t.name for t in __import__("lvzhi.cases.policy", fromlist=["offered"]).offered(
        Case.objects.get(pk=case.pk), fw.law_clerk)]
    case = svc.start_review(case, fw.law_clerk)
    assert case.state == REVIEWING
    assert filing.events.filter(name="take_request").exists()
    with pytest.raises(WrongState):  # no result yet
        fire(case, "feed_back", fw.law_clerk, {"text": "经审查，该文件第八条已修改。"})
    fire(filing, "terminate", fw.law_clerk, {"outcome": "no_problem", "text": "经审查，未发现问题"})
    fire(case, "feed_back", fw.law_clerk, {"text": "经审查，该文件未发现与上位法相抵触的问题。", "publish": True})
    case.refresh_from_db()
    assert case.state == ANSWERED and case.review_request_detail.result_public
    page = Client().get(reverse("filing:request_results")).content.decode()
    assert "未发现与上位法相抵触" in page and "王建国" not in page and PHONE not in page


def test_start_review_reopens_an_ended_filing(fw):
    filing = make_filing(fw.world, state=fstates.TERMINATED)
    case = submit(fw, filing)
    fire(case, "register", fw.law_clerk, {})
    svc.start_review(case, fw.law_clerk)
    filing.refresh_from_db()
    assert filing.state == fstates.HANDLING and filing.round == 2


def test_start_review_rolls_back_when_the_filing_refuses(fw, monkeypatch):
    filing = make_filing(fw.world, state=fstates.HANDLING)
    case = submit(fw, filing)
    fire(case, "register", fw.law_clerk, {})
    from lvzhi.filing import services

    def refusing(*args, **kwargs):
        raise WrongState("备案文件当前状态不能受理审查建议")

    monkeypatch.setattr(services, "take_request", refusing)
    with pytest.raises(WrongState):
        svc.start_review(case, fw.law_clerk)
    assert Case.objects.get(pk=case.pk).state == REGISTERED  # both or neither
    assert not case.events.filter(name="start_review").exists()


def test_figures_reconcile(fw):
    filing = make_filing(fw.world, state=fstates.HANDLING)
    a = submit(fw, filing, ip="1.1.1.1")
    b = submit(fw, ip="1.1.1.2")
    c = submit(fw, filing, ip="1.1.1.3")
    fire(b, "not_register", fw.law_clerk, {"reason": "不属于规范性文件"})
    fire(a, "register", fw.law_clerk, {})
    svc.start_review(a, fw.law_clerk)
    fire(c, "register", fw.law_clerk, {})
    fire(c, "decline", fw.law_clerk, {"ground": "unclear", "reason": "建议审查的理由不明确"})
    fire(filing, "terminate", fw.law_clerk, {"outcome": "no_problem", "text": "经审查，未发现问题"})
    fire(a, "feed_back", fw.law_clerk, {"text": "经审查，未发现问题，审查终止。"})
    today = timezone.localdate()
    figs = {f.code: f for f in get_kind("review_request").figures}
    ids = [fw.world.congress.pk]

    def n(code):
        return set(figs[code].cases(ids, today.replace(month=1, day=1), today).values_list("pk", flat=True))
    assert n("review_request_received") == {a.pk, b.pk, c.pk}
    assert n("review_request_not_registered") == {b.pk}
    assert n("review_request_not_started") == {c.pk}
    assert n("review_request_reviewed") == {a.pk} and n("review_request_answered") == {a.pk}


def test_contact_only_for_the_office(fw):
    filing = make_filing(fw.world, state=fstates.HANDLING)
    case = submit(fw, filing)
    office, leader = Client(), Client()
    office.force_login(fw.law_clerk)
    leader.force_login(fw.world.leader)
    url = reverse("cases:detail", args=[case.pk])
    assert PHONE in office.get(url).content.decode()
    page = leader.get(url).content.decode()
    assert page and PHONE not in page and "139****5678" in page
    for user in (fw.govfiler, fw.committee_staff[0]):
        c = Client()
        c.force_login(user)
        assert c.get(url).status_code == 404
        assert c.get(reverse("filing:requests")).status_code in (302, 403)
    assert office.get(reverse("filing:requests")).status_code == 200
    api = office.get(f"/api/v1/cases/{case.pk}/")
    if api.status_code == 200:
        assert PHONE not in api.content.decode()
