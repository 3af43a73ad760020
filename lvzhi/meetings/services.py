"""Meetings' writes. Each raises Refused (a Chinese message) before writing anything it would
refuse, runs in one transaction and leaves an event on the audit chain (subject "meeting")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import IO

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from lvzhi.cases.events import append_subject_event
from lvzhi.core.models import Role, User
from lvzhi.core.receipts import door_code
from lvzhi.deputies.models import Deputy
from lvzhi.documents.uploads import UploadError, check_upload
from lvzhi.meetings import permissions, render, rules
from lvzhi.meetings.models import (
    CHOICES,
    AgendaItem,
    ItemType,
    ItemVote,
    Material,
    MaterialPage,
    MaterialVersion,
    Meeting,
    MeetingState,
    MeetingType,
    Nominee,
    PageNote,
    Participant,
    ParticipantRole,
    SignInMethod,
)
from lvzhi.votes import ballots
from lvzhi.votes.models import BoxState, StandingMember

SUBJECT = "meeting"
MATERIAL_TYPES = {"pdf", "docx"}
MATERIAL_MAX_BYTES = 30 * 1024 * 1024
NOT_A_DOCUMENT = "会议材料只能是Word文档（.docx）或PDF文件："
SIGN_IN_WINDOW = dt.timedelta(days=1)  # the door's code: from the day before to the day after


class Refused(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def _event(meeting: Meeting, actor: User | None, name: str, label: str, **payload: object) -> None:
    append_subject_event(SUBJECT, meeting.pk, meeting.congress_id, actor, name, label, payload=payload,
                         at=timezone.now())


def _manage(user: User, meeting: Meeting) -> None:
    if not permissions.may_manage(user, meeting):
        raise Refused("只有办公厅工作人员可以办理会议事务", 403)


def _open_for_changes(meeting: Meeting) -> None:
    if meeting.state == MeetingState.CLOSED:
        raise Refused("会议已闭会，不能再修改")


# ------------------------------------------------------------------ meetings and participants

def default_members(congress_id: int, meeting_type: str) -> list[User]:
    """常委会会议: the 组成人员; 主任会议: the leaders; 人代会: the deputies."""
    if meeting_type == MeetingType.STANDING:
        return [m.user for m in StandingMember.objects.filter(congress_id=congress_id, active=True)
                .select_related("user").order_by("sort_order", "pk")]
    if meeting_type == MeetingType.COUNCIL:
        return list(User.objects.filter(congress_id=congress_id, role=Role.LEADER, is_active=True)
                    .order_by("username"))
    return [d.user for d in Deputy.objects.filter(congress_id=congress_id, user__isnull=False)
            .select_related("user").order_by("pk")]


def create_meeting(user: User, *, meeting_type: str, number: str, starts_on: dt.date, ends_on: dt.date,
                   place: str = "", members: Iterable[User] | None = None) -> Meeting:
    if not permissions.is_office(user):
        raise Refused("只有办公厅工作人员可以筹备会议", 403)
    if ends_on < starts_on:
        raise Refused("结束日期不能早于开始日期")
    members = list(members) if members is not None else default_members(user.congress_id, meeting_type)
    if not members:
        raise Refused("尚未登记组成人员，不能筹备会议（常委会会议的组成人员在“满意度测评”的组成人员名单中登记）")
    with transaction.atomic():
        meeting = Meeting.objects.create(congress_id=user.congress_id, meeting_type=meeting_type, number=number,
                                         starts_on=starts_on, ends_on=ends_on, place=place,
                                         members_total=len(members), created_by=user)
        Participant.objects.bulk_create(Participant(meeting=meeting, user=u, role=ParticipantRole.MEMBER,
                                                    sort_order=i) for i, u in enumerate(members))
        _event(meeting, user, "meeting_created", "筹备会议", title=meeting.title, members=len(members))
    return meeting


def add_attendee(user: User, meeting: Meeting, attendee: User) -> Participant:
    """列席: deputies, unit heads and others, without a vote."""
    _manage(user, meeting)
    _open_for_changes(meeting)
    if attendee.congress_id != meeting.congress_id:
        raise Refused("只能邀请本级人大的代表和单位负责人列席")
    if Participant.objects.filter(meeting=meeting, user=attendee).exists():
        raise Refused(f"{attendee}已在参会名单中")
    with transaction.atomic():
        part = Participant.objects.create(meeting=meeting, user=attendee, role=ParticipantRole.ATTENDEE)
        _event(meeting, user, "attendee_added", "邀请列席", attendee=str(attendee))
    return part


def set_leave(user: User, part: Participant, reason: str) -> Participant:
    _manage(user, part.meeting)
    _open_for_changes(part.meeting)
    reason = reason.strip()
    if not reason:
        raise Refused("请填写请假事由")
    if part.signed_in_at is not None:
        raise Refused(f"{part}已签到，不能再登记请假")
    with transaction.atomic():
        part.on_leave, part.leave_reason = True, reason[:100]
        part.save(update_fields=["on_leave", "leave_reason"])
        _event(part.meeting, user, "leave", "登记请假", person=str(part), reason=part.leave_reason)
    return part


def sign_token(meeting: Meeting) -> str:
    return door_code("meeting-sign-in", meeting.pk)


def sign_in(meeting: Meeting, person: User, actor: User, method: str, now: dt.datetime | None = None) -> Participant:
    """Signs a participant in once (a second scan changes nothing)."""
    now = now or timezone.now()
    if method == SignInMethod.CLERK:
        _manage(actor, meeting)
    elif actor != person:
        raise Refused("请用本人账号扫码签到", 403)
    if meeting.state == MeetingState.CLOSED:
        raise Refused("会议已闭会，不能签到")
    if method == SignInMethod.QR and not (meeting.starts_on - SIGN_IN_WINDOW <= timezone.localdate(now)
                                          <= meeting.ends_on + SIGN_IN_WINDOW):
        raise Refused(f"签到码只在会议期间（{meeting.starts_on:%Y年%m月%d日}起）有效")
    with transaction.atomic():
        part = Participant.objects.select_for_update().filter(meeting=meeting, user=person).first()
        if part is None:
            raise Refused("您不在本次会议的参会名单中，请与会务工作人员联系", 403)
        if part.signed_in_at is not None:
            return part
        part.signed_in_at, part.sign_in_method, part.signed_by = now, method, actor
        part.on_leave = False
        part.save(update_fields=["signed_in_at", "sign_in_method", "signed_by", "on_leave"])
        _event(meeting, actor, "sign_in", "会议签到", person=str(part), method=SignInMethod(method).label)
    return part


def set_state(user: User, meeting: Meeting, state: str) -> Meeting:
    _manage(user, meeting)
    allowed = {MeetingState.PREPARING: MeetingState.IN_SESSION, MeetingState.IN_SESSION: MeetingState.CLOSED}
    if allowed.get(meeting.state) != state:
        raise Refused("会议状态不能这样变更")
    if state == MeetingState.CLOSED and ItemVote.objects.filter(item__meeting=meeting, state=BoxState.OPEN).exists():
        raise Refused("还有表决没有结束，不能闭会")
    with transaction.atomic():
        old = meeting.state
        meeting.state = state
        meeting.save(update_fields=["state"])
        if state == MeetingState.CLOSED:
            AgendaItem.objects.filter(meeting=meeting).update(deliberated=True)
        append_subject_event(SUBJECT, meeting.pk, meeting.congress_id, user, "meeting_state",
                             "宣布开会" if state == MeetingState.IN_SESSION else "宣布闭会",
                             payload={}, at=timezone.now(), from_state=old, to_state=state)
    return meeting


def quorum(meeting: Meeting) -> tuple[int, int]:
    """(signed-in members, all members)."""
    signed = Participant.objects.filter(meeting=meeting, role=ParticipantRole.MEMBER,
                                        signed_in_at__isnull=False).count()
    return signed, meeting.members_total


# ------------------------------------------------------------------------ agenda and materials

def add_item(user: User, meeting: Meeting, *, title: str, item_type: str, rapporteur: str = "",
             confidentiality: str = "public", named_vote: bool = False, **links: object) -> AgendaItem:
    _manage(user, meeting)
    _open_for_changes(meeting)
    if not title.strip():
        raise Refused("请填写议题名称")
    with transaction.atomic():
        last = meeting.items.aggregate(m=Max("position"))["m"] or 0
        item = AgendaItem.objects.create(meeting=meeting, position=last + 1, title=title.strip(),
                                         item_type=item_type, rapporteur=rapporteur,
                                         confidentiality=confidentiality, named_vote=named_vote, **links)
        _event(meeting, user, "item_added", "列入议程", item=item.title, position=item.position)
    return item


def due_on(item: AgendaItem) -> dt.date:
    days = rules.item_rule(item.meeting.congress_id, item.item_type).days
    return item.meeting.starts_on - dt.timedelta(days=days)


def upload_material(user: User, item: AgendaItem, file: IO[bytes], *, title: str = "",
                    material: Material | None = None, now: dt.datetime | None = None) -> MaterialVersion:
    """A new material (or a new version of `material`), checked by its content, rendered to
    pages and distributed at once; late if after the item type's deadline."""
    _manage(user, item.meeting)
    _open_for_changes(item.meeting)
    try:
        kind = check_upload(file, MATERIAL_TYPES, MATERIAL_MAX_BYTES)
    except UploadError as err:
        raise Refused(NOT_A_DOCUMENT + err.message) from None
    data = file.read()
    try:
        pages = render.render(data, kind)
    except render.RenderError as err:
        raise Refused(err.message) from None
    name = (getattr(file, "name", "") or f"材料.{kind}").rsplit("/", 1)[-1][:200]
    return store_version(user, item, data, kind, name, pages, title=title, material=material, now=now)


def store_version(user: User, item: AgendaItem, data: bytes, kind: str, file_name: str, pages: list[render.Page], *,
                  title: str = "", material: Material | None = None, now: dt.datetime | None = None) -> MaterialVersion:
    now = now or timezone.now()
    due = due_on(item)
    with transaction.atomic():
        if material is None:
            material = Material.objects.create(item=item, title=(title or file_name.rsplit(".", 1)[0])[:200],
                                               created_by=user, created_at=now)
        elif material.item_id != item.pk:
            raise Refused("材料不属于该议题")
        number = (material.versions.aggregate(m=Max("number"))["m"] or 0) + 1
        version = MaterialVersion.objects.create(
            material=material, number=number, file_name=file_name, file_kind=kind, content=data,
            distributed_at=now, due_on=due, late=timezone.localdate(now) > due, page_count=len(pages),
            uploaded_by=user)
        MaterialPage.objects.bulk_create(MaterialPage(version=version, number=i + 1, image=p.png,
                                                      text_hash=p.text_hash) for i, p in enumerate(pages))
        _event(item.meeting, user, "material_distributed", "分发会议材料", material=material.title, version=number,
               pages=len(pages), late=version.late)
    return version


def changed_pages(version: MaterialVersion) -> set[int]:
    """Pages of `version` new or changed since the previous version (empty for the first)."""
    previous = MaterialVersion.objects.filter(material_id=version.material_id, number__lt=version.number) \
        .order_by("-number").first()
    if previous is None:
        return set()
    old = list(previous.pages.order_by("number").values_list("text_hash", flat=True))
    new = list(version.pages.order_by("number").values_list("text_hash", flat=True))
    return render.changed_pages(old, new)


def add_note(user: User, material: Material, page_number: int, text: str) -> PageNote:
    meeting = material.item.meeting
    if not permissions.may_see(user, meeting):
        raise Refused("您不是本次会议的参会人员，不能阅读材料", 403)
    text = text.strip()
    if not text:
        raise Refused("批注内容不能为空")
    if len(text) > 2000:
        raise Refused("批注不能超过2000字")
    current = material.current
    if current is None or not 1 <= page_number <= current.page_count:
        raise Refused("该页不存在")
    # A private note is not a meeting record: no event, nothing on the chain names its text.
    return PageNote.objects.create(material=material, page_number=page_number, author=user, text=text)


# ------------------------------------------------------------------------------------- votes

def open_vote(user: User, item: AgendaItem, *, nominee: Nominee | None = None, paper: bool = False,
              subject: str = "") -> ItemVote:
    meeting = item.meeting
    _manage(user, meeting)
    if meeting.state != MeetingState.IN_SESSION:
        raise Refused("会议尚未开始或已闭会，不能表决")
    signed, total = quorum(meeting)
    if not rules.has_quorum(signed, total):
        raise Refused(f"未达法定人数：组成人员{total}人，已签到{signed}人，须过半数出席方可表决")
    if nominee is not None and (nominee.item_id != item.pk or ItemVote.objects.filter(nominee=nominee).exists()):
        raise Refused("该人选已经表决")
    if nominee is None and ItemVote.objects.filter(item=item, nominee__isnull=True).exclude(
            state=BoxState.CLOSED).exists():
        raise Refused("该议题已有进行中的表决")
    rule = rules.item_rule(meeting.congress_id, item.item_type).pass_rule
    voters = [p.user for p in Participant.objects.filter(meeting=meeting, role=ParticipantRole.MEMBER)
              .select_related("user").order_by("sort_order", "pk")]
    with transaction.atomic():
        vote = ItemVote.objects.create(
            congress_id=meeting.congress_id, choices=CHOICES, min_marks=1, max_marks=1,
            secret=not item.named_vote, paper=paper, item=item, nominee=nominee,
            subject=(subject or (str(nominee) if nominee else item.title))[:200], pass_rule=rule,
            members_total=total, present=signed, created_by=user)
        if paper:
            ballots.open_box(vote.pk, (), electorate_size=total)
        else:
            ballots.open_box(vote.pk, voters)
        _event(meeting, user, "vote_opened", "开始表决", subject=vote.subject, present=signed, members=total,
               secret=vote.secret, paper=paper)
    vote.refresh_from_db()
    return vote


def cast_vote(user: User, vote: ItemVote, choice: str) -> ballots.Cast:
    """Only a member signed in may cast; the ballot core refuses the rest (closed, twice…)."""
    part = Participant.objects.filter(meeting_id=vote.item.meeting_id, user=user).first()
    if not permissions.may_vote(part):
        raise Refused("您不是本次会议的组成人员，没有表决权", 403)
    if vote.paper:
        raise Refused("本次表决使用纸质选票，请在会场填写选票")
    if part.signed_in_at is None:
        raise Refused("您尚未签到，请先签到再表决")
    if choice not in {c for c, _l in CHOICES}:
        raise Refused("请选择赞成、反对或弃权")
    try:
        return ballots.cast(vote.pk, user, [choice])
    except ballots.VoteRefused as err:
        raise Refused(err.message, err.status) from None


def _result(user: User, vote: ItemVote) -> ItemVote:
    vote.refresh_from_db()
    vote.passed = rules.passes(vote.pass_rule, vote.count("yes"), vote.members_total, vote.present)
    vote.save(update_fields=["passed"])
    _event(vote.item.meeting, user, "vote_result", "表决结果", subject=vote.subject, result=vote.result_text)
    return vote


def close_vote(user: User, vote: ItemVote) -> ItemVote:
    _manage(user, vote.item.meeting)
    try:
        with transaction.atomic():
            ballots.close_box(vote.pk)
            return _result(user, vote)
    except ballots.VoteRefused as err:
        raise Refused(err.message, err.status) from None


def enter_paper(user: User, vote: ItemVote, *, cast: int, invalid: int, counts: dict[str, int]) -> ItemVote:
    _manage(user, vote.item.meeting)
    try:
        box = ballots.enter_paper_tally(vote.pk, user, cast=cast, invalid=invalid, counts=counts)
    except ballots.VoteRefused as err:
        raise Refused(err.message, err.status) from None
    if box.state == BoxState.CLOSED:
        with transaction.atomic():
            return _result(user, vote)
    vote.refresh_from_db()
    return vote


# ---------------------------------------------------------------------------------- 任免

def add_nominee(user: User, item: AgendaItem, *, name: str, post: str, action: str, organ: str) -> Nominee:
    _manage(user, item.meeting)
    _open_for_changes(item.meeting)
    if item.item_type != ItemType.APPOINTMENT:
        raise Refused("只有“审议任免案”议题可以登记任免人员")
    if not name.strip() or not post.strip() or not organ.strip():
        raise Refused("请填写姓名、职务和提请机关")
    with transaction.atomic():
        n = Nominee.objects.create(item=item, name=name.strip(), post=post.strip(), action=action,
                                   organ=organ.strip(), sort_order=item.nominees.count())
        _event(item.meeting, user, "nominee_added", "登记任免人员", nominee=str(n))
    return n


def record_oath(user: User, nominee: Nominee, *, on: dt.date, administered_by: str) -> Nominee:
    _manage(user, nominee.item.meeting)
    vote = getattr(nominee, "vote", None) if nominee.pk else None
    if nominee.action != "appoint" or vote is None or not vote.passed:
        raise Refused("只有表决通过的任命人员进行宪法宣誓")
    if not administered_by.strip():
        raise Refused("请填写监誓人")
    with transaction.atomic():
        nominee.oath_on, nominee.oath_administered_by = on, administered_by.strip()[:50]
        nominee.save(update_fields=["oath_on", "oath_administered_by"])
        _event(nominee.item.meeting, user, "oath", "宪法宣誓", nominee=nominee.name, on=on.isoformat(),
               administered_by=nominee.oath_administered_by)
    return nominee
