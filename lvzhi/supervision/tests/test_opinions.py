"""审议意见: drafted, approved by the 主任会议 (dating the sending), sent (dating the
研究处理情况报告 from the rule set), reported and published; each step on the audit chain; the
Word document opened and read back; bad input refused in Chinese with nothing changed."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from lvzhi.cases.engine import fire
from lvzhi.cases.events import verify_chain
from lvzhi.cases.models import Event
from lvzhi.cases.workflow import InvalidInput, NotAllowed, WrongState
from lvzhi.core.workdays import add_months
from lvzhi.supervision import opinions
from lvzhi.supervision.documents import opinion_docx
from lvzhi.supervision.models import Opinion, OpinionState
from lvzhi.supervision.tests.helpers import raise_problem, to_rectifying, topic_and_opinion

pytestmark = pytest.mark.django_db

TEXT = {"title": "关于检查《北辰市物业管理条例》实施情况报告的审议意见",
        "evaluation": "市政府及有关部门认真贯彻实施条例，物业管理工作取得积极进展，业主满意度有所提升。",
        "suggestions": "一是健全物业服务质量评价机制；二是加强业主委员会建设指导；三是推进老旧小区物业管理全覆盖。"}


def drafted(world) -> Opinion:
    topic = topic_and_opinion(world).topic
    return opinions.draft(topic, world.committee_staff, TEXT)


def test_the_opinion_loop_with_its_dates_and_chain(world):
    o = drafted(world)
    assert o.state == OpinionState.DRAFTING and o.recipient == "市人民政府"
    o = opinions.submit(o, world.committee_staff)
    o = opinions.decide(o, world.leader, approve=True)
    assert o.state == OpinionState.APPROVED
    assert o.send_due_on is not None and o.send_due_on > timezone.localdate()  # 5 working days
    o = opinions.send(o, world.office_clerk, number="北人常办〔2026〕15号")
    # three months from the day it is sent, rolled to a working day
    assert add_months(timezone.localdate(), 3) <= o.report_due_on <= add_months(timezone.localdate(), 3) \
        + dt.timedelta(days=4)
    o = opinions.record_report(o, world.office_clerk, "市政府已逐条研究审议意见，制定整改方案，十二项措施已落实九项。")
    o = opinions.publish(o, world.office_clerk)
    assert o.state == OpinionState.REPORTED and o.published_at is not None
    names = list(Event.objects.filter(subject_type="opinion", subject_id=o.pk).order_by("seq")
                 .values_list("name", flat=True))
    assert names == ["opinion_drafted", "opinion_submitted", "opinion_approved", "opinion_sent",
                     "opinion_reported", "opinion_published"]
    assert verify_chain(world.congress.pk) == (True, None)


def test_the_presidium_may_set_its_own_report_date_and_a_resolution(world):
    o = opinions.submit(drafted(world), world.committee_staff)
    own = timezone.localdate() + dt.timedelta(days=45)
    o = opinions.decide(o, world.leader, approve=True, report_due_on=own,
                        resolution_due_on=timezone.localdate() + dt.timedelta(days=120))
    o = opinions.send(o, world.office_clerk)
    assert o.report_due_on == own and o.resolution


def test_bad_input_and_wrong_hands_change_nothing(world):
    topic = topic_and_opinion(world).topic
    with pytest.raises(InvalidInput, match="总体评价至少20个字"):
        opinions.draft(topic, world.committee_staff, {**TEXT, "evaluation": "很好"})
    with pytest.raises(NotAllowed):
        opinions.draft(topic, world.handler_of(world.units[0]), TEXT)
    o = opinions.submit(drafted(world), world.committee_staff)
    before = Event.objects.count()
    with pytest.raises(NotAllowed):
        opinions.decide(o, world.committee_staff, approve=True)
    with pytest.raises(InvalidInput, match="不晚于今天"):
        opinions.decide(o, world.leader, approve=True, report_due_on=timezone.localdate())
    with pytest.raises(InvalidInput, match="写明理由"):
        opinions.decide(o, world.leader, approve=False, note="")
    with pytest.raises(WrongState):
        opinions.send(o, world.office_clerk)
    assert Event.objects.count() == before and Opinion.objects.get(pk=o.pk).state == OpinionState.PENDING


def test_the_word_document_lists_the_problems_with_their_units_and_dates(world):
    o = drafted(world)
    case = to_rectifying(world, raise_problem(world, o))
    fire(case, "acknowledge", world.handler_of(world.units[0]), {"assignment": case.assignments.get().pk})
    o = opinions.send(opinions.decide(opinions.submit(o, world.committee_staff), world.leader, approve=True),
                      world.office_clerk, number="北人常办〔2026〕15号")
    doc = Document(io.BytesIO(opinion_docx(o)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "北人常办〔2026〕15号" in text and TEXT["title"] in text and "市人民政府：" in text
    assert "存在的主要问题" in text and "研究处理时限要求" in text
    rows = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert rows[0] == ["序号", "问题", "责任单位", "整改时限"]
    assert rows[1][1] == case.title and rows[1][2] == world.units[0].name
    assert rows[1][3] == f"{case.problem_detail.due_on.year}年{case.problem_detail.due_on.month}月" \
                         f"{case.problem_detail.due_on.day}日"


def test_the_pages(client, world):
    o = drafted(world)
    client.force_login(world.committee_staff)
    page = client.get(reverse("supervision:opinion", args=[o.pk])).content.decode()
    assert TEXT["title"] in page and "提请主任会议审定" in page and "新增问题" in page
    client.post(reverse("supervision:opinion", args=[o.pk]), {"action": "submit"})
    client.force_login(world.leader)
    page = client.get(reverse("supervision:opinion", args=[o.pk])).content.decode()
    assert "主任会议审定" in page
    r = client.post(reverse("supervision:opinion", args=[o.pk]), {"action": "decide", "approve": "0", "note": ""})
    assert "写明理由" in r.content.decode() and Opinion.objects.get(pk=o.pk).state == OpinionState.PENDING
    client.force_login(world.handler_of(world.units[0]))
    assert client.get(reverse("supervision:opinion", args=[o.pk])).status_code in (403, 404)
    client.force_login(world.office_clerk)
    r = client.get(reverse("supervision:opinion_word", args=[o.pk]))
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_annual_figures_trace_to_the_opinions(client, world):
    o = drafted(world)
    opinions.send(opinions.decide(opinions.submit(o, world.committee_staff), world.leader, approve=True),
                  world.office_clerk)
    client.force_login(world.leader)
    year = timezone.localdate().year
    page = client.get(reverse("annual_figures"), {"year": year}).content.decode()
    assert "监督工作" in page and 'data-figure="opinions_sent">1</a>' in page
    trace = client.get(reverse("figure_trace", args=["supervision", "opinions_sent"]), {"year": year})
    assert trace.status_code == 200 and o.title in trace.content.decode()
    assert reverse("supervision:opinion", args=[o.pk]) in trace.content.decode()


def test_the_public_sees_a_released_opinion_its_problems_and_nothing_before(client, world):
    from lvzhi.supervision.models import Plan, PlanState

    o = drafted(world)
    topic = o.topic
    topic.plan = Plan.objects.create(congress=world.congress, year=topic.year, state=PlanState.PUBLISHED,
                                     published_at=timezone.now())
    topic.save()
    case = to_rectifying(world, raise_problem(world, o))
    o = opinions.send(opinions.decide(opinions.submit(o, world.committee_staff), world.leader, approve=True),
                      world.office_clerk)
    url = reverse("supervision:public_topic", args=[topic.pk])
    assert TEXT["evaluation"] not in client.get(url).content.decode()  # sent, not yet released
    opinions.publish(o, world.office_clerk)
    page = client.get(url).content.decode()
    assert TEXT["evaluation"] in page and case.title in page and world.units[0].name in page
    plan_page = client.get(reverse("supervision:public_plan", args=[topic.year])).content.decode()
    assert url in plan_page


def test_a_topic_shows_the_suggestions_bundled_for_it(client, world):
    from lvzhi.cases.models import Bundle
    from lvzhi.testing import draft

    topic = topic_and_opinion(world).topic
    bundle = Bundle.objects.create(congress=world.congress, title="老旧小区改造与物业服务管理")
    case = draft(world, title="关于加强老旧小区物业服务管理的建议")
    bundle.cases.add(case)
    client.force_login(world.committee_staff)
    url = reverse("supervision:topic", args=[topic.pk])
    client.post(reverse("supervision:topic_bundles", args=[topic.pk]), {"bundle": bundle.pk, "action": "link"})
    page = client.get(url).content.decode()
    assert "老旧小区改造与物业服务管理" in page and case.title in page
    r = client.post(reverse("supervision:topic_bundles", args=[topic.pk]), {"bundle": "999999", "action": "link"},
                    follow=True)
    assert "请选择本级人大的打捆督办专题" in r.content.decode() and topic.bundles.count() == 1
    client.force_login(world.handler_of(world.units[0]))
    assert client.post(reverse("supervision:topic_bundles", args=[topic.pk]),
                       {"bundle": bundle.pk, "action": "unlink"}).status_code == 403
    assert topic.bundles.count() == 1
