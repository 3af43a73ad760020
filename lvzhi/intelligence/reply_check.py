"""Check a unit's draft reply before it goes out: does it answer the case, or is it a form
letter without a measure, a date or an office, or is it late?

Flags are advice for the unit head, not a verdict: each carries a Chinese message that says
what to look at. Relevance is a 0–1 score mixing how many of the case's key words the reply
takes up and the sentence-encoder cosine of the two texts (see ``relevance``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from .text import content_words, join_title_body, normalize, split_sentences

__all__ = [
    "DEFAULT_REPLY_DAYS",
    "LOW_RELEVANCE",
    "Flag",
    "ReplyCheck",
    "check_reply",
    "relevance",
]

# Below this the reply shares almost nothing with the case (see docs for the distribution on
# real vs shuffled pairs).
LOW_RELEVANCE = 0.25
# Used only when no due date is given: the message board's rule of 15 days to reply.
DEFAULT_REPLY_DAYS = 15
# A reply with less than this many characters of substance (after greetings, thanks and
# "来信收悉" formulas are removed) is a form letter.
MIN_SUBSTANCE_CHARS = 40


@dataclass(frozen=True)
class Flag:
    code: str  # low_relevance | boilerplate | no_concrete_commitment | late
    message: str


@dataclass
class ReplyCheck:
    relevance: float
    flags: list[Flag] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def codes(self) -> list[str]:
        return [f.code for f in self.flags]


# Sentences (or clauses) that every reply carries whatever the case: greetings, thanks,
# acknowledgements, closings. Removing them leaves the substance.
_FORMULA = re.compile(
    r"(网友[“\"][^”\"]*[”\"]|您好|你好|网友|市民|同志|来信(已)?收悉|留言(已)?收悉|已收悉|感谢您?(对我们工作)?的?(关心|关注|支持|信任|理解|监督)"
    r"|谢谢|特此(回复|答复)|现(将有关情况)?(回复|答复)如下|回复如下|答复如下|此复|祝您?(生活愉快|身体健康|工作顺利)"
    r"|欢迎(您)?(继续)?(关注|监督)|如有疑问|如有其他问题|咨询电话|联系电话|高度重视|立即组织|认真(调查|研究|核实)"
    r"|现将.{0,20}(情况|结果).{0,6}(回复|答复)|\d{4}年\d{1,2}月\d{1,2}日)"
)
_MEASURE = re.compile(
    r"(已|将|正在|立即|责令|要求|督促|安排|组织|协调|启动|开展|完成|纳入|计划|拟|下一步|目前)"
    r".{0,12}(整改|处理|处置|维修|修复|修缮|拆除|清理|清运|查处|处罚|立案|调查|核查|检查|约谈|督办|施工|改造|建设|补发|发放|退还|办理|解决|安装|更换|疏通|关停|停业|罚款|协调|答复|规范|取缔|纠正|补缴|兑现|落实)"
)
_TIME = re.compile(
    r"(\d{4}年(\d{1,2}月)?|\d{1,2}月(\d{1,2}日|底|中旬|上旬|下旬|份)?|\d+个?(工作日|日|天|周|月)内"
    r"|年底|月底|年内|本月|下月|近日|目前已|已于|春节前|年前|汛期前|开学前)"
)
_OFFICE = re.compile(
    r"([\u4e00-\u9fffA-Za-z0-9]{1,12}(局|委员会|委|办公室|办事处|街道|社区|中心|支队|大队|中队|派出所|公司|政府|管理处|管委会|医院|学校|所|站|院))"
)


def _as_date(value: date | datetime | str | None) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"无法识别的日期：{value!r}")


def substance(reply_text: str) -> str:
    """The reply minus greetings, thanks and formulas: what it actually says."""
    kept = []
    for sent in split_sentences(normalize(reply_text)):
        rest = _FORMULA.sub("", sent)
        rest = re.sub(r"[\W_]+", "", rest)
        if len(rest) >= 6:
            kept.append(rest)
    return "".join(kept)


def _title_and_body(case_title: str, case_body: str) -> tuple[str, str]:
    title = normalize(case_title)
    body = normalize(case_body)
    if not title:
        # Title joined into the body: take its first clause as the title.
        sents = split_sentences(body)
        title = re.split(r"[，,]", sents[0])[0][:40] if sents else ""
    return title, body


def _body_keys(body: str, n: int = 20) -> list[str]:
    # The most repeated (then longest) content words: what the body keeps talking about.
    counts = Counter(content_words(body))
    return [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], -len(kv[0])))[:n]]


def strip_quoted_title(reply: str, title: str) -> str:
    """A reply that opens "您提出的《关于…的建议》收悉" restates the title without being about
    it: drop the title and any 《…》 that mostly repeats it before measuring relevance."""
    keys = set(content_words(title))
    if title:
        reply = reply.replace(title, "")

    def quoted(m: re.Match) -> str:
        inner = set(content_words(m.group(1)))
        return "" if keys and len(inner & keys) >= max(1, len(keys) // 2) else m.group(0)

    return re.sub(r"《([^》]{2,80})》", quoted, reply)


def relevance(case_title: str, case_body: str, reply_text: str, use_embeddings: bool = True) -> float:
    """0–1: how much the reply is about the case.

    Coverage = share of the case's key words that the reply mentions (replies usually name
    the place and the problem); the sentence-encoder cosine catches replies that paraphrase.
    """
    title, body = _title_and_body(case_title, case_body)
    case_text = normalize(join_title_body(case_title, case_body))
    reply = strip_quoted_title(normalize(reply_text), title)
    if not reply or not case_text:
        return 0.0
    title_keys = set(content_words(title))
    body_keys = _body_keys(body)
    cov_title = sum(1 for k in title_keys if k in reply) / len(title_keys) if title_keys else 0.0
    cov_body = sum(1 for k in body_keys if k in reply) / len(body_keys) if body_keys else 0.0
    # The title names the matter; replies usually restate it.
    coverage = 0.6 * cov_title + 0.4 * cov_body if title_keys else cov_body
    if not use_embeddings:
        return round(coverage, 4)
    from .embeddings import encode

    vecs = encode([case_text, reply])
    cos = float(vecs[0] @ vecs[1])
    # USE cosines of unrelated Chinese texts sit around 0.25; map [0.25, 0.75] to [0, 1].
    sem = min(1.0, max(0.0, (cos - 0.25) / 0.5))
    return round(0.6 * coverage + 0.4 * sem, 4)


def check_reply(
    case_title: str,
    case_body: str,
    reply_text: str,
    assigned_on: date | datetime | str | None = None,
    replied_on: date | datetime | str | None = None,
    due_on: date | datetime | str | None = None,
    *,
    today: date | None = None,
    use_embeddings: bool = True,
    expects_action: bool = True,
) -> ReplyCheck:
    """Run every check; ``flags`` is empty for a reply that looks fine.

    ``expects_action=False`` for a reply that need not promise a measure: one explaining why
    nothing can be done now (class C/D), or one whose promises are listed apart with dates."""
    flags: list[Flag] = []
    reply = normalize(reply_text)
    core = substance(reply_text or "")
    rel = relevance(case_title, case_body, reply_text or "", use_embeddings=use_embeddings) if reply else 0.0
    details: dict[str, Any] = {"substance_chars": len(core)}

    if not reply:
        flags.append(Flag("boilerplate", "答复内容为空，请补充对所提问题的具体答复"))
    elif len(core) < MIN_SUBSTANCE_CHARS:
        flags.append(
            Flag(
                "boilerplate",
                f"答复基本为套话（去掉问候、致谢等格式语后仅剩 {len(core)} 字），请针对所提问题作实质答复",
            )
        )
    if reply and rel < LOW_RELEVANCE:
        flags.append(Flag("low_relevance", f"答复与建议内容关联度低（{rel:.2f}），请核对是否答非所问"))

    if reply and expects_action:
        has_measure = bool(_MEASURE.search(reply))
        has_time = bool(_TIME.search(core))
        has_office = bool(_OFFICE.search(reply))
        details.update(has_measure=has_measure, has_time=has_time, has_office=has_office)
        missing = [
            name for name, ok in (("具体措施", has_measure), ("办理时限", has_time), ("责任单位", has_office)) if not ok
        ]
        # A reply may explain a policy without a date; it needs at least a measure and one of
        # time/office to count as a commitment.
        if not has_measure or len(missing) >= 2:
            flags.append(
                Flag(
                    "no_concrete_commitment",
                    f"答复缺少具体承诺：未写明{'、'.join(missing)}，请写清由谁、采取什么措施、何时办结",
                )
            )

    assigned = _as_date(assigned_on)
    replied = _as_date(replied_on)
    due = _as_date(due_on)
    if due is None and assigned is not None:
        due = assigned + timedelta(days=DEFAULT_REPLY_DAYS)
    if due is not None:
        details["due_on"] = due.isoformat()
        if replied is not None and replied > due:
            days = (replied - due).days
            msg = f"答复逾期 {days} 天（应于 {due.isoformat()} 前答复，实际 {replied.isoformat()}）"
            flags.append(Flag("late", msg))
        elif replied is None and (today or date.today()) > due:
            days = ((today or date.today()) - due).days
            flags.append(Flag("late", f"已逾期 {days} 天未答复（应于 {due.isoformat()} 前答复）"))
    return ReplyCheck(relevance=rel, flags=flags, details=details)
