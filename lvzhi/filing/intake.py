"""Intake checks of an electronic filing: the 文号, the publication date, the files and the
30-day filing deadline. Each check raises a ValidationError in Chinese and writes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from lvzhi.cases import deadlines
from lvzhi.filing import clocks

# 北政发〔2025〕12号 — the year in 六角括号 (GB/T 9704 7.2.4); [] and () are common mistypings
# we accept and normalise, anything else is refused.
DOC_NUMBER = re.compile(r"^(?P<prefix>[\u4e00-\u9fff]{1,12})[〔\[［(（](?P<year>\d{4})[〕\]］)）]"
                        r"(?P<seq>\d{1,4})号$")
ALLOWED_EXTENSIONS = ("pdf", "docx", "doc", "ofd")
MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class DocNumber:
    prefix: str
    year: int
    seq: int

    def __str__(self) -> str:
        return f"{self.prefix}〔{self.year}〕{self.seq}号"


def parse_doc_number(text: str, prefixes: list[str]) -> DocNumber:
    """The 文号 as 代字〔年份〕序号号, with a 代字 the body uses."""
    m = DOC_NUMBER.match((text or "").strip().replace(" ", ""))
    if not m:
        raise ValidationError(f"文号“{text}”格式无法识别，应为 发文机关代字〔年份〕序号号，如 北政发〔2025〕12号")
    number = DocNumber(m["prefix"], int(m["year"]), int(m["seq"]))
    if number.seq == 0:
        raise ValidationError("文号序号不能为0")
    if prefixes and number.prefix not in prefixes:
        raise ValidationError(f"文号代字“{number.prefix}”不是本制定机关使用的代字（{'、'.join(prefixes)}）")
    return number


def check_published_on(day: dt.date, today: dt.date, number: DocNumber | None = None) -> None:
    if day > today:
        raise ValidationError(f"公布日期{day:%Y年%m月%d日}晚于今天，尚未公布的文件不能报送备案")
    if number is not None and number.year != day.year:
        raise ValidationError(f"文号年份{number.year}与公布日期的年份{day.year}不一致")


def _zip_names(head: bytes, f) -> list[str]:
    f.seek(0)
    try:
        with zipfile.ZipFile(io.BytesIO(f.read())) as z:
            return z.namelist()
    except zipfile.BadZipFile:
        return []
    finally:
        f.seek(0)


def check_file(f, label: str) -> None:
    """The file is what its name says: a PDF starts with %PDF-, a .docx is a zip holding
    word/document.xml, a .doc an OLE compound file, an .ofd a zip holding OFD.xml."""
    name = getattr(f, "name", "") or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ALLOWED_EXTENSIONS:
        raise ValidationError(f"{label}“{name}”的格式不支持，请上传 PDF、Word（docx/doc）或 OFD 文件")
    if f.size == 0:
        raise ValidationError(f"{label}“{name}”是空文件")
    if f.size > MAX_BYTES:
        raise ValidationError(f"{label}“{name}”超过20MB")
    f.seek(0)
    head = f.read(8)
    f.seek(0)
    ok = {
        "pdf": head.startswith(b"%PDF-"),
        "doc": head == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "docx": head.startswith(b"PK\x03\x04") and "word/document.xml" in _zip_names(head, f),
        "ofd": head.startswith(b"PK\x03\x04") and "OFD.xml" in _zip_names(head, f),
    }[ext]
    if not ok:
        kind = {"pdf": "PDF", "doc": "Word(doc)", "docx": "Word(docx)", "ofd": "OFD"}[ext]
        raise ValidationError(f"{label}“{name}”不是有效的{kind}文件（文件内容与扩展名不符）")


def sha256_of(f) -> str:
    f.seek(0)
    h = hashlib.sha256()
    for chunk in f.chunks() if hasattr(f, "chunks") else [f.read()]:
        h.update(chunk)
    f.seek(0)
    return h.hexdigest()


def filing_due(published_on: dt.date, rules, cal) -> dt.date:
    """报送备案期限: 30 days from publication, rolled to a working day (clocks.FILING_DUE)."""
    return deadlines.compute_due(clocks.FILING_DUE, published_on, rules, cal)


def late_days(published_on: dt.date, filed_on: dt.date, rules, cal) -> tuple[dt.date, int]:
    due = filing_due(published_on, rules, cal)
    return due, max(0, (filed_on - due).days)
