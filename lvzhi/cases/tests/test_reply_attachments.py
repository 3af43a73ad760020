"""A reply's attachment (答复函扫描件) is checked by its content, and a replaced one is removed."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from lvzhi.cases.engine import fire
from lvzhi.cases.workflow import InvalidInput
from lvzhi.documents.tests import hostile
from lvzhi.testing import draft, to_state

pytestmark = pytest.mark.django_db

TEXT = "我局已完成老旧小区加装电梯审批流程简化工作，审批时限压缩至二十个工作日以内。"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def draft_reply(world, case, attachment):
    lead = case.assignments.get(role="lead")
    return fire(case, "draft_reply", world.handlers[0],
                {"assignment": lead.pk, "reply_class": "A", "text": TEXT}, {"attachment": attachment})


def test_an_html_page_named_pdf_is_refused(world):
    case = to_state(world, draft(world), "handling")
    with pytest.raises(InvalidInput) as err:
        draft_reply(world, case, SimpleUploadedFile("答复函.pdf", hostile.HTML_PAGE, "application/pdf"))
    assert err.value.errors["attachment"][0].startswith("文件内容与扩展名不符：不是PDF文件")
    assert "实际是网页（HTML）" in err.value.errors["attachment"][0]
    assert not case.replies.exists()


def test_a_100mb_attachment_is_refused_before_it_is_read(world):
    case = to_state(world, draft(world), "handling")
    big = TemporaryUploadedFile("答复函.pdf", "application/pdf", 100 * hostile.MB, None)
    big.file.truncate(100 * hostile.MB)  # sparse: 100 MB on paper
    counting = hostile.CountingFile(big.file)
    big.file = counting
    try:
        with pytest.raises(InvalidInput) as err:
            draft_reply(world, case, big)
    finally:
        big.close()
    assert err.value.errors["attachment"] == ["附件不能超过10MB"] and counting.bytes_read == 0


def test_a_real_pdf_is_kept_and_a_new_one_replaces_it(world, django_capture_on_commit_callbacks):
    case = to_state(world, draft(world), "handling")
    pdf = hostile.tiny_pdf()
    with django_capture_on_commit_callbacks(execute=True):
        draft_reply(world, case, SimpleUploadedFile("答复函.pdf", pdf, "application/pdf"))
    reply = case.replies.get()
    first = reply.attachment.name
    assert default_storage.open(first).read() == pdf

    # re-saved with a new scan: the previous file goes once the new one is committed
    with django_capture_on_commit_callbacks() as callbacks:
        draft_reply(world, case, SimpleUploadedFile("答复函（修改稿）.png", hostile.tiny_png()))
    reply.refresh_from_db()
    assert reply.attachment.name != first and reply.attachment.name.endswith(".png")
    assert default_storage.exists(first)  # not before the commit
    for callback in callbacks:
        callback()
    assert default_storage.exists(reply.attachment.name) and not default_storage.exists(first)

    # re-saved without a new file: the attachment stays
    with django_capture_on_commit_callbacks(execute=True):
        draft_reply(world, case, None)
    reply.refresh_from_db()
    assert default_storage.exists(reply.attachment.name) and reply.attachment.name.endswith(".png")
