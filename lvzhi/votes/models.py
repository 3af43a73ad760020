"""Votes: the one ballot engine of the platform, and 满意度测评 on it.

Two layers. The **ballot core** (BallotBox, VoteCast, Ballot) knows nothing of what is voted
on: a box with its choices, an electorate frozen at opening (the roll, one VoteCast row per
voter, any account: members, deputies), and ballots. 满意度测评 here, meeting item votes and 任免
(lvzhi.meetings), 票决 and project satisfaction (lvzhi.projects) subclass BallotBox.
The **satisfaction layer** (VoteRules, SatisfactionVote) adds the grades, the pass rule and the
re-report cycle of 满意度测评 (RULES.md §3.2: local practice, not in 监督法 itself).

Secrecy of a secret box (why the columns are what they are):
- a Ballot has a random UUID key, no user, no timestamp, no sequence: nothing orders it
  alongside the roll;
- a VoteCast row is created for every voter when the box opens (in the electorate's order)
  and only flips `voted`; it holds no choice and no time, so the roll's row order is the
  opening's, not the voting order;
- closing rewrites the ballots in a random order inside the closing transaction, so the
  database's own row order (SQLite rowid, PostgreSQL ctid/xmin) no longer follows the casts;
- the receipt a voter gets is on the audit chain without actor or choice, and on no ballot.
A named box (记名表决, `secret=False`) keeps each voter's marks on the roll instead.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from lvzhi.core.models import Congress


class MemberTitle(models.TextChoices):
    CHAIR = "chair", "主任"
    VICE_CHAIR = "vice_chair", "副主任"
    SECRETARY_GENERAL = "secretary_general", "秘书长"
    MEMBER = "member", "委员"


class StandingMember(models.Model):
    """常委会组成人员: the electorate of every vote. The account may be of any role (the 主任会议's
    LEADER accounts, deputies' accounts)."""

    congress = models.ForeignKey(Congress, models.CASCADE, related_name="standing_members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="standing_memberships",
                             verbose_name="账户")
    title = models.CharField("职务", max_length=20, choices=MemberTitle.choices, default=MemberTitle.MEMBER)
    active = models.BooleanField("在任", default=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=100)

    class Meta:
        verbose_name = verbose_name_plural = "常委会组成人员"
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["congress", "user"], name="votes_member_once")]

    def __str__(self) -> str:
        return f"{self.get_title_display()} {self.user.display_name or self.user.username}"


class BoxState(models.TextChoices):
    DRAFT = "draft", "未开始"
    OPEN = "open", "投票中"
    CLOSED = "closed", "已结束"


class BallotBox(models.Model):
    """The generic core of one anonymous vote: its choices, state, frozen electorate, tally."""

    congress = models.ForeignKey(Congress, models.CASCADE, related_name="ballot_boxes")
    # [[code, label], ...]: what a ballot may mark; a ballot marking fewer than min_marks or more
    # than max_marks of them is invalid (深圳规则: "不选择、多选择的投票无效").
    choices = models.JSONField("选项", default=list)
    min_marks = models.PositiveSmallIntegerField(default=1)
    max_marks = models.PositiveSmallIntegerField(default=1)
    state = models.CharField("状态", max_length=10, choices=BoxState.choices, default=BoxState.DRAFT)
    opened_at = models.DateTimeField("开始时间", null=True, blank=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    electorate_size = models.PositiveIntegerField("应到人数", null=True, blank=True)
    # {"cast": n, "invalid": n, "counts": {code: n}}, written once at closing.
    tally = models.JSONField("计票结果", default=dict, blank=True)
    secret = models.BooleanField("无记名投票", default=True)
    # Counted from paper ballots by the 秘书处: no roll, the tally entered twice by two clerks.
    paper = models.BooleanField("纸质选票", default=False)
    # The first clerk's entry of a paper tally, waiting for the second: {"by": user id, "tally": {...}}.
    paper_entry = models.JSONField("待复核的计票录入", default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "票箱"

    def choice_label(self, code: str) -> str:
        return dict((c, label) for c, label in self.choices).get(code, code)


class VoteCast(models.Model):
    """The roll: one row per voter of the electorate, created at opening; `voted` says only
    that the voter's ballot is in. No time; a choice only in a named box."""

    box = models.ForeignKey(BallotBox, models.CASCADE, related_name="roll")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="投票人")
    voted = models.BooleanField("已投票", default=False)
    marks = models.JSONField("所投（记名表决）", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "投票名单"
        constraints = [models.UniqueConstraint(fields=["box", "voter"], name="votes_one_voter_one_roll")]


class Ballot(models.Model):
    """One anonymous ballot. Random key, no member, no time: see the module's docstring."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    box = models.ForeignKey(BallotBox, models.CASCADE, related_name="ballots")
    marks = models.JSONField("所选", default=list, blank=True)
    valid = models.BooleanField("有效票", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "选票"


class PassRule(models.TextChoices):
    SATISFIED_OVER_HALF_MEMBERS = "satisfied_over_half_members", "满意票超过常委会组成人员的半数"
    SATISFIED_PLUS_BASIC_OVER_HALF_MEMBERS = ("satisfied_plus_basic_over_half_members",
                                              "满意票与基本满意票之和超过常委会组成人员的半数")
    SATISFIED_OVER_HALF_VOTES_CAST = "satisfied_over_half_votes_cast", "满意票超过有效票的半数"


class Grade(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class VoteRules(models.Model):
    """The congress's own 满意度测评 rules (RULES.md §3.2, local practice, e.g. 深圳 2011 three
    grades; 石泉县: 满意票超过组成人员过半数; re-report "直到表决满意为止"). One row per
    congress, created with these defaults on first use; each vote freezes a copy at opening."""

    congress = models.OneToOneField(Congress, models.CASCADE, related_name="vote_rules")
    levels = models.PositiveSmallIntegerField("测评等次", choices=[(3, "三档：满意、基本满意、不满意"),
                                                                (2, "两档：满意、不满意")], default=3)
    pass_rule = models.CharField("通过规则", max_length=50, choices=PassRule.choices,
                                 default=PassRule.SATISFIED_OVER_HALF_MEMBERS)
    re_report_months = models.PositiveSmallIntegerField("未通过的重新报告期限（月）", default=6)

    class Meta:
        verbose_name = verbose_name_plural = "满意度测评规则"

    def snapshot(self) -> dict:
        return {"levels": self.levels, "pass_rule": self.pass_rule, "re_report_months": self.re_report_months}


class SatisfactionVote(BallotBox):
    """满意度测评 on a special work report or an opinion's 研究处理情况报告."""

    topic = models.ForeignKey("supervision.Topic", models.PROTECT, null=True, blank=True,
                              related_name="satisfaction_votes", verbose_name="监督议题")
    opinion = models.ForeignKey("supervision.Opinion", models.PROTECT, null=True, blank=True,
                                related_name="satisfaction_votes", verbose_name="审议意见")
    title = models.CharField("测评事项", max_length=200)
    re_report_of = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="re_reports",
                                     verbose_name="重新报告的测评")
    rules = models.JSONField("测评规则（开始时确定）", default=dict, blank=True)
    passed = models.BooleanField("通过", null=True, blank=True)
    re_report_due_on = models.DateField("重新报告期限", null=True, blank=True)
    published = models.BooleanField("已公开", default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "满意度测评"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("votes:detail", args=[self.pk])

    # The results, read from the frozen tally (empty before closing).
    def count(self, code: str) -> int:
        return int((self.tally.get("counts") or {}).get(code, 0))

    @property
    def cast_count(self) -> int:
        return int(self.tally.get("cast", 0))

    @property
    def invalid_count(self) -> int:
        return int(self.tally.get("invalid", 0))

    @property
    def valid_count(self) -> int:
        return self.cast_count - self.invalid_count

    @property
    def turnout_percent(self) -> float | None:
        if not self.electorate_size:
            return None
        return round(100 * self.cast_count / self.electorate_size, 1)

    @property
    def rule_label(self) -> str:
        return PassRule(self.rules["pass_rule"]).label if self.rules.get("pass_rule") else ""
