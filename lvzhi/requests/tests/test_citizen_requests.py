"""代表码上见: a citizen scans a code and writes; the deputy (or the station) takes it up and
answers, forwards it to a unit that replies, or turns it into a suggestion; the citizen rates
the result with the receipt code and may reopen it once. Bad input changes nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from lvzhi.cases.engine import fire
from lvzhi.cases.models import Case, Deadline
from lvzhi.cases.permissions import visible_cases
from lvzhi.cases.workflow import NotAllowed, WrongState
from lvzhi.core.models import Role
from lvzhi.deputies.models import LiaisonStation
from lvzhi.deputies.record import get_source
from lvzhi.requests import citizen_services as svc
from lvzhi.requests.citizen_figures import FIGURES
from lvzhi.requests.citizen_models import CitizenRequestDetail, RequestPhoto
from lvzhi.testing import make_user

pytestmark = pytest.mark.django_db

TEXT = "东湖街道幸福小区3栋楼下的路灯坏了两个多月，晚上出行很不方便，老人摔倒过两次，希望尽快修好。"


def png(size=(40, 30)) -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, format="PNG")
    return SimpleUploadedFile("路灯.png", buf.getvalue(), content_type="image/png")


def data(**over):
    d = {"text": TEXT, "name": "王女士", "contact": "13912345678", "location": "幸福小区3栋"}
    d.update(over)
    return d


def submit(world, deputy_index=0, ip="10.0.0.1", photos=(), **over) -> Case:
    target = svc.Target(deputy=world.deputies[deputy_index])
    return svc.submit(target, data(**over), photos, ip=ip)


def figure(code, world):
    year = timezone.localdate().year
    f = next(f for f in FIGURES if f.code == code)
    return f.cases([world.congress.pk], dt.date(year, 1, 1), dt.date(year, 12, 31))


def test_a_request_to_a_deputy_is_answered_and_rated(world):
    case = submit(world, photos=[png()])
    d = case.citizen_request_detail
    assert case.state == "received" and case.number.startswith("码上见")
    assert d.deputy == world.deputies[0] and d.contact == "13912345678"
    assert "13912345678" not in d.contact_encrypted  # SM4 at rest
    assert d.contact_masked == "139****5678"
    assert RequestPhoto.objects.filter(case=case).count() == 1
    clocks = {c.kind: c for c in Deadline.objects.filter(case=case)}
    assert set(clocks) == {"citizen_request_ack", "citizen_request_answer"}

    deputy = world.deputies[0].user
    assert case in visible_cases(deputy) and case not in visible_cases(world.deputies[1].user)
    fire(case, "accept", deputy, {"note": "已收到，近日实地查看"})
    assert Deadline.objects.get(case=case, kind="citizen_request_ack").met_at is not None
    fire(case, "answer", deputy, {"text": "已联系街道办，路灯已于本周三修复，请您留意。"})
    case.refresh_from_db()
    assert case.state == "answered" and case.citizen_request_detail.handling == "answered"
    told = [e.payload["to_citizen"] for e in svc.told(case)]
    assert told[-1].startswith("代表0代表答复：已联系街道办") and len(told) == 3

    fire(case, "rate", None, {"rating": "satisfied", "comment": "修得很快"})
    case.refresh_from_db()
    assert case.state == "closed" and case.citizen_request_detail.resolved
    assert list(figure("citizen_requests_resolved", world)) == [case]
    assert list(figure("citizen_requests_answered", world)) == [case]


def test_forwarded_to_a_unit_which_replies_to_the_deputy(world):
    case = submit(world)
    deputy, unit = world.deputies[0].user, world.units[0]
    handler = world.handler_of(unit)
    assert case not in visible_cases(handler)
    fire(case, "forward", deputy, {"unit": unit.pk, "note": "请核实路灯损坏情况并尽快维修"})
    case.refresh_from_db()
    assert case.state == "forwarded" and case in visible_cases(handler)
    assert case not in visible_cases(world.handler_of(world.units[1]))
    reply_clock = Deadline.objects.get(case=case, kind="citizen_request_unit_reply")
    assert reply_clock.assignment.unit == unit
    with pytest.raises(NotAllowed):  # the deputy does not reply for the unit
        fire(case, "unit_reply", deputy, {"text": "已修复路灯两盏，恢复照明。"})
    fire(case, "unit_reply", handler, {"text": "经核查，路灯线路老化，已更换线路并修复路灯两盏。"})
    case.refresh_from_db()
    assert case.state == "unit_replied" and reply_clock.__class__.objects.get(pk=reply_clock.pk).met_at
    fire(case, "answer", deputy, {"text": "住建局已更换线路并修复路灯两盏，请您查看。"})
    case.refresh_from_db()
    assert case.citizen_request_detail.handling == "forwarded"  # answered after the unit's reply
    assert figure("citizen_requests_forwarded", world).count() == 1


def test_the_citizen_reopens_once_and_the_clock_starts_again(world):
    case = submit(world)
    deputy = world.deputies[0].user
    fire(case, "answer", deputy, {"text": "已转告物业，请物业尽快修复路灯。"})
    fire(case, "rate", None, {"rating": "unsatisfied"})
    fire(case, "reopen", None, {"reason": "物业至今没有修，路灯还是坏的"})
    case.refresh_from_db()
    d = case.citizen_request_detail
    assert case.state == "accepted" and d.rating == "" and d.reopened_at is not None
    assert Deadline.objects.filter(case=case, kind="citizen_request_answer", met_at__isnull=True).count() == 1
    fire(case, "answer", deputy, {"text": "已督促街道办直接维修，路灯已亮。"})
    with pytest.raises(WrongState, match="只能申请重新办理一次"):
        fire(case, "reopen", None, {"reason": "还想再申请一次"})


def test_a_station_code_reaches_its_deputies_and_keepers_only(world):
    station = LiaisonStation.objects.create(congress=world.congress, name="东湖街道代表联络站", address="东湖路8号")
    world.deputies[2].station = station
    world.deputies[2].save()
    keeper = make_user("keeper1", Role.CLERK, world.congress, None, "联络员小刘")
    station.keepers.add(keeper)
    case = svc.submit(svc.Target(station=station), data(), ip="10.0.0.9")
    assert case.citizen_request_detail.addressed_to == "东湖街道代表联络站"
    assert case in visible_cases(world.deputies[2].user) and case in visible_cases(keeper)
    assert case not in visible_cases(world.deputies[0].user)
    fire(case, "accept", keeper, {"note": ""})  # the station on the deputies' behalf
    fire(case, "answer", world.deputies[2].user, {"text": "已与社区对接，本周内完成维修。"})
    entries = list(get_source("citizen_requests").entries([world.deputies[2].pk], dt.date(2000, 1, 1),
                                                         dt.date(2100, 1, 1)))
    assert [e.title.split("：")[0] for e in entries] == [f"答复群众诉求（{case.number}）"]


def test_turned_into_a_suggestion_draft_of_the_deputy(world):
    case = submit(world)
    deputy = world.deputies[0].user
    body = "全市老旧小区路灯损坏报修渠道不畅，维修责任不清，" * 3
    fire(case, "to_suggestion", deputy, {"title": "关于理顺老旧小区路灯维修责任的建议", "body": body,
                                         "text": "您反映的问题具有普遍性，我已作为代表建议提出。"})
    case.refresh_from_db()
    draft = case.citizen_request_detail.suggestion
    assert draft.kind == "suggestion" and draft.state == "draft" and draft.lead_deputy == world.deputies[0]
    assert case.state == "answered"
    with pytest.raises(WrongState, match="已转为代表建议"):
        fire(case, "reopen", None, {"reason": "问题还是没有解决"})


@pytest.mark.parametrize("over, message", [
    ({"text": ""}, "反映的问题"),
    ({"text": "路灯坏了"}, "至少10字"),
    ({"contact": "12345"}, "正确的手机号"),
])
def test_bad_input_changes_nothing(world, over, message):
    with pytest.raises(svc.InvalidInput) as err:
        submit(world, **over)
    assert message in err.value.message
    assert not CitizenRequestDetail.objects.exists() and not Case.objects.filter(kind="citizen_request").exists()


def test_photos_are_checked_by_content_and_size(world):
    fake = SimpleUploadedFile("照片.jpg", b"<html>not a photo</html>", content_type="image/jpeg")
    with pytest.raises(Exception, match="不是JPG"):
        submit(world, photos=[fake])
    big = SimpleUploadedFile("大.png", b"\x89PNG\r\n\x1a\n" + b"0" * (svc.MAX_PHOTO + 1), content_type="image/png")
    with pytest.raises(Exception, match="文件过大"):
        submit(world, photos=[big])
    with pytest.raises(Exception, match="最多上传3张"):
        submit(world, photos=[png(), png(), png(), png()])
    assert not Case.objects.filter(kind="citizen_request").exists() and not RequestPhoto.objects.exists()


def test_a_flood_from_one_address_and_a_repeat_are_refused(world):
    submit(world, ip="10.1.1.1")
    with pytest.raises(svc.InvalidInput, match="内容相同"):
        submit(world, ip="10.1.1.1", text=TEXT + "谢谢！")
    submit(world, ip="10.1.1.1", text="学校门口早晚高峰接送车辆乱停乱放，堵塞交通，建议设置临时停车区。")
    submit(world, ip="10.1.1.1", text="菜市场周边占道经营严重，垃圾清运不及时，夏天气味很大，希望整治。")
    with pytest.raises(svc.RateLimited, match="每小时最多提交3件"):
        submit(world, ip="10.1.1.1", text="公园健身器材损坏多处，存在安全隐患，希望及时更换维修。")
    assert Case.objects.filter(kind="citizen_request").count() == 3
    submit(world, ip="10.1.1.2", text=TEXT)  # another citizen with the same matter is welcome


def test_qr_tokens_are_signed(world):
    token = svc.qr_token("d", world.deputies[0].pk)
    assert svc.target_of(token).deputy == world.deputies[0]
    forged = f"d{world.deputies[1].pk}-{token.split('-')[1]}"
    assert svc.target_of(forged) is None and svc.target_of("d1") is None


def test_a_closed_request_cannot_be_reopened_after_thirty_days(world):
    case = submit(world)
    fire(case, "answer", world.deputies[0].user, {"text": "已协调物业修复路灯，请您查看。"})
    fire(case, "rate", None, {"rating": "satisfied"})
    later = timezone.now() + dt.timedelta(days=31)
    with pytest.raises(WrongState, match="办结已超过30日"):
        fire(case, "reopen", None, {"reason": "路灯又坏了，希望再修"}, now=later)
