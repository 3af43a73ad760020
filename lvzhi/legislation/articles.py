"""Chinese regulation text, parsed into its chapters, sections and articles.

A regulation reads 第一章 总则 / 第一节 … / 第一条 …; an article runs until the next article,
section or chapter heading and may hold several paragraphs (款) and items (项). An amendment may
insert 第十条之一 between two articles. Text comes from a Word file, a plain-text file or the
Markdown the registry keeps (headings may carry "#" marks); the preamble before the first article
(title, adoption notes, 目录) is kept apart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
NUMERAL = "零〇一二两三四五六七八九十百千"

# A heading: 第X章 / 第X节, alone on its line (a Markdown heading's "#" marks allowed).
_HEADING = re.compile(rf"^#*\s*第([{NUMERAL}]+)(章|节)[\s\u3000]*(.*)$")
# An article starts a line: 第X条, or 第X条之Y, then a space (ASCII, full-width) or the text.
_ARTICLE = re.compile(rf"^第([{NUMERAL}]+)条(?:之([{NUMERAL}]+))?(?:[\s\u3000]+|(?=[^\s\u3000，、的规定]))(.*)$")


_SPACES = re.compile(r"[\s\u3000]+")


def cn_to_int(text: str) -> int:
    """一百二十三 → 123; 十五 → 15; 二〇 → 20 is not a numeral a statute uses, so digits-only
    strings read place by place (一〇五 → 105)."""
    if not text or any(ch not in DIGITS and ch not in UNITS for ch in text):
        raise ValueError(f"不是中文数字：{text}")
    if all(ch in DIGITS for ch in text):
        return int("".join(str(DIGITS[ch]) for ch in text))
    total, digit = 0, 0
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS[ch]
        else:
            total += (digit or 1) * UNITS[ch]
            digit = 0
    return total + digit


def int_to_cn(n: int) -> str:
    """123 → 一百二十三; 10 → 十; 110 → 一百一十; 105 → 一百零五 (as statutes number them)."""
    if n <= 0:
        raise ValueError("条号从一开始")
    names = "零一二三四五六七八九"
    if n < 10:
        return names[n]
    if n < 20:
        return "十" + (names[n - 10] if n > 10 else "")
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d:
            if zero:
                out += "零"
            out += names[d] + unit
            zero = False
        elif out:
            zero = True
    return out


@dataclass(frozen=True)
class Article:
    """One article: 第十条 is number 10; 第十条之一 is number 10, sub 1."""

    number: int
    sub: int
    text: str  # its paragraphs joined by "\n", without the 第X条 label
    chapter: str = ""  # "第二章 立法规划、计划"
    section: str = ""  # "第一节 立法权限"

    @property
    def label(self) -> str:
        return f"第{int_to_cn(self.number)}条" + (f"之{int_to_cn(self.sub)}" if self.sub else "")

    @property
    def key(self) -> str:
        """A stable anchor for pages and links: "10" or "10-1"."""
        return f"{self.number}-{self.sub}" if self.sub else str(self.number)

    @property
    def paragraphs(self) -> list[str]:
        return self.text.split("\n")


@dataclass
class Parsed:
    preamble: list[str] = field(default_factory=list)  # title, adoption notes, 目录
    articles: list[Article] = field(default_factory=list)
    chapters: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # numbering gaps, repeats: said, not fatal

    @property
    def title(self) -> str:
        return next((line.lstrip("#").strip() for line in self.preamble if line.strip()), "")

    def get(self, key: str) -> Article | None:
        return next((a for a in self.articles if a.key == key), None)


def _lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    out = []
    for raw in text.split("\n"):
        line = raw.strip().strip("\u3000").strip()
        if not line or line.startswith("<!--"):
            continue
        out.append(line)
    return out


def parse(text: str) -> Parsed:
    """The articles of a regulation's text, in order, each with its chapter and section."""
    result = Parsed()
    chapter = section = ""
    current: dict | None = None
    in_contents = False

    def close() -> None:
        nonlocal current
        if current is not None:
            result.articles.append(Article(current["number"], current["sub"], "\n".join(current["paras"]).strip(),
                                           current["chapter"], current["section"]))
            current = None

    for line in _lines(text):
        if line.lstrip("#").strip() == "目录" and not result.articles:
            in_contents = True
            result.preamble.append(line.lstrip("#").strip())
            continue
        heading = _HEADING.match(line)
        if heading:
            words = _SPACES.sub("", heading.group(3))  # "总 则" → "总则"
            name = f"第{heading.group(1)}{heading.group(2)} {words}".strip()
            if in_contents and not result.articles and current is None:
                # 目录 lists the chapters again before the text proper; the first article ends it
                if heading.group(2) == "章" and name in result.chapters:
                    in_contents = False
                    result.chapters.clear()
                else:
                    result.preamble.append(name)
                    if heading.group(2) == "章":
                        result.chapters.append(name)
                    continue
            close()
            if heading.group(2) == "章":
                chapter, section = name, ""
                result.chapters.append(name)
            else:
                section = name
            continue
        article = _ARTICLE.match(line)
        if article:
            close()
            in_contents = False
            current = {"number": cn_to_int(article.group(1)),
                       "sub": cn_to_int(article.group(2)) if article.group(2) else 0,
                       "paras": [article.group(3).strip()] if article.group(3).strip() else [],
                       "chapter": chapter, "section": section}
            continue
        if current is None:
            result.preamble.append(line)
        else:
            current["paras"].append(line)
    close()
    _check_numbering(result)
    return result


def _check_numbering(result: Parsed) -> None:
    expected = 1
    seen: set[str] = set()
    for a in result.articles:
        if a.key in seen:
            result.problems.append(f"{a.label}重复出现")
        seen.add(a.key)
        if a.sub:
            continue
        if a.number != expected:
            result.problems.append(f"{a.label}前缺少第{int_to_cn(expected)}条" if a.number > expected
                                   else f"{a.label}的顺序不对")
        expected = a.number + 1


def render(parsed: Parsed) -> str:
    """Back to plain text, one paragraph a line: what a version keeps as its full text."""
    out = list(parsed.preamble)
    chapter = section = None
    for a in parsed.articles:
        if a.chapter != chapter and a.chapter:
            out.append(a.chapter)
        if a.section != section and a.section:
            out.append(a.section)
        chapter, section = a.chapter, a.section
        paras = a.paragraphs
        out.append(f"{a.label}　{paras[0]}" if paras else a.label)
        out.extend(paras[1:])
    return "\n".join(out)


def compose(title: str, chapters: Sequence[tuple[str, Sequence[str]]]) -> str:
    """A text from its chapters' names and articles, numbered in order (第一章, 第一条 …): how the
    demo writes its drafts and regulations. An article's further paragraphs follow a "\n"."""
    parsed, n = Parsed(preamble=[title]), 0
    for i, (name, bodies) in enumerate(chapters, start=1):
        chapter = f"第{int_to_cn(i)}章　{name}"
        parsed.chapters.append(chapter)
        for body in bodies:
            n += 1
            parsed.articles.append(Article(n, 0, body, chapter=chapter))
    return render(parsed)
