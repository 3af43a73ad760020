"""Bringing the registry's existing regulations in, one Word (.docx) or text (.txt/.md) file each.

A file holds one regulation as the 公报 prints it: the title on the first line, the adoption notes
in brackets below it, then (目录 and) the articles:

    北辰市物业管理条例
    （2019年8月29日北辰市第十五届人民代表大会常务委员会第十九次会议通过　2019年11月28日内蒙古自治区
    第十三届人民代表大会常务委员会第十六次会议批准　根据2022年6月30日北辰市第十六届人民代表大会常务委员会
    第五次会议《关于修改〈北辰市物业管理条例〉的决定》修正　2022年9月28日……批准）
    第一章　总则
    第一条　……

The notes become the regulation's versions in order (通过 → 制定, 修正, 修订; each 批准 is the
approval of the version before it); the text is the current version's, so only the last version
carries it (the earlier texts are not in the file). "本条例自2020年1月1日起施行" in the text is
the last version's date of effect. Each file is imported on its own: one refused file (no
articles, a title already in the registry, unreadable) leaves the others and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.db import transaction

from lvzhi.cases.workflow import InvalidInput
from lvzhi.core.models import Congress, User
from lvzhi.documents.uploads import UploadError, check_upload, extension, size_label, sniff
from lvzhi.legislation import articles
from lvzhi.legislation.choices import Action, Field
from lvzhi.legislation.models import Regulation, RegulationVersion

ALLOWED = {"docx", "txt", "md"}
MAX_BYTES = 5 * 1024 * 1024

_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_STEP = re.compile(r"(通过|修正|修订|批准|废止)")
_DECISION = re.compile(r"《(关于[^》]*决定)》")
_EFFECT = re.compile(r"自\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日起施行")
STEP_ACTIONS = {"通过": Action.ENACT, "修正": Action.AMEND_DECISION, "修订": Action.REVISE, "废止": Action.REPEAL}

FIELD_WORDS = (  # 立法法 第八十一条's four matters, guessed from the title
    (Field.HERITAGE, ("历史", "文化", "名城", "文物", "遗址", "古城", "非物质")),
    (Field.ECOLOGY, ("生态", "环境保护", "污染", "流域", "湿地", "草原", "水源", "大青山", "林", "节约用水", "扬尘")),
    (Field.GOVERNANCE, ("文明", "养犬", "治理", "社区", "志愿", "物业", "矛盾", "网格", "禁毒", "见义勇为")),
)


def guess_field(title: str) -> str:
    for code, words in FIELD_WORDS:
        if any(w in title for w in words):
            return code
    return Field.URBAN


@dataclass
class Step:
    action: str
    adopted_on: dt.date
    decision: str = ""
    approved_on: dt.date | None = None
    approval_decision: str = ""


def read_notes(preamble: list[str]) -> list[Step]:
    """The versions the adoption notes tell of, oldest first."""
    text = "".join(line for line in preamble[1:] if line.strip())
    dates = list(_DATE.finditer(text))
    steps: list[Step] = []
    for k, m in enumerate(dates):
        end = dates[k + 1].start() if k + 1 < len(dates) else len(text)
        piece = text[m.end():end]
        words = _STEP.findall(piece)
        if not words:
            continue
        try:
            day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
        word = words[-1]
        if word == "批准":
            if steps and steps[-1].approved_on is None:
                steps[-1].approved_on = day
                steps[-1].approval_decision = piece[:piece.rfind("批准") + 2].strip(" 　（）()")
            continue
        decision = _DECISION.search(piece)
        steps.append(Step(STEP_ACTIONS[word], day, decision.group(1) if decision else ""))
    return steps


def effective_on(parsed: articles.Parsed) -> dt.date | None:
    for a in reversed(parsed.articles[-5:]):
        m = _EFFECT.search(a.text)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    return None


def read_file(name: str, data: bytes) -> str:
    """The file's text, one paragraph a line; InvalidInput in Chinese when it cannot be read."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext == "docx":
        import docx

        try:
            document = docx.Document(io.BytesIO(data))
        except Exception:
            raise InvalidInput("无法读取该Word文件，文件可能已损坏，请用Word另存为.docx后重新上传") from None
        return "\n".join(p.text for p in document.paragraphs)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput("无法识别该文本文件的编码，请另存为UTF-8编码后重新上传")


def _checked(f, name: str) -> bytes:
    """The file's bytes once its type is known: a Word file through the shared upload check; a
    text file by extension, size and content (no binary file renamed .txt)."""
    ext = extension(name)
    if ext == "docx":
        check_upload(f, {"docx"}, MAX_BYTES, name=name)
        return f.read(MAX_BYTES + 1)
    if ext not in ALLOWED:
        raise InvalidInput(f"不支持.{ext or '无扩展名的'}文件，请上传Word文件（.docx）或文本文件（.txt、.md）")
    data = f.read(MAX_BYTES + 1)
    if not data.strip():
        raise InvalidInput("上传的文件是空的，请检查后重新上传")
    if len(data) > MAX_BYTES:
        raise InvalidInput(f"文件过大，最多只能上传{size_label(MAX_BYTES)}的文件")
    if sniff(data[:1024]) is not None or b"\x00" in data[:4096]:
        raise InvalidInput("文件内容不是文本，请上传原始的.txt或.md文件，不要只修改扩展名")
    return data


@dataclass
class FileResult:
    filename: str
    ok: bool = False
    title: str = ""
    message: str = ""
    regulation: Regulation | None = None
    versions: list[RegulationVersion] = field(default_factory=list)
    article_count: int = 0


def import_text(actor: User | None, congress: Congress, text: str, *, filename: str = "") -> FileResult:
    """One regulation from its text, in one transaction; InvalidInput and nothing written on a refusal."""
    from lvzhi.legislation import registry_services as svc
    from lvzhi.legislation.versions import record_version

    parsed = articles.parse(text)
    title = parsed.title.strip().strip("《》")
    if not title:
        raise InvalidInput("文件第一行应为法规名称，没有读到名称")
    if not parsed.articles:
        raise InvalidInput(f"《{title}》中没有找到“第一条”这样的条文，请检查文件内容")
    steps = read_notes(parsed.preamble)
    if not steps:
        raise InvalidInput(f"《{title}》名称下的题注中没有读到“××年×月×日……通过”的日期，无法登记版本")
    if steps[0].action != Action.ENACT:
        steps[0].action = Action.ENACT  # the notes start from the first adoption, whatever the wording
    body = articles.render(articles.Parsed(preamble=[title], articles=parsed.articles))
    effect = effective_on(parsed)
    with transaction.atomic():
        reg = svc.create_regulation(actor, congress, title=title, field=guess_field(title))
        result = FileResult(filename, True, title, regulation=reg, article_count=len(parsed.articles))
        last = len(steps) - 1
        for k, step in enumerate(steps):
            current = k == last and step.action != Action.REPEAL
            result.versions.append(record_version(
                reg, step.action, step.adopted_on, text=body if current else "", decision=step.decision,
                actor=actor, text_unknown=not current, approved_on=step.approved_on,
                approval_decision=step.approval_decision,
                effective_on=effect if current and effect and effect >= step.adopted_on else None))
    notes = "、".join(f"{s.adopted_on:%Y年%-m月%-d日}{dict(Action.choices)[s.action]}" for s in steps)
    result.message = f"已导入：{len(parsed.articles)}条，{len(steps)}个版本（{notes}）"
    if parsed.problems:
        result.message += "；条文编号提示：" + "；".join(parsed.problems[:3])
    return result


def import_files(actor: User | None, congress: Congress, files: list) -> list[FileResult]:
    """Each uploaded file on its own, with the reason in Chinese for each refused one."""
    results: list[FileResult] = []
    seen: set[str] = set()
    for f in files:
        name = getattr(f, "name", "") or "未命名文件"
        try:
            data = _checked(f, name)
            text = read_file(name, data)
            title = articles.parse(text).title.strip().strip("《》")
            if title and title in seen:
                raise InvalidInput(f"本次上传中《{title}》出现了两次")
            seen.add(title)
            results.append(import_text(actor, congress, text, filename=name))
        except UploadError as exc:
            results.append(FileResult(name, False, message=exc.message))
        except InvalidInput as exc:
            results.append(FileResult(name, False, message=exc.message))
    return results
