"""QR codes and printable posters: a deputy's or a station's 代表码上见 code, a training's sign-in.

`poster(title, lines, url, fmt)` draws an A4-proportioned page (PNG, or the same page as PDF)
with the code in the middle and Chinese captions above and below; `qr_png(url)` is the bare code.
The captions need a CJK font: Noto Sans CJK (Debian's fonts-noto-cjk, scripts/system-deps.sh).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont

FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
)
CJK_INDEX = 2  # the .ttc's Simplified Chinese face (Noto Sans CJK SC)
PAGE = (1240, 1754)  # A4 at 150 dpi
RED = (178, 34, 34)
INK = (33, 37, 41)


class FontMissing(RuntimeError):
    pass


@lru_cache(maxsize=1)
def font_path() -> str:
    for path in FONT_CANDIDATES:
        if Path(path).exists():
            return path
    raise FontMissing("缺少中文字体（Noto Sans CJK），无法生成二维码海报：请安装 fonts-noto-cjk")


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(font_path(), size, index=CJK_INDEX)


def qr_image(url: str, box: int = 12) -> Image.Image:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=box, border=2)
    code.add_data(url)
    code.make(fit=True)
    return code.make_image(fill_color="black", back_color="white").get_image().convert("RGB")


def qr_png(url: str, box: int = 12) -> bytes:
    buf = io.BytesIO()
    qr_image(url, box).save(buf, format="PNG")
    return buf.getvalue()


def _centred(draw: ImageDraw.ImageDraw, y: int, text: str, size: int, fill: tuple[int, int, int],
             width: int) -> int:
    """Draw `text` centred at height y, wrapped to the page; returns the y below it."""
    font = _font(size)
    line, lines = "", []
    for ch in text:
        if draw.textlength(line + ch, font=font) > width - 160:
            lines.append(line)
            line = ""
        line += ch
    lines.append(line)
    for part in lines:
        w = draw.textlength(part, font=font)
        draw.text(((width - w) / 2, y), part, font=font, fill=fill)
        y += int(size * 1.45)
    return y


def poster(title: str, lines: Sequence[str], url: str, fmt: str = "png",
           footer: str = "") -> bytes:
    """A printable page: `title` in red, the code, then `lines` and a `footer` under it."""
    if fmt not in ("png", "pdf"):
        raise ValueError("fmt is png or pdf")
    page = Image.new("RGB", PAGE, "white")
    draw = ImageDraw.Draw(page)
    width = PAGE[0]
    draw.rectangle((40, 40, width - 40, PAGE[1] - 40), outline=RED, width=6)
    y = _centred(draw, 150, title, 72, RED, width)
    code = qr_image(url, box=16)
    side = min(760, code.width)
    code = code.resize((side, side), Image.NEAREST)
    y += 50
    page.paste(code, ((width - side) // 2, y))
    y += side + 60
    for text in lines:
        y = _centred(draw, y, text, 44, INK, width)
    if footer:
        _centred(draw, PAGE[1] - 160, footer, 32, INK, width)
    buf = io.BytesIO()
    if fmt == "pdf":
        page.save(buf, format="PDF", resolution=150.0)
    else:
        page.save(buf, format="PNG", optimize=True)
    return buf.getvalue()
