"""The case engine's records: one shape for every "raised → handled → answered → judged" kind.

`Case.state`, `Assignment.state` and `Reply.state` are only ever written by
`lvzhi.cases.engine.fire`; everything here is data and invariants.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from lvzhi.core.models import Congress, Organization


class RuleSet(models.Model):
    """A congress's handling rules; defaults seeded from RULES.md (article numbers in help_text).

    Every deadline in the platform is computed from these fields by lvzhi.cases.deadlines.
    """

    congress = models.OneToOneField(Congress, models.CASCADE, related_name="rules")
    reply_months = models.PositiveSmallIntegerField(
        "答复期限(月)", default=3, help_text="代表法(2025)第五十一条：自交办之日起三个月内答复")
    reply_max_months = models.PositiveSmallIntegerField(
        "延期后最长答复期限(月)", default=6,
        help_text="代表法(2025)第五十一条：涉及面广、处理难度大的，六个月内答复")
    interim_assign_workdays = models.PositiveSmallIntegerField(
        "闭会期间建议交办期限(工作日)", default=5, help_text="青岛条例第十四条：五个工作日内交办")
    reassign_request_workdays = models.PositiveSmallIntegerField(
        "申请调整期限(工作日)", default=5, help_text="青岛条例第十九条：收到后五个工作日内提出")
    co_opinion_months = models.PositiveSmallIntegerField(
        "会办单位意见期限(月)", default=1, help_text="青岛条例第二十四条：一个月内将会办意见送主办单位")
    evaluation_workdays = models.PositiveSmallIntegerField(
        "代表评价期限(工作日)", default=15,
        help_text="北京条例第二十三条：收到答复后十五个工作日内反馈；逾期视为认可")
    rehandle_months = models.PositiveSmallIntegerField(
        "重新办理期限(月)", default=1, help_text="上海规定第二十一条、山东第二十四条：一个月内再次答复")
    warn_days = models.PositiveSmallIntegerField(
        "临期提醒(天)", default=15, help_text="截止前多少天显示黄色并提醒")
    motion_min_cosigners = models.PositiveSmallIntegerField(
        "议案最少联名人数", default=10, help_text="地方组织法(2022)第二十二条：县级以上代表十人以上联名")
    params = models.JSONField(
        "其他期限(按期限代码)", default=dict, blank=True,
        help_text="各类事项自己声明的期限长度，如 {\"progress_report\": 1}；未填写时用声明的默认值")
    reply_classes = models.CharField(
        "答复分类", max_length=10, default="ABC",
        help_text="启用的答复分类代码，如 ABC 或 ABCD（RULES.md 2.1）")
    # Rules differ: some make the lead unit wait for every co-unit's opinion (青岛条例第二十四条
    # reads that way), others let it answer and treat a late opinion as moot.
    wait_for_co_opinions = models.BooleanField(
        "会办意见", default=False,
        choices=[(True, "等待会办意见后方可签发"), (False, "不必等待")],
        help_text="主办单位答复签发前是否须收齐全部会办单位意见（青岛条例第二十四条）")

    class Meta:
        verbose_name = verbose_name_plural = "办理规则"

    def __str__(self) -> str:
        return f"{self.congress} 办理规则"


class Case(models.Model):
    """What every kind shares. A kind's own fields live in its one-to-one detail model."""

    # No single-column indexes on congress, kind, number, session: the composites below (and
    # the unique (congress, number)) lead with them (cases/migrations/0008_scale_indexes).
    congress = models.ForeignKey(Congress, models.PROTECT, related_name="cases", db_index=False)
    kind = models.CharField("类型", max_length=30)
    # The kind declares its states (lvzhi.cases.kinds); only engine.fire writes this.
    state = models.CharField("状态", max_length=20, db_index=False)
    number = models.CharField("案号", max_length=60, blank=True)
    session = models.ForeignKey("core.Session", models.PROTECT, null=True, blank=True,
                                related_name="cases", verbose_name="会议", db_index=False)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    category = models.CharField("类别", max_length=30, blank=True, db_index=True)
    tags = models.JSONField("标签", default=list, blank=True)
    submitter = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                  related_name="submitted_cases", verbose_name="提交人")
    lead_deputy = models.ForeignKey("deputies.Deputy", models.PROTECT, null=True, blank=True,
                                    related_name="led_cases", verbose_name="领衔代表")
    round = models.PositiveSmallIntegerField("办理轮次", default=1)
    is_key = models.BooleanField("重点建议", default=False)
    is_public = models.BooleanField("已公开", default=False)
    merged_into = models.ForeignKey("self", models.PROTECT, null=True, blank=True,
                                    related_name="merged_cases", verbose_name="并入")
    converted_to = models.ForeignKey("self", models.PROTECT, null=True, blank=True,
                                     related_name="converted_from", verbose_name="转为")
    source_ref = models.CharField("来源编号", max_length=60, blank=True,
                                  help_text="导入时秘书处的原始编号，用于防止重复导入")
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    registered_at = models.DateTimeField("立案时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "案件"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["congress", "kind", "state"]),
            # the list by 提交日期, keyset-paged on (submitted_at, id) within a congress
            models.Index(fields=["congress", "submitted_at", "id"], name="case_congress_submitted"),
            models.Index(fields=["session", "id"], name="case_session_id"),
            models.Index(fields=["id"], condition=models.Q(is_public=True), name="case_public"),
            models.Index(fields=["id"], condition=models.Q(is_key=True), name="case_key"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["congress", "number"], condition=~models.Q(number=""),
                                    name="case_number_unique_per_congress"),
            models.UniqueConstraint(fields=["congress", "kind", "source_ref"],
                                    condition=~models.Q(source_ref=""),
                                    name="case_source_ref_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number or '未编号'} {self.title}"

    def save(self, *args, **kwargs):
        """Only the case engine creates a case or changes its state (lvzhi.cases.engine)."""
        from lvzhi.cases.engine import ENGINE_WRITING

        changed = self.pk is None or self.state != getattr(self, "_loaded_state", self.state)
        if changed and not ENGINE_WRITING.get():
            raise RuntimeError("案件只能由案件引擎创建或改变状态（lvzhi.cases.engine.fire / open_case）")
        super().save(*args, **kwargs)
        self._loaded_state = self.state

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_state = instance.__dict__.get("state")
        return instance

    @property
    def kind_def(self):
        from lvzhi.cases.kinds import get_kind

        return get_kind(self.kind)

    @property
    def kind_label(self) -> str:
        return self.kind_def.label

    @property
    def state_label(self) -> str:
        return self.kind_def.state_label(self.state)

    def get_state_display(self) -> str:  # what Django would give a field with choices
        return self.state_label

    @property
    def state_round_label(self) -> str:
        """The label the state badge shows: a kind may name its later rounds (重新办理中)."""
        state = self.kind_def.state(self.state)
        if self.round > 1 and not state.terminal:
            return self.kind_def.words.get(f"round_label_{self.state}", "{label}（第{round}轮）").format(
                label=state.label, round=self.round, state=self.state)
        return state.label

    @property
    def detail(self):
        """The kind's one-to-one detail row, or None."""
        return self.kind_def.detail_of(self)


class CaseNumberCounter(models.Model):
    """The last number given per congress, kind and series; locked while a number is taken,
    inside the registering transaction, so numbers are gap-free under concurrency."""

    congress = models.ForeignKey(Congress, models.CASCADE)
    kind = models.CharField(max_length=30)
    series = models.CharField(max_length=40, help_text="会议ID，或闭会期间的年份 interim-2026")
    last = models.PositiveIntegerField(default=0)

    class Meta:
        unique_together = [("congress", "kind", "series")]


class CosignState(models.TextChoices):
    INVITED = "invited", "待确认"
    CONFIRMED = "confirmed", "已附议"
    DECLINED = "declined", "已谢绝"
    EXPIRED = "expired", "立案时未确认"


class Cosign(models.Model):
    """A deputy invited to co-sign (附议/联名)."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="cosigns")
    deputy = models.ForeignKey("deputies.Deputy", models.PROTECT, related_name="cosigns")
    state = models.CharField(max_length=12, choices=CosignState.choices,
                             default=CosignState.INVITED)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "附议"
        unique_together = [("case", "deputy")]
        ordering = ["id"]


class AssignmentRole(models.TextChoices):
    LEAD = "lead", "主办"
    CO = "co", "会办"
    SPLIT = "split", "分办"


class AssignmentState(models.TextChoices):
    HANDLING = "handling", "办理中"
    REASSIGN_REQUESTED = "reassign_requested", "申请调整中"
    OPINION_GIVEN = "opinion_given", "已送会办意见"
    REPLIED = "replied", "已答复"
    WITHDRAWN = "withdrawn", "已调整撤回"
    # A co-unit that had not sent its opinion when the lead's answer passed or the case closed.
    NOT_NEEDED = "not_needed", "会办意见不再需要"


# Lead first, then split, then co: the order every page lists a case's units in (the codes'
# alphabetical order would put 会办 before 主办).
ROLE_ORDER = models.Case(models.When(role="lead", then=0), models.When(role="split", then=1),
                         default=2, output_field=models.IntegerField())


class Assignment(models.Model):
    """A case handed to one unit in one role; each runs on its own clock (see Deadline)."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(Organization, models.PROTECT, related_name="assignments",
                             verbose_name="承办单位", db_index=False)  # (unit, state) leads with it
    role = models.CharField("承办方式", max_length=8, choices=AssignmentRole.choices)
    state = models.CharField("状态", max_length=20, choices=AssignmentState.choices,
                             default=AssignmentState.HANDLING)
    assigned_on = models.DateField("交办日期")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    extended = models.BooleanField("已批准延期", default=False)
    reassign_reason = models.TextField("申请调整理由", blank=True)
    opinion = models.TextField("会办意见", blank=True)
    replaced_by = models.ForeignKey("self", models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    # 签收: the unit confirms it has the case; NULL = 待签收. Nothing waits on it.
    received_at = models.DateTimeField("签收时间", null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                    blank=True, related_name="+", verbose_name="签收人")

    class Meta:
        verbose_name = verbose_name_plural = "交办"
        ordering = ["case_id", ROLE_ORDER, "id"]
        # case_id too: "cases of this unit" (the list's 承办单位 filter, the inbox) is then
        # read from the index alone
        indexes = [models.Index(fields=["unit", "state", "case"], name="assignment_unit_state_case")]

    def __str__(self) -> str:
        return f"{self.unit}（{self.get_role_display()}）"

    @property
    def is_active(self) -> bool:
        return self.state != AssignmentState.WITHDRAWN

    @property
    def answers(self) -> bool:
        """Lead and split units write replies; co-units give opinions to the lead."""
        return self.role in (AssignmentRole.LEAD, AssignmentRole.SPLIT)


# A clock still running: not met, not cancelled (Deadline.is_open).
OPEN_CLOCK = models.Q(met_at__isnull=True, cancelled=False)


class Deadline(models.Model):
    """One running clock. Its due date is derived from (kind, start_on, extension) by the
    congress's RuleSet and calendar, so extensions, holiday changes and reassignment recompute
    it instead of patching a stored date (lvzhi.cases.deadlines)."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="deadlines")
    assignment = models.ForeignKey(Assignment, models.CASCADE, null=True, blank=True,
                                   related_name="deadlines")
    kind = models.CharField("期限类型", max_length=30, help_text="lvzhi.cases.clocks 中声明的期限代码")
    start_on = models.DateField("起算日期")
    extension_months = models.PositiveSmallIntegerField("延期(月)", default=0)
    fixed_due_on = models.DateField("指定到期日", null=True, blank=True,
                                    help_text="承诺事项等由答复写明日期的期限")
    due_on = models.DateField("到期日期", db_index=True)
    met_at = models.DateTimeField("完成时间", null=True, blank=True)
    cancelled = models.BooleanField("已取消", default=False)
    overdue_notified = models.BooleanField("已发超期提醒", default=False)
    reminded = models.BooleanField("已发临期提醒", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "期限"
        ordering = ["due_on"]
        # Open clocks are a few percent of all ever written: partial indexes hold only them
        # (the list by 截止, its rows' clocks, the monitor, the sweep).
        indexes = [
            # kind and id too: the list by 截止 skips the clocks it does not show (promises)
            # and checks "no earlier clock" from the index alone (an index-only scan)
            models.Index(fields=["due_on", "case", "kind", "id"], condition=OPEN_CLOCK,
                         name="deadline_open_due"),
            models.Index(fields=["case", "due_on"], condition=OPEN_CLOCK, name="deadline_open_case"),
            models.Index(fields=["assignment"], condition=OPEN_CLOCK, name="deadline_open_assignment"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_on}"

    def get_kind_display(self) -> str:
        from lvzhi.cases.clocks import clock_label

        return clock_label(self.kind)

    @property
    def is_open(self) -> bool:
        return self.met_at is None and not self.cancelled


class ReplyState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SIGNED = "signed", "负责人已签发"
    ACCEPTED = "accepted", "已审核"
    RETURNED = "returned", "已退回修改"


class ReturnedBy(models.TextChoices):
    """Who sent a reply back: the unit's own head before signing, or the office after."""

    HEAD = "head", "单位负责人退回"
    OFFICE = "office", "审核退回"


class Reply(models.Model):
    """A unit's written reply (答复函), signed by its head and reviewed by the clerk."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="replies")
    assignment = models.ForeignKey(Assignment, models.PROTECT, related_name="replies",
                                   db_index=False)  # (assignment, state) leads with it
    round = models.PositiveSmallIntegerField("办理轮次", default=1)
    reply_class = models.CharField("答复分类", max_length=2)
    text = models.TextField("答复内容")
    attachment = models.FileField("附件", upload_to="replies/%Y/", blank=True)
    state = models.CharField("状态", max_length=12, choices=ReplyState.choices,
                             default=ReplyState.DRAFT)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField(default=timezone.now)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                  blank=True, related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField("审核意见", blank=True)
    promises = models.JSONField("承诺事项", default=list, blank=True,
                                help_text="[{text, due_on}]；审核通过时生成承诺事项")
    # The latest return, kept when the unit redrafts so the reason stays beside the text.
    returned_stage = models.CharField("退回环节", max_length=8, choices=ReturnedBy.choices,
                                      blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True,
                                    blank=True, related_name="+", verbose_name="退回人")
    returned_at = models.DateTimeField("退回时间", null=True, blank=True)
    return_reason = models.TextField("退回理由", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "答复"
        ordering = ["round", "id"]
        indexes = [models.Index(fields=["assignment", "state"], name="reply_assignment_state")]

    def __str__(self) -> str:
        return f"{self.assignment.unit} 第{self.round}轮答复（{self.reply_class}类）"

    @property
    def return_label(self) -> str:
        """"单位负责人退回", or the office by name: "代表工作委员会审核退回"."""
        if self.returned_stage == ReturnedBy.OFFICE:
            org = getattr(self.returned_by, "organization", None)
            return f"{org.name if org else '办理机构'}审核退回"
        return ReturnedBy(self.returned_stage).label if self.returned_stage else ""

    @property
    def promises_text(self) -> str:
        """The promises as the form takes them back: one "YYYY-MM-DD 内容" a line."""
        return "\n".join(f"{p['due_on']} {p['text']}" for p in self.promises or [])


class Verdict(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASICALLY = "basically", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class Evaluation(models.Model):
    """The deputy's verdict on one round's replies; `expired` when the window ran out."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="evaluations")
    round = models.PositiveSmallIntegerField("办理轮次")
    verdict = models.CharField("评价", max_length=12, choices=Verdict.choices, blank=True)
    comment = models.TextField("意见", blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                           related_name="+")
    at = models.DateTimeField(default=timezone.now)
    expired = models.BooleanField("逾期视为认可", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "代表评价"
        ordering = ["round"]
        unique_together = [("case", "round")]


class ContactStage(models.TextChoices):
    BEFORE = "before", "办前"
    DURING = "during", "办中"
    AFTER = "after", "办后"


class ContactMethod(models.TextChoices):
    MEETING = "meeting", "当面座谈"
    VISIT = "visit", "实地调研"
    PHONE = "phone", "电话沟通"
    ONLINE = "online", "网络沟通"
    FACE_TO_FACE = "face_to_face", "代表·局长面对面"


class Contact(models.Model):
    """A record of contact with the deputy (三见面), including 代表·局长面对面 meetings."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="contacts")
    assignment = models.ForeignKey(Assignment, models.PROTECT, related_name="contacts")
    stage = models.CharField("阶段", max_length=8, choices=ContactStage.choices)
    method = models.CharField("方式", max_length=16, choices=ContactMethod.choices)
    happened_on = models.DateField("日期")
    participants = models.CharField("参加人员", max_length=200, blank=True)
    summary = models.TextField("沟通情况")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "沟通联系"
        ordering = ["happened_on", "id"]


class CommitmentState(models.TextChoices):
    OPEN = "open", "落实中"
    KEPT = "kept", "已落实"


class Commitment(models.Model):
    """A promise made in a reply (答复型 → 落实型), followed until the unit reports it kept."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="commitments")
    reply = models.ForeignKey(Reply, models.CASCADE, related_name="commitments")
    unit = models.ForeignKey(Organization, models.PROTECT, related_name="commitments")
    text = models.CharField("承诺事项", max_length=300)
    due_on = models.DateField("承诺完成日期")
    state = models.CharField("状态", max_length=8, choices=CommitmentState.choices,
                             default=CommitmentState.OPEN)
    kept_at = models.DateTimeField(null=True, blank=True)
    kept_note = models.TextField("落实情况", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "承诺事项"
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        # What the 报告承诺落实 form lists (Django's default was "Commitment object (3)").
        return f"{self.due_on:%Y-%m-%d} {self.text}"


class SupervisionKind(models.TextChoices):
    LEADER = "leader", "领衔督办"
    COMMITTEE = "committee", "分工督办"
    TOPIC = "topic", "归类督办"
    TRACKING = "tracking", "跟踪督办"


class Supervision(models.Model):
    """How a key suggestion is supervised: by which leader and which committee."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="supervisions")
    kind = models.CharField("督办方式", max_length=12, choices=SupervisionKind.choices)
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                               related_name="supervisions", verbose_name="督办领导")
    committee = models.ForeignKey(Organization, models.PROTECT, null=True, blank=True,
                                  related_name="supervisions", verbose_name="督办专工委")
    note = models.TextField("督办要求", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "督办"


class Bundle(models.Model):
    """打捆督办: cases gathered under one supervision topic."""

    congress = models.ForeignKey(Congress, models.CASCADE, related_name="bundles")
    title = models.CharField("督办专题", max_length=120)
    description = models.TextField("说明", blank=True)
    committee = models.ForeignKey(Organization, models.PROTECT, null=True, blank=True,
                                  related_name="bundles", verbose_name="督办专工委")
    cases = models.ManyToManyField(Case, related_name="bundles", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "打捆督办专题"
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title


class Event(models.Model):
    """The append-only timeline and audit trail, chained per congress.

    Every event names its subject (subject_type, subject_id): a case, or a meeting, a ballot, a
    regulation draft, a filing batch, an import... `case` is filled too for case events, so a
    case's timeline stays `case.events`. The hash formula is versioned (digest_version):
    v1 = SM3(prev_hash | seq | case | actor | name | from | to | payload | at), the rows written
    before subjects existed; v2 = SM3(version | prev_hash | seq | subject_type | subject_id |
    actor | name | from | to | payload | at); v3, every row written now, = HMAC-SM3 keyed with
    LVZHI_AUDIT_KEY (kept outside the database) over every column shown to users, labels
    included. Editing or deleting any row breaks every hash after it, and without the key
    nobody can re-hash forward (lvzhi.cases.events.verify_chain).
    """

    congress = models.ForeignKey(Congress, models.PROTECT, related_name="events")
    seq = models.PositiveBigIntegerField("序号")
    subject_type = models.CharField("主体类型", max_length=30,
                                    help_text="case、meeting、ballot、draft、filing_batch、import 等")
    subject_id = models.PositiveBigIntegerField("主体编号")
    case = models.ForeignKey(Case, models.PROTECT, null=True, blank=True, related_name="events",
                             help_text="案件事件填写（与 subject_id 相同）；其他主体为空")
    digest_version = models.PositiveSmallIntegerField("摘要版本", default=3)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                              related_name="+")
    actor_label = models.CharField("操作人", max_length=120, blank=True)
    name = models.CharField("动作", max_length=40)
    label = models.CharField("动作名称", max_length=60)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = verbose_name_plural = "事件"
        ordering = ["congress_id", "seq"]
        unique_together = [("congress", "seq")]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="cases_event_subject_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.label}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("事件记录只能追加，不能修改")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("事件记录只能追加，不能删除")


class ChainHead(models.Model):
    """The last event of a congress's chain; its row lock serialises appends. It lives in the
    same database as the events, so it proves nothing by itself: truncation is caught by the
    signed checkpoints (Checkpoint and the append-only file LVZHI_AUDIT_CHECKPOINT_FILE)."""

    congress = models.OneToOneField(Congress, models.CASCADE, related_name="chain_head")
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)


class Checkpoint(models.Model):
    """A signed statement "the chain of this congress had `seq` rows ending in `hash` at `at`",
    written by `manage.py chain_checkpoint` (every 10 minutes). `signature` is HMAC-SM3 with
    the audit key over (congress, seq, hash, at), so nobody without the key can forge one. The
    same line is appended to LVZHI_AUDIT_CHECKPOINT_FILE outside the database, and verify_chain
    trusts that file: a database administrator can delete or replace these rows, not the file.
    """

    congress = models.ForeignKey(Congress, models.PROTECT, related_name="chain_checkpoints")
    seq = models.PositiveBigIntegerField("序号")
    hash = models.CharField("链头哈希", max_length=64)
    at = models.DateTimeField("签名时间")
    signature = models.CharField("签名", max_length=64)

    class Meta:
        verbose_name = verbose_name_plural = "事件链检查点"
        ordering = ["congress_id", "seq", "id"]
        indexes = [models.Index(fields=["congress", "seq"], name="cases_checkpoint_seq_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("检查点只能追加，不能修改")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("检查点只能追加，不能删除")


def today() -> dt.date:
    return timezone.localdate()
