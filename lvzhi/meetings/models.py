"""Paperless meetings (无纸化会议): the 常委会会议, the 主任会议 and the 人代会 plenaries, their
participants and sign-in, the agenda with its materials (versions rendered to page images), the
members' private notes, the item votes and 任免 on the ballot core (lvzhi.votes.ballots).

A meeting is not a case: its writes are in services.py and its events on the audit chain under
the subject "meeting" (lvzhi.cases.events.append_subject_event).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from lvzhi.core.models import Congress
from lvzhi.votes.models import BallotBox


class MeetingType(models.TextChoices):
    STANDING = "standing", "常委会会议"
    COUNCIL = "council", "主任会议"
    PLENARY = "plenary", "人代会全体会议"


class MeetingState(models.TextChoices):
    PREPARING = "preparing", "筹备"
    IN_SESSION = "in_session", "进行中"
    CLOSED = "closed", "已闭会"


class Meeting(models.Model):
    congress = models.ForeignKey(Congress, models.CASCADE, related_name="meetings")
    meeting_type = models.CharField("会议类型", max_length=12, choices=MeetingType.choices,
                                    default=MeetingType.STANDING)
    number = models.CharField("会次", max_length=40, help_text="如 第二十三次会议")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    place = models.CharField("地点", max_length=100, blank=True)
    state = models.CharField("状态", max_length=12, choices=MeetingState.choices, default=MeetingState.PREPARING)
    # 组成人员 when the meeting was set up: the base of quorum and of every pass rule (全体组成人员).
    members_total = models.PositiveSmallIntegerField("组成人员总数", default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "会议"
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.pk])

    @property
    def title(self) -> str:
        body = "人民代表大会" if self.meeting_type == MeetingType.PLENARY else (
            "人大常委会" if self.meeting_type == MeetingType.STANDING else "人大常委会主任会议")
        name = self.congress.short_name.removesuffix("人大")
        return f"{name}{body}{self.number}"


class ParticipantRole(models.TextChoices):
    MEMBER = "member", "组成人员"
    ATTENDEE = "attendee", "列席"


class SignInMethod(models.TextChoices):
    QR = "qr", "扫码签到"
    CLERK = "clerk", "工作人员代签"


class Participant(models.Model):
    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="meeting_participations",
                             verbose_name="人员")
    role = models.CharField("身份", max_length=10, choices=ParticipantRole.choices)
    on_leave = models.BooleanField("请假", default=False)
    leave_reason = models.CharField("请假事由", max_length=100, blank=True)
    signed_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    sign_in_method = models.CharField("签到方式", max_length=10, choices=SignInMethod.choices, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                  related_name="+")
    sort_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = verbose_name_plural = "参会人员"
        ordering = ["role", "sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="meetings_participant_once")]

    def __str__(self) -> str:
        return self.user.display_name or self.user.username


class ItemType(models.TextChoices):
    BILL = "bill", "审议法规草案"
    REPORT = "report", "听取审议专项工作报告"
    APPOINTMENT = "appointment", "审议任免案"
    OPINION = "opinion", "审议审议意见"
    OTHER = "other", "其他"


class Confidentiality(models.TextChoices):
    PUBLIC = "public", "公开"
    INTERNAL = "internal", "内部"
    SECRET = "secret", "涉密"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField("序号")
    title = models.CharField("议题", max_length=200)
    item_type = models.CharField("议题类型", max_length=12, choices=ItemType.choices, default=ItemType.OTHER)
    rapporteur = models.CharField("报告人", max_length=100, blank=True, help_text="如 市住房和城乡建设局局长 王强")
    confidentiality = models.CharField("密级", max_length=10, choices=Confidentiality.choices,
                                       default=Confidentiality.PUBLIC)
    named_vote = models.BooleanField("记名表决", default=False)
    # Links to the records the item deliberates (each optional).
    reading = models.ForeignKey("legislation.Reading", models.SET_NULL, null=True, blank=True, related_name="+",
                                verbose_name="法规草案审议")
    topic = models.ForeignKey("supervision.Topic", models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name="监督议题")
    opinion = models.ForeignKey("supervision.Opinion", models.SET_NULL, null=True, blank=True, related_name="+",
                                verbose_name="审议意见")
    deliberated = models.BooleanField("已审议", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "议程"
        ordering = ["meeting", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:item", args=[self.pk])

    @property
    def confidential(self) -> bool:
        return self.confidentiality != Confidentiality.PUBLIC


class Material(models.Model):
    item = models.ForeignKey(AgendaItem, models.CASCADE, related_name="materials")
    title = models.CharField("材料名称", max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "会议材料"
        ordering = ["item", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def current(self) -> MaterialVersion | None:
        versions = getattr(self, "_versions", None)
        if versions is not None:
            return versions[-1] if versions else None
        return self.versions.order_by("-number").first()


class MaterialVersion(models.Model):
    """One uploaded file of a material, distributed (sent to the participants) at upload."""

    material = models.ForeignKey(Material, models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField("版本")
    file_name = models.CharField("文件名", max_length=200)
    file_kind = models.CharField("文件类型", max_length=10)  # pdf or docx, from its content
    content = models.BinaryField("文件")
    distributed_at = models.DateTimeField("分发时间")
    due_on = models.DateField("应分发日期")
    late = models.BooleanField("逾期分发", default=False)
    page_count = models.PositiveSmallIntegerField("页数", default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "材料版本"
        ordering = ["material", "number"]
        constraints = [models.UniqueConstraint(fields=["material", "number"], name="meetings_version_once")]


class MaterialPage(models.Model):
    """One page image of a version, rendered at upload; `text_hash` tells changed pages apart."""

    version = models.ForeignKey(MaterialVersion, models.CASCADE, related_name="pages")
    number = models.PositiveSmallIntegerField("页码")
    image = models.BinaryField("页面图像")
    text_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = verbose_name_plural = "材料页面"
        ordering = ["version", "number"]
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="meetings_page_once")]


class PageNote(models.Model):
    """A reader's private note on a page of a material: only its author ever reads it."""

    material = models.ForeignKey(Material, models.CASCADE, related_name="notes")
    page_number = models.PositiveSmallIntegerField("页码")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    text = models.TextField("批注")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "阅读批注"
        ordering = ["page_number", "created_at", "pk"]


class NominationAction(models.TextChoices):
    APPOINT = "appoint", "任命"
    REMOVE = "remove", "免职"


class Nominee(models.Model):
    """One person of a 任免案: voted on by a box of their own (ItemVote.nominee)."""

    item = models.ForeignKey(AgendaItem, models.CASCADE, related_name="nominees")
    name = models.CharField("姓名", max_length=30)
    post = models.CharField("职务", max_length=100)
    action = models.CharField("任免", max_length=10, choices=NominationAction.choices,
                              default=NominationAction.APPOINT)
    organ = models.CharField("任免机关提请", max_length=100, help_text="如 市人民政府")
    sort_order = models.PositiveSmallIntegerField(default=100)
    oath_on = models.DateField("宪法宣誓日期", null=True, blank=True)
    oath_administered_by = models.CharField("监誓人", max_length=50, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "任免人员"
        ordering = ["item", "sort_order", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}{self.name}为{self.post}" if self.action == NominationAction.APPOINT \
            else f"免去{self.name}的{self.post}职务"


class PassRule(models.TextChoices):
    OVER_HALF_MEMBERS = "over_half_members", "赞成票超过全体组成人员的半数"
    TWO_THIRDS_MEMBERS = "two_thirds_members", "赞成票达到全体组成人员的三分之二"
    OVER_HALF_PRESENT = "over_half_present", "赞成票超过出席人员的半数"


CHOICES = [["yes", "赞成"], ["no", "反对"], ["abstain", "弃权"]]


class ItemVote(BallotBox):
    """A vote on an agenda item (or one nominee of a 任免案): 赞成/反对/弃权 on the ballot core.
    The electorate is every member (the pass rule counts all members); only those signed in may
    cast (services.cast_vote)."""

    item = models.ForeignKey(AgendaItem, models.CASCADE, related_name="votes")
    nominee = models.OneToOneField(Nominee, models.CASCADE, null=True, blank=True, related_name="vote")
    subject = models.CharField("表决事项", max_length=200)
    pass_rule = models.CharField("通过规则", max_length=30, choices=PassRule.choices)
    members_total = models.PositiveSmallIntegerField("全体组成人员", default=0)
    present = models.PositiveSmallIntegerField("出席人数", default=0)
    passed = models.BooleanField("通过", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "议题表决"
        ordering = ["item", "pk"]

    def __str__(self) -> str:
        return self.subject

    def count(self, code: str) -> int:
        return int((self.tally.get("counts") or {}).get(code, 0))

    @property
    def result_text(self) -> str:
        if self.passed is None:
            return self.get_state_display()
        return (f"赞成{self.count('yes')}票，反对{self.count('no')}票，弃权{self.count('abstain')}票，"
                f"{'通过' if self.passed else '未通过'}")
