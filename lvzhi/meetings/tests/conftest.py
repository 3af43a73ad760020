"""A 常委会会议 of nine members (the world's leader and eight deputies), in session today."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lvzhi.documents.word import OfficialDocument
from lvzhi.meetings import services
from lvzhi.meetings.models import ItemType, Meeting, MeetingState, MeetingType
from lvzhi.votes.models import StandingMember


@pytest.fixture
def members(world):
    users = [world.leader] + [d.user for d in world.deputies[:8]]
    for i, u in enumerate(users):
        StandingMember.objects.create(congress=world.congress, user=u, sort_order=i)
    return users


@pytest.fixture
def meeting(world, members) -> Meeting:
    today = timezone.localdate()
    return services.create_meeting(world.office_clerk, meeting_type=MeetingType.STANDING, number="第二十三次会议",
                                   starts_on=today + dt.timedelta(days=10), ends_on=today + dt.timedelta(days=11),
                                   place="常委会会议室")


@pytest.fixture
def in_session(world, meeting) -> Meeting:
    meeting.starts_on = meeting.ends_on = timezone.localdate()
    meeting.save()
    return services.set_state(world.office_clerk, meeting, MeetingState.IN_SESSION)


def docx_bytes(paragraphs: list[str], title: str = "关于物业管理条例（草案）的说明") -> bytes:
    doc = OfficialDocument(issuer="北辰市人民政府", number="北政〔2026〕1号", title=title)
    for p in paragraphs:
        doc.paragraph(p)
    return doc.to_bytes()


def pdf_bytes(pages: int = 2) -> bytes:
    from PIL import Image

    imgs = [Image.new("RGB", (620, 877), "white") for _ in range(pages)]
    buf = io.BytesIO()
    imgs[0].save(buf, format="PDF", save_all=True, append_images=imgs[1:])
    return buf.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@pytest.fixture
def bill_item(world, meeting):
    return services.add_item(world.office_clerk, meeting, title="审议《北辰市物业管理条例（草案）》",
                             item_type=ItemType.BILL, rapporteur="市司法局局长 王强")
