"""代表码上见's pages: the phone page a code opens, the receipt, the lookup with rating, the
photos and the posters; the deputy's list and the case page's panel."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from lvzhi.cases.engine import fire
from lvzhi.cases.models import Case
from lvzhi.requests import citizen_services as svc
from lvzhi.requests.citizen_models import CitizenRequestDetail

pytestmark = pytest.mark.django_db
TEXT = "幸福小区北门外的人行道被共享单车堵满，轮椅和婴儿车过不去，希望规划停放点并定期清理。"


def _png() -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (30, 20), (0, 120, 200)).save(buf, format="PNG")
    return SimpleUploadedFile("单车.png", buf.getvalue(), content_type="image/png")


def _new_url(world, i=0):
    return reverse("requests:citizen_new", args=[svc.qr_token("d", world.deputies[i].pk)])


def test_the_phone_page_sends_a_request_and_shows_its_receipt_once(client, world):
    url = _new_url(world)
    page = client.get(url)
    assert page.status_code == 200 and "向代表0代表反映" in page.content.decode()
    res = client.post(url, {"text": TEXT, "contact": "13800001111", "photos": [_png()]})
    d = CitizenRequestDetail.objects.get()
    assert res.status_code == 302 and res["Location"] == reverse("requests:citizen_done", args=[d.receipt])
    done = client.get(res["Location"]).content.decode()
    assert d.receipt in done and "已送达代表0代表" in done
    # Another browser holding only the link is sent to the lookup, not shown the code.
    other = client.__class__()
    assert other.get(res["Location"])["Location"] == reverse("requests:citizen_lookup")


def test_bad_input_on_the_phone_page_is_a_chinese_message(client, world):
    url = _new_url(world)
    res = client.post(url, {"text": "", "contact": "13800001111"})
    assert res.status_code == 400 and "反映的问题或意见建议" in res.content.decode()
    fake = SimpleUploadedFile("a.png", b"GIF89a-not-png", content_type="image/png")
    res = client.post(url, {"text": TEXT, "contact": "13800001111", "photos": [fake]})
    assert res.status_code == 400 and "文件内容与扩展名不符" in res.content.decode()
    assert client.get(reverse("requests:citizen_new", args=["d1-0000000000"])).status_code == 404
    assert not Case.objects.filter(kind="citizen_request").exists()


def test_the_lookup_shows_only_that_request_and_takes_the_rating(client, world):
    mine = svc.submit(svc.Target(deputy=world.deputies[0]), {"text": TEXT, "contact": "13800001111"}, ip="1.1.1.1")
    theirs = svc.submit(svc.Target(deputy=world.deputies[0]),
                        {"text": "小区垃圾站每天清运不及时，异味很大，希望增加清运次数。", "contact": "13700002222",
                         "name": "李先生"}, ip="1.1.1.2")
    fire(mine, "answer", world.deputies[0].user, {"text": "已协调城管部门在北门外划定单车停放区。"})
    code = mine.citizen_request_detail.receipt
    url = reverse("requests:citizen_lookup")
    page = client.get(url, {"code": code.lower()}).content.decode()
    assert "划定单车停放区" in page and "138****1111" in page and "13800001111" not in page
    assert theirs.body not in page and "李先生" not in page and "137" not in page
    assert client.get(url, {"code": "ABCDEFGHJK"}).status_code == 404
    res = client.post(url, {"code": code, "action": "rate"})
    assert res.status_code == 400 and "请选择您对办理结果的评价" in res.content.decode()
    mine.refresh_from_db()
    assert mine.state == "answered"
    res = client.post(url, {"code": code, "action": "rate", "rating": "basic", "comment": "还需要常态管理"})
    assert res.status_code == 302
    mine.refresh_from_db()
    assert mine.state == "closed" and mine.citizen_request_detail.rating == "basic"


def test_photos_open_for_the_deputy_and_the_code_holder_only(client, world):
    case = svc.submit(svc.Target(deputy=world.deputies[0]), {"text": TEXT, "contact": "13800001111"}, [_png()],
                      ip="2.2.2.2")
    p = case.request_photos.get()
    url = reverse("requests:citizen_photo", args=[p.pk])
    assert client.get(url).status_code == 404
    assert client.get(url, {"code": case.citizen_request_detail.receipt}).status_code == 200
    client.force_login(world.deputies[1].user)
    assert client.get(url).status_code == 404
    client.force_login(world.deputies[0].user)
    assert client.get(url).status_code == 200


def test_the_deputy_lists_acts_and_prints_a_poster(client, world):
    case = svc.submit(svc.Target(deputy=world.deputies[0]), {"text": TEXT, "contact": "13800001111"}, ip="3.3.3.3")
    client.force_login(world.deputies[0].user)
    page = client.get(reverse("requests:citizen_mine")).content.decode()
    assert case.title in page and "待代表受理" in page
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "138****1111" in detail and "13800001111" not in detail and "转交单位办理" in detail
    fire(case, "show_contact", world.deputies[0].user)
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "13800001111" in detail  # read in full after the recorded 查看完整电话
    res = client.get(reverse("requests:citizen_deputy_poster", args=[world.deputies[0].pk, "png"]))
    assert res.status_code == 200 and res.content[:8] == b"\x89PNG\r\n\x1a\n"
    res = client.get(reverse("requests:citizen_deputy_poster", args=[world.deputies[0].pk, "pdf"]))
    assert res.content[:5] == b"%PDF-"
    assert client.get(reverse("requests:citizen_deputy_poster", args=[world.deputies[1].pk, "png"])).status_code == 403
