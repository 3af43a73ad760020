"""民生实事项目人大代表票决制 (RULES.md §5): a congress's round for one year, from the public's
ideas (征集) through the government's candidate list (初定), the deputies' review (审议) and
secret vote (票决) to the chosen projects' implementation, supervision and year-end grading."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from lvzhi.core.models import Congress, Organization
from lvzhi.votes.models import BallotBox


class Stage(models.TextChoices):
    COLLECTING = "collecting", "征集"
    SCREENING = "screening", "初定"
    REVIEW = "review", "审议"
    VOTING = "voting", "票决"
    IMPLEMENTING = "implementing", "实施监督"
    EVALUATED = "evaluated", "评估完成"


STAGE_ORDER = [s.value for s in Stage]


class Threshold(models.TextChoices):
    ALL_DEPUTIES = "all_deputies", "全体代表过半数"
    PRESENT_DEPUTIES = "present_deputies", "出席代表过半数"
    NONE = "none", "不设门槛"


class TieRule(models.TextChoices):
    REVOTE = "revote", "得票相同者重新投票"
    SMALLER_BUDGET = "smaller_budget", "按预算少者优先"


class ProjectRound(models.Model):
    """One congress's 民生实事 round for one year. Places, threshold and tie rule are fixed
    before the vote (RULES §5: not confirmed in a stored text, so configurable)."""

    congress = models.ForeignKey(Congress, models.CASCADE, related_name="project_rounds")
    year = models.PositiveSmallIntegerField("年度")
    places = models.PositiveSmallIntegerField("正式项目数", default=10)
    threshold = models.CharField("当选门槛", max_length=20, choices=Threshold.choices,
                                 default=Threshold.ALL_DEPUTIES)
    tie_rule = models.CharField("末位票数相同", max_length=20, choices=TieRule.choices, default=TieRule.REVOTE)
    stage = models.CharField("阶段", max_length=20, choices=Stage.choices, default=Stage.COLLECTING)
    explanation = models.TextField("政府关于候选项目的说明", blank=True)
    published_at = models.DateTimeField("候选项目印发代表时间", null=True, blank=True)
    mid_report = models.TextField("年中监督报告", blank=True)
    mid_report_on = models.DateField("年中报告日期", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "民生实事票决年度"
        ordering = ["-year", "congress_id"]
        constraints = [models.UniqueConstraint(fields=["congress", "year"], name="projects_one_round_a_year")]

    def __str__(self) -> str:
        return f"{self.congress.short_name}{self.year}年民生实事项目"


class IdeaSource(models.TextChoices):
    PUBLIC = "public", "群众"
    DEPUTY = "deputy", "人大代表"
    STATION = "station", "代表联络站"
    DEPARTMENT = "department", "政府部门"


class ProjectIdea(models.Model):
    """A project idea collected in 征集: from the public (portal, no login, a receipt code), a
    deputy, a liaison station or a department."""

    round = models.ForeignKey(ProjectRound, models.CASCADE, related_name="ideas")
    source = models.CharField("来源", max_length=20, choices=IdeaSource.choices)
    title = models.CharField("项目建议", max_length=120)
    content = models.TextField("具体内容")
    district = models.CharField("所在区域", max_length=60, blank=True)
    proposer_name = models.CharField("提出人", max_length=60, blank=True)
    proposer_phone = models.CharField("联系电话", max_length=30, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    receipt = models.CharField("查询码", max_length=12, blank=True, db_index=True)
    network_hash = models.CharField(max_length=64, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    adopted = models.BooleanField("纳入候选", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "项目建议"
        ordering = ["-submitted_at"]


class Candidate(models.Model):
    """A candidate project the government puts to the vote (初定)."""

    round = models.ForeignKey(ProjectRound, models.CASCADE, related_name="candidates")
    code = models.CharField("编号", max_length=8)  # the ballot's choice code: "1", "2"…
    title = models.CharField("项目名称", max_length=120)
    budget_wan = models.DecimalField("预算（万元）", max_digits=12, decimal_places=2)
    department = models.ForeignKey(Organization, models.PROTECT, related_name="+", verbose_name="责任单位")
    location = models.CharField("实施地点", max_length=120)
    start_on = models.DateField("开始日期")
    end_on = models.DateField("完成日期")
    expected = models.TextField("预期效果")
    ideas = models.ManyToManyField(ProjectIdea, blank=True, related_name="candidates", verbose_name="来源建议")

    class Meta:
        verbose_name = verbose_name_plural = "候选项目"
        ordering = ["round_id", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "code"], name="projects_candidate_code")]

    def __str__(self) -> str:
        return self.title


class ProjectBallot(BallotBox):
    """The 票决 box: choose up to N of the M candidates (or, for a 重新投票, up to the
    remaining places among the tied)."""

    round = models.ForeignKey(ProjectRound, models.CASCADE, related_name="ballots")
    places = models.PositiveSmallIntegerField("本次选出项目数")
    revote_of = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="revotes",
                                  verbose_name="重新投票的原表决")
    present = models.PositiveIntegerField("出席代表人数", null=True, blank=True)
    # The result at closing, ranked: [{"code", "votes", "chosen", "reason"}] and the tied codes.
    result = models.JSONField("票决结果", default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "民生实事票决"


class LivelihoodProject(models.Model):
    """A chosen project: implemented by its department, supervised by the deputies."""

    round = models.ForeignKey(ProjectRound, models.CASCADE, related_name="projects")
    candidate = models.OneToOneField(Candidate, models.PROTECT, related_name="project")
    votes = models.PositiveIntegerField("得票数")
    rank = models.PositiveSmallIntegerField("名次")
    funds_spent_wan = models.DecimalField("已支出资金（万元）", max_digits=12, decimal_places=2, default=0)
    completed_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "民生实事项目"
        ordering = ["round_id", "rank"]

    def __str__(self) -> str:
        return self.candidate.title


class Milestone(models.Model):
    project = models.ForeignKey(LivelihoodProject, models.CASCADE, related_name="milestones")
    title = models.CharField("节点", max_length=80)
    weight = models.PositiveSmallIntegerField("权重", default=1)
    planned_on = models.DateField("计划完成日期")
    done_on = models.DateField("实际完成日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "项目节点"
        ordering = ["planned_on", "id"]


class ProjectGrading(BallotBox):
    """Year-end 满意度测评 of one project by the deputies: a box per project, 满意/基本满意/不满意."""

    project = models.OneToOneField(LivelihoodProject, models.CASCADE, related_name="grading")

    class Meta:
        verbose_name = verbose_name_plural = "民生实事满意度测评"
