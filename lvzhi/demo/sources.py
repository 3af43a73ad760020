"""The real citizens' messages and government replies, rewritten for 北辰市.

The messages become deputies' suggestions (a title a deputy would write, "关于…的建议", made from
the message's own subject line; the citizen's words quoted as the problem, advice added). The
replies of replies.csv come with the message they answer: that message becomes a suggestion and
its real reply the unit's answer letter; a suggestion from a message without a reply is answered
with the reply of the most similar message of the same field (:class:`ReplyMatcher`), or not at
all when none is similar enough. No Django import.
"""

from __future__ import annotations

import csv
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lvzhi import realdata
from lvzhi.demo.data import CITY, DISTRICTS, HOT_REPLACE, PROVINCE, UNITS
from lvzhi.testing_text import ALLOWED

DISTRICT_NAMES = [d for d, *_ in DISTRICTS]
COUNTIES = [d for d in DISTRICT_NAMES if d.endswith("县")]
URBAN = [d for d in DISTRICT_NAMES if d.endswith("区")]

_SUB_PLACE = re.compile(r"(?<![A-Za-z0-9])([A-M])(\d{1,2})\s?(区|县|市)")
_CITY = re.compile(r"(?<![A-Za-z0-9])[A-M]市")
_USER_ID = re.compile(r"[“\"]?[A-Z]{1,2}\d{3,}[”\"]?")
_SALUTATION = re.compile(r"^[^。！!]{0,40}?(您好|你好)[！!，,。]\s*")
_TRAILING_DATE = re.compile(r"[\s　]*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日[。\s]*$")
_GREETING = re.compile(
    r"^(尊敬的[^，,：:！!]{0,12}[，,：:！!]|[^，,：:！!。]{0,8}(书记|市长|局长|厅长|主任|领导|县长|区长)"
    r"[^，,：:！!。]{0,4}[，,：:！!]\s*)?(您好|你们好|你好)?[！!，,。：:\s]*")
_REPLY_HEAD = re.compile(r"^.{0,220}?(现将[^。：:]{0,30})?(回复|答复|反馈)如下[：:]")
_GLUED = re.compile(r"[！!。]\s*\d{4}年\d{1,2}月\d{1,2}日\s*\S")  # two replies run together
_REPLY_THANKS = re.compile(r"(?:(?<=[。！!；;])|^)\s*(以上[^。！!；;]{0,20}[，,])?[^。！!；;，,]{0,8}?"
                           r"(感谢|谢谢|欢迎)[^。！!]{0,80}[。！!]?$")
_REPLY_SIGNATURE = re.compile(r"([。！!；;])\s*[^。！!，,；;：:\s]{2,24}(局|委员会|委|办公室|办|政府|中心|公司|"
                              r"支队|大队|街道|分局|医院|学校|管委会|工作组|社区)\s*$")
_END_PUNCT = re.compile(r"[！!？?。…~～\s.]+$")
_SPLIT = re.compile(r"[，,；;！!？?。]")

ACTION_VERBS = ("切实解决", "加强", "加快", "规范", "解决", "整治", "完善", "提高", "增设", "治理", "取缔", "落实",
                "优化", "改善", "尽快", "严查", "整顿", "增加", "开通", "修建", "推进", "调整", "制止", "处理", "降低")


@dataclass(frozen=True)
class Message:
    id: str
    title: str      # the original title, localised
    body: str       # the citizen's words, localised, greeting removed
    category: str   # the real label (a message of replies.csv: the field predicted from its words)
    title_as_deputy: str = ""  # deputy_title() of it
    reply: str = ""  # the government's real answer to this very message, cleaned ("" if none)


@dataclass(frozen=True)
class ReplyText:
    id: str
    topic: str      # the field of the message it answers
    core: str       # the answer with the original salutation, date, thanks and signature removed
    question: str = ""  # the message it answers (title and opening), to match replies by topic


# A run of two or more Latin letters: in the real data an anonymised web address
# ("https://baidu.com/" standing for a figure), a masked e-mail, a unit (km, kV) or an English
# abbreviation (PPP, KTV). A clerk's screen reads Chinese, so a text with one is not used.
_LATIN = re.compile(r"[A-Za-z]{2,}")


def latin_words(text: str) -> list[str]:
    """The Latin-letter words of `text` outside the platform's allowlist of proper nouns."""
    return [w for w in _LATIN.findall(text) if w not in ALLOWED and w.upper() not in ALLOWED]


def localise(text: str, district: str | None = None) -> str:
    """A市 → 北辰市, A3区 → one of our districts (the same code always the same name, or
    `district` for every code when the messages are about one place)."""
    text = text.replace("_x000D_", "")  # Excel's escaped carriage return, left in the export

    def sub_place(m: re.Match) -> str:
        if district:
            return district
        letter, number, suffix = m.group(1), int(m.group(2)), m.group(3)
        if suffix == "县":
            return COUNTIES[(ord(letter) + number) % len(COUNTIES)]
        return URBAN[(ord(letter) + number) % len(URBAN)]

    text = _SUB_PLACE.sub(sub_place, text)
    text = _CITY.sub(CITY, text)
    text = text.replace("西地省", PROVINCE).replace("问政" + PROVINCE, "问政北辰")
    return text


# ---------------------------------------------------------------------------- deputies' titles

# What a citizen puts before the matter ("投诉", "请问", "关于") and after it ("的问题", "怎么办").
_TITLE_LEADING = re.compile(
    r"^(关于|建议|我建议|强烈建议|再谈|再论|再次|紧急|实名|强烈|请求|恳请|恳求|呼吁|要求|希望|投诉|举报|反映|咨询|"
    r"请问|询问|求助|揭露|提请|请|对于|针对|急需|亟需|亟待|坚决|"
    r"(北辰市)?(市|县|区)?政府(相关|有关)?部门|(北辰市)?(相关|有关)部门)[:：，,\s]*")
_TITLE_TRAILING = re.compile(
    r"(的?(问题|建议|意见|情况|现象|事宜|一事|事件|请示|反映|投诉|举报|咨询|求助|诉求))+$|[的之和与及]+$")
_TITLE_SPLIT = re.compile(r"[，,；;！!？?。：:\s（）()【】\[\]]+|——|\.\.\.|…+")
# A clause that asks, pleads, addresses someone or speaks in the first person is a citizen's
# sentence, not a deputy's subject: it is rejected and another sentence of the message tried.
_TITLE_REJECT = re.compile(
    r"什么|吗|么|怎|为何|为啥|是否|能否|可否|能不能|可不可以|是不是|有没有|何时|何处|何在|如何|哪|多少|谁|咋|几时|"
    r"我|您|你|咱|俺|本人|大家|网友|(?<!申)请|望|恳|(?<![要需追诉])求|谢|领导|书记|市长|厅长|局长|县长|区长|主任|"
    r"啊|呀|吧|呢|嘛|哦|啦|了(?!解)|太|真是|简直|竟|居然|到底|究竟|天理|良心|忽悠|坑|黑心|死活|堪忧|如此|"
    r"一下|一事|回复|答复|销号|关于|建议|问题|诉求|以下|如下|这|那|此|该|几|反对|抗议|曝光|质疑|投诉|举报|报告|诉状|悲惨|提问|"
    r"(?<![智功性可技效体热核动电])能(?![源力耗效])|"
    r"[^\u4e00-\u9fff0-9、·]")
_DOUBLED = re.compile(r"([\u4e00-\u9fff]{2})\1")  # "贷款贷款"
# A body sentence stands in for a failed subject line only if it names a place and a problem.
_BODY_PLACE = re.compile(r"区|县|镇|乡|村|街道|小区|路|街|学校|医院|公司|市场|广场|公园|车站|社区|幼儿园|中学|小学")
_BODY_PROBLEM = re.compile(r"扰民|污染|拖欠|欠薪|违规|违建|违章|乱收费|故障|积水|占道|隐患|不足|破损|停水|停电|"
                           r"漏水|异味|臭|粉尘|扬尘|垃圾|排放|直排|超标|难")
_TITLE_BAD_START = tuple("的和与及了在对把被让给从向为是有要也都就还而或并且内中上下里")
_TITLE_BAD_END = tuple("的和与及了在对把被将让给从向为是有要也都就还而或并且又很更最")
# Plain words for a citizen's "太少" / "太贵", so the subject reads as a deputy writes it.
_PLAIN = [("太少", "不足"), ("太多", "过多"), ("太贵", "偏高"), ("太高", "过高"), ("太低", "偏低"), ("太差", "较差"),
          ("太大", "过大"), ("太慢", "缓慢"), ("太长", "过长"), ("太乱", "混乱"), ("太难", "困难"), ("乱象", "不规范"),
          ("快点", "尽快"), ("很大", "较大"), ("很多", "较多"), ("很差", "较差")]
# A subject that already says what to do is framed as it is: "关于加强…的建议".
TITLE_VERBS = ACTION_VERBS + (
    "保护", "设立", "建设", "恢复", "延长", "加大", "出台", "明确", "简化", "重视", "彻查", "查处", "打击", "减少",
    "开放", "统一", "放宽", "提升", "新建", "扩建", "改造", "拓宽", "取消", "制定", "建立", "增设", "规划", "支持",
    "保障", "落实", "严厉", "依法", "合理", "科学", "进一步", "全面", "加装", "安装", "设置", "延伸", "修复", "硬化",
    "保留", "整修", "督促", "立即", "及时", "禁止", "严禁", "清理", "拆除", "搬迁", "维修", "补发", "公开", "核查",
    "调查", "归还", "免费", "重新", "撤销", "暂停", "停止", "纠正", "解绑", "修订", "修改", "允许", "鼓励", "查办",
    "疏通", "增开", "开展", "改变", "将")
# A subject with a place or body before its verb ("北辰市建立护理保险制度") says what to do, too,
# unless it tells of a wrong ("设置不合理", "违规改造"), which is a problem to solve.
_MID_VERBS = ("建立", "开通", "保护", "整治", "设立", "增设", "加强", "加快", "规范", "提高", "完善", "延长", "取消",
              "恢复", "进行", "疏通", "出台", "制定", "落实", "推进", "改善", "优化", "增开", "修建", "新建", "扩建",
              "治理", "开展")
_WRONG = re.compile(r"不|未|没有|违规|违法|拖欠|强迫|强制|变相|乱|非法|无序|困难|损坏|严重")
# "东江城市管理亟待加强" → "加强东江城市管理".
_NEEDS = re.compile(r"^(.{4,})(亟待|有待|亟需|急需|需要|应当|应)(加强|规范|完善|提高|改善|解决|整治)$")
_SOLVE = ("解决", "尽快解决", "妥善解决", "切实解决")
TITLE_MIN, TITLE_MAX = 10, 40


def _subject_candidates(title: str, body: str) -> Iterator[tuple[str, bool]]:
    """The message's own clauses, its subject line first, then the body's opening sentences
    (each with whether it comes from the body)."""
    for source, from_body in ((title, False), (body[:240], True)):
        text = localise(source).replace("_x000D_", "")
        for clause in _TITLE_SPLIT.split(text):
            yield clause, from_body


def _clean_subject(clause: str) -> str:
    core = clause.strip().strip("“”\"'《》 、")
    for _ in range(3):
        core = _TITLE_LEADING.sub("", core)
    if core.startswith(CITY) and core[len(CITY):].startswith(tuple(DISTRICT_NAMES)):
        core = core[len(CITY):]  # "北辰市城东区…": the district says where
    for d in DISTRICT_NAMES:  # "临河县临河县镇", "临河县县": a doubled place from the anonymised codes
        core = core.replace(d + d, d).replace(d + d[-1], d)
    for old, new in _PLAIN:
        core = core.replace(old, new)
    core = core.replace("好好", "")
    if m := _NEEDS.match(core):
        core = m.group(3) + m.group(1)
    for _ in range(2):
        core = _TITLE_TRAILING.sub("", core)
    return core


def subject_ok(core: str) -> bool:
    """A clean subject phrase: long enough to say something, short enough for a title, no
    question, plea, first person, colloquial particle, Latin letters or dangling function word."""
    return (5 <= len(core) <= TITLE_MAX - 9 and not _TITLE_REJECT.search(core)
            and not core.startswith(_TITLE_BAD_START) and not core.endswith(_TITLE_BAD_END)
            and not core[-1].isdigit() and not _DOUBLED.search(core)
            and not re.search(r"(.)\1\1", core) and sum(d in core for d in DISTRICT_NAMES) <= 1)


def _frame(core: str, kind: str, variant: int) -> str:
    end = "的议案" if kind == "motion" else "的建议"
    acts = core.startswith(TITLE_VERBS) or "尽快" in core[2:] or (
        any(v in core[2:] for v in _MID_VERBS) and not _WRONG.search(core))
    if core.startswith(_SOLVE):  # "解决X问题": the trailing 问题 was dropped with the citizen's words
        had = max((v for v in _SOLVE if core.startswith(v)), key=len)
        verb = _SOLVE[(_SOLVE.index(had) + variant) % len(_SOLVE)]
        return f"关于{verb}{core.removeprefix(had)}问题{end}"
    if acts and not core.startswith(TITLE_VERBS):
        return f"关于{core}{end}" if not variant else f"关于推动{core}{end}"
    if acts:
        return f"关于进一步{core}{end}" if variant and not core.startswith("进一步") else f"关于{core}{end}"
    # Varied like real titles, and the same message always gets the same words.
    pick = (zlib.crc32(core.encode()) + variant) % (len(_SOLVE) + 1)
    return f"关于{core}问题{end}" if pick == len(_SOLVE) else f"关于{_SOLVE[pick]}{core}问题{end}"


def deputy_title(title: str, body: str = "", kind: str = "suggestion", variant: int = 0) -> str | None:
    """A deputy's title for a citizen's message, "关于……的建议" ("……的议案" for a motion), made
    from the first clause of its subject line or body that passes :func:`subject_ok`; None when
    none does (the message is then not used). Deterministic; `variant` words it another way."""
    for clause, from_body in _subject_candidates(title, body):
        core = _clean_subject(clause)
        if from_body and not (len(core) >= 10 and any(d in core for d in DISTRICT_NAMES)
                              and _BODY_PLACE.search(core) and _BODY_PROBLEM.search(core)):
            continue
        if subject_ok(core):
            out = _frame(core, kind, variant)
            if TITLE_MIN <= len(out) <= TITLE_MAX:
                return out
    return None


def subject_of(title: str) -> str:
    """The matter a deputy's title names, for the letters about it: "关于尽快解决X问题的建议" → "X"."""
    core = title.removeprefix("关于").removesuffix("的建议").removesuffix("的议案")
    for verb in sorted(_SOLVE, key=len, reverse=True):
        if core.startswith(verb):
            core = core[len(verb):]
            break
    return core.removesuffix("问题") or core


TITLE_PATTERN = re.compile(r"^关于[\u4e00-\u9fff0-9、·]{4,35}的(建议|议案)$")


def title_problems(title: str) -> list[str]:
    """What is wrong with a deputy's title, as a reader would say it (empty when it reads well)."""
    problems = []
    if not TITLE_PATTERN.match(title):
        problems.append("不符合“关于……的建议/议案”格式")
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        problems.append(f"长度{len(title)}字")
    for bad in ("关于的", "的建议的建议", "问题的建议问题", "问题问题", "的的", "关于关于", "建议的建议", "解决解决"):
        if bad in title:
            problems.append(f"含“{bad}”")
    if re.search(r"[A-Za-z]", title):
        problems.append("含英文字母")
    if _DOUBLED.search(title):
        problems.append("词语重复")
    core = title.removeprefix("关于").removesuffix("的建议").removesuffix("的议案")
    if core.endswith(_TITLE_BAD_END) or core.startswith(_TITLE_BAD_START):
        problems.append("主题以虚词开头或结尾（像被截断）")
    return problems


def clean_body(body: str, district: str | None = None) -> str:
    text = localise(body, district).strip()
    text = _GREETING.sub("", text, count=1).strip()
    return re.sub(r"\s*\n\s*", "\n", text)


def clean_reply(reply: str) -> str:
    text = localise(reply).strip()
    text = _USER_ID.sub("", text)
    text = _SALUTATION.sub("", text, count=1)
    text = _REPLY_HEAD.sub("", text, count=1).strip()
    text = _TRAILING_DATE.sub("", text).strip()
    text = text.replace("网友", "代表").replace("市民同志", "代表").replace("留言", "建议")
    # The demo letter adds its own thanks and signature; drop the original's at the end.
    for _ in range(3):
        text = _REPLY_SIGNATURE.sub(r"\1", text).strip()
        text = _TRAILING_DATE.sub("", text).strip()
        text = _REPLY_THANKS.sub("", text).strip()
    return re.sub(r"\s*\n\s*", "\n　　", text)


def load_messages(data_dir: Path, min_body: int = 50, max_body: int = 1600) -> list[Message]:
    """Messages of messages_dev.csv with a separate title, a body long enough to be a suggestion,
    and a subject a deputy's title can be made of."""
    out = []
    with realdata.open_csv("messages_dev", data_dir) as f:
        for row in csv.DictReader(f):
            title, body = row["title"].strip(), row["body"].strip()
            if not title or not (min_body <= len(body) <= max_body):
                continue
            cleaned = clean_body(body)
            deputy = deputy_title(title, cleaned)
            if len(cleaned) < min_body or deputy is None or latin_words(cleaned):
                continue
            out.append(Message(row["id"], localise(title), cleaned, row["label"], deputy))
    return out


class FieldModel:
    """The field (messages_dev's seven labels) of a message that has none, from its words:
    character 1–2-gram TF-IDF and a linear classifier trained on every labelled message."""

    def __init__(self, data_dir: Path) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.svm import LinearSVC

        texts, labels = [], []
        with realdata.open_csv("messages_dev", data_dir) as f:
            for row in csv.DictReader(f):
                texts.append(row["title"] + " " + row["body"][:400])
                labels.append(row["label"])
        self._vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True, min_df=2)
        self._svm = LinearSVC(C=0.5, random_state=0, class_weight="balanced")
        self._svm.fit(self._vec.fit_transform(texts), labels)

    def predict(self, texts: list[str]) -> list[str]:
        """The field of each text, or "" when no field's classifier claims it (margin below 0)."""
        if not texts:
            return []
        scores = self._svm.decision_function(self._vec.transform(texts))
        best = scores.argmax(axis=1)
        return [str(self._svm.classes_[j]) if scores[i, j] > 0 else "" for i, j in enumerate(best)]


def keyword_field(text: str) -> str:
    """The field of the unit whose routing words the text names clearly most often ("" when no
    unit stands out): a message about the 136路公交车 belongs to 交通运输 whatever the model says,
    so that the unit it is assigned to is the kind of unit that wrote its real reply."""
    scores: dict[str, int] = {}
    for _name, _short, field, words in UNITS:
        scores[field] = max(scores.get(field, 0), sum(text.count(w) for w in words))
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    (best, top), (_f, second) = ranked[0], ranked[1]
    return best if top >= 2 and top > second else ""


def _balanced(text: str) -> bool:
    """Every quotation mark and book-title mark closed: an open one means the export cut the reply."""
    return all(text.count(a) == text.count(b) for a, b in ("“”", "《》", "（）", "<>", "〈〉"))


def load_reply_pairs(data_dir: Path, min_len: int = 80, max_len: int = 1500, min_body: int = 50,
                     max_body: int = 1600) -> tuple[list[Message], list[ReplyText]]:
    """The messages of replies.csv with the real reply to each: (those usable as suggestions,
    each carrying its own reply; every usable reply, to answer other suggestions of its field)."""
    rows = []
    with realdata.open_csv("replies", data_dir) as f:
        for row in csv.DictReader(f):
            core = clean_reply(row["reply"])
            if not (min_len <= len(core) <= max_len) or "0000" in core or "转有关部门" in core \
                    or _GLUED.search(core) or not _balanced(core) or latin_words(core):
                continue
            rows.append((row, core))
    fields = FieldModel(data_dir).predict([r["title"] + " " + r["body"][:400] for r, _ in rows])
    messages, pool = [], []
    for (row, core), field in zip(rows, fields, strict=True):
        field = keyword_field(row["title"] * 2 + row["body"][:300]) or field
        if not field:
            continue
        title, body = localise(row["title"].strip()), clean_body(row["body"].strip())
        pool.append(ReplyText(row["id"], field, core, title + " " + body[:300]))
        usable = title and min_body <= len(body) <= max_body and not latin_words(body)
        deputy = deputy_title(title, body) if usable else None
        if deputy is not None:
            messages.append(Message(row["id"], title, body, field, deputy, core))
    return messages, pool


def load_replies(data_dir: Path, min_len: int = 80, max_len: int = 1500) -> list[ReplyText]:
    return load_reply_pairs(data_dir, min_len, max_len)[1]


# Character 2–3-gram TF-IDF cosine between two citizens' messages: at 0.15 and above they are
# about the same matter (the same kind of place and complaint); read against samples, see tests.
REPLY_MATCH_THRESHOLD = 0.15


@dataclass(frozen=True)
class ReplyChoice:
    reply: ReplyText
    score: float        # similarity of the two messages (1.0: the reply to this very message)
    same_message: bool


class ReplyMatcher:
    """Chooses the real reply a suggestion gets: its own message's reply, else the reply to the
    most similar message of the same field, preferring one not given yet; None below the threshold."""

    def __init__(self, pool: Iterable[ReplyText], threshold: float = REPLY_MATCH_THRESHOLD) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.pool = list(pool)
        self.threshold = threshold
        self._vec = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True, lowercase=False)
        self._matrix = self._vec.fit_transform([r.question for r in self.pool])
        self._fields = np.array([r.topic for r in self.pool])
        self._ids = np.array([r.id for r in self.pool])
        self._used: set[str] = set()

    def choose(self, text: str, field: str, own: Message | None = None,
               exclude: Iterable[str] = ()) -> ReplyChoice | None:
        if own is not None and own.reply and own.id not in set(exclude):
            self._used.add(own.id)
            return ReplyChoice(ReplyText(own.id, own.category, own.reply, own.title), 1.0, True)
        if not self.pool:
            return None
        scores = (self._matrix @ self._vec.transform([text]).T).toarray().ravel()
        scores[self._fields != field] = -1.0
        skip = set(exclude) | ({own.id} if own is not None else set())
        scores[np.isin(self._ids, list(skip))] = -1.0
        order = np.argsort(-scores, kind="stable")
        fitting = [i for i in order[:40] if scores[i] >= self.threshold]
        if not fitting:
            return None
        i = next((i for i in fitting if self._ids[i] not in self._used), fitting[0])
        self._used.add(str(self._ids[i]))
        return ReplyChoice(self.pool[i], float(scores[i]), False)


def excerpt(text: str, limit: int = 240) -> str:
    """The opening of a long letter, cut at the end of a sentence: a deputy quotes, not copies."""
    if len(text) <= limit:
        return text
    cut = max(text.rfind(c, 0, limit) for c in "。！？!?；;")
    return text[:cut + 1] if cut >= limit // 2 else text[:limit].rstrip("，,、 ") + "……"


_YEAR = re.compile(r"(?<!\d)(20[0-2]\d)(?=\s*年)")


def load_hot_messages(data_dir: Path, wanted: dict[str, tuple[str, str, list[tuple[str, str]], int]],
                      years_later: int = 0) -> dict[str, Message]:
    """The messages of hot_messages.csv named in `wanted` (id → (district, category, words to
    replace, length quoted)), localised to that one district, names of people replaced, long
    letters cut, and moved `years_later` ("2018年立案" of a 2019 letter is the year before now)."""
    out = {}
    with realdata.open_csv("hot_messages", data_dir) as f:
        for row in csv.DictReader(f):
            if row["id"] not in wanted:
                continue
            district, category, replace, limit = wanted[row["id"]]
            body = clean_body(row["body"], district)
            for old, new in [*replace, *HOT_REPLACE]:
                body = body.replace(old, new)
            body = excerpt(_YEAR.sub(lambda m: str(int(m.group(1)) + years_later), body).strip(), limit)
            if latin_words(body):  # the cluster's `replace` list should rewrite it ("110kv"); left out
                continue
            out[row["id"]] = Message(row["id"], localise(row["title"], district), body, category)
    return out
