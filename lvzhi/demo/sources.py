"""The real citizens' messages and government replies, rewritten for 北辰市.

The messages become deputies' suggestions (title in "关于…的建议" style, the citizen's words quoted
as the problem, advice added); the replies become units' answer letters. No Django import.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from lvzhi import realdata
from lvzhi.demo.data import CITY, DISTRICTS, HOT_REPLACE, PROVINCE

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
_END_PUNCT = re.compile(r"[！!？?。…~～\s.]+$")
_SPLIT = re.compile(r"[，,；;！!？?。]")

TOPIC_KEYWORDS = {
    "城乡建设": ("小区", "物业", "房", "业主", "开发商", "工地", "拆迁", "电梯", "规划", "违建", "供水", "停水", "排水",
                 "施工", "燃气"),
    "交通运输": ("公交", "地铁", "出租", "交通", "红绿灯", "停车", "高速", "车站", "驾", "道路", "客运"),
    "环境保护": ("污染", "噪音", "噪声", "排放", "臭", "粉尘", "环保", "污水", "油烟", "扰民", "环境"),
    "教育文体": ("学校", "学生", "教师", "老师", "幼儿园", "学位", "教育", "招生", "体育", "培训", "学籍"),
    "卫生计生": ("医院", "医生", "患者", "卫生", "生育", "疫苗", "诊所", "医疗", "计生", "药"),
    "劳动和社会保障": ("社保", "工资", "退休", "养老", "劳动", "欠薪", "就业", "医保", "公积金", "低保", "职工"),
    "商贸旅游": ("旅游", "景区", "商场", "超市", "消费", "市场", "传销", "商家", "价格", "营业"),
}


ACTION_VERBS = ("切实解决", "加强", "加快", "规范", "解决", "整治", "完善", "提高", "增设", "治理", "取缔", "落实",
                "优化", "改善", "尽快", "严查", "整顿", "增加", "开通", "修建", "推进", "调整", "制止", "处理", "降低")


@dataclass(frozen=True)
class Message:
    id: str
    title: str      # the original title, localised
    body: str       # the citizen's words, localised, greeting removed
    category: str   # the real label


@dataclass(frozen=True)
class ReplyText:
    id: str
    topic: str      # guessed category ("" when unclear)
    core: str       # the answer with the original salutation and date removed


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


_LEADING = re.compile(r"^(关于|建议|我建议|我想|请求|恳请|强烈要求|要求|希望|投诉|举报|反映|咨询|请问|询问|"
                      r"请领导|领导|请|求助|揭露|提请|说说|为什么|为何|能否|可否|是否可以|是否|可以|何时|怎么|如何)[:：，,]?")
_TRAILING = re.compile(r"(吗|呢|么|是何因|何时能解决|怎么办|咋办|怎么回事|有人管吗|谁来管|一事|"
                       r"(方面)?的?(咨询|疑问|疑惑|询问))+$")


def suggestion_title(title: str, variant: int = 0) -> str:
    """A citizen's headline in a deputy's words: 关于…的建议."""
    t = _END_PUNCT.sub("", localise(title).strip()).strip("“”\"'《》 ")
    t = t.replace(CITY, "").strip("，,：: ") or t
    for _ in range(3):
        t = _LEADING.sub("", t)
    clause = _SPLIT.split(t)[0]
    core = clause if len(clause) >= 8 else _SPLIT.sub("", t)
    core = _TRAILING.sub("", core[:40]).rstrip("的之") or core
    if core.count("“") != core.count("”"):
        core = core.replace("“", "").replace("”", "")
    if variant and (core.startswith(ACTION_VERBS) or core.startswith("对")):
        return f"关于进一步{core}的建议"
    if variant:
        return f"关于尽快解决{core.removesuffix('问题')}问题的建议"
    if core.endswith("问题") and not core.startswith(ACTION_VERBS):
        return f"关于解决{core}的建议"
    if "问题" in core or core.startswith(ACTION_VERBS) or core.startswith("对"):
        return f"关于{core}的建议"
    return f"关于{core}问题的建议"


def clean_body(body: str, district: str | None = None) -> str:
    text = localise(body, district).strip()
    text = _GREETING.sub("", text, count=1).strip()
    return re.sub(r"\s*\n\s*", "\n", text)


def guess_topic(text: str) -> str:
    scores = {cat: sum(text.count(k) for k in words) for cat, words in TOPIC_KEYWORDS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] else ""


def clean_reply(reply: str) -> str:
    text = localise(reply).strip()
    text = _USER_ID.sub("", text)
    text = _SALUTATION.sub("", text, count=1)
    text = _REPLY_HEAD.sub("", text, count=1).strip()
    text = _TRAILING_DATE.sub("", text).strip()
    text = text.replace("网友", "代表").replace("市民同志", "代表").replace("留言", "建议")
    return re.sub(r"\s*\n\s*", "\n　　", text)


def load_messages(data_dir: Path, min_body: int = 50, max_body: int = 1600) -> list[Message]:
    """Messages with a separate title and a body long enough to be a suggestion."""
    out = []
    with realdata.open_csv("messages_dev", data_dir) as f:
        for row in csv.DictReader(f):
            title, body = row["title"].strip(), row["body"].strip()
            if not title or not (min_body <= len(body) <= max_body):
                continue
            cleaned = clean_body(body)
            if len(cleaned) < min_body:
                continue
            out.append(Message(row["id"], localise(title), cleaned, row["label"]))
    return out


def load_replies(data_dir: Path, min_len: int = 80, max_len: int = 1500) -> list[ReplyText]:
    out = []
    with realdata.open_csv("replies", data_dir) as f:
        for row in csv.DictReader(f):
            core = clean_reply(row["reply"])
            if not (min_len <= len(core) <= max_len) or "0000" in core or "转有关部门" in core \
                    or _GLUED.search(core):
                continue
            out.append(ReplyText(row["id"], guess_topic(row["title"] + row["body"][:200]), core))
    return out


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
            body = _YEAR.sub(lambda m: str(int(m.group(1)) + years_later), body)
            out[row["id"]] = Message(row["id"], localise(row["title"], district), excerpt(body.strip(), limit),
                                     category)
    return out
