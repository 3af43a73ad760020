"""Public comment on drafts, the one place that writes periods and comments.

立法法 第四十条: drafts are published for comment, 一般不少于三十日 (the rule set's
`comment_period`, lvzhi.legislation.comment_clocks), and 征求意见的情况应当向社会通报; 第九十条:
基层立法联系点 collect opinions at the grassroots; 北京条例 第三十七条 "征求意见的情况应当向社会反馈".

Every function checks who acts (comment_permissions), refuses bad input with a Chinese message and
changes nothing then (InvalidInput / NotAllowed / WrongState from lvzhi.cases.workflow), and writes
an event on the congress's audit chain in the same transaction ("comment_period", "comment").
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from lvzhi.cases import deadlines
from lvzhi.cases.clocks import get_clock
from lvzhi.cases.events import append_subject_event
from lvzhi.cases.workflow import InvalidInput, NotAllowed, WrongState
from lvzhi.core.crypto import sm3_hex
from lvzhi.core.models import User
from lvzhi.intelligence.similar import DEFAULT_DUPLICATE_THRESHOLD, Doc, SimilarityIndex
from lvzhi.legislation import comment_permissions as perms
from lvzhi.legislation.articles import cn_to_int
from lvzhi.legislation.comment_clocks import COMMENT_PERIOD
from lvzhi.legislation.comment_models import (
    Channel,
    Comment,
    CommentPeriod,
    CommentSettings,
    ContactPointMeeting,
    Outcome,
    PeriodState,
    Verification,
    key_label,
)
from lvzhi.legislation.models import ContactPoint, Draft, Regulation
from lvzhi.legislation.timeline import TimelineEntry

PERIOD = "comment_period"
COMMENT = "comment"
TEXT_MAX = 2000  # a comment's length limit, in characters
NAME_MAX = 40
CONTACT_MAX = 60
REASON_MIN = 4
# A receipt code: 8 characters without the look-alikes 0/O, 1/I/L; 31^8 ≈ 8.5×10^11 codes.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECEIPT_LENGTH = 8
CHALLENGE_KEY = "lvzhi_comment_challenge"
PHONE = re.compile(r"^1\d{10}$|^0\d{2,3}-?\d{7,8}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")


class RateLimited(InvalidInput):
    status = 429


# ------------------------------------------------------------------ rules

def settings_for(congress_id: int) -> CommentSettings:
    found, _ = CommentSettings.objects.get_or_create(congress_id=congress_id)
    return found


def min_days(congress_id: int) -> int:
    """The rule set's comment period (立法法第四十条: 一般不少于三十日)."""
    return get_clock(COMMENT_PERIOD).length(deadlines.rules_for(congress_id))


def _period_event(period: CommentPeriod, actor: User | None, name: str, label: str, now: dt.datetime,
                  before: str = "", payload: dict[str, Any] | None = None) -> None:
    append_subject_event(PERIOD, period.pk, period.congress_id, actor, name, label,
                         payload={"draft": str(period.draft), **(payload or {})}, at=now,
                         from_state=before, to_state=period.state)


def _comment_event(comment: Comment, actor: User | None, name: str, label: str, now: dt.datetime,
                   payload: dict[str, Any] | None = None) -> None:
    append_subject_event(COMMENT, comment.pk, comment.period.congress_id, actor, name, label,
                         payload={"period": comment.period_id, "article": comment.article_key,
                                  "channel": comment.channel, **(payload or {})}, at=now)


def _locked_period(period: CommentPeriod | int) -> CommentPeriod:
    pk = period.pk if isinstance(period, CommentPeriod) else period
    return CommentPeriod.objects.select_for_update().select_related("draft__bill__regulation").get(pk=pk)


# ------------------------------------------------------------------ periods

@transaction.atomic
def open_period(actor: User, draft: Draft, *, opens_on: dt.date, closes_on: dt.date, channels: Sequence[str],
                short_reason: str = "", note: str = "", now: dt.datetime | None = None) -> CommentPeriod:
    """The 法工委 publishes a draft for comment."""
    now = now or timezone.now()
    if not perms.may_manage(actor) or draft.bill.congress_id != actor.congress_id:
        raise NotAllowed("只有法制工作委员会可以发布草案征求意见")
    errors: dict[str, list[str]] = {}
    channels = [c for c in dict.fromkeys(channels) if c in Channel.values]
    if not channels:
        errors["channels"] = ["请至少选择一个征求意见渠道"]
    if closes_on < opens_on:
        errors["closes_on"] = ["截止日期不能早于开始日期"]
    elif closes_on < timezone.localdate(now):
        errors["closes_on"] = ["截止日期已过，请重新填写"]
    need = min_days(draft.bill.congress_id)
    days = (closes_on - opens_on).days + 1
    short_reason = short_reason.strip()
    if not errors and days < need and len(short_reason) < REASON_MIN:
        errors["short_reason"] = [f"征求意见{days}日，少于{need}日（立法法第四十条：一般不少于三十日），请写明理由"]
    overlapping = CommentPeriod.objects.select_for_update().filter(
        draft=draft, opens_on__lte=closes_on, closes_on__gte=opens_on)
    if not errors and overlapping.exists():
        other = overlapping.first()
        errors["opens_on"] = [f"该草案稿已有{other.opens_on:%Y-%m-%d}至{other.closes_on:%Y-%m-%d}的征求意见，"
                              "期间不能重叠"]
    if errors:
        raise InvalidInput("发布征求意见有误：" + "；".join(m for v in errors.values() for m in v), errors)
    period = CommentPeriod.objects.create(
        congress_id=draft.bill.congress_id, draft=draft, opens_on=opens_on, closes_on=closes_on,
        short_reason=short_reason if days < need else "", channels=channels, note=note.strip(),
        verification=settings_for(draft.bill.congress_id).verification, opened_by=actor, opened_at=now)
    _period_event(period, actor, "comment_period_opened", "发布草案征求意见", now,
                  payload={"opens_on": opens_on.isoformat(), "closes_on": closes_on.isoformat(),
                           "days": days, "short_reason": period.short_reason, "channels": channels})
    return period


@transaction.atomic
def close_period(actor: User | None, period: CommentPeriod, now: dt.datetime | None = None) -> CommentPeriod:
    """The 法工委 closes a period early, or the sweep closes it after its date (actor None)."""
    now = now or timezone.now()
    if actor is not None and not perms.may_manage(actor):
        raise NotAllowed("只有法制工作委员会可以截止征求意见")
    period = _locked_period(period)
    if period.state != PeriodState.OPEN:
        raise WrongState(f"该征求意见当前为“{period.get_state_display()}”，不能再截止")
    period.state, period.closed_at = PeriodState.CLOSED, now
    period.save(update_fields=["state", "closed_at"])
    _period_event(period, actor, "comment_period_closed", "征求意见截止" if actor is None else "提前截止征求意见",
                  now, PeriodState.OPEN)
    return period


def close_lapsed(today: dt.date | None = None) -> int:
    """Close every open period whose last day has passed (the nightly sweep, or any page)."""
    today = today or timezone.localdate()
    n = 0
    for pk in CommentPeriod.objects.filter(state=PeriodState.OPEN, closes_on__lt=today).values_list("pk", flat=True):
        close_period(None, CommentPeriod(pk=pk))
        n += 1
    return n


# ------------------------------------------------------------------ verification

def new_challenge(session: Any) -> str:
    """An arithmetic question made on the server; its answer waits in the session."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    if secrets.randbelow(2) and a != b:
        a, b = max(a, b), min(a, b)
        session[CHALLENGE_KEY] = a - b
        return f"{a} 减 {b} 等于几？"
    session[CHALLENGE_KEY] = a + b
    return f"{a} 加 {b} 等于几？"


def _check_arithmetic(session: Any, answer: str) -> bool:
    expected = session.pop(CHALLENGE_KEY, None)  # one try per question
    answer = (answer or "").strip()
    return expected is not None and answer.isascii() and answer.isdigit() and int(answer) == expected


# Each verification the congress may choose: how its answer is checked.
CHALLENGES = {Verification.NONE: lambda session, answer: True, Verification.ARITHMETIC: _check_arithmetic}


def needs_challenge(period: CommentPeriod) -> bool:
    return period.verification != Verification.NONE


# ------------------------------------------------------------------ comments

def article_keys(draft: Draft) -> list[str]:
    return [a.key for a in draft.parsed().articles]


_REF = re.compile(r"^第?([0-9一二三四五六七八九十百零〇两]+)条(?:之([0-9一二三四五六七八九十]+))?$")


def parse_article_ref(value: str) -> str | None:
    """"第十条" / "第10条" / "10" / "第十条之一" / "10-1" → its key; "" / 整体 / 总体 → ""; else None."""
    raw = re.sub(r"\s+", "", value or "")
    if raw in ("", "整体", "总体", "草案整体", "全文", "总体意见"):
        return ""
    if re.fullmatch(r"\d+(-\d+)?", raw):
        return raw
    m = _REF.match(raw if raw.startswith("第") or raw.endswith("条") else f"第{raw}条")
    if not m:
        return None
    try:
        number = int(m.group(1)) if m.group(1).isdigit() else cn_to_int(m.group(1))
        sub = m.group(2)
        sub_n = (int(sub) if sub.isdigit() else cn_to_int(sub)) if sub else 0
    except (ValueError, KeyError):
        return None
    return f"{number}-{sub_n}" if sub_n else str(number)


def _check_comment(period: CommentPeriod, text: str, article_key: str, keys: list[str] | None = None
                   ) -> tuple[str, str]:
    text = (text or "").strip()
    errors: dict[str, list[str]] = {}
    if not text:
        errors["text"] = ["请填写意见内容"]
    elif len(text) > TEXT_MAX:
        errors["text"] = [f"意见内容最多{TEXT_MAX}字，当前{len(text)}字"]
    article_key = (article_key or "").strip()
    if article_key and article_key not in (keys if keys is not None else article_keys(period.draft)):
        errors["article"] = [f"草案中没有{key_label(article_key)}，请重新选择条款"]
    if errors:
        raise InvalidInput("意见填写有误：" + "；".join(m for v in errors.values() for m in v), errors)
    return text, article_key


def _need_accepting(period: CommentPeriod, channel: str, today: dt.date) -> None:
    if not period.accepting(today):
        raise WrongState("该草案不在征求意见期内，不能再提交意见")
    if channel not in period.channels:
        raise WrongState(f"本次征求意见未开放“{Channel(channel).label}”渠道")


def new_receipt() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


def _save_with_receipt(comment: Comment) -> Comment:
    """A fresh code until one is free (a clash is about one in 10^11 per code in use)."""
    for _ in range(5):
        comment.receipt = new_receipt()
        try:
            with transaction.atomic():
                comment.save()
            return comment
        except IntegrityError:
            if Comment.objects.filter(receipt=comment.receipt).exists():
                continue
            raise
    raise RuntimeError("无法生成唯一的查询码")


def ip_hash(ip: str) -> str:
    """Only this is kept, never the address: enough to count, not to find the person."""
    return sm3_hex(f"comment-ip:{settings.SECRET_KEY}:{ip}")


def _check_contact(contact: str) -> str:
    contact = re.sub(r"\s+", "", contact or "")
    if contact and (len(contact) > CONTACT_MAX or not (PHONE.match(contact) or EMAIL.match(contact))):
        raise InvalidInput("联系方式应为手机号、固定电话或电子邮箱，也可以不填", {"contact": ["联系方式格式不正确"]})
    return contact


@transaction.atomic
def submit_public(period: CommentPeriod, *, text: str, article_key: str = "", name: str = "", contact: str = "",
                  ip: str, session: Any, answer: str = "", now: dt.datetime | None = None) -> Comment:
    """A citizen's comment on the portal: rate limit, verification, content, then the receipt."""
    now = now or timezone.now()
    rules = settings_for(period.congress_id)
    # One portal submission of a congress at a time: two from one address cannot both slip under the limit.
    rules = CommentSettings.objects.select_for_update().get(pk=rules.pk)
    hashed = ip_hash(ip)
    recent = Comment.objects.filter(ip_hash=hashed, created_at__gte=now - dt.timedelta(hours=1)).count()
    if recent >= rules.per_hour:
        raise RateLimited(f"提交过于频繁：同一网络每小时最多提交{rules.per_hour}条意见，请稍后再试。")
    _need_accepting(period, Channel.PORTAL, timezone.localdate(now))
    if not CHALLENGES[Verification(period.verification)](session, answer):
        raise InvalidInput("验证答案不正确，请重新计算后填写", {"answer": ["验证答案不正确"]})
    text, article_key = _check_comment(period, text, article_key)
    name = (name or "").strip()
    if len(name) > NAME_MAX:
        raise InvalidInput(f"署名最多{NAME_MAX}字", {"name": ["署名过长"]})
    comment = Comment(period=period, article_key=article_key, submitted_key=article_key, channel=Channel.PORTAL,
                      text=text, name=name, ip_hash=hashed, created_at=now)
    comment.contact = _check_contact(contact)
    _save_with_receipt(comment)
    _comment_event(comment, None, "comment_received", "收到网上意见", now)
    return comment


@transaction.atomic
def submit_own(actor: User, period: CommentPeriod, *, text: str, article_key: str = "",
               now: dt.datetime | None = None) -> Comment:
    """A deputy, a committee or a unit comments under its own name on its own page."""
    now = now or timezone.now()
    channel = perms.own_channel(actor)
    if channel is None or period.congress_id != actor.congress_id:
        raise NotAllowed("您的账号不能对该草案提出意见")
    _need_accepting(period, channel, timezone.localdate(now))
    text, article_key = _check_comment(period, text, article_key)
    org = actor.organization if channel in (Channel.COMMITTEE, Channel.UNIT) else None
    comment = Comment(period=period, article_key=article_key, submitted_key=article_key, channel=channel,
                      text=text, name=actor.name, author=actor, organization=org, created_at=now)
    _save_with_receipt(comment)
    _comment_event(comment, actor, "comment_received", f"收到{Channel(channel).label}意见", now)
    return comment


@dataclass
class Opinion:
    """One opinion a contact point collected: its article (a key, "" for the whole draft), its text,
    who raised it (a resident, a company...) and a note."""

    article_key: str
    text: str
    submitter: str = ""
    note: str = ""


def _check_meeting(period: CommentPeriod, held_on: dt.date | None, place: str, participants: int | None,
                   today: dt.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if held_on is None:
        errors["held_on"] = ["请填写座谈日期"]
    elif held_on > today:
        errors["held_on"] = ["座谈日期不能晚于今天"]
    elif held_on < period.opens_on:
        errors["held_on"] = [f"座谈日期早于征求意见开始日期{period.opens_on:%Y-%m-%d}"]
    if not (place or "").strip():
        errors["place"] = ["请填写座谈地点"]
    if not participants or participants < 1:
        errors["participants"] = ["请填写参加人数"]
    return errors


@transaction.atomic
def enter_meeting(actor: User, point: ContactPoint, period: CommentPeriod, *, held_on: dt.date | None,
                  place: str, participants: int | None, opinions: Iterable[Opinion],
                  now: dt.datetime | None = None) -> tuple[ContactPointMeeting, list[Comment]]:
    """A contact point's clerk enters the opinions of one of its meetings, all or nothing."""
    now = now or timezone.now()
    if not perms.may_enter_for(actor, point) or point.congress_id != period.congress_id:
        raise NotAllowed("只能以本联系点的名义录入意见")
    _need_accepting(period, Channel.CONTACT_POINT, timezone.localdate(now))
    errors = _check_meeting(period, held_on, place, participants, timezone.localdate(now))
    keys = article_keys(period.draft)
    checked: list[tuple[Opinion, str, str]] = []
    for i, op in enumerate(opinions, 1):
        try:
            text, key = _check_comment(period, op.text, op.article_key, keys)
        except InvalidInput as exc:
            errors.setdefault("opinions", []).append(f"第{i}条意见：" + "；".join(
                m for v in exc.errors.values() for m in v))
            continue
        checked.append((op, text, key))
    if not checked and "opinions" not in errors:
        errors["opinions"] = ["请至少填写一条意见"]
    if errors:
        raise InvalidInput("录入有误，未保存：" + "；".join(m for v in errors.values() for m in v), errors)
    meeting = ContactPointMeeting.objects.create(contact_point=point, period=period, held_on=held_on,
                                                place=place.strip()[:100], participants=participants,
                                                entered_by=actor, created_at=now)
    saved = []
    for op, text, key in checked:
        comment = Comment(period=period, article_key=key, submitted_key=key, channel=Channel.CONTACT_POINT,
                          text=text, name=op.submitter.strip()[:NAME_MAX], note=op.note.strip()[:200],
                          author=actor, contact_point=point, meeting=meeting, created_at=now)
        _save_with_receipt(comment)
        _comment_event(comment, actor, "comment_received", "收到基层立法联系点意见", now,
                       {"contact_point": point.name})
        saved.append(comment)
    return meeting, saved


# ------------------------------------------------------------------ sorting and adoption

def _locked_comment(comment: Comment | int) -> Comment:
    pk = comment.pk if isinstance(comment, Comment) else comment
    return Comment.objects.select_for_update().select_related("period__draft__bill").get(pk=pk)


def _need_decider(actor: User, period: CommentPeriod) -> None:
    if not perms.may_decide(actor) or period.congress_id != actor.congress_id:
        raise NotAllowed("只有法制工作委员会可以整理和研究意见")


@transaction.atomic
def group_duplicates(actor: User, period: CommentPeriod, threshold: float = DEFAULT_DUPLICATE_THRESHOLD,
                     now: dt.datetime | None = None) -> int:
    """Group the period's comments on one article that say the same thing (the scores of
    lvzhi.intelligence.similar). In time order, a comment joins the earliest lead it scores at least
    `threshold` against, else leads a group of its own: a star around the lead rather than the
    module's single link, so "A" ~ "A+B" ~ "B" never chains two different points into one group.
    Comments already grouped or decided stay as they are; returns how many comments were linked."""
    now = now or timezone.now()
    _need_decider(actor, period)
    period = _locked_period(period)
    pool = list(Comment.objects.select_for_update().filter(period=period, duplicate_of__isnull=True, outcome="")
                .order_by("created_at", "pk"))
    leads = set(Comment.objects.filter(period=period, duplicate_of__isnull=False)
                .values_list("duplicate_of_id", flat=True))
    by_key: dict[str, list[Comment]] = {}
    for c in pool:
        by_key.setdefault(c.article_key, []).append(c)
    linked = 0
    for group in by_key.values():
        if len(group) < 2:
            continue
        scores = SimilarityIndex.build([Doc(c.pk, "", c.text) for c in group], use_embeddings=False).pairwise()
        heads: list[int] = [i for i, c in enumerate(group) if c.pk in leads]  # existing leads keep leading
        for i, c in enumerate(group):
            if c.pk in leads:
                continue
            head = next((h for h in heads if h < i and scores[i, h] >= threshold), None)
            if head is None:
                heads.append(i)
                heads.sort()
                continue
            c.duplicate_of_id = group[head].pk
            c.save(update_fields=["duplicate_of"])
            linked += 1
    _period_event(period, actor, "comments_grouped", "合并相同意见", now, period.state,
                  {"linked": linked, "threshold": threshold})
    return linked


@transaction.atomic
def ungroup(actor: User, comment: Comment, now: dt.datetime | None = None) -> Comment:
    now = now or timezone.now()
    comment = _locked_comment(comment)
    _need_decider(actor, comment.period)
    if comment.duplicate_of_id is None:
        raise WrongState("该意见没有被合并")
    head = comment.duplicate_of_id
    comment.duplicate_of = None
    comment.save(update_fields=["duplicate_of"])
    _comment_event(comment, actor, "comment_ungrouped", "撤销合并", now, {"was_duplicate_of": head})
    return comment


@transaction.atomic
def move(actor: User, comment: Comment, article_key: str, now: dt.datetime | None = None) -> Comment:
    """Route a comment to the article it really concerns (the commenter's choice is kept)."""
    now = now or timezone.now()
    comment = _locked_comment(comment)
    _need_decider(actor, comment.period)
    article_key = (article_key or "").strip()
    if article_key and article_key not in article_keys(comment.period.draft):
        raise InvalidInput(f"草案中没有{key_label(article_key)}", {"article": ["条款不存在"]})
    before = comment.article_key
    comment.article_key = article_key
    comment.save(update_fields=["article_key"])
    _comment_event(comment, actor, "comment_moved", "调整意见所涉条款", now, {"from": before, "to": article_key})
    return comment


@transaction.atomic
def decide(actor: User, comment: Comment, outcome: str, reason: str = "", now: dt.datetime | None = None
           ) -> list[Comment]:
    """采纳 / 部分采纳 / 未采纳, with a reason unless adopted; a group's lead decides for its members too.
    Returns the comments decided."""
    now = now or timezone.now()
    comment = _locked_comment(comment)
    _need_decider(actor, comment.period)
    if outcome not in Outcome.values:
        raise InvalidInput("请选择办理结果：采纳、部分采纳或未采纳", {"outcome": ["请选择办理结果"]})
    reason = (reason or "").strip()
    if outcome != Outcome.ADOPTED and len(reason) < REASON_MIN:
        raise InvalidInput(f"“{Outcome(outcome).label}”须写明理由（至少{REASON_MIN}个字）", {"reason": ["请写明理由"]})
    targets = [comment, *Comment.objects.select_for_update().filter(duplicate_of=comment)]
    for c in targets:
        c.outcome, c.reason, c.decided_by, c.decided_at = outcome, reason, actor, now
        if outcome == Outcome.NOT_ADOPTED:
            c.adopted_in, c.adopted_keys = None, ""
        c.save(update_fields=["outcome", "reason", "decided_by", "decided_at", "adopted_in", "adopted_keys"])
        _comment_event(c, actor, "comment_decided", f"意见{Outcome(outcome).label}", now,
                       {"outcome": outcome, "reason": reason, "via": comment.pk if c.pk != comment.pk else None})
    return targets


def later_drafts(period: CommentPeriod) -> QuerySet[Draft]:
    return Draft.objects.filter(bill_id=period.draft.bill_id, pk__gt=period.draft_id).order_by("pk")


@transaction.atomic
def link(actor: User, comment: Comment, draft: Draft, keys: Sequence[str], now: dt.datetime | None = None
         ) -> list[Comment]:
    """Link an adopted comment (and its group) to the article(s) of a later draft that took it up."""
    now = now or timezone.now()
    comment = _locked_comment(comment)
    _need_decider(actor, comment.period)
    if comment.outcome not in (Outcome.ADOPTED, Outcome.PARTLY):
        raise WrongState("只有采纳或部分采纳的意见可以关联修改后的条款")
    if draft.bill_id != comment.period.draft.bill_id or draft.pk <= comment.period.draft_id:
        raise InvalidInput("请选择同一法规案在征求意见稿之后形成的草案稿", {"draft": ["草案稿不对"]})
    available = article_keys(draft)
    keys = [k.strip() for k in dict.fromkeys(keys) if k.strip()]
    if not keys:
        raise InvalidInput("请选择吸收该意见的条款", {"keys": ["请选择条款"]})
    missing = [key_label(k) for k in keys if k not in available]
    if missing:
        raise InvalidInput(f"{draft.label}中没有{'、'.join(missing)}", {"keys": ["条款不存在"]})
    targets = [comment, *Comment.objects.select_for_update().filter(duplicate_of=comment)]
    for c in targets:
        c.adopted_in, c.adopted_keys = draft, ",".join(keys)
        c.save(update_fields=["adopted_in", "adopted_keys"])
        _comment_event(c, actor, "comment_linked", "关联修改后的条款", now, {"draft": draft.pk, "keys": keys})
    return targets


# ------------------------------------------------------------------ the summary (第四十条 通报)

@dataclass
class ArticlePoint:
    key: str
    label: str
    count: int
    adopted: int
    partly: int
    not_adopted: int
    points: list[str]


@dataclass
class Numbers:
    total: int
    by_channel: list[tuple[str, int]]
    adopted: int
    partly: int
    not_adopted: int
    pending: int
    articles: list[ArticlePoint]


def _clip(text: str, n: int = 60) -> str:
    text = re.sub(r"\s+", "", text)
    return text if len(text) <= n else text[:n] + "……"


def numbers(period: CommentPeriod, top: int = 10) -> Numbers:
    comments = list(Comment.objects.filter(period=period).order_by("created_at", "pk"))
    outcomes = Counter(c.outcome for c in comments)
    channels = Counter(c.channel for c in comments)
    by_key: dict[str, list[Comment]] = {}
    for c in comments:
        by_key.setdefault(c.article_key, []).append(c)
    order = {a.key: i for i, a in enumerate(period.draft.parsed().articles)}
    rows: list[ArticlePoint] = []
    for key, group in sorted(by_key.items(), key=lambda kv: (-len(kv[1]), order.get(kv[0], -1))):
        members = Counter(c.duplicate_of_id for c in group if c.duplicate_of_id)
        leads = sorted((c for c in group if c.duplicate_of_id is None), key=lambda c: -members.get(c.pk, 0))
        o = Counter(c.outcome for c in group)
        rows.append(ArticlePoint(key, key_label(key), len(group), o[Outcome.ADOPTED], o[Outcome.PARTLY],
                                 o[Outcome.NOT_ADOPTED], [_clip(c.text) for c in leads[:2]]))
    rows = sorted(rows[:top], key=lambda r: order.get(r.key, -1))
    return Numbers(len(comments), [(label, channels[code]) for code, label in Channel.choices if channels[code]],
                   outcomes[Outcome.ADOPTED], outcomes[Outcome.PARTLY], outcomes[Outcome.NOT_ADOPTED],
                   outcomes[""], rows)


def _cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def summary_text(period: CommentPeriod) -> str:
    """The public summary the 法工委 starts from (and may edit before publishing)."""
    n = numbers(period)
    draft = period.draft
    channels = "、".join(f"{label}{count}条" for label, count in n.by_channel)
    lines = [f"《{draft.bill.regulation.title}》{draft.label}于{_cn_date(period.opens_on)}至"
             f"{_cn_date(period.closes_on)}向社会公开征求意见，共收到意见{n.total}条"
             + (f"，其中{channels}" if channels else "") + "。"]
    if n.total:
        decided = f"经研究，采纳{n.adopted}条，部分采纳{n.partly}条，未采纳{n.not_adopted}条"
        lines.append(decided + (f"，其余{n.pending}条正在研究" if n.pending else "") + "。主要意见及采纳情况如下：")
        for i, row in enumerate(n.articles, 1):
            said = "；".join(f"“{p}”" for p in row.points)
            lines.append(f"{i}. 关于{row.label}：共{row.count}条意见，主要有{said}。"
                         f"采纳{row.adopted}条，部分采纳{row.partly}条，未采纳{row.not_adopted}条。")
    lines.append("感谢社会各界对地方立法工作的关心和支持。")
    return "\n".join(lines)


@transaction.atomic
def publish_summary(actor: User, period: CommentPeriod, text: str = "", now: dt.datetime | None = None
                    ) -> CommentPeriod:
    """征求意见的情况应当向社会通报 (第四十条): after the period, shown on the draft's portal page."""
    now = now or timezone.now()
    if not perms.may_manage(actor) or period.congress_id != actor.congress_id:
        raise NotAllowed("只有法制工作委员会可以发布征求意见情况通报")
    period = _locked_period(period)
    if period.state == PeriodState.OPEN:
        raise WrongState("征求意见截止后才能发布情况通报")
    text = (text or "").strip() or summary_text(period)
    if len(text) > 20000:
        raise InvalidInput("通报最多20000字", {"summary": ["通报过长"]})
    before = period.state
    period.summary, period.summary_published_at, period.state = text, now, PeriodState.PUBLISHED
    period.save(update_fields=["summary", "summary_published_at", "state"])
    _period_event(period, actor, "comment_summary_published", "发布征求意见情况通报", now, before)
    return period


# ------------------------------------------------------------------ look-ups

def lookup_receipt(code: str) -> Comment | None:
    code = re.sub(r"[\s-]", "", code or "").upper()
    if len(code) != RECEIPT_LENGTH or any(ch not in RECEIPT_ALPHABET for ch in code):
        return None
    return Comment.objects.select_related("period__draft__bill__regulation", "adopted_in").filter(receipt=code).first()


def public_periods(congress_id: int | None = None) -> QuerySet[CommentPeriod]:
    """What the portal lists: every period opened, open ones first (closed ones keep their summary)."""
    qs = CommentPeriod.objects.select_related("draft__bill__regulation", "congress")
    return qs.filter(congress_id=congress_id) if congress_id else qs


def comment_timeline(regulation: Regulation) -> list[TimelineEntry]:
    """The regulation's comment periods for its timeline: opened, closed, summary published."""
    out: list[TimelineEntry] = []
    periods = (CommentPeriod.objects.filter(draft__bill__regulation=regulation)
               .select_related("draft__bill__regulation").annotate(n=Count("comments")).order_by("opens_on", "pk"))
    for p in periods:
        out.append(TimelineEntry(p.opens_on, "公开征求意见", f"{p.draft.label}，{_cn_date(p.opens_on)}至"
                                 f"{_cn_date(p.closes_on)}（{p.days}日）", p.get_absolute_url(), "comment"))
        if p.state != PeriodState.OPEN:
            day = timezone.localdate(p.closed_at) if p.closed_at else p.closes_on
            out.append(TimelineEntry(day, "征求意见截止", f"共收到意见{p.n}条", p.get_absolute_url(), "comment"))
        if p.summary_published_at:
            out.append(TimelineEntry(timezone.localdate(p.summary_published_at), "通报征求意见情况",
                                     _clip(p.summary, 80), p.get_public_url(), "comment"))
    return out
