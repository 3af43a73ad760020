"""Materials rendered to page images for paperless reading (no plug-in, no PDF.js): a PDF by
pypdfium2, a .docx by laying its paragraphs onto A4 pages with Pillow in the CJK font. Each page
keeps the SM3 of its text, so a new version can say which pages changed. The watermark of a
confidential item is drawn on the served image, with the reader's name and the time.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache

from docx import Document
from PIL import Image, ImageDraw, ImageFont

from lvzhi.core.crypto import sm3_hex
from lvzhi.documents.qr import CJK_INDEX, font_path

PAGE = (827, 1169)  # A4 at 100 dpi: sharp on a tablet, small enough to store
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 90, 110, 100
BODY, TITLE = 22, 30
MAX_PAGES = 200
NO_LINE_START = set("，。、；：？！）》」』】”’…")


class RenderError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Page:
    png: bytes
    text_hash: str


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(font_path(), size, index=CJK_INDEX)


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.convert("L").save(buf, format="PNG", optimize=False, compress_level=6)
    return buf.getvalue()


def _hash(text: str) -> str:
    return sm3_hex(" ".join(text.split()))


def render(data: bytes, kind: str) -> list[Page]:
    if kind == "pdf":
        return pdf_pages(data)
    if kind == "docx":
        return docx_pages(data)
    raise RenderError("只能阅读PDF或Word（.docx）材料")


def pdf_pages(data: bytes) -> list[Page]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        raise RenderError("PDF文件无法打开（可能已损坏或加密），请重新导出后上传") from None
    try:
        if len(pdf) > MAX_PAGES:
            raise RenderError(f"材料超过{MAX_PAGES}页，请分册上传")
        pages = []
        for page in pdf:
            scale = PAGE[0] / page.get_width()
            img = page.render(scale=scale, grayscale=True).to_pil()
            text = page.get_textpage().get_text_bounded()
            pages.append(Page(_png(img), _hash(text)))
        return pages
    finally:
        pdf.close()


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int, indent: int) -> list[str]:
    lines, line, first = [], "", True
    for ch in text:
        room = width - (indent if first else 0)
        # 禁则: a closing mark never starts a line; it hangs at the end of the one before.
        if draw.textlength(line + ch, font=font) > room and ch not in NO_LINE_START:
            lines.append(line)
            line, first = "", False
        line += ch
    lines.append(line)
    return lines


def lay_out(paragraphs: list[tuple[str, bool]]) -> list[Page]:
    """Paragraphs (text, is_title) on A4 pages: titles centred and larger, body indented two
    characters, as a 公文 reads."""
    width = PAGE[0] - 2 * MARGIN_X
    pages: list[Page] = []
    img = draw = None
    y, texts = 0, []

    def new_page() -> None:
        nonlocal img, draw, y, texts
        if img is not None:
            _number(draw, len(pages) + 1)
            pages.append(Page(_png(img), _hash("\n".join(texts))))
        img = Image.new("L", PAGE, 255)
        draw = ImageDraw.Draw(img)
        y, texts = MARGIN_TOP, []

    new_page()
    for text, is_title in paragraphs:
        size = TITLE if is_title else BODY
        font = _font(size)
        step = int(size * 1.75)
        indent = 0 if is_title else 2 * size
        for i, line in enumerate(_wrap(draw, text, font, width, indent) if text else [""]):
            if y + step > PAGE[1] - MARGIN_BOTTOM:
                new_page()
            x = (PAGE[0] - draw.textlength(line, font=font)) / 2 if is_title else MARGIN_X + (indent if i == 0 else 0)
            draw.text((x, y), line, font=font, fill=0)
            texts.append(line)
            y += step
        y += int(size * 0.4)
        if len(pages) >= MAX_PAGES:
            raise RenderError(f"材料超过{MAX_PAGES}页，请分册上传")
    new_page()
    return pages


def _number(draw: ImageDraw.ImageDraw, n: int) -> None:
    text = f"— {n} —"
    font = _font(18)
    draw.text(((PAGE[0] - draw.textlength(text, font=font)) / 2, PAGE[1] - 70), text, font=font, fill=90)


def docx_pages(data: bytes) -> list[Page]:
    try:
        doc = Document(io.BytesIO(data))
    except Exception:  # python-docx raises several kinds on a broken package
        raise RenderError("Word文件无法打开（可能已损坏），请重新保存后上传") from None
    paragraphs: list[tuple[str, bool]] = []
    for p in doc.paragraphs:
        text = p.text.strip()
        style = (p.style.name or "").lower() if p.style is not None else ""
        centred = p.alignment is not None and int(p.alignment) == 1
        big = any(r.font.size is not None and r.font.size.pt >= 20 for r in p.runs)
        paragraphs.append((text, bool(text) and (style.startswith(("title", "heading")) or (centred and big))))
    for table in doc.tables:  # tables after the text, a row a line: readable, not a facsimile
        for row in table.rows:
            paragraphs.append(("　".join(c.text.strip() for c in row.cells), False))
    while paragraphs and not paragraphs[-1][0]:
        paragraphs.pop()
    return lay_out(paragraphs or [("（空白文档）", False)])


def watermark(png: bytes, text: str) -> bytes:
    """The reader's name tiled diagonally over the page, drawn into the pixels."""
    page = Image.open(io.BytesIO(png)).convert("RGB")
    w, h = page.size
    font = _font(34)
    tile = Image.new("L", (420, 200), 0)
    d = ImageDraw.Draw(tile)
    d.text((10, 80), text, font=font, fill=255)
    tile = tile.rotate(30, expand=True)
    mask = Image.new("L", (w, h), 0)
    for ty in range(-100, h, 260):
        for tx in range(-100 + (ty // 260 % 2) * 200, w, 400):
            mask.paste(tile, (tx, ty), tile)
    mask = mask.point(lambda v: int(v * 0.35))
    red = Image.new("RGB", (w, h), (200, 30, 30))
    page.paste(red, (0, 0), mask)
    buf = io.BytesIO()
    page.save(buf, format="PNG")
    return buf.getvalue()


def changed_pages(old: list[str], new: list[str]) -> set[int]:
    """1-based page numbers of `new` whose text differs from the same page of `old`."""
    return {i + 1 for i, h in enumerate(new) if i >= len(old) or old[i] != h}


def pages_label(numbers: set[int]) -> str:
    return "、".join(f"第{n}页" for n in sorted(numbers))


