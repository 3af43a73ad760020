"""Uploaded files checked by what they are, not by what they are called.

Every upload the platform keeps or opens goes through `check_upload` first::

    kind = check_upload(request.FILES["attachment"], {"pdf", "docx", "doc", "jpg", "png", "ofd"},
                        10 * 1024 * 1024)          # UploadError(message in Chinese) or "pdf", …

In this order, each refusal before the next read:

1. the name's extension is one of `allowed` (jpeg counts as jpg);
2. the size Django reports (`file.size`) is at most `max_bytes`, so a 100 MB upload is refused
   before a byte of it is read;
3. the first bytes are the format's signature (PDF ``%PDF-``, PNG, JPEG, OLE2 for .doc, ZIP
   for .docx/.xlsx/.ofd), and they agree with the extension: an HTML page renamed .pdf is
   refused with “文件内容与扩展名不符：不是PDF文件……”;
4. a ZIP-based file (.docx/.xlsx/.ofd) holds its format's own parts ([Content_Types].xml and
   word/document.xml or xl/workbook.xml; OFD.xml) and is not a zip bomb: `check_zip` reads
   only the ZIP's directory, and refuses too many members, too much once unpacked, a member
   unpacking to more than `max ratio` times its packed size, encryption, and compression
   methods other than stored/deflate.

`check_zip(..., scan_xml=True)` (what documents.excel does before openpyxl sees a workbook)
also reads every XML part once, in 64 KB pieces, and refuses a DTD (``<!DOCTYPE``/``<!ENTITY``):
OOXML never carries one, and an entity bomb is small enough to pass the size checks. It counts
the sheets' cells as it goes: a row of more than Excel's 16384 columns, or more cells (or
shared strings) in all than LVZHI_UPLOAD_XLSX_MAX_CELLS, is refused, since openpyxl holds a
whole row in memory (a 3.6 MB file of one 1,000,000-cell row, packed only 5:1, took 380 MB).

Why the ZIP directory can be trusted: Python's zipfile (which openpyxl reads through) never
returns more bytes for a member than the directory declares, and fails on a CRC mismatch,
so a member that lies about its size is cut short and the file is refused as corrupt.
Limits come from settings (LVZHI_UPLOAD_*, config/settings.py) at each call.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 10 * MB
DEFAULT_MAX_UNCOMPRESSED = 50 * MB
DEFAULT_MAX_RATIO = 100
DEFAULT_MAX_MEMBERS = 1000
RATIO_GRACE = 1 * MB  # a member unpacking to less than this is never a bomb by itself
HEAD_BYTES = 1024
SCAN_CHUNK = 64 * 1024
XML_SUFFIXES = (".xml", ".rels", ".vml")
DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
DEFAULT_MAX_CELLS = 500_000  # cells of all sheets (and shared strings): 5000 rows x 100 columns
MAX_ROW_CELLS = 16_384  # Excel's own limit (column XFD)
# a cell <c …>, a shared string <si …> or a row <row …>, with or without a namespace prefix
TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,20}:)?(c|si|row)[\s/>]")
TAG_CARRY = 40  # longer than any TAG match and any DTD marker: what a piece hands the next

ALIASES = {"jpeg": "jpg"}
LABELS = {
    "pdf": "PDF文件", "docx": "Word文件（.docx）", "doc": "Word文件（.doc）", "ofd": "OFD文件",
    "jpg": "JPG图片", "png": "PNG图片", "xlsx": "Excel文件（.xlsx）",
}
FOUND = {  # what the content turned out to be, for the mismatch message
    "pdf": "PDF文件", "docx": "Word文档", "xlsx": "Excel表格", "ofd": "OFD文件",
    "jpg": "JPG图片", "png": "PNG图片", "ole": "旧版Office文件（.doc/.xls）或加密的Office文件",
    "html": "网页（HTML）", "zip": "其他ZIP压缩包",
}
ZIP_PARTS: dict[str, tuple[str, ...]] = {
    "docx": ("[Content_Types].xml", "word/document.xml"),
    "xlsx": ("[Content_Types].xml", "xl/workbook.xml"),
    "ofd": ("OFD.xml",),
}
SIGNATURES = [  # (first bytes, type); ZIP is told apart by its parts
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpg"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"PK\x03\x04", "zip"),
]
HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<svg", b"<iframe",
               b"<meta")
CONTENT_TYPE = {"doc": "ole"}  # the extension's signature type, where it is not its own name
SAVE_AS_XLSX = "旧版 .xls、WPS 的 .et 或 .csv 文件请先在 Excel/WPS 中“另存为 .xlsx”后再上传。"

# ----------------------------------------------------------------------------- messages

EMPTY = "上传的文件是空的（0字节），请重新选择文件。"
TOO_LARGE = "文件过大（{size}），最多只能上传{limit}的文件。"
UNSUPPORTED = "不支持上传{ext}文件，只能上传{allowed}。"
MISMATCH = "文件内容与扩展名不符：不是{label}{found}。请上传原始文件，不要只修改扩展名。"
ZIP_BROKEN = "文件已损坏或不完整，无法作为{label}读取，请重新导出或保存后再上传。"
ZIP_ENCRYPTED = "文件已加密，无法读取。请取消密码保护后再上传。"
ZIP_METHOD = "文件使用了不支持的压缩方式（{name}），疑似异常文件，已拒绝。"
ZIP_TOO_MANY = "文件内含{n}个部件（最多{limit}个），疑似异常文件，已拒绝。"
ZIP_TOO_BIG = "文件解压后过大（约{mb} MB），疑似异常文件，已拒绝。正常文件解压后不超过{limit} MB。"
ZIP_RATIO = "文件压缩比异常（其中“{name}”解压后约为压缩前的{ratio}倍），疑似异常文件，已拒绝。"
XML_DTD = "文件中含有不允许的 XML 文档类型声明（DOCTYPE/ENTITY），疑似异常文件，已拒绝。"
ROW_CELLS = "文件中有一行超过{limit}个单元格（Excel 每行最多{limit}列），疑似异常文件，已拒绝。"
TOO_MANY_CELLS = ("文件中的单元格超过{limit}个，疑似异常文件，已拒绝。"
                  "请删去多余的行、列和工作表，或分成几个文件上传。")


class UploadError(Exception):
    """The upload is refused; `message` is for the user, in Chinese. `code` says why:
    empty, too_large, type (extension), mismatch (content), broken, encrypted, bomb."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class ZipLimits:
    max_members: int
    max_uncompressed: int
    max_ratio: float
    max_cells: int = DEFAULT_MAX_CELLS


def zip_limits() -> ZipLimits:
    return ZipLimits(
        max_members=int(getattr(settings, "LVZHI_UPLOAD_XLSX_MAX_MEMBERS", DEFAULT_MAX_MEMBERS)),
        max_uncompressed=int(getattr(settings, "LVZHI_UPLOAD_XLSX_MAX_UNCOMPRESSED",
                                     DEFAULT_MAX_UNCOMPRESSED)),
        max_ratio=float(getattr(settings, "LVZHI_UPLOAD_XLSX_MAX_RATIO", DEFAULT_MAX_RATIO)),
        max_cells=int(getattr(settings, "LVZHI_UPLOAD_XLSX_MAX_CELLS", DEFAULT_MAX_CELLS)))


def max_upload_bytes() -> int:
    """The size limit of a reply attachment or an Excel import (LVZHI_UPLOAD_MAX_BYTES)."""
    return int(getattr(settings, "LVZHI_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def size_label(n: int) -> str:
    if n >= MB:
        return f"{n / MB:.1f}".removesuffix(".0") + "MB"
    return f"{max(1, n // 1024)}KB"


# --------------------------------------------------------------------------------- ZIP

def check_zip(file: bytes | IO[bytes], required: Sequence[str] = (), *, label: str = "文件",
              limits: ZipLimits | None = None, scan_xml: bool = False) -> list[str]:
    """Refuse (UploadError) a ZIP that is not what `required` says or would unpack too far;
    returns the member names. Reads only the ZIP's directory unless `scan_xml`."""
    limits = limits or zip_limits()
    fp = io.BytesIO(file) if isinstance(file, bytes | bytearray) else file
    start = fp.tell()
    try:
        with zipfile.ZipFile(fp) as zf:
            infos = zf.infolist()
            _check_directory(infos, required, label, limits)
            if scan_xml:
                _scan_xml(zf, infos, limits)
            return [i.filename for i in infos]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError,
            NotImplementedError):
        raise UploadError(ZIP_BROKEN.format(label=label), "broken") from None
    finally:
        fp.seek(start)


def _check_directory(infos: list[zipfile.ZipInfo], required: Sequence[str], label: str,
                     limits: ZipLimits) -> None:
    if len(infos) > limits.max_members:
        raise UploadError(ZIP_TOO_MANY.format(n=len(infos), limit=limits.max_members), "bomb")
    names = {i.filename for i in infos}
    if any(part not in names for part in required):
        raise UploadError(ZIP_BROKEN.format(label=label), "mismatch")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise UploadError(ZIP_ENCRYPTED, "encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            # bzip2/lzma are decompressed a whole read at a time, before any size limit applies
            raise UploadError(ZIP_METHOD.format(name=info.filename[:60]), "bomb")
        total += info.file_size
        if total > limits.max_uncompressed:
            total = sum(i.file_size for i in infos)
            raise UploadError(ZIP_TOO_BIG.format(mb=max(1, round(total / MB)),
                                                 limit=limits.max_uncompressed // MB), "bomb")
        if info.file_size > RATIO_GRACE:
            ratio = info.file_size / max(1, info.compress_size)
            if ratio > limits.max_ratio:
                raise UploadError(ZIP_RATIO.format(name=info.filename[:60], ratio=round(ratio)),
                                  "bomb")


def _scan_xml(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    """Every XML part read once, in 64 KB pieces: no DTD, a CRC that matches, and in a
    workbook's sheets and shared strings no more cells than a real workbook could hold (a
    row of millions of cells costs openpyxl gigabytes, however well it packs)."""
    counts = {b"c": 0, b"si": 0}
    for info in infos:
        name = info.filename.lower()
        if not name.endswith(XML_SUFFIXES):
            continue
        counted = name.startswith("xl/worksheets/") or name == "xl/sharedstrings.xml"
        in_row = 0
        carry = b""
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(SCAN_CHUNK)
                buffer = carry + chunk
                if any(m in buffer for m in DTD_MARKERS):
                    raise UploadError(XML_DTD, "bomb")
                safe = len(buffer) if not chunk else max(0, len(buffer) - TAG_CARRY)
                if counted:
                    for m in TAG.finditer(buffer):
                        if m.start() >= safe:  # counted with the next piece
                            break
                        if m[1] == b"row":
                            in_row = 0
                            continue
                        counts[m[1]] += 1  # cells, and shared strings, each within the limit
                        if m[1] == b"c":
                            in_row += 1
                            if in_row > MAX_ROW_CELLS:
                                raise UploadError(ROW_CELLS.format(limit=MAX_ROW_CELLS), "bomb")
                        if counts[m[1]] > limits.max_cells:
                            raise UploadError(TOO_MANY_CELLS.format(limit=limits.max_cells),
                                              "bomb")
                if not chunk:
                    break
                carry = buffer[safe:]


# ------------------------------------------------------------------------------ uploads

def sniff(head: bytes) -> str | None:
    """What the first bytes say the file is: pdf, png, jpg, ole, zip, html; None if unknown."""
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            return kind
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(HTML_STARTS) or b"<script" in text or b"<html" in text:
        return "html"
    return None


def zip_kind(names: Iterable[str]) -> str:
    """docx, xlsx or ofd by the parts a ZIP holds; zip for any other."""
    names = set(names)
    for kind, parts in ZIP_PARTS.items():
        if all(p in names for p in parts):
            return kind
    return "zip"


def extension(name: str) -> str:
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return ALIASES.get(ext, ext)


def _allowed_text(allowed: set[str]) -> str:
    order = list(LABELS)
    ranked = sorted(allowed, key=lambda a: (order.index(a) if a in order else len(order), a))
    return "、".join(LABELS.get(a, f".{a}文件") for a in ranked)


def _size_of(file: Any) -> int | None:
    size = getattr(file, "size", None)
    if isinstance(size, int):
        return size
    try:
        here = file.tell()
        end = file.seek(0, io.SEEK_END)
        file.seek(here)
        return end
    except (AttributeError, OSError, ValueError):
        return None


def _mismatch(ext: str, found: str | None) -> UploadError:
    shown = f"，实际是{FOUND[found]}" if found in FOUND else ""
    message = MISMATCH.format(label=LABELS.get(ext, f".{ext}文件"), found=shown)
    if ext == "xlsx" and found == "ole":
        message += SAVE_AS_XLSX
    return UploadError(message, "mismatch")


def check_upload(file: IO[bytes], allowed: set[str], max_bytes: int, *,
                 name: str | None = None) -> str:
    """The type `file` really is (one of `allowed`), or UploadError with the reason in Chinese.

    `file` is an UploadedFile (or any seekable binary file with a name); it is left at its
    start. At most the first KB and, for ZIP-based types, the ZIP's directory are read:
    the size is checked from `file.size` before anything.
    """
    allowed = {ALIASES.get(a.lower(), a.lower()) for a in allowed}
    name = name if name is not None else (getattr(file, "name", "") or "")
    ext = extension(name)
    if ext not in allowed:
        message = UNSUPPORTED.format(ext=f".{ext}" if ext else "无扩展名的",
                                     allowed=_allowed_text(allowed))
        if "xlsx" in allowed and ext in {"xls", "et", "ett", "csv", "xlsm", "xlsb"}:
            message += SAVE_AS_XLSX
        raise UploadError(message, "type")
    size = _size_of(file)
    if size is not None and size > max_bytes:
        raise UploadError(TOO_LARGE.format(size=size_label(size), limit=size_label(max_bytes)),
                          "too_large")
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    if not head:
        raise UploadError(EMPTY, "empty")
    found = sniff(head)
    if found == "zip":  # which ZIP, by its parts; the limits first, and no part is read
        found = zip_kind(check_zip(file, label=LABELS.get(ext, "文件")))
    if found != CONTENT_TYPE.get(ext, ext):
        raise _mismatch(ext, found)
    return ext


def read_upload(file: IO[bytes], allowed: set[str], max_bytes: int | None = None, *,
                error: type[Exception] = UploadError) -> bytes:
    """`check_upload`, then the file's bytes (never more than `max_bytes`, the setting when
    not given). A refusal raises `error(message)`, e.g. error=InvalidInput for a view."""
    limit = max_bytes or max_upload_bytes()
    try:
        check_upload(file, allowed, limit)
    except UploadError as err:
        if error is UploadError:
            raise
        raise error(err.message) from None
    data = file.read(limit + 1)
    file.seek(0)
    if len(data) > limit:  # the reported size was wrong
        message = TOO_LARGE.format(size=f"超过{size_label(limit)}", limit=size_label(limit))
        raise (UploadError(message, "too_large") if error is UploadError else error(message))
    return data
