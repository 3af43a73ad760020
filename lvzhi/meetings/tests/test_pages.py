"""The pages as a clerk, a member and an outsider use them; the Word files opened and read."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document
from PIL import Image

from lvzhi.meetings import services
from lvzhi.meetings.models import Confidentiality, ItemType, Material, MeetingState, SignInMethod
from lvzhi.meetings.tests.conftest import docx_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_the_clerk_uploads_a_material_and_a_member_reads_it(client, world, members, meeting, bill_item):
    login(client, world.office_clerk)
    resp = client.post(reverse("meetings:item", args=[bill_item.pk]),
                       {"action": "material", "title": "草案文本", "file": upload("草案.docx", docx_bytes(["第一条"]))})
    assert resp.status_code == 302
    material = Material.objects.get()
    login(client, members[2])
    page = client.get(reverse("meetings:read", args=[material.pk]))
    assert page.status_code == 200 and "草案文本" in page.content.decode() and "仅本人可见" in page.content.decode()
    img = client.get(reverse("meetings:page", args=[material.current.pk, 1]))
    assert img["Content-Type"] == "image/png" and Image.open(io.BytesIO(img.content)).size[0] > 500


def test_a_bad_upload_shows_the_chinese_message(client, world, bill_item):
    login(client, world.office_clerk)
    resp = client.post(reverse("meetings:item", args=[bill_item.pk]),
                       {"action": "material", "file": upload("草案.pdf", b"hello, not a pdf")}, follow=True)
    assert "会议材料只能是Word文档（.docx）或PDF文件" in resp.content.decode()
    assert not Material.objects.exists()


def test_outsiders_cannot_read_materials(client, world, members, meeting, bill_item):
    v = services.upload_material(world.office_clerk, bill_item, upload("草案.pdf", pdf_bytes(1)))
    outsider = world.deputies[11].user  # a deputy not on this meeting
    login(client, outsider)
    assert client.get(reverse("meetings:read", args=[v.material.pk])).status_code == 403
    assert client.get(reverse("meetings:page", args=[v.pk, 1])).status_code == 403
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 403
    login(client, world.other_congress_clerk)
    assert client.get(reverse("meetings:read", args=[v.material.pk])).status_code in (403, 404)


def test_a_confidential_page_carries_the_readers_name(client, world, members, meeting):
    item = services.add_item(world.office_clerk, meeting, title="涉密议题", item_type=ItemType.OTHER,
                             confidentiality=Confidentiality.SECRET)
    plain_item = services.add_item(world.office_clerk, meeting, title="公开议题", item_type=ItemType.OTHER)
    v = services.upload_material(world.office_clerk, item, upload("材料.pdf", pdf_bytes(1)))
    p = services.upload_material(world.office_clerk, plain_item, upload("材料.pdf", pdf_bytes(1)))
    login(client, members[1])

    def red(resp) -> int:
        return sum(1 for r, g, _b in Image.open(io.BytesIO(resp.content)).convert("RGB").getdata() if r > g + 30)

    assert red(client.get(reverse("meetings:page", args=[v.pk, 1]))) > 1000
    assert red(client.get(reverse("meetings:page", args=[p.pk, 1]))) == 0


def test_notes_are_shown_to_their_author_only(client, world, members, meeting, bill_item):
    v = services.upload_material(world.office_clerk, bill_item, upload("草案.pdf", pdf_bytes(1)))
    login(client, members[1])
    client.post(reverse("meetings:read", args=[v.material.pk]), {"page": 1, "text": "我的私人批注"})
    assert "我的私人批注" in client.get(reverse("meetings:read", args=[v.material.pk])).content.decode()
    login(client, members[2])
    assert "我的私人批注" not in client.get(reverse("meetings:read", args=[v.material.pk])).content.decode()


def test_vote_page_refuses_before_sign_in_and_minutes_read_the_result(client, world, members, in_session):
    item = services.add_item(world.office_clerk, in_session, title="关于批准决算的决议", item_type=ItemType.OTHER)
    for u in members[:6]:
        services.sign_in(in_session, u, world.office_clerk, SignInMethod.CLERK)
    vote = services.open_vote(world.office_clerk, item)
    login(client, members[8])
    page = client.get(reverse("meetings:vote", args=[vote.pk])).content.decode()
    assert "您尚未签到" in page
    resp = client.post(reverse("meetings:vote", args=[vote.pk]), {"action": "cast", "choice": "yes"}, follow=True)
    assert "您尚未签到，请先签到再表决" in resp.content.decode()
    for u in members[:6]:
        login(client, u)
        client.post(reverse("meetings:vote", args=[vote.pk]), {"action": "cast", "choice": "yes"})
    login(client, world.office_clerk)
    resp = client.post(reverse("meetings:vote", args=[vote.pk]), {"action": "close"}, follow=True)
    assert "通过" in resp.content.decode()
    services.set_state(world.office_clerk, in_session, MeetingState.CLOSED)
    data = client.get(reverse("meetings:minutes", args=[in_session.pk])).content
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "应到组成人员9人，实到6人" in text and "关于批准决算的决议" in text
    assert "赞成6票，反对0票，弃权0票，通过" in text


def test_the_appointment_document_is_a_word_file_in_the_official_layout(client, world, members, in_session):
    item = services.add_item(world.office_clerk, in_session, title="审议任免案", item_type=ItemType.APPOINTMENT)
    n = services.add_nominee(world.office_clerk, item, name="张明", post="市教育局局长", action="appoint",
                             organ="市人民政府")
    for u in members:
        services.sign_in(in_session, u, world.office_clerk, SignInMethod.CLERK)
    vote = services.open_vote(world.office_clerk, item, nominee=n)
    for u in members[:7]:
        services.cast_vote(u, vote, "yes")
    services.close_vote(world.office_clerk, vote)
    login(client, world.office_clerk)
    data = client.get(reverse("meetings:nominee_document", args=[n.pk])).content
    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "任命书" in text and "任命张明为市教育局局长。" in text and "赞成7票" in text
    assert doc.paragraphs[0].runs[0].font.color.rgb is not None  # the red 发文机关标志


def test_door_sign_in_page(client, world, members, in_session):
    login(client, members[3])
    url = reverse("meetings:sign_in", args=[in_session.pk, services.sign_token(in_session)])
    assert "请确认签到" in client.get(url).content.decode()
    assert "已签到" in client.post(url).content.decode()
    assert client.get(reverse("meetings:sign_in", args=[in_session.pk, "0" * 16])).status_code == 404
    login(client, world.office_clerk)
    assert client.get(reverse("meetings:poster", args=[in_session.pk])).content.startswith(b"%PDF")


def test_the_api_lists_meetings_and_gives_agenda_and_results(client, world, members, in_session):
    item = services.add_item(world.office_clerk, in_session, title="关于批准决算的决议", item_type=ItemType.OTHER)
    for u in members[:6]:
        services.sign_in(in_session, u, world.office_clerk, SignInMethod.CLERK)
    vote = services.open_vote(world.office_clerk, item)
    for u in members[:5]:
        services.cast_vote(u, vote, "yes")
    services.close_vote(world.office_clerk, vote)
    login(client, members[2])
    listed = client.get("/api/v1/meetings/").json()
    assert [m["id"] for m in listed["results"]] == [in_session.pk]
    detail = client.get(f"/api/v1/meetings/{in_session.pk}/").json()
    assert detail["attendance"] == {"expected": 9, "present": 6, "leave": 0, "attending": 0}
    assert detail["agenda"][0]["votes"][0]["passed"] is True
    assert detail["agenda"][0]["votes"][0]["tally"]["counts"]["yes"] == 5
    login(client, world.deputies[11].user)  # not on the meeting
    assert client.get(f"/api/v1/meetings/{in_session.pk}/").status_code == 404
    assert client.get("/api/v1/meetings/").json()["results"] == []
