"""The outcome state machine (北京 第二十九至三十五条): 沟通 → 中止 → refile → 终止; the 书面审查意见
(a Word document) → the maker's answer; the 主任会议's proposal → 限期修改 / 撤销 (published);
停止执行 only on an obvious violation; linked filings; 依申请审查 reopening an ended review;
every outcome told to the maker; guards in Chinese that change nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse

from lvzhi.cases.engine import fire
from lvzhi.cases.models import Case, Deadline, Event
from lvzhi.cases.workflow import InvalidInput, NotAllowed, WrongState
from lvzhi.core.models import Notification
from lvzhi.filing import clocks, services, states
from lvzhi.filing.choices import Criterion, Outcome
from lvzhi.filing.testing import make_filing
from lvzhi.filing.tests import kind_fixtures

pytestmark = pytest.mark.django_db
fw = kind_fixtures.fw
FINDING = {"criterion": Criterion.UPPER_LAW, "provision": "第八条", "upper_law": "《行政处罚法》第十六条",
           "reason": "行政规范性文件不得设定罚款，超越权限。"}


def test_no_problem_cannot_be_claimed_after_a_finding(fw):
    case = make_filing(fw.world, state=states.COMMUNICATING)
    fire(case, "disagree", fw.govfiler, {"reason": "我们认为符合上位法规定"})
    events = Event.objects.count()
    with pytest.raises(InvalidInput) as e:
        fire(case, "terminate", fw.law_clerk, {"outcome": Outcome.NO_PROBLEM, "text": "未发现问题"})
    assert "不能以“未发现问题”终止审查" in e.value.message
    case.refresh_from_db()
    assert case.state == states.HANDLING and Event.objects.count() == events


def test_communicate_needs_a_finding(fw):
    case = make_filing(fw.world, state=states.HANDLING)
    with pytest.raises(WrongState) as e:
        fire(case, "communicate", fw.law_clerk, {"text": "请研究修改第八条的规定。"})
    assert "尚未记录审查发现" in e.value.message


def test_opinion_is_a_word_document_and_the_answer_is_due_in_30_days(fw, client):
    case = make_filing(fw.world, state=states.OPINION_SENT)
    answer = Deadline.objects.get(case=case, kind=clocks.ANSWER)
    assert (answer.due_on - answer.start_on).days >= 30
    assert Notification.objects.filter(user=fw.govfiler, text__contains="书面审查意见已发出").exists()
    client.force_login(fw.govfiler)
    resp = client.get(reverse("filing:opinion_doc", args=[case.pk]))
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxmlformats")
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(resp.content)).paragraphs)
    assert "书面审查意见" in text and "第八条" in text and "三十日内" in text
    # the maker accepts: suspended, with the refile clock
    fire(case, "answer", fw.govfiler, {"decision": "accept", "text": "同意修改第八条的规定。",
                                       "plan_due_on": (dt.date.today() + dt.timedelta(days=20)).isoformat()})
    case.refresh_from_db()
    assert case.state == states.SUSPENDED
    assert Deadline.objects.filter(case=case, kind=clocks.REFILE, met_at__isnull=True).exists()


def test_council_orders_correction_and_the_maker_reports(fw):
    case = make_filing(fw.world, state=states.CORRECTION_ORDERED)
    assert Deadline.objects.filter(case=case, kind=clocks.CORRECTION_REPORT, met_at__isnull=True).exists()
    with pytest.raises(NotAllowed):
        fire(case, "report_correction", fw.courtfiler, {"text": "已修改第八条并重新公布。"})
    fire(case, "report_correction", fw.govfiler, {"text": "已修改第八条并重新公布。"})
    case.refresh_from_db()
    assert case.state == states.TERMINATED
    assert case.filing_detail.outcome == Outcome.ORDERED_CORRECTED and case.filing_detail.outcome_public


def test_revocation_is_published_and_told(fw):
    case = make_filing(fw.world, state=states.REVOKED)
    assert case.is_public and case.filing_detail.outcome_public
    assert Notification.objects.filter(user=fw.govfiler, text__contains="常委会决定撤销").exists()


def test_only_leaders_decide(fw):
    case = make_filing(fw.world, state=states.PROPOSED)
    with pytest.raises(NotAllowed):
        fire(case, "decide", fw.law_clerk, {"decision": "revoke", "text": "决定撤销该文件的规定。"})


def test_stop_order_needs_an_obvious_violation(fw):
    case = make_filing(fw.world, state=states.HANDLING)
    with pytest.raises(WrongState):
        fire(case, "order_stop", fw.law_clerk, {"text": "请立即停止执行该文件。"})
    fire(case, "record_finding", fw.law_clerk, {**FINDING, "obvious": "on"})
    fire(case, "order_stop", fw.law_clerk, {"text": "请立即停止执行该文件。"})
    case.refresh_from_db()
    assert case.filing_detail.stop_ordered_at is not None
    assert Notification.objects.filter(user=fw.govfiler, text__contains="立即停止执行").exists()


def test_finding_on_upper_law_needs_the_law(fw):
    case = make_filing(fw.world, state=states.HANDLING)
    with pytest.raises(InvalidInput) as e:
        fire(case, "record_finding", fw.law_clerk, {**FINDING, "upper_law": ""})
    assert "上位法" in str(e.value.errors)


def test_link_same_defect_and_handle_together(fw):
    a = make_filing(fw.world, state=states.COMMUNICATING)
    b = make_filing(fw.world, state=states.HANDLING)
    fire(b, "record_finding", fw.law_clerk, FINDING)
    fire(a, "link_same_defect", fw.law_clerk, {"others": [b.pk]})
    assert list(b.filing_detail.same_defect.all()) == [a.filing_detail]
    fire(a, "disagree", fw.govfiler, {"reason": "我们认为符合上位法规定"})
    done = services.handle_together(a, "send_opinion", fw.law_clerk,
                                    {"text": "经审查，第八条设定罚款违反行政处罚法，建议予以修改。"})
    assert [c.state for c in done] == [states.OPINION_SENT, states.OPINION_SENT]


def test_take_request_reopens_an_ended_review(fw):
    case = make_filing(fw.world, state=states.TERMINATED)
    request = _request_case(fw)
    services.take_request(case, request, fw.law_clerk)
    case.refresh_from_db()
    assert case.state == states.HANDLING and case.round == 2
    assert Deadline.objects.filter(case=case, kind=clocks.REVIEW, met_at__isnull=True).count() == 1
    fire(case, "take_request", fw.law_clerk, {"request": request.pk})  # in review: only recorded
    case.refresh_from_db()
    assert case.state == states.HANDLING and case.round == 2


def test_take_request_refused_before_registration(fw):
    case = make_filing(fw.world, state=states.FILED)
    with pytest.raises(WrongState) as e:
        services.take_request(case, _request_case(fw), fw.law_clerk)
    assert "不能执行“受理审查建议”" in e.value.message


def _request_case(fw) -> Case:
    """A stand-in review request row (the kind belongs to another part): a Case of that kind
    written as the database holds it."""
    from lvzhi.cases.engine import ENGINE_WRITING

    token = ENGINE_WRITING.set(True)
    try:
        return Case.objects.create(congress=fw.world.congress, kind="review_request", state="registered",
                                   title="关于某规范性文件的审查建议", body="建议审查")
    finally:
        ENGINE_WRITING.reset(token)
