"""The five forms' records through the work page: each recorded by the lead committee, bad
input refused in Chinese with nothing saved, others read only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lvzhi.cases.models import RuleSet
from lvzhi.core.models import Organization, OrganizationKind, Role
from lvzhi.supervision import activity_services as services
from lvzhi.supervision.models import (
    Appraisee,
    Criterion,
    Question,
    ScoreSheet,
    SiteCheck,
    Topic,
    TopicForm,
    Visit,
    WorkReportStep,
)
from lvzhi.testing import make_user

pytestmark = pytest.mark.django_db


def topic_of(world, form: str, **extra) -> Topic:
    return Topic.objects.create(
        congress=world.congress,
        year=timezone.localdate().year,
        title="住宅小区物业管理情况",
        form=form,
        lead_committee=world.committee,
        supervised_body="市人民政府",
        **extra,
    )


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def post(user, topic: Topic, what: str, data: dict):
    return client(user).post(reverse("supervision:topic_work_record", args=[topic.pk, what]), data)


def text(response) -> str:
    return response.content.decode()


TODAY = dt.date.today


def test_a_step_is_recorded_with_date_who_and_note(world):
    topic = topic_of(world, TopicForm.WORK_REPORT, meeting_on=TODAY() + dt.timedelta(days=25))
    r = post(
        world.committee_staff,
        topic,
        "step",
        {"step": "draft", "done_on": TODAY().isoformat(), "note": "北辰政函〔2026〕18号"},
    )
    assert r.status_code == 302
    page = text(client(world.leader).get(reverse("supervision:topic_work", args=[topic.pk])))
    assert "北辰政函〔2026〕18号" in page and "按时完成" in page and "赵专委" in page


def test_the_office_clerk_may_record_too(world):
    topic = topic_of(world, TopicForm.WORK_REPORT, meeting_on=TODAY() + dt.timedelta(days=25))
    r = post(
        world.office_clerk,
        topic,
        "step",
        {"step": "summary", "done_on": TODAY().isoformat(), "note": "汇总代表建议和群众来信反映的意见共36条"},
    )
    assert r.status_code == 302 and WorkReportStep.objects.filter(topic=topic, step="summary").exists()


def test_a_summary_without_its_opinions_and_a_future_date_are_refused(world):
    topic = topic_of(world, TopicForm.WORK_REPORT, meeting_on=TODAY() + dt.timedelta(days=25))
    r = post(world.committee_staff, topic, "step", {"step": "summary", "done_on": TODAY().isoformat(), "note": ""})
    assert r.status_code == 400 and "监督法第十四条" in text(r)
    later = (TODAY() + dt.timedelta(days=2)).isoformat()
    r = post(world.committee_staff, topic, "step", {"step": "draft", "done_on": later, "note": ""})
    assert r.status_code == 400 and "晚于今天" in text(r)
    assert not WorkReportStep.objects.filter(topic=topic).exists()


@pytest.mark.parametrize("who", ["unit", "deputy", "other_committee", "leader", "suggestion_clerk"])
def test_only_the_lead_committee_and_the_office_record(world, who):
    topic = topic_of(world, TopicForm.WORK_REPORT, meeting_on=TODAY() + dt.timedelta(days=25))
    other = Organization.objects.create(
        congress=world.congress, kind=OrganizationKind.COMMITTEE, name="教育科学文化卫生委员会"
    )
    user = {
        "unit": world.handlers[0],
        "deputy": world.deputy_user,
        "leader": world.leader,
        "suggestion_clerk": world.clerk,
        "other_committee": make_user("edu", Role.COMMITTEE_STAFF, world.congress, other, "钱专委"),
    }[who]
    r = post(user, topic, "step", {"step": "draft", "done_on": TODAY().isoformat(), "note": "x"})
    assert r.status_code == 403
    assert not WorkReportStep.objects.exists()
    page = client(user).get(reverse("supervision:topic_work", args=[topic.pk]))
    if who in ("unit", "deputy"):
        assert page.status_code == 403
    else:  # they read, without a form
        assert page.status_code == 200 and "只读" in text(page) and "记录环节" not in text(page)


def test_the_service_refuses_a_unit_user_in_chinese(world):
    topic = topic_of(world, TopicForm.WORK_REPORT, meeting_on=TODAY())
    with pytest.raises(services.NotPermitted, match="只有牵头委员会"):
        services.record_step(world.handlers[0], topic, {"step": "draft", "done_on": TODAY(), "note": ""})
    assert not WorkReportStep.objects.exists()


def test_another_congress_sees_nothing(world):
    topic = topic_of(world, TopicForm.INQUIRY)
    assert client(world.other_congress_clerk).get(reverse("supervision:topic_work", args=[topic.pk])).status_code == 403


def png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


def test_inspection_plan_group_checks_and_report(world):
    topic = topic_of(world, TopicForm.LAW_INSPECTION)
    staff = world.committee_staff
    assert (
        post(
            staff,
            topic,
            "plan",
            {
                "law": "《北辰市物业管理条例》",
                "scope": "六个区的住宅小区",
                "starts_on": "2026-04-01",
                "ends_on": "2026-05-31",
            },
        ).status_code
        == 302
    )
    assert post(staff, topic, "member", {"user": world.deputy_user.pk, "duty": "成员"}).status_code == 302
    photo = SimpleUploadedFile("现场.png", png(), content_type="image/png")
    r = post(
        staff,
        topic,
        "check",
        {
            "kind": "site",
            "held_on": TODAY().isoformat(),
            "place": "城东区锦绣花园",
            "participants": "检查组5人",
            "notes": "查看消防通道和公共收益公示情况",
            "attachment": photo,
        },
    )
    assert r.status_code == 302
    check = SiteCheck.objects.get(topic=topic)
    assert check.get_kind_display() == "实地检查" and check.attachment
    got = client(world.leader).get(reverse("supervision:site_check_file", args=[check.pk]))
    assert got.status_code == 200 and b"".join(got.streaming_content) == png()
    assert (
        post(
            staff,
            topic,
            "inspection_report",
            {
                "evaluation": "条例实施总体平稳，业主委员会组建率提高",
                "problems": "公共收益不公开、维修资金使用难",
                "suggestions": "建立物业服务信用评价体系",
                "amendments": "建议修改第二十三条",
                "done_on": TODAY().isoformat(),
            },
        ).status_code
        == 302
    )
    page = text(client(world.leader).get(reverse("supervision:topic_work", args=[topic.pk])))
    for words in ("《北辰市物业管理条例》", "（代表）", "城东区锦绣花园", "建议修改第二十三条"):
        assert words in page


def test_a_check_without_a_date_or_with_a_fake_photo_is_refused(world):
    topic = topic_of(world, TopicForm.LAW_INSPECTION)
    r = post(
        world.committee_staff,
        topic,
        "check",
        {"kind": "meeting", "held_on": "", "place": "市住建局", "notes": "召开座谈会听取意见建议"},
    )
    assert r.status_code == 400 and "请填写日期" in text(r)
    fake = SimpleUploadedFile("现场.jpg", b"<html><script>x</script></html>", content_type="image/jpeg")
    r = post(
        world.committee_staff,
        topic,
        "check",
        {
            "kind": "spot",
            "held_on": TODAY().isoformat(),
            "place": "市住建局",
            "notes": "抽查物业企业服务合同",
            "attachment": fake,
        },
    )
    assert r.status_code == 400 and "文件内容与扩展名不符" in text(r)
    assert not SiteCheck.objects.exists()


def test_inquiry_officials_questions_and_follow_ups(world):
    topic = topic_of(world, TopicForm.INQUIRY)
    staff = world.committee_staff
    assert (
        post(
            staff, topic, "official", {"name": "张建国", "post": "市住房和城乡建设局局长", "present": "on"}
        ).status_code
        == 302
    )
    official = topic.inquiry_officials.get()
    assert (
        post(
            staff,
            topic,
            "question",
            {
                "asker": world.leader.pk,
                "addressed_to": official.pk,
                "text": "老旧小区物业覆盖率为何仍低？",
                "answer": "年内实现物业服务全覆盖",
            },
        ).status_code
        == 302
    )
    assert (
        post(
            staff,
            topic,
            "follow_up",
            {
                "item": "研究制定物业服务收费指导标准",
                "body": "市人民政府",
                "due_on": (TODAY() - dt.timedelta(days=1)).isoformat(),
            },
        ).status_code
        == 302
    )
    page = text(client(world.leader).get(reverse("supervision:topic_work", args=[topic.pk])))
    assert "年内实现物业服务全覆盖" in page and "已逾期" in page
    item = topic.inquiry_follow_ups.get()
    assert (
        post(
            staff,
            topic,
            "follow_up_report",
            {"follow_up": item.pk, "reported_on": TODAY().isoformat(), "report": "已出台物业服务收费指导标准"},
        ).status_code
        == 302
    )
    page = text(client(world.leader).get(reverse("supervision:topic_work", args=[topic.pk])))
    assert "已出台物业服务收费指导标准" in page and "已逾期" not in page


def test_a_question_to_someone_not_present_in_this_inquiry_is_refused(world):
    topic = topic_of(world, TopicForm.INQUIRY)
    elsewhere = topic_of(world, TopicForm.INQUIRY)
    stranger = services.add_official(
        world.committee_staff, elsewhere, {"name": "李四", "post": "局长", "present": True}
    )
    r = post(
        world.committee_staff,
        topic,
        "question",
        {"asker": world.leader.pk, "addressed_to": stranger.pk, "text": "这个问题怎么解决？"},
    )
    assert r.status_code == 400 and "应询人" in text(r)
    assert not Question.objects.exists()


def appraisal(world) -> tuple[Topic, Appraisee, list[Criterion]]:
    topic = topic_of(world, TopicForm.APPRAISAL)
    a = services.add_appraisee(world.committee_staff, topic, {"kind": "judge", "name": "陈法官", "post": "审判员"})
    cs = [
        services.add_criterion(world.committee_staff, topic, {"name": n, "weight": w})
        for n, w in (("依法履职", 60), ("司法为民", 40))
    ]
    return topic, a, cs


def sheet(world, topic, a, cs, member, values):
    return post(
        world.committee_staff,
        topic,
        "sheet",
        {"appraisee": a.pk, "member": member.pk, **{f"score_{c.pk}": v for c, v in zip(cs, values, strict=True)}},
    )


def test_appraisal_weighted_average_and_grade(world):
    topic, a, cs = appraisal(world)
    assert sheet(world, topic, a, cs, world.leader, [90, 80]).status_code == 302
    assert sheet(world, topic, a, cs, world.deputy_user, [80, 70]).status_code == 302
    (result,) = services.appraisal_results(topic)
    assert str(result.score) == "81.00" and result.grade == "称职"  # (85×60 + 75×40) / 100
    RuleSet.objects.update_or_create(congress=world.congress, defaults={"params": {"appraisal_grades": {"称职": 82}}})
    assert services.appraisal_results(topic)[0].grade == "基本称职"
    page = text(client(world.leader).get(reverse("supervision:topic_work", args=[topic.pk])))
    assert "陈法官" in page and "81.00" in page


def test_a_score_out_of_range_and_a_second_sheet_are_refused(world):
    topic, a, cs = appraisal(world)
    r = sheet(world, topic, a, cs, world.leader, [101, 80])
    assert r.status_code == 400 and "“依法履职”的分数应在0到100分之间" in text(r)
    assert not ScoreSheet.objects.exists()
    sheet(world, topic, a, cs, world.leader, [90, 90])
    r = sheet(world, topic, a, cs, world.leader, [60, 60])
    assert r.status_code == 400 and "每位评议人只能提交一份" in text(r)
    assert ScoreSheet.objects.count() == 1


def test_weights_over_one_hundred_are_refused(world):
    topic, _, _ = appraisal(world)
    r = post(world.committee_staff, topic, "criterion", {"name": "廉洁自律", "weight": 10})
    assert r.status_code == 400 and "各项权重合计不能超过100%" in text(r)


def test_visits_and_research_report(world):
    topic = topic_of(world, TopicForm.RESEARCH)
    r = post(
        world.committee_staff,
        topic,
        "visit",
        {
            "visited_on": TODAY().isoformat(),
            "place": "北辰区第一养老院",
            "participants": "主任会议成员2人、代表3人",
            "notes": "床位使用率约七成，护理员紧缺",
        },
    )
    assert r.status_code == 302 and Visit.objects.filter(topic=topic).exists()
    r = post(
        world.committee_staff,
        topic,
        "research_report",
        {
            "findings": "护理人员缺口大、农村养老设施薄弱",
            "text": "调研报告：建议加大护理人才培养，推进农村互助养老服务设施建设。",
            "done_on": TODAY().isoformat(),
        },
    )
    assert r.status_code == 302
    assert "农村养老设施薄弱" in text(client(world.leader).get(reverse("supervision:topic_work", args=[topic.pk])))


def test_a_record_of_another_form_is_not_found(world):
    topic = topic_of(world, TopicForm.RESEARCH)
    r = post(world.committee_staff, topic, "sheet", {})
    assert r.status_code == 404


def test_an_answer_recorded_later_shows_under_its_question(world):
    topic = topic_of(world, TopicForm.INQUIRY)
    official = services.add_official(
        world.committee_staff, topic, {"name": "刘海涛", "post": "市水务局局长", "present": True}
    )
    q = services.add_question(
        world.committee_staff,
        topic,
        {"asker": world.leader, "addressed_to": official, "text": "雨污分流改造何时完成？"},
    )
    page = client(world.leader).get(reverse("supervision:topic_work", args=[topic.pk]))
    assert "未记录答复" in text(page)
    r = post(world.committee_staff, topic, "answer", {"question": q.pk, "answer": "计划分三年完成改造"})
    assert r.status_code == 302
    page = text(client(world.leader).get(reverse("supervision:topic_work", args=[topic.pk])))
    assert "计划分三年完成改造" in page and "未记录答复" not in page
