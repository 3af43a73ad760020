"""Uploads checked by size before reading, by content, and ZIP-based ones as ZIPs."""

from __future__ import annotations

import io
import re
import struct
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from lvzhi.documents import uploads
from lvzhi.documents.tests import hostile
from lvzhi.documents.uploads import UploadError, check_upload, check_zip, read_upload

MB = 1024 * 1024
REPLY_TYPES = {"pdf", "docx", "doc", "jpg", "png", "ofd"}


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def refused(file, allowed=REPLY_TYPES, max_bytes=10 * MB) -> UploadError:
    with pytest.raises(UploadError) as err:
        check_upload(file, allowed, max_bytes)
    return err.value


# ------------------------------------------------------------------------------ content

@pytest.mark.parametrize("name, data, kind", [
    ("答复函.pdf", hostile.tiny_pdf(), "pdf"),
    ("答复函.PDF", hostile.tiny_pdf(), "pdf"),
    ("扫描件.png", hostile.tiny_png(), "png"),
    ("扫描件.jpg", hostile.TINY_JPEG, "jpg"),
    ("扫描件.jpeg", hostile.TINY_JPEG, "jpg"),
    ("答复函.docx", hostile.docx_bytes(), "docx"),
    ("答复函.doc", hostile.OLE2, "doc"),
    ("答复函.ofd", hostile.ofd_bytes(), "ofd"),
], ids=lambda v: v if isinstance(v, str) and "." in v else "")
def test_real_files_are_accepted_and_left_at_their_start(name, data, kind):
    file = upload(name, data)
    assert check_upload(file, REPLY_TYPES, 10 * MB) == kind
    assert file.tell() == 0 and file.read() == data  # the caller saves it whole


def test_html_named_pdf_is_refused_by_its_content():
    err = refused(upload("答复函.pdf", hostile.HTML_PAGE))
    assert err.code == "mismatch"
    assert err.message.startswith("文件内容与扩展名不符：不是PDF文件")
    assert "实际是网页（HTML）" in err.message


@pytest.mark.parametrize("name, data, says", [
    ("答复函.pdf", hostile.docx_bytes(), "不是PDF文件，实际是Word文档"),
    ("答复函.docx", hostile.OLE2, "不是Word文件（.docx），实际是旧版Office文件"),
    ("答复函.docx", hostile.xlsx_bytes(), "不是Word文件（.docx），实际是Excel表格"),
    ("答复函.doc", hostile.docx_bytes(), "不是Word文件（.doc），实际是Word文档"),
    ("扫描件.png", hostile.TINY_JPEG, "不是PNG图片，实际是JPG图片"),
    ("扫描件.jpg", b"GIF89a\x01\x00\x01\x00", "不是JPG图片。"),
    ("答复函.ofd", hostile.docx_bytes(), "不是OFD文件，实际是Word文档"),
    ("答复函.ofd", hostile.HTML_PAGE, "不是OFD文件，实际是网页（HTML）"),
], ids=lambda v: v if isinstance(v, str) and "." in v else "")
def test_content_must_agree_with_the_extension(name, data, says):
    err = refused(upload(name, data))
    assert err.code == "mismatch" and says in err.message


def test_extension_not_allowed_and_empty_files():
    err = refused(upload("答复函.html", hostile.HTML_PAGE))
    assert err.code == "type" and err.message.startswith("不支持上传.html文件，只能上传PDF文件、")
    assert refused(upload("答复函", hostile.tiny_pdf())).message.startswith("不支持上传无扩展名的文件")
    xls = refused(upload("汇总.xls", hostile.OLE2), {"xlsx"})
    assert "只能上传Excel文件（.xlsx）" in xls.message and "另存为 .xlsx" in xls.message
    assert "另存为 .xlsx" in refused(upload("汇总.xlsx", hostile.OLE2), {"xlsx"}).message
    assert refused(upload("答复函.pdf", b"")).code == "empty"


# --------------------------------------------------------------------------------- size

def test_a_100mb_upload_is_refused_before_it_is_read():
    big = TemporaryUploadedFile("答复函.pdf", "application/pdf", 100 * MB, None)
    big.file.truncate(100 * MB)  # sparse: 100 MB on paper, nothing written
    counting = hostile.CountingFile(big.file)
    big.file = counting
    try:
        err = refused(big)
        assert err.code == "too_large" and err.message == "文件过大（100MB），最多只能上传10MB的文件。"
        assert counting.bytes_read == 0
        with pytest.raises(UploadError):
            read_upload(big, {"pdf"}, 10 * MB)
        assert counting.bytes_read == 0
    finally:
        big.close()


def test_only_the_head_is_read_of_an_accepted_file():
    data = hostile.tiny_pdf() + b"%" + b"0" * (2 * MB)
    counting = hostile.CountingFile(io.BytesIO(data), size=len(data))
    counting.name = "答复函.pdf"
    assert check_upload(counting, {"pdf"}, 10 * MB) == "pdf"
    assert counting.bytes_read <= uploads.HEAD_BYTES


def test_a_file_without_a_size_is_measured_not_read():
    counting = hostile.CountingFile(io.BytesIO(b"%PDF-1.4" + b"0" * (11 * MB)))
    counting.name = "答复函.pdf"
    assert refused(counting).code == "too_large" and counting.bytes_read == 0


def test_read_upload_returns_the_bytes_or_the_callers_error():
    data = hostile.xlsx_bytes()
    assert read_upload(upload("汇总.xlsx", data), {"xlsx"}) == data

    class Refused(Exception):
        pass

    with pytest.raises(Refused, match="文件内容与扩展名不符：不是Excel文件"):
        read_upload(upload("汇总.xlsx", hostile.docx_bytes()), {"xlsx"}, error=Refused)


# ---------------------------------------------------------------------------------- ZIP

def test_a_docx_zip_bomb_is_refused_from_the_zip_directory_alone():
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(hostile.docx_bytes())) as src, \
            zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        with dst.open("word/media/padding.bin", "w", force_zip64=True) as fh:
            for _ in range(60):
                fh.write(b"\0" * MB)
    data = buf.getvalue()
    assert len(data) < MB
    tracemalloc.start()
    try:
        err = refused(upload("答复函.docx", data))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert err.code == "bomb" and err.message.startswith("文件解压后过大（约6")
    assert "MB），疑似异常文件，已拒绝" in err.message
    assert peak < 2 * MB  # nothing was unpacked


def test_zip_limits_members_ratio_method_and_encryption():
    def zip_of(members: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", method) as zf:
            for name, content in members.items():
                zf.writestr(name, content)
        return buf.getvalue()

    parts = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}
    many = zip_of(parts | {f"xl/media/{i}.bin": b"" for i in range(1000)})
    with pytest.raises(UploadError, match="文件内含1002个部件（最多1000个）"):
        check_zip(many, uploads.ZIP_PARTS["xlsx"])
    ratio = zip_of(parts | {"xl/worksheets/sheet1.xml": b"<c/>" * (2 * MB)})
    with pytest.raises(UploadError, match=re.escape("文件压缩比异常（其中“xl/worksheets/sheet1.xml”")):
        check_zip(ratio, uploads.ZIP_PARTS["xlsx"])
    bz2 = zip_of(parts, method=zipfile.ZIP_BZIP2)
    with pytest.raises(UploadError, match="不支持的压缩方式"):
        check_zip(bz2, uploads.ZIP_PARTS["xlsx"])
    # the encryption flag (bit 0) of the first member, in its local and central headers
    plain = bytearray(zip_of(parts))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = plain.index(signature) + offset
        plain[at:at + 2] = struct.pack("<H", struct.unpack("<H", plain[at:at + 2])[0] | 1)
    with pytest.raises(UploadError, match="文件已加密") as err:
        check_zip(bytes(plain), uploads.ZIP_PARTS["xlsx"])
    assert err.value.code == "encrypted"
    with pytest.raises(UploadError) as err:
        check_zip(b"PK\x03\x04 not really", uploads.ZIP_PARTS["xlsx"])
    assert err.value.code == "broken"


def test_zip_limits_come_from_settings(settings):
    data = hostile.docx_bytes()
    assert check_upload(upload("答复函.docx", data), REPLY_TYPES, 10 * MB) == "docx"
    settings.LVZHI_UPLOAD_XLSX_MAX_UNCOMPRESSED = 10 * 1024
    assert refused(upload("答复函.docx", data)).message.startswith("文件解压后过大")


# ------------------------------------------------------------------- where it is used

def test_the_key_task_import_form_checks_the_file():
    from lvzhi.keytasks.forms import ImportForm

    form = ImportForm({"year": 2026}, {"file": upload("清单.xlsx", hostile.HTML_PAGE)})
    assert not form.is_valid()
    assert form.errors["file"][0].startswith("文件内容与扩展名不符：不是Excel文件（.xlsx），实际是网页（HTML）")
    assert ImportForm({"year": 2026}, {"file": upload("清单.xlsx", hostile.xlsx_bytes())}).is_valid()


@pytest.mark.django_db
def test_the_suggestion_import_page_checks_the_file(world, client):
    from django.urls import reverse

    client.force_login(world.clerk)
    page = client.post(reverse("import_cases"), {"action": "preview", "session": world.session.pk,
                                                 "file": upload("汇总.xlsx", hostile.HTML_PAGE)})
    assert page.status_code == 400
    assert "文件内容与扩展名不符：不是Excel文件（.xlsx），实际是网页（HTML）" in page.content.decode()
